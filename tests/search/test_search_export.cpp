// SPDX-License-Identifier: MIT
// The exports' mapping: exact documents for one space per engine, the warning codes, refusals,
// and the shell lines they write, run through a real /bin/sh.
#include "export_cases.hpp"

#include "catch_compat.hpp"

#include <cstdio>
#include <string>
#include <vector>

using namespace hyperparams::search;
using namespace export_cases;
using nlohmann::json;

namespace {

/// A small random space: a log-uniform rate and a choice.
SpaceSpec small() {
  SpaceSpec s;
  s.method = Method::random;
  s.seed = 1;
  s.trials = 10;
  s.metric = Metric{"acc", Goal::maximize};
  s.parameters = {real("lr", Distribution::log_uniform, 1e-3, 1e-1),
                  values("optimizer", {"sgd", "adam"})};
  return s;
}

ExportOptions plain_trainer() {
  ExportOptions o = options();
  o.trainer = {"./train", "--fast"};
  o.name = "small";
  return o;
}

std::vector<std::string> codes(const Exported& e) {
  std::vector<std::string> out;
  for (const auto& w : e.warnings) {
    out.push_back(w.code + (w.path.empty() ? "" : ":" + w.path));
  }
  return out;
}

/// What `argv` prints when /bin/sh runs it (each argument quoted by shell_quote).
std::string run(const std::vector<std::string>& argv) {
  std::string line;
  for (const auto& a : argv) {
    line += shell_quote(a) + " ";
  }
  std::FILE* pipe = ::popen(line.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  char buffer[256];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) {
    out.append(buffer, n);
  }
  REQUIRE(::pclose(pipe) == 0);
  return out;
}

/// `command` with W&B's or Katib's placeholder replaced by `args`.
std::vector<std::string> expand(const json& command, const std::string& placeholder,
                                const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (const auto& a : command) {
    if (a == placeholder) {
      out.insert(out.end(), args.begin(), args.end());
    } else {
      out.push_back(a.get<std::string>());
    }
  }
  return out;
}

} // namespace

TEST_CASE("W&B: the exact sweep config of a small space", "[search_export]") {
  const Exported e = export_wandb(small(), plain_trainer());
  CHECK(e.document == json::parse(R"({
    "name": "small", "method": "random", "run_cap": 10,
    "metric": {"name": "acc", "goal": "maximize"},
    "parameters": {
      "lr": {"distribution": "log_uniform_values", "min": 0.001, "max": 0.1},
      "optimizer": {"values": ["sgd", "adam"]}
    },
    "command": ["./train", "--fast", "${args_no_hyphens}"]
  })"));
  CHECK(codes(e) == std::vector<std::string>{"seed_ignored"});
}

TEST_CASE("Katib: the exact Experiment of a small space", "[search_export]") {
  const Exported e = export_katib(small(), plain_trainer());
  CHECK(e.document == json::parse(R"({
    "apiVersion": "kubeflow.org/v1beta1", "kind": "Experiment",
    "metadata": {"name": "small"},
    "spec": {
      "objective": {"type": "maximize", "objectiveMetricName": "acc",
                    "metricStrategies": [{"name": "acc", "value": "latest"}]},
      "algorithm": {"algorithmName": "random",
                    "algorithmSettings": [{"name": "random_state", "value": "1"}]},
      "parameters": [
        {"name": "lr", "parameterType": "double",
         "feasibleSpace": {"min": "0.001", "max": "0.1", "distribution": "logUniform"}},
        {"name": "optimizer", "parameterType": "categorical",
         "feasibleSpace": {"list": ["sgd", "adam"]}}
      ],
      "maxTrialCount": 10, "parallelTrialCount": 3,
      "metricsCollectorSpec": {"collector": {"kind": "StdOut"}},
      "trialTemplate": {
        "primaryContainerName": "training",
        "successCondition": "status.conditions.#(type==\"Complete\")#|#(status==\"True\")#",
        "failureCondition": "status.conditions.#(type==\"Failed\")#|#(status==\"True\")#",
        "trialParameters": [
          {"name": "lr", "reference": "lr", "description": "the override lr"},
          {"name": "optimizer", "reference": "optimizer", "description": "the override optimizer"}
        ],
        "trialSpec": {"apiVersion": "batch/v1", "kind": "Job", "spec": {"template": {"spec": {
          "containers": [{"name": "training", "image": "registry.example/trainer:1",
            "command": ["./train", "--fast", "lr=${trialParameters.lr}",
                        "optimizer=${trialParameters.optimizer}"]}],
          "restartPolicy": "Never"}}}}
      }
    }
  })"));
  CHECK(e.warnings.empty());
}

