#!/usr/bin/env python3
"""The JSON Schema and the library must agree on every fixture.

For each file, the library's verdict comes from `hparams validate --format json FILE`, and the
schema's from Python's jsonschema (an independent validator, Debian's python3-jsonschema) on the
same bytes, parsed as strict JSON. A file is in agreement when both accept it or both reject it.

The library checks a few things no JSON Schema can express; a file the library rejects only for
those, and the schema accepts, is an expected difference and is listed with why. Any other
disagreement fails the test.
"""
import argparse
import json
import math
import subprocess
import sys

import jsonschema

# Library issues that a schema cannot express, and why.
BEYOND_SCHEMA = [
    ("duplicate_key", None, "JSON Schema sees the parsed object, in which a duplicate key is gone"),
    ("inconsistent", "/neurons", "a list's length cannot be compared with another field's value"),
    ("inconsistent", "/lr_schedule/warmup_epochs",
     "a value cannot be compared with another field's value (epochs)"),
    ("inconsistent", "/lr_schedule/min_lr",
     "a value cannot be compared with another field's value (learning_rate)"),
    ("type_error", "expected an integer, got",
     "the text is not an exact integer, but Python parses it to an integral float"),
    ("type_error", "without fraction or exponent",
     "above 2^53 a float-form integer is not exact; the schema sees the rounded value"),
    ("out_of_range", "too small for a double",
     "the number underflows to 0, which the schema then accepts"),
]


def strict_json(data):
    """Parse bytes as the library does: UTF-8 (a leading BOM skipped), no NaN/Infinity."""
    def reject_constant(name):
        raise ValueError("not JSON: " + name)

    def finite(text):
        value = float(text)
        if math.isinf(value):
            return value  # overflow: the schema's maximum rejects it
        return value

    text = data.decode("utf-8-sig")
    if "\x00" in text:
        raise ValueError("NUL byte")
    return json.loads(text, parse_constant=reject_constant, parse_float=finite)


def library_verdict(hparams, path):
    run = subprocess.run([hparams, "validate", "--format", "json", path],
                         capture_output=True, text=True, check=False)
    if run.returncode not in (0, 1):
        raise RuntimeError(f"hparams validate {path} exited {run.returncode}: {run.stderr}")
    return run.returncode == 0, json.loads(run.stdout)


def why_beyond_schema(issues):
    """The reason when every issue is one a schema cannot express, else None."""
    reasons = []
    for issue in issues:
        for code, detail, why in BEYOND_SCHEMA:
            if issue["code"] != code:
                continue
            if detail is None or issue["path"].endswith(detail) or detail in issue["message"]:
                reasons.append(why)
                break
        else:
            return None
    return "; ".join(sorted(set(reasons)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hparams", required=True)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()

    schema = json.loads(subprocess.run([args.hparams, "schema"], capture_output=True, text=True,
                                       check=True).stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)

    both_accept = both_reject = 0
    expected, unexpected = [], []
    for path in args.files:
        library_ok, issues = library_verdict(args.hparams, path)
        with open(path, "rb") as f:
            data = f.read()
        try:
            document = strict_json(data)
            errors = list(validator.iter_errors(document))
            schema_ok = not errors
            schema_says = "; ".join(e.message[:120] for e in errors[:3]) or "valid"
        except (ValueError, UnicodeDecodeError, RecursionError) as e:
            schema_ok, schema_says = False, f"not JSON ({str(e)[:80]})"
        if library_ok == schema_ok:
            if library_ok:
                both_accept += 1
            else:
                both_reject += 1
            continue
        why = None if library_ok else why_beyond_schema(issues)
        line = (f"{path}: library {'accepts' if library_ok else 'rejects'}, schema "
                f"{'accepts' if schema_ok else 'rejects'} ({schema_says})")
        if why:
            expected.append(f"{line}\n    expected: {why}")
        else:
            unexpected.append(line + "\n    library: " +
                              "; ".join(f"{i['path']} {i['code']}: {i['message'][:100]}"
                                        for i in issues))

    for line in expected:
        print(line)
    for line in unexpected:
        print("DISAGREEMENT: " + line)
    total = len(args.files)
    print(f"schema/library agreement: {both_accept + both_reject} of {total} files agree "
          f"({both_accept} accepted and {both_reject} rejected by both); "
          f"{len(expected)} expected differences (the library checks more); "
          f"{len(unexpected)} unexpected")
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
