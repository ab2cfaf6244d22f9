// SPDX-License-Identifier: MIT
// toy_trainer CONFIG [key=value...]: a stand-in trainer for the Optuna driver's test. It loads the
// config as a real trainer does (load_file, then the overrides), and prints Katib's StdOut metric
// lines: a first `score=0` that the driver must not keep (the last value wins), then the score, a
// smooth deterministic function of learning_rate, batch_size, dropout and the optimizer. A bad
// config: the library's message on stderr, exit status 1.
#include <hyperparams/overrides.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>
#include <variant>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: toy_trainer CONFIG [key=value...]\n";
    return 2;
  }
  try {
    hyperparams::HyperParams hp = hyperparams::load_file(argv[1]);
    const std::vector<std::string> overrides(argv + 2, argv + argc);
    hp = hyperparams::apply_overrides(hp, overrides);
    const double lr = std::log10(hp.learning_rate) + 2.5; // best at 10^-2.5
    const double batch = (hp.batch_size - 32) / 64.0;
    const double dropout = hp.dropout - 0.2;
    double optimizer = 0.02;
    if (const auto* sgd = std::get_if<hyperparams::SgdOptions>(&hp.optimizer)) {
      optimizer = 0.1 * sgd->momentum - 0.03;
    }
    const double score = 1.0 - lr * lr / 10.0 - batch * batch - dropout * dropout + optimizer;
    std::printf("epoch=1 loss=%.6f\nscore=0\nscore=%.6f\n", 1.0 - score, score);
    return 0;
  } catch (const hyperparams::ConfigError& error) {
    std::cerr << error.what() << '\n';
    return 1;
  }
}
