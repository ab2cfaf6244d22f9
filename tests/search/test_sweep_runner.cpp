// SPDX-License-Identifier: MIT
// The local sweep runner (<hyperparams/sweep.hpp>) with a fake trainer (fake_trainer.cpp) that
// reads its config, prints metric lines and can fail, crash, hang or wait for the others. Runs
// are counted through a side file each trainer appends "start TRIAL PID" to; no assertion is
// about time. Runners in threads share one process: assertions stay on the main thread.
#include <hyperparams/sweep.hpp>

#include "catch_compat.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
namespace sweep = hyperparams::sweep;
using nlohmann::json;

namespace {

/// A fresh directory, removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("hyperparams_sweep_" + std::to_string(::getpid()) + "_" +
                                        std::to_string(std::random_device{}()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Trials whose configs say what the fake trainer does: `extra(i)` is merged into
/// {"trial": i, "accuracy": (i + 1) / 10}.
struct Trials {
  std::function<json(std::uint64_t)> extra = [](std::uint64_t) { return json::object(); };
  std::string salt; ///< part of the fingerprint: another salt is another space

  sweep::TrialJob operator()(std::uint64_t i) const {
    json config = {{"trial", i}, {"accuracy", static_cast<double>(i + 1) / 10.0}};
    config.update(extra(i));
    sweep::TrialJob job;
    job.index = i;
    job.config_json = config.dump(2);
    job.fingerprint = salt + "fp" + std::to_string(i) + "0123456789abcdef";
    job.varied = {{"target", config["accuracy"].dump()}, {"trial", std::to_string(i)}};
    return job;
  }
};

/// How many times each trial started, by the side file.
std::map<std::uint64_t, int> starts(const fs::path& side) {
  std::map<std::uint64_t, int> count;
  std::istringstream in(read(side));
  std::string word;
  std::uint64_t trial = 0;
  long pid = 0;
  while (in >> word >> trial >> pid) {
    if (word == "start") {
      ++count[trial];
    }
  }
  return count;
}

/// The pids of the trainers that started, by the side file.
std::vector<long> trainer_pids(const fs::path& side) {
  std::vector<long> pids;
  std::istringstream in(read(side));
  std::string word;
  std::uint64_t trial = 0;
  long pid = 0;
  while (in >> word >> trial >> pid) {
    if (word == "start") {
      pids.push_back(pid);
    }
  }
  return pids;
}

sweep::Options options_for(const TempDir& dir, unsigned jobs = 1) {
  sweep::Options options;
  options.out = dir.path / "out";
  options.command = {HYPERPARAMS_FAKE_TRAINER, "{config}", (dir.path / "side.log").string()};
  options.jobs = jobs;
  options.metric = "accuracy";
  return options;
}

std::string host() {
  char name[256] = {};
  ::gethostname(name, sizeof name - 1);
  std::string text = name[0] != '\0' ? name : "localhost";
  for (char& c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      c = '_';
    }
  }
  return text;
}

/// A pid that no process has now: a child that has exited and been reaped.
long dead_pid() {
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return static_cast<long>(pid);
}

} // namespace

TEST_CASE("metric lines: name=value pairs, the Katib StdOut format", "[sweep][metrics]") {
  using Pairs = std::vector<std::pair<std::string, double>>;
  CHECK(sweep::parse_metric_line("accuracy=0.87") == Pairs{{"accuracy", 0.87}});
  CHECK(sweep::parse_metric_line("accuracy = 0.87") == Pairs{{"accuracy", 0.87}});
  CHECK(sweep::parse_metric_line("epoch=3 loss=2.5e-1 accuracy=.5") ==
        Pairs{{"epoch", 3.0}, {"loss", 0.25}, {"accuracy", 0.5}});
  CHECK(sweep::parse_metric_line("val/acc=-1 train.loss_2=+4.;top-5=1E2\r") ==
        Pairs{{"val/acc", -1.0}, {"train.loss_2", 4.0}, {"top-5", 100.0}});
  CHECK(sweep::parse_metric_line("Epoch 3: loss=0.25, accuracy=0.5") ==
        Pairs{{"loss", 0.25}, {"accuracy", 0.5}});
  CHECK(sweep::parse_metric_line("\tloss\t=\t1") == Pairs{{"loss", 1.0}});
  // not numbers, not finite, not a whole value, not a name
  CHECK(sweep::parse_metric_line("accuracy=nan loss=inf x=1e999 y=abc").empty());
  CHECK(sweep::parse_metric_line("time=12.3s rate=5% a==1 b=1.2.3 c=").empty());
  CHECK(sweep::parse_metric_line("path=/tmp/x.json saving").empty());
  CHECK(sweep::parse_metric_line("x:accuracy=0.5 {acc=1}").empty());
  CHECK(sweep::parse_metric_line("").empty());
  CHECK(sweep::parse_metric_line("=1 e=1e").empty());
  // the exponent needs digits: "1e" is no number, "1e+" neither
  CHECK(sweep::parse_metric_line("a=1e+ b=2").size() == 1);
}

