// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The libtorch adapter (optional): turns a `HyperParams` into the torch::optim optimizer, the
/// activation module and the MLP or CNN it describes, so that a C++ trainer reads nothing but
/// the config. Everything is in namespace `hyperparams::torch_adapter`.
///
/// This header is the only one that needs libtorch (1.13 or later; link `torch`, see
/// examples/torch_fashion_mnist); the rest of the library never includes it.
///
///     namespace ht = hyperparams::torch_adapter;
///     torch::manual_seed(hp.seed);
///     auto model = ht::make_cnn(1, 10, hp);            // or ht::make_mlp(784, 10, hp)
///     auto optimizer = ht::make_optimizer(model->parameters(), hp);
///     for each step of each epoch:
///       ht::apply_schedule(*optimizer, hp, epoch, step, steps); // learning_rate_at_step
///       optimizer->zero_grad(); loss.backward(); optimizer->step();

#include "hyperparams/hyperparams.hpp"

#include <torch/nn.h>
#include <torch/optim.h>
#include <torch/types.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace hyperparams::torch_adapter {

// ---------------------------------------------------------------------------------------------
// Optimizers
// ---------------------------------------------------------------------------------------------

/// `torch::optim::SGDOptions` with every option of `o` and learning rate `lr`.
[[nodiscard]] inline torch::optim::SGDOptions torch_options(const SgdOptions& o, double lr) {
  return torch::optim::SGDOptions(lr)
      .momentum(o.momentum)
      .dampening(o.dampening)
      .nesterov(o.nesterov)
      .weight_decay(o.weight_decay);
}

/// `torch::optim::AdamOptions`: betas (beta1, beta2), eps, weight_decay, amsgrad.
[[nodiscard]] inline torch::optim::AdamOptions torch_options(const AdamOptions& o, double lr) {
  return torch::optim::AdamOptions(lr)
      .betas(std::make_tuple(o.beta1, o.beta2))
      .eps(o.epsilon)
      .weight_decay(o.weight_decay)
      .amsgrad(o.amsgrad);
}

/// `torch::optim::AdamWOptions`: betas (beta1, beta2), eps, weight_decay (decoupled), amsgrad.
[[nodiscard]] inline torch::optim::AdamWOptions torch_options(const AdamWOptions& o, double lr) {
  return torch::optim::AdamWOptions(lr)
      .betas(std::make_tuple(o.beta1, o.beta2))
      .eps(o.epsilon)
      .weight_decay(o.weight_decay)
      .amsgrad(o.amsgrad);
}

/// `torch::optim::RMSpropOptions`: alpha, eps, momentum, centered, weight_decay.
[[nodiscard]] inline torch::optim::RMSpropOptions torch_options(const RmspropOptions& o,
                                                                double lr) {
  return torch::optim::RMSpropOptions(lr)
      .alpha(o.alpha)
      .eps(o.epsilon)
      .momentum(o.momentum)
      .centered(o.centered)
      .weight_decay(o.weight_decay);
}

/// `torch::optim::AdagradOptions`: lr_decay, eps, initial_accumulator_value, weight_decay.
[[nodiscard]] inline torch::optim::AdagradOptions torch_options(const AdagradOptions& o,
                                                                double lr) {
  return torch::optim::AdagradOptions(lr)
      .lr_decay(o.lr_decay)
      .eps(o.epsilon)
      .initial_accumulator_value(o.initial_accumulator_value)
      .weight_decay(o.weight_decay);
}

namespace detail {

template <class Options>
struct TorchOptimizer;
template <>
struct TorchOptimizer<SgdOptions> {
  using type = torch::optim::SGD;
};
template <>
struct TorchOptimizer<AdamOptions> {
  using type = torch::optim::Adam;
};
template <>
struct TorchOptimizer<AdamWOptions> {
  using type = torch::optim::AdamW;
};
template <>
struct TorchOptimizer<RmspropOptions> {
  using type = torch::optim::RMSprop;
};
template <>
struct TorchOptimizer<AdagradOptions> {
  using type = torch::optim::Adagrad;
};

} // namespace detail

/// The torch::optim class of an options struct: `optimizer_t<AdamOptions>` is
/// `torch::optim::Adam`.
template <class Options>
using optimizer_t = typename detail::TorchOptimizer<Options>::type;

