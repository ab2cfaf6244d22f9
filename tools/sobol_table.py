#!/usr/bin/python3
"""Writes include/hyperparams/detail/sobol_directions.hpp: Joe and Kuo's Sobol direction numbers.

The source is the copy of "new-joe-kuo-6.21201" that SciPy ships (Debian's python3-scipy), an
.npz of two arrays: `poly` (21201,) and `vinit` (21201, 18). Row 0 is dimension 1 (van der
Corput: poly 1, all m = 1); row d-1 is the file's row for dimension d. SciPy encodes the file's
degree s and coefficient a as poly = 2 * a + 2**s + 1 (the primitive polynomial with its leading
and constant terms), and vinit[d-1, :s] holds m_1..m_s, zero after.

The header gets the first DIMENSIONS rows as (s, a, m_1..m_s), and the SHA-256 of their canonical
text, which sobol_table_sha256() in detail/sobol.hpp recomputes from the embedded data: one line
per dimension d = 1..DIMENSIONS, "d s a m_1 ... m_s" in decimal, single spaces, each line ended
by "\\n" (dimension 1 is "1 0 0").

    /usr/bin/python3 tools/sobol_table.py            # rewrite the header
    /usr/bin/python3 tools/sobol_table.py --check    # fail if the header is not what it writes
"""
import argparse
import hashlib
import pathlib
import sys

import numpy as np

NPZ = "/usr/lib/python3/dist-packages/scipy/stats/_sobol_direction_numbers.npz"
DIMENSIONS = 1024
ROOT = pathlib.Path(__file__).resolve().parent.parent
HEADER = ROOT / "include/hyperparams/detail/sobol_directions.hpp"

LICENCE = """\
Copyright (c) 2008, Frances Y. Kuo and Stephen Joe
All rights reserved.

Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are met:

    * Redistributions of source code must retain the above copyright
      notice, this list of conditions and the following disclaimer.

    * Redistributions in binary form must reproduce the above copyright
      notice, this list of conditions and the following disclaimer in the
      documentation and/or other materials provided with the distribution.

    * Neither the names of the copyright holders nor the names of the
      University of New South Wales and the University of Waikato
      and its contributors may be used to endorse or promote products derived
      from this software without specific prior written permission.

THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS ``AS IS'' AND ANY
EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDERS BE LIABLE FOR ANY
DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES
(INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES;
LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER CAUSED AND
ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR TORT
(INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE OF THIS
SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE."""


def rows(npz_path):
    """(d, s, a, [m_1..m_s]) for d = 1..DIMENSIONS, checked for what a Sobol table must be."""
    data = np.load(npz_path)
    poly, vinit = data["poly"], data["vinit"]
    if poly.shape != (21201,) or vinit.shape != (21201, 18):
        sys.exit(f"{npz_path}: unexpected shapes {poly.shape}, {vinit.shape}")
    out = []
    for index in range(DIMENSIONS):
        p = int(poly[index])
        s = p.bit_length() - 1
        a = (p - (1 << s) - 1) // 2
        m = [int(x) for x in vinit[index, :s]]
        if index == 0:
            # dimension 1: the degenerate polynomial 1, van der Corput (every m_k = 1)
            if p != 1 or int(vinit[0, 0]) != 1:
                sys.exit("dimension 1 is not van der Corput")
            out.append((1, 0, 0, []))
            continue
        if p & 1 != 1 or not 0 <= a < (1 << max(s - 1, 0)):
            sys.exit(f"dimension {index + 1}: poly {p} is not 2a + 2^s + 1")
        for k, mk in enumerate(m, start=1):
            if mk % 2 != 1 or mk >= (1 << k):
                sys.exit(f"dimension {index + 1}: m_{k} = {mk} is not odd and < 2^{k}")
        if any(int(x) != 0 for x in vinit[index, s:]):
            sys.exit(f"dimension {index + 1}: vinit has values past its degree {s}")
        out.append((index + 1, s, a, m))
    return out


