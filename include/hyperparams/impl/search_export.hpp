// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The exports `<hyperparams/search_export.hpp>` declares: W&B, Katib and Optuna documents built
/// from a `SpaceSpec` alone. Not for users.

#include "hyperparams/impl/search_sample.hpp"
#include "hyperparams/search_export.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace hyperparams::search {

namespace detail {

/// Where a refusal comes from: "export_katib: space.json: ...".
inline std::invalid_argument export_error(std::string_view engine, const SpaceSpec& space,
                                          const std::string& message) {
  std::string text(engine);
  text += ": ";
  if (!space.source.empty()) {
    text += space.source + ": ";
  }
  return std::invalid_argument(text + message);
}

/// Whether a grid can walk the parameter: it has finitely many values.
inline bool enumerable(const Parameter& p) {
  switch (p.distribution) {
  case Distribution::value:
  case Distribution::values:
  case Distribution::int_uniform:
  case Distribution::int_log_uniform:
    return true;
  case Distribution::uniform:
    return p.step.has_value();
  case Distribution::log_uniform:
    return false;
  }
  return false;
}

/// Whether the parameter has a step that leaves out values an engine's plain range would take.
inline bool stepped(const Parameter& p) {
  return (p.distribution == Distribution::uniform && p.step) ||
         (p.distribution == Distribution::int_uniform && p.int_step && *p.int_step > 1);
}

/// The values of an enumerable parameter, in order: `low + k * step` for a step (as the sampler
/// makes them, never past `high`), every integer of an int range. Only for a count that fits.
inline std::vector<nlohmann::json> points(const Parameter& p) {
  switch (p.distribution) {
  case Distribution::value:
  case Distribution::values:
    return p.values;
  case Distribution::uniform: {
    std::vector<nlohmann::json> out;
    const detail::StepGrid steps(p.low, *p.step, p.high);
    for (std::uint64_t k = 0; k < steps.points; ++k) {
      out.push_back(detail::number_value(steps.at(k), p));
    }
    return out;
  }
  case Distribution::int_uniform:
  case Distribution::int_log_uniform: {
    std::vector<nlohmann::json> out;
    const std::int64_t step =
        p.distribution == Distribution::int_uniform && p.int_step ? *p.int_step : std::int64_t{1};
    const std::uint64_t n = p.grid_size();
    for (std::uint64_t k = 0; k < n; ++k) {
      out.emplace_back(p.int_low + static_cast<std::int64_t>(k) * step);
    }
    return out;
  }
  case Distribution::log_uniform:
    break;
  }
  return {};
}

/// The last point of a step: `low + (n - 1) * step`, what the sampler reaches (Optuna wants
/// `high` on the step, or it moves it with a warning of its own).
inline double last_point(const Parameter& p) {
  const detail::StepGrid steps(p.low, *p.step, p.high);
  return steps.at(steps.points - 1);
}
inline std::int64_t last_int_point(const Parameter& p) {
  return p.int_low + static_cast<std::int64_t>(p.grid_size() - 1) * p.int_step.value_or(1);
}

/// Whether a string passes as a bare override word, read back as that same string: not JSON
/// (`true`, `null`), not starting like a number or like JSON structure (`1e3`, `[x`).
inline bool bare_word(const std::string& text) {
  return !text.empty() && !hyperparams::detail::looks_structured(text) &&
         !hyperparams::detail::looks_numeric(text) && !nlohmann::json::accept(text);
}

/// The override text of a value (`path=TEXT`): a bare word for a plain string, else JSON.
inline std::string override_text(const nlohmann::json& value) {
  if (value.is_string() && bare_word(value.get<std::string>())) {
    return value.get<std::string>();
  }
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// The shortest text that reads back as `x` (nlohmann's round-trip formatting).
inline std::string number_text(double x) {
  return nlohmann::json(x).dump();
}

/// Two condition values are equal as JSON values (1 and 1.0 are, true and 1 are not).
inline bool holds(const Condition& c, const std::map<std::string, nlohmann::json>& assigned) {
  const auto it = assigned.find(c.path);
  if (it == assigned.end()) {
    return false;
  }
  return std::find(c.values.begin(), c.values.end(), it->second) != c.values.end();
}

/// The parameters in an order where every one comes after those its `when` refers to (else in
/// path order). \throws std::invalid_argument for conditions that refer to each other.
inline std::vector<const Parameter*> condition_order(const SpaceSpec& space,
                                                     std::string_view engine) {
  std::map<std::string, const Parameter*> by_path;
  for (const auto& p : space.parameters) {
    by_path[p.path] = &p;
  }
  std::vector<const Parameter*> out;
  std::set<std::string> placed;
  std::vector<const Parameter*> left;
  for (const auto& p : space.parameters) {
    left.push_back(&p);
  }
  while (!left.empty()) {
    bool progress = false;
    for (auto it = left.begin(); it != left.end();) {
      const bool ready = std::all_of((*it)->when.begin(), (*it)->when.end(), [&](const auto& c) {
        return placed.count(c.path) != 0 || by_path.count(c.path) == 0;
      });
      if (ready) {
        placed.insert((*it)->path);
        out.push_back(*it);
        it = left.erase(it);
        progress = true;
        break; // path order among the ready ones
      }
      ++it;
    }
    if (!progress) {
      throw export_error(engine, space,
                         "the `when` conditions of \"" + left.front()->path +
                             "\" refer to each other in a cycle");
    }
  }
  return out;
}

/// The W&B or Katib key check: W&B takes `^[A-Za-z_][A-Za-z0-9_.-]*$`.
inline bool wandb_key(const std::string& path) {
  if (path.empty() || !(std::isalpha(static_cast<unsigned char>(path[0])) || path[0] == '_')) {
    return false;
  }
  return std::all_of(path.begin(), path.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '.' || ch == '-';
  });
}

/// Whether an argument holds the `{config}` placeholder.
inline bool has_config(const std::vector<std::string>& argv) {
  return std::any_of(argv.begin(), argv.end(),
                     [](const std::string& a) { return a.find("{config}") != std::string::npos; });
}

/// The trainer as a shell line, `{config}` as "$cfg": `'./train' '--config='"$cfg"`.
inline std::string trainer_shell(const std::vector<std::string>& argv) {
  std::string line;
  for (const auto& arg : argv) {
    if (!line.empty()) {
      line += ' ';
    }
    std::string_view rest = arg;
    bool wrote = false;
    for (;;) {
      const auto at = rest.find("{config}");
      const auto piece = rest.substr(0, at);
      if (!piece.empty() || (at == std::string_view::npos && !wrote)) {
        line += shell_quote(piece);
      }
      if (at == std::string_view::npos) {
        break;
      }
      line += "\"$cfg\"";
      wrote = true;
      rest.remove_prefix(at + 8);
    }
  }
  return line;
}

/// Runs the trainer on "$cfg", removes it, and exits with the trainer's status.
inline std::string run_and_clean(const std::vector<std::string>& trainer, bool overrides) {
  return "{ " + trainer_shell(trainer) + (overrides ? " \"$@\"" : "") +
         "; rc=$?; rm -f \"$cfg\"; exit \"$rc\"; }";
}

/// The command of a parameter-mode run: the trainer with the overrides after its arguments; with
/// `{config}`, a shell line that first writes the base config to a temporary file.
inline std::vector<std::string> parameter_command(std::string_view engine, const SpaceSpec& space,
                                                  const ExportOptions& options,
                                                  const std::vector<std::string>& overrides) {
  if (options.trainer.empty()) {
    throw export_error(engine, space, "no trainer command (ExportOptions::trainer)");
  }
  if (!has_config(options.trainer)) {
    std::vector<std::string> argv = options.trainer;
    argv.insert(argv.end(), overrides.begin(), overrides.end());
    for (const auto& a : argv) {
      (void)shell_quote(a); // refuses NUL bytes here too
    }
    return argv;
  }
  if (options.base.is_null()) {
    throw export_error(engine, space,
                       "the trainer takes {config}, and a parameter-mode run writes it from the "
                       "base config: set ExportOptions::base (or use trial_index)");
  }
  const std::string line = "cfg=\"$(mktemp)\" && printf '%s\\n' " +
                           shell_quote(options.base.dump()) + " > \"$cfg\" && " +
                           run_and_clean(options.trainer, true);
  std::vector<std::string> argv = {"sh", "-c", line, "sh"};
  argv.insert(argv.end(), overrides.begin(), overrides.end());
  return argv;
}

/// The shell line of a trial_index run; its first argument is `I` or `trial=I` (W&B's form).
inline std::string trial_line(std::string_view engine, const SpaceSpec& space,
                              const ExportOptions& options) {
  if (options.trainer.empty() || !has_config(options.trainer)) {
    throw export_error(engine, space,
                       "trial_index runs the trainer on the sampled config: the trainer command "
                       "needs a {config} argument (ExportOptions::trainer)");
  }
  if (options.space_file.empty() || options.program.empty()) {
    throw export_error(engine, space,
                       "trial_index needs the program and the space file as the jobs see them "
                       "(ExportOptions::program, ::space_file)");
  }
  return "trial=\"${1#trial=}\" && cfg=\"$(mktemp)\" && " + shell_quote(options.program) +
         " sample " + shell_quote(options.space_file) + " --trial \"$trial\" > \"$cfg\" && " +
         run_and_clean(options.trainer, false);
}

/// N of a trial_index export: the grid's points or `trials`.
inline std::uint64_t trial_count(std::string_view engine, const SpaceSpec& space) {
  const std::uint64_t n = space.method == Method::grid ? grid_points(space) : space.trials;
  if (n == 0) {
    throw export_error(engine, space, "the space has no trials");
  }
  return n;
}

inline std::uint64_t checked_product(std::uint64_t a, std::uint64_t b) {
  if (a != 0 && b > std::numeric_limits<std::uint64_t>::max() / a) {
    throw std::invalid_argument("grid_points: more than 2^64-1 points");
  }
  return a * b;
}

inline std::uint64_t checked_sum(std::uint64_t a, std::uint64_t b) {
  if (b > std::numeric_limits<std::uint64_t>::max() - a) {
    throw std::invalid_argument("grid_points: more than 2^64-1 points");
  }
  return a + b;
}

/// `grid_points` from parameter `at` of `order` on, with the controllers assigned so far.
inline std::uint64_t count_from(const std::vector<const Parameter*>& order, std::size_t at,
                                const std::set<std::string>& controllers,
                                std::map<std::string, nlohmann::json>& assigned) {
  if (at == order.size()) {
    return 1;
  }
  const Parameter& p = *order[at];
  const bool active = std::all_of(p.when.begin(), p.when.end(),
                                  [&](const Condition& c) { return holds(c, assigned); });
  if (!active) {
    return count_from(order, at + 1, controllers, assigned);
  }
  if (controllers.count(p.path) == 0) {
    return checked_product(p.grid_size(), count_from(order, at + 1, controllers, assigned));
  }
  if (p.grid_size() > 1000000) {
    throw std::invalid_argument("grid_points: \"" + p.path +
                                "\" has too many values for a `when` to refer to");
  }
  std::uint64_t total = 0;
  for (const auto& v : points(p)) {
    assigned[p.path] = v;
    total = checked_sum(total, count_from(order, at + 1, controllers, assigned));
  }
  assigned.erase(p.path);
  return total;
}

/// The W&B form of a value: as it is where W&B prints it (`str()` in Python) as the same JSON,
/// else its JSON text as a string; `as_text` says which.
inline nlohmann::json wandb_value(const nlohmann::json& v, bool& as_text) {
  if (v.is_number() || (v.is_string() && bare_word(v.get<std::string>()))) {
    return v;
  }
  as_text = true;
  return override_text(v);
}

/// A Katib list entry or fixed argument: the override text, which Katib puts into the trial's
/// JSON unescaped. \throws std::invalid_argument for text that would break that JSON.
inline std::string katib_text(const SpaceSpec& space, const Parameter& p, const nlohmann::json& v) {
  std::string text = override_text(v);
  const bool breaks = std::any_of(text.begin(), text.end(), [](char ch) {
    return ch == '"' || ch == '\\' || static_cast<unsigned char>(ch) < 0x20;
  });
  if (breaks) {
    throw export_error("export_katib", space,
                       "\"" + p.path + "\": the value " + text +
                           " holds '\"' or '\\', and Katib puts values into the trial's JSON "
                           "unescaped; use trial_index");
  }
  return text;
}

/// A Katib parameter name: the path with `_` for `.` and any other character Katib's
/// placeholders and metric names do not take.
inline std::string katib_name(const std::string& path) {
  std::string out = path;
  for (auto& ch : out) {
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-')) {
      ch = '_';
    }
  }
  return out;
}

