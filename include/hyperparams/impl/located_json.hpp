// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// A JSON document as an nlohmann DOM plus where each of its values and keys is in the text, for
/// files whose values are any JSON (a search space's `values`), which no described struct
/// reads. The same strictness as the config reader: duplicate keys, the size and depth limits,
/// NUL bytes, and syntax errors with the reader's messages. Not for users.

#include "hyperparams/detail/text.hpp"
#include "hyperparams/impl/core_api.hpp"
#include "hyperparams/impl/json_reader.hpp"
#include "hyperparams/impl/json_syntax.hpp"
#include "hyperparams/impl/load_options.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstring>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hyperparams::detail {

/// A parsed document and the offsets of its values (by JSON pointer) and of its object keys.
class LocatedJson {
public:
  nlohmann::json value;

  /// An issue about the value at `path` (a JSON pointer), located at that value, or at its key
  /// with `at_key`; the nearest enclosing value when `path` has no place of its own.
  [[nodiscard]] Issue issue(std::string path, IssueCode code, std::string message,
                            bool at_key = false) const {
    Issue out{path, code, std::move(message), 0, 0};
    for (std::string at = path;;) {
      const auto& offsets = at_key && at == path ? keys_ : values_;
      if (const auto found = offsets.find(at); found != offsets.end()) {
        std::tie(out.line, out.column) = line_column(text_, found->second);
        break;
      }
      if (at.empty()) {
        break;
      }
      at.resize(at.rfind('/'));
    }
    return out;
  }

  /// The text it was parsed from.
  [[nodiscard]] const std::string& text() const noexcept { return text_; }

private:
  friend class LocatingHandler;
  friend LocatedJson parse_located(std::string text, const std::string& source,
                                   const LoadOptions& options);
  std::string text_;
  std::map<std::string, std::size_t> values_;
  std::map<std::string, std::size_t> keys_;
};

/// The SAX handler behind `parse_located`: builds the DOM and records offsets as the reader
/// does (each event's token starts after the previous one, past separators).
class LocatingHandler {
public:
  LocatingHandler(LocatedJson& out, const char* const* lexer_position, const LoadOptions& options)
      : out_(out), text_(out.text_), lexer_position_(lexer_position), options_(options) {}

  bool null() { return scalar(nullptr, false); }
  bool boolean(bool v) { return scalar(v, false); }
  bool number_integer(std::int64_t v) { return scalar(v, true); }
  bool number_unsigned(std::uint64_t v) { return scalar(v, true); }
  bool number_float(double v, const std::string&) { return scalar(v, true); }
  bool string(std::string& v) { return scalar(std::move(v), false); }
  bool binary(std::vector<std::uint8_t>&) { return scalar(nullptr, false); }
  bool start_object(std::size_t) { return open(nlohmann::json::object()); }
  bool start_array(std::size_t) { return open(nlohmann::json::array()); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(std::string& name) {
    const std::size_t start = token_start();
    cursor_ = static_cast<std::size_t>(*lexer_position_ - text_.data());
    Open& top = stack_.back();
    const std::string path = top.path + pointer_token(name);
    if (top.node->contains(name)) {
      const auto [line, column] = line_column(text_, out_.keys_[path]);
      fail(path, IssueCode::duplicate_key,
           "duplicate key " + quote(name) + " (first at line " + std::to_string(line) +
               ", column " + std::to_string(column) + ")",
           start);
      return false;
    }
    out_.keys_[path] = start;
    top.key = name;
    return true;
  }

  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& ex) {
    const std::size_t start = token_start();
    if (ex.id == 406) {
      const std::string number =
          truncate_utf8(text_.substr(start, json_number_length(text_.substr(start))));
      fail(next_path(), IssueCode::out_of_range,
           "number " + number + " is out of the range of a double", start);
      return false;
    }
    auto [message, offset] = syntax_error(text_, ex.what(), position, start);
    fail("", IssueCode::parse_error, std::move(message), offset);
    return false;
  }