/// The optimizer `hp.optimizer` names (SGD, Adam, AdamW, RMSprop or Adagrad) over `parameters`,
/// one parameter group, with learning rate `hp.learning_rate` and every option of the config.
/// Change the learning rate during training with `set_learning_rate`.
/// \throws ConfigError when `hp` is not valid (`hyperparams::check`).
[[nodiscard]] inline std::unique_ptr<torch::optim::Optimizer>
make_optimizer(std::vector<torch::Tensor> parameters, const HyperParams& hp) {
  check(hp);
  return std::visit(
      [&](const auto& options) -> std::unique_ptr<torch::optim::Optimizer> {
        using Options = std::decay_t<decltype(options)>;
        return std::make_unique<optimizer_t<Options>>(std::move(parameters),
                                                      torch_options(options, hp.learning_rate));
      },
      hp.optimizer);
}

/// Sets the learning rate of every parameter group of `optimizer` (any torch::optim optimizer),
/// e.g. to `hyperparams::learning_rate_at_step(hp, epoch_index, step, steps_per_epoch)` before
/// each step (which `apply_schedule` does).
inline void set_learning_rate(torch::optim::Optimizer& optimizer, double lr) {
  for (auto& group : optimizer.param_groups()) {
    group.options().set_lr(lr);
  }
}

/// Sets the learning rate of every parameter group to `learning_rate_at_step(hp, epoch_index,
/// step, steps_per_epoch)` and returns it. Call it before each step (both indices from 0).
inline double apply_schedule(torch::optim::Optimizer& optimizer, const HyperParams& hp,
                             std::uint64_t epoch_index, std::uint64_t step,
                             std::uint64_t steps_per_epoch) {
  const double lr = learning_rate_at_step(hp, epoch_index, step, steps_per_epoch);
  set_learning_rate(optimizer, lr);
  return lr;
}

/// The learning rate of the first parameter group (0 when there is none).
[[nodiscard]] inline double learning_rate(const torch::optim::Optimizer& optimizer) {
  const auto& groups = optimizer.param_groups();
  return groups.empty() ? 0.0 : groups.front().options().get_lr();
}

// ---------------------------------------------------------------------------------------------
// Models
// ---------------------------------------------------------------------------------------------

/// The torch::nn module of an activation, with PyTorch's default parameters: ReLU,
/// LeakyReLU (negative slope 0.01), ELU (alpha 1), SELU, GELU (exact, erf), SiLU, Sigmoid, Tanh,
/// Softplus (beta 1), Mish, and Identity for `linear`.
/// \throws std::invalid_argument for a value outside the enum.
[[nodiscard]] inline torch::nn::AnyModule make_activation(Activation activation) {
  namespace nn = torch::nn;
  switch (activation) {
  case Activation::relu:
    return nn::AnyModule(nn::ReLU());
  case Activation::leaky_relu:
    return nn::AnyModule(nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(0.01)));
  case Activation::elu:
    return nn::AnyModule(nn::ELU());
  case Activation::selu:
    return nn::AnyModule(nn::SELU());
  case Activation::gelu:
    return nn::AnyModule(nn::GELU());
  case Activation::silu:
    return nn::AnyModule(nn::SiLU());
  case Activation::sigmoid:
    return nn::AnyModule(nn::Sigmoid());
  case Activation::tanh:
    return nn::AnyModule(nn::Tanh());
  case Activation::softplus:
    return nn::AnyModule(nn::Softplus());
  case Activation::mish:
    return nn::AnyModule(nn::Mish());
  case Activation::linear:
    return nn::AnyModule(nn::Identity());
  }
  throw std::invalid_argument("make_activation: not an activation (value " +
                              std::to_string(static_cast<int>(activation)) + ")");
}

/// `make_activation(hp.activation)`.
[[nodiscard]] inline torch::nn::AnyModule make_activation(const HyperParams& hp) {
  return make_activation(hp.activation);
}

