// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Definitions of the functions `<hyperparams/json.hpp>` declares for `HyperParams`: included by
/// that header (header-only) or compiled once into the library (`HYPERPARAMS_COMPILED`). Not for
/// users.

#include "hyperparams/impl/json.hpp"
#include "hyperparams/json.hpp"

#include <string>
#include <string_view>

namespace hyperparams {

HYPERPARAMS_INLINE HyperParams parse(std::string_view text, std::string_view source,
                                     const LoadOptions& options) {
  return parse<HyperParams>(text, source, options);
}

HYPERPARAMS_INLINE HyperParams load_file(const std::filesystem::path& path,
                                         const LoadOptions& options) {
  return load_file<HyperParams>(path, options);
}

HYPERPARAMS_INLINE HyperParams load_stream(std::istream& in, std::string_view source,
                                           const LoadOptions& options) {
  return load_stream<HyperParams>(in, source, options);
}

HYPERPARAMS_INLINE std::string dump(const HyperParams& hp) {
  return dump<HyperParams>(hp);
}

HYPERPARAMS_INLINE void save_file(const std::filesystem::path& path, const HyperParams& hp) {
  save_file<HyperParams>(path, hp);
}

HYPERPARAMS_INLINE void to_json(nlohmann::json& j, const HyperParams& hp) {
  detail::to_dom(j, hp);
}

HYPERPARAMS_INLINE void from_json(const nlohmann::json& j, HyperParams& hp) {
  hp = detail::from_dom<HyperParams>(j);
}

} // namespace hyperparams
