// SPDX-License-Identifier: MIT
#pragma once
// Invariants shared by the fuzz targets; a violation aborts, which libFuzzer reports.
#include <hyperparams/detail/text.hpp>
#include <hyperparams/json.hpp>

#include <cstddef>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

namespace fuzz {

/// An input of several files, "A\n%%\nB\n%%\nC": its parts, at most `most` (the last holds the
/// rest, separators and all).
inline std::vector<std::string_view> parts(std::string_view input, std::size_t most) {
  constexpr std::string_view separator = "\n%%\n";
  std::vector<std::string_view> out;
  while (out.size() + 1 < most) {
    const auto at = input.find(separator);
    if (at == std::string_view::npos) {
      break;
    }
    out.push_back(input.substr(0, at));
    input.remove_prefix(at + separator.size());
  }
  out.push_back(input);
  return out;
}

[[noreturn]] inline void fail(const std::string& what) {
  std::cerr << "invariant violated: " << what << "\n";
  std::abort();
}

/// An accepted config (HyperParams, or any described struct) is valid and survives every round
/// trip.
template <class T>
void check_valid(const T& config) {
  if (!hyperparams::validate(config).empty()) {
    fail("accepted an invalid config: " + hyperparams::to_string(config));
  }
  const std::string text = hyperparams::dump(config);
  const T back = hyperparams::parse<T>(text);
  if (!hyperparams::detail::values_equal(back, config)) {
    fail("parse(dump(x)) != x for " + text);
  }
  if (hyperparams::dump(back) != text) {
    fail("dump is not a fixed point for " + text);
  }
  const nlohmann::json dom = config;
  if (!hyperparams::detail::values_equal(dom.get<T>(), config)) {
    fail("the DOM round trip differs for " + text);
  }
}

/// A rejection carries at least one issue, each with a known code and a message that is
/// non-empty, bounded and valid UTF-8.
inline void check_rejection(const hyperparams::ConfigError& error) {
  if (error.issues().empty()) {
    fail("ConfigError without issues");
  }
  for (const auto& issue : error.issues()) {
    if (hyperparams::to_string(issue.code).empty()) {
      fail("issue with an unknown code");
    }
    if (issue.message.empty() || issue.message.size() > 1000) {
      fail("issue message empty or unbounded: " + issue.message.substr(0, 200));
    }
    if ((issue.line == 0) != (issue.column == 0)) {
      fail("a line without a column, or the reverse");
    }
    for (std::size_t i = 0; i < issue.message.size();) {
      const std::size_t length = hyperparams::detail::utf8_sequence(issue.message, i);
      if (length == 0) {
        fail("message is not UTF-8: " + issue.message.substr(0, 200));
      }
      i += length;
    }
  }
}

} // namespace fuzz
