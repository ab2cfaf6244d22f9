// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// What `hparams report` reads: runs (the `--metrics` JSONL of a trainer, or the `name=value`
/// lines of a trial's log) and sweep results directories, with every line or file it had to
/// skip. Not for users: `<hyperparams/report.hpp>`.

#include "hyperparams/impl/report_scale.hpp"
#include "hyperparams/sweep.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <istream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace hyperparams::report {

/// One run's learning curves: a value of each metric at each epoch, and what is known of its
/// config.
struct Run {
  std::string label;       ///< its name in legends: the file's name, or "trial 3"
  std::string source;      ///< where it was read from
  std::string config_json; ///< the config (indented JSON text), or empty when not known
  std::string fingerprint; ///< the config's, or empty
  /// The other fields of its lines that are not numbers ("device": "cuda"), first value kept.
  std::vector<std::pair<std::string, std::string>> attributes;
  std::vector<std::string> metrics; ///< the metric names, in the order they first appear
  struct Point {
    double epoch = 0.0;
    std::map<std::string, double> values;
  };
  std::vector<Point> points; ///< one per epoch line, in file order
};

/// A varied parameter of a sweep and how its axis places values.
struct Parameter {
  std::string path;                    ///< as an override: "optimizer.momentum"
  Scale scale = Scale::linear;         ///< log for log-distributed ones, categories for lists
  std::vector<std::string> categories; ///< categorical: the values (JSON text), in order
};

/// What a sweep ranks by and what it varies: the `sweep.json` that `hparams sweep` writes into its
/// results directory.
struct SweepInfo {
  std::string metric;
  bool maximize = true;
  std::vector<Parameter> parameters; ///< by path
};

/// A sweep's results directory as read.
struct Sweep {
  std::filesystem::path directory;
  SweepInfo info;
  bool described = false; ///< whether `info` came from its sweep.json (else: guessed)
  std::vector<sweep::TrialResult> results; ///< by index (without their logs)
  std::map<std::uint64_t, Run> curves;     ///< the trials whose learning curves are known
};

/// Everything a report shows.
struct Inputs {
  std::vector<Run> runs;            ///< the JSONL files given
  std::optional<Sweep> sweep;       ///< the results directory given
  std::vector<std::string> skipped; ///< "file:line: why", for every line or file left out
};

/// How inputs are read: the metric a sweep ranks by and its goal, when not its sweep.json's.
struct ReadOptions {
  std::string metric;
  std::optional<bool> maximize;
};

/// Inputs that cannot make a report: an empty or unreadable directory, a file that is not there.
class ReportError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// A run's limits, past which lines are skipped (and listed): a report stays a page.
inline constexpr std::size_t max_line_bytes = std::size_t{1} << 20;
inline constexpr std::size_t max_epochs = 100000;
inline constexpr std::size_t max_metrics = 64; ///< names, numeric or not
/// Skipped lines listed one by one per file; the rest are counted in one more line.
inline constexpr std::size_t max_listed_skips = 100;

namespace detail {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json; // a run's metrics in the order its lines give them

/// Every numeric member of an epoch line is a metric; the others are attributes. Returns false
/// when it left some out: past max_metrics names of either kind.
inline bool add_point(Run& run, const OrderedJson& line) {
  Run::Point point;
  point.epoch = line.at("epoch").get<double>();
  bool all = true;
  for (const auto& item : line.items()) {
    const std::string& key = item.key(); // not a structured binding: lambdas capture it
    const auto& value = item.value();
    if (key == "epoch") {
      continue;
    }
    const bool known = std::find(run.metrics.begin(), run.metrics.end(), key) != run.metrics.end();
    const bool named = std::any_of(run.attributes.begin(), run.attributes.end(),
                                   [&](const auto& a) { return a.first == key; });
    if (!known && !named && run.metrics.size() + run.attributes.size() >= max_metrics) {
      all = false;
      continue;
    }
    if (value.is_number()) {
      if (!known) {
        run.metrics.push_back(key);
      }
      point.values[key] = value.get<double>();
    } else if (!named) {
      run.attributes.emplace_back(key, value.is_string() ? value.get<std::string>() : value.dump());
    }
  }
  run.points.push_back(std::move(point));
  return all;
}

} // namespace detail

