// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// JSON scalars as the loader sees them, and the exact readings of integers (without truncation
/// or wrap-around) and of names (with "did you mean"). Standard library only. Not for users.

#include "hyperparams/detail/number_text.hpp"
#include "hyperparams/detail/text.hpp"
#include "hyperparams/detail/walk.hpp"

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hyperparams::detail {

/// One JSON scalar as the loader sees it (from text or from a DOM).
struct Scalar {
  enum class Kind : std::uint8_t { null, boolean, integer, unsigned_integer, real, string };
  Kind kind = Kind::null;
  bool b = false;
  std::int64_t i = 0;
  std::uint64_t u = 0;
  double d = 0.0;
  std::string_view text; ///< the number's text (real) or the string's value
};

/// "null", "true", "-1", "1e400", "the string \"abc\"": what was found, for messages.
inline std::string describe(const Scalar& s) {
  switch (s.kind) {
  case Scalar::Kind::null:
    return "null";
  case Scalar::Kind::boolean:
    return s.b ? "true" : "false";
  case Scalar::Kind::integer:
    return std::to_string(s.i);
  case Scalar::Kind::unsigned_integer:
    return std::to_string(s.u);
  case Scalar::Kind::real:
    return s.text.empty() ? number_text(s.d) : truncate_utf8(s.text);
  case Scalar::Kind::string:
    return "the string " + quote(s.text);
  }
  return "a value";
}

struct Problem {
  IssueCode code = IssueCode::type_error;
  std::string message;
};

inline bool fail(Problem& p, IssueCode code, std::string message) {
  p.code = code;
  p.message = std::move(message);
  return false;
}

/// Sign and magnitude of an integral number. A number in float form ("32.0", "1e17") is an
/// integer when its text denotes one exactly, and is then read from its digits, never through a
/// double; without its text (from a DOM) only up to 2^53, where doubles stop being exact.
inline bool read_integral(const Scalar& s, const Range& range, bool& negative,
                          std::uint64_t& magnitude, Problem& p) {
  switch (s.kind) {
  case Scalar::Kind::integer:
    negative = s.i < 0;
    magnitude =
        negative ? static_cast<std::uint64_t>(-(s.i + 1)) + 1U : static_cast<std::uint64_t>(s.i);
    return true;
  case Scalar::Kind::unsigned_integer:
    negative = false;
    magnitude = s.u;
    return true;
  case Scalar::Kind::real: {
    if (!s.text.empty()) {
      const IntegerText integer = integer_of_text(s.text);
      if (!integer.integral) {
        return fail(p, IssueCode::type_error, "expected an integer, got " + describe(s));
      }
      if (integer.overflow) {
        return fail(p, IssueCode::out_of_range, range_message(range, describe(s)));
      }
      negative = integer.negative;
      magnitude = integer.magnitude;
      return true;
    }
    if (!std::isfinite(s.d) || std::trunc(s.d) != s.d) {
      return fail(p, IssueCode::type_error, "expected an integer, got " + describe(s));
    }
    constexpr double exact_limit = 9007199254740992.0; // 2^53
    if (std::fabs(s.d) > exact_limit) {
      if (range.max <= exact_limit && range.min >= -exact_limit) {
        return fail(p, IssueCode::out_of_range, range_message(range, describe(s)));
      }
      return fail(p, IssueCode::type_error,
                  "expected an integer, got the floating-point value " + describe(s) +
                      " (above 2^53 a double is not an exact integer)");
    }
    negative = s.d < 0;
    magnitude = static_cast<std::uint64_t>(std::fabs(s.d));
    return true;
  }
  default:
    return fail(p, IssueCode::type_error, "expected an integer, got " + describe(s));
  }
}

template <class E>
std::vector<std::string_view> enum_names(bool canonical_only) {
  std::vector<std::string_view> names;
  for (const auto& entry : description_of<E>.entries) {
    if (!canonical_only || enum_to_string(entry.value) == entry.name) {
      names.push_back(entry.name);
    }
  }
  return names;
}

template <class E>
std::string unknown_name_message(std::string_view name) {
  std::string message = "unknown " + std::string(description_of<E>.what) + " " + quote(name) +
                        did_you_mean(name, enum_names<E>(false), ".");
  message += " Allowed: " + join(enum_names<E>(true));
  std::vector<std::string_view> aliases;
  for (const auto& entry : description_of<E>.entries) {
    if (enum_to_string(entry.value) != entry.name) {
      aliases.push_back(entry.name);
    }
  }
  if (!aliases.empty()) {
    message += " (aliases: " + join(aliases) + ")";
  }
  return message;
}

/// "an optimizer name (a string)".
template <class E>
std::string expected_name() {
  constexpr std::string_view what = description_of<E>.what;
  const bool vowel = std::string_view("aeiou").find(what.front()) != std::string_view::npos;
  return std::string(vowel ? "an " : "a ") + std::string(what) + " name (a string)";
}

template <class E>
bool read_name(const Scalar& s, E& out, Problem& p) {
  if (s.kind != Scalar::Kind::string) {
    return fail(p, IssueCode::type_error,
                "expected " + expected_name<E>() + ", got " + describe(s));
  }
  if (const auto value = from_string<E>(s.text)) {
    out = *value;
    return true;
  }
  return fail(p, IssueCode::invalid_value, unknown_name_message<E>(s.text));
}

} // namespace hyperparams::detail
