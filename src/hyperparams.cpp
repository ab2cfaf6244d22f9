// SPDX-License-Identifier: MIT
// The compiled library (CMake target hyperparams::compiled): every function the headers declare,
// defined once. Translation units that use it are built with HYPERPARAMS_COMPILED (the target
// defines it for them), so they see declarations only and compile fast; see README "Compiled
// mode".
#ifndef HYPERPARAMS_COMPILED
#error "build the compiled library with HYPERPARAMS_COMPILED defined (CMake does)"
#endif

#include "hyperparams/impl/core.hpp"
#include "hyperparams/impl/diff_hyperparams.hpp"
#include "hyperparams/impl/json_hyperparams.hpp"
#include "hyperparams/impl/overrides_hyperparams.hpp"
#include "hyperparams/impl/schema_hyperparams.hpp"