TEST_CASE("a sweep writes one result per trial with the config, metrics and log",
          "[sweep][results]") {
  TempDir dir;
  sweep::Options options = options_for(dir, 2);
  std::ostringstream progress;
  options.progress = &progress;
  const sweep::Report report = sweep::run(0, 3, Trials{}, options);

  REQUIRE(report.results.size() == 3);
  CHECK(report.ran() == 3);
  CHECK(report.failed() == 0);
  CHECK(report.skipped() == 0);
  CHECK(report.interrupted == 0);
  CHECK(report.busy.empty());
  for (std::uint64_t i = 0; i < 3; ++i) {
    const sweep::TrialResult& r = report.results[i];
    CAPTURE(i, r.log);
    CHECK(r.index == i);
    CHECK(r.ok());
    CHECK(r.exit_code == 0);
    // the last value of each name wins: 0.05 first, then the real one
    CHECK(r.metric("accuracy") == static_cast<double>(i + 1) / 10.0);
    CHECK(r.metric("loss") == 0.1);
    CHECK(r.metric("epoch") == 2.0);
    CHECK_THAT(r.log, hptest::Contains("loading "));    // stderr
    CHECK_THAT(r.log, hptest::Contains("accuracy = ")); // stdout
    CHECK(r.seconds >= 0.0);

    const fs::path stem = options.out / sweep::trial_stem(i);
    const json file = json::parse(read(fs::path(stem.string() + ".json")));
    CHECK(file["trial"] == i);
    CHECK(file["fingerprint"] == Trials{}(i).fingerprint);
    CHECK(file["status"] == "ok");
    CHECK(file["exit_code"] == 0);
    CHECK(file["metrics"]["accuracy"] == static_cast<double>(i + 1) / 10.0);
    CHECK(file["config"] == json::parse(Trials{}(i).config_json));
    CHECK(file["varied"]["trial"] == i);
    CHECK(file["command"][1] == stem.string() + ".config.json");
    CHECK_THAT(file["log"].get<std::string>(), hptest::Contains("loading "));
    CHECK(read(fs::path(stem.string() + ".config.json")) == Trials{}(i).config_json + "\n");
    CHECK_FALSE(fs::exists(stem.string() + ".lock"));

    const sweep::TrialResult back = sweep::parse_result(read(stem.string() + ".json"));
    CHECK(back.fingerprint == r.fingerprint);
    CHECK(back.metrics == r.metrics);
    CHECK(back.log == r.log);
    CHECK(back.varied == r.varied);
    CHECK(json::parse(back.config_json) == json::parse(r.config_json));
  }
  CHECK(sweep::trial_stem(42) == "trial-000042");
  CHECK(sweep::trial_stem(1234567) == "trial-1234567");
  const std::string lines = progress.str();
  CHECK_THAT(lines, hptest::Contains("/3] trial 0 accuracy=0.1 ("));
  CHECK_THAT(lines, hptest::Contains("[3/3] trial "));
}

