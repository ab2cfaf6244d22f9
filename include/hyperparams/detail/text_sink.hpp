// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// JSON text out: strings escaped as JSON requires, and a sink (see `emit_value`) that writes a
/// described value as pretty or one-line JSON. Standard library only. Not for users.

#include "hyperparams/detail/member_types.hpp"
#include "hyperparams/detail/number_text.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace hyperparams::detail {

/// `value` as a JSON string: quotes, backslashes and control characters escaped (as
/// nlohmann::json writes them); other bytes as they are (a valid config's strings are UTF-8).
inline void append_json_string(std::string& out, std::string_view value) {
  out += '"';
  const auto plain = [](char c) {
    return c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20U;
  };
  if (std::all_of(value.begin(), value.end(), plain)) { // keys and names: nothing to escape
    out += value;
    out += '"';
    return;
  }
  for (const char c : value) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\t':
      out += "\\t";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\b':
      out += "\\b";
      break;
    case '\f':
      out += "\\f";
      break;
    default:
      if (static_cast<unsigned char>(c) < 0x20U) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
        out += buf;
      } else {
        out += c;
      }
    }
  }
  out += '"';
}

/// A sink that writes JSON text: pretty (2-space indent, one member per line, as
/// `nlohmann::json::dump(2)`) or on one line (`{"a": 1, "b": [1, 2]}`).
class TextSink {
public:
  TextSink(std::string& out, bool pretty) : out_(out), pretty_(pretty) {}

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  void key(std::string_view name) {
    separate();
    append_json_string(out_, name);
    out_ += ": ";
    after_key_ = true;
  }
  void real(double v) {
    separate();
    append_double(out_, v);
  }
  void integer(std::int64_t v) {
    separate();
    append_integer(out_, v);
  }
  void unsigned_integer(std::uint64_t v) {
    separate();
    append_integer(out_, v);
  }
  void boolean(bool v) {
    separate();
    out_ += v ? "true" : "false";
  }
  void string(std::string_view v) {
    separate();
    append_json_string(out_, v);
  }
  void null() {
    separate();
    out_ += "null";
  }

private:
  void separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (!first_.empty()) {
      if (!first_.back()) {
        out_ += ',';
        if (!pretty_) {
          out_ += ' ';
        }
      }
      first_.back() = false;
      newline();
    }
  }
  void open(char c) {
    separate();
    out_ += c;
    first_.push_back(true);
  }
  void close(char c) {
    const bool empty = first_.back();
    first_.pop_back();
    if (!empty) {
      newline();
    }
    out_ += c;
  }
  void newline() {
    if (pretty_) {
      out_ += '\n';
      out_.append(2 * first_.size(), ' ');
    }
  }

  std::string& out_;
  bool pretty_;
  bool after_key_ = false;
  std::vector<bool> first_;
};

/// JSON text of any value the field table describes.
template <class T>
std::string to_json_text(const T& value, bool pretty) {
  std::string out;
  out.reserve(512);
  TextSink sink(out, pretty);
  emit_value(value, sink);
  return out;
}

} // namespace hyperparams::detail
