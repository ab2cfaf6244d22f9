#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The Optuna driver end to end: exports the `optuna_e2e` space (four trials, optimizer.momentum
only under SGD) with export_spaces, runs tools/hparams_optuna.py on it with the hparams command
and the toy trainer, and checks that the four trials completed, each config is one the library
accepts with the trial's values, a conditional parameter appears only where its condition held,
and best.json is the best trial."""

import argparse
import json
import subprocess
import sys
from pathlib import Path


def main():
    parser = argparse.ArgumentParser()
    for name in ("--driver", "--export-spaces", "--hparams", "--trainer", "--out"):
        parser.add_argument(name, required=True)
    args = parser.parse_args()
    out = Path(args.out)
    subprocess.run([args.export_spaces, str(out / "exports")], check=True)
    exported = json.loads((out / "exports" / "optuna_e2e.optuna.json").read_text())
    assert not exported["warnings"], exported["warnings"]
    study = out / "study.json"
    study.write_text(json.dumps(exported["document"], indent=2))
    runs = out / "runs"
    for old in runs.glob("*") if runs.exists() else []:
        old.unlink()
    result = subprocess.run(
        [sys.executable, args.driver, str(study), "--program", args.hparams, "--out", str(runs),
         "--", args.trainer, "{config}"], capture_output=True, text=True)
    print(result.stdout, result.stderr)
    failures = []
    if result.returncode != 0:
        failures.append(f"the driver exited with {result.returncode}")
    if "4 of 4 trials completed" not in result.stdout:
        failures.append("not 4 of 4 trials completed")
    configs = sorted(runs.glob("trial-*.json"))
    if len(configs) != 4:
        failures.append(f"{len(configs)} trial configs, expected 4")
    scores = {}
    for path in configs:
        config = json.loads(path.read_text())
        checked = subprocess.run([args.hparams, "validate", str(path)], capture_output=True,
                                 text=True)
        if checked.returncode != 0:
            failures.append(f"{path.name}: hparams validate: {checked.stdout}{checked.stderr}")
        sgd = config["optimizer"]["name"] == "sgd"
        momentum = config["optimizer"].get("momentum")
        # momentum is searched only under sgd: in [0.5, 0.99] there, and adam has none at all
        if sgd and not (momentum is not None and 0.5 <= momentum <= 0.99):
            failures.append(f"{path.name}: sgd without a searched momentum: {config['optimizer']}")
        if not sgd and "momentum" in config["optimizer"]:
            failures.append(f"{path.name}: momentum outside its condition: {config['optimizer']}")
        if config["batch_size"] not in (16, 32, 64) or not 1e-4 <= config["learning_rate"] <= 1e-1:
            failures.append(f"{path.name}: values outside the space: {config}")
        log = path.with_suffix(".log").read_text()
        scores[path.name] = float(log.strip().splitlines()[-1].split("=")[1])
    best_path = runs / "best.json"
    if not best_path.exists():
        failures.append("no best.json")
    else:
        best = json.loads(best_path.read_text())
        top = max(scores.values()) if scores else None
        if top is None or abs(best["value"] - top) > 1e-9:
            failures.append(f"best.json's value {best['value']} is not the best score {top}")
        if best["value"] == 0:
            failures.append("best.json kept the first score=0 line: the last value must win")
    for f in failures:
        print("FAIL", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