inline std::string goal_text(Goal goal) {
  return goal == Goal::maximize ? "maximize" : "minimize";
}

} // namespace detail

inline std::string shell_quote(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) {
    throw std::invalid_argument("shell_quote: an argument cannot hold a NUL byte");
  }
  const bool plain = !text.empty() && std::all_of(text.begin(), text.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) ||
           std::string_view("_@%+=:,./-").find(ch) != std::string_view::npos;
  });
  if (plain) {
    return std::string(text);
  }
  std::string out = "'";
  for (const char ch : text) {
    if (ch == '\'') {
      out += "'\\''";
    } else {
      out += ch;
    }
  }
  return out + "'";
}

inline std::uint64_t grid_points(const SpaceSpec& space) {
  for (const auto& p : space.parameters) {
    if (!detail::enumerable(p)) {
      throw std::invalid_argument("grid_points: \"" + p.path +
                                  "\" is continuous: a grid cannot walk it");
    }
  }
  std::set<std::string> controllers;
  for (const auto& p : space.parameters) {
    for (const auto& c : p.when) {
      controllers.insert(c.path);
    }
  }
  const auto order = detail::condition_order(space, "grid_points");
  std::map<std::string, nlohmann::json> assigned;
  return detail::count_from(order, 0, controllers, assigned);
}