TEST_CASE("{trial} and {out} in the command", "[sweep][results]") {
  TempDir dir;
  sweep::Options options = options_for(dir);
  options.metric.clear();
  options.command = {"/bin/sh", "-c", "echo trial={trial}; echo $0 > \"$0/seen\"", "{out}"};
  const sweep::Report report = sweep::run(5, 6, Trials{}, options);
  REQUIRE(report.results.size() == 1);
  CHECK(report.results[0].ok());
  CHECK(report.results[0].metric("trial") == 5.0);
  const fs::path own = options.out / "trial-000005";
  CHECK(fs::is_directory(own));
  CHECK(read(own / "seen") == fs::absolute(own).string() + "\n");
}

TEST_CASE("failed trials are results and the sweep goes on", "[sweep][failures]") {
  TempDir dir;
  sweep::Options options = options_for(dir, 2);
  std::ostringstream progress;
  options.progress = &progress;
  Trials trials;
  trials.extra = [](std::uint64_t i) -> json {
    switch (i) {
    case 1:
      return {{"behaviour", "fail"}, {"exit_code", 7}};
    case 2:
      return {{"behaviour", "crash"}};
    case 3:
      return {{"behaviour", "nometric"}};
    default:
      return json::object();
    }
  };
  const auto with_invalid = [&](std::uint64_t i) {
    if (i == 4) {
      throw std::runtime_error("a rule between fields");
    }
    return trials(i);
  };
  const sweep::Report report = sweep::run(0, 6, with_invalid, options);
  REQUIRE(report.results.size() == 6);
  CHECK(report.failed() == 4);
  CHECK(report.results[0].ok());
  CHECK(report.results[5].ok());

  const auto& failed = report.results[1];
  CHECK(failed.status == sweep::Status::exit);
  CHECK(failed.exit_code == 7);
  CHECK(failed.error == "exit 7");
  CHECK_THAT(failed.log, hptest::Contains("diverged"));
  CHECK(report.results[2].status == sweep::Status::signal);
  CHECK(report.results[2].signal == SIGKILL);
  CHECK(report.results[2].error == "killed by SIGKILL");
  CHECK(report.results[3].status == sweep::Status::no_metric);
  CHECK(report.results[3].error == "printed no value of \"accuracy\"");
  CHECK(report.results[4].status == sweep::Status::invalid);
  CHECK(report.results[4].error == "cannot make the trial: a rule between fields");

  const json file = json::parse(read(options.out / "trial-000002.json"));
  CHECK(file["status"] == "signal");
  CHECK(file["signal"] == SIGKILL);
  CHECK_FALSE(file.contains("exit_code"));
  CHECK_THAT(progress.str(), hptest::Contains("trial 1 failed: exit 7 ("));

  SECTION("a trainer that cannot be started") {
    TempDir other;
    sweep::Options missing = options_for(other);
    missing.command = {(other.path / "no_such_trainer").string(), "{config}"};
    const sweep::Report none = sweep::run(0, 2, Trials{}, missing);
    REQUIRE(none.results.size() == 2);
    CHECK(none.failed() == 2);
    CHECK(none.results[0].status == sweep::Status::not_started);
    CHECK_THAT(none.results[0].error, hptest::Contains("No such file or directory"));
    CHECK(fs::exists(missing.out / "trial-000001.json"));
  }
  SECTION("the leaderboard ranks the ok ones and lists the failed ones last") {
    const std::string table = sweep::leaderboard(report.results, "accuracy");
    INFO(table);
    std::istringstream lines(table);
    std::vector<std::string> rows;
    for (std::string line; std::getline(lines, line);) {
      rows.push_back(line);
    }
    REQUIRE(rows.size() == 7);
    CHECK(rows[0].rfind("rank  trial  fingerprint", 0) == 0);
    CHECK_THAT(rows[0], hptest::Contains("accuracy"));
    CHECK(rows[1].rfind("1     5      fp5012345678", 0) == 0); // 12 hex of the fingerprint
    CHECK_THAT(rows[1], hptest::Contains("0.6"));
    CHECK(rows[2].rfind("2     0 ", 0) == 0);
    CHECK_THAT(rows[3], hptest::Contains("failed: exit 7"));
    CHECK_THAT(rows[4], hptest::Contains("failed: killed by SIGKILL"));
    CHECK_THAT(rows[6], hptest::Contains("failed: cannot make the trial"));
    const std::string minimized = sweep::leaderboard(report.results, "accuracy", false, 1);
    CHECK_THAT(minimized, hptest::Contains("\n1     0 "));
    CHECK_THAT(minimized, hptest::Contains("(1 more ranked trials not shown)"));
  }
  SECTION("best.json is the best trial's config") {
    const auto saved = sweep::save_best(options.out, report.results, "accuracy");
    REQUIRE(saved);
    CHECK(saved->index == 5);
    CHECK(read(options.out / "best.json") == trials(5).config_json + "\n");
    CHECK(sweep::best(report.results, "accuracy", false)->index == 0);
    CHECK(sweep::best(report.results, "no_such_metric") == nullptr);
    CHECK_FALSE(sweep::save_best(options.out, {}, "accuracy"));
  }
  SECTION("read_results reads what the sweep wrote") {
    const auto read_back = sweep::read_results(options.out);
    REQUIRE(read_back.size() == 6);
    CHECK(read_back[1].status == sweep::Status::exit);
    CHECK(read_back[1].log.empty()); // without logs
    CHECK(sweep::read_results(options.out, true)[1].log == report.results[1].log);
    CHECK(sweep::leaderboard(read_back, "accuracy") ==
          sweep::leaderboard(report.results, "accuracy"));
  }
  SECTION("a file that is not a result: an error, or passed to on_bad and the others read") {
    std::ofstream(options.out / "trial-000003.json", std::ios::trunc) << "{\"trial\": 3, \"fing";
    CHECK_THROWS_AS(sweep::read_results(options.out), sweep::SweepError);
    std::vector<std::string> bad;
    const auto rest = sweep::read_results(
        options.out, false, [&](const sweep::SweepError& e) { bad.emplace_back(e.what()); });
    CHECK(rest.size() == 5);
    REQUIRE(bad.size() == 1);
    CHECK(bad[0].find("trial-000003.json: not a trial result") != std::string::npos);
  }
}

