#!/usr/bin/env python3
"""The JSON Schema and the library must agree on every fixture.

For each file, the library's verdict comes from `hparams validate --format json FILE`, and the
schema's from Python's jsonschema (an independent validator, Debian's python3-jsonschema) on the
same bytes, parsed as strict JSON. A file is in agreement when both accept it or both reject it.

The library checks a few things no JSON Schema can express; a file the library rejects only for
those, and the schema accepts, is an expected difference and is listed with why. Any other
disagreement fails the test. With --all-fixtures (as CTest runs it) the script also checks a file
one byte over the loader's size limit, and a listed difference that no file shows fails too.
"""
import argparse
import json
import math
import re
import os
import subprocess
import sys
import tempfile

import jsonschema


# Which issues an entry excuses: a test of the issue, the document and the schema.
def given(key):
    """The file sets `key` (so a rule cannot fall back on its default, as the schema's do)."""
    return lambda issue, document, schema: isinstance(document, dict) and key in document


def at(path, *also):
    return lambda issue, document, schema: issue["path"] == path and all(
        test(issue, document, schema) for test in also)


def message_has(text):
    return lambda issue, document, schema: text in issue["message"]


def warmup_below_most_epochs(issue, document, schema):
    """The schema itself rejects a warmup_epochs of the most epochs there can be, or more; only
    below that is the comparison with the file's epochs beyond it."""
    schedule = document.get("lr_schedule") if isinstance(document, dict) else None
    warmup = schedule.get("warmup_epochs") if isinstance(schedule, dict) else None
    return isinstance(warmup, (int, float)) and warmup < schema["properties"]["epochs"]["maximum"]


INEXACT = re.compile(r"expected an integer, got (-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)")


def inexact_integer(issue, document, schema):
    """A number text with a fraction or exponent that is not an exact integer, but whose nearest
    double is integral (32.0000000000000001): the schema sees 32.0."""
    match = INEXACT.fullmatch(issue["message"])
    return bool(match) and re.search("[.eE]", match[1]) is not None and \
        math.isfinite(float(match[1])) and float(match[1]).is_integer()


# Library issues that a schema cannot express: (code, which issues of that code, why). Each
# entry excuses only its own case, and with --all-fixtures each must excuse at least one file,
# so that the list stays exact.
BEYOND_SCHEMA = [
    ("duplicate_key", lambda issue, document, schema: True,
     "JSON Schema sees the parsed object, in which a duplicate key is gone"),
    ("inconsistent", at("/neurons", given("layers")),
     "a list's length cannot be compared with another field's value (layers, given in the file)"),
    ("inconsistent", at("/lr_schedule/warmup_epochs", given("epochs"), warmup_below_most_epochs),
     "a value cannot be compared with another field's value (epochs, given in the file)"),
    ("inconsistent", at("/lr_schedule/min_lr", given("learning_rate")),
     "a value cannot be compared with another field's value (learning_rate, given in the file)"),
    ("type_error", inexact_integer,
     "the text is not an exact integer, but Python parses it to an integral float"),
    ("out_of_range", message_has("too small for a double"),
     "the number underflows to 0, which the schema then accepts"),
    ("limit_exceeded", at("", message_has("is larger than the limit of")),
     "a schema sees the parsed value, not the size of the text (oversized.json, made here)"),
]

# The same for a user's own struct (tests/user/run_config.hpp, --profile user): its rules are code
# (a description's `rules`), which a schema cannot hold.
BEYOND_SCHEMA_USER = [
    ("duplicate_key", lambda issue, document, schema: True,
     "JSON Schema sees the parsed object, in which a duplicate key is gone"),
    ("inconsistent", lambda issue, document, schema: True,
     "the rules of a description are code, which a schema cannot hold"),
    ("out_of_range", message_has("too small for a "),
     "the number underflows to 0 (in a double, or in a float member), which the schema accepts"),
    ("limit_exceeded", at("", message_has("is larger than the limit of")),
     "a schema sees the parsed value, not the size of the text (oversized.json, made here)"),
]


def rounded_to_bound(error):
    """An integer in float form within an integer bound, which the library reads exactly from
    its digits (18446744073709551615.0), while Python rounds it to a double that is past the
    bound (2^64)."""
    return error.validator in ("maximum", "minimum") and isinstance(error.instance, float) and \
        error.instance.is_integer() and isinstance(error.validator_value, int) and \
        float(error.validator_value) == error.instance


# Schema errors of files that the library accepts, and why: the only way in which the schema is
# the stricter one. Checked like BEYOND_SCHEMA (index "stricter" in `used`).
SCHEMA_STRICTER = (rounded_to_bound,
                   "the library reads a float-form integer from its digits; Python rounds it to "
                   "a double past the bound")


