// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The search commands of `cli::main`: `sample` (trials of a space), `sweep` (run them here)
/// and `export` (the space for W&B, Katib or Optuna). Not for users: `<hyperparams/cli.hpp>`.

#include "hyperparams/diff.hpp"
#include "hyperparams/impl/report_input.hpp"
#include "hyperparams/search.hpp"
#include "hyperparams/search_export.hpp"
#include "hyperparams/sweep.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace hyperparams::cli::detail {

/// "A-B" (inclusive, as SLURM's --array) or "A": the half-open range [first, last).
inline std::optional<std::pair<std::uint64_t, std::uint64_t>> trial_range(const std::string& text) {
  const auto number = [](const std::string& s) -> std::optional<std::uint64_t> {
    if (s.empty() || s.size() > 19 || s.find_first_not_of("0123456789") != std::string::npos) {
      return std::nullopt;
    }
    return std::stoull(s);
  };
  const auto dash = text.find('-');
  const auto a = number(text.substr(0, dash));
  const auto b = dash == std::string::npos ? a : number(text.substr(dash + 1));
  if (!a || !b || *b < *a) {
    return std::nullopt;
  }
  return std::make_pair(*a, *b + 1);
}

/// The sweep runner's view of trial `index` of `space`.
template <class T>
sweep::TrialJob trial_job(const search::Space<T>& space, std::uint64_t index) {
  const auto trial = space.at(index);
  sweep::TrialJob job;
  job.index = index;
  job.config_json = dump(trial.config);
  job.fingerprint = hyperparams::fingerprint(trial.config);
  for (const auto& item : trial.values) {
    const auto p = std::find_if(space.parameters.begin(), space.parameters.end(),
                                [&](const search::Parameter& q) { return q.path == item.first; });
    if (p->distribution != search::Distribution::value) { // a fixed value varies nothing
      job.varied.emplace_back(item.first, search::detail::value_text(item.second));
    }
  }
  return job;
}

/// What a report needs to know of a sweep (its sweep.json): the metric, and how to draw each
/// parameter it varies: log-distributed ones on log axes, lists as categories.
inline report::SweepInfo sweep_info(const search::SpaceSpec& space, const std::string& metric,
                                    bool maximize) {
  report::SweepInfo info;
  info.metric = metric;
  info.maximize = maximize;
  for (const auto& p : space.parameters) {
    if (p.distribution == search::Distribution::value) {
      continue;
    }
    report::Parameter parameter;
    parameter.path = p.path;
    switch (p.distribution) {
    case search::Distribution::log_uniform:
    case search::Distribution::int_log_uniform:
      parameter.scale = report::Scale::log;
      break;
    case search::Distribution::values:
      parameter.scale = report::Scale::categorical;
      for (const auto& value : p.values) {
        parameter.categories.push_back(search::detail::value_text(value));
      }
      break;
    default:
      parameter.scale = report::Scale::linear;
    }
    info.parameters.push_back(std::move(parameter));
  }
  return info;
}

/// A table of the varied values of trials [first, last): one column per parameter, "-" where
/// it is inactive.
template <class T>
std::string trial_table(const search::Space<T>& space, std::uint64_t first, std::uint64_t last) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header{"trial"};
  for (const auto& p : space.parameters) {
    if (p.distribution != search::Distribution::value) {
      header.push_back(p.path);
    }
  }
  rows.push_back(header);
  for (std::uint64_t i = first; i < last; ++i) {
    std::vector<std::string> row{std::to_string(i)};
    const auto values = space.values_at(i);
    for (std::size_t c = 1; c < header.size(); ++c) {
      const auto found = std::find_if(values.begin(), values.end(),
                                      [&](const auto& v) { return v.first == header[c]; });
      row.push_back(found == values.end() ? "-" : search::detail::value_text(found->second));
    }
    rows.push_back(std::move(row));
  }
  return sweep::detail::text_table(rows);
}

/// The options and flags of the search commands, and what they do.
template <class T>
class SearchCommands {
public:
  void add(CLI::App& app) {
    sample_ = app.add_subcommand("sample", "Print or write trials of a search space");
    sample_->add_option("space", space_file_, "Search space file")->required();
    auto* trial = sample_->add_option("--trial", trial_,
                                      "Print trial I's complete config (e.g. "
                                      "$SLURM_ARRAY_TASK_ID or $JOB_COMPLETION_INDEX)");
    auto* out = sample_->add_option("--out", out_,
                                    "Write the trials to DIR, named trial-000042-FINGERPRINT.json");
    auto* list = sample_->add_flag("--list", list_, "Print a table of the varied values");
    sample_->add_option("-n", count_, "With --out or --list: only the first N trials");
    trial->excludes(out)->excludes(list);
    out->excludes(list);

    sweep_ = app.add_subcommand("sweep",
                                "Run the trials of a space here, as subprocesses, and rank them");
    sweep_->add_option("space", space_file_, "Search space file")->required();
    sweep_->add_option("--jobs,-j", jobs_, "Trials run at once")->check(CLI::Range(1U, 1024U));
    sweep_->add_option("--trials", range_, "Only trials A-B (inclusive), or one trial A");
    sweep_->add_option("--out", out_, "Results directory (shared by sweeps of other ranges)")
        ->required();
    sweep_->add_option("--metric", metric_, "The metric to rank by (default: the space's)");
    sweep_->add_option("--top", top_, "Leaderboard rows (default: all)");
    sweep_
        ->add_option("command", command_,
                     "-- TRAINER ARGS...: {config} is the trial's config file, {trial} its "
                     "index, {out} its own directory")
        ->required();
    sweep_->footer("Trainers print metrics as name=value lines (Katib's StdOut format). A trial "
                   "done is never run again: rerun the same command to resume. Exit status: 0 "
                   "every trial ok, 1 some failed, 2 usage error, 3 interrupted.");

    export_ = app.add_subcommand("export", "Write the space for a sweep engine");
    export_->add_option("space", space_file_, "Search space file")->required();
    export_->add_option("--to", engine_, "wandb, katib or optuna")
        ->required()
        ->check(CLI::IsMember({"wandb", "katib", "optuna"}));
    export_->add_flag("--trial-index", trial_index_,
                      "Export one integer `trial` whose runs call `sample --trial`: the engine "
                      "runs exactly these trials");
    export_->add_option("--program", program_, "The command that has `sample` (default: this one)");
    export_->add_option("--image", image_, "Katib: the trainer's container image");
    export_->add_option("--name", name_, "Name of the sweep or experiment");
    export_->add_option("command", command_, "-- TRAINER ARGS...: {config} is the config file");
  }

