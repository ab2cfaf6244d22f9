// SPDX-License-Identifier: MIT
// Compile-time benchmark (see ../README.md): training code that reads its hyperparameters
// through the core header. core_floor.cpp is the same code against a hand-written struct with
// only the standard headers that <hyperparams/hyperparams.hpp> includes; compile_time.py times
// both and reports the ratio.
#include <hyperparams/hyperparams.hpp>

#include <cstdint>
#include <string>
#include <vector>

struct TrainingPlan {
  std::vector<std::int32_t> widths;
  std::vector<double> learning_rates;
  double momentum = 0.0;
  bool gelu = false;
  std::string summary;
};

TrainingPlan make_plan(const hyperparams::HyperParams& hp) {
  hyperparams::check(hp, "plan"); // throws when invalid
  TrainingPlan plan;
  plan.widths = hp.layer_widths();
  for (std::int32_t epoch = 0; epoch < hp.epochs; ++epoch) {
    plan.learning_rates.push_back(hyperparams::learning_rate_at(hp, epoch + 1.0));
  }
  if (const auto* sgd = std::get_if<hyperparams::SgdOptions>(&hp.optimizer)) {
    plan.momentum = sgd->momentum;
  }
  plan.gelu = hp.activation == hyperparams::Activation::gelu;
  plan.summary = hyperparams::to_string(hp);
  return plan;
}
