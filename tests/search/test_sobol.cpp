// SPDX-License-Identifier: MIT
#include <hyperparams/detail/sobol.hpp>

#include "catch_compat.hpp"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

using hyperparams::detail::sobol_directions;
using hyperparams::detail::sobol_max_dimensions;
using hyperparams::detail::SobolDimension;

namespace {

/// Checks row `d` (1-based, as the Joe-Kuo file numbers them) of the embedded table.
void check_row(std::size_t d, unsigned s, unsigned a, const std::vector<unsigned>& m) {
  INFO("dimension " << d);
  const auto& row = sobol_directions[d - 1];
  REQUIRE(row.degree == s);
  CHECK(row.coefficients == a);
  for (std::size_t k = 0; k < hyperparams::detail::sobol_table_max_degree; ++k) {
    INFO("m_" << (k + 1));
    CHECK(row.initial[k] == (k < m.size() ? m[k] : 0U));
  }
}

/// The XOR definition, written out apart from `point`: v_k for every set bit k of gray(i).
std::uint64_t by_definition(const SobolDimension& dimension, std::uint64_t index) {
  const std::uint64_t gray = index ^ (index >> 1);
  std::uint64_t x = 0;
  for (std::size_t k = 0; k < 64; ++k) {
    if (((gray >> k) & 1U) != 0) {
      x ^= dimension.directions()[k];
    }
  }
  return x;
}

/// The position (0-based) of the lowest zero bit of `i`: the direction that consecutive Gray
/// codes i and i + 1 differ in.
std::size_t lowest_zero_bit(std::uint64_t i) {
  std::size_t k = 0;
  while ((i & 1U) != 0) {
    i >>= 1;
    ++k;
  }
  return k;
}

} // namespace

TEST_CASE("the embedded table has the checksum the script computed", "[sobol]") {
  CHECK(hyperparams::detail::sobol_table_sha256() ==
        std::string(hyperparams::detail::sobol_directions_sha256));
  const std::string text = hyperparams::detail::sobol_table_text();
  CHECK(text.rfind("1 0 0\n2 1 0 1\n3 2 1 1 3\n", 0) == 0);
}

TEST_CASE("the first rows are those of new-joe-kuo-6.21201", "[sobol]") {
  // Rows 1-13 as SciPy's copy of the file (_sobol_direction_numbers.npz) has them; row 1 is
  // van der Corput, which the file leaves out.
  check_row(1, 0, 0, {});
  check_row(2, 1, 0, {1});
  check_row(3, 2, 1, {1, 3});
  check_row(4, 3, 1, {1, 3, 1});
  check_row(5, 3, 2, {1, 1, 1});
  check_row(6, 4, 1, {1, 1, 3, 3});
  check_row(7, 4, 4, {1, 3, 5, 13});
  check_row(8, 5, 2, {1, 1, 5, 5, 17});
  check_row(9, 5, 4, {1, 1, 5, 5, 5});
  // Dimension 10 is "10 5 7 1 1 7 11 19". A widely copied JavaScript Sobol generator (giotto's
  // math/sobol.js and the copies made of it) embeds the first ten rows and ends this one
  // "1 1 7 11 1": m_5 = 1 instead of 19. That is still an odd number below 2^5, so nothing
  // rejects it; the sequence is merely a different one.
  check_row(10, 5, 7, {1, 1, 7, 11, 19});
  check_row(11, 5, 11, {1, 1, 5, 1, 1});
  check_row(12, 5, 13, {1, 1, 1, 3, 11});
  check_row(13, 5, 14, {1, 3, 5, 5, 31});
  // and the last one embedded
  check_row(1024, 13, 3538, {1, 1, 5, 11, 11, 33, 37, 29, 263, 1019, 657, 1453, 7807});
}