TEST_CASE("Optuna: the exact study of a space with a condition", "[search_export]") {
  SpaceSpec s = small();
  s.parameters.push_back(
      when(real("momentum", Distribution::uniform, 0.8, 0.95, 0.1), "optimizer", {"sgd"}));
  s.parameters.push_back(integer("width", Distribution::int_uniform, 16, 100, 16));
  s.parameters.push_back(constant("epochs", 3));
  s = sorted(s);
  ExportOptions o = plain_trainer();
  o.base = {{"lr", 0.01}};
  const Exported e = export_optuna(s, o);
  CHECK(e.document == json::parse(R"({
    "format": "hyperparams-optuna-study", "version": 1, "name": "small",
    "direction": "maximize", "metric": "acc", "seed": 1, "sampler": "tpe", "n_trials": 10,
    "parameters": [
      {"path": "epochs", "value": 3},
      {"path": "lr", "distribution": {"type": "FloatDistribution", "low": 0.001, "high": 0.1,
                                      "log": true, "step": null}},
      {"path": "optimizer", "distribution": {"type": "CategoricalDistribution",
                                             "choices": ["sgd", "adam"]}},
      {"path": "momentum", "when": [{"path": "optimizer", "values": ["sgd"]}],
       "distribution": {"type": "FloatDistribution", "low": 0.8, "high": 0.9, "log": false,
                        "step": 0.1}},
      {"path": "width", "distribution": {"type": "IntDistribution", "low": 16, "high": 96,
                                         "step": 16, "log": false}}
    ],
    "base": {"lr": 0.01}
  })"));
  CHECK(e.warnings.empty());
}

TEST_CASE("warning codes per engine", "[search_export]") {
  const auto every = every_distribution();
  CHECK(codes(export_wandb(every, options())) ==
        std::vector<std::string>{"seed_ignored", "value_as_text:neurons",
                                 "condition_dropped:optimizer.momentum", "step_approximated:seed",
                                 "int_log_uniform_approximated:width"});
  CHECK(codes(export_katib(every, options())) ==
        std::vector<std::string>{"condition_dropped:optimizer.momentum", "step_approximated:seed",
                                 "int_log_uniform_approximated:width"});
  CHECK(codes(export_optuna(every, options())).empty());
  const auto sob = sobol();
  CHECK(codes(export_wandb(sob, options())) ==
        std::vector<std::string>{"sobol_as_random", "seed_ignored", "value_as_text:augment"});
  CHECK(codes(export_katib(sob, options())) ==
        std::vector<std::string>{"seed_reduced", "sobol_as_random"});
  CHECK(codes(export_optuna(sob, options())) ==
        std::vector<std::string>{"seed_reduced", "sobol_not_our_points"});
  CHECK(codes(export_optuna(grid_with_when(), options())) ==
        std::vector<std::string>{"grid_conditions_repeat"});
  ExportOptions index = options();
  index.trial_index = true;
  for (const auto& s : {every, sob, grid_with_when()}) {
    CHECK(export_katib(s, index).warnings.empty());
    CHECK(export_optuna(s, index).warnings.empty());
  }
  CHECK(export_wandb(sob, index).warnings.empty());
}

TEST_CASE("a value W&B would print differently is written as its JSON text", "[search_export]") {
  const Exported e = export_wandb(sobol(), plain_trainer());
  CHECK(e.document["parameters"]["augment"] == json::parse(R"({"values": ["true", "false"]})"));
  const Exported h = export_wandb(hostile(), plain_trainer());
  CHECK(h.document["parameters"]["tag"] ==
        json::parse(R"({"values": ["\"1e3\"", "plain", "it's"]})"));
  CHECK(h.document["parameters"]["optimizer"]["values"][0] == R"({"name":"sgd"})");
}

TEST_CASE("steps: listed points, or the engine's quantization", "[search_export]") {
  const Exported w = export_wandb(every_distribution(), options());
  CHECK(w.document["parameters"]["warmup"]["values"].size() == 11);
  CHECK(w.document["parameters"]["seed"] ==
        json::parse(R"({"distribution": "q_uniform", "min": 0, "max": 10000, "q": 7})"));
  CHECK(w.document["parameters"]["width"]["distribution"] == "q_log_uniform_values");
  const Exported k = export_katib(grid_with_when(), options());
  CHECK(k.document["spec"]["algorithm"] == json::parse(R"({"algorithmName": "grid"})"));
  CHECK(k.document["spec"]["maxTrialCount"] == 24); // momentum left out: 2 * 4 * 3
  CHECK(grid_points(grid_with_when()) == 36);       // the space's own grid: (2 + 1) * 4 * 3
}

