# SPDX-License-Identifier: MIT
# Shell helpers of the scripted sweep tests (sweep_runs.sh, cli_sweep_interrupted.sh), sourced
# after they set $work (a scratch directory with the sweeps' *.txt output) and $side (the
# trainers' "start ..." lines).

fail() {
  echo "FAIL: $*" >&2
  for f in "$work"/*.txt "$side"; do
    echo "--- $f" >&2
    cat "$f" >&2
  done
  exit 1
}

count() { # count PATTERN FILE: lines matching (0 when none)
  grep -c -- "$1" "$2" || true
}

# wait_gone WHAT PID...: fails unless every process has ended within 10 s
wait_gone() {
  what=$1
  shift
  for gone_pid in "$@"; do
    tries=0
    while kill -0 "$gone_pid" 2>/dev/null; do
      tries=$((tries + 1))
      [ $tries -lt 200 ] || fail "trainer $gone_pid outlived the $what sweep"
      sleep 0.05
    done
  done
}
