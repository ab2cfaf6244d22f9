// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// nlohmann DOMs in and out: a DOM walked as SAX events without recursion, and a sink that
/// builds one. Not for users.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hyperparams::detail {

/// Sends a DOM to a SAX handler without recursion (a hostile DOM may be deeper than the stack).
template <class Handler>
bool walk_dom(const nlohmann::json& root, Handler& handler) {
  using json = nlohmann::json;
  struct Level {
    const json* node;
    json::const_iterator it;
  };
  std::vector<Level> stack;
  auto visit = [&](const json& value) -> bool {
    switch (value.type()) {
    case json::value_t::object:
      if (!handler.start_object(value.size())) {
        return false;
      }
      stack.push_back(Level{&value, value.cbegin()});
      return true;
    case json::value_t::array:
      if (!handler.start_array(value.size())) {
        return false;
      }
      stack.push_back(Level{&value, value.cbegin()});
      return true;
    case json::value_t::boolean:
      return handler.boolean(value.get<bool>());
    case json::value_t::number_integer:
      return handler.number_integer(value.get<std::int64_t>());
    case json::value_t::number_unsigned:
      return handler.number_unsigned(value.get<std::uint64_t>());
    case json::value_t::number_float:
      return handler.number_float(value.get<double>(), std::string());
    case json::value_t::string: {
      std::string copy = value.get<std::string>();
      return handler.string(copy);
    }
    default:
      return handler.null();
    }
  };
  if (!visit(root)) {
    return false;
  }
  while (!stack.empty()) {
    Level& top = stack.back();
    if (top.it == top.node->cend()) {
      const bool object = top.node->is_object();
      stack.pop_back();
      if (!(object ? handler.end_object() : handler.end_array())) {
        return false;
      }
      continue;
    }
    const auto it = top.it++;
    if (top.node->is_object()) {
      std::string key = it.key();
      if (!handler.key(key)) {
        return false;
      }
    }
    if (!visit(*it)) {
      return false;
    }
  }
  return true;
}

/// A sink that builds an nlohmann DOM.
class DomSink {
public:
  explicit DomSink(nlohmann::json& root) : root_(root) {}
  void begin_object() { stack_.push_back(&put(nlohmann::json::object())); }
  void begin_array() { stack_.push_back(&put(nlohmann::json::array())); }
  void end_object() { stack_.pop_back(); }
  void end_array() { stack_.pop_back(); }
  void key(std::string_view name) { key_ = std::string(name); }
  void real(double v) { put(v == 0.0 ? 0.0 : v); }
  void integer(std::int64_t v) { put(v); }
  void unsigned_integer(std::uint64_t v) { put(v); }
  void boolean(bool v) { put(v); }
  void string(std::string_view v) { put(std::string(v)); }
  void null() { put(nullptr); }

private:
  nlohmann::json& put(nlohmann::json value) {
    if (stack_.empty()) {
      root_ = std::move(value);
      return root_;
    }
    nlohmann::json& parent = *stack_.back();
    if (parent.is_object()) {
      return parent[key_] = std::move(value);
    }
    parent.push_back(std::move(value));
    return parent.back();
  }

  nlohmann::json& root_;
  std::vector<nlohmann::json*> stack_;
  std::string key_;
};

} // namespace hyperparams::detail