  /// The first issue, if any (the parse stops there).
  std::optional<Issue> issue;

private:
  struct Open {
    nlohmann::json* node;
    std::string path;
    std::string key; ///< of an object: the key of the value that comes next
  };

  std::size_t token_start() {
    cursor_ = next_token_start(text_, cursor_);
    return cursor_;
  }

  std::string next_path() const {
    if (stack_.empty()) {
      return "";
    }
    const Open& top = stack_.back();
    return top.node->is_object() ? top.path + pointer_token(top.key)
                                 : top.path + "/" + std::to_string(top.node->size());
  }

  /// Places `v` where the next value goes and returns it.
  nlohmann::json* place(nlohmann::json v, std::size_t start, std::string& path) {
    path = next_path();
    out_.values_[path] = start;
    if (stack_.empty()) {
      out_.value = std::move(v);
      return &out_.value;
    }
    Open& top = stack_.back();
    if (top.node->is_object()) {
      return &((*top.node)[top.key] = std::move(v));
    }
    top.node->push_back(std::move(v));
    return &top.node->back();
  }

  template <class V>
  bool scalar(V&& v, bool number) {
    const std::size_t start = token_start();
    if (number) {
      cursor_ = start + json_number_length(std::string_view(text_).substr(start));
    } else {
      cursor_ = static_cast<std::size_t>(*lexer_position_ - text_.data());
    }
    std::string path;
    place(nlohmann::json(std::forward<V>(v)), start, path);
    return true;
  }

  bool open(nlohmann::json container) {
    const std::size_t start = token_start();
    cursor_ = start + 1;
    if (stack_.size() >= options_.max_depth) {
      fail(next_path(), IssueCode::limit_exceeded,
           "nesting deeper than the limit of " + std::to_string(options_.max_depth) + " levels",
           start);
      return false;
    }
    std::string path;
    nlohmann::json* node = place(std::move(container), start, path);
    stack_.push_back(Open{node, std::move(path), {}});
    return true;
  }

  bool close() {
    cursor_ = token_start() + 1;
    stack_.pop_back();
    return true;
  }

  void fail(std::string path, IssueCode code, std::string message, std::size_t offset) {
    Issue found{std::move(path), code, std::move(message), 0, 0};
    std::tie(found.line, found.column) = line_column(text_, offset);
    issue = std::move(found);
  }

  LocatedJson& out_;
  const std::string& text_;
  const char* const* lexer_position_;
  const LoadOptions& options_;
  std::vector<Open> stack_;
  std::size_t cursor_ = 0;
};

/// `text` parsed strictly, with the places of its values.
/// \throws ConfigError (from `source`) with the first issue: a syntax error, a duplicate key, a
/// number out of a double's range, a NUL byte, or input past the limits of `options`.
inline LocatedJson parse_located(std::string text, const std::string& source,
                                 const LoadOptions& options) {
  LocatedJson out;
  out.text_ = std::move(text);
  const std::string& t = out.text_;
  if (t.size() > options.max_bytes) {
    throw ConfigError(
        {Issue{"", IssueCode::limit_exceeded,
               "input of " + std::to_string(t.size()) + " bytes is larger than the limit of " +
                   std::to_string(options.max_bytes) + " bytes",
               0, 0}},
        source);
  }
  if (const void* nul = std::memchr(t.data(), '\0', t.size())) {
    const auto offset = static_cast<std::size_t>(static_cast<const char*>(nul) - t.data());
    const auto [line, column] = line_column(t, offset);
    throw ConfigError(
        {Issue{"", IssueCode::parse_error,
               "NUL byte (U+0000) in the input: JSON text cannot contain it", line, column}},
        source);
  }
  const char* position = t.data();
  const char* end = t.data() + t.size();
  LocatingHandler handler(out, &position, options);
  sax_parse_json(PositionIterator(&position), PositionIterator(&end), handler);
  if (handler.issue) {
    throw ConfigError({std::move(*handler.issue)}, source);
  }
  return out;
}

} // namespace hyperparams::detail
