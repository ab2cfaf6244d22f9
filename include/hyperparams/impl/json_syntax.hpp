// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Syntax errors as the loader reports them: nlohmann's messages rewritten to say what was found
/// where (their own line and column dropped, the text quoted), with a hint for the usual
/// suspects (comments, trailing commas, hex, NaN, ...). Not for users.

#include "hyperparams/detail/text.hpp"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

namespace hyperparams::detail {

/// What can stand between two JSON tokens: whitespace, ',' and ':'.
inline bool is_json_separator(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ':';
}

/// Where the token after `cursor` starts: past whitespace, ',' and ':' (nothing else stands
/// between two SAX events), and past a byte order mark at the start of the text.
inline std::size_t next_token_start(std::string_view text, std::size_t cursor) {
  if (cursor == 0 && text.substr(0, 3) == "\xEF\xBB\xBF") {
    cursor = 3;
  }
  while (cursor < text.size() && is_json_separator(text[cursor])) {
    ++cursor;
  }
  return cursor;
}

/// A hint for the usual suspects when a syntax error is at `offset` of `text`, or "".
inline std::string syntax_hint(std::string_view text, std::size_t offset) {
  if (offset >= text.size()) {
    return "";
  }
  const std::string_view rest = text.substr(offset);
  if (rest[0] == '/') {
    return " (comments are not allowed in JSON)";
  }
  if (rest[0] == '#') {
    return " (JSON has no comments)";
  }
  if (rest[0] == '\'') {
    return " (JSON strings use double quotes)";
  }
  if (rest.substr(0, 3) == "NaN" || rest.substr(0, 8) == "Infinity" ||
      rest.substr(0, 9) == "-Infinity") {
    return " (JSON has no NaN or Infinity)";
  }
  if (rest.substr(0, 4) == "None" || rest.substr(0, 4) == "True" || rest.substr(0, 5) == "False") {
    return " (the JSON literals are null, true and false)";
  }
  if (rest.substr(0, 3) == "\xE2\x80\x9C" || rest.substr(0, 3) == "\xE2\x80\x9D") {
    return " (typographic quotes; JSON needs plain \")";
  }
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  std::size_t before = offset; // the character before, past whitespace
  while (before > 0 && std::strchr(" \t\r\n", text[before - 1]) != nullptr) {
    --before;
  }
  const char previous = before > 0 ? text[before - 1] : '\0';
  if ((rest[0] == '}' || rest[0] == ']') && previous == ',') {
    return " (trailing commas are not allowed in JSON)";
  }
  // a number that starts with a lone 0: "0x10" or "032" (the lexer ends the number after it)
  const bool after_zero = before == offset && previous == '0' &&
                          (offset < 2 || !(digit(text[offset - 2]) || text[offset - 2] == '.' ||
                                           text[offset - 2] == 'e' || text[offset - 2] == 'E'));
  if (after_zero && (rest[0] == 'x' || rest[0] == 'X')) {
    return " (JSON has no hexadecimal numbers)";
  }
  if (after_zero && digit(rest[0])) {
    return " (JSON numbers have no leading zeros)";
  }
  if (rest[0] == '.') { // ".5" or "-.5" where a value starts, not "1.0.0"
    std::size_t p = offset > 0 && text[offset - 1] == '-' ? offset - 1 : offset;
    while (p > 0 && std::strchr(" \t\r\n", text[p - 1]) != nullptr) {
      --p;
    }
    if (p == 0 || std::strchr(":[,", text[p - 1]) != nullptr) {
      return " (JSON numbers need a digit before the decimal point, as in 0.5)";
    }
  }
  if (rest[0] == '+') {
    return " (JSON numbers have no plus sign)";
  }
  return "";
}

/// The 1-based line and column of byte `offset` of `text`, counting code points (a column is a
/// character to the reader, not a byte; a byte order mark none); `first_column` is the column of
/// the text's first character.
inline std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t offset,
                                                       std::size_t first_column = 1) {
  std::size_t line = 1;
  std::size_t column = first_column;
  const std::size_t start = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0; // a BOM takes no column
  for (std::size_t i = start; i < offset && i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      column = 1;
    } else if ((c & 0xC0U) != 0x80U) {
      ++column;
    }
  }
  return {line, column};
}

/// A syntax error: its message and the offset in the text it is at.
struct SyntaxError {
  std::string message;
  std::size_t offset = 0;
};

/// nlohmann's syntax error `message` (from its `parse_error`, which gives `position`: how many
/// characters the lexer read) for `text`, where the token it failed at starts at `start`.
inline SyntaxError syntax_error(std::string_view text, std::string message, std::size_t position,
                                std::size_t start) {
  // "[json.exception.parse_error.101] parse error at line 1, column 14: syntax error ..."
  const auto column_at = message.find(", column ");
  if (column_at != std::string::npos) {
    const auto colon = message.find(": ", column_at);
    message = colon == std::string::npos ? message : message.substr(colon + 2);
  }
  std::size_t offset = start;
  if ((message.find("unexpected ','") != std::string::npos ||
       message.find("unexpected ':'") != std::string::npos) &&
      position > 0 && position <= text.size()) {
    offset = position - 1; // token_start skips ',' and ':', which here are the token itself
  }
  const auto last_read = message.find("; last read: '");
  if (last_read != std::string::npos) {
    // The lexer stopped inside a token: point at the character it choked on, and quote the
    // text there (nlohmann's "last read" also holds what came before the token).
    offset = std::min(position == 0 ? 0 : position - 1, text.size());
    // the token may hold anything, "'; expected" too: find what follows it from the end,
    // where nlohmann puts one of its fixed token names
    std::size_t rest = message.size();
    for (const char* expected :
         {"; expected string literal", "; expected number literal", "; expected ':'",
          "; expected ','", "; expected ']'", "; expected '}'", "; expected '['", "; expected '{'",
          "; expected end of input", "; expected '[', '{', or a literal"}) {
      const std::string_view suffix(expected);
      if (message.size() >= suffix.size() &&
          message.compare(message.size() - suffix.size(), suffix.size(), suffix) == 0) {
        rest = message.size() - suffix.size();
        break;
      }
    }
    std::size_t end = offset;
    while (end < text.size() && end - offset < 24 && !is_json_separator(text[end]) &&
           std::strchr("{}[]\"", text[end]) == nullptr) {
      ++end;
    }
    if (end == offset && offset < text.size()) {
      ++end;
    }
    message = message.substr(0, last_read) +
              (end > offset ? " at " + quote(text.substr(offset, end - offset))
                            : std::string(" at the end")) +
              message.substr(rest);
  }
  // after a member or an element, a ',' is as welcome as the closing bracket
  for (const char* close : {"; expected '}'", "; expected ']'"}) {
    const auto at = message.find(close);
    if (at != std::string::npos) {
      message.replace(at, 11, "; expected ',' or ");
    }
  }
  const auto dash = message.find(" - ");
  if (message.rfind("syntax error", 0) == 0 && dash != std::string::npos) {
    message = "syntax error: " + message.substr(dash + 3);
  }
  message = valid_utf8(message); // nothing of the input may reach a message unquoted
  message += syntax_hint(text, offset);
  return {std::move(message), offset};
}

} // namespace hyperparams::detail
