// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Sobol points, 64 bits per coordinate, for the first `sobol_max_dimensions` dimensions, with
/// Joe and Kuo's direction numbers (`detail/sobol_directions.hpp`). Point `i` of a dimension is
/// computed directly from `i` (at most 64 XORs), so trial `i` of a sweep needs no earlier point;
/// the order is the Gray-code order Joe and Kuo's generator and SciPy's `qmc.Sobol` use, so
/// point `i` equals SciPy's `i`-th unscrambled point (`scramble=False, bits=64`).

#include "hyperparams/detail/sha256.hpp"
#include "hyperparams/detail/sobol_directions.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace hyperparams::detail {

/// How many dimensions (parameters of one Sobol sweep) there are direction numbers for.
inline constexpr std::size_t sobol_max_dimensions = 1024;
static_assert(sobol_max_dimensions == sobol_table_dimensions);

/// One coordinate of the Sobol sequence: its 64 direction integers v_1..v_64, where
/// v_k = m_k * 2^(64-k), m_1..m_s from the table and, for k > s, Joe and Kuo's recurrence
///     m_k = 2 a_1 m_(k-1) ^ 4 a_2 m_(k-2) ^ ... ^ 2^(s-1) a_(s-1) m_(k-s+1) ^ 2^s m_(k-s) ^
///     m_(k-s)
/// (dimension 0, van der Corput, has every m_k = 1).
class SobolDimension {
public:
  /// `dimension` is 0-based: 0 is van der Corput, 1 the table's dimension 2, ...
  /// \throws std::out_of_range for `dimension >= sobol_max_dimensions`
  explicit SobolDimension(std::size_t dimension) {
    if (dimension >= sobol_max_dimensions) {
      throw std::out_of_range("Sobol dimension " + std::to_string(dimension) +
                              " is past the last one there are direction numbers for (" +
                              std::to_string(sobol_max_dimensions - 1) + ")");
    }
    const SobolDirectionRow& row = sobol_directions[dimension];
    const std::size_t s = row.degree;
    std::array<std::uint64_t, 65> m{}; // m[k] for k = 1..64; m_k < 2^k, so it fits
    for (std::size_t k = 1; k <= 64; ++k) {
      if (s == 0) {
        m[k] = 1;
      } else if (k <= s) {
        m[k] = row.initial[k - 1];
      } else {
        std::uint64_t next = m[k - s] ^ (m[k - s] << s);
        for (std::size_t j = 1; j < s; ++j) {
          if ((static_cast<std::uint64_t>(row.coefficients) >> (s - 1 - j)) & 1U) {
            next ^= m[k - j] << j;
          }
        }
        m[k] = next;
      }
      directions_[k - 1] = m[k] << (64 - k);
    }
  }

  /// The coordinate of point `index` as a 64-bit fraction (the point is `point(index) / 2^64`,
  /// in [0, 1)): the XOR of v_k over the set bits k (1 = least significant) of the Gray code
  /// `index ^ (index >> 1)`. Point 0 is 0.
  [[nodiscard]] std::uint64_t point(std::uint64_t index) const {
    const std::uint64_t gray = index ^ (index >> 1);
    std::uint64_t x = 0;
    for (std::size_t k = 0; k < 64; ++k) {
      if ((gray >> k) & 1U) {
        x ^= directions_[k];
      }
    }
    return x;
  }

  /// v_1..v_64 (v_1 at [0]), for tests and for stepping through consecutive points.
  [[nodiscard]] const std::array<std::uint64_t, 64>& directions() const { return directions_; }

private:
  std::array<std::uint64_t, 64> directions_{};
};

/// The canonical text of the embedded table: one line "d s a m_1 ... m_s\n" per dimension
/// d = 1..sobol_max_dimensions, decimal, single spaces (dimension 1 is "1 0 0"); what
/// tools/sobol_table.py hashes.
inline std::string sobol_table_text() {
  std::string text;
  for (std::size_t d = 0; d < sobol_table_dimensions; ++d) {
    const SobolDirectionRow& row = sobol_directions[d];
    text += std::to_string(d + 1);
    text += ' ';
    text += std::to_string(row.degree);
    text += ' ';
    text += std::to_string(row.coefficients);
    for (std::size_t k = 0; k < row.degree; ++k) {
      text += ' ';
      text += std::to_string(row.initial[k]);
    }
    text += '\n';
  }
  return text;
}

/// SHA-256 (lower-case hex) of `sobol_table_text()`: equals `sobol_directions_sha256` unless the
/// embedded table was changed without the script.
inline std::string sobol_table_sha256() {
  const auto digest = sha256(sobol_table_text());
  return hex(digest.data(), digest.size());
}

} // namespace hyperparams::detail
