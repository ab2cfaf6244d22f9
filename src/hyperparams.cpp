// SPDX-License-Identifier: MIT
// The compiled library (CMake target hyperparams::compiled): every function the headers declare,
// defined once. Translation units that use it are built with HYPERPARAMS_COMPILED (the target
// defines it for them), so they see declarations only and compile fast; see README "Compiled
// mode".
#ifndef HYPERPARAMS_COMPILED
#error "build the compiled library with HYPERPARAMS_COMPILED defined (CMake does)"
#endif

#include "hyperparams/impl/core.hpp"
#include "hyperparams/impl/diff.hpp"
#include "hyperparams/impl/json.hpp"
#include "hyperparams/impl/overrides.hpp"
#include "hyperparams/impl/schema.hpp"

#include <ostream>
#include <variant>

namespace hyperparams {

// The comparison and printing operators are templates over the config structs (HyperParams and
// the alternatives of its two variants); with only their declarations visible, users link these
// explicit instantiations. The static_assert keeps the list complete.
static_assert(std::variant_size_v<OptimizerOptions> + std::variant_size_v<LrScheduleOptions> + 1 ==
                  10,
              "instantiate the operators below for every config struct");

#define HYPERPARAMS_INSTANTIATE_OPERATORS(S)                                                       \
  template bool operator==<S, 0>(const S&, const S&);                                              \
  template bool operator!=<S, 0>(const S&, const S&);                                              \
  template std::ostream& operator<< <S, 0>(std::ostream&, const S&);

HYPERPARAMS_INSTANTIATE_OPERATORS(HyperParams)
HYPERPARAMS_INSTANTIATE_OPERATORS(SgdOptions)
HYPERPARAMS_INSTANTIATE_OPERATORS(AdamOptions)
HYPERPARAMS_INSTANTIATE_OPERATORS(AdamWOptions)
HYPERPARAMS_INSTANTIATE_OPERATORS(RmspropOptions)
HYPERPARAMS_INSTANTIATE_OPERATORS(AdagradOptions)
HYPERPARAMS_INSTANTIATE_OPERATORS(ConstantSchedule)
HYPERPARAMS_INSTANTIATE_OPERATORS(StepSchedule)
HYPERPARAMS_INSTANTIATE_OPERATORS(ExponentialSchedule)
HYPERPARAMS_INSTANTIATE_OPERATORS(CosineSchedule)

#undef HYPERPARAMS_INSTANTIATE_OPERATORS

} // namespace hyperparams
