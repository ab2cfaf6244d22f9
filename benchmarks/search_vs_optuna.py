#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""hyperparams::search against Optuna, side by side in one run.

    /usr/bin/python3 benchmarks/search_vs_optuna.py BUILD/search_bench [--seconds S]
        [--optuna-seconds S] [--memory-trials N] [--memory-cap-gib G] [--memory-timeout S]
        [--max-exponent K] [--json FILE]

1. Trials per second on one space (learning_rate log-uniform [1e-4, 1e-1], batch_size one of
   32/64/128/256, dropout uniform [0, 0.5], optimizer.momentum uniform [0.8, 0.99], epochs
   integer [1, 20]): `search_bench` (values_at(i) and at(i) for random, grid and sobol) and
   Optuna's RandomSampler, GridSampler (the same 176,000-point grid) and QMCSampler (Sobol),
   each an ask / five suggest calls / tell(0.0) loop on an in-memory study, for a fresh
   study's first trials. GridSampler's cost per trial grows with the grid and the study: twice
   a trial it scans every trial and builds the set of all unvisited grid points. QMCSampler
   takes no categorical: batch_size is drawn by its RandomSampler.
2. Peak memory of a grid of 10^K points (five parameters, the same values on both sides):
   Optuna's GridSampler for K = 4, 5, ... in a subprocess each, under an address-space cap
   (setrlimit RLIMIT_AS) and a time cap, until one does not complete; hyperparams at each of
   those sizes and at 10^12. Each side's figure is its peak RSS less that of the same process
   with a one-point grid: the grid's extra memory.

Needs Debian's python3-optuna (3.1), which is why the interpreter is /usr/bin/python3. Nothing
is asserted about the figures: the exit status says whether everything ran.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time

BATCH_SIZES = [32, 64, 128, 256]
GRID_LEARNING_RATES = [1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2, 1e-1]


def throughput_grid():
    """The grid of search_bench's throughput run: 10 x 4 x 11 x 20 x 20 = 176,000 points."""
    return {
        "learning_rate": GRID_LEARNING_RATES,
        "batch_size": BATCH_SIZES,
        "dropout": [round(0.05 * k, 2) for k in range(11)],
        "optimizer.momentum": [round(0.8 + 0.01 * k, 2) for k in range(20)],
        "epochs": list(range(1, 21)),
    }