TEST_CASE("a sweep run again skips the trials done", "[sweep][resume]") {
  TempDir dir;
  const sweep::Options options = options_for(dir, 2);
  const fs::path side = dir.path / "side.log";
  const sweep::Report first = sweep::run(0, 3, Trials{}, options);
  CHECK(first.ran() == 3);
  const sweep::Report second = sweep::run(0, 5, Trials{}, options);
  REQUIRE(second.results.size() == 5);
  CHECK(second.skipped() == 3);
  CHECK(second.ran() == 2);
  CHECK(second.results[0].skipped);
  CHECK(second.results[0].metric("accuracy") == 0.1);
  CHECK_FALSE(second.results[3].skipped);
  const auto count = starts(side);
  for (std::uint64_t i = 0; i < 5; ++i) {
    CAPTURE(i);
    CHECK(count.at(i) == 1);
  }
  // failed trials are done too: rerunning them is removing their result files
  TempDir failing;
  sweep::Options fails = options_for(failing);
  Trials bad;
  bad.extra = [](std::uint64_t) { return json{{"behaviour", "fail"}}; };
  CHECK(sweep::run(0, 1, bad, fails).failed() == 1);
  const sweep::Report again = sweep::run(0, 1, bad, fails);
  CHECK(again.skipped() == 1);
  CHECK(again.failed() == 1);
}

TEST_CASE("a result of another space is an error that names the file", "[sweep][resume]") {
  TempDir dir;
  const sweep::Options options = options_for(dir);
  (void)sweep::run(0, 2, Trials{}, options);
  const std::string before = read(dir.path / "side.log");
  Trials changed;
  changed.salt = "other";
  const auto file = (options.out / "trial-000000.json").string();
  try {
    (void)sweep::run(0, 3, changed, options);
    FAIL("no error");
  } catch (const sweep::SweepError& e) {
    CHECK_THAT(e.what(), hptest::Contains("\"" + file + "\" holds trial 0 of another space"));
  }
  CHECK(read(dir.path / "side.log") == before); // nothing ran
  CHECK_FALSE(fs::exists(options.out / "trial-000002.json"));
  CHECK(json::parse(read(file))["fingerprint"] == Trials{}(0).fingerprint); // not overwritten
  // outside the changed trials, the same directory still works
  CHECK(sweep::run(2, 3, changed, options).ran() == 1);
}

