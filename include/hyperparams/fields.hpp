// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The descriptions of the library's own structs (`HyperParams`, the optimizer options, the
/// learning-rate schedules), written with the public mechanism of `<hyperparams/describe.hpp>`
/// that describes yours: one entry per field (JSON key, member, documentation, bounds) drives
/// the JSON reader and writer, validation, the JSON Schema, overrides, diff and the docs.
/// Templates and constexpr functions only, so it is header-only in both modes (see
/// `HYPERPARAMS_COMPILED`); `<hyperparams/hyperparams.hpp>` includes it in both modes.

#include "hyperparams/describe.hpp"
#include "hyperparams/detail/walk.hpp"
#include "hyperparams/impl/core_api.hpp"

#include <string_view>

namespace hyperparams {

namespace detail {
/// The rules between fields of the library's structs (defined in impl/core.hpp, compiled once
/// in compiled mode).
HYPERPARAMS_INLINE void sgd_rules(const SgdOptions& o, Rules& out);
HYPERPARAMS_INLINE void hyperparams_rules(const HyperParams& hp, Rules& out);
} // namespace detail

/// `torch.optim.SGD`; nesterov needs momentum > 0 and dampening 0.
constexpr auto describe(type<SgdOptions>) {
  return fields(field("momentum", &SgdOptions::momentum, "Momentum factor.").ge(0),
                field("dampening", &SgdOptions::dampening, "Dampening for momentum.").ge(0).le(1),
                field("nesterov", &SgdOptions::nesterov,
                      "Nesterov momentum (needs momentum > 0 and dampening 0)."),
                field("weight_decay", &SgdOptions::weight_decay, "L2 penalty.").ge(0))
      .rules(&detail::sgd_rules);
}

namespace detail {
/// Adam and AdamW share their options; only weight decay means another thing.
template <class S>
constexpr auto adam_fields(std::string_view weight_decay_doc) {
  return fields(
      field("beta1", &S::beta1, "Decay rate of the running average of the gradient.").ge(0).lt(1),
      field("beta2", &S::beta2, "Decay rate of the running average of the squared gradient.")
          .ge(0)
          .lt(1),
      field("epsilon", &S::epsilon, "Term added to the denominator for numerical stability.").ge(0),
      field("weight_decay", &S::weight_decay, weight_decay_doc).ge(0),
      field("amsgrad", &S::amsgrad, "Use the AMSGrad variant."));
}

/// The warmup every schedule has.
template <class S>
constexpr auto warmup_field() {
  return field("warmup_epochs", &S::warmup_epochs,
               "Epochs of linear warmup from 0 (fractional allowed; less than epochs).")
      .ge(0);
}
} // namespace detail

/// `torch.optim.Adam`.
constexpr auto describe(type<AdamOptions>) {
  return detail::adam_fields<AdamOptions>("L2 penalty.");
}

/// `torch.optim.AdamW`.
constexpr auto describe(type<AdamWOptions>) {
  return detail::adam_fields<AdamWOptions>("Decoupled weight decay coefficient.");
}

/// `torch.optim.RMSprop`.
constexpr auto describe(type<RmspropOptions>) {
  return fields(field("alpha", &RmspropOptions::alpha, "Smoothing constant.").ge(0).lt(1),
                field("epsilon", &RmspropOptions::epsilon,
                      "Term added to the denominator for numerical stability.")
                    .ge(0),
                field("momentum", &RmspropOptions::momentum, "Momentum factor.").ge(0),
                field("centered", &RmspropOptions::centered,
                      "Normalise by an estimate of the gradient's variance."),
                field("weight_decay", &RmspropOptions::weight_decay, "L2 penalty.").ge(0));
}

/// `torch.optim.Adagrad`.
constexpr auto describe(type<AdagradOptions>) {
  return fields(field("lr_decay", &AdagradOptions::lr_decay, "Learning-rate decay.").ge(0),
                field("epsilon", &AdagradOptions::epsilon,
                      "Term added to the denominator for numerical stability.")
                    .ge(0),
                field("initial_accumulator_value", &AdagradOptions::initial_accumulator_value,
                      "Initial value of the sum of squared gradients.")
                    .ge(0),
                field("weight_decay", &AdagradOptions::weight_decay, "L2 penalty.").ge(0));
}

constexpr auto describe(type<ConstantSchedule>) {
  return fields(detail::warmup_field<ConstantSchedule>());
}

constexpr auto describe(type<StepSchedule>) {
  return fields(
      field("step_size", &StepSchedule::step_size, "Epochs between two decays.").ge(1),
      field("gamma", &StepSchedule::gamma, "Factor of each decay, in (0, 1].").gt(0).le(1),
      detail::warmup_field<StepSchedule>());
}

constexpr auto describe(type<ExponentialSchedule>) {
  return fields(
      field("gamma", &ExponentialSchedule::gamma, "Factor applied every epoch, in (0, 1].")
          .gt(0)
          .le(1),
      detail::warmup_field<ExponentialSchedule>());
}

constexpr auto describe(type<CosineSchedule>) {
  return fields(field("min_lr", &CosineSchedule::min_lr,
                      "Learning rate at the end of training (at most learning_rate).")
                    .ge(0),
                detail::warmup_field<CosineSchedule>());
}

/// The hyperparameters of a training run.
constexpr auto describe(type<HyperParams>) {
  return fields(field("learning_rate", &HyperParams::learning_rate,
                      "Step size of the optimizer (finite, > 0).")
                    .gt(0),
                field("batch_size", &HyperParams::batch_size, "Samples per gradient step.").ge(1),
                field("epochs", &HyperParams::epochs, "Passes over the training set.").ge(1),
                field("optimizer", &HyperParams::optimizer,
                      "Optimizer name, or an object with \"name\" and its options (PyTorch "
                      "defaults)."),
                field("lr_schedule", &HyperParams::lr_schedule,
                      "Learning-rate schedule name, or an object with \"name\" and its options."),
                field("layers", &HyperParams::layers, "Number of hidden layers.").ge(1),
                field("neurons", &HyperParams::neurons,
                      "Width of every hidden layer, or a list with one width per layer.")
                    .ge(1),
                field("dropout", &HyperParams::dropout,
                      "Probability of zeroing a hidden unit during training, in [0, 1).")
                    .ge(0)
                    .lt(1),
                field("activation", &HyperParams::activation, "Hidden-layer activation."),
                field("seed", &HyperParams::seed,
                      "Seed of every random number generator, for reproducible runs."))
      .rules(&detail::hyperparams_rules);
}

static_assert(detail::is_options_variant<OptimizerOptions>::value &&
                  detail::is_options_variant<LrScheduleOptions>::value,
              "the optimizer and the schedule are variants of described option structs");

} // namespace hyperparams

// The definitions that use the descriptions (header-only mode); after them, so they can use them.
#include "hyperparams/hyperparams.hpp"
