// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// A search space as the sweep engines write it: a Weights & Biases sweep config, a Katib
/// `Experiment` (kubeflow.org/v1beta1) and a study description for `hparams_optuna.py`, each with
/// the warnings of what the engine cannot do as the space says. Nothing is changed silently:
/// what an engine cannot express is either a warning (with what was written instead) or a
/// `std::invalid_argument` that says why.
///
/// Two ways to export:
///
/// - parameter mode (default): the engine chooses the values, with its own sampler. Each trial
///   runs the trainer with `path=value` overrides (the trainer applies them to its config, as
///   `apply_overrides` does). The engine's trials are then not the space's trials.
/// - `ExportOptions::trial_index`: the engine walks a grid over one integer parameter `trial` in
///   `[0, N)` and each run makes its config with `PROGRAM sample SPACE --trial I`: the engine
///   then runs exactly the space's trials (seed, Sobol points, `when` and steps included), and
///   there are no warnings about distributions.
///
/// Warning codes (stable; `ExportWarning::code`), with the engines that give them:
///
/// - `sobol_as_random` (W&B, Katib): method sobol exported as random: not the space's points.
/// - `sobol_not_our_points` (Optuna): QMCSampler(sobol, scrambled, seed) draws its own points.
/// - `seed_ignored` (W&B): W&B sweeps take no seed.
/// - `seed_reduced` (Katib, Optuna): their samplers take 32-bit seeds: the seed mod 2^32.
/// - `condition_dropped` (W&B, Katib): a parameter with `when` is left out (no conditions
///   there: never set, so every run takes the base config's value).
/// - `step_approximated` (W&B, Katib): a step with more than `kMaxListedValues` points, as the
///   engine's quantization (rounded to multiples of the step, not counted from `low`).
/// - `int_log_uniform_approximated` (W&B, Katib): no log-uniform integers there; W&B gets
///   `q_log_uniform_values` with q=1, Katib an int with `logUniform`: a log-uniform draw
///   rounded, not the space's own.
/// - `value_as_text` (W&B): a value W&B would print differently from JSON (true, null, lists,
///   objects, a string such as "1e3") is written as its JSON text, so the override is the same.
/// - `grid_conditions_repeat` (Optuna): GridSampler walks every parameter's values, those under
///   a `when` too: trials where one does not apply repeat others.
///
/// What each distribution becomes in parameter mode (W&B; Katib; Optuna):
///
/// - value: `value`; a fixed argument `path=value`; a fixed `value`.
/// - values: `values`; `discrete` (numbers) or `categorical`; CategoricalDistribution.
/// - uniform: `uniform` min/max; double min/max; FloatDistribution low/high.
/// - uniform with a step, int_uniform with a step > 1: `values` of the points; `discrete` of
///   the points; FloatDistribution / IntDistribution with `step` (`high` on the last point).
/// - log_uniform: `log_uniform_values` min/max; double with `logUniform`; Float `log`.
/// - int_uniform: `int_uniform` min/max; int min/max; IntDistribution.
/// - int_log_uniform: `q_log_uniform_values` q=1; int with `logUniform`; Int `log`.
///
/// (more than `kMaxListedValues` points: W&B `q_uniform` / Katib `step`, `step_approximated`).
/// A grid lists every parameter's points: W&B `values`; Katib `discrete` or `categorical` (an
/// int range with step 1: int with step "1").
///
/// The trainer's metric: W&B reads what the run logs with `wandb.log` (the trainer or a wrapper
/// must log it); Katib's StdOut collector and `hparams_optuna.py` read `name=value` lines of the
/// trainer's standard output (the last one wins).

#include "hyperparams/search.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hyperparams::search {

/// Something the engine does differently from the space; `code` is stable (table above), `path`
/// names the parameter (empty for the whole space), `message` says what was written instead.
struct ExportWarning {
  std::string code;
  std::string path;
  std::string message;
};

