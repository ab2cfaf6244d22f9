#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# hyperparams::search against Optuna 3.1, side by side in one run (benchmarks/README.md,
# "Search: trials per second and grid memory, against Optuna").
#
#   benchmarks/run_search_bench.sh [search_vs_optuna.py options]   # about 1 minute
#
# Builds benchmarks/search_bench.cpp alone ($CXX, default g++, -std=c++17 -O2 -DNDEBUG; it needs
# Random123 and nlohmann_json headers) into build/bench/search_bench, prints the machine, then
# runs benchmarks/search_vs_optuna.py with Debian's /usr/bin/python3 (python3-optuna), which runs
# search_bench and Optuna in the same run and prints the ratios. Raw measurements:
# build/bench/benchmark-results/search.jsonl. The exit status says whether everything ran.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$root/build/bench"
out="$build/benchmark-results"
cxx=${CXX:-g++}
flags=(-std=c++17 -O2 -DNDEBUG)
python=${PYTHON:-/usr/bin/python3}
case "${1:-}" in
-h | --help)
  sed -n '3,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 0
  ;;
esac

mkdir -p "$build" "$out"
echo "== building search_bench: $cxx ${flags[*]}" >&2
"$cxx" "${flags[@]}" -I "$root/include" "$root/benchmarks/search_bench.cpp" \
  -o "$build/search_bench"

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
echo "machine:  $(nproc) cores, ${cpu:-unknown CPU}, $(uname -sr)"
echo "compiler: $("$cxx" --version | head -n 1), ${flags[*]}"
echo "python:   $("$python" --version 2>&1), optuna $("$python" -c 'import optuna; print(optuna.__version__)')"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
"$python" "$root/benchmarks/search_vs_optuna.py" "$build/search_bench" --json "$out/search.jsonl" "$@"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