/// A run from JSONL: a line `{"config": {...}, "fingerprint": "..."}` (the trainers write it
/// first) and a line per epoch, `{"epoch": 1, "train_loss": 0.5, ...}`. A line that is not a JSON
/// object (a run killed mid-write), or has neither, is added to `skipped` as "source:line: why"
/// (the first max_listed_skips, then a count) and left out; blank lines are ignored.
[[nodiscard]] inline Run read_run(std::istream& in, const std::string& source,
                                  std::vector<std::string>& skipped) {
  using Json = detail::OrderedJson;
  Run run;
  run.source = source;
  run.label = std::filesystem::path(source).filename().string();
  std::string line;
  std::size_t number = 0;
  std::size_t skips = 0;
  const auto skip = [&](const std::string& why) {
    if (++skips <= max_listed_skips) {
      skipped.push_back(source + ":" + std::to_string(number) + ": " + why + ", skipped");
    }
  };
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) {
      continue;
    }
    if (line.size() > max_line_bytes) {
      skip("longer than 1 MiB");
      continue;
    }
    bool too_deep = false;
    const Json j = sweep::detail::parse_bounded<Json>(line, too_deep);
    if (too_deep) {
      skip("nested deeper than " + std::to_string(sweep::detail::max_json_depth));
      continue;
    }
    if (j.is_discarded() || !j.is_object()) {
      skip(j.is_discarded() ? "not JSON (a line cut short?)" : "not a JSON object");
      continue;
    }
    const auto epoch = j.find("epoch");
    if (epoch != j.end()) {
      if (!epoch->is_number() || !std::isfinite(epoch->get<double>())) {
        skip("\"epoch\" is not a number");
        continue;
      }
      if (run.points.size() == max_epochs) {
        skip("more than " + std::to_string(max_epochs) + " epochs");
        continue;
      }
      if (!detail::add_point(run, j)) {
        skip("past " + std::to_string(max_metrics) + " names: the new names of this line");
      }
      continue;
    }
    const auto config = j.find("config");
    if (config == j.end() || !config->is_object()) {
      skip("neither an epoch (\"epoch\") nor a config (\"config\")");
      continue;
    }
    run.config_json = config->dump(2, ' ', false, Json::error_handler_t::replace);
    const auto fingerprint = j.find("fingerprint");
    run.fingerprint = fingerprint != j.end() && fingerprint->is_string()
                          ? fingerprint->get<std::string>()
                          : std::string();
  }
  if (skips > max_listed_skips) {
    skipped.push_back(source + ": " + std::to_string(skips - max_listed_skips) +
                      " more lines skipped (the first " + std::to_string(max_listed_skips) +
                      " are listed)");
  }
  return run;
}

/// A trial's curves from its log: each `epoch=N` line starts an epoch, and the `name=value` pairs
/// after it (Katib's StdOut format) are its metrics (the first max_metrics names, and
/// max_epochs epochs). None when it printed no epoch.
[[nodiscard]] inline std::optional<Run> run_from_log(const sweep::TrialResult& result) {
  Run run;
  std::istringstream log(result.log);
  std::string line;
  while (std::getline(log, line)) {
    for (const auto& [name, value] : sweep::parse_metric_line(line)) {
      if (name == "epoch") {
        if (run.points.size() == max_epochs) {
          break;
        }
        run.points.push_back({value, {}});
      } else if (!run.points.empty()) {
        if (std::find(run.metrics.begin(), run.metrics.end(), name) == run.metrics.end()) {
          if (run.metrics.size() == max_metrics) {
            continue;
          }
          run.metrics.push_back(name);
        }
        run.points.back().values[name] = value;
      }
    }
  }
  if (run.points.empty()) {
    return std::nullopt;
  }
  return run;
}

/// sweep.json: `{"metric": {"name": ..., "goal": "maximize"}, "parameters": {PATH: {"scale":
/// "log"}, PATH: {"scale": "categorical", "values": [...]}}}`.
[[nodiscard]] inline std::string sweep_info_json(const SweepInfo& info) {
  using detail::Json;
  Json j;
  j["metric"] = {{"name", info.metric}, {"goal", info.maximize ? "maximize" : "minimize"}};
  j["parameters"] = Json::object();
  for (const auto& p : info.parameters) {
    Json& entry = j["parameters"][p.path];
    entry["scale"] = std::string(to_string(p.scale));
    if (p.scale == Scale::categorical) {
      entry["values"] = Json::array();
      for (const auto& value : p.categories) {
        entry["values"].push_back(Json::parse(value, nullptr, false, true));
      }
    }
  }
  return j.dump(2) + "\n";
}

