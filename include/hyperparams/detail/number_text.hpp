// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The text of JSON numbers (RFC 8259, section 6): how long a number is, and the integer its
/// digits denote; numbers as the writer and messages spell them. Standard library only. Not for
/// users.

#include "hyperparams/describe.hpp"
#include "hyperparams/detail/text.hpp"

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
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

// ----- numbers as text ------------------------------------------------------------------------

/// The shortest digits that read back to the same double, laid out as nlohmann::json writes
/// numbers: plain notation when the decimal point falls within -4 < n <= 15 digits ("0.0003",
/// "100000.0"), else "1e-08" / "1.5e+20". Integral values keep ".0", so a real-valued field
/// always looks like one; -0.0 is written as 0.0. Non-finite values (never in a valid config)
/// are written as to_chars spells them.
/// A `float` gets the shortest digits that read back to the same float.
template <class Real>
void append_real(std::string& out, Real value) {
  if (value == 0) {
    out += "0.0"; // also drops the sign of -0.0
    return;
  }
  char buf[48];
  const auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  const std::string_view sci(buf, static_cast<std::size_t>(res.ptr - buf));
  const auto e = sci.find('e');
  if (!std::isfinite(value) || e == std::string_view::npos) {
    out += sci;
    return;
  }
  std::string digits;
  std::size_t p = 0;
  if (sci[0] == '-') {
    out += '-';
    p = 1;
  }
  for (; p < e; ++p) {
    if (sci[p] != '.') {
      digits += sci[p];
    }
  }
  int exponent = 0;
  std::from_chars(sci.data() + e + (sci[e + 1] == '+' ? 2 : 1), sci.data() + sci.size(), exponent);
  const int k = static_cast<int>(digits.size());
  const int n = exponent + 1; // digits "d1 d2 ..." with the point after n of them
  if (k <= n && n <= 15) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
    out += ".0";
  } else if (0 < n && n <= 15) {
    out.append(digits, 0, static_cast<std::size_t>(n));
    out += '.';
    out.append(digits, static_cast<std::size_t>(n), std::string::npos);
  } else if (-4 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out.append(digits, 1, std::string::npos);
    }
    out += 'e';
    out += exponent < 0 ? '-' : '+';
    const int magnitude = exponent < 0 ? -exponent : exponent;
    if (magnitude < 10) {
      out += '0';
    }
    out += std::to_string(magnitude);
  }
}

inline void append_double(std::string& out, double value) {
  append_real(out, value);
}

template <class Int>
void append_integer(std::string& out, Int value) {
  char buf[24];
  const auto res = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, static_cast<std::size_t>(res.ptr - buf));
}

/// A number for a message: integral values without ".0".
inline std::string number_text(double value) {
  if (value == 18446744073709551616.0) {
    return "18446744073709551615"; // the bound of unsigned 64-bit fields, rounded up by a double
  }
  if (value == 9223372036854775808.0) {
    return "9223372036854775807"; // the bound of signed 64-bit fields, rounded up by a double
  }
  std::string out;
  if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e19) {
    if (value < 0) {
      append_integer(out, static_cast<std::int64_t>(value));
    } else {
      append_integer(out, static_cast<std::uint64_t>(value));
    }
    return out;
  }
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, value);
  out.assign(buf, static_cast<std::size_t>(res.ptr - buf));
  return out;
}

/// "in [0, 1)", "> 0", ">= 0".
inline std::string bounds_text(const Range& r) {
  const bool has_min = std::isfinite(r.min);
  const bool has_max = std::isfinite(r.max);
  if (has_min && has_max) {
    return "in " + std::string(r.min_exclusive ? "(" : "[") + number_text(r.min) + ", " +
           number_text(r.max) + (r.max_exclusive ? ")" : "]");
  }
  if (has_min) {
    return (r.min_exclusive ? "> " : ">= ") + number_text(r.min);
  }
  if (has_max) {
    return (r.max_exclusive ? "< " : "<= ") + number_text(r.max);
  }
  return "a finite number";
}

/// The out_of_range message shared by the loader and `validate()`.
inline std::string range_message(const Range& r, std::string_view got) {
  return "must be " + bounds_text(r) + ", got " + truncate_utf8(got);
}

} // namespace hyperparams::detail