  /// Runs the command given, if it is one of these: its exit status, else none.
  std::optional<int> run(const std::string& program_name, std::ostream& out) {
    if (*sample_) {
      return run_sample(out);
    }
    if (*sweep_) {
      return run_sweep(out);
    }
    if (*export_) {
      return run_export(program_name, out);
    }
    return std::nullopt;
  }

private:
  int run_sample(std::ostream& out) {
    const auto space = search::load_space<T>(space_file_);
    if (trial_) {
      out << dump(space.at(*trial_).config) << "\n";
      return 0;
    }
    const std::uint64_t last = count_ ? std::min(*count_, space.size()) : space.size();
    if (list_) {
      out << trial_table(space, 0, last);
      return 0;
    }
    if (out_.empty()) {
      throw CLI::ValidationError("sample", "give --trial I, --out DIR or --list");
    }
    std::filesystem::create_directories(out_);
    for (std::uint64_t i = 0; i < last; ++i) {
      const auto trial = space.at(i);
      const std::string name = sweep::trial_stem(i) + "-" +
                               hyperparams::fingerprint(trial.config).substr(0, 12) + ".json";
      save_file(std::filesystem::path(out_) / name, trial.config);
    }
    out << "wrote " << last << " trial" << (last == 1 ? "" : "s") << " to " << out_ << "\n";
    return 0;
  }

  int run_sweep(std::ostream& out) {
    const auto space = search::load_space<T>(space_file_);
    std::uint64_t first = 0;
    std::uint64_t last = space.size();
    if (!range_.empty()) {
      const auto range = trial_range(range_);
      if (!range || range->second > space.size()) {
        std::cerr << "--trials " << range_ << ": expected A-B with A <= B < " << space.size()
                  << " (the trials of the space)\n";
        return 2;
      }
      std::tie(first, last) = *range;
    }
    std::string metric = metric_;
    bool maximize = true;
    if (space.metric) {
      metric = metric.empty() ? space.metric->name : metric;
      maximize = space.metric->goal == search::Goal::maximize;
    }
    if (metric.empty()) {
      std::cerr << "no metric to rank by: give --metric NAME, or \"metric\" in the space\n";
      return 2;
    }
    // for `hparams report`: how to draw what this sweep varies (the last sweep's word wins)
    std::filesystem::create_directories(out_);
    hyperparams::detail::atomic_write(std::filesystem::path(out_) / "sweep.json",
                                      report::sweep_info_json(sweep_info(space, metric, maximize)));
    sweep::Options options;
    options.out = out_;
    options.command = command_;
    options.jobs = jobs_;
    options.metric = metric;
    options.maximize = maximize;
    options.progress = &std::cerr;
    const auto report = sweep::run(
        first, last, [&](std::uint64_t i) { return trial_job(space, i); }, options);
    const auto all = sweep::read_results(out_);
    out << sweep::leaderboard(all, metric, maximize, top_);
    if (const auto best = sweep::save_best(out_, all, metric, maximize)) {
      out << "best: trial " << best->index << " (" << metric << "=" << *best->metric(metric)
          << "), config in " << (std::filesystem::path(out_) / "best.json").string() << "\n";
    }
    if (report.interrupted != 0) {
      return 3;
    }
    return report.failed() == 0 ? 0 : 1;
  }

  int run_export(const std::string& program_name, std::ostream& out) {
    const auto space = search::load_space<T>(space_file_);
    search::ExportOptions options;
    options.program = program_.empty() ? program_name : program_;
    options.space_file = space_file_;
    options.trainer = command_;
    options.image = image_;
    options.name = name_;
    options.trial_index = trial_index_;
    options.base = space.base;
    const auto exported = engine_ == "wandb"   ? search::export_wandb(space, options)
                          : engine_ == "katib" ? search::export_katib(space, options)
                                               : search::export_optuna(space, options);
    for (const auto& warning : exported.warnings) {
      std::cerr << space_file_ << ": warning: " << warning.path
                << (warning.path.empty() ? "" : ": ") << warning.message << " [" << warning.code
                << "]\n";
    }
    out << exported.document.dump(2) << "\n";
    return 0;
  }

  CLI::App* sample_ = nullptr;
  CLI::App* sweep_ = nullptr;
  CLI::App* export_ = nullptr;
  std::string space_file_;
  std::optional<std::uint64_t> trial_;
  std::optional<std::uint64_t> count_;
  std::string out_;
  bool list_ = false;
  unsigned jobs_ = 1;
  std::string range_;
  std::string metric_;
  std::size_t top_ = 0;
  std::vector<std::string> command_;
  std::string engine_;
  bool trial_index_ = false;
  std::string program_;
  std::string image_;
  std::string name_;
};

} // namespace hyperparams::cli::detail
