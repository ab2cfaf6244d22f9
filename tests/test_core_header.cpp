// SPDX-License-Identifier: MIT
// The core header must not pull in nlohmann/json (it costs seconds per translation unit): this
// file includes only the core header before checking, so the build fails if it ever does.
#include <hyperparams/hyperparams.hpp>

#if defined(INCLUDE_NLOHMANN_JSON_HPP_) || defined(NLOHMANN_JSON_VERSION_MAJOR) ||                 \
    defined(INCLUDE_NLOHMANN_JSON_FWD_HPP_)
#error "<hyperparams/hyperparams.hpp> includes nlohmann/json"
#endif

#include "catch_compat.hpp"

#include <sstream>

TEST_CASE("the core header alone gives trainers everything but JSON", "[core]") {
  hyperparams::HyperParams hp;
  hp.layers = 3;
  hp.neurons = std::vector<std::int32_t>{64, 32, 16};
  CHECK(hyperparams::validate(hp).empty());
  CHECK(hp.layer_widths() == std::vector<std::int32_t>{64, 32, 16});
  std::ostringstream os;
  os << hp;
  CHECK_THAT(os.str(), hptest::Contains("\"neurons\": [64, 32, 16]"));
}
