// SPDX-License-Identifier: MIT
// A user's config as a real trainer has one, described with <hyperparams/describe.hpp>: every
// kind of member at several depths (the library's HyperParams nested; its own enums, structs, a
// list of structs, maps, optionals, a variant of option structs chosen by "name", a scalar or a
// list, every integer width, float) and rules between fields. The tests, the fuzzer and the
// schema check of user structs all read this one.
#pragma once

#include <hyperparams/describe.hpp>
#include <hyperparams/hyperparams.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace testapp {

enum class Precision { fp32, bf16, fp16 };
constexpr auto describe(hyperparams::type<Precision>) {
  return hyperparams::names<Precision>("precision", {{"fp32", Precision::fp32},
                                                     {"bf16", Precision::bf16},
                                                     {"fp16", Precision::fp16},
                                                     {"half", Precision::fp16}});
}

enum class Pooling { max, avg };
constexpr auto describe(hyperparams::type<Pooling>) {
  return hyperparams::names<Pooling>("pooling", {{"max", Pooling::max}, {"avg", Pooling::avg}});
}

/// The normalisation of a block, chosen by "name" as the optimizer is.
enum class NormKind { none, batch, layer };
constexpr auto describe(hyperparams::type<NormKind>) {
  return hyperparams::names<NormKind>(
      "normalisation",
      {{"none", NormKind::none}, {"batch", NormKind::batch}, {"layer", NormKind::layer}});
}

struct NoNorm {
  static constexpr NormKind kind = NormKind::none;
};
constexpr auto describe(hyperparams::type<NoNorm>) {
  return hyperparams::fields<NoNorm>();
}

struct BatchNorm {
  static constexpr NormKind kind = NormKind::batch;
  double momentum = 0.1;
  double eps = 1e-5;
};
constexpr auto describe(hyperparams::type<BatchNorm>) {
  using hyperparams::field;
  return hyperparams::fields(
      field("momentum", &BatchNorm::momentum, "Running-average momentum.").ge(0).le(1),
      field("eps", &BatchNorm::eps, "Added to the variance.").gt(0));
}

struct LayerNorm {
  static constexpr NormKind kind = NormKind::layer;
  double eps = 1e-5;
  bool affine = true;
};
constexpr auto describe(hyperparams::type<LayerNorm>) {
  using hyperparams::field;
  return hyperparams::fields(field("eps", &LayerNorm::eps, "Added to the variance.").gt(0),
                             field("affine", &LayerNorm::affine, "Learn a scale and shift."));
}

using Norm = std::variant<NoNorm, BatchNorm, LayerNorm>;

struct Block {
  std::int32_t channels = 32;
  std::vector<std::int32_t> kernel{3, 3};
  Pooling pooling = Pooling::max;
  std::optional<double> dropout;
  Norm norm = BatchNorm{};
};
constexpr auto describe(hyperparams::type<Block>) {
  using hyperparams::field;
  return hyperparams::fields(
      field("channels", &Block::channels, "Output channels.").ge(1).le(4096),
      field("kernel", &Block::kernel, "Kernel size per dimension.").ge(1).le(15).items(1, 3),
      field("pooling", &Block::pooling, "Pooling after the block."),
      field("dropout", &Block::dropout, "Dropout after the block; null for none.").ge(0).lt(1),
      field("norm", &Block::norm, "Normalisation: a name, or an object with \"name\"."));
}

struct Model {
  std::vector<Block> blocks{Block{}};
  std::variant<std::int32_t, std::vector<std::int32_t>> head = 10;
  bool residual = false;
};
constexpr auto describe(hyperparams::type<Model>) {
  using hyperparams::field;
  return hyperparams::fields(
             field("blocks", &Model::blocks, "The convolutional blocks, in order.").items(1, 16),
             field("head", &Model::head, "Width of the head's layers: one, or one per layer.")
                 .ge(1),
             field("residual", &Model::residual, "Skip connections (needs two blocks or more)."))
      .rules(+[](const Model& m, hyperparams::Rules& out) {
        if (m.residual && m.blocks.size() < 2) {
          out.fail("/residual", "needs at least 2 blocks, got " + std::to_string(m.blocks.size()));
        }
      });
}

struct Loss {
  double weight = 1.0;
  float label_smoothing = 0.0F;
};
constexpr auto describe(hyperparams::type<Loss>) {
  using hyperparams::field;
  return hyperparams::fields(
      field("weight", &Loss::weight, "Weight in the total loss.").ge(0),
      field("label_smoothing", &Loss::label_smoothing, "Label smoothing.").ge(0).lt(1));
}

struct Run {
  std::string name;
  hyperparams::HyperParams train;
  Model model;
  std::map<std::string, Loss> losses{{"ce", Loss{}}};
  std::map<std::string, double> metric_weights;
  Precision precision = Precision::bf16;
  std::optional<std::string> resume_from;
  std::int8_t log_level = 1;
  std::uint16_t port = 29500;
  std::int64_t max_steps = -1;
  std::uint32_t workers = 4;
  float clip = 1.0F;
  bool deterministic = true;
};
constexpr auto describe(hyperparams::type<Run>) {
  using hyperparams::field;
  return hyperparams::fields(
             field("name", &Run::name, "Name of the run.").required().nonempty(),
             field("train", &Run::train, "Optimizer, schedule and model shape."),
             field("model", &Run::model, "The network."),
             field("losses", &Run::losses, "Losses by name.").nonempty(),
             field("metric_weights", &Run::metric_weights, "Weights of the logged metrics.").ge(0),
             field("precision", &Run::precision, "Floating-point format of training."),
             field("resume_from", &Run::resume_from, "Checkpoint to resume from, or null."),
             field("log_level", &Run::log_level, "-1 quiet to 3 verbose.").ge(-1).le(3),
             field("port", &Run::port, "Port of the rendezvous.").ge(1024),
             field("max_steps", &Run::max_steps, "Stop after this many steps; -1: no limit.")
                 .ge(-1),
             field("workers", &Run::workers, "Data-loading workers.").le(64),
             field("clip", &Run::clip, "Max gradient norm; 0 disables.").ge(0),
             field("deterministic", &Run::deterministic, "Deterministic kernels."))
      .rules(+[](const Run& r, hyperparams::Rules& out) {
        if (r.deterministic && r.precision == Precision::fp16) {
          out.fail("/deterministic", "needs precision fp32 or bf16 (fp16 kernels are not "
                                     "deterministic)");
        }
      });
}

using hyperparams::operator==;
using hyperparams::operator!=;
using hyperparams::operator<<;

} // namespace testapp
