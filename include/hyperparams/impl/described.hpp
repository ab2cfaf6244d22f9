// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Definitions of the templates `<hyperparams/hyperparams.hpp>` declares for any described struct
/// (`validate`, `check`, `to_string`, `==`, `<<`): templates, so in the headers in both modes.
/// Not for users.

#include "hyperparams/detail/member_types.hpp"
#include "hyperparams/detail/text_sink.hpp"
#include "hyperparams/impl/core_api.hpp"

#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hyperparams {

template <class T, std::enable_if_t<detail::is_config_struct<T>, int>>
std::vector<Issue> validate(const T& value) {
  std::vector<Issue> issues;
  detail::validate_into(value, "", issues);
  return issues;
}

template <class T, std::enable_if_t<detail::is_config_struct<T>, int>>
void check(const T& value, std::string_view source) {
  auto issues = validate(value);
  if (!issues.empty()) {
    throw ConfigError(std::move(issues), std::string(source));
  }
}

template <class T, std::enable_if_t<detail::is_config_struct<T>, int>>
std::string to_string(const T& value) {
  return detail::to_json_text(value, false);
}

template <class S, std::enable_if_t<detail::is_config_struct<S>, int>>
bool operator==(const S& a, const S& b) {
  return detail::fields_equal(a, b);
}
template <class S, std::enable_if_t<detail::is_config_struct<S>, int>>
bool operator!=(const S& a, const S& b) {
  return !(a == b);
}

template <class S, std::enable_if_t<detail::is_config_struct<S>, int>>
std::ostream& operator<<(std::ostream& os, const S& value) {
  return os << detail::to_json_text(value, false);
}

} // namespace hyperparams
