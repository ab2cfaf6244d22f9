// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Definitions of the functions `<hyperparams/diff.hpp>` declares: included by that header
/// (header-only) or compiled once into the library (`HYPERPARAMS_COMPILED`). Not for users.

#include "hyperparams/detail/sha256.hpp"
#include "hyperparams/diff.hpp"
#include "hyperparams/fields.hpp"

namespace hyperparams {

namespace detail {

/// A sink that lists the leaves of a config as (JSON pointer, compact JSON text); a list (the
/// widths of `neurons`) is one leaf.
class FlatSink {
public:
  std::vector<std::pair<std::string, std::string>> leaves;

  void begin_object() {
    if (array_depth_ > 0) {
      return value_part("{");
    }
    stack_.push_back(path_);
  }
  void end_object() {
    if (array_depth_ > 0) {
      return value_part("}");
    }
    stack_.pop_back();
  }
  void key(std::string_view name) {
    path_ = (stack_.empty() ? std::string() : stack_.back()) + "/" + std::string(name);
  }
  void begin_array() {
    if (array_depth_++ == 0) {
      array_text_.clear();
      array_text_ += '[';
      array_first_ = true;
    }
  }
  void end_array() {
    array_text_ += ']';
    if (--array_depth_ == 0) {
      leaves.emplace_back(path_, array_text_);
    }
  }
  void real(double v) {
    scalar([&](std::string& out) { append_double(out, v); });
  }
  void integer(std::int64_t v) {
    scalar([&](std::string& out) { append_integer(out, v); });
  }
  void unsigned_integer(std::uint64_t v) {
    scalar([&](std::string& out) { append_integer(out, v); });
  }
  void boolean(bool v) {
    scalar([&](std::string& out) { out += v ? "true" : "false"; });
  }
  void string(std::string_view v) {
    scalar([&](std::string& out) {
      out += '"';
      out += v; // names: plain ASCII
      out += '"';
    });
  }

private:
  template <class Write>
  void scalar(Write write) {
    if (array_depth_ > 0) {
      if (!array_first_) {
        array_text_ += ", ";
      }
      array_first_ = false;
      write(array_text_);
      return;
    }
    std::string text;
    write(text);
    leaves.emplace_back(path_, std::move(text));
  }
  void value_part(const char* text) { array_text_ += text; }

  std::vector<std::string> stack_;
  std::string path_;
  std::string array_text_;
  int array_depth_ = 0;
  bool array_first_ = true;
};

} // namespace detail

HYPERPARAMS_INLINE std::vector<Difference> diff(const HyperParams& a, const HyperParams& b) {
  detail::FlatSink left;
  detail::FlatSink right;
  detail::emit_value(a, left);
  detail::emit_value(b, right);
  std::vector<Difference> out;
  auto find = [](const detail::FlatSink& sink, const std::string& path) -> const std::string* {
    for (const auto& leaf : sink.leaves) {
      if (leaf.first == path) {
        return &leaf.second;
      }
    }
    return nullptr;
  };
  for (const auto& [path, value] : left.leaves) {
    const std::string* other = find(right, path);
    if (other == nullptr || *other != value) {
      out.push_back(Difference{path, value, other == nullptr ? std::string() : *other});
    }
  }
  for (const auto& [path, value] : right.leaves) {
    if (find(left, path) == nullptr) {
      out.push_back(Difference{path, std::string(), value});
    }
  }
  return out;
}

HYPERPARAMS_INLINE std::string fingerprint(const HyperParams& hp) {
  const auto digest = detail::sha256(detail::to_json_text(hp, true));
  return detail::hex(digest.data(), 8);
}

} // namespace hyperparams
