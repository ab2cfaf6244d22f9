// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The search spaces the export tests write and check (export_spaces.cpp, test_search_export.cpp):
/// every distribution, a `when`, steps, grid/random/sobol, trial_index, and values that engines
/// cannot carry. Built by hand: the exports need a `SpaceSpec` only.

#include <hyperparams/search_export.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace export_cases {

using namespace hyperparams::search;
using nlohmann::json;

/// One space with the options it is exported with.
struct Case {
  std::string name;
  SpaceSpec space;
  ExportOptions options;
};

inline Parameter values(std::string path, std::vector<json> list) {
  Parameter p;
  p.path = std::move(path);
  p.distribution = Distribution::values;
  p.values = std::move(list);
  return p;
}

inline Parameter constant(std::string path, json v) {
  Parameter p = values(std::move(path), {std::move(v)});
  p.distribution = Distribution::value;
  return p;
}

inline Parameter real(std::string path, Distribution d, double low, double high,
                      std::optional<double> step = std::nullopt) {
  Parameter p;
  p.path = std::move(path);
  p.distribution = d;
  p.low = low;
  p.high = high;
  p.step = step;
  return p;
}

inline Parameter integer(std::string path, Distribution d, std::int64_t low, std::int64_t high,
                         std::optional<std::int64_t> step = std::nullopt) {
  Parameter p;
  p.path = std::move(path);
  p.distribution = d;
  p.int_low = low;
  p.int_high = high;
  p.int_step = step;
  return p;
}

inline Parameter when(Parameter p, std::string path, std::vector<json> vals) {
  p.when.push_back({std::move(path), std::move(vals)});
  return p;
}

inline ExportOptions options() {
  ExportOptions o;
  o.program = "hparams";
  o.space_file = "spaces/space.json";
  o.trainer = {"./train", "{config}"};
  o.image = "registry.example/trainer:1";
  o.name = "mlp-sweep";
  o.base = {{"learning_rate", 0.001}, {"batch_size", 32}, {"optimizer", {{"name", "adam"}}}};
  return o;
}

inline SpaceSpec sorted(SpaceSpec s) {
  std::sort(s.parameters.begin(), s.parameters.end(),
            [](const Parameter& a, const Parameter& b) { return a.path < b.path; });
  return s;
}

/// Random search over every distribution, a condition, a short and a long step.
inline SpaceSpec every_distribution() {
  SpaceSpec s;
  s.method = Method::random;
  s.seed = 7;
  s.trials = 20;
  s.metric = Metric{"accuracy", Goal::maximize};
  s.source = "every_distribution.json";
  s.parameters = {
      values("batch_size", {32, 64, 128}),
      real("dropout", Distribution::uniform, 0.0, 0.5, 0.05),
      constant("epochs", 3),
      real("learning_rate", Distribution::log_uniform, 1e-4, 1e-1),
      integer("layers", Distribution::int_uniform, 1, 4),
      real("weight", Distribution::uniform, 0.0, 1.0),
      integer("width", Distribution::int_log_uniform, 16, 512),
      integer("seed", Distribution::int_uniform, 0, 10000, 7),
      integer("warmup", Distribution::int_uniform, 0, 100, 10),
      values("optimizer", {"sgd", "adam"}),
      when(real("optimizer.momentum", Distribution::uniform, 0.8, 0.99, 0.01), "optimizer",
           {"sgd"}),
      values("neurons", {json::array({256, 128}), json::array({128, 64})}),
  };
  return sorted(s);
}

/// A grid with a condition: (2 momentum values under sgd + adam) * 4 batch sizes * 3 dropouts.
inline SpaceSpec grid_with_when() {
  SpaceSpec s;
  s.method = Method::grid;
  s.metric = Metric{"accuracy", Goal::maximize};
  s.source = "grid_with_when.json";
  s.parameters = {
      values("optimizer", {"sgd", "adam"}),
      when(values("optimizer.momentum", {0.0, 0.9}), "optimizer", {"sgd"}),
      integer("batch_size", Distribution::int_uniform, 32, 128, 32),
      real("dropout", Distribution::uniform, 0.0, 0.2, 0.1),
  };
  return sorted(s);
}

/// Sobol points with a 64-bit seed, minimizing.
inline SpaceSpec sobol() {
  SpaceSpec s;
  s.method = Method::sobol;
  s.seed = 1ull << 40;
  s.trials = 8;
  s.metric = Metric{"val_loss", Goal::minimize};
  s.source = "sobol.json";
  s.parameters = {real("learning_rate", Distribution::log_uniform, 1e-5, 1e-2),
                  real("dropout", Distribution::uniform, 0.0, 0.3),
                  values("augment", {true, false})};
  return sorted(s);
}

/// Values W&B prints differently and Katib cannot substitute.
inline SpaceSpec hostile() {
  SpaceSpec s;
  s.method = Method::random;
  s.trials = 4;
  s.metric = Metric{"val_acc", Goal::maximize};
  s.source = "hostile.json";
  s.parameters = {values("tag", {"1e3", "plain", "it's"}),
                  values("optimizer", {json{{"name", "sgd"}}, json{{"name", "adam"}}})};
  return sorted(s);
}

/// What the Optuna driver's end-to-end test runs on `HyperParams`: four trials, momentum only
/// under SGD.
inline SpaceSpec optuna_e2e() {
  SpaceSpec s;
  s.method = Method::random;
  s.seed = 3;
  s.trials = 4;
  s.metric = Metric{"score", Goal::maximize};
  s.source = "optuna_e2e.json";
  s.parameters = {
      real("learning_rate", Distribution::log_uniform, 1e-4, 1e-1),
      values("batch_size", {16, 32, 64}), real("dropout", Distribution::uniform, 0.0, 0.5, 0.1),
      values("optimizer", {"sgd", "adam"}),
      when(real("optimizer.momentum", Distribution::uniform, 0.5, 0.99), "optimizer", {"sgd"})};
  return sorted(s);
}

/// The default `HyperParams` as canonical JSON: the base config of `optuna_e2e`.
inline json hyperparams_defaults() {
  return json::parse(hyperparams::dump(hyperparams::HyperParams{}));
}

inline std::vector<Case> all() {
  std::vector<Case> out;
  out.push_back({"every_distribution", every_distribution(), options()});
  out.push_back({"grid_with_when", grid_with_when(), options()});
  out.push_back({"sobol", sobol(), options()});
  out.push_back({"hostile", hostile(), options()});
  Case grid_index{"grid_trial_index", grid_with_when(), options()};
  grid_index.options.trial_index = true;
  grid_index.options.space_file = "my space's \"file\" $(rm -rf x).json";
  grid_index.options.trainer = {"./train", "--config={config}", "it's", "$HOME"};
  out.push_back(grid_index);
  Case sobol_index{"sobol_trial_index", sobol(), options()};
  sobol_index.options.trial_index = true;
  out.push_back(sobol_index);
  out.push_back({"optuna_e2e", optuna_e2e(), options()});
  out.back().options.base = hyperparams_defaults();
  Case overrides_only{"overrides_only", every_distribution(), options()};
  overrides_only.options.trainer = {"./train", "--flag"};
  out.push_back(overrides_only);
  return out;
}

} // namespace export_cases
