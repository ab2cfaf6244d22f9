// SPDX-License-Identifier: MIT
// make_optimizer: the torch::optim class of each optimizer, every option mapped (read back from
// the parameter group, with non-default values), the learning-rate helpers.
#include "torch_support.hpp" // and Catch2

#include <hyperparams/torch.hpp>

#include <torch/torch.h>

#include <cmath>
#include <stdexcept>
#include <tuple>
#include <vector>

namespace hp = hyperparams;
namespace ht = hyperparams::torch_adapter;

namespace {

std::vector<torch::Tensor> some_parameters() {
  return {torch::zeros({3, 2}, torch::requires_grad()), torch::zeros({2}, torch::requires_grad())};
}

hp::HyperParams with_optimizer(hp::OptimizerOptions options, double lr = 0.0123) {
  hp::HyperParams config;
  config.learning_rate = lr;
  config.optimizer = options;
  return config;
}

/// The options of the first parameter group, as the concrete type, after checking that the
/// optimizer is `Optimizer` and holds every parameter in that one group.
template <class Optimizer, class Options>
const Options& group_options(const torch::optim::Optimizer& optimizer) {
  REQUIRE(dynamic_cast<const Optimizer*>(&optimizer) != nullptr);
  REQUIRE(optimizer.param_groups().size() == 1);
  CHECK(optimizer.param_groups()[0].params().size() == 2);
  const auto* options = dynamic_cast<const Options*>(&optimizer.param_groups()[0].options());
  REQUIRE(options != nullptr);
  return *options;
}

} // namespace

TEST_CASE("make_optimizer: SGD with every option") {
  hptorch::setup();
  SECTION("Nesterov momentum, weight decay") {
    hp::SgdOptions sgd;
    sgd.momentum = 0.9;
    sgd.dampening = 0.0; // Nesterov needs 0
    sgd.nesterov = true;
    sgd.weight_decay = 1e-4;
    const auto optimizer = ht::make_optimizer(some_parameters(), with_optimizer(sgd));
    const auto& o = group_options<torch::optim::SGD, torch::optim::SGDOptions>(*optimizer);
    CHECK(o.lr() == 0.0123);
    CHECK(o.momentum() == 0.9);
    CHECK(o.dampening() == 0.0);
    CHECK(o.nesterov());
    CHECK(o.weight_decay() == 1e-4);
  }
  SECTION("momentum with dampening") {
    hp::SgdOptions sgd;
    sgd.momentum = 0.8;
    sgd.dampening = 0.25;
    sgd.nesterov = false;
    sgd.weight_decay = 5e-4;
    const auto optimizer = ht::make_optimizer(some_parameters(), with_optimizer(sgd, 0.5));
    const auto& o = group_options<torch::optim::SGD, torch::optim::SGDOptions>(*optimizer);
    CHECK(o.lr() == 0.5);
    CHECK(o.momentum() == 0.8);
    CHECK(o.dampening() == 0.25);
    CHECK_FALSE(o.nesterov());
    CHECK(o.weight_decay() == 5e-4);
  }
}

TEST_CASE("make_optimizer: Adam with every option") {
  hptorch::setup();
  hp::AdamOptions adam;
  adam.beta1 = 0.85;
  adam.beta2 = 0.995;
  adam.epsilon = 1e-6;
  adam.weight_decay = 0.02;
  adam.amsgrad = true;
  const auto optimizer = ht::make_optimizer(some_parameters(), with_optimizer(adam));
  const auto& o = group_options<torch::optim::Adam, torch::optim::AdamOptions>(*optimizer);
  CHECK(o.lr() == 0.0123);
  CHECK(std::get<0>(o.betas()) == 0.85);
  CHECK(std::get<1>(o.betas()) == 0.995);
  CHECK(o.eps() == 1e-6);
  CHECK(o.weight_decay() == 0.02);
  CHECK(o.amsgrad());
}