/// \throws ReportError for a text that is not a sweep.json (nested deeper than 64 included: its
/// values are written back out, recursively).
[[nodiscard]] inline SweepInfo parse_sweep_info(const std::string& text,
                                                const std::string& source) {
  using detail::Json;
  SweepInfo info;
  try {
    bool too_deep = false;
    const Json j = sweep::detail::parse_bounded_or_throw<Json>(text, too_deep);
    if (too_deep) {
      throw ReportError(source + ": not a sweep description: nested deeper than " +
                        std::to_string(sweep::detail::max_json_depth));
    }
    info.metric = j.at("metric").at("name").get<std::string>();
    const auto goal = j.at("metric").at("goal").get<std::string>();
    if (goal != "maximize" && goal != "minimize") {
      throw ReportError(source + ": metric goal \"" + goal + "\": expected maximize or minimize");
    }
    info.maximize = goal == "maximize";
    for (const auto& [path, entry] : j.at("parameters").items()) {
      Parameter p;
      p.path = path;
      const auto scale = entry.at("scale").get<std::string>();
      p.scale = scale == "log"           ? Scale::log
                : scale == "categorical" ? Scale::categorical
                : scale == "linear"
                    ? Scale::linear
                    : throw ReportError(source + ": parameter " + path + ": scale \"" + scale +
                                        "\": expected linear, log or "
                                        "categorical");
      if (p.scale == Scale::categorical) {
        for (const auto& value : entry.at("values")) {
          p.categories.push_back(value.dump());
        }
      }
      info.parameters.push_back(std::move(p));
    }
  } catch (const nlohmann::json::exception& e) {
    throw ReportError(source + ": not a sweep description: " + e.what());
  }
  return info;
}

namespace detail {

/// What a sweep without sweep.json varies, from its results: numbers spanning more than two
/// decades (all > 0) on a log axis, other numbers on a linear one, anything else as categories
/// in the order they first appear.
inline std::vector<Parameter> guess_parameters(const std::vector<sweep::TrialResult>& results) {
  std::map<std::string, std::vector<std::string>> seen; // path -> values, first-seen order
  for (const auto& r : results) {
    for (const auto& [path, value] : r.varied) {
      auto& values = seen[path];
      if (std::find(values.begin(), values.end(), value) == values.end()) {
        values.push_back(value);
      }
    }
  }
  std::vector<Parameter> out;
  for (auto& [path, values] : seen) {
    Parameter p;
    p.path = path;
    std::vector<double> numbers;
    for (const auto& value : values) {
      const Json j = Json::parse(value, nullptr, false);
      if (j.is_number()) {
        numbers.push_back(j.get<double>());
      }
    }
    if (numbers.size() == values.size()) {
      double low = 0;
      double high = 0;
      const bool positive =
          value_range(numbers, Scale::log, low, high) &&
          std::all_of(numbers.begin(), numbers.end(), [](double v) { return v > 0; });
      p.scale = positive && high / low > 100 ? Scale::log : Scale::linear;
    } else {
      p.scale = Scale::categorical;
      p.categories = std::move(values);
    }
    out.push_back(std::move(p));
  }
  return out;
}

/// The metric to rank by when neither --metric nor sweep.json says: accuracy when trials print
/// it. A name with "loss" or "error" in it is minimized unless the goal is given.
inline void settle_metric(Sweep& sweep, const ReadOptions& options) {
  if (!options.metric.empty()) {
    if (options.metric != sweep.info.metric) {
      sweep.info.maximize = true;
    }
    sweep.info.metric = options.metric;
  }
  std::set<std::string> printed; // by the ok trials
  for (const auto& r : sweep.results) {
    for (const auto& [name, value] : r.metrics) {
      if (r.ok()) {
        printed.insert(name);
      }
    }
  }
  std::string names;
  for (const auto& name : printed) {
    names += (names.empty() ? "" : ", ") + name;
  }
  if (sweep.info.metric.empty()) {
    if (printed.count("accuracy") == 0) {
      throw ReportError(sweep.directory.string() +
                        ": no sweep.json says which metric ranks the trials: give --metric (the "
                        "trials print " +
                        (names.empty() ? std::string("none") : names) + ")");
    }
    sweep.info.metric = "accuracy";
  }
  const bool any_ok =
      std::any_of(sweep.results.begin(), sweep.results.end(), [](const auto& r) { return r.ok(); });
  if (any_ok && printed.count(sweep.info.metric) == 0) {
    throw ReportError(sweep.directory.string() + ": no trial printed the metric \"" +
                      sweep.info.metric + "\" (they print " +
                      (names.empty() ? std::string("none") : names) + ")");
  }
  if (options.maximize) {
    sweep.info.maximize = *options.maximize;
  } else if (!sweep.described || !options.metric.empty()) {
    const auto& m = sweep.info.metric;
    sweep.info.maximize =
        m.find("loss") == std::string::npos && m.find("error") == std::string::npos;
  }
}

/// The learning curves of a trial: a JSONL file in its own directory (`--metrics {out}/...`),
/// else the epoch lines of its log.
inline std::optional<Run> trial_curves(const std::filesystem::path& directory,
                                       const sweep::TrialResult& result,
                                       std::vector<std::string>& skipped) {
  const auto own = directory / sweep::trial_stem(result.index);
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (std::filesystem::directory_iterator it(own, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".jsonl") {
      files.push_back(it->path());
    }
  }
  std::sort(files.begin(), files.end());
  std::optional<Run> run;
  if (!files.empty()) {
    std::ifstream in(files.front(), std::ios::binary);
    run = read_run(in, files.front().string(), skipped);
  }
  if (!run || run->points.empty()) {
    run = run_from_log(result);
  }
  if (!run || run->points.empty()) {
    return std::nullopt;
  }
  run->label = "trial " + std::to_string(result.index);
  run->config_json = result.config_json;
  run->fingerprint = result.fingerprint;
  return run;
}

} // namespace detail