/// How the jobs run: which commands, on which files, under which name.
struct ExportOptions {
  /// The command that has `sample` (`hparams`, or a user's own `cli::main` program).
  std::string program = "hparams";
  /// The space file as the jobs will see it (trial_index mode).
  std::string space_file;
  /// The trainer's argv; an argument `{config}` (or containing it) is the trial's config file:
  /// in trial_index mode the sampled config, in parameter mode a file holding `base` (then the
  /// overrides follow the trainer's arguments). Without `{config}` the trainer gets the
  /// overrides alone (parameter mode only).
  std::vector<std::string> trainer;
  std::string image; ///< Katib: the container image
  std::string name;  ///< the experiment's (Katib: a Kubernetes name) or sweep's name
  /// Export a grid over `trial` in [0, N) whose runs call `PROGRAM sample SPACE --trial I`.
  bool trial_index = false;
  /// The base config (canonical JSON): Optuna's study carries it; W&B and Katib write it to the
  /// `{config}` file in parameter mode.
  nlohmann::json base;
};

/// An engine's document (JSON; a W&B sweep config is YAML, which JSON is) and its warnings.
struct Exported {
  nlohmann::json document;
  std::vector<ExportWarning> warnings;
};

/// The most values a `values` list gets from a step (beyond: the engine's quantization, with
/// `step_approximated`), and the most trials a trial_index export lists for W&B (beyond: an
/// error, since W&B's grid holds the whole list).
inline constexpr std::uint64_t kMaxListedValues = 1000;
inline constexpr std::uint64_t kMaxWandbTrialIndex = 100000;

/// A W&B sweep config: method grid/random, metric, parameters keyed by path, and a `command`
/// that passes them with `${args_no_hyphens}` (`path=value`).
/// \throws std::invalid_argument when it cannot be written (a path W&B does not accept as a
/// key, a grid over a continuous parameter, no parameter left, trial_index without `{config}`
/// or above `kMaxWandbTrialIndex` trials).
[[nodiscard]] Exported export_wandb(const SpaceSpec& space, const ExportOptions& options);

/// A Katib `Experiment`: objective, algorithm (grid | random with `random_state`), parameters
/// (names are paths with `_` for `.`), the StdOut metrics collector and a batch/v1 Job template
/// whose container passes each parameter as an argument `path=${trialParameters.NAME}`.
/// \throws std::invalid_argument for no metric, a metric name Katib's StdOut collector cannot
/// read (only letters, digits, `_` and `-`), no image, a name that is not a Kubernetes name,
/// a value Katib cannot substitute (its JSON text holds `"` or `\`), more than 2^31-1 trials.
[[nodiscard]] Exported export_katib(const SpaceSpec& space, const ExportOptions& options);

/// The study `hparams_optuna.py` runs: direction, metric, n_trials, seed, sampler (tpe for
/// random, grid, qmc for sobol), parameters in an order where each `when` follows what it
/// refers to, with Optuna's distributions, and the base config.
/// \throws std::invalid_argument for no metric.
[[nodiscard]] Exported export_optuna(const SpaceSpec& space, const ExportOptions& options);

/// `text` quoted for a POSIX shell: unchanged when it has only characters no shell treats
/// specially, else in single quotes (a `'` as `'\''`). The empty string is `''`.
/// \throws std::invalid_argument for a NUL byte, which no argument can hold.
[[nodiscard]] std::string shell_quote(std::string_view text);

/// How many trials a grid over `space` has: the points of the active parameters, summed over
/// the values of the parameters that `when` conditions refer to (as `Space::size()` counts).
/// \throws std::invalid_argument for a parameter a grid cannot walk (continuous), or more than
/// 2^64-1 points.
[[nodiscard]] std::uint64_t grid_points(const SpaceSpec& space);

} // namespace hyperparams::search

#include "hyperparams/impl/search_export.hpp"
