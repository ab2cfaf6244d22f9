// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Definitions of the functions `<hyperparams/diff.hpp>` declares for `HyperParams`: included by
/// that header (header-only) or compiled once into the library (`HYPERPARAMS_COMPILED`). Not for
/// users.

#include "hyperparams/diff.hpp"
#include "hyperparams/impl/diff.hpp"

namespace hyperparams {

HYPERPARAMS_INLINE std::vector<Difference> diff(const HyperParams& a, const HyperParams& b) {
  return diff<HyperParams>(a, b);
}

HYPERPARAMS_INLINE std::string fingerprint(const HyperParams& hp) {
  return fingerprint<HyperParams>(hp);
}

} // namespace hyperparams
