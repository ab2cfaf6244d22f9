// SPDX-License-Identifier: MIT
#pragma once
// Helpers shared by the libtorch adapter's tests, and Catch2 after libtorch: libtorch's headers
// include glog, whose CHECK macro is not Catch2's. Include this header instead of
// "catch_compat.hpp".
#include <hyperparams/torch.hpp>

#include <torch/torch.h>

#ifdef CHECK
#undef CHECK // glog's; Catch2 defines its own
#endif
#include "catch_compat.hpp"

#include <cmath>
#include <cstdint>

namespace hptorch {

/// One intra-op thread and a fixed seed; every test calls it first, so that tests run alone or
/// in any order give the same numbers. One thread, not two: ctest runs two test programs at once
/// on the two cores, and libgomp's threads spin-wait for each other at every parallel region,
/// so two threads each made the training tests ten times slower there (26 s instead of 2.6 s).
/// One thread is also what lets the tests run under ThreadSanitizer (see torch.cmake).
inline void setup(std::uint64_t seed = 42) {
  torch::set_num_threads(1);
  torch::manual_seed(seed);
}

/// |a - b| <= tolerance * max(1, |b|): Catch2 v2 and v3 spell Approx differently.
inline bool near(double a, double b, double tolerance = 1e-9) {
  return std::fabs(a - b) <= tolerance * std::fmax(1.0, std::fabs(b));
}

} // namespace hptorch