/// A sweep's results directory: its results, sweep.json (or what can be guessed), and the
/// learning curves of its trials. A result file that cannot be read is skipped and listed.
/// \throws ReportError for a directory that cannot be read or holds no results.
[[nodiscard]] inline Sweep read_sweep(const std::filesystem::path& directory,
                                      const ReadOptions& options,
                                      std::vector<std::string>& skipped) {
  Sweep sweep;
  sweep.directory = directory;
  try {
    sweep.results = sweep::read_results(directory, true, [&](const sweep::SweepError& e) {
      skipped.push_back(std::string(e.what()) + ", skipped");
    });
  } catch (const sweep::SweepError& e) {
    throw ReportError(e.what());
  }
  if (sweep.results.empty()) {
    throw ReportError(directory.string() +
                      ": no trial results (trial-*.json) in this directory: is it the --out of "
                      "hparams sweep?");
  }
  const auto description = directory / "sweep.json";
  if (const auto text = sweep::detail::read_text(description)) {
    sweep.info = parse_sweep_info(*text, description.string());
    sweep.described = true;
  } else {
    sweep.info.parameters = detail::guess_parameters(sweep.results);
  }
  detail::settle_metric(sweep, options);
  if (sweep.info.parameters.size() > max_metrics) {
    skipped.push_back(directory.string() + ": " + std::to_string(sweep.info.parameters.size()) +
                      " varied parameters: only the first " + std::to_string(max_metrics) +
                      " are drawn");
    sweep.info.parameters.resize(max_metrics);
  }
  for (const auto& r : sweep.results) {
    if (auto run = detail::trial_curves(directory, r, skipped)) {
      sweep.curves.emplace(r.index, std::move(*run));
    }
  }
  for (auto& r : sweep.results) {
    r.log = std::string(); // read for the curves only: a report never shows a whole log
  }
  return sweep;
}

/// Runs (JSONL files) or one sweep directory, as `hparams report` takes them.
/// \throws ReportError for a file that cannot be read, a directory with other inputs, a run with
/// no epoch at all when it is the only input, or a directory without results.
[[nodiscard]] inline Inputs read_inputs(const std::vector<std::filesystem::path>& paths,
                                        const ReadOptions& options = {}) {
  Inputs inputs;
  for (const auto& path : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      if (paths.size() != 1) {
        throw ReportError(path.string() +
                          ": a sweep directory is reported on its own (give it alone, or "
                          "only JSONL runs)");
      }
      inputs.sweep = read_sweep(path, options, inputs.skipped);
      continue;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      throw ReportError(path.string() + ": cannot read this file");
    }
    inputs.runs.push_back(read_run(in, path.string(), inputs.skipped));
    if (inputs.runs.back().points.empty()) {
      inputs.skipped.push_back(path.string() + ": no epoch lines, nothing to plot");
    }
  }
  if (!inputs.sweep && std::all_of(inputs.runs.begin(), inputs.runs.end(),
                                   [](const Run& r) { return r.points.empty(); })) {
    throw ReportError(paths.empty() ? std::string("no input: give runs (JSONL) or a sweep "
                                                  "directory")
                                    : "no epoch lines in any run: nothing to report");
  }
  return inputs;
}

} // namespace hyperparams::report
