// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The templates and functions `<hyperparams/search.hpp>` declares (header-only in both modes).
/// Not for users.

#include "hyperparams/diff.hpp"
#include "hyperparams/impl/files.hpp"
#include "hyperparams/impl/located_json.hpp"
#include "hyperparams/impl/search_sample.hpp"
#include "hyperparams/impl/search_space.hpp"
#include "hyperparams/search.hpp"

#include <stdexcept>
#include <string>

namespace hyperparams::search {

inline std::string_view to_string(Method method) {
  switch (method) {
  case Method::grid:
    return "grid";
  case Method::random:
    return "random";
  case Method::sobol:
    return "sobol";
  }
  return "?";
}

inline std::string_view to_string(Distribution distribution) {
  const auto index = static_cast<std::size_t>(distribution);
  return index < detail::distribution_keys.size() ? detail::distribution_keys[index] : "?";
}

inline std::string_view to_string(Goal goal) {
  return goal == Goal::maximize ? "maximize" : "minimize";
}

template <class T>
std::uint64_t Space<T>::size() const {
  return method == Method::grid ? plan->grid_size : trials;
}

template <class T>
std::vector<std::pair<std::string, nlohmann::json>> Space<T>::values_at(std::uint64_t index) const {
  if (index >= size()) {
    throw std::out_of_range("trial " + std::to_string(index) + " of a space of " +
                            std::to_string(size()) + " trials");
  }
  auto chosen = detail::trial_values(*this, *plan, index);
  std::vector<std::pair<std::string, nlohmann::json>> out;
  out.reserve(chosen.size());
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    if (!chosen[i].is_null()) {
      out.emplace_back(parameters[i].path, std::move(chosen[i]));
    }
  }
  return out;
}

template <class T>
Trial<T> Space<T>::at(std::uint64_t index) const {
  Trial<T> trial;
  trial.index = index;
  trial.values = values_at(index);
  trial.overrides.reserve(trial.values.size());
  std::size_t i = 0;
  for (const auto& [path, value] : trial.values) {
    while (parameters[i].path != path) {
      ++i; // values are in `parameters` order
    }
    const bool name = plan->parameters[i].choice && value.is_string();
    trial.overrides.push_back(path + (name ? ".name=" : "=") + detail::value_text(value));
  }
  trial.config = apply_overrides(base, trial.overrides);
  return trial;
}

template <class T, std::enable_if_t<hyperparams::detail::is_config_struct<T>, int>>
Space<T> parse_space(std::string_view text, std::string_view source,
                     const std::filesystem::path& base_directory) {
  const auto doc =
      hyperparams::detail::parse_located(std::string(text), std::string(source), LoadOptions{});
  return detail::SpaceReader<T>(doc, std::string(source), base_directory).read();
}

template <class T, std::enable_if_t<hyperparams::detail::is_config_struct<T>, int>>
Space<T> load_space(const std::filesystem::path& path) {
  const std::string text = hyperparams::detail::read_file(path, LoadOptions{}.max_bytes);
  return parse_space<T>(text, path.string(), path.parent_path());
}

} // namespace hyperparams::search
