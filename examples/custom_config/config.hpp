// SPDX-License-Identifier: MIT
// The trainer's own config, described once, next to the struct: every feature of the library
// (strict located loading, canonical saves, validation, the JSON Schema, overrides, diff, the
// command line) comes from this description.
#pragma once

#include <hyperparams/describe.hpp>
#include <hyperparams/hyperparams.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace app {

/// The trainer's own enum, with an alias.
enum class Precision { fp32, bf16, fp16 };
constexpr auto describe(hyperparams::type<Precision>) {
  return hyperparams::names<Precision>("precision", {{"fp32", Precision::fp32},
                                                     {"bf16", Precision::bf16},
                                                     {"fp16", Precision::fp16},
                                                     {"half", Precision::fp16}});
}

struct Run {
  hyperparams::HyperParams train; // the library's own struct, nested
  std::string data_dir;           // required: no default makes sense
  double grad_clip = 1.0;
  std::vector<std::int32_t> kernel_sizes{3, 3, 5};
  std::optional<std::string> resume_from;
  Precision precision = Precision::bf16;
  std::map<std::string, double> loss_weights{{"ce", 1.0}};
  std::uint32_t early_stop_patience = 5;
};

constexpr auto describe(hyperparams::type<Run>) {
  using hyperparams::field;
  return hyperparams::fields(
             field("train", &Run::train, "Optimizer, schedule and model shape."),
             field("data_dir", &Run::data_dir, "Directory of the training data.")
                 .required()
                 .nonempty(),
             field("grad_clip", &Run::grad_clip, "Max gradient norm; 0 disables.").ge(0),
             field("kernel_sizes", &Run::kernel_sizes, "Kernel size of each conv layer.")
                 .ge(1)
                 .le(11)
                 .items(1, 8),
             field("resume_from", &Run::resume_from, "Checkpoint to resume from, or null."),
             field("precision", &Run::precision, "Floating-point format of training."),
             field("loss_weights", &Run::loss_weights, "Weight of each loss term.")
                 .ge(0)
                 .nonempty(),
             field("early_stop_patience", &Run::early_stop_patience,
                   "Epochs without improvement before stopping; 0 never stops early."))
      .rules(+[](const Run& run, hyperparams::Rules& out) {
        // a rule between fields, checked once every field is valid on its own
        if (run.early_stop_patience >= static_cast<std::uint32_t>(run.train.epochs)) {
          out.fail("/early_stop_patience", "must be less than train.epochs (" +
                                               std::to_string(run.train.epochs) + "), got " +
                                               std::to_string(run.early_stop_patience));
        }
      });
}

// equality and printing from the library, for this namespace's structs
using hyperparams::operator==;
using hyperparams::operator!=;
using hyperparams::operator<<;

} // namespace app
