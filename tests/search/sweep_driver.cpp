// SPDX-License-Identifier: MIT
// A sweep over synthetic trials, for the scripted tests (sweep_runs.sh): the runner of
// <hyperparams/sweep.hpp> on trials FIRST to LAST (exclusive), each a config
// {"trial": i, "sleep_ms": SLEEP_MS, "accuracy": i / 100}, run by TRAINER ARGS... ("{config}"
// in them is the config file). Prints a progress line per trial, then
// "ran R skipped S failed F busy B" and the leaderboard; exit 0, 1 when a trial failed, 130
// when interrupted.
//
//     sweep_driver OUT FIRST LAST JOBS SLEEP_MS TRAINER [ARGS...]
#include <hyperparams/sweep.hpp>

#include <cstdint>
#include <cstdio>
#include <iostream>
#include <string>

namespace {

/// A stable id of a text: FNV-1a, 64 bits, in hex.
std::string fnv_hex(const std::string& text) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : text) {
    hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  }
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(hash));
  return buffer;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 7) {
    std::cerr << "usage: sweep_driver OUT FIRST LAST JOBS SLEEP_MS TRAINER [ARGS...]\n";
    return 2;
  }
  namespace sweep = hyperparams::sweep;
  const std::uint64_t first = std::stoull(argv[2]);
  const std::uint64_t last = std::stoull(argv[3]);
  const std::string sleep_ms = argv[5];
  sweep::Options options;
  options.out = argv[1];
  options.jobs = static_cast<unsigned>(std::stoul(argv[4]));
  options.metric = "accuracy";
  options.progress = &std::cout;
  for (int i = 6; i < argc; ++i) {
    options.command.emplace_back(argv[i]);
  }
  const auto trial = [&](std::uint64_t index) {
    sweep::TrialJob job;
    job.index = index;
    const std::string accuracy = std::to_string(static_cast<double>(index) / 100.0);
    job.config_json = "{\n  \"trial\": " + std::to_string(index) +
                      ",\n  \"sleep_ms\": " + sleep_ms + ",\n  \"accuracy\": " + accuracy + "\n}";
    job.fingerprint = fnv_hex(job.config_json);
    job.varied = {{"accuracy", accuracy}};
    return job;
  };
  try {
    const sweep::Report report = sweep::run(first, last, trial, options);
    std::cout << "ran " << report.ran() << " skipped " << report.skipped() << " failed "
              << report.failed() << " busy " << report.busy.size() << "\n"
              << sweep::leaderboard(report.results, options.metric);
    if (report.interrupted != 0) {
      return 130;
    }
    return report.failed() == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "sweep_driver: " << e.what() << "\n";
    return 2;
  }
}