TEST_CASE("make_optimizer: AdamW with every option") {
  hptorch::setup();
  hp::AdamWOptions adamw;
  adamw.beta1 = 0.8;
  adamw.beta2 = 0.99;
  adamw.epsilon = 1e-7;
  adamw.weight_decay = 0.05;
  adamw.amsgrad = true;
  const auto optimizer = ht::make_optimizer(some_parameters(), with_optimizer(adamw));
  const auto& o = group_options<torch::optim::AdamW, torch::optim::AdamWOptions>(*optimizer);
  CHECK(o.lr() == 0.0123);
  CHECK(std::get<0>(o.betas()) == 0.8);
  CHECK(std::get<1>(o.betas()) == 0.99);
  CHECK(o.eps() == 1e-7);
  CHECK(o.weight_decay() == 0.05);
  CHECK(o.amsgrad());
}

TEST_CASE("make_optimizer: AdamW keeps its default weight decay of 0.01") {
  hptorch::setup();
  const auto optimizer = ht::make_optimizer(some_parameters(), with_optimizer(hp::AdamWOptions{}));
  const auto& o = group_options<torch::optim::AdamW, torch::optim::AdamWOptions>(*optimizer);
  CHECK(o.weight_decay() == 0.01);
  CHECK_FALSE(o.amsgrad());
}

TEST_CASE("make_optimizer: RMSprop with every option") {
  hptorch::setup();
  hp::RmspropOptions rmsprop;
  rmsprop.alpha = 0.9;
  rmsprop.epsilon = 1e-5;
  rmsprop.momentum = 0.5;
  rmsprop.centered = true;
  rmsprop.weight_decay = 3e-4;
  const auto optimizer = ht::make_optimizer(some_parameters(), with_optimizer(rmsprop));
  const auto& o = group_options<torch::optim::RMSprop, torch::optim::RMSpropOptions>(*optimizer);
  CHECK(o.lr() == 0.0123);
  CHECK(o.alpha() == 0.9);
  CHECK(o.eps() == 1e-5);
  CHECK(o.momentum() == 0.5);
  CHECK(o.centered());
  CHECK(o.weight_decay() == 3e-4);
}

TEST_CASE("make_optimizer: Adagrad with every option") {
  hptorch::setup();
  hp::AdagradOptions adagrad;
  adagrad.lr_decay = 1e-3;
  adagrad.epsilon = 1e-8;
  adagrad.initial_accumulator_value = 0.1;
  adagrad.weight_decay = 2e-4;
  const auto optimizer = ht::make_optimizer(some_parameters(), with_optimizer(adagrad));
  const auto& o = group_options<torch::optim::Adagrad, torch::optim::AdagradOptions>(*optimizer);
  CHECK(o.lr() == 0.0123);
  CHECK(o.lr_decay() == 1e-3);
  CHECK(o.eps() == 1e-8);
  CHECK(o.initial_accumulator_value() == 0.1);
  CHECK(o.weight_decay() == 2e-4);
}

TEST_CASE("make_optimizer: the default config is Adam with PyTorch's defaults") {
  hptorch::setup();
  const hp::HyperParams config;
  const auto optimizer = ht::make_optimizer(some_parameters(), config);
  const auto& o = group_options<torch::optim::Adam, torch::optim::AdamOptions>(*optimizer);
  const torch::optim::AdamOptions defaults;
  CHECK(o.lr() == config.learning_rate);
  CHECK(o.betas() == defaults.betas());
  CHECK(o.eps() == defaults.eps());
  CHECK(o.weight_decay() == defaults.weight_decay());
  CHECK(o.amsgrad() == defaults.amsgrad());
}

