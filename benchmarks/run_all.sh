#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs every benchmark and prints one table of measured ratios against their goals.
#
#   benchmarks/run_all.sh           # configure + build the "bench" preset, then measure (~4 min)
#   benchmarks/run_all.sh --quick   # fewer repetitions: checks that everything runs (~1 min)
#   CXX=clang++ benchmarks/run_all.sh   # compile-time TUs with clang++ (and a first configure)
#
# Every ratio compares two measurements taken in this run on this machine: load and save times
# (hyperparams_bench, Google Benchmark, median CPU time per iteration) and compile times
# (compile_time.py, median CPU time of the compiler). Raw outputs are kept in
# build/bench/benchmark-results/. The exit status is not about the goals: 0 when everything
# ran, whatever the ratios.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$root/build/bench"
quick=0
for arg in "$@"; do
  case "$arg" in
  --quick) quick=1 ;;
  -h | --help)
    sed -n '3,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *)
    echo "run_all.sh: unknown argument $arg (try --help)" >&2
    exit 2
    ;;
  esac
done

if ((quick)); then
  bench_args=(--benchmark_repetitions=3 --benchmark_min_time=0.05)
  compile_reps=1
else
  bench_args=(--benchmark_repetitions=10 --benchmark_min_time=0.2)
  compile_reps=7
fi
bench_args+=(--benchmark_enable_random_interleaving=true)

out="$build/benchmark-results"
cd "$root"
echo "== building the bench preset (Release, -O2) in $build" >&2
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake --preset bench >&2
fi
cmake --build "$build" --target hyperparams_bench >&2
mkdir -p "$out"

load_start=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
echo "== load and save: hyperparams_bench ${bench_args[*]}" >&2
"$build/benchmarks/hyperparams_bench" "${bench_args[@]}" --hp_ratios_out="$out/load.tsv" \
  >"$out/load_bench.txt" 2>&1 || {
  cat "$out/load_bench.txt" >&2
  echo "run_all.sh: hyperparams_bench failed" >&2
  exit 1
}

echo "== compile time: compile_time.py --reps $compile_reps" >&2
python3 "$root/benchmarks/compile_time.py" --reps "$compile_reps" --tsv "$out/compile.tsv" \
  >"$out/compile_time.txt" 2>&1 || {
  cat "$out/compile_time.txt" >&2
  echo "run_all.sh: compile_time.py failed" >&2
  exit 1
}
load_end=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")

bench_cxx=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")
bench_flags=$(sed -n 's/^CMAKE_CXX_FLAGS_RELEASE:[A-Z]*=//p' "$build/CMakeCache.txt")
bench_version=$("$bench_cxx" --version 2>/dev/null | head -n 1 || echo "$bench_cxx")
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
gbench=$(sed -n 's/^google_benchmark: //p' "$out/load_bench.txt" | head -n 1)
if grep -q 'Library was built as DEBUG' "$out/load_bench.txt"; then
  gbench="$gbench (its library says it was built as DEBUG: its timing loop, not the code timed)"
fi

MACHINE="$(nproc) cores, ${cpu:-unknown CPU}, $(uname -sr)" \
  LOAD="load average ${load_start} at start, ${load_end} at the end" \
  BENCH="$bench_version, ${bench_flags} (bench preset), Google Benchmark ${gbench:-?}, ${bench_args[*]}" \
  OUT="$out" python3 - "$out/load.tsv" "$out/compile.tsv" <<'EOF'
import os, sys

load_tsv, compile_tsv = sys.argv[1], sys.argv[2]
compiler, reps = "?", "?"
rows = []  # (area, measure, times, ratio, ratio of minima, goal text, status)
for line in open(compile_tsv, encoding="utf-8"):
    f = line.rstrip("\n").split("\t")
    if f[0] == "# compiler":
        compiler = f[2] if len(f) > 2 else f[1]
    elif f[0] == "# reps":
        reps = f[1]
    elif f[0] == "compile":
        key, what, user, floor, ratio, goal = f[1], f[2], float(f[3]), float(f[4]), float(f[5]), float(f[6])
        rows.append(("compile " + key, what, "%.2f s / %.2f s" % (user, floor), ratio,
                     float(f[7]) if len(f) > 7 and f[7] else None, "<= %.2fx" % goal,
                     "PASS" if ratio <= goal else "MISS"))


def fmt_time(s):
    return "%.0f ns" % (s * 1e9) if s < 1e-6 else "%.2f us" % (s * 1e6)


for line in open(load_tsv, encoding="utf-8"):
    key, what, cand, base, ratio, goal, stretch, n, minima = line.rstrip("\n").split("\t")
    cand, base, ratio, goal, stretch, minima = map(float, (cand, base, ratio, goal, stretch, minima))
    if goal > 0:
        goal_text = "<= %.2fx" % goal + (" (stretch %.2fx)" % stretch if stretch > 0 else "")
        status = "PASS" if ratio <= goal else "MISS"
        if stretch > 0 and ratio <= stretch:
            status = "PASS (stretch)"
    else:
        goal_text, status = "-", "info"
    rows.append((key, what, "%s / %s" % (fmt_time(cand), fmt_time(base)), ratio, minima, goal_text,
                 status))

print()
print("hyperparams benchmarks: every ratio is hyperparams / its baseline, both measured in this run")
print("  machine:  " + os.environ["MACHINE"])
print("            " + os.environ["LOAD"])
print("  load/save: " + os.environ["BENCH"] + "; median CPU time per iteration")
print("  compile:  %s, -std=c++17 {-O0,-O2} -c -I include, %s compile%s of each TU, median CPU time"
      % (compiler, reps, "" if reps == "1" else "s"))
print()
header = ("area", "measure", "hyperparams / baseline (medians)", "ratio", "of minima", "goal",
          "status")
table = [header] + [(a, m, t, "%.2fx" % r, "-" if mn is None else "%.2fx" % mn, g, s)
                    for a, m, t, r, mn, g, s in rows]
widths = [max(len(row[i]) for row in table) for i in range(len(header))]
for i, row in enumerate(table):
    print("| " + " | ".join(cell.ljust(widths[j]) for j, cell in enumerate(row)) + " |")
    if i == 0:
        print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
print()
print("ratio: of the medians (the goal applies to it); of minima: of the fastest runs, the least")
print("disturbed by other processes: when the two differ much, the machine was busy.")
print("raw outputs: " + os.environ["OUT"])
EOF
