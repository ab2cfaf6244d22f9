#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fashion-MNIST: the example trainer (C++, Eigen) against scikit-learn's MLPClassifier with the
# same network and hyperparameters (by default benchmarks/fashion_mnist_vs_sklearn.json:
# 784-256-128-10, relu, Adam lr 1e-3, batch 64, 10 epochs, no dropout, no L2), taking turns on
# this machine. Both sides read one file: the config's canonical form after the overrides, as
# `hparams show` prints it. For each seed, runs both; prints a table per seed (wall time, CPU
# time, test accuracy of each) and a summary: mean and sample standard deviation of each side's
# accuracy, the difference of the means, and each side's median wall and CPU time with their
# ratio. With --runs N, each seed runs N times and the fastest of them counts (other load only
# ever slows a run down).
#
#   benchmarks/fashion_mnist_vs_sklearn.sh [--config FILE] [--data DIR] [--epochs N] [--runs N]
#                                          [--seed N | --seeds "N N ..."]   (default 42)
#                                          [--threads N]   (threads of each side, default 1)
#
# Builds the example and hparams in build/release (cmake --preset release) first. Needs the
# dataset (apt-get install dataset-fashion-mnist) and /usr/bin/python3 with python3-sklearn.
# --threads sets fashion_mnist's threads and the BLAS threads of numpy (OpenBLAS, MKL or BLIS;
# Debian's reference BLAS has one).
set -euo pipefail
caller=$PWD
cd "$(dirname "$0")/.."
# absolute PATH: relative ones are the caller's, not the repository root's
absolute() { if [[ $1 == /* ]]; then echo "$1"; else echo "$caller/$1"; fi; }

config=benchmarks/fashion_mnist_vs_sklearn.json
data=/usr/share/datasets/fashion-mnist
epochs=
seeds=42
runs=1
threads=1
while (($#)); do
  case "$1" in
  --config) config=$(absolute "$2"); shift 2 ;;
  --data) data=$(absolute "$2"); shift 2 ;;
  --epochs) epochs=$2; shift 2 ;;
  --seed | --seeds) seeds=$2; shift 2 ;;
  --runs) runs=$2; shift 2 ;;
  --threads) threads=$2; shift 2 ;;
  -h | --help) sed -n '3,20p' "$0" | cut -c3-; exit 0 ;;
  *) echo "unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done
read -r -a seeds <<<"$seeds"
for n in ${epochs:+"$epochs"} "$runs" "$threads" "${seeds[@]}"; do
  [[ $n =~ ^[0-9]+$ ]] || { echo "not a number: '$n' (try --help)" >&2; exit 2; }
done
((${#seeds[@]} > 0 && runs > 0)) || { echo "need at least one seed and one run" >&2; exit 2; }

[ -f build/release/build.ninja ] || cmake --preset release >/dev/null
cmake --build build/release --target fashion_mnist hparams >/dev/null
exe=build/release/examples/fashion_mnist/fashion_mnist
hparams=build/release/tools/hparams
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

value() { grep "^$1=" "$2" | tail -n 1 | cut -d= -f2-; }
# timed NAME COMMAND...: runs COMMAND with its output in $tmp/NAME.out and appends
# "wall cpu" (seconds; cpu = user + system) to $tmp/NAME.times
timed() {
  local name=$1
  shift
  local TIMEFORMAT='%R %U %S'
  if ! { time "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"; } 2>"$tmp/$name.time"; then
    cat "$tmp/$name.err" >&2
    echo "failed: $*" >&2
    exit 1
  fi
  tail -n 1 "$tmp/$name.time" | awk '{ printf "%.1f %.1f\n", $1, $2 + $3 }' >>"$tmp/$name.times"
}
fastest() { sort -n "$tmp/$1.times" | head -n 1; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
load_start=$(load)
echo "load average at start (1, 5, 15 min): $load_start"
# $tmp/results: one line per seed, "seed cpp_wall cpp_cpu cpp_accuracy py_wall py_cpu py_accuracy"
for seed in "${seeds[@]}"; do
  rm -f "$tmp/cpp.times" "$tmp/py.times"
  # the effective config of this seed, in the canonical form both sides read
  "$hparams" show "$config" ${epochs:+"epochs=$epochs"} "seed=$seed" >"$tmp/config.json"
  /usr/bin/python3 benchmarks/fashion_mnist_sklearn.py --check "$tmp/config.json"
  for ((run = 1; run <= runs; ++run)); do
    echo "seed $seed, run $run/$runs (load average $(load)): fashion_mnist ..."
    timed cpp "$exe" "$tmp/config.json" --data "$data" --threads "$threads"
    echo "seed $seed, run $run/$runs (load average $(load)): scikit-learn ..."
    timed py env OPENBLAS_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads" \
      BLIS_NUM_THREADS="$threads" OMP_NUM_THREADS="$threads" \
      /usr/bin/python3 benchmarks/fashion_mnist_sklearn.py "$tmp/config.json" --data "$data"
  done
  read -r cpp_wall cpp_cpu < <(fastest cpp)
  read -r py_wall py_cpu < <(fastest py)
  echo "$seed $cpp_wall $cpp_cpu $(value accuracy "$tmp/cpp.out")" \
    "$py_wall $py_cpu $(value accuracy "$tmp/py.out")" >>"$tmp/results"
done
load_end=$(load)
echo "load average at end (1, 5, 15 min): $load_end"

cpp_threads=$(sed -n 's/.*, \([0-9]*\) threads\{0,1\}$/\1/p' "$tmp/cpp.out")
sklearn=$(/usr/bin/python3 -c 'import sklearn; print(sklearn.__version__)')

echo
echo "$(value epochs "$tmp/py.out") epochs, fastest of $runs run(s) per seed; fashion_mnist" \
  "(Eigen, $cpp_threads thread(s)) against scikit-learn $sklearn MLPClassifier"
printf '%6s  %-26s  %-26s\n' "" "----- fashion_mnist ------" "------ scikit-learn ------"
printf '%6s  %8s %8s %8s  %8s %8s %8s\n' seed "wall s" "CPU s" accuracy "wall s" "CPU s" \
  accuracy
awk '{ printf "%6s  %8.1f %8.1f %8.4f  %8.1f %8.1f %8.4f\n", $1, $2, $3, $4, $5, $6, $7 }' \
  "$tmp/results"

# median COLUMN: the median of that column of $tmp/results
median() {
  cut -d' ' -f"$1" "$tmp/results" | sort -g | awk '
    { v[NR] = $1 }
    END { printf "%.2f\n", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
echo
awk -v cw="$(median 2)" -v cc="$(median 3)" -v pw="$(median 5)" -v pc="$(median 6)" '
  function ratio(a, b) { return b > 0 ? sprintf("%.3f", a / b) : "-" }
  function mean(v, n, i, s) { for (i = 1; i <= n; ++i) s += v[i]; return s / n }
  # sample standard deviation (n - 1), "-" for a single seed
  function sd(v, n, m, i, s) {
    if (n < 2) return "-"
    for (i = 1; i <= n; ++i) s += (v[i] - m) ^ 2
    return sprintf("%.4f", sqrt(s / (n - 1)))
  }
  { c[NR] = $4; p[NR] = $7 }
  END {
    n = NR; cm = mean(c, n); pm = mean(p, n)
    printf "%-40s %8s %8s %9s %9s\n", "summary over " n " seed(s)", "wall s", "CPU s", \
      "accuracy", "sd"
    printf "%-40s %8.2f %8.2f %9.4f %9s\n", "fashion_mnist (median time, mean acc.)", \
      cw, cc, cm, sd(c, n, cm)
    printf "%-40s %8.2f %8.2f %9.4f %9s\n", "scikit-learn (median time, mean acc.)", \
      pw, pc, pm, sd(p, n, pm)
    printf "%-40s %8s %8s %+9.4f\n", "fashion_mnist / scikit-learn", ratio(cw, pw), ratio(cc, pc), \
      cm - pm
    print "Times: median over the seeds; accuracy: mean and sample standard deviation (sd) over"
    print "the seeds; last line: ratios of the median times, difference of the mean accuracies."
  }' "$tmp/results"
echo "scikit-learn's BLAS: $(value blas "$tmp/py.out"). Times are whole processes (data loading"
echo "included; fashion_mnist also evaluates the test set after every epoch)."
echo "load average (1, 5, 15 min) at start: $load_start; at end: $load_end"
