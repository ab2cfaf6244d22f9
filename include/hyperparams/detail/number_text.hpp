// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The text of JSON numbers (RFC 8259, section 6): how long a number is, and the integer its
/// digits denote. Standard library only. Not for users.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace hyperparams::detail {

/// Length of the JSON number at the start of `t`, by the grammar: a lexer ends a number there
/// too ("032" is the number 0 followed by the number 32); 0 when no number starts there.
constexpr std::size_t json_number_length(std::string_view t) {
  std::size_t p = 0;
  const auto digits = [&] {
    const std::size_t start = p;
    while (p < t.size() && t[p] >= '0' && t[p] <= '9') {
      ++p;
    }
    return p > start;
  };
  if (p < t.size() && t[p] == '-') {
    ++p;
  }
  if (p < t.size() && t[p] == '0') {
    ++p;
  } else if (!digits()) {
    return 0;
  }
  if (p + 1 < t.size() && t[p] == '.' && t[p + 1] >= '0' && t[p + 1] <= '9') {
    ++p;
    digits();
  }
  if (p < t.size() && (t[p] == 'e' || t[p] == 'E')) {
    std::size_t q = p + 1;
    if (q < t.size() && (t[q] == '+' || t[q] == '-')) {
      ++q;
    }
    if (q < t.size() && t[q] >= '0' && t[q] <= '9') {
      p = q;
      digits();
    }
  }
  return p;
}

/// Whether `t` is exactly one JSON number.
constexpr bool is_json_number(std::string_view t) {
  return !t.empty() && json_number_length(t) == t.size();
}

/// The integer that the text of a JSON number denotes, decided on its digits and never through
/// a double: "32.0", "1e2" and "9007199254740993.0" are the integers 32, 100 and
/// 9007199254740993; "32.5" and "32.0000000000000001" are not integers.
struct IntegerText {
  bool integral = false;       ///< the text denotes an integer exactly
  bool negative = false;       ///< a leading '-' (also of "-0")
  bool overflow = false;       ///< integral, but its magnitude is 2^64 or more
  std::uint64_t magnitude = 0; ///< valid when integral and not overflow
};

/// Reads `t`, the text of one JSON number (as a JSON lexer accepted it).
constexpr IntegerText integer_of_text(std::string_view t) {
  IntegerText out;
  std::size_t p = 0;
  if (p < t.size() && t[p] == '-') {
    out.negative = true;
    ++p;
  }
  const std::size_t int_begin = p;
  while (p < t.size() && t[p] >= '0' && t[p] <= '9') {
    ++p;
  }
  const std::size_t int_count = p - int_begin;
  std::size_t frac_begin = p;
  std::size_t frac_count = 0;
  if (p < t.size() && t[p] == '.') {
    frac_begin = ++p;
    while (p < t.size() && t[p] >= '0' && t[p] <= '9') {
      ++p;
    }
    frac_count = p - frac_begin;
  }
  constexpr long long exponent_cap = 1000000000; // beyond any digit count a text can have
  long long exponent = 0;
  if (p < t.size() && (t[p] == 'e' || t[p] == 'E')) {
    ++p;
    bool negative_exponent = false;
    if (p < t.size() && (t[p] == '+' || t[p] == '-')) {
      negative_exponent = t[p] == '-';
      ++p;
    }
    for (; p < t.size() && t[p] >= '0' && t[p] <= '9'; ++p) {
      exponent = exponent * 10 + (t[p] - '0');
      if (exponent > exponent_cap) {
        exponent = exponent_cap;
      }
    }
    exponent = negative_exponent ? -exponent : exponent;
  }
  // The significant digits d[0..digit_count) are the integer digits then the fraction digits; the
  // decimal point stands after `point` of them.
  const long long digit_count = static_cast<long long>(int_count + frac_count);
  const auto digit = [&](long long i) -> unsigned {
    const auto index = static_cast<std::size_t>(i);
    return static_cast<unsigned>(
        (index < int_count ? t[int_begin + index] : t[frac_begin + index - int_count]) - '0');
  };
  const long long point = static_cast<long long>(int_count) + exponent;
  for (long long i = point < 0 ? 0 : point; i < digit_count; ++i) {
    if (digit(i) != 0) {
      return out; // a non-zero digit after the point
    }
  }
  out.integral = true;
  long long first = 0; // the first non-zero digit of the integer part
  while (first < point && first < digit_count && digit(first) == 0) {
    ++first;
  }
  if (first >= point || first >= digit_count) {
    return out; // zero
  }
  if (point - first > 20) { // more than 20 digits: at least 10^20
    out.overflow = true;
    return out;
  }
  std::uint64_t value = 0;
  for (long long i = first; i < point; ++i) {
    const unsigned d = i < digit_count ? digit(i) : 0U;
    if (value > (UINT64_MAX - d) / 10) {
      out.overflow = true;
      return out;
    }
    value = value * 10 + d;
  }
  out.magnitude = value;
  return out;
}

} // namespace hyperparams::detail
