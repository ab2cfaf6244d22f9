#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fashion-MNIST: the example trainer (C++, Eigen) against scikit-learn's MLPClassifier with the
# same network and hyperparameters (benchmarks/fashion_mnist_vs_sklearn.json: 784-256-128-10,
# relu, Adam lr 1e-3, batch 64, 10 epochs, no dropout, no L2), taking turns on this machine.
# Prints the wall time, CPU time and test accuracy of each, and their ratio; with --runs N the
# fastest of N runs of each (other load on the machine only ever slows a run down).
#
#   benchmarks/fashion_mnist_vs_sklearn.sh [--data DIR] [--epochs N] [--seed N] [--runs N]
#                                          [--threads N]   (fashion_mnist's threads, default 1)
#
# Builds the example in build/release (cmake --preset release) first. Needs the dataset
# (apt-get install dataset-fashion-mnist) and /usr/bin/python3 with python3-sklearn.
set -euo pipefail
cd "$(dirname "$0")/.."

data=/usr/share/datasets/fashion-mnist
epochs=10
seed=42
runs=1
threads=1
while (($#)); do
  case "$1" in
  --data) data=$2; shift 2 ;;
  --epochs) epochs=$2; shift 2 ;;
  --seed) seed=$2; shift 2 ;;
  --runs) runs=$2; shift 2 ;;
  --threads) threads=$2; shift 2 ;;
  -h | --help) sed -n '3,14p' "$0" | cut -c3-; exit 0 ;;
  *) echo "unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done

[ -f build/release/build.ninja ] || cmake --preset release >/dev/null
cmake --build build/release --target fashion_mnist >/dev/null
exe=build/release/examples/fashion_mnist/fashion_mnist
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

value() { grep "^$1=" "$2" | tail -n 1 | cut -d= -f2-; }
# timed NAME COMMAND...: runs COMMAND with its output in $tmp/NAME.out and appends
# "wall cpu" (seconds; cpu = user + system) to $tmp/NAME.times
timed() {
  local name=$1
  shift
  local TIMEFORMAT='%R %U %S'
  { time "$@" >"$tmp/$name.out"; } 2>"$tmp/$name.time"
  tail -n 1 "$tmp/$name.time" | awk '{ printf "%.1f %.1f\n", $1, $2 + $3 }' >>"$tmp/$name.times"
}
fastest() { sort -n "$tmp/$1.times" | head -n 1; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for ((run = 1; run <= runs; ++run)); do
  echo "run $run/$runs (load average $(cut -d' ' -f1 /proc/loadavg)): fashion_mnist ..."
  timed cpp "$exe" benchmarks/fashion_mnist_vs_sklearn.json "epochs=$epochs" "seed=$seed" \
    --data "$data" --threads "$threads"
  echo "run $run/$runs (load average $(cut -d' ' -f1 /proc/loadavg)): scikit-learn ..."
  timed py /usr/bin/python3 benchmarks/fashion_mnist_sklearn.py --data "$data" \
    --epochs "$epochs" --seed "$seed"
done

read -r cpp_wall cpp_cpu < <(fastest cpp)
read -r py_wall py_cpu < <(fastest py)
cpp_accuracy=$(value accuracy "$tmp/cpp.out")
py_accuracy=$(value accuracy "$tmp/py.out")
cpp_threads=$(sed -n 's/.*, \([0-9]*\) threads\{0,1\}$/\1/p' "$tmp/cpp.out")
sklearn=$(/usr/bin/python3 -c 'import sklearn; print(sklearn.__version__)')

echo
printf '%-40s %8s %8s %9s\n' "$epochs epochs, seed $seed, fastest of $runs" "wall s" "CPU s" accuracy
printf '%-40s %8s %8s %9s\n' "fashion_mnist (Eigen, $cpp_threads thread(s))" "$cpp_wall" "$cpp_cpu" \
  "$cpp_accuracy"
printf '%-40s %8s %8s %9s\n' "scikit-learn $sklearn MLPClassifier" "$py_wall" "$py_cpu" "$py_accuracy"
awk -v cw="$cpp_wall" -v pw="$py_wall" -v cc="$cpp_cpu" -v pc="$py_cpu" -v ca="$cpp_accuracy" \
  -v pa="$py_accuracy" 'BEGIN {
    printf "%-40s %8.3f %8.3f %+9.4f\n", "fashion_mnist / scikit-learn", cw / pw, cc / pc, ca - pa
  }'
echo "scikit-learn's BLAS: $(value blas "$tmp/py.out"). Times are whole processes (data loading"
echo "included; fashion_mnist also evaluates the test set after every epoch)."
