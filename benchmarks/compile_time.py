#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Compile time of translation units that use hyperparams, against their floors.

Each TU in benchmarks/compile/ is compiled as a user would (CXX -std=c++17 -O0|-O2 -c -I include)
REPS times, the runs of a pair interleaved (user, floor, user, floor, ...) so that both see the
same machine; the ratio is median(user) / median(floor). Times are the CPU time (user + system)
of the compiler and its children, which a busy machine disturbs less than the wall time; the wall
time is printed too.

    benchmarks/compile_time.py                 # g++, 7 repetitions
    CXX=clang++ benchmarks/compile_time.py     # another compiler
    benchmarks/compile_time.py --reps 1        # quick: does every TU still compile?

Exit status: 0 when every compile succeeded, whatever the ratios (a slow machine is no error);
1 when a compile failed; 2 for bad arguments.
"""

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# (key, user TU, floor TU, goal: the most user / floor may be, extra flags of the user TU).
# The "compiled" rows build the same user TU in compiled mode (-DHYPERPARAMS_COMPILED: the
# headers declare, hyperparams::compiled defines); the library's one .cpp is built once per
# project, not per TU, so it is not part of the ratio.
PAIRS = [
    ("core", "core_user.cpp", "core_floor.cpp", 1.30, []),
    ("json", "json_user.cpp", "json_floor.cpp", 1.15, []),
    ("core-compiled", "core_user.cpp", "core_floor.cpp", 1.30, ["-DHYPERPARAMS_COMPILED"]),
    ("json-compiled", "json_user.cpp", "json_floor.cpp", 1.15, ["-DHYPERPARAMS_COMPILED"]),
    # a user's own 30-field struct (nesting HyperParams): its reader is templates, instantiated
    # in the user's TU in both modes
    ("custom30", "custom30_user.cpp", "json_floor.cpp", 3.00, []),
    ("custom30-compiled", "custom30_user.cpp", "json_floor.cpp", 3.00, ["-DHYPERPARAMS_COMPILED"]),
]
LEVELS = ["-O0", "-O2"]


def compiler_version(cxx):
    try:
        out = subprocess.run(cxx + ["--version"], capture_output=True, text=True, check=True)
        return out.stdout.splitlines()[0].strip()
    except (OSError, subprocess.CalledProcessError, IndexError):
        return "unknown"


def compile_once(cmd):
    """Runs one compile; returns (cpu seconds of the compiler and its children, wall seconds)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    if proc.returncode != 0:
        sys.stderr.write(stderr.decode(errors="replace"))
        raise RuntimeError("failed (exit %d): %s" % (proc.returncode, shlex.join(cmd)))
    return usage.ru_utime + usage.ru_stime, wall


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=7, help="timed compiles of each TU (7)")
    parser.add_argument("--no-warmup", action="store_true",
                        help="skip the untimed first compile of each TU")
    parser.add_argument("--metric", choices=["cpu", "wall"], default="cpu",
                        help="what the ratio compares (cpu: user + system time; default)")
    parser.add_argument("--isystem", action="append", default=[], metavar="DIR",
                        help="extra system include directory (where nlohmann/json.hpp is)")
    parser.add_argument("--tsv", metavar="FILE", help="also write the results as TSV to FILE")
    args = parser.parse_args()
    if args.reps < 1:
        parser.error("--reps must be at least 1")

    cxx = shlex.split(os.environ.get("CXX") or "g++")
    base = cxx + ["-std=c++17", "-c", "-I", str(ROOT / "include")]
    for directory in args.isystem:
        base += ["-isystem", directory]
    version = compiler_version(cxx)
    print("compiler: %s (%s)" % (" ".join(cxx), version))
    print("flags:    -std=c++17 {-O0,-O2} -c -I include%s" %
          "".join(" -isystem " + d for d in args.isystem))
    print("timing:   %d compile%s of each TU, median %s time%s" %
          (args.reps, "" if args.reps == 1 else "s", "CPU (user + sys)" if args.metric == "cpu"
           else "wall", "" if args.no_warmup else ", after one untimed compile"))
    sys.stdout.flush()

    rows = []
    try:
        with tempfile.TemporaryDirectory(prefix="hp_compile_") as tmp:
            for key, user, floor, goal, flags in PAIRS:
                for level in LEVELS:
                    cmds = {}
                    for tu in (user, floor):
                        obj = os.path.join(tmp, tu + level + ".o")
                        extra = flags if tu == user else []
                        cmds[tu] = base + extra + [level, str(HERE / "compile" / tu), "-o", obj]
                    if not args.no_warmup:
                        for tu in (user, floor):
                            compile_once(cmds[tu])
                    times = {user: [], floor: []}
                    for rep in range(args.reps):
                        # alternate which goes first, so that neither always follows the other
                        order = (user, floor) if rep % 2 == 0 else (floor, user)
                        for tu in order:
                            times[tu].append(compile_once(cmds[tu]))
                    pick = 0 if args.metric == "cpu" else 1
                    med = {tu: statistics.median(t[pick] for t in times[tu]) for tu in times}
                    least = {tu: min(t[pick] for t in times[tu]) for tu in times}
                    wall = {tu: statistics.median(t[1] for t in times[tu]) for tu in times}
                    ratio = med[user] / med[floor]
                    rows.append((key, level, user, floor, med[user], med[floor], wall[user],
                                 wall[floor], ratio, goal, least[user] / least[floor]))
                    print("  %-13s %s  %-14s %6.2f s   %-15s %6.2f s   = %5.2fx  (goal <= %.2fx)"
                          "  %s   [wall %.2f s / %.2f s]" %
                          (key, level, user, med[user], floor, med[floor], ratio, goal,
                           "PASS" if ratio <= goal else "MISS", wall[user], wall[floor]))
                    sys.stdout.flush()
    except RuntimeError as error:
        print("compile_time.py: %s" % error, file=sys.stderr)
        return 1

    if args.tsv:
        with open(args.tsv, "w", encoding="utf-8") as out:
            out.write("# compiler\t%s\t%s\n" % (" ".join(cxx), version))
            out.write("# reps\t%d\t%s\n" % (args.reps, args.metric))
            for key, level, user, floor, tu_s, tf_s, _, _, ratio, goal, minima in rows:
                out.write("compile\t%s %s\t%s / %s\t%.4f\t%.4f\t%.4f\t%.2f\t%.4f\n" %
                          (key, level, user, floor, tu_s, tf_s, ratio, goal, minima))
    return 0


if __name__ == "__main__":
    sys.exit(main())
