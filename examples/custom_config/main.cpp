// SPDX-License-Identifier: MIT
// A trainer with its own config struct (config.hpp): `custom_config train RUN.json [key=value...]`
// loads it strictly, applies overrides and prints the plan a training loop would follow; every
// other command is the library's command line for the struct (validate, show, defaults, schema,
// diff, fingerprint).
#include "config.hpp"

#include <hyperparams/cli.hpp>
#include <hyperparams/json.hpp>
#include <hyperparams/overrides.hpp>

#include <iostream>
#include <string>
#include <vector>

namespace hp = hyperparams;

namespace {

int train(const std::string& file, const std::vector<std::string>& overrides) {
  const app::Run run = hp::apply_overrides(hp::load_file<app::Run>(file), overrides);
  std::cout << "run " << hp::fingerprint(run) << " from " << run.data_dir << " in "
            << hp::to_string(run.precision)
            << (run.resume_from ? ", resuming " + *run.resume_from : "") << "\n";
  std::cout << "model: conv kernels";
  for (const auto k : run.kernel_sizes) {
    std::cout << ' ' << k;
  }
  std::cout << ", hidden widths";
  for (const auto width : run.train.layer_widths()) {
    std::cout << ' ' << width;
  }
  std::cout << ", " << hp::to_string(run.train.activation) << "\n";
  std::cout << "loss =";
  for (const auto& [name, weight] : run.loss_weights) {
    std::cout << ' ' << weight << '*' << name;
  }
  std::cout << ", gradients clipped at " << run.grad_clip << "\n";
  for (std::int32_t epoch = 0; epoch < run.train.epochs; ++epoch) {
    std::cout << "epoch " << epoch + 1 << ": " << hp::to_string(run.train.optimizer_name())
              << " at lr " << hp::learning_rate_at(run.train, epoch) << "\n";
  }
  std::cout << "stops early after " << run.early_stop_patience << " epochs without improvement\n";
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  if (argc >= 3 && std::string(argv[1]) == "train") {
    try {
      return train(argv[2], std::vector<std::string>(argv + 3, argv + argc));
    } catch (const hp::ConfigError& error) {
      std::cerr << error.what() << "\n"; // every issue, located: file:line:col: error: ...
      return 1;
    }
  }
  return hp::cli::main<app::Run>(argc, argv); // validate, show, defaults, schema, diff, ...
}