# The loader's default size limit (LoadOptions::max_bytes), which `hparams validate` keeps.
MAX_BYTES = 1 << 20


LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def reject_lone_surrogates(value):
    """Python decodes a \\u escape of half a surrogate pair to a lone surrogate; JSON parsers
    that produce UTF-8, such as nlohmann's, reject it."""
    if isinstance(value, str):
        if LONE_SURROGATE.search(value):
            raise ValueError("a \\u escape of half a surrogate pair")
    elif isinstance(value, dict):
        for key, item in value.items():
            reject_lone_surrogates(key)
            reject_lone_surrogates(item)
    elif isinstance(value, list):
        for item in value:
            reject_lone_surrogates(item)
    return value


def strict_json(data):
    """Parse bytes as the library does: UTF-8 (a leading BOM skipped), no NaN/Infinity, no lone
    surrogates."""
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
    return reject_lone_surrogates(
        json.loads(text, parse_constant=reject_constant, parse_float=finite))


def library_verdict(hparams, path):
    run = subprocess.run([hparams, "validate", "--format", "json", path],
                         capture_output=True, text=True, check=False)
    if run.returncode not in (0, 1):
        raise RuntimeError(f"hparams validate {path} exited {run.returncode}: {run.stderr}")
    return run.returncode == 0, json.loads(run.stdout)


def why_beyond_schema(issues, document, schema, used, beyond):
    """The reason when every issue is one a schema cannot express, else None; adds the index of
    each entry that excused an issue to `used`."""
    reasons, entries = [], set()
    for issue in issues:
        for index, (code, matches, why) in enumerate(beyond):
            if issue["code"] == code and matches(issue, document, schema):
                reasons.append(why)
                entries.add(index)
                break
        else:
            return None
    used |= entries
    return "; ".join(sorted(set(reasons)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hparams", required=True)
    parser.add_argument("--all-fixtures", action="store_true",
                        help="the files are every fixture: also check a file one byte over the "
                             "size limit, and fail on a listed difference that no file shows")
    parser.add_argument("--profile", choices=["hyperparams", "user"], default="hyperparams",
                        help="which expected differences apply: HyperParams' (hparams) or those "
                             "of the test user struct (tests/user)")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        if args.all_fixtures:
            oversized = os.path.join(scratch, "oversized.json")
            with open(oversized, "w", encoding="ascii") as f:
                body = '"name": "n"' if args.profile == "user" else ""
                # a valid config, one byte too long
                f.write("{" + body + " " * (MAX_BYTES - 1 - len(body)) + "}")
            args.files.append(oversized)
        return check(args)


def check(args):
    beyond = BEYOND_SCHEMA_USER if args.profile == "user" else BEYOND_SCHEMA
    schema = json.loads(subprocess.run([args.hparams, "schema"], capture_output=True, text=True,
                                       check=True).stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)

    both_accept = both_reject = 0
    expected, unexpected = [], []
    used = set()
    for path in args.files:
        library_ok, issues = library_verdict(args.hparams, path)
        with open(path, "rb") as f:
            data = f.read()
        document = None
        errors = []
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
        if library_ok:
            why = None
            if errors and all(SCHEMA_STRICTER[0](e) for e in errors):
                why = SCHEMA_STRICTER[1]
                used.add("stricter")
        else:
            why = why_beyond_schema(issues, document, schema, used, beyond)
        line = (f"{path}: library {'accepts' if library_ok else 'rejects'}, schema "
                f"{'accepts' if schema_ok else 'rejects'} ({schema_says})")
        if why:
            expected.append(f"{line}\n    expected: {why}")
        else:
            unexpected.append(line + "\n    library: " +
                              "; ".join(f"{i['path']} {i['code']}: {i['message'][:100]}"
                                        for i in issues))

    unused = [f"UNUSED: the expected difference ({code}: {why}) excused no file; remove it or "
              f"add a fixture" for index, (code, _, why) in enumerate(beyond)
              if args.all_fixtures and index not in used]
    if args.all_fixtures and "stricter" not in used and args.profile == "hyperparams":
        unused.append(f"UNUSED: the expected difference ({SCHEMA_STRICTER[1]}) excused no file")
    for line in expected:
        print(line)
    for line in unexpected:
        print("DISAGREEMENT: " + line)
    for line in unused:
        print(line)
    total = len(args.files)
    print(f"schema/library agreement: {both_accept + both_reject} of {total} files agree "
          f"({both_accept} accepted and {both_reject} rejected by both); "
          f"{len(expected)} expected differences (listed in "
          f"{'the README' if args.profile == 'hyperparams' else 'check_agreement.py'}); "
          f"{len(unexpected)} unexpected")
    return 1 if unexpected or unused else 0


if __name__ == "__main__":
    sys.exit(main())