TEST_CASE("refusals say why", "[search_export]") {
  SpaceSpec dotted = small();
  dotted.metric->name = "val.acc";
  CHECK_THROWS_WITH(export_katib(dotted, plain_trainer()), hptest::Contains("\"val_acc\""));
  CHECK_THROWS_WITH(export_katib(hostile(), plain_trainer()), hptest::Contains("unescaped"));
  ExportOptions unnamed = plain_trainer();
  unnamed.name = "My_Sweep";
  CHECK_THROWS_WITH(export_katib(small(), unnamed), hptest::Contains("Kubernetes name"));
  SpaceSpec spaced = small();
  spaced.parameters.push_back(values("loss weights.kl", {0.5, 1.0}));
  CHECK_THROWS_WITH(export_wandb(spaced, plain_trainer()),
                    hptest::Contains("not a W&B parameter name"));
  ExportOptions no_base = options();
  no_base.base = nullptr;
  CHECK_THROWS_WITH(export_wandb(small(), no_base), hptest::Contains("ExportOptions::base"));
  ExportOptions index = plain_trainer();
  index.trial_index = true;
  CHECK_THROWS_WITH(export_wandb(small(), index), hptest::Contains("{config}"));
  index.trainer = {"./train", "{config}"};
  SpaceSpec many = small();
  many.trials = kMaxWandbTrialIndex + 1;
  CHECK_THROWS_WITH(export_wandb(many, index), hptest::Contains("at most 100000"));
  CHECK_NOTHROW(export_katib(many, index));
  SpaceSpec no_metric = small();
  no_metric.metric.reset();
  CHECK_THROWS_WITH(export_optuna(no_metric, index), hptest::Contains("needs a metric"));
}

TEST_CASE("shell_quote: hostile strings come back unchanged through /bin/sh", "[search_export]") {
  const std::vector<std::string> hostile_strings = {"",
                                                    "plain",
                                                    "it's",
                                                    "a b",
                                                    "$HOME",
                                                    "`id`",
                                                    "$(echo x)",
                                                    "\"",
                                                    "\\",
                                                    "'",
                                                    "''",
                                                    "\n",
                                                    "tab\there",
                                                    "*",
                                                    "~",
                                                    "#c",
                                                    "; rm -rf /tmp/x",
                                                    "ünï",
                                                    "-n",
                                                    "a'b\"c$d`e\\f\n'g'",
                                                    "{config}",
                                                    "${trialParameters.x}",
                                                    "!!",
                                                    "a=b",
                                                    "--",
                                                    "%s"};
  for (const auto& s : hostile_strings) {
    INFO(s);
    CHECK(run({"printf", "%s", s}) == s);
  }
  CHECK(shell_quote("plain/path-1.json") == "plain/path-1.json");
  CHECK(shell_quote("it's") == "'it'\\''s'");
  CHECK(shell_quote("") == "''");
  CHECK_THROWS_AS(shell_quote(std::string("a\0b", 3)), std::invalid_argument);
}

TEST_CASE("trial_index: the W&B and Katib lines sample the trial and run the trainer",
          "[search_export]") {
  ExportOptions o = options();
  o.trial_index = true;
  o.program = "echo";
  o.space_file = "my space's \"file\" $(rm -rf x).json";
  o.trainer = {"sh", "-c", "cat \"$0\"; printf '[%s]' \"$@\"", "{config}", "it's", "$HOME"};
  const std::string expected = "sample " + o.space_file + " --trial 5\n[it's][$HOME]";
  const Exported w = export_wandb(grid_with_when(), o);
  CHECK(w.document["parameters"]["trial"]["values"].size() == 36);
  CHECK(run(expand(w.document["command"], "${args_no_hyphens}", {"trial=5"})) == expected);
  const Exported k = export_katib(sobol(), o);
  const json& container =
      k.document["spec"]["trialTemplate"]["trialSpec"]["spec"]["template"]["spec"]["containers"][0];
  CHECK(run(expand(container["command"], "${trialParameters.trial}", {"5"})) == expected);
  CHECK(k.document["spec"]["maxTrialCount"] == 8);
  CHECK(k.document["spec"]["parameters"][0]["feasibleSpace"] ==
        json::parse(R"({"min": "0", "max": "7", "step": "1"})"));
}

TEST_CASE("parameter mode with {config}: the base config, then the overrides", "[search_export]") {
  ExportOptions o = options();
  o.base = {{"learning_rate", 0.001}, {"name", "it's $HOME"}};
  o.trainer = {"sh", "-c", "cat \"$0\"; printf '[%s]' \"$@\"", "{config}"};
  const Exported w = export_wandb(small(), o);
  CHECK(run(expand(w.document["command"], "${args_no_hyphens}", {"lr=0.01", "optimizer=sgd"})) ==
        o.base.dump() + "\n[lr=0.01][optimizer=sgd]");
}
