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
#include "hyperparams/impl/layered_read.hpp"
#include "hyperparams/impl/read_passes.hpp"
#include "hyperparams/impl/reader_ops.hpp"
#include "hyperparams/json.hpp"

#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hyperparams {

namespace detail {

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

/// A config from its text: one pass when it stands alone, its layers when it builds on files
/// (`"$extends"`; `file` is where it is, null for a text from memory).
template <class T>
T read_config(std::string_view text, std::string_view source, const std::filesystem::path* file,
              const LoadOptions& options) {
  auto result = read_text(T{}, text, source, options, true);
  if (result.extends) {
    return read_extended<T>(std::string(source), std::string(text), file, options);
  }
  return value_or_throw(std::move(result), std::string(source), options.max_issues);
}

} // namespace detail

template <class T, std::enable_if_t<detail::is_config_struct<T>, int>>
T parse(std::string_view text, std::string_view source, const LoadOptions& options) {
  return detail::read_config<T>(text, source, nullptr, options);
}

template <class T, std::enable_if_t<detail::is_config_struct<T>, int>>
T load_file(const std::filesystem::path& path, const LoadOptions& options) {
  const std::string text = detail::read_file(path, options.max_bytes);
  return detail::read_config<T>(text, path.string(), &path, options);
}

template <class T, std::enable_if_t<detail::is_config_struct<T>, int>>
T load_stream(std::istream& in, std::string_view source, const LoadOptions& options) {
  const std::string text = detail::read_limited(in, options.max_bytes, std::string(source));
  return detail::read_config<T>(text, source, nullptr, options);
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
