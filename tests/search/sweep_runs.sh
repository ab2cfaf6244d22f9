#!/bin/sh
# SPDX-License-Identifier: MIT
# Whole sweeps, as processes (the driver is tests/search/sweep_driver.cpp).
#   sweep_runs.sh sigkill DRIVER TRAINER WORK: a sweep SIGKILLed mid-run, then run again: every
#     trial has one ok result, no trial with a result before the rerun starts again, the trainers
#     died with the sweep (PR_SET_PDEATHSIG), and their stale locks were reclaimed.
#   sweep_runs.sh shared DRIVER TRAINER WORK: two sweeps at once on overlapping ranges of one
#     directory: each trial runs exactly once.
# The fake trainer appends "start TRIAL PID" and "finish TRIAL PID" to WORK/side.log.
set -eu
mode=$1 driver=$2 trainer=$3 work=$4
out="$work/out" side="$work/side.log"
rm -rf "$work"
mkdir -p "$work"
: >"$side"

. "$(dirname "$0")/sweep_checks.sh"

# started TRIAL [FROM_LINE]: how many times the trial started (in lines after FROM_LINE)
started() {
  tail -n +"$((${2:-0} + 1))" "$side" | grep -c "^start $1 " || true
}

check_results() { # check_results FIRST LAST: one ok result of each trial, no lock left
  i=$1
  while [ "$i" -lt "$2" ]; do
    f=$(printf '%s/trial-%06d.json' "$out" "$i")
    [ -f "$f" ] || fail "no result for trial $i"
    grep -q '"status": "ok"' "$f" || fail "trial $i is not ok"
    grep -q "\"trial\": $i," "$f" || fail "$f is not the result of trial $i"
    i=$((i + 1))
  done
  if ls "$out" | grep -q '\.lock'; then
    fail "locks left: $(ls "$out" | grep '\.lock')"
  fi
}

case "$mode" in
sigkill)
  n=12
  "$driver" "$out" 0 $n 3 400 "$trainer" "{config}" "$side" >"$work/first.txt" 2>&1 &
  pid=$!
  # Kill it once 4 trials are done and others run.
  tries=0
  while :; do
    finished=$(count '^finish' "$side")
    starts=$(count '^start' "$side")
    if [ "$finished" -ge 4 ] && [ "$starts" -gt "$finished" ]; then
      break
    fi
    tries=$((tries + 1))
    [ $tries -lt 1200 ] || fail "the first sweep never got to 4 trials"
    kill -0 $pid 2>/dev/null || fail "the first sweep ended before it was killed"
    sleep 0.05
  done
  kill -9 $pid
  wait $pid 2>/dev/null || true
  # The trainers that were running die with it.
  # shellcheck disable=SC2046 # a PID a word
  wait_gone killed $(awk '$1 == "start" { print $3 }' "$side")
  lines=$(wc -l <"$side")
  done_before=$(ls "$out" | grep -c '^trial-[0-9]*\.json$' || true)
  locks_before=$(ls "$out" | grep -c '\.lock$' || true)
  before=$(ls "$out" | sed -n 's/^trial-0*\([0-9][0-9]*\)\.json$/\1/p' | tr '\n' ' ')
  [ "$done_before" -ge 4 ] || fail "only $done_before results before the rerun"
  [ "$done_before" -lt $n ] || fail "every trial was done before the kill"
  [ "$locks_before" -ge 1 ] || fail "the killed sweep left no lock to reclaim"

  "$driver" "$out" 0 $n 3 400 "$trainer" "{config}" "$side" >"$work/second.txt" 2>&1 ||
    fail "the second sweep failed"
  grep -q "^ran $((n - done_before)) skipped $done_before failed 0 busy 0$" "$work/second.txt" ||
    fail "the second sweep did not skip the $done_before done trials"
  check_results 0 $n
  i=0
  while [ $i -lt $n ]; do
    [ "$(started $i)" -ge 1 ] || fail "trial $i never started"
    again=$(started $i "$lines")
    # A trial done before the rerun does not run again; any other runs once in the rerun.
    if echo " $before " | grep -q " $i "; then
      [ "$again" -eq 0 ] || fail "trial $i was done, and ran again"
    else
      [ "$again" -eq 1 ] || fail "trial $i ran $again times in the rerun"
    fi
    i=$((i + 1))
  done
  echo "killed after $done_before of $n trials with $locks_before running; the rerun ran the rest"
  ;;
shared)
  "$driver" "$out" 0 10 2 50 "$trainer" "{config}" "$side" >"$work/a.txt" 2>&1 &
  a=$!
  "$driver" "$out" 4 14 2 50 "$trainer" "{config}" "$side" >"$work/b.txt" 2>&1 &
  b=$!
  wait $a || fail "sweep 0-10 failed"
  wait $b || fail "sweep 4-14 failed"
  check_results 0 14
  i=0
  while [ $i -lt 14 ]; do
    [ "$(started $i)" -eq 1 ] || fail "trial $i started $(started $i) times"
    i=$((i + 1))
  done
  echo "two sweeps on 0-10 and 4-14 ran each of the 14 trials once"
  ;;
*)
  echo "unknown mode $mode" >&2
  exit 2
  ;;
esac
