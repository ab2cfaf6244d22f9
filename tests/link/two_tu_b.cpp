// SPDX-License-Identifier: MIT
#include <hyperparams/hyperparams.hpp>
#include <hyperparams/json.hpp>

#include <string>

std::string dump_in_b(const hyperparams::HyperParams& hp) {
  nlohmann::json j = hp;
  return hyperparams::dump(hyperparams::parse(j.dump()));
}
