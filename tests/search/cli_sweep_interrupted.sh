#!/bin/sh
# SPDX-License-Identifier: MIT
# `hparams sweep` stopped by SIGTERM, as a scheduler or Ctrl-C stops it, then run again:
#   cli_sweep_interrupted.sh HPARAMS SPACE WORK
# The first sweep's trainers hang; once two run, the sweep gets SIGTERM. It must exit 3
# (interrupted), stop its trainers, and leave neither a result nor a lock of the trials it
# stopped. The second sweep, with a trainer that prints the metric, runs every trial once and
# exits 0.
set -eu
hparams=$1 space=$2 work=$3
out="$work/out" side="$work/side.log"
rm -rf "$work"
mkdir -p "$work"
: >"$side"

. "$(dirname "$0")/sweep_checks.sh"

# shellcheck disable=SC2016 # $$ and $side expand in the trainer's shell
"$hparams" sweep "$space" --jobs 2 --out "$out" -- \
  sh -c 'echo "start $$" >>"$1"; exec sleep 120' trainer "$side" >"$work/first.txt" 2>&1 &
pid=$!
tries=0
until [ "$(count '^start' "$side")" -ge 2 ]; do
  tries=$((tries + 1))
  [ $tries -lt 600 ] || fail "two trainers never started"
  kill -0 $pid 2>/dev/null || fail "the sweep ended before it was stopped"
  sleep 0.05
done
kill -TERM $pid
rc=0
wait $pid || rc=$?
[ $rc -eq 3 ] || fail "an interrupted sweep exited with $rc, not 3"
# shellcheck disable=SC2046 # a PID a word
wait_gone interrupted $(awk '{ print $2 }' "$side")
if ls "$out" | grep -q '^trial-.*\.json$\|\.lock$'; then
  fail "the stopped trials left files: $(ls "$out")"
fi

trials=$("$hparams" sample "$space" --list | tail -n +2 | wc -l)
: >"$side"
# shellcheck disable=SC2016
"$hparams" sweep "$space" --jobs 2 --out "$out" -- \
  sh -c 'echo "start $$" >>"$1"; echo score=0.5' trainer "$side" >"$work/second.txt" 2>&1 ||
  fail "the sweep run again failed"
ran=$(count '^start' "$side")
[ "$ran" -eq "$trials" ] || fail "the sweep run again ran $ran trainers for $trials trials"
results=$(ls "$out" | grep -c '^trial-[0-9]*\.json$' || true)
[ "$results" -eq "$trials" ] || fail "$results results for $trials trials"
grep -q '"status": "ok"' "$out/trial-000000.json" || fail "trial 0 is not ok"
echo "stopped with two trials running: exit 3, nothing left of them; the rerun ran all $trials"
