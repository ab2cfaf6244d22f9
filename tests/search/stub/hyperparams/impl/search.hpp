// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// A stand-in for the parts of `hyperparams/impl/search.hpp` the export tests call, until the
/// loader and sampler land: the export tests add this directory with `-idirafter`, so the real
/// header wins as soon as it exists. Not for users.

#include "hyperparams/search.hpp"

#include <cmath>

namespace hyperparams::search {

inline std::uint64_t Parameter::grid_size() const {
  switch (distribution) {
  case Distribution::value:
    return 1;
  case Distribution::values:
    return values.size();
  case Distribution::uniform:
    // low + k * step for k = 0, 1, ..., never past high
    return step ? static_cast<std::uint64_t>(std::floor((high - low) / *step * (1 + 1e-12))) + 1
                : 0;
  case Distribution::int_uniform:
    return static_cast<std::uint64_t>((int_high - int_low) / int_step.value_or(1)) + 1;
  case Distribution::int_log_uniform:
    return static_cast<std::uint64_t>(int_high - int_low) + 1;
  case Distribution::log_uniform:
    return 0;
  }
  return 0;
}

} // namespace hyperparams::search
