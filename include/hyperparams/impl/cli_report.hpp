// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The `report` command of `cli::main`: runs or a sweep directory as one HTML file. Not for
/// users: `<hyperparams/cli.hpp>`.

#include "hyperparams/impl/files.hpp"
#include "hyperparams/report.hpp"

#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstddef>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace hyperparams::cli::detail {

/// `report INPUT... -o FILE`: its options, and what it does.
class ReportCommand {
public:
  void add(CLI::App& app) {
    command_ = app.add_subcommand(
        "report", "Write one self-contained HTML report of runs (JSONL) or of a sweep directory");
    command_
        ->add_option("inputs", inputs_,
                     "The --metrics JSONL files of runs, or one results directory of a sweep")
        ->required();
    command_->add_option("-o,--output", output_, "The HTML file to write (- for standard output)")
        ->required();
    command_->add_option("--metric", metric_,
                         "A sweep's metric to rank by (default: its sweep.json's, else accuracy)");
    command_->add_option("--goal", goal_, "maximize or minimize the metric")
        ->check(CLI::IsMember({"maximize", "minimize"}));
    command_->add_option("--top", options_.top, "Learning curves of this many best trials")
        ->check(CLI::Range(std::size_t{1}, std::size_t{100}));
    command_->add_option("--title", options_.title, "The report's title");
    command_->footer("Lines that are not JSON (a run killed mid-write) and result files that "
                     "cannot be read are skipped, listed on stderr and in the report. Exit "
                     "status: 0 written, 1 nothing to report or a file that cannot be read or "
                     "written, 2 usage error.");
  }

  /// Runs `report` if it was the command given: its exit status, else none.
  std::optional<int> run(const std::string& program_name) {
    if (!*command_) {
      return std::nullopt;
    }
    report::ReadOptions read;
    read.metric = metric_;
    if (!goal_.empty()) {
      read.maximize = goal_ == "maximize";
    }
    try {
      const auto inputs = report::read_inputs(
          std::vector<std::filesystem::path>(inputs_.begin(), inputs_.end()), read);
      for (const auto& line : inputs.skipped) {
        std::cerr << program_name << ": " << line << "\n";
      }
      const std::string page = report::html(inputs, options_);
      if (output_ == "-") {
        errno = 0;
        std::cout << page;
        std::cout.flush();
        if (!std::cout) {
          std::cerr << program_name << ": cannot write to standard output\n";
          return 1;
        }
        return 0;
      }
      hyperparams::detail::atomic_write(output_, page);
      std::cerr << program_name << ": wrote " << output_ << " (" << (page.size() + 1023) / 1024
                << " KiB)\n";
      return 0;
    } catch (const report::ReportError& error) {
      std::cerr << program_name << ": " << error.what() << "\n";
      return 1;
    }
  }

private:
  CLI::App* command_ = nullptr;
  std::vector<std::string> inputs_;
  std::string output_;
  std::string metric_;
  std::string goal_;
  report::PageOptions options_;
};

} // namespace hyperparams::cli::detail
