// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Definitions of the templates `<hyperparams/compose.hpp>` declares: files read as layers
/// (impl/layered_read.hpp), overrides on top, and the origin of each value of the result. In
/// the headers in both modes. Not for users.

#include "hyperparams/compose.hpp"
#include "hyperparams/detail/text.hpp"
#include "hyperparams/impl/layered_read.hpp"
#include "hyperparams/impl/overrides.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

namespace hyperparams {

namespace detail {

/// The values of a canonical config, depth first: each scalar, list, and empty object.
inline void values_of(const nlohmann::ordered_json& j, const std::string& pointer,
                      const std::string& key, std::vector<ValueOrigin>& out) {
  if (j.is_object() && !j.empty()) {
    for (const auto& item : j.items()) {
      values_of(item.value(), pointer + pointer_token(item.key()),
                key.empty() ? item.key() : key + "." + item.key(), out);
    }
    return;
  }
  ValueOrigin value;
  value.pointer = pointer;
  value.key = key;
  value.value = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out.push_back(std::move(value));
}

/// Where each value of a layered config came from: the override that gave it, the file that
/// supplied it, or its default.
template <class T>
std::vector<ValueOrigin> origins_of(const Layered<T>& layered) {
  std::vector<ValueOrigin> out;
  values_of(nlohmann::ordered_json::parse(to_json_text(layered.value, true)), "", "", out);
  for (auto& value : out) {
    Origin& origin = value.origin;
    if (const OverrideMark* o = layered.override_of(value.pointer)) {
      origin.kind = Origin::Kind::override_value;
      origin.override_position = o->position;
      origin.override_text = o->text;
    } else if (const auto found = layered.suppliers.find(value.pointer);
               found != layered.suppliers.end()) {
      const LayerFile& file = layered.layers.files[found->second.file];
      origin.kind = Origin::Kind::file;
      origin.file = file.source;
      std::tie(origin.line, origin.column) = line_column(file.text, found->second.offset);
    }
  }
  return out;
}

/// Applies `overrides` over the layers' value, as `apply_overrides` does, and marks the paths
/// each one that applied gives (for locating issues and origins). Their issues are listed with
/// the source "<overrides>".
template <class T>
void apply_layer_overrides(Layered<T>& layered, const std::vector<std::string>& overrides,
                           const LoadOptions& options) {
  auto applied = apply_each_override(layered.value, overrides);
  layered.value = std::move(applied.value);
  for (const std::size_t i : applied.applied) {
    const ParsedOverride& o = applied.parsed[i];
    layered.overrides.push_back(
        OverrideMark{o.path, override_label(o), o.position, o.text, o.object_value()});
  }
  for (auto& issue : applied.issues.take()) {
    issue.source = "<overrides>";
    layered.add(std::move(issue), options.max_issues);
  }
}

} // namespace detail

template <class T, std::enable_if_t<detail::is_config_struct<T>, int>>
Resolved<T> resolve_files(const std::vector<std::filesystem::path>& files,
                          const std::vector<std::string>& overrides, const LoadOptions& options) {
  std::vector<detail::LayerFile> tops;
  for (const auto& file : files) {
    if (file == "-") {
      std::string text = detail::read_limited(std::cin, options.max_bytes, "<stdin>");
      tops.push_back(detail::top_layer("<stdin>", std::move(text), nullptr, options));
    } else {
      std::string text = detail::read_file(file, options.max_bytes);
      tops.push_back(detail::top_layer(file.string(), std::move(text), &file, options));
    }
  }
  const std::string source = tops.empty() ? "<overrides>" : tops.back().source;
  auto layered = detail::read_layers<T>(detail::resolve_layers(std::move(tops), options), options);
  if (!overrides.empty()) {
    detail::apply_layer_overrides(layered, overrides, options);
  }
  detail::check_layered(layered, options);
  Resolved<T> out{T{}, {}, {}};
  if (!layered.failed()) {
    for (const auto& file : layered.layers.files) {
      out.files.push_back(file.source);
    }
    out.origins = detail::origins_of(layered);
  }
  out.value = detail::value_or_throw(std::move(layered), source, options.max_issues);
  return out;
}

template <class T, std::enable_if_t<detail::is_config_struct<T>, int>>
T load_files(const std::vector<std::filesystem::path>& files,
             const std::vector<std::string>& overrides, const LoadOptions& options) {
  return resolve_files<T>(files, overrides, options).value;
}

inline std::string format_origins(const std::vector<ValueOrigin>& origins) {
  std::size_t width = 0;
  for (const auto& v : origins) {
    width = std::max(width, std::min<std::size_t>(v.key.size() + 3 + v.value.size(), 56));
  }
  std::string out;
  for (const auto& v : origins) {
    std::string line = v.key + " = " + v.value;
    line.resize(std::max(width, line.size()) + 2, ' ');
    out += line + to_string(v.origin) + "\n";
  }
  return out;
}

} // namespace hyperparams
