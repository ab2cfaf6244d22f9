// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Definitions of the templates `<hyperparams/json.hpp>` declares for any described struct, and
/// the passes of the reader behind them (impl/json_reader.hpp): templates, so included by that
/// header in both modes. Not for users.

#include "hyperparams/detail/text.hpp"
#include "hyperparams/fields.hpp"
#include "hyperparams/impl/described.hpp"
#include "hyperparams/impl/files.hpp"
#include "hyperparams/impl/json_dom.hpp"
#include "hyperparams/impl/json_reader.hpp"
#include "hyperparams/impl/reader_ops.hpp"
#include "hyperparams/json.hpp"

#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hyperparams {

namespace detail {

/// Pointer tokens and the normalised prefix of `options.pointer`; throws on a bad pointer.
inline std::vector<std::string> pointer_tokens(const LoadOptions& options,
                                               std::string_view source) {
  auto tokens = split_pointer(options.pointer);
  if (!tokens) {
    throw_issue(std::string(source), "", IssueCode::invalid_value,
                "invalid JSON pointer " + quote(options.pointer) +
                    ": it must be empty or start with '/'");
  }
  return *tokens;
}

/// Where a text that is one value stands: at `path` in the config (an override's key,
/// `{"optimizer", "momentum"}`), its first character at `column`. Empty: a whole document.
struct ValueAt {
  std::vector<std::string> path;
  std::size_t column = 1;
};

/// The value a pass read, its issues, and how many more there were than
/// `LoadOptions::max_issues`.
template <class T>
struct ReadResult {
  T value;
  std::vector<Issue> issues;
  std::size_t unlisted = 0;
  [[nodiscard]] bool failed() const { return !issues.empty() || unlisted > 0; }
};

/// Appends the issue that counts the issues left out of a capped list, if any were.
inline void append_unlisted(std::vector<Issue>& issues, std::size_t unlisted, std::size_t limit) {
  if (unlisted > 0) {
    issues.push_back(Issue{"", IssueCode::limit_exceeded,
                           std::to_string(unlisted) + " more issue" + (unlisted == 1 ? "" : "s") +
                               " not shown (the limit is " + std::to_string(limit) + ")",
                           0, 0});
  }
}

/// One pass of `read_text`. With `record_locations`, the lexer's position is tracked (every
/// issue gets its offset) and the place of every value is recorded; without, the text is read
/// through plain pointers up to the first issue, which has no offset (a syntax error is only
/// flagged). `at`: see `read_text`.
template <class T>
ReadResult<T> read_pass(const T& base, std::string_view text, std::string_view source,
                        const LoadOptions& options, bool validate, bool record_locations,
                        const ValueAt& at) {
  auto tokens = pointer_tokens(options, source);
  const char* position = text.data();
  ReadResult<T> result{base, {}, 0};
  ConfigReader reader(&result.value, root_ops<T>, text, record_locations ? &position : nullptr,
                      std::move(tokens), options.pointer, options, record_locations,
                      !record_locations);
  reader.start_at_column(at.column);
  const auto feed = [&](auto first, auto last) {
    // the value at `at`: as if it stood in {"a": {"b": value}}, without that text around it
    reader.begin_synthetic();
    for (std::string key : at.path) {
      if (!reader.start_object(1) || !reader.key(key)) {
        return;
      }
    }
    reader.end_synthetic();
    if (sax_parse_json(first, last, reader)) {
      for (std::size_t i = 0; i < at.path.size(); ++i) {
        if (!reader.end_object()) {
          return;
        }
      }
    }
  };
  if (text.size() > options.max_bytes) {
    reader.add_limit_issue(IssueCode::limit_exceeded,
                           "input of " + std::to_string(text.size()) +
                               " bytes is larger than the limit of " +
                               std::to_string(options.max_bytes) + " bytes",
                           no_offset);
  } else if (const void* nul = std::memchr(text.data(), '\0', text.size())) {
    const auto offset = static_cast<std::size_t>(static_cast<const char*>(nul) - text.data());
    reader.add_limit_issue(IssueCode::parse_error,
                           "NUL byte (U+0000) in the input: JSON text cannot contain it", offset);
  } else if (record_locations) {
    const char* end = text.data() + text.size();
    feed(PositionIterator(&position), PositionIterator(&end));
  } else { // plain pointers: nlohmann's fastest input, and nothing to track
    feed(text.data(), text.data() + text.size());
  }
  result.issues = reader.finish(validate);
  result.unlisted = reader.unlisted();
  return result;
}

/// Reads `text` into a copy of `base` (the defaults, or a config being overridden) and returns
/// the result with its issues; `validate` false skips the checks of the result as a whole.
/// With `at` (an override's key), `text` is the value at that path of the config, and issues
/// are located in `text`.
/// The first pass tracks and records nothing and stops at its first issue; only when it finds
/// one does a second pass read the whole text again, tracking the lexer's position and recording
/// where each value was, so that every issue, including those found by validation after the
/// text was read, is listed and located.
template <class T>
ReadResult<T> read_text(const T& base, std::string_view text, std::string_view source,
                        const LoadOptions& options, bool validate, const ValueAt& at = {}) {
  auto result = read_pass(base, text, source, options, validate, false, at);
  if (result.failed() && text.size() <= options.max_bytes) {
    return read_pass(base, text, source, options, validate, true, at);
  }
  return result;
}

/// The value read, or ConfigError with its issues (and the count of those left out).
template <class T>
T value_or_throw(ReadResult<T> result, std::string source, std::size_t limit) {
  if (result.failed()) {
    append_unlisted(result.issues, result.unlisted, limit);
    throw ConfigError(std::move(result.issues), std::move(source));
  }
  return std::move(result.value);
}

/// A described value from an nlohmann DOM, by the rules of `parse` (no line numbers).
template <class T>
T from_dom(const nlohmann::json& j) {
  const LoadOptions options;
  ReadResult<T> result{T{}, {}, 0};
  ConfigReader reader(&result.value, root_ops<T>, {}, nullptr, {}, "", options);
  walk_dom(j, reader);
  result.issues = reader.finish();
  result.unlisted = reader.unlisted();
  return value_or_throw(std::move(result), "<json>", options.max_issues);
}

/// The canonical DOM of a valid value.
template <class T>
void to_dom(nlohmann::json& j, const T& value) {
  hyperparams::check(value);
  DomSink sink(j);
  emit_value(value, sink);
}

} // namespace detail

