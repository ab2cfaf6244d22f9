// SPDX-License-Identifier: MIT
// The compiled library (CMake target hyperparams::compiled): every function the headers declare,
// defined once. Translation units that use it are built with HYPERPARAMS_COMPILED (the target
// defines it for them), so they see declarations only and compile fast; see README "Compiled
// mode".
#ifndef HYPERPARAMS_COMPILED
#error "build the compiled library with HYPERPARAMS_COMPILED defined (CMake does)"
#endif

#include "hyperparams/impl/core.hpp"
#include "hyperparams/impl/described.hpp"
#include "hyperparams/impl/diff_hyperparams.hpp"
#include "hyperparams/impl/json_hyperparams.hpp"
#include "hyperparams/impl/layers_resolve.hpp"
#include "hyperparams/impl/overrides_hyperparams.hpp"
#include "hyperparams/impl/schema_hyperparams.hpp"

#include <ostream>
#include <variant>

namespace hyperparams {

// The comparison and printing operators are templates over the described structs; a translation
// unit that sees only <hyperparams/hyperparams.hpp> has their declarations, and links these
// explicit instantiations for the library's own structs. The static_assert keeps the list
// complete.
static_assert(std::variant_size_v<OptimizerOptions> + std::variant_size_v<LrScheduleOptions> + 1 ==
                  10,
              "instantiate the operators below for every struct of the library");

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