inline Exported export_wandb(const SpaceSpec& space, const ExportOptions& options) {
  constexpr std::string_view engine = "export_wandb";
  Exported out;
  nlohmann::json& doc = out.document;
  doc = nlohmann::json::object();
  if (!options.name.empty()) {
    doc["name"] = options.name;
  }
  if (space.metric) {
    doc["metric"] = {{"name", space.metric->name}, {"goal", detail::goal_text(space.metric->goal)}};
  }
  if (options.trial_index) {
    const std::uint64_t n = detail::trial_count(engine, space);
    if (n > kMaxWandbTrialIndex) {
      throw detail::export_error(engine, space,
                                 std::to_string(n) +
                                     " trials: a W&B grid lists every trial index, "
                                     "and trial_index lists at most " +
                                     std::to_string(kMaxWandbTrialIndex));
    }
    nlohmann::json values = nlohmann::json::array();
    for (std::uint64_t i = 0; i < n; ++i) {
      values.push_back(i);
    }
    doc["method"] = "grid";
    doc["parameters"] = {{"trial", {{"values", std::move(values)}}}};
    doc["command"] = {"sh", "-c", detail::trial_line(engine, space, options), "sh",
                      "${args_no_hyphens}"};
    return out;
  }

  const bool grid = space.method == Method::grid;
  doc["method"] = grid ? "grid" : "random";
  if (space.method == Method::sobol) {
    out.warnings.push_back({"sobol_as_random", "",
                            "W&B has no Sobol method: exported as random, so the runs are not "
                            "the space's Sobol points (trial_index runs them)"});
  }
  if (!grid) {
    out.warnings.push_back({"seed_ignored", "",
                            "W&B sweeps take no seed: the seed " + std::to_string(space.seed) +
                                " is not used and W&B's random choices differ from run to run"});
    if (space.trials > 0) {
      doc["run_cap"] = space.trials;
    }
  }
  nlohmann::json params = nlohmann::json::object();
  for (const auto& p : space.parameters) {
    if (!p.when.empty()) {
      out.warnings.push_back({"condition_dropped", p.path,
                              "W&B has no conditions: \"" + p.path +
                                  "\" applies only under its `when` and is left out, so every "
                                  "run takes the base config's value (trial_index runs it)"});
      continue;
    }
    if (!detail::wandb_key(p.path)) {
      throw detail::export_error(engine, space,
                                 "\"" + p.path +
                                     "\" is not a W&B parameter name (letters, digits, '_', '.', "
                                     "'-'); use trial_index");
    }
    bool as_text = false;
    const auto listed = [&](const std::vector<nlohmann::json>& values) {
      nlohmann::json list = nlohmann::json::array();
      for (const auto& v : values) {
        list.push_back(detail::wandb_value(v, as_text));
      }
      return nlohmann::json{{"values", std::move(list)}};
    };
    nlohmann::json spec;
    if (grid) {
      if (!detail::enumerable(p)) {
        throw detail::export_error(engine, space,
                                   "\"" + p.path + "\" is continuous: a grid cannot walk it");
      }
      spec = p.distribution == Distribution::value
                 ? nlohmann::json{{"value", detail::wandb_value(p.values.at(0), as_text)}}
                 : listed(detail::points(p));
    } else {
      switch (p.distribution) {
      case Distribution::value:
        spec = {{"value", detail::wandb_value(p.values.at(0), as_text)}};
        break;
      case Distribution::values:
        spec = listed(p.values);
        break;
      case Distribution::uniform:
      case Distribution::int_uniform:
        if (detail::stepped(p) && p.grid_size() <= kMaxListedValues) {
          spec = listed(detail::points(p));
        } else if (detail::stepped(p)) {
          const bool integer = p.distribution == Distribution::int_uniform;
          spec = {{"distribution", "q_uniform"}};
          spec["min"] = integer ? nlohmann::json(p.int_low) : nlohmann::json(p.low);
          spec["max"] = integer ? nlohmann::json(p.int_high) : nlohmann::json(p.high);
          spec["q"] = integer ? nlohmann::json(*p.int_step) : nlohmann::json(*p.step);
          out.warnings.push_back(
              {"step_approximated", p.path,
               "more than " + std::to_string(kMaxListedValues) +
                   " steps to list: W&B's q_uniform rounds a uniform draw to a multiple of q "
                   "(counted from 0, not from low; the ends half as likely)"});
        } else if (p.distribution == Distribution::uniform) {
          spec = {{"distribution", "uniform"}, {"min", p.low}, {"max", p.high}};
        } else {
          spec = {{"distribution", "int_uniform"}, {"min", p.int_low}, {"max", p.int_high}};
        }
        break;
      case Distribution::log_uniform:
        spec = {{"distribution", "log_uniform_values"}, {"min", p.low}, {"max", p.high}};
        break;
      case Distribution::int_log_uniform:
        spec = {{"distribution", "q_log_uniform_values"},
                {"min", p.int_low},
                {"max", p.int_high},
                {"q", 1}};
        out.warnings.push_back({"int_log_uniform_approximated", p.path,
                                "W&B has no log-uniform integers: q_log_uniform_values with q=1 "
                                "rounds a log-uniform draw to the nearest integer and passes it "
                                "as a float (17.0, which an integer field reads as 17)"});
        break;
      }
    }
    if (as_text) {
      out.warnings.push_back({"value_as_text", p.path,
                              "W&B passes values as Python prints them (True, 'a', None): values "
                              "of \"" +
                                  p.path +
                                  "\" that are not numbers or plain words are written as their "
                                  "JSON text, so each run gets the same override"});
    }
    params[p.path] = std::move(spec);
  }
  if (params.empty()) {
    throw detail::export_error(engine, space, "no parameter left to sweep");
  }
  doc["parameters"] = std::move(params);
  doc["command"] = detail::parameter_command(engine, space, options, {"${args_no_hyphens}"});
  return out;
}

