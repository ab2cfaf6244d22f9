// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The local runner behind `hparams sweep`: trials [first, last) of a search, each one a run of
/// the user's trainer on the trial's config file, `jobs` at a time, results in a directory
/// that survives anything. It knows nothing of spaces: a trial is what `TrialJob` says (the
/// config as JSON text, its fingerprint, the varied values), so any source of trials can use it.
///
/// The results directory (`Options::out`) holds, for trial 42:
///
///     trial-000042.config.json   the config the trainer read ({config})
///     trial-000042.json          the result: status, metrics, seconds, log, config (atomic)
///     trial-000042.lock          while it runs: "pid host" of the sweep that claimed it
///     trial-000042/              {out}, only when the command names it
///     best.json                  `save_best`: the best trial's config
///
/// Resuming is running the same sweep again: a trial with a result file of the same fingerprint
/// is skipped; a result of another fingerprint is an error (the space changed). Several sweeps
/// may share one directory, on any ranges: a trial is claimed by creating its lock file
/// (O_EXCL), so each trial runs once; a lock of a dead process on this host is reclaimed.
///
/// The trainer reports metrics on stdout in Katib's StdOut format, `name=value` (several on a
/// line, spaces around `=` allowed); the last value of each name wins.
///
/// Runs trainers with fork/execvp, so POSIX only: elsewhere `run` throws SweepError (the rest,
/// reading results and leaderboards, works everywhere).

#include "hyperparams/json.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hyperparams::sweep {

/// What the runner needs of one trial. `search::Space<T>::at(i)` gives it: `dump(config)`,
/// `fingerprint(config)`, and each value of `values` as compact JSON text.
struct TrialJob {
  std::uint64_t index = 0;
  std::string config_json; ///< the complete config, canonical JSON text (written as given)
  std::string fingerprint; ///< stable id of the config (hex): what resuming compares
  /// The values this trial varies, "path" -> JSON text of its value, for the leaderboard.
  std::vector<std::pair<std::string, std::string>> varied;
};

/// How a sweep runs.
struct Options {
  std::filesystem::path out; ///< the results directory (created with its parents)
  /// The trainer's argv (argv[0] looked up in PATH). In every argument, "{config}" becomes the
  /// path of the trial's config file, "{trial}" its index, "{out}" its own directory
  /// (`out/trial-000042`, created only when some argument names it).
  std::vector<std::string> command;
  unsigned jobs = 1;    ///< trials run at once (at least 1)
  std::string metric;   ///< the metric a trial must print to succeed; empty: exit 0 suffices
  bool maximize = true; ///< for progress lines and `best`
  std::ostream* progress = nullptr;                 ///< one line per finished trial, when set
  std::size_t max_log_bytes = std::size_t{1} << 20; ///< a result keeps the last this many bytes
  /// On SIGINT or SIGTERM: the running trainers get SIGTERM, and SIGKILL after this many seconds.
  double kill_grace_seconds = 5.0;
  /// Whether `run` handles SIGINT and SIGTERM (installed while it runs, then restored). Off: the
  /// caller handles them, and a signal kills the sweep as it would any program.
  bool handle_signals = true;
};

/// How a trial ended.
enum class Status {
  ok,          ///< exited 0 and printed the metric (or no metric was asked for)
  exit,        ///< exited with a status other than 0
  signal,      ///< killed by a signal
  not_started, ///< the trainer could not be started (execvp failed: no such file, ...)
  no_metric,   ///< exited 0 without printing a value of the metric
  invalid      ///< the trial itself could not be made (the `trial` function threw)
};

/// What one trial did: the content of its result file.
struct TrialResult {
  std::uint64_t index = 0;
  std::string fingerprint;
  Status status = Status::ok;
  int exit_code = -1; ///< the trainer's exit status when it exited, else -1
  int signal = 0;     ///< the signal that killed it, else 0
  std::string error;  ///< why it failed, one line ("exit 1", "killed by SIGKILL"); empty if ok
  std::map<std::string, double> metrics; ///< the last value of every name it printed
  std::string config_json;               ///< the config (text)
  std::vector<std::pair<std::string, std::string>> varied; ///< as in its TrialJob
  std::vector<std::string> command;                        ///< the argv it ran
  double seconds = 0.0;                                    ///< wall time of the trainer
  /// stdout and stderr interleaved, as they came: the last `max_log_bytes` bytes. Empty for the
  /// results a run skips and for `read_results` without logs (the file has it).
  std::string log;
  std::uint64_t log_dropped = 0; ///< bytes of the start of the log that were not kept
  bool skipped = false;          ///< done before this run: read from its result file

