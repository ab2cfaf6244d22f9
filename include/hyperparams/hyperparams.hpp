// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The core of hyperparams: the `HyperParams` struct, its enums and optimizer options,
/// `validate()`, `Issue` and `ConfigError`, and the templates that give the same to any struct
/// described with `<hyperparams/describe.hpp>`. The descriptions of the library's own structs are
/// in `<hyperparams/fields.hpp>`.
///
/// Standard library only: training code that reads hyperparameters includes this header and
/// pays nothing for JSON. `<hyperparams/json.hpp>` adds loading and saving.
///
/// Header-only by default. With `HYPERPARAMS_COMPILED` defined (the CMake target
/// `hyperparams::compiled` defines it and links the one compiled library), the headers only
/// declare the library's functions for `HyperParams` and `src/hyperparams.cpp` defines them
/// once, so a translation unit that includes a header pays only for the declarations. What is
/// generic over a described struct is templates and stays header-only in both modes.

#include "hyperparams/impl/core_api.hpp" // IWYU pragma: export

#include "hyperparams/fields.hpp"         // IWYU pragma: export
#include "hyperparams/impl/described.hpp" // IWYU pragma: export

#ifndef HYPERPARAMS_COMPILED
#include "hyperparams/impl/core.hpp"
#endif
