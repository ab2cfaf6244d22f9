// SPDX-License-Identifier: MIT
// Catch2 v2 needs its main() compiled in exactly one translation unit.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