/// A multilayer perceptron: `flatten` (so images of any shape work), then for each hidden layer
/// i = 1..layers with width `hp.layer_widths()[i-1]`: `linearI` (Linear), `activationI`
/// (`make_activation(hp)`) and, when `hp.dropout > 0`, `dropoutI` (Dropout(p = hp.dropout));
/// then `output`, a Linear to `outputs` logits (no softmax: use cross_entropy). Weights keep
/// libtorch's default initialisation.
/// \throws ConfigError when `hp` is not valid; std::invalid_argument when `inputs` or `outputs`
/// is below 1.
[[nodiscard]] inline torch::nn::Sequential make_mlp(std::int64_t inputs, std::int64_t outputs,
                                                    const HyperParams& hp) {
  namespace nn = torch::nn;
  check(hp);
  if (inputs < 1 || outputs < 1) {
    throw std::invalid_argument("make_mlp: inputs and outputs must be >= 1, got " +
                                std::to_string(inputs) + " and " + std::to_string(outputs));
  }
  nn::Sequential model;
  model->push_back("flatten", nn::Flatten());
  std::int64_t width_in = inputs;
  int index = 0;
  for (const std::int32_t width : hp.layer_widths()) {
    const std::string n = std::to_string(++index);
    model->push_back("linear" + n, nn::Linear(width_in, width));
    model->push_back("activation" + n, make_activation(hp));
    if (hp.dropout > 0.0) {
      model->push_back("dropout" + n, nn::Dropout(nn::DropoutOptions(hp.dropout)));
    }
    width_in = width;
  }
  model->push_back("output", nn::Linear(width_in, outputs));
  return model;
}

/// How many of `make_cnn`'s first blocks end with a 2x2 max-pool: two, so that a 28x28 image
/// (MNIST, Fashion-MNIST) is 14x14 after the first block and 7x7 from the third on.
inline constexpr int cnn_pooled_blocks = 2;

/// The side of the feature maps that `make_cnn`'s classifier reads (after its adaptive pool).
inline constexpr std::int64_t cnn_feature_side = 7;

/// A convolutional network for images of `channels` channels: for each block i = 1..layers with
/// width `hp.layer_widths()[i-1]` (output channels): `convI` (Conv2d, 3x3, padding 1, so the
/// size is kept), `activationI` (`make_activation(hp)`), for the first `cnn_pooled_blocks`
/// blocks `poolI` (MaxPool2d 2x2), and, when `hp.dropout > 0`, `dropoutI` (Dropout(p =
/// hp.dropout), element-wise as in the MLP); then `adaptive_pool` (AdaptiveAvgPool2d to 7x7:
/// nothing to do for 28x28 images after the two max-pools, and any other size, 4x4 or more, ends
/// as 7x7 too), `flatten` and `classifier`, a Linear from last width x 7 x 7 features to
/// `classes` logits. Weights keep libtorch's default initialisation.
/// \throws ConfigError when `hp` is not valid; std::invalid_argument when `channels` or
/// `classes` is below 1.
[[nodiscard]] inline torch::nn::Sequential make_cnn(std::int64_t channels, std::int64_t classes,
                                                    const HyperParams& hp) {
  namespace nn = torch::nn;
  check(hp);
  if (channels < 1 || classes < 1) {
    throw std::invalid_argument("make_cnn: channels and classes must be >= 1, got " +
                                std::to_string(channels) + " and " + std::to_string(classes));
  }
  nn::Sequential model;
  std::int64_t width_in = channels;
  int index = 0;
  for (const std::int32_t width : hp.layer_widths()) {
    const std::string n = std::to_string(++index);
    model->push_back("conv" + n, nn::Conv2d(nn::Conv2dOptions(width_in, width, 3).padding(1)));
    model->push_back("activation" + n, make_activation(hp));
    if (index <= cnn_pooled_blocks) {
      model->push_back("pool" + n, nn::MaxPool2d(nn::MaxPool2dOptions(2)));
    }
    if (hp.dropout > 0.0) {
      model->push_back("dropout" + n, nn::Dropout(nn::DropoutOptions(hp.dropout)));
    }
    width_in = width;
  }
  model->push_back("adaptive_pool", nn::AdaptiveAvgPool2d(nn::AdaptiveAvgPool2dOptions(
                                        {cnn_feature_side, cnn_feature_side})));
  model->push_back("flatten", nn::Flatten());
  model->push_back("classifier",
                   nn::Linear(width_in * cnn_feature_side * cnn_feature_side, classes));
  return model;
}

/// The number of trainable values of `module`.
[[nodiscard]] inline std::int64_t parameter_count(const torch::nn::Module& module) {
  std::int64_t count = 0;
  for (const auto& p : module.parameters()) {
    count += p.numel();
  }
  return count;
}

} // namespace hyperparams::torch_adapter
