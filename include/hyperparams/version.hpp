// SPDX-License-Identifier: MIT
#pragma once

/// The library version: the single source (CMake reads these three lines).
#define HYPERPARAMS_VERSION_MAJOR 0
#define HYPERPARAMS_VERSION_MINOR 1
#define HYPERPARAMS_VERSION_PATCH 0

#define HYPERPARAMS_VERSION_STRING_IMPL(a, b, c) #a "." #b "." #c
#define HYPERPARAMS_VERSION_STRING_EXPAND(a, b, c) HYPERPARAMS_VERSION_STRING_IMPL(a, b, c)
/// "MAJOR.MINOR.PATCH"
#define HYPERPARAMS_VERSION_STRING                                                                 \
  HYPERPARAMS_VERSION_STRING_EXPAND(HYPERPARAMS_VERSION_MAJOR, HYPERPARAMS_VERSION_MINOR,          \
                                    HYPERPARAMS_VERSION_PATCH)