  [[nodiscard]] bool ok() const { return status == Status::ok; }
  /// The value of `name` it printed, if any.
  [[nodiscard]] std::optional<double> metric(const std::string& name) const;
};

/// What a call of `run` did, for the caller to decide the exit status.
struct Report {
  /// Every trial of the range that has a result, run now or done before (`skipped`), by index.
  std::vector<TrialResult> results;
  /// Trials another live sweep had claimed (its lock file): not run here.
  std::vector<std::uint64_t> busy;
  /// Trials neither done nor run because the sweep was interrupted.
  std::vector<std::uint64_t> not_run;
  int interrupted = 0; ///< the signal that stopped the sweep (SIGINT, SIGTERM), else 0

  [[nodiscard]] std::size_t ran() const;     ///< results of trials run now
  [[nodiscard]] std::size_t failed() const;  ///< of those and the skipped ones, not ok
  [[nodiscard]] std::size_t skipped() const; ///< results that were there before
};

/// A sweep's own errors: the space changed under a results directory, a directory that cannot
/// be written, a result file that is not one. Failed trials are results, never this.
class SweepError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Runs trials `first` to `last` (exclusive) of `trial` by `options`, `options.jobs` at once,
/// skipping those already done in `options.out` and those another live sweep runs. A trainer
/// that fails is a failed result; the sweep goes on. SIGINT or SIGTERM stop it: no new trials,
/// running trainers killed (process group), their locks removed and no result written for them;
/// the report says so. A killed sweep (even SIGKILL) loses no finished trial: run it again.
/// \throws SweepError when a result file in the range holds another fingerprint (before any
/// trial starts, or when another sweep writes one meanwhile: after the running trials end), when
/// `options` are unusable, or when a file cannot be written; running trials are killed then.
inline Report run(std::uint64_t first, std::uint64_t last,
                  const std::function<TrialJob(std::uint64_t)>& trial, const Options& options);

/// The `name=value` pairs of one line of a trainer's stdout, in order (Katib's StdOut format):
/// a name of `[A-Za-z0-9_./-]+` at the start of the line or after a space, tab, `,` or `;`,
/// optional spaces, `=`, optional spaces, a finite decimal number (`-1`, `.5`, `3e-4`), then the
/// end of the line or one of those separators. Anything else on the line is ignored.
[[nodiscard]] inline std::vector<std::pair<std::string, double>>
parse_metric_line(std::string_view line);

/// The name of a status in result files: "ok", "exit", "signal", "not_started", "no_metric",
/// "invalid".
[[nodiscard]] inline std::string_view to_string(Status status);

/// A result as its file holds it (JSON), and back. \throws SweepError for a text that is not one.
[[nodiscard]] inline std::string result_json(const TrialResult& result);
[[nodiscard]] inline TrialResult
parse_result(std::string_view json, std::string_view source = "<result>", bool with_log = true);

/// Every result file in `out` (`trial-*.json`), by index: a leaderboard over what several
/// sweeps did. \throws SweepError for a file that is not a result.
[[nodiscard]] inline std::vector<TrialResult> read_results(const std::filesystem::path& out,
                                                           bool with_logs = false);
/// The same, but a file that is not a result goes to `on_bad` (its name and why), and the others
/// are still read. \throws SweepError for a directory that cannot be read.
[[nodiscard]] inline std::vector<TrialResult>
read_results(const std::filesystem::path& out, bool with_logs,
             const std::function<void(const SweepError&)>& on_bad);

/// The best ok result by `metric` (largest, or smallest unless `maximize`; ties: lowest index),
/// or none.
[[nodiscard]] inline const TrialResult* best(const std::vector<TrialResult>& results,
                                             const std::string& metric, bool maximize = true);

/// A text table: rank, trial, fingerprint (12 hex), one column per varied path, the metric,
/// best first; failed trials last with their status. `top` > 0: only that many ranked rows
/// (failed ones are still counted in a last line).
[[nodiscard]] inline std::string leaderboard(const std::vector<TrialResult>& results,
                                             const std::string& metric, bool maximize = true,
                                             std::size_t top = 0);

/// Writes the best trial's config to `out/best.json`, atomically; returns that trial, or none
/// (and writes nothing) when no result is ok with a value of `metric`.
inline std::optional<TrialResult> save_best(const std::filesystem::path& out,
                                            const std::vector<TrialResult>& results,
                                            const std::string& metric, bool maximize = true);

/// The file names of trial `index` in a results directory: "trial-000042" and its suffixes.
[[nodiscard]] inline std::string trial_stem(std::uint64_t index);

} // namespace hyperparams::sweep

#include "hyperparams/impl/sweep_runner.hpp"