def big_grid(exponent):
    """search_bench's big_grid_space(exponent): five parameters of 10^d values each, the
    exponent's digits dealt out in turn (10^12: 1000 x 1000 x 100 x 100 x 100)."""
    digits = [exponent // 5 + (1 if i < exponent % 5 else 0) for i in range(5)]
    n = [10**d for d in digits]
    return {
        "learning_rate": [round(1e-4 * (k + 1), 4) for k in range(n[0])],
        "epochs": list(range(1, n[1] + 1)),
        "batch_size": list(range(1, n[2] + 1)),
        "dropout": [round(k / n[3], digits[3]) for k in range(n[3])],
        "optimizer.momentum": [round(k / n[4], digits[4]) for k in range(n[4])],
    }


def peak_rss_kib():
    """This process's peak resident set, KiB: VmHWM (reset by exec), not ru_maxrss, which on Linux
    keeps the peak of the process that forked it (this driver, 100+ MiB with Optuna imported)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def import_optuna():
    import warnings

    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
    return optuna


# ----- Optuna: trials per second ---------------------------------------------------------------


def optuna_throughput(seconds, max_trials):
    optuna = import_optuna()
    grid = throughput_grid()
    samplers = [
        ("random", lambda: optuna.samplers.RandomSampler(seed=7)),
        ("grid", lambda: optuna.samplers.GridSampler(grid, seed=7)),
        ("sobol", lambda: optuna.samplers.QMCSampler(
            qmc_type="sobol", seed=7, warn_independent_sampling=False)),
    ]
    results = []
    for method, make in samplers:
        study = optuna.create_study(sampler=make())  # in-memory storage

        def one_trial():
            trial = study.ask()
            trial.suggest_float("learning_rate", 1e-4, 1e-1, log=True)
            trial.suggest_categorical("batch_size", BATCH_SIZES)
            trial.suggest_float("dropout", 0.0, 0.5)
            trial.suggest_float("optimizer.momentum", 0.8, 0.99)
            trial.suggest_int("epochs", 1, 20)
            study.tell(trial, 0.0)

        for _ in range(5):  # warm-up; QMCSampler's first trial is an independent (random) one
            one_trial()
        n = 0
        start = time.perf_counter()
        elapsed = 0.0
        while elapsed < seconds and n < max_trials:
            one_trial()
            n += 1
            elapsed = time.perf_counter() - start
        results.append({"bench": "throughput", "side": "optuna", "method": method,
                        "api": "ask/suggest/tell", "trials": n, "seconds": round(elapsed, 4),
                        "trials_per_s": n / elapsed, "us_per_trial": elapsed * 1e6 / n,
                        "study_trials_before": 5})
    return results


# ----- Optuna: grid memory, one subprocess per size ---------------------------------------------


def optuna_memory_child(exponent, trials, cap_bytes):
    """Runs in the subprocess: the cap first, then Optuna, the grid and `trials` trials."""
    resource.setrlimit(resource.RLIMIT_AS, (cap_bytes, cap_bytes))
    grid = big_grid(exponent)
    try:
        optuna = import_optuna()
        start = time.perf_counter()
        sampler = optuna.samplers.GridSampler(grid, seed=7)
        built = time.perf_counter() - start
        study = optuna.create_study(sampler=sampler)
        top = {name: max(values) for name, values in grid.items()}

        def objective(trial):
            trial.suggest_float("learning_rate", 1e-4, top["learning_rate"])
            trial.suggest_int("epochs", 1, top["epochs"])
            trial.suggest_int("batch_size", 1, top["batch_size"])
            trial.suggest_float("dropout", 0.0, top["dropout"])
            trial.suggest_float("optimizer.momentum", 0.0, top["optimizer.momentum"])
            return 0.0

        # optimize, not ask/tell: GridSampler stops the study when its grid is exhausted (the
        # one-point baseline), which only optimize allows
        study.optimize(objective, n_trials=trials)
        total = time.perf_counter() - start
    except MemoryError:
        print(json.dumps({"status": "MemoryError", "max_rss_kib": peak_rss_kib()}))
        return 3
    print(json.dumps({"status": "ok", "max_rss_kib": peak_rss_kib(), "trials": trials,
                      "grid_build_s": round(built, 3), "total_s": round(total, 3)}))
    return 0


def optuna_memory(exponent, args):
    cmd = [sys.executable, os.path.abspath(__file__), "--optuna-memory-child", str(exponent),
           "--memory-trials", str(args.memory_trials if exponent > 0 else 1),
           "--memory-cap-gib", str(args.memory_cap_gib)]
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.memory_timeout,
                              env=env)
    except subprocess.TimeoutExpired:
        return {"status": "timeout after %g s" % args.memory_timeout, "exponent": exponent,
                "wall_s": round(time.perf_counter() - start, 1)}
    wall = round(time.perf_counter() - start, 1)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if lines:
        out = json.loads(lines[-1])
    else:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        out = {"status": "exit %d: %s" % (proc.returncode, tail[:120])}
    out.update({"exponent": exponent, "wall_s": wall})
    return out


# ----- hyperparams: search_bench ------------------------------------------------------------


def run_ours(binary, *args):
    proc = subprocess.run([binary, *args], capture_output=True, text=True, check=True)
    return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]


def mib(kib):
    return "%.1f MiB" % (kib / 1024.0)


def table(header, rows):
    cells = [header] + rows
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = []
    for i, row in enumerate(cells):
        lines.append("| " + " | ".join(c.ljust(widths[j]) for j, c in enumerate(row)) + " |")
        if i == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def rate(x):
    return "{:,.0f}".format(x)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary", nargs="?", help="the search_bench program")
    parser.add_argument("--seconds", type=float, default=0.5,
                        help="hyperparams: seconds per method and call (default 0.5)")
    parser.add_argument("--optuna-seconds", type=float, default=1.0,
                        help="Optuna: seconds per sampler (default 1.0)")
    parser.add_argument("--optuna-max-trials", type=int, default=20000,
                        help="Optuna: at most this many trials per sampler (default 20000)")
    parser.add_argument("--memory-trials", type=int, default=3,
                        help="Optuna: trials per grid in the memory runs (default 3)")
    parser.add_argument("--memory-cap-gib", type=float, default=4.0,
                        help="Optuna: address-space cap of each memory run (default 4 GiB)")
    parser.add_argument("--memory-timeout", type=float, default=60.0,
                        help="Optuna: time cap of each memory run, seconds (default 60)")
    parser.add_argument("--max-exponent", type=int, default=9,
                        help="Optuna: the largest grid tried is 10^K points (default 9)")
    parser.add_argument("--json", help="also write every measurement to this file, one a line")
    parser.add_argument("--optuna-memory-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    cap_bytes = int(args.memory_cap_gib * 2**30)
    if args.optuna_memory_child is not None:
        return optuna_memory_child(args.optuna_memory_child, args.memory_trials, cap_bytes)
    if not args.binary:
        parser.error("the search_bench program is required")
    optuna = import_optuna()
    records = []

    print("== hyperparams: %s --seconds %g" % (args.binary, args.seconds), file=sys.stderr)
    ours = run_ours(args.binary, "--seconds", str(args.seconds))
    records += ours
    print("== Optuna %s: ask/suggest/tell, %g s per sampler" % (optuna.__version__,
                                                                args.optuna_seconds),
          file=sys.stderr)
    theirs = optuna_throughput(args.optuna_seconds, args.optuna_max_trials)
    records += theirs

    print("== Optuna GridSampler memory: 10^K-point grids, cap %g GiB, %g s each"
          % (args.memory_cap_gib, args.memory_timeout), file=sys.stderr)
    optuna_base = optuna_memory(0, args)
    optuna_base["mode"] = "baseline"
    records.append(dict(optuna_base, bench="memory", side="optuna"))
    optuna_runs = []
    for exponent in range(4, args.max_exponent + 1):
        run = optuna_memory(exponent, args)
        print("   10^%d: %s" % (exponent, json.dumps(run)), file=sys.stderr)
        records.append(dict(run, bench="memory", side="optuna", mode="grid"))
        optuna_runs.append(run)
        if run.get("status") != "ok":
            break

    print("== hyperparams grid memory", file=sys.stderr)
    our_base = run_ours(args.binary, "--memory", "baseline")[0]
    records.append(our_base)
    our_mem = {}
    for exponent in sorted({run["exponent"] for run in optuna_runs} | {12}):
        our_mem[exponent] = run_ours(args.binary, "--memory", "grid", "--exponent", str(exponent))[0]
        records.append(our_mem[exponent])

    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps(r) + "\n")

    # ----- the tables ---------------------------------------------------------------------------
    by = {(r["method"], r["api"]): r for r in ours}
    rows = []
    for t in theirs:
        m = t["method"]
        va, at = by[(m, "values_at")], by[(m, "at")]
        rows.append([m, rate(va["trials_per_s"]), rate(at["trials_per_s"]), rate(t["trials_per_s"]),
                     "%d" % t["trials"], "%.0fx" % (va["trials_per_s"] / t["trials_per_s"]),
                     "%.0fx" % (at["trials_per_s"] / t["trials_per_s"])])
    print()
    print("trials per second, one run: hyperparams %s (search_bench, %g s each) and Optuna %s "
          "(in-memory study, ask + 5 suggest + tell(0.0), %g s or %d trials each, after 5)"
          % ("values_at(i) / at(i)", args.seconds, optuna.__version__, args.optuna_seconds,
             args.optuna_max_trials))
    print("grid: %d points on both sides; random and sobol: the continuous space"
          % by[("grid", "at")]["space_size"])
    print()
    print("Optuna's QMCSampler draws the categorical batch_size with its RandomSampler (it takes "
          "no categorical)")
    print()
    print(table(["method", "ours values_at/s", "ours at/s", "Optuna trials/s", "Optuna trials",
                 "values_at / Optuna", "at / Optuna"], rows))

    print()
    print("peak RSS (VmHWM); extra: less the same program with a one-point grid "
          "(hyperparams %s, Optuna %s)" % (mib(our_base["max_rss_kib"]),
                                            mib(optuna_base.get("max_rss_kib", 0))))
    print("Optuna: GridSampler(grid), study.optimize of %d trials, under RLIMIT_AS %g GiB and %g s; hyperparams: "
          "parse_space and 1000 trials at(i) spread over the grid"
          % (args.memory_trials, args.memory_cap_gib, args.memory_timeout))
    print()
    rows = []
    for exponent in sorted(our_mem):
        o = our_mem[exponent]
        run = next((r for r in optuna_runs if r["exponent"] == exponent), None)
        our_extra = o["max_rss_kib"] - our_base["max_rss_kib"]
        ours_cell = "%s (%+d KiB)" % (mib(o["max_rss_kib"]), our_extra)
        if run is None:
            theirs_cell, ratio, secs = "not tried", "-", "-"
        elif run.get("status") == "ok":
            extra = run["max_rss_kib"] - optuna_base.get("max_rss_kib", 0)
            theirs_cell = "%s (+%s)" % (mib(run["max_rss_kib"]), mib(extra))
            ratio = "{:,.0f}x".format(extra / our_extra) if our_extra > 0 else "-"
            secs = "%.1f s" % run["wall_s"]
        else:
            theirs_cell, ratio, secs = run["status"], "-", "%.1f s" % run["wall_s"]
        rows.append(["10^%d" % exponent, ours_cell, theirs_cell, secs, ratio])
    print(table(["grid points", "ours peak (extra)", "Optuna peak (extra)", "Optuna wall",
                 "extra: Optuna / ours"], rows))
    print("(ours: a few 4 KiB pages, the temporaries of the 1000 trials)")
    survived = [r for r in optuna_runs if r.get("status") == "ok"]
    if survived:
        print()
        last = optuna_runs[-1]
        print("Optuna's largest grid that completed: 10^%d points%s" % (
            survived[-1]["exponent"],
            "" if last.get("status") != "ok" else " (the largest tried: --max-exponent)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
