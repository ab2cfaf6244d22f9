// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Definitions of the functions `<hyperparams/overrides.hpp>` declares for `HyperParams` and the
/// command line: included by that header (header-only) or compiled once into the library
/// (`HYPERPARAMS_COMPILED`). Not for users.

#include "hyperparams/impl/overrides.hpp"
#include "hyperparams/overrides.hpp"

#include <string>
#include <vector>

namespace hyperparams {

HYPERPARAMS_INLINE HyperParams apply_overrides(const HyperParams& base,
                                               const std::vector<std::string>& overrides) {
  return apply_overrides<HyperParams>(base, overrides);
}

HYPERPARAMS_INLINE SplitArguments split_arguments(int argc, const char* const* argv) {
  SplitArguments out;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--set") {
      out.overrides.push_back(i + 1 < argc ? argv[++i] : "");
    } else if (arg.rfind("--set=", 0) == 0) {
      out.overrides.push_back(arg.substr(6));
    } else if (arg.find('=') != std::string::npos && arg.front() != '-') {
      out.overrides.push_back(arg);
    } else {
      out.others.push_back(arg);
    }
  }
  return out;
}

} // namespace hyperparams
