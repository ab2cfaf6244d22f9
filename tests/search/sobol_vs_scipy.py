#!/usr/bin/env python3
"""The library's Sobol points must be SciPy's unscrambled ones, bit for bit.

sobol_points (tests/search/sobol_points.cpp) prints the first 2^m points of the first D
dimensions as 64-bit integers; SciPy makes the same with qmc.Sobol(d=D, scramble=False, bits=64),
an independent implementation (Bratley and Fox's recurrence on SciPy's own copy of the Joe-Kuo
table, stepped in Gray-code order). Three comparisons per case:

- the 64 direction integers v_1..v_64 of each dimension, against the engine's (`_sv`, private):
  the first 2^m points only use v_1..v_m, and point i of any index is the XOR of directions (a
  definition test_sobol.cpp checks), so this covers every index, 2^63 included;

- the integers: SciPy keeps them in the engine (`_quasi`, the last point drawn, a private
  attribute); stepping the engine one point at a time gives every one;
- the floats `random_base2(m)` returns, which SciPy makes as the integer times 2^-64 (so rounded
  to nearest, to 53 bits): ours converted the same way must be equal, exactly.

Any difference fails, naming the first points that differ.
"""
import argparse
import subprocess
import sys
import warnings

import numpy as np
from scipy.stats import qmc


def run(program, *args, rows, columns):
    """What `program args` prints: `rows` lines "index x_1 .. x_columns", as a uint64 table."""
    command = [program, *(str(a) for a in args)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({result.returncode}): {result.stderr}")
    lines = result.stdout.splitlines()
    if len(lines) != rows:
        sys.exit(f"{' '.join(command)} printed {len(lines)} lines, not {rows}")
    table = np.zeros((rows, columns), dtype=np.uint64)
    for i, line in enumerate(lines):
        fields = line.split()
        if len(fields) != columns + 1 or int(fields[0]) != i:
            sys.exit(f"{' '.join(command)}: line {i + 1} is not {i} and {columns} integers")
        table[i] = [int(x) for x in fields[1:]]
    return table


def ours(program, dimensions, points):
    return run(program, dimensions, points, rows=points, columns=dimensions)


def scipy_integers(dimensions, points):
    """SciPy's points as integers, or None when this SciPy keeps them elsewhere."""
    engine = qmc.Sobol(d=dimensions, scramble=False, bits=64)
    if not hasattr(engine, "_quasi"):
        return None
    table = np.zeros((points, dimensions), dtype=np.uint64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "balance properties ... power of 2": one at a time
        for i in range(points):
            engine.random(1)
            table[i] = engine._quasi
    return table


def report(what, ours_table, theirs, limit=10, names=("point", "dimension")):
    """Prints the differences; True when there are none."""
    bad = np.argwhere(ours_table != theirs)
    if len(bad) == 0:
        return True
    print(f"FAIL: {len(bad)} of {ours_table.size} coordinates differ from SciPy's ({what}):")
    for i, d in bad[:limit]:
        a, b = ours_table[i, d], theirs[i, d]
        if ours_table.dtype == np.uint64:
            a, b = f"0x{int(a):016x}", f"0x{int(b):016x}"
        else:
            a, b = float(a).hex(), float(b).hex()
        print(f"  {names[0]} {i}, {names[1]} {d}: ours {a}, SciPy {b}")
    return False


def check(program, dimensions, m):
    points = 2 ** m
    mine = ours(program, dimensions, points)
    ok = True

    engine = qmc.Sobol(d=dimensions, scramble=False, bits=64)
    if hasattr(engine, "_sv"):
        directions = run(program, "--directions", dimensions, rows=dimensions, columns=64)
        ok &= report("direction integers v_1..v_64, by 0-based k", directions,
                     engine._sv.astype(np.uint64), names=("dimension", "k"))
    else:
        print(f"note: this SciPy has no Sobol._sv; d={dimensions}: no direction integers")

    theirs = scipy_integers(dimensions, points)
    if theirs is None:
        print(f"note: this SciPy has no Sobol._quasi; d={dimensions}: floats only")
    else:
        ok &= report("integers", mine, theirs)

    engine = qmc.Sobol(d=dimensions, scramble=False, bits=64)
    floats = engine.random_base2(m)
    mine_floats = mine.astype(np.float64) * 2.0 ** -64  # rounded to nearest, as SciPy does
    ok &= report("floats of random_base2", mine_floats, floats)

    if ok:
        print(f"d={dimensions}: the 64 directions and all {mine.size} coordinates of the first"
              f" 2^{m} points equal SciPy's")
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points-program", required=True, help="the sobol_points executable")
    parser.add_argument("cases", nargs="*", default=["1024:8", "20:14"],
                        help="DIMENSIONS:M, for the first 2^M points (default: 1024:8 20:14)")
    args = parser.parse_args()
    ok = True
    for case in args.cases:
        dimensions, m = (int(x) for x in case.split(":"))
        ok &= check(args.points_program, dimensions, m)
    if not ok:
        sys.exit("the library's Sobol points differ from SciPy's (see above)")


if __name__ == "__main__":
    main()