template <class T, std::enable_if_t<detail::is_config_struct<T>, int>>
T parse(std::string_view text, std::string_view source, const LoadOptions& options) {
  return detail::value_or_throw(detail::read_text(T{}, text, source, options, true),
                                std::string(source), options.max_issues);
}

template <class T, std::enable_if_t<detail::is_config_struct<T>, int>>
T load_file(const std::filesystem::path& path, const LoadOptions& options) {
  const std::string text = detail::read_file(path, options.max_bytes);
  return parse<T>(text, path.string(), options);
}

template <class T, std::enable_if_t<detail::is_config_struct<T>, int>>
T load_stream(std::istream& in, std::string_view source, const LoadOptions& options) {
  const std::string text = detail::read_limited(in, options.max_bytes, std::string(source));
  return parse<T>(text, source, options);
}

template <class T, std::enable_if_t<detail::is_config_struct<T>, int>>
std::string dump(const T& value) {
  check(value);
  return detail::to_json_text(value, true);
}

template <class T, std::enable_if_t<detail::is_config_struct<T>, int>>
void save_file(const std::filesystem::path& path, const T& value) {
  check(value, path.string());
  std::string text = detail::to_json_text(value, true);
  text += '\n';
  detail::atomic_write(path, text);
}

} // namespace hyperparams

template <class T>
void nlohmann::adl_serializer<
    T, std::enable_if_t<hyperparams::detail::is_config_struct<T>>>::to_json(nlohmann::json& j,
                                                                            const T& value) {
  hyperparams::detail::to_dom(j, value);
}

template <class T>
void nlohmann::adl_serializer<T, std::enable_if_t<hyperparams::detail::is_config_struct<T>>>::
    from_json(const nlohmann::json& j, T& value) {
  value = hyperparams::detail::from_dom<T>(j);
}

#ifndef HYPERPARAMS_COMPILED
#include "hyperparams/impl/json_hyperparams.hpp" // the functions for HyperParams, header-only
#endif