inline Exported export_katib(const SpaceSpec& space, const ExportOptions& options) {
  constexpr std::string_view engine = "export_katib";
  Exported out;
  if (!space.metric) {
    throw detail::export_error(engine, space, "Katib needs a metric (the space has none)");
  }
  const std::string& metric = space.metric->name;
  const bool metric_ok = !metric.empty() && std::all_of(metric.begin(), metric.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-';
  });
  if (!metric_ok) {
    throw detail::export_error(engine, space,
                               "the metric \"" + metric +
                                   "\": Katib's StdOut collector reads names of letters, digits, "
                                   "'_' and '-' only; rename it (the trainer prints "
                                   "name=value), e.g. \"" +
                                   detail::katib_name(metric) + "\"");
  }
  if (options.image.empty()) {
    throw detail::export_error(
        engine, space,
        "Katib needs a container image (ExportOptions::image; hparams export --image)");
  }
  const std::string& name = options.name;
  const bool name_ok = !name.empty() && name.size() <= 63 &&
                       std::islower(static_cast<unsigned char>(name.front())) &&
                       std::isalnum(static_cast<unsigned char>(name.back())) &&
                       std::all_of(name.begin(), name.end(), [](char ch) {
                         return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
                       });
  if (!name_ok) {
    throw detail::export_error(engine, space,
                               "the experiment's name \"" + name +
                                   "\" (ExportOptions::name) is not a Kubernetes name: lower "
                                   "case letters, digits and '-', starting with a letter, ending "
                                   "with a letter or digit, at most 63");
  }

  nlohmann::json parameters = nlohmann::json::array();
  nlohmann::json trial_parameters = nlohmann::json::array();
  nlohmann::json algorithm;
  std::vector<std::string> command;
  std::uint64_t max_trials = 0;
  if (options.trial_index) {
    max_trials = detail::trial_count(engine, space);
    parameters.push_back(
        {{"name", "trial"},
         {"parameterType", "int"},
         {"feasibleSpace",
          {{"min", "0"}, {"max", std::to_string(max_trials - 1)}, {"step", "1"}}}});
    trial_parameters.push_back({{"name", "trial"},
                                {"reference", "trial"},
                                {"description", "the trial's index in the space"}});
    algorithm = {{"algorithmName", "grid"}};
    command = {"sh", "-c", detail::trial_line(engine, space, options), "sh",
               "${trialParameters.trial}"};
  } else {
    const bool grid = space.method == Method::grid;
    if (grid) {
      algorithm = {{"algorithmName", "grid"}};
    } else {
      // hyperopt's random suggestion seeds numpy, which takes 32 bits
      const std::uint64_t seed = space.seed & 0xffffffffu;
      if (seed != space.seed) {
        out.warnings.push_back({"seed_reduced", "",
                                "Katib's random_state takes 32 bits: the seed " +
                                    std::to_string(space.seed) + " is written as " +
                                    std::to_string(seed)});
      }
      algorithm = {
          {"algorithmName", "random"},
          {"algorithmSettings", {{{"name", "random_state"}, {"value", std::to_string(seed)}}}}};
    }
    if (space.method == Method::sobol) {
      out.warnings.push_back({"sobol_as_random", "",
                              "exported as Katib's random search, so the trials are not the "
                              "space's Sobol points (trial_index runs them)"});
    }
    std::vector<std::string> overrides;
    std::set<std::string> names;
    std::uint64_t grid_size = 1;
    for (const auto& p : space.parameters) {
      if (!p.when.empty()) {
        out.warnings.push_back({"condition_dropped", p.path,
                                "Katib has no conditions: \"" + p.path +
                                    "\" applies only under its `when` and is left out, so every "
                                    "trial takes the base config's value (trial_index runs it)"});
        continue;
      }
      if (p.distribution == Distribution::value) {
        overrides.push_back(p.path + "=" + detail::katib_text(space, p, p.values.at(0)));
        continue;
      }
      const std::string pname = detail::katib_name(p.path);
      if (!names.insert(pname).second) {
        throw detail::export_error(engine, space,
                                   "two parameters have the Katib name \"" + pname +
                                       "\" (paths with '_' for '.'); use trial_index");
      }
      nlohmann::json feasible;
      std::string type;
      const auto list_of = [&](const std::vector<nlohmann::json>& values) {
        bool numbers = true;
        nlohmann::json list = nlohmann::json::array();
        for (const auto& v : values) {
          numbers = numbers && v.is_number();
          list.push_back(detail::katib_text(space, p, v));
        }
        type = numbers ? "discrete" : "categorical";
        feasible = {{"list", std::move(list)}};
      };
      if (grid && !detail::enumerable(p)) {
        throw detail::export_error(engine, space,
                                   "\"" + p.path + "\" is continuous: a grid cannot walk it");
      }
      if (grid && p.grid_size() > 1) {
        grid_size = detail::checked_product(grid_size, p.grid_size());
      }
      if (p.distribution == Distribution::values ||
          (grid && p.distribution != Distribution::int_uniform) ||
          (detail::stepped(p) && p.grid_size() <= kMaxListedValues)) {
        list_of(detail::points(p));
      } else {
        switch (p.distribution) {
        case Distribution::uniform:
        case Distribution::log_uniform:
          type = "double";
          feasible = {{"min", detail::number_text(p.low)}, {"max", detail::number_text(p.high)}};
          if (p.distribution == Distribution::log_uniform) {
            feasible["distribution"] = "logUniform";
          }
          if (p.step) {
            feasible["step"] = detail::number_text(*p.step);
          }
          break;
        case Distribution::int_uniform:
        case Distribution::int_log_uniform:
          type = "int";
          feasible = {{"min", std::to_string(p.int_low)}, {"max", std::to_string(p.int_high)}};
          if (p.distribution == Distribution::int_log_uniform) {
            feasible["distribution"] = "logUniform";
            out.warnings.push_back({"int_log_uniform_approximated", p.path,
                                    "Katib draws log-uniform integers its own way (a log-uniform "
                                    "draw rounded to the step 1), not as the space does"});
          }
          if (p.int_step && *p.int_step > 1) {
            feasible["step"] = std::to_string(*p.int_step);
          } else if (grid) {
            feasible["step"] = "1";
          }
          break;
        case Distribution::value:
        case Distribution::values:
          break;
        }
        if (detail::stepped(p) && !grid) {
          out.warnings.push_back(
              {"step_approximated", p.path,
               "more than " + std::to_string(kMaxListedValues) +
                   " steps to list: Katib's step quantizes its own draw (hyperopt's quniform "
                   "rounds to multiples of the step, the ends half as likely)"});
        }
      }
      parameters.push_back({{"name", pname}, {"parameterType", type}, {"feasibleSpace", feasible}});
      trial_parameters.push_back(
          {{"name", pname}, {"reference", pname}, {"description", "the override " + p.path}});
      overrides.push_back(p.path + "=${trialParameters." + pname + "}");
    }
    if (parameters.empty()) {
      throw detail::export_error(engine, space, "no parameter left to search");
    }
    max_trials = grid ? grid_size : space.trials;
    command = detail::parameter_command(engine, space, options, overrides);
  }
  if (max_trials == 0 ||
      max_trials > static_cast<std::uint64_t>(std::numeric_limits<std::int32_t>::max())) {
    throw detail::export_error(engine, space,
                               std::to_string(max_trials) +
                                   " trials: Katib's maxTrialCount is from 1 to 2^31-1");
  }

  nlohmann::json job = {
      {"apiVersion", "batch/v1"},
      {"kind", "Job"},
      {"spec",
       {{"template",
         {{"spec",
           {{"containers",
             {{{"name", "training"}, {"image", options.image}, {"command", command}}}},
            {"restartPolicy", "Never"}}}}}}}};
  nlohmann::json spec = {
      {"objective",
       {{"type", detail::goal_text(space.metric->goal)},
        {"objectiveMetricName", metric},
        {"metricStrategies", {{{"name", metric}, {"value", "latest"}}}}}},
      {"algorithm", algorithm},
      {"parameters", parameters},
      {"maxTrialCount", max_trials},
      {"parallelTrialCount", std::min<std::uint64_t>(3, max_trials)},
      {"metricsCollectorSpec", {{"collector", {{"kind", "StdOut"}}}}},
      {"trialTemplate",
       {{"primaryContainerName", "training"},
        {"successCondition", "status.conditions.#(type==\"Complete\")#|#(status==\"True\")#"},
        {"failureCondition", "status.conditions.#(type==\"Failed\")#|#(status==\"True\")#"},
        {"trialParameters", trial_parameters},
        {"trialSpec", job}}}};
  out.document = {{"apiVersion", "kubeflow.org/v1beta1"},
                  {"kind", "Experiment"},
                  {"metadata", {{"name", name}}},
                  {"spec", std::move(spec)}};
  return out;
}

