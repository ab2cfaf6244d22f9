// SPDX-License-Identifier: MIT
// Prints trials [A, B) of a search space over HyperParams, one line per trial: its index, the
// values of its active parameters and the whole config, as compact JSON. `--reverse` makes them
// from B - 1 down to A (and prints them in that order), for a test that the order changes
// nothing.
//
//     hyperparams_print_trials space.json A B [--reverse]
#include <hyperparams/json.hpp>
#include <hyperparams/search.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>

namespace {

std::string line_of(const hyperparams::search::Trial<hyperparams::HyperParams>& trial) {
  nlohmann::json values = nlohmann::json::array();
  for (const auto& [path, value] : trial.values) {
    values.push_back({path, value});
  }
  const nlohmann::json config = trial.config;
  return nlohmann::json{{"index", trial.index}, {"values", values}, {"config", config}}.dump();
}

} // namespace

int main(int argc, char** argv) {
  const bool reverse = argc == 5 && std::string(argv[4]) == "--reverse";
  if (argc != 4 && !reverse) {
    std::cerr << "usage: hyperparams_print_trials SPACE A B [--reverse]\n";
    return 2;
  }
  try {
    const auto space = hyperparams::search::load_space<hyperparams::HyperParams>(argv[1]);
    const std::uint64_t a = std::stoull(argv[2]);
    const std::uint64_t b = std::stoull(argv[3]);
    for (std::uint64_t k = 0; a + k < b; ++k) {
      std::cout << line_of(space.at(reverse ? b - 1 - k : a + k)) << '\n';
    }
  } catch (const hyperparams::ConfigError& e) {
    std::cerr << e.what() << '\n';
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
