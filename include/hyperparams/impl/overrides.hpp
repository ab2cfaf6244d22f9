// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Definitions of the functions `<hyperparams/overrides.hpp>` declares: included by that header
/// (header-only) or compiled once into the library (`HYPERPARAMS_COMPILED`). Not for users.

#include "hyperparams/detail/text.hpp"
#include "hyperparams/fields.hpp"
#include "hyperparams/impl/json.hpp"
#include "hyperparams/overrides.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace hyperparams {

namespace detail {

/// Whether an override's value starts like JSON structure (`[`, `{`, `"`): then it must be JSON,
/// so that `[256,128` is a syntax error rather than a string.
inline bool looks_structured(std::string_view value) {
  return !value.empty() && (value.front() == '[' || value.front() == '{' || value.front() == '"');
}

/// The JSON text of an override's value: JSON when it is JSON (`3e-4`, `true`, `[1, 2]`,
/// `"x"`), a string otherwise (`sgd`, `GELU`).
inline std::string override_value_json(std::string_view value) {
  if (looks_structured(value) || nlohmann::json::accept(value)) {
    return std::string(value);
  }
  // bytes that are not UTF-8 become U+FFFD, which no key or name has: an error, never a match
  return nlohmann::json(std::string(value))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

struct ParsedOverride {
  std::size_t position = 0; ///< 1-based, as given
  std::string text;         ///< "key=value"
  std::string path;         ///< JSON pointer of the key
  std::string value;        ///< the text after '='
  std::string document;     ///< {"key": {"sub": value}}
  bool well_formed = false;
};

inline ParsedOverride parse_override(std::size_t position, const std::string& text) {
  ParsedOverride out;
  out.position = position;
  out.text = text;
  const auto equals = text.find('=');
  if (equals == std::string::npos || equals == 0) {
    return out;
  }
  const std::string key = text.substr(0, equals);
  std::vector<std::string> tokens;
  for (std::size_t start = 0;;) {
    const auto dot = key.find('.', start);
    tokens.push_back(key.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (tokens.back().empty()) {
      return out;
    }
    if (dot == std::string::npos) {
      break;
    }
    start = dot + 1;
  }
  out.value = text.substr(equals + 1);
  std::string document = override_value_json(out.value);
  for (auto it = tokens.rbegin(); it != tokens.rend(); ++it) {
    document = "{" +
               nlohmann::json(*it).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
               ": " + document + "}";
  }
  for (const auto& token : tokens) {
    out.path += pointer_token(token);
  }
  out.document = std::move(document);
  out.well_formed = true;
  return out;
}

inline std::string override_label(const ParsedOverride& o) {
  return "override " + std::to_string(o.position) + " " + quote(o.text) + ": ";
}

/// Whether an override at `path` chooses an alternative (`optimizer=sgd`, `lr_schedule.name=step`).
inline bool chooses_alternative(const std::string& path) {
  bool chooses = false;
  for_each_field<HyperParams>([&](const auto& fld) {
    using T = std::decay_t<decltype(std::declval<HyperParams>().*fld.member)>;
    if constexpr (is_options_variant<T>::value) {
      const std::string base = "/" + std::string(fld.name);
      chooses = chooses || path == base || path == base + "/name";
    }
  });
  return chooses;
}

/// Whether `path` is `prefix` or lies below it.
inline bool path_within(const std::string& path, const std::string& prefix) {
  return path.compare(0, prefix.size(), prefix) == 0 &&
         (path.size() == prefix.size() || path[prefix.size()] == '/');
}

} // namespace detail

HYPERPARAMS_INLINE HyperParams apply_overrides(const HyperParams& base,
                                               const std::vector<std::string>& overrides) {
  std::vector<detail::ParsedOverride> parsed;
  for (std::size_t i = 0; i < overrides.size(); ++i) {
    parsed.push_back(detail::parse_override(i + 1, overrides[i]));
  }
  std::stable_partition(parsed.begin(), parsed.end(), [](const detail::ParsedOverride& o) {
    return detail::chooses_alternative(o.path);
  });

  std::vector<std::pair<std::size_t, Issue>> issues; // with the position of their override
  HyperParams current = base;
  const LoadOptions options;
  for (std::size_t i = 0; i < parsed.size(); ++i) {
    const auto& o = parsed[i];
    if (!o.well_formed) {
      issues.emplace_back(o.position, Issue{"", IssueCode::invalid_value,
                                            detail::override_label(o) +
                                                "expected key=value, with a key such "
                                                "as learning_rate or optimizer.momentum",
                                            0, 0});
      continue;
    }
    const auto earlier =
        std::find_if(parsed.begin(), parsed.begin() + static_cast<std::ptrdiff_t>(i),
                     [&](const detail::ParsedOverride& other) { return other.path == o.path; });
    if (earlier != parsed.begin() + static_cast<std::ptrdiff_t>(i)) {
      issues.emplace_back(o.position,
                          Issue{o.path, IssueCode::duplicate_key,
                                detail::override_label(o) + "this key is already set by override " +
                                    std::to_string(earlier->position),
                                0, 0});
      continue;
    }
    const bool bad_json = detail::looks_structured(o.value) && !nlohmann::json::accept(o.value);
    // a syntax error is located in the value alone, not in the document built around it
    auto [next, found] =
        detail::read_text(current, bad_json ? o.value : o.document, "<overrides>", options, false);
    for (auto& issue : found) {
      issue.message = detail::override_label(o) + issue.message;
      issue.line = 0;
      issue.column = 0;
      issues.emplace_back(o.position, std::move(issue));
    }
    current = std::move(next);
  }
  // as in a file: each value against its bounds, and the rules between fields once all are valid
  std::vector<Issue> found;
  if (issues.empty()) {
    detail::validate_into(current, "", found);
  } else {
    detail::check_fields(current, "", found);
  }
  for (auto& issue : found) {
    std::size_t position = overrides.size() + 1; // a problem of `base` itself
    for (const auto& o : parsed) {
      if (o.well_formed && detail::path_within(issue.path, o.path)) {
        issue.message = detail::override_label(o) + issue.message;
        position = o.position;
        break;
      }
    }
    issues.emplace_back(position, std::move(issue));
  }
  if (!issues.empty()) {
    std::stable_sort(issues.begin(), issues.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<Issue> listed;
    for (auto& entry : issues) {
      listed.push_back(std::move(entry.second));
    }
    throw ConfigError(std::move(listed), "<overrides>");
  }
  return current;
}

HYPERPARAMS_INLINE SplitArguments split_arguments(int argc, const char* const* argv) {
  SplitArguments out;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--set") {
      out.overrides.push_back(i + 1 < argc ? argv[++i] : "");
    } else if (arg.rfind("--set=", 0) == 0) {
      out.overrides.push_back(arg.substr(6));
    } else if (arg.find('=') != std::string::npos && arg.front() != '-') {
      out.overrides.push_back(arg);
    } else {
      out.others.push_back(arg);
    }
  }
  return out;
}

} // namespace hyperparams
