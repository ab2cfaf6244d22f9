// SPDX-License-Identifier: MIT
#pragma once
// Catch2 v2 (one header) and v3 (split headers) behind one include; tests use only what both
// have: TEST_CASE, SECTION, REQUIRE/CHECK, GENERATE, INFO/CAPTURE and hptest::Contains.
#if HYPERPARAMS_CATCH2_V3
#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
#include <catch2/generators/catch_generators_range.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#else
#include <catch2/catch.hpp>
#endif

#include <string>

namespace hptest {
/// A string matcher for CHECK_THAT: substring test (v2 `Contains`, v3 `ContainsSubstring`).
inline auto Contains(const std::string& needle) {
#if HYPERPARAMS_CATCH2_V3
  return Catch::Matchers::ContainsSubstring(needle);
#else
  return Catch::Matchers::Contains(needle);
#endif
}
} // namespace hptest