def canonical_text(table):
    return "".join(" ".join(str(x) for x in (d, s, a, *m)) + "\n" for d, s, a, m in table)


def header(table):
    max_degree = max(s for _, s, _, _ in table)
    digest = hashlib.sha256(canonical_text(table).encode("ascii")).hexdigest()
    licence = "\n".join(("/// " + line).rstrip() for line in LICENCE.splitlines())
    lines = [
        "// SPDX-License-Identifier: MIT AND BSD-3-Clause",
        "// The direction numbers are Joe and Kuo's, under their BSD licence (see below).",
        "#pragma once",
        "",
        "/// \\file",
        f"/// Sobol direction numbers for the first {len(table)} dimensions: Joe and Kuo's",
        '/// "new-joe-kuo-6.21201" (search criterion D(6), the set they recommend), from',
        "/// S. Joe and F. Y. Kuo, \"Constructing Sobol sequences with better two-dimensional",
        "/// projections\", SIAM J. Sci. Comput. 30 (2008) 2635-2654;",
        "/// https://web.maths.unsw.edu.au/~fkuo/sobol/. `detail/sobol.hpp` makes the points.",
        "///",
        "/// Generated by tools/sobol_table.py from the copy SciPy ships",
        "/// (scipy/stats/_sobol_direction_numbers.npz); do not edit by hand. Data only.",
        "/// `sobol_directions_sha256` is the SHA-256 of the table's canonical text (one line",
        '/// "d s a m_1 ... m_s\\n" per dimension, see the script), which `sobol_table_sha256()`',
        "/// recomputes from these arrays.",
        "///",
        "/// The direction numbers' licence:",
        "///",
        licence,
        "",
        "#include <cstddef>",
        "#include <cstdint>",
        "",
        "namespace hyperparams::detail {",
        "",
        "/// How many dimensions the table holds.",
        f"inline constexpr std::size_t sobol_table_dimensions = {len(table)};",
        "/// The largest degree among them: the length of `SobolDirectionRow::initial`.",
        f"inline constexpr std::size_t sobol_table_max_degree = {max_degree};",
        "",
        "/// One dimension d of the table (row d - 1): its primitive polynomial",
        "/// x^s + a_1 x^(s-1) + ... + a_(s-1) x + 1 and its initial direction numbers m_1..m_s.",
        "struct SobolDirectionRow {",
        "  std::uint8_t degree;        ///< s; 0 for dimension 1 (van der Corput: every m_k = 1)",
        "  std::uint16_t coefficients; ///< a: the bits a_1..a_(s-1), a_1 the most significant",
        "  std::uint16_t initial[sobol_table_max_degree]; ///< m_1..m_s (odd, m_k < 2^k), 0 after",
        "};",
        "",
        "/// The table, by 0-based dimension; each line's comment is the file's dimension number.",
        "// clang-format off",
        "inline constexpr SobolDirectionRow sobol_directions[sobol_table_dimensions] = {",
    ]
    for d, s, a, m in table:
        lines.append(f"    {{{s}, {a}, {{{', '.join(str(x) for x in m)}}}}}, // {d}")
    lines += [
        "};",
        "// clang-format on",
        "",
        "/// SHA-256 of the canonical text of `sobol_directions` (see the \\file comment).",
        "inline constexpr char sobol_directions_sha256[] =",
        f'    "{digest}";',
        "",
        "} // namespace hyperparams::detail",
        "",
    ]
    return "\n".join(lines), digest


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--npz", default=NPZ, help="SciPy's _sobol_direction_numbers.npz")
    parser.add_argument("--output", type=pathlib.Path, default=HEADER)
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args()
    text, digest = header(rows(args.npz))
    if args.check:
        if args.output.read_text(encoding="ascii") != text:
            sys.exit(f"{args.output} differs from what {sys.argv[0]} writes")
        print(f"{args.output} is current (sha256 {digest})")
        return
    args.output.write_text(text, encoding="ascii")
    print(f"wrote {args.output} (sha256 of the table's canonical text: {digest})")


if __name__ == "__main__":
    main()
