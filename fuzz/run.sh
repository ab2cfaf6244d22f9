#!/usr/bin/env bash
# Runs each fuzz target for SECONDS (default 60) with the dictionary, seeded from the test
# fixtures, and fails on any finding (crash, leak, timeout, invariant). Needs a build of the
# "fuzz" preset (cmake --workflow --preset fuzz). Fuzz longer with: fuzz/run.sh 3600
# New inputs are kept in build/fuzz/corpus/TARGET between runs; a finding is written to
# build/fuzz/findings/ -- fix it, then keep it as tests/data/fuzz/parse-NAME or
# tests/data/fuzz/overrides-NAME: the unit tests and the seed replay run it from then on
# (user-NAME, space-NAME, layers-NAME, report-NAME: the seed replay only).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
build=build/fuzz
mkdir -p "$build/findings"
status=0
for target in fuzz_parse fuzz_overrides fuzz_user fuzz_space fuzz_layers fuzz_report; do
  corpus="$build/corpus/$target"
  mkdir -p "$corpus"
  if [ "$target" = fuzz_parse ]; then
    seeds=(tests/data/corpus tests/data/schema examples/configs fuzz/seeds tests/data/fuzz)
  elif [ "$target" = fuzz_user ]; then
    seeds=(tests/data/user fuzz/seeds/user)
  elif [ "$target" = fuzz_space ]; then
    seeds=(tests/data/search fuzz/seeds/space)
  elif [ "$target" = fuzz_layers ]; then
    seeds=(fuzz/seeds/layers)
  elif [ "$target" = fuzz_report ]; then
    seeds=(fuzz/seeds/report)
  else
    seeds=(fuzz/seeds/overrides tests/data/fuzz)
  fi
  echo "== $target for ${seconds}s"
  log="$build/$target.log"
  if ! "$build/fuzz/$target" "$corpus" "${seeds[@]}" -dict=fuzz/hyperparams.dict \
      -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$build/findings/$target-" -print_final_stats=1 >"$log" 2>&1; then
    status=1
    echo "FINDING in $target:"
    tail -n 40 "$log"
  fi
  grep -E "stat::number_of_executed_units|stat::new_units_added|stat::peak_rss_mb" "$log" || true
done
exit $status