inline Exported export_optuna(const SpaceSpec& space, const ExportOptions& options) {
  constexpr std::string_view engine = "export_optuna";
  Exported out;
  if (!space.metric) {
    throw detail::export_error(engine, space,
                               "an Optuna study needs a metric (the space has none)");
  }
  nlohmann::json& doc = out.document;
  doc = {{"format", "hyperparams-optuna-study"},
         {"version", 1},
         {"direction", detail::goal_text(space.metric->goal)},
         {"metric", space.metric->name},
         {"seed", space.seed & 0xffffffffu}};
  if ((space.seed & 0xffffffffu) != space.seed && !options.trial_index) {
    // Optuna's samplers seed numpy, which takes 32 bits (a trial_index grid: only its order)
    out.warnings.push_back({"seed_reduced", "",
                            "Optuna's samplers take 32-bit seeds: the seed " +
                                std::to_string(space.seed) + " is written as " +
                                std::to_string(space.seed & 0xffffffffu)});
  }
  if (!options.name.empty()) {
    doc["name"] = options.name;
  }
  nlohmann::json parameters = nlohmann::json::array();
  if (options.trial_index) {
    if (options.space_file.empty() || options.program.empty()) {
      throw detail::export_error(engine, space,
                                 "trial_index needs the program and the space file "
                                 "(ExportOptions::program, ::space_file)");
    }
    const std::uint64_t n = detail::trial_count(engine, space);
    doc["sampler"] = "grid";
    doc["n_trials"] = n;
    doc["trial_index"] = {{"space", options.space_file}};
    parameters.push_back({{"path", "trial"},
                          {"distribution",
                           {{"type", "IntDistribution"},
                            {"low", 0},
                            {"high", n - 1},
                            {"step", 1},
                            {"log", false}}}});
    doc["parameters"] = std::move(parameters);
    doc["base"] = options.base;
    return out;
  }

  const bool grid = space.method == Method::grid;
  doc["sampler"] = grid ? "grid" : space.method == Method::sobol ? "qmc" : "tpe";
  if (space.method == Method::sobol) {
    out.warnings.push_back({"sobol_not_our_points", "",
                            "QMCSampler(qmc_type=\"sobol\", scramble=True, seed) draws Optuna's "
                            "own scrambled Sobol points, not the space's (trial_index runs them)"});
  }
  std::uint64_t grid_size = 1;
  bool conditions = false;
  for (const Parameter* pp : detail::condition_order(space, engine)) {
    const Parameter& p = *pp;
    nlohmann::json entry = {{"path", p.path}};
    if (!p.when.empty()) {
      conditions = true;
      nlohmann::json when = nlohmann::json::array();
      for (const auto& c : p.when) {
        when.push_back({{"path", c.path}, {"values", c.values}});
      }
      entry["when"] = std::move(when);
    }
    if (grid) {
      if (!detail::enumerable(p)) {
        throw detail::export_error(engine, space,
                                   "\"" + p.path + "\" is continuous: a grid cannot walk it");
      }
      grid_size = detail::checked_product(grid_size, p.grid_size());
    }
    switch (p.distribution) {
    case Distribution::value:
      entry["value"] = p.values.at(0);
      break;
    case Distribution::values:
      entry["distribution"] = {{"type", "CategoricalDistribution"}, {"choices", p.values}};
      break;
    case Distribution::uniform:
    case Distribution::log_uniform: {
      nlohmann::json d = {{"type", "FloatDistribution"},
                          {"low", p.low},
                          {"high", p.step ? detail::last_point(p) : p.high},
                          {"log", p.distribution == Distribution::log_uniform}};
      d["step"] = p.step ? nlohmann::json(*p.step) : nlohmann::json();
      entry["distribution"] = std::move(d);
      break;
    }
    case Distribution::int_uniform:
    case Distribution::int_log_uniform:
      entry["distribution"] = {
          {"type", "IntDistribution"},
          {"low", p.int_low},
          {"high",
           p.distribution == Distribution::int_uniform ? detail::last_int_point(p) : p.int_high},
          {"step",
           p.distribution == Distribution::int_uniform ? p.int_step.value_or(1) : std::int64_t{1}},
          {"log", p.distribution == Distribution::int_log_uniform}};
      break;
    }
    parameters.push_back(std::move(entry));
  }
  if (grid && conditions) {
    out.warnings.push_back({"grid_conditions_repeat", "",
                            "Optuna's GridSampler walks every parameter's values, those under a "
                            "`when` too: trials where one does not apply repeat others (" +
                                std::to_string(grid_size) + " trials for " +
                                std::to_string(grid_points(space)) + " points)"});
  }
  doc["n_trials"] = grid ? grid_size : space.trials;
  doc["parameters"] = std::move(parameters);
  doc["base"] = options.base;
  return out;
}

} // namespace hyperparams::search