TEST_CASE("jobs trials run at once, never more", "[sweep][parallel]") {
  TempDir dir;
  const fs::path side = dir.path / "side.log";
  SECTION("three at once: each waits until the three have started") {
    Trials trials;
    trials.extra = [](std::uint64_t) { return json{{"behaviour", "barrier"}, {"barrier", 3}}; };
    const sweep::Report report = sweep::run(0, 3, trials, options_for(dir, 3));
    CHECK(report.failed() == 0);
  }
  SECTION("two at a time") {
    Trials trials;
    trials.extra = [](std::uint64_t) { return json{{"sleep_ms", 20}}; };
    const sweep::Report report = sweep::run(0, 8, trials, options_for(dir, 2));
    CHECK(report.ran() == 8);
    CHECK(report.failed() == 0);
    // a trainer writes "finish" before it exits, and the next starts after: the side file's
    // order bounds how many ran at once
    std::istringstream in(read(side));
    std::string word;
    std::uint64_t trial = 0;
    long pid = 0;
    int now = 0;
    int most = 0;
    while (in >> word >> trial >> pid) {
      now += word == "start" ? 1 : -1;
      most = std::max(most, now);
    }
    CHECK(most <= 2);
    CHECK(now == 0);
  }
}

TEST_CASE("two runners on one directory run each trial once", "[sweep][parallel][locks]") {
  TempDir dir;
  Trials trials;
  trials.extra = [](std::uint64_t) { return json{{"sleep_ms", 30}}; };
  const sweep::Options options = options_for(dir, 2);
  sweep::Report a;
  sweep::Report b;
  std::string error;
  std::thread other([&] {
    try {
      b = sweep::run(3, 12, trials, options);
    } catch (const std::exception& e) {
      error = e.what();
    }
  });
  a = sweep::run(0, 9, trials, options);
  other.join();
  REQUIRE(error.empty());
  const auto count = starts(dir.path / "side.log");
  for (std::uint64_t i = 0; i < 12; ++i) {
    CAPTURE(i);
    CHECK(count.at(i) == 1);
    CHECK(fs::exists(options.out / (sweep::trial_stem(i) + ".json")));
    CHECK_FALSE(fs::exists(options.out / (sweep::trial_stem(i) + ".lock")));
  }
  // every trial of each range is a result of that runner, or the other one ran it
  CHECK(a.results.size() + a.busy.size() == 9);
  CHECK(b.results.size() + b.busy.size() == 9);
  CHECK(a.failed() + b.failed() == 0);
  CHECK(sweep::read_results(options.out).size() == 12);
}

TEST_CASE("a lock of a dead sweep is reclaimed, a live one is left", "[sweep][locks]") {
  TempDir dir;
  const sweep::Options options = options_for(dir);
  fs::create_directories(options.out);
  const auto lock = [&](std::uint64_t i) { return options.out / (sweep::trial_stem(i) + ".lock"); };
  std::ofstream(lock(0)) << dead_pid() << " " << host() << "\n";
  std::ofstream(lock(1)) << 1 << " " << host() << "\n"; // init: alive
  std::ofstream(lock(2)) << dead_pid() << " some-other-host\n";
  std::ofstream(lock(3)) << ""; // being written: held
  const sweep::Report report = sweep::run(0, 5, Trials{}, options);
  CHECK(report.ran() == 2);
  REQUIRE(report.results.size() == 2);
  CHECK(report.results[0].index == 0);
  CHECK(report.results[1].index == 4);
  CHECK(report.busy == std::vector<std::uint64_t>{1, 2, 3});
  CHECK_FALSE(fs::exists(lock(0)));
  CHECK(fs::exists(lock(1)));
  CHECK(fs::exists(lock(2)));
  CHECK_FALSE(fs::exists(fs::path(lock(0).string() + ".break")));
  const auto count = starts(dir.path / "side.log");
  CHECK(count.count(1) == 0);
}

