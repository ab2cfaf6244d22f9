#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""hparams_optuna.py: runs an Optuna study that `export_optuna` (hyperparams/search_export.hpp)
described, with any trainer that takes a config file.

    hparams_optuna.py STUDY.json --program HPARAMS --out DIR [--trials N] [--storage URL] \\
        -- TRAINER {config} [args...]

Each trial suggests the study's parameters define-by-run (one applies only when its `when` holds
for the values suggested before it), makes the trial's config with `PROGRAM show - path=value...`
from the base config on stdin (in trial_index mode: `PROGRAM sample SPACE --trial I`), writes it
to DIR/trial-NNNN.json, runs the trainer with `{config}` replaced by that file, and reads the
metric from the trainer's stdout: `name=value` lines, the last one wins (Katib's StdOut form). A
failed trainer, a config the program refuses or a missing metric fails that trial; the study goes
on. At the end: a leaderboard on stdout and DIR/best.json (the best trial's number, value,
parameters and config). Exit status 0 when at least one trial completed, 1 otherwise, 2 for a
usage error. Python 3.11 standard library and optuna only.
"""

import argparse
import json
import math
import re
import subprocess
import sys
from pathlib import Path

import optuna

SCALARS = (type(None), bool, int, float, str)
METRIC_LINE = re.compile(r"^\s*([\w.-]+)\s*=\s*(\S+)\s*$")


def compact(value):
    """The compact JSON text of a value, as an override passes it."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def json_equal(a, b):
    """JSON equality: 1 == 1.0, but true is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return a == b


class Choices:
    """A categorical parameter's choices as Optuna takes them: scalars as they are, lists and
    objects as their JSON text (Optuna's choices are None, bool, int, float or str)."""

    def __init__(self, values):
        self.values = list(values)
        self.options = [v if isinstance(v, SCALARS) else compact(v) for v in self.values]

    def value_of(self, option):
        for opt, value in zip(self.options, self.values):
            if type(opt) is type(option) and opt == option:
                return value
        raise ValueError(f"not a choice: {option!r}")


def grid_values(distribution):
    """Every value a grid walks for a distribution (the exporter only writes walkable ones)."""
    kind = distribution["type"]
    if kind == "CategoricalDistribution":
        return Choices(distribution["choices"]).options
    if kind == "IntDistribution":
        return list(range(distribution["low"], distribution["high"] + 1, distribution["step"]))
    step = distribution.get("step")
    if step is None:
        raise SystemExit(f"a grid over a continuous FloatDistribution: {distribution}")
    n = int(round((distribution["high"] - distribution["low"]) / step)) + 1
    return [distribution["low"] + k * step for k in range(n)]


def suggest(trial, name, distribution):
    """The trial's value of one parameter, as JSON."""
    kind = distribution["type"]
    if kind == "CategoricalDistribution":
        choices = Choices(distribution["choices"])
        return choices.value_of(trial.suggest_categorical(name, choices.options))
    if kind == "IntDistribution":
        return trial.suggest_int(name, distribution["low"], distribution["high"],
                                 step=distribution.get("step") or 1,
                                 log=distribution.get("log", False))
    if kind == "FloatDistribution":
        return trial.suggest_float(name, distribution["low"], distribution["high"],
                                   step=distribution.get("step"),
                                   log=distribution.get("log", False))
    raise SystemExit(f"unknown distribution type {kind!r}")


def make_sampler(study, seed):
    kind = study.get("sampler", "tpe")
    if kind == "tpe":
        return optuna.samplers.TPESampler(seed=seed)
    if kind == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    if kind == "qmc":
        return optuna.samplers.QMCSampler(qmc_type="sobol", scramble=True, seed=seed)
    if kind == "grid":
        space = {p["path"]: grid_values(p["distribution"])
                 for p in study["parameters"] if "distribution" in p}
        return optuna.samplers.GridSampler(space, seed=seed)
    raise SystemExit(f"unknown sampler {kind!r}")


def read_metric(stdout, name):
    """The last `name=value` line's value, or None."""
    value = None
    for line in stdout.splitlines():
        m = METRIC_LINE.match(line)
        if m and m.group(1) == name:
            try:
                value = float(m.group(2))
            except ValueError:
                continue
    return value if value is not None and math.isfinite(value) else None


def condition_order(parameters):
    """The parameters with each after those its `when` refers to (else in the given order)."""
    known = {p["path"] for p in parameters}
    placed, out, left = set(), [], list(parameters)
    while left:
        ready = next((p for p in left
                      if all(c["path"] in placed or c["path"] not in known
                             for c in p.get("when", []))), None)
        if ready is None:
            raise SystemExit(f"`when` conditions in a cycle: {[p['path'] for p in left]}")
        left.remove(ready)
        placed.add(ready["path"])
        out.append(ready)
    return out


class Runner:
    """One trial: suggest, make the config, train, read the metric."""

    def __init__(self, study, args, trainer):
        self.study = study
        self.parameters = condition_order(study["parameters"])
        self.args = args
        self.trainer = trainer
        self.out = Path(args.out)

    def values(self, trial):
        assigned = {}
        for p in self.parameters:
            active = all(
                c["path"] in assigned
                and any(json_equal(assigned[c["path"]], v) for v in c["values"])
                for c in p.get("when", []))
            if not active:
                continue
            if "value" in p:
                assigned[p["path"]] = p["value"]
            else:
                assigned[p["path"]] = suggest(trial, p["path"], p["distribution"])
        return assigned

    def config(self, trial, assigned):
        program = self.args.program
        if "trial_index" in self.study:
            command = [program, "sample", self.study["trial_index"]["space"],
                       "--trial", str(assigned["trial"])]
            stdin = None
        else:
            command = [program, "show", "-"] + [f"{k}={compact(v)}" for k, v in assigned.items()]
            stdin = compact(self.study.get("base") or {})
        made = subprocess.run(command, input=stdin, capture_output=True, text=True)
        if made.returncode != 0:
            raise RuntimeError(f"{' '.join(command[:2])} refused the config: {made.stderr.strip()}")
        path = self.out / f"trial-{trial.number:04d}.json"
        path.write_text(made.stdout)
        return path

    def __call__(self, trial):
        try:
            return self.run(trial)
        except (RuntimeError, OSError) as error:
            trial.set_user_attr("error", str(error))
            raise

    def run(self, trial):
        assigned = self.values(trial)
        trial.set_user_attr("values", assigned)
        path = self.config(trial, assigned)
        trial.set_user_attr("config", str(path))
        argv = [a.replace("{config}", str(path)) for a in self.trainer]
        run = subprocess.run(argv, capture_output=True, text=True)
        log = self.out / f"trial-{trial.number:04d}.log"
        log.write_text(run.stdout + run.stderr)
        if run.returncode != 0:
            raise RuntimeError(f"the trainer exited with {run.returncode}: {run.stderr.strip()}")
        value = read_metric(run.stdout, self.study["metric"])
        if value is None:
            raise RuntimeError(f"the trainer printed no {self.study['metric']}=VALUE line")
        return value


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if "--" not in argv:
        print("usage: hparams_optuna.py STUDY.json --program P --out DIR [--trials N] "
              "[--storage URL] -- TRAINER {config} [args...]", file=sys.stderr)
        return 2
    split = argv.index("--")
    parser = argparse.ArgumentParser(prog="hparams_optuna.py")
    parser.add_argument("study", type=Path)
    parser.add_argument("--program", required=True, help="the command with show and sample")
    parser.add_argument("--out", required=True, help="where configs, logs and best.json go")
    parser.add_argument("--trials", type=int, help="instead of the study's n_trials")
    parser.add_argument("--storage", help="an Optuna storage URL (default: in memory)")
    args = parser.parse_args(argv[:split])
    trainer = argv[split + 1:]
    if not trainer:
        parser.error("no trainer command after --")

    study_doc = json.loads(args.study.read_text())
    if study_doc.get("format") != "hyperparams-optuna-study":
        parser.error(f"{args.study}: not a study that export_optuna wrote")
    Path(args.out).mkdir(parents=True, exist_ok=True)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(
        study_name=study_doc.get("name"), storage=args.storage,
        load_if_exists=args.storage is not None, direction=study_doc["direction"],
        sampler=make_sampler(study_doc, study_doc.get("seed")))
    runner = Runner(study_doc, args, trainer)
    n_trials = args.trials if args.trials is not None else study_doc["n_trials"]
    # a failed trial is recorded as FAIL by Optuna and the study goes on
    study.optimize(runner, n_trials=n_trials, catch=(RuntimeError, OSError))

    complete = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    complete.sort(key=lambda t: t.value, reverse=study_doc["direction"] == "maximize")
    print(f"{len(complete)} of {len(study.trials)} trials completed; "
          f"{study_doc['metric']} ({study_doc['direction']}):")
    for rank, t in enumerate(complete, 1):
        values = " ".join(f"{k}={compact(v)}" for k, v in t.user_attrs["values"].items())
        print(f"{rank:3d}. trial {t.number:4d}  {study_doc['metric']}={t.value:.6g}  {values}")
    for t in study.trials:
        if t.state == optuna.trial.TrialState.FAIL:
            print(f"     trial {t.number:4d}  FAIL  {t.user_attrs.get('error', '')}")
    if not complete:
        return 1
    best = complete[0]
    config = json.loads(Path(best.user_attrs["config"]).read_text())
    (Path(args.out) / "best.json").write_text(json.dumps(
        {"trial": best.number, "metric": study_doc["metric"], "value": best.value,
         "values": best.user_attrs["values"], "config": config}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