TEST_CASE("the default options of every optimizer are libtorch's own") {
  const auto sgd = std::get<hp::SgdOptions>(hp::default_options(hp::Optimizer::sgd));
  const torch::optim::SGDOptions torch_sgd(0.1); // SGD has no default learning rate
  CHECK(sgd.momentum == torch_sgd.momentum());
  CHECK(sgd.dampening == torch_sgd.dampening());
  CHECK(sgd.nesterov == torch_sgd.nesterov());
  CHECK(sgd.weight_decay == torch_sgd.weight_decay());
  const auto same_as_adam = [](const auto& ours, const auto& theirs) {
    CHECK(std::make_tuple(ours.beta1, ours.beta2) == theirs.betas());
    CHECK(ours.epsilon == theirs.eps());
    CHECK(ours.weight_decay == theirs.weight_decay());
    CHECK(ours.amsgrad == theirs.amsgrad());
  };
  same_as_adam(std::get<hp::AdamOptions>(hp::default_options(hp::Optimizer::adam)),
               torch::optim::AdamOptions());
  same_as_adam(std::get<hp::AdamWOptions>(hp::default_options(hp::Optimizer::adamw)),
               torch::optim::AdamWOptions());
  const auto rmsprop = std::get<hp::RmspropOptions>(hp::default_options(hp::Optimizer::rmsprop));
  const torch::optim::RMSpropOptions torch_rmsprop;
  CHECK(rmsprop.alpha == torch_rmsprop.alpha());
  CHECK(rmsprop.epsilon == torch_rmsprop.eps());
  CHECK(rmsprop.momentum == torch_rmsprop.momentum());
  CHECK(rmsprop.centered == torch_rmsprop.centered());
  CHECK(rmsprop.weight_decay == torch_rmsprop.weight_decay());
  const auto adagrad = std::get<hp::AdagradOptions>(hp::default_options(hp::Optimizer::adagrad));
  const torch::optim::AdagradOptions torch_adagrad;
  CHECK(adagrad.lr_decay == torch_adagrad.lr_decay());
  CHECK(adagrad.epsilon == torch_adagrad.eps());
  CHECK(adagrad.initial_accumulator_value == torch_adagrad.initial_accumulator_value());
  CHECK(adagrad.weight_decay == torch_adagrad.weight_decay());
}

TEST_CASE("make_optimizer: an invalid config is a ConfigError") {
  hptorch::setup();
  hp::HyperParams config;
  config.learning_rate = -1.0;
  CHECK_THROWS_AS(ht::make_optimizer(some_parameters(), config), hp::ConfigError);
  hp::SgdOptions sgd;
  sgd.nesterov = true; // without momentum
  CHECK_THROWS_AS(ht::make_optimizer(some_parameters(), with_optimizer(sgd)), hp::ConfigError);
}

TEST_CASE("set_learning_rate: every parameter group, and the step uses it") {
  hptorch::setup();
  auto weight = torch::ones({1}, torch::requires_grad());
  auto bias = torch::ones({1}, torch::requires_grad());
  const auto optimizer = ht::make_optimizer({weight}, with_optimizer(hp::SgdOptions{}, 0.1));
  optimizer->add_param_group(torch::optim::OptimizerParamGroup({bias}));
  REQUIRE(optimizer->param_groups().size() == 2);

  ht::set_learning_rate(*optimizer, 0.25);
  for (const auto& group : optimizer->param_groups()) {
    CHECK(group.options().get_lr() == 0.25);
  }
  CHECK(ht::learning_rate(*optimizer) == 0.25);

  (2.0 * weight + 4.0 * bias).sum().backward(); // gradients 2 and 4
  optimizer->step();
  CHECK(hptorch::near(weight.item<double>(), 1.0 - 0.25 * 2.0));
  CHECK(hptorch::near(bias.item<double>(), 1.0 - 0.25 * 4.0));
}

TEST_CASE("apply_schedule: learning_rate_at_step at each step") {
  hptorch::setup();
  hp::HyperParams config = with_optimizer(hp::AdamOptions{}, 0.1);
  config.epochs = 10;
  hp::CosineSchedule cosine;
  cosine.min_lr = 0.001;
  cosine.warmup_epochs = 2;
  config.lr_schedule = cosine;
  const auto optimizer = ht::make_optimizer(some_parameters(), config);

  // two steps per epoch; the warmup takes each step's end, the cosine its start
  CHECK(hptorch::near(ht::apply_schedule(*optimizer, config, 0, 1, 2), 0.05)); // half the warmup
  CHECK(hptorch::near(ht::learning_rate(*optimizer), 0.05));
  CHECK(hptorch::near(ht::apply_schedule(*optimizer, config, 1, 1, 2), 0.1));    // warmup done
  CHECK(hptorch::near(ht::apply_schedule(*optimizer, config, 6, 0, 2), 0.0505)); // half the cosine
  const double last = 0.001 + 0.099 * 0.5 * (1.0 + std::cos(3.14159265358979323846 * 7.5 / 8.0));
  CHECK(hptorch::near(ht::apply_schedule(*optimizer, config, 9, 1, 2), last));
  CHECK(hptorch::near(ht::learning_rate(*optimizer), last));
  CHECK_THROWS_AS(ht::apply_schedule(*optimizer, config, 0, 2, 2), std::invalid_argument);
}
