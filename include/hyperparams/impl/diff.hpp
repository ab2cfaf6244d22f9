// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The leaves of a described value, and the templates `<hyperparams/diff.hpp>` declares: in the
/// headers in both modes. Not for users.

#include "hyperparams/detail/sha256.hpp"
#include "hyperparams/detail/text_sink.hpp"
#include "hyperparams/diff.hpp"
#include "hyperparams/fields.hpp"

#include <optional>

namespace hyperparams {

namespace detail {

/// A sink that lists the leaves of a config as (JSON pointer, compact JSON text); a list (the
/// widths of `neurons`) is one leaf, written by a one-line text sink, and so is an empty map.
class FlatSink {
public:
  std::vector<std::pair<std::string, std::string>> leaves;

  void begin_object() {
    if (in_list()) {
      return list_->begin_object();
    }
    stack_.push_back(path_);
    empty_.push_back(true);
  }
  void end_object() {
    if (in_list()) {
      return list_->end_object();
    }
    path_ = stack_.back();
    stack_.pop_back();
    if (empty_.back() && !stack_.empty()) {
      leaves.emplace_back(path_, "{}"); // an empty map is a value too
    }
    empty_.pop_back();
  }
  void key(std::string_view name) {
    if (in_list()) {
      return list_->key(name);
    }
    empty_.back() = false;
    path_ = (stack_.empty() ? std::string() : stack_.back()) + pointer_token(name);
  }
  void begin_array() {
    if (depth_++ == 0) {
      text_.clear();
      list_.emplace(text_, false);
    }
    list_->begin_array();
  }
  void end_array() {
    list_->end_array();
    if (--depth_ == 0) {
      list_.reset();
      leaves.emplace_back(path_, text_);
    }
  }
  void real(double v) {
    scalar([&](auto& sink) { sink.real(v); });
  }
  void integer(std::int64_t v) {
    scalar([&](auto& sink) { sink.integer(v); });
  }
  void unsigned_integer(std::uint64_t v) {
    scalar([&](auto& sink) { sink.unsigned_integer(v); });
  }
  void boolean(bool v) {
    scalar([&](auto& sink) { sink.boolean(v); });
  }
  void string(std::string_view v) {
    scalar([&](auto& sink) { sink.string(v); });
  }
  void null() {
    scalar([&](auto& sink) { sink.null(); });
  }

private:
  [[nodiscard]] bool in_list() const { return depth_ > 0; }

  template <class Write>
  void scalar(Write write) {
    if (in_list()) {
      return write(*list_);
    }
    std::string text;
    TextSink sink(text, false);
    write(sink);
    leaves.emplace_back(path_, std::move(text));
  }

  std::vector<std::string> stack_;
  std::vector<bool> empty_;
  std::string path_;
  std::string text_;
  std::optional<TextSink> list_;
  int depth_ = 0;
};

} // namespace detail

template <class T, std::enable_if_t<detail::is_config_struct<T>, int>>
std::vector<Difference> diff(const T& a, const T& b) {
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

template <class T, std::enable_if_t<detail::is_config_struct<T>, int>>
std::string fingerprint(const T& value) {
  const auto digest = detail::sha256(detail::to_json_text(value, true));
  return detail::hex(digest.data(), 8);
}

} // namespace hyperparams

#ifndef HYPERPARAMS_COMPILED
#include "hyperparams/impl/diff_hyperparams.hpp" // the functions for HyperParams, header-only
#endif