TEST_CASE("a done trial's lock left by a sweep killed before removing it is removed on resume",
          "[sweep][locks]") {
  TempDir dir;
  const sweep::Options options = options_for(dir);
  REQUIRE(sweep::run(0, 3, Trials{}, options).ran() == 3);
  const auto lock = [&](std::uint64_t i) { return options.out / (sweep::trial_stem(i) + ".lock"); };
  // as if SIGKILL came between writing trial 0's result and removing its lock
  std::ofstream(lock(0)) << dead_pid() << " " << host() << "\n";
  std::ofstream(lock(1)) << 1 << " " << host() << "\n"; // a live sweep still holds it: left
  const sweep::Report report = sweep::run(0, 3, Trials{}, options);
  CHECK(report.ran() == 0);
  CHECK(report.results.size() == 3);
  CHECK_FALSE(fs::exists(lock(0)));
  CHECK_FALSE(fs::exists(fs::path(lock(0).string() + ".break")));
  CHECK(fs::exists(lock(1)));
  CHECK(starts(dir.path / "side.log").at(0) == 1);
}

TEST_CASE("SIGINT stops the sweep: trainers killed, no result, no lock", "[sweep][signals]") {
  TempDir dir;
  sweep::Options options = options_for(dir, 2);
  options.kill_grace_seconds = 0.5;
  Trials trials;
  trials.extra = [](std::uint64_t) { return json{{"behaviour", "hang"}}; };
  const fs::path side = dir.path / "side.log";
  sweep::Report report;
  std::string error;
  std::thread runner([&] {
    try {
      report = sweep::run(0, 4, trials, options);
    } catch (const std::exception& e) {
      error = e.what();
    }
  });
  // once both trainers run, the sweep's handler is in place
  for (int i = 0; i < 6000 && trainer_pids(side).size() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const auto pids = trainer_pids(side);
  ::kill(::getpid(), SIGINT);
  runner.join();
  REQUIRE(error.empty());
  REQUIRE(pids.size() == 2);
  CHECK(report.interrupted == SIGINT);
  CHECK(report.results.empty());
  CHECK(report.not_run == std::vector<std::uint64_t>{0, 1, 2, 3});
  for (const long pid : pids) {
    CHECK(::kill(static_cast<pid_t>(pid), 0) != 0); // reaped by the runner
  }
  for (const auto& entry : fs::directory_iterator(options.out)) {
    CAPTURE(entry.path());
    CHECK(entry.path().filename().string().find("trial-") != 0); // no result, config, lock
  }
  // run again, the trials are run
  trials.extra = [](std::uint64_t) { return json::object(); };
  CHECK(sweep::run(0, 4, trials, options).ran() == 4);
}

TEST_CASE("a log is capped to its last bytes, and metrics are read from all of it",
          "[sweep][log]") {
  TempDir dir;
  sweep::Options options = options_for(dir);
  options.max_log_bytes = 1000;
  Trials trials;
  trials.extra = [](std::uint64_t) { return json{{"behaviour", "flood"}, {"flood", 300000}}; };
  const sweep::Report report = sweep::run(0, 1, trials, options);
  REQUIRE(report.results.size() == 1);
  const auto& r = report.results[0];
  CHECK(r.ok());
  CHECK(r.log.size() == 1000);
  CHECK(r.log_dropped > 290000);
  CHECK_THAT(r.log, hptest::Contains("accuracy = 0.1"));
  CHECK(r.metric("epoch") == 2.0);
}

TEST_CASE("unusable options are errors", "[sweep]") {
  TempDir dir;
  sweep::Options options = options_for(dir);
  options.jobs = 0;
  CHECK_THROWS_AS(sweep::run(0, 1, Trials{}, options), sweep::SweepError);
  options = options_for(dir);
  options.command.clear();
  CHECK_THROWS_AS(sweep::run(0, 1, Trials{}, options), sweep::SweepError);
  options = options_for(dir);
  CHECK_THROWS_AS(sweep::run(2, 1, Trials{}, options), sweep::SweepError);
  CHECK(sweep::run(1, 1, Trials{}, options).results.empty());
  CHECK_THROWS_AS(sweep::parse_result("{\"trial\": 1}"), sweep::SweepError);
  CHECK_THROWS_AS(sweep::parse_result("not json"), sweep::SweepError);
}
