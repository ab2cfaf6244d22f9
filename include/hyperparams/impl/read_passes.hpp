// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The passes of the reader (impl/json_reader.hpp) over a text: a fast one that stops at the
/// first issue, and when there is one a second that locates every issue; for a whole document,
/// an override's value at its key, or one layer of several. Not for users.

#include "hyperparams/detail/text.hpp"
#include "hyperparams/impl/files.hpp"
#include "hyperparams/impl/json_reader.hpp"
#include "hyperparams/impl/reader_ops.hpp"

#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hyperparams::detail {

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
  bool extends = false;           ///< the config has `"$extends"` (see impl/layered_read.hpp)
  std::vector<Place> places = {}; ///< where each value was (a pass that records them)
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
/// flagged). `at`: see `read_text`. A whole document (no `at`) may have `"$extends"`
/// (`ReadResult::extends`); `layer`: it is read as one layer over those that gave `*layer` (see
/// `ConfigReader::read_as_layer`).
template <class T>
ReadResult<T> read_pass(const T& base, std::string_view text, std::string_view source,
                        const LoadOptions& options, bool validate, bool record_locations,
                        const ValueAt& at, const Suppliers* layer = nullptr) {
  auto tokens = pointer_tokens(options, source);
  const char* position = text.data();
  ReadResult<T> result{base, {}, 0};
  ConfigReader reader(&result.value, root_ops<T>, text, record_locations ? &position : nullptr,
                      std::move(tokens), options.pointer, options, record_locations,
                      !record_locations);
  reader.start_at_column(at.column);
  if (at.path.empty()) {
    reader.accept_extends();
  }
  if (layer != nullptr) {
    reader.read_as_layer(*layer);
  }
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
  result.extends = reader.extends_given();
  if (record_locations) {
    result.places = reader.take_places();
  }
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

/// The value read (a `ReadResult`, or a `Layered` of several files), or ConfigError with its
/// issues (and the count of those left out).
template <class Result>
auto value_or_throw(Result result, std::string source, std::size_t limit) {
  if (result.failed()) {
    append_unlisted(result.issues, result.unlisted, limit);
    throw ConfigError(std::move(result.issues), std::move(source));
  }
  return std::move(result.value);
}

} // namespace hyperparams::detail
