// SPDX-License-Identifier: MIT
// Compile-time benchmark (see ../README.md): load a user's own 30-field struct (nesting
// HyperParams; every kind of member) with <hyperparams/json.hpp>. The floor is json_floor.cpp,
// which parses a config into a nlohmann::json; compile_time.py times both.
#include <hyperparams/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

enum class Precision { fp32, bf16, fp16 };
constexpr auto describe(hyperparams::type<Precision>) {
  return hyperparams::names<Precision>(
      "precision",
      {{"fp32", Precision::fp32}, {"bf16", Precision::bf16}, {"fp16", Precision::fp16}});
}

struct Data {
  std::string dir;
  std::int32_t workers = 4;
  bool shuffle = true;
  double val_fraction = 0.1;
};
constexpr auto describe(hyperparams::type<Data>) {
  using hyperparams::field;
  return hyperparams::fields(field("dir", &Data::dir, "Data.").required().nonempty(),
                             field("workers", &Data::workers, "Workers.").ge(0).le(64),
                             field("shuffle", &Data::shuffle, "Shuffle."),
                             field("val_fraction", &Data::val_fraction, "Held out.").ge(0).lt(1));
}

struct Run {
  hyperparams::HyperParams train;
  Data data;
  double grad_clip = 1.0;
  double label_smoothing = 0.0;
  double ema_decay = 0.999;
  double weight_init_std = 0.02;
  float loss_scale = 1024.0F;
  std::int32_t log_every = 100;
  std::int32_t eval_every = 1000;
  std::int32_t save_every = 5000;
  std::int32_t accumulate = 1;
  std::int64_t max_steps = -1;
  std::uint16_t port = 29500;
  std::uint32_t patience = 5;
  std::uint64_t data_seed = 1;
  bool amp = true;
  bool compile = false;
  bool deterministic = true;
  bool resume = false;
  std::string name = "run";
  std::string output_dir = "out";
  std::string tokenizer = "bpe";
  Precision precision = Precision::bf16;
  std::optional<std::string> resume_from;
  std::optional<double> warmup_ratio;
  std::vector<std::int32_t> kernel_sizes{3, 3, 5};
  std::vector<double> dropout_per_layer{0.1, 0.1};
  std::map<std::string, double> loss_weights{{"ce", 1.0}};
  std::map<std::string, std::string> tags;
  std::variant<std::int32_t, std::vector<std::int32_t>> head = 10;
};
constexpr auto describe(hyperparams::type<Run>) {
  using hyperparams::field;
  return hyperparams::fields(
      field("train", &Run::train, "Training."), field("data", &Run::data, "Data."),
      field("grad_clip", &Run::grad_clip, "Clip.").ge(0),
      field("label_smoothing", &Run::label_smoothing, "Smoothing.").ge(0).lt(1),
      field("ema_decay", &Run::ema_decay, "EMA.").ge(0).le(1),
      field("weight_init_std", &Run::weight_init_std, "Init.").gt(0),
      field("loss_scale", &Run::loss_scale, "Scale.").gt(0),
      field("log_every", &Run::log_every, "Log.").ge(1),
      field("eval_every", &Run::eval_every, "Eval.").ge(1),
      field("save_every", &Run::save_every, "Save.").ge(1),
      field("accumulate", &Run::accumulate, "Accumulate.").ge(1),
      field("max_steps", &Run::max_steps, "Steps.").ge(-1),
      field("port", &Run::port, "Port.").ge(1024), field("patience", &Run::patience, "Patience."),
      field("data_seed", &Run::data_seed, "Seed."), field("amp", &Run::amp, "AMP."),
      field("compile", &Run::compile, "Compile."),
      field("deterministic", &Run::deterministic, "Deterministic."),
      field("resume", &Run::resume, "Resume."), field("name", &Run::name, "Name.").nonempty(),
      field("output_dir", &Run::output_dir, "Output."),
      field("tokenizer", &Run::tokenizer, "Tokenizer."),
      field("precision", &Run::precision, "Precision."),
      field("resume_from", &Run::resume_from, "Checkpoint."),
      field("warmup_ratio", &Run::warmup_ratio, "Warmup.").ge(0).lt(1),
      field("kernel_sizes", &Run::kernel_sizes, "Kernels.").ge(1).items(1, 8),
      field("dropout_per_layer", &Run::dropout_per_layer, "Dropout.").ge(0).lt(1),
      field("loss_weights", &Run::loss_weights, "Weights.").ge(0),
      field("tags", &Run::tags, "Tags."), field("head", &Run::head, "Head.").ge(1));
}

} // namespace bench

namespace {
constexpr std::string_view run_json = R"({"data": {"dir": "data"}, "name": "bench"})";
} // namespace

bench::Run load_config() {
  return hyperparams::parse<bench::Run>(run_json, "run.json");
}
