#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs export_spaces and checks what it wrote: every W&B document against the W&B sweep schema,
every Katib document against Katib's OpenAPI schema and its admission webhook's rules, and the
warning codes (or the refusal) each case expects. Python 3 with jsonschema."""

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema

# case -> engine -> the (code, path) warnings expected, or "error: TEXT" for a refusal
EXPECTED = {
    "every_distribution": {
        "wandb": {("seed_ignored", ""), ("value_as_text", "neurons"),
                  ("condition_dropped", "optimizer.momentum"), ("step_approximated", "seed"),
                  ("int_log_uniform_approximated", "width")},
        "katib": {("condition_dropped", "optimizer.momentum"), ("step_approximated", "seed"),
                  ("int_log_uniform_approximated", "width")},
        "optuna": set(),
    },
    "grid_with_when": {
        "wandb": {("condition_dropped", "optimizer.momentum")},
        "katib": {("condition_dropped", "optimizer.momentum")},
        "optuna": {("grid_conditions_repeat", "")},
    },
    "sobol": {
        "wandb": {("sobol_as_random", ""), ("seed_ignored", ""), ("value_as_text", "augment")},
        "katib": {("sobol_as_random", ""), ("seed_reduced", "")},
        "optuna": {("sobol_not_our_points", ""), ("seed_reduced", "")},
    },
    "hostile": {
        "wandb": {("seed_ignored", ""), ("value_as_text", "tag"), ("value_as_text", "optimizer")},
        "katib": "error: unescaped",
        "optuna": set(),
    },
    "grid_trial_index": {"wandb": set(), "katib": set(), "optuna": set()},
    "sobol_trial_index": {"wandb": set(), "katib": set(), "optuna": set()},
    "optuna_e2e": {
        "wandb": {("seed_ignored", ""), ("condition_dropped", "optimizer.momentum")},
        "katib": {("condition_dropped", "optimizer.momentum")},
        "optuna": set(),
    },
    "overrides_only": {
        "wandb": {("seed_ignored", ""), ("value_as_text", "neurons"),
                  ("condition_dropped", "optimizer.momentum"), ("step_approximated", "seed"),
                  ("int_log_uniform_approximated", "width")},
        "katib": {("condition_dropped", "optimizer.momentum"), ("step_approximated", "seed"),
                  ("int_log_uniform_approximated", "width")},
        "optuna": set(),
    },
}

PLACEHOLDER = re.compile(r"\$\{trialParameters\..+?\}")
K8S_NAME = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
KATIB_METRIC = re.compile(r"^[\w-]+$")  # what the StdOut collector's default filter reads


def katib_webhook(doc):
    """The rules Katib's validating webhook adds to the OpenAPI types (see the schemas' README);
    a list of what breaks them."""
    errors = []
    spec = doc["spec"]
    if doc.get("apiVersion") != "kubeflow.org/v1beta1" or doc.get("kind") != "Experiment":
        errors.append("apiVersion/kind")
    if not K8S_NAME.match(doc.get("metadata", {}).get("name", "")):
        errors.append("metadata.name is not a Kubernetes name")
    max_trials = spec.get("maxTrialCount")
    if max_trials is not None and max_trials <= 0:
        errors.append("maxTrialCount must be > 0")
    parallel = spec.get("parallelTrialCount")
    if parallel is not None and (parallel <= 0 or (max_trials and parallel > max_trials)):
        errors.append("parallelTrialCount must be in (0, maxTrialCount]")
    objective = spec.get("objective", {})
    if objective.get("type") not in ("minimize", "maximize"):
        errors.append("objective.type")
    if not KATIB_METRIC.match(objective.get("objectiveMetricName", "")):
        errors.append("objectiveMetricName that the StdOut collector cannot read")
    algorithm = spec.get("algorithm", {})
    if algorithm.get("algorithmName") not in ("grid", "random"):
        errors.append("algorithmName")
    for setting in algorithm.get("algorithmSettings", []):
        if setting["name"] == "random_state" and not 0 <= int(setting["value"]) < 2**32:
            errors.append("random_state must be a 32-bit seed")
    if spec.get("metricsCollectorSpec", {}).get("collector", {}).get("kind") != "StdOut":
        errors.append("collector kind")
    names = set()
    parameters = spec.get("parameters", [])
    if not parameters:
        errors.append("spec.parameters must be specified")
    for p in parameters:
        kind, space = p.get("parameterType"), p.get("feasibleSpace", {})
        names.add(p["name"])
        if kind not in ("double", "int", "discrete", "categorical"):
            errors.append(f"{p['name']}: parameterType {kind}")
        if not space:
            errors.append(f"{p['name']}: empty feasibleSpace")
        if kind in ("double", "int"):
            if "list" in space or "min" not in space or "max" not in space:
                errors.append(f"{p['name']}: {kind} needs min and max and no list")
            for key in ("min", "max", "step"):
                if key in space:
                    (int if kind == "int" else float)(space[key])  # raises on a bad number
        if kind in ("discrete", "categorical"):
            if not space.get("list") or any(k in space for k in ("min", "max", "step")):
                errors.append(f"{p['name']}: {kind} needs a list and no min/max/step")
            if kind == "discrete":
                for v in space["list"]:
                    float(v)
        if space.get("distribution") not in (None, "uniform", "logUniform", "normal", "logNormal"):
            errors.append(f"{p['name']}: distribution {space['distribution']}")
    template = spec.get("trialTemplate", {})
    for key in ("primaryContainerName", "successCondition", "failureCondition"):
        if not template.get(key):
            errors.append(f"trialTemplate.{key} must be specified")
    trial_spec = template.get("trialSpec")
    text = json.dumps(trial_spec)  # Katib substitutes into the template's JSON text
    seen_names, seen_refs = set(), set()
    for tp in template.get("trialParameters") or []:
        name, ref = tp.get("name", ""), tp.get("reference", "")
        if not name or not ref or "{" in name or "}" in name or "." in name:
            errors.append(f"trialParameters: bad name/reference {tp}")
        if name in seen_names or ref in seen_refs:
            errors.append(f"trialParameters: {name} duplicated")
        seen_names.add(name)
        seen_refs.add(ref)
        if ref not in names:
            errors.append(f"trialParameters: reference {ref} names no parameter")
        placeholder = "${trialParameters.%s}" % name
        if placeholder not in text:
            errors.append(f"trialParameters: {placeholder} not in the template")
        text = text.replace(placeholder, "test-value")
    if PLACEHOLDER.search(text):
        errors.append(f"placeholders without trialParameters: {PLACEHOLDER.findall(text)}")
    substituted = json.loads(text)
    metadata = substituted.get("metadata", {})
    if metadata.get("name") or metadata.get("namespace"):
        errors.append("trialSpec metadata.name/namespace must be omitted")
    if substituted.get("apiVersion") != "batch/v1" or substituted.get("kind") != "Job":
        errors.append("trialSpec must be a batch/v1 Job")
    containers = substituted["spec"]["template"]["spec"]["containers"]
    if template.get("primaryContainerName") not in [c["name"] for c in containers]:
        errors.append("primaryContainerName names no container")
    return errors


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--export-spaces", required=True)
    parser.add_argument("--schemas", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args()
    subprocess.run([args.export_spaces, str(args.out)], check=True)

    wandb_schema = json.loads((args.schemas / "wandb-sweep.schema.json").read_text())
    katib_components = json.loads((args.schemas / "katib-v1beta1.openapi.json").read_text())
    katib_schema = {"$ref": "#/components/schemas/v1beta1.Experiment",
                    "components": katib_components["components"]}
    validators = {
        "wandb": jsonschema.Draft7Validator(wandb_schema),
        "katib": jsonschema.Draft7Validator(katib_schema),
    }
    failures, checked = [], 0
    written = {p.name for p in args.out.glob("*.json")}
    for case, engines in EXPECTED.items():
        for engine, expected in engines.items():
            name = f"{case}.{engine}.json"
            written.discard(name)
            result = json.loads((args.out / name).read_text())
            checked += 1
            if isinstance(expected, str):
                if "error" not in result or expected[len("error: "):] not in result["error"]:
                    failures.append(f"{name}: expected a refusal ({expected}), got {result}")
                continue
            if "error" in result:
                failures.append(f"{name}: refused: {result['error']}")
                continue
            codes = {(w["code"], w["path"]) for w in result["warnings"]}
            if codes != expected:
                failures.append(f"{name}: warnings {sorted(codes)}, expected {sorted(expected)}")
            doc = result["document"]
            if engine in validators:
                for error in validators[engine].iter_errors(doc):
                    failures.append(
                        f"{name}: schema: {error.message} at {list(error.absolute_path)}")
            if engine == "katib":
                failures += [f"{name}: webhook: {e}" for e in katib_webhook(doc)]
            if engine == "optuna":
                if doc["direction"] not in ("maximize", "minimize") or doc["n_trials"] <= 0:
                    failures.append(f"{name}: direction/n_trials")
    if written:
        failures.append(f"files without expectations: {sorted(written)}")
    for f in failures:
        print("FAIL", f)
    print(f"{checked} exports checked, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