TEST_CASE("the first Sobol points of dimensions 0 to 3", "[sobol]") {
  // In sixteenths: point i is (value / 16) * 2^64, in the Gray-code order.
  const std::vector<std::vector<std::uint64_t>> expected = {
      {0, 8, 12, 4, 6, 14, 10, 2, 3, 11, 15, 7, 5, 13, 9, 1},  // 0, 0.5, 0.75, 0.25, ...
      {0, 8, 4, 12, 6, 14, 2, 10, 5, 13, 1, 9, 3, 11, 7, 15},  // 0, 0.5, 0.25, 0.75, ...
      {0, 8, 4, 12, 10, 2, 14, 6, 15, 7, 11, 3, 5, 13, 1, 9},  // 0, 0.5, 0.25, 0.75, ...
      {0, 8, 4, 12, 14, 6, 10, 2, 7, 15, 3, 11, 9, 1, 13, 5}}; // 0, 0.5, 0.25, 0.75, ...
  for (std::size_t d = 0; d < expected.size(); ++d) {
    const SobolDimension dimension(d);
    for (std::uint64_t i = 0; i < 16; ++i) {
      INFO("dimension " << d << ", point " << i);
      CHECK(dimension.point(i) == expected[d][i] << 60);
    }
  }
}

TEST_CASE("points past the initial direction numbers", "[sobol]") {
  // Points 1000 and 12345 as SciPy 1.10 makes them (qmc.Sobol(d=1024, scramble=False, bits=64),
  // the engine's integers). They use v_1..v_14, so the recurrence past each degree (13 at most).
  struct Expected {
    std::size_t dimension;
    std::uint64_t at_1000;
    std::uint64_t at_12345;
  };
  const Expected expected[] = {
      {0, 0x3840000000000000, 0xa414000000000000},
      {1, 0x18c0000000000000, 0xd03c000000000000},
      {2, 0x84c0000000000000, 0x290c000000000000},
      {3, 0xad40000000000000, 0x86dc000000000000},
      // table dimension 10: both differ with the m_5 = 1 of the wrong copies
      {9, 0x11c0000000000000, 0x6dfc000000000000},
      {1023, 0xb6c0000000000000, 0x93bc000000000000},
  };
  for (const auto& e : expected) {
    INFO("dimension " << e.dimension);
    const SobolDimension dimension(e.dimension);
    CHECK(dimension.point(1000) == e.at_1000);
    CHECK(dimension.point(12345) == e.at_12345);
  }
}

TEST_CASE("any index is the XOR definition, and consecutive points one direction apart",
          "[sobol]") {
  const std::size_t d = GENERATE(as<std::size_t>{}, 0, 1, 9, 100, 1023);
  INFO("dimension " << d);
  const SobolDimension dimension(d);
  const std::uint64_t large[] = {(std::uint64_t{1} << 40) + 3, std::uint64_t{1} << 63,
                                 (std::uint64_t{1} << 63) + 12345, ~std::uint64_t{0}};
  for (const std::uint64_t i : large) {
    INFO("point " << i);
    CHECK(dimension.point(i) == by_definition(dimension, i));
    CHECK(dimension.point(i - 1) ==
          (dimension.point(i) ^ dimension.directions()[lowest_zero_bit(i - 1)]));
  }
  // 2^63 has Gray code 2^63 + 2^62: the last two directions
  CHECK(dimension.point(std::uint64_t{1} << 63) ==
        (dimension.directions()[63] ^ dimension.directions()[62]));
  // the incremental (Antonov-Saleev) generator agrees from the start
  std::uint64_t x = 0;
  for (std::uint64_t i = 0; i < 4096; ++i) {
    REQUIRE(dimension.point(i) == x);
    x ^= dimension.directions()[lowest_zero_bit(i)];
  }
}

TEST_CASE("every direction integer keeps its leading bit in place", "[sobol]") {
  // v_k = m_k 2^(64-k) with m_k odd: bit 64-k is set and no lower one, so the 64 directions
  // are linearly independent and the first 2^k points of a dimension are distinct.
  for (std::size_t d = 0; d < sobol_max_dimensions; ++d) {
    const SobolDimension dimension(d);
    for (std::size_t k = 1; k <= 64; ++k) {
      const std::uint64_t v = dimension.directions()[k - 1];
      if ((v & (~v + 1)) != (std::uint64_t{1} << (64 - k))) {
        FAIL("dimension " << d << ", v_" << k << " = " << v);
      }
    }
  }
}

TEST_CASE("dimensions past the table are refused", "[sobol]") {
  CHECK_NOTHROW(SobolDimension(sobol_max_dimensions - 1));
  CHECK_THROWS_AS(SobolDimension(sobol_max_dimensions), std::out_of_range);
}
