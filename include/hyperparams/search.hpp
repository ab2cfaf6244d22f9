// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Search spaces over any described config, and the trials they hold: trial `i` is a pure
/// function of (space, seed, i), so any process, on any machine, can make any trial without a
/// coordinator (`hparams sample space.json --trial $SLURM_ARRAY_TASK_ID`).
///
///     {
///       "base": "base.json",
///       "method": "random", "seed": 7, "trials": 20,
///       "metric": {"name": "accuracy", "goal": "maximize"},
///       "parameters": {
///         "learning_rate":      {"log_uniform": [1e-4, 1e-1]},
///         "batch_size":         {"values": [32, 64, 128]},
///         "optimizer":          {"values": ["sgd", "adam"]},
///         "optimizer.momentum": {"uniform": [0.8, 0.99], "step": 0.01,
///                                "when": {"optimizer": "sgd"}},
///         "epochs":             {"value": 3}
///       }
///     }
///
/// `auto space = hyperparams::search::load_space<hyperparams::HyperParams>("space.json");`
/// then `space.size()` trials, `space.at(i).config` each, valid by construction and validated.
///
/// Needs Random123 (Debian's librandom123-dev) for the Philox4x32-10 generator.

#include "hyperparams/json.hpp"
#include "hyperparams/overrides.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hyperparams::search {

namespace detail {
using namespace hyperparams::detail;
struct SearchPlan;
} // namespace detail

/// How trials are chosen: every point of a grid, or `trials` random or Sobol points.
enum class Method { grid, random, sobol };

/// Whether the best trial has the largest or the smallest metric.
enum class Goal { maximize, minimize };

/// What a parameter takes: one value, one of a list, or a number between bounds (inclusive).
enum class Distribution { value, values, uniform, log_uniform, int_uniform, int_log_uniform };

/// The metric a sweep ranks its trials by: a `name=value` line the trainer prints.
struct Metric {
  std::string name;
  Goal goal = Goal::maximize;
};

/// `"when": {"optimizer": "sgd"}`: the parameter applies only when the parameter at `path` takes
/// one of `values` (canonical JSON, as the config writes it; a choice of options by its name).
struct Condition {
  std::string path;
  std::vector<nlohmann::json> values;
};

/// One parameter of a space, keyed by the override path of the field it sets.
struct Parameter {
  std::string path; ///< dotted, as an override: "optimizer.momentum"
  Distribution distribution = Distribution::value;
  /// `value`: the one value; `values`: the list; canonical JSON, as the config writes them.
  std::vector<nlohmann::json> values;
  double low = 0.0;  ///< `uniform`, `log_uniform`: the bounds, both inclusive
  double high = 0.0; ///< (the `int_` ones hold theirs in `int_low`, `int_high`)
  std::int64_t int_low = 0;
  std::int64_t int_high = 0;
  /// `uniform`, `int_uniform`: only `low + k * step` (k = 0, 1, ...), never past `high`.
  std::optional<double> step;
  std::optional<std::int64_t> int_step;
  std::vector<Condition> when; ///< every one must hold
  bool float_field = false;    ///< the field is a `float`: values are rounded to it

  /// How many values it takes on a grid: 1 for `value`, 0 (none: it is continuous) for
  /// `log_uniform` and `uniform` without a step; `int_log_uniform` takes every integer.
  [[nodiscard]] std::uint64_t grid_size() const;
};

/// What a space says, apart from its base config: the same for every `T` (exports need no
/// more).
struct SpaceSpec {
  Method method = Method::random;
  std::uint64_t seed = 0;
  std::uint64_t trials = 0; ///< random and sobol; a grid has `Space::size()`
  std::optional<Metric> metric;
  std::vector<Parameter> parameters; ///< sorted by path
  std::string source;                ///< where it came from, for messages
};

template <class T>
struct Trial;

/// A search space over `T` (any described struct), checked when loaded: every parameter names a
/// field, its values and bounds are valid values of that field, and `when` refers to parameters
/// that exist and can take the values it names.
template <class T>
class Space : public SpaceSpec {
public:
  T base;

  /// How many trials there are: the points of a grid (summed over its `when` branches), else
  /// `trials`.
  [[nodiscard]] std::uint64_t size() const;
  /// Trial `index` (< size()): the values of its active parameters and the validated config.
  /// \throws std::out_of_range for an index past the end; ConfigError when the config is invalid
  /// (a rule between fields the space cannot see).
  [[nodiscard]] Trial<T> at(std::uint64_t index) const;
  /// The values of trial `index` alone, in `parameters` order; inactive parameters are absent.
  [[nodiscard]] std::vector<std::pair<std::string, nlohmann::json>>
  values_at(std::uint64_t index) const;

  /// Internal: what `parse_space` prepares for `at` (grid branches, Sobol dimensions, streams).
  std::shared_ptr<const detail::SearchPlan> plan;
};

/// One trial: its index, the values of its active parameters, and the whole config.
template <class T>
struct Trial {
  std::uint64_t index = 0;
  std::vector<std::pair<std::string, nlohmann::json>> values; ///< active ones, in path order
  T config;
  /// The overrides that make `config` from the base: "path=value" each, and for a choice of
  /// options given by name "path.name=value" (which keeps the base's options when the base
  /// already has that alternative, as `optimizer.name=adam` does).
  std::vector<std::string> overrides;
};

/// A space from JSON text. `base_directory`: where a `"base": "file.json"` is looked for.
/// \throws ConfigError with every issue, located in `text` (issues of a base file are located in
/// that file).
template <class T, std::enable_if_t<hyperparams::detail::is_config_struct<T>, int> = 0>
[[nodiscard]] Space<T> parse_space(std::string_view text, std::string_view source = "<input>",
                                   const std::filesystem::path& base_directory = {});

/// A space from a file; a base file is looked for next to it.
template <class T, std::enable_if_t<hyperparams::detail::is_config_struct<T>, int> = 0>
[[nodiscard]] Space<T> load_space(const std::filesystem::path& path);

/// The stable names, for messages and exports: "grid", "log_uniform", "maximize", ...
[[nodiscard]] std::string_view to_string(Method method);
[[nodiscard]] std::string_view to_string(Distribution distribution);
[[nodiscard]] std::string_view to_string(Goal goal);

} // namespace hyperparams::search

#include "hyperparams/impl/search.hpp"
