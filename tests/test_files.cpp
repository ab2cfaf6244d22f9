// SPDX-License-Identifier: MIT
#include <hyperparams/json.hpp>

#include "catch_compat.hpp"
#include "support.hpp"

#include <filesystem>
#include <fstream>
#include <random>

#if defined(__unix__)
#include <csignal>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

#if defined(__has_feature)
#if __has_feature(thread_sanitizer) // clang: fork() in a threaded test is TSan's blind spot
#define HYPERPARAMS_UNDER_TSAN 1
#endif
#endif
#ifndef HYPERPARAMS_UNDER_TSAN
#define HYPERPARAMS_UNDER_TSAN 0
#endif

using namespace hyperparams;
namespace fs = std::filesystem;

namespace {

using hptest::TempDir;

void write(const fs::path& path, const std::string& text) {
  hptest::write_file(path, text);
}

const Issue& only_issue(const ConfigError& error) {
  REQUIRE(error.issues().size() == 1);
  return error.issues()[0];
}

} // namespace

TEST_CASE("load_file names the file in every message", "[files]") {
  TempDir dir;
  const auto path = dir.path() / "bad.json";
  write(path, "{\n  \"dropout\": 1.5\n}\n");
  try {
    (void)load_file(path);
    FAIL("loaded an invalid file");
  } catch (const ConfigError& error) {
    CHECK(error.source() == path.string());
    CHECK(std::string(error.what()) ==
          path.string() + ":2:14: error: /dropout: must be in [0, 1), got 1.5 [out_of_range]");
  }
}

TEST_CASE("a missing file, a directory, an unreadable file are io errors", "[files]") {
  TempDir dir;
  SECTION("missing") {
    try {
      (void)load_file(dir.path() / "nope.json");
      FAIL("loaded a missing file");
    } catch (const ConfigError& error) {
      const auto& issue = only_issue(error);
      CHECK(issue.code == IssueCode::io_error);
      CHECK_THAT(issue.message, hptest::Contains("nope.json"));
      CHECK_THAT(issue.message, hptest::Contains("no such file"));
    }
  }
  SECTION("directory") {
    try {
      (void)load_file(dir.path());
      FAIL("loaded a directory");
    } catch (const ConfigError& error) {
      const auto& issue = only_issue(error);
      CHECK(issue.code == IssueCode::io_error);
      CHECK_THAT(issue.message, hptest::Contains("is a directory"));
    }
  }
#if defined(__linux__)
  SECTION("unreadable") {
    // /proc/self/mem opens, but reading its first page fails, even for root
    try {
      (void)load_file("/proc/self/mem");
      FAIL("loaded /proc/self/mem");
    } catch (const ConfigError& error) {
      const auto& issue = only_issue(error);
      CHECK(issue.code == IssueCode::io_error);
      CHECK_THAT(issue.message, hptest::Contains("/proc/self/mem"));
    }
  }
#endif
}

TEST_CASE("a file over the size limit is refused without reading it all", "[files][limits]") {
  TempDir dir;
  const auto path = dir.path() / "big.json";
  write(path, "{\"notes\": \"" + std::string(2u << 20, 'a') + "\"}");
  try {
    (void)load_file(path);
    FAIL("loaded a 2 MiB file with the 1 MiB default limit");
  } catch (const ConfigError& error) {
    CHECK(only_issue(error).code == IssueCode::limit_exceeded);
  }
  LoadOptions roomy;
  roomy.max_bytes = 4u << 20;
  try {
    (void)load_file(path, roomy);
    FAIL("\"notes\" is not a hyperparameter");
  } catch (const ConfigError& error) {
    CHECK(only_issue(error).code == IssueCode::unknown_key); // read in full this time
  }
}

TEST_CASE("save_file writes the canonical text and loads back equal", "[files]") {
  TempDir dir;
  const auto path = dir.path() / "run.json";
  HyperParams hp;
  hp.learning_rate = 0.01;
  hp.optimizer = RmspropOptions{0.9, 1e-6, 0.5, true, 0.0};
  save_file(path, hp);
  CHECK(hptest::read_bytes(path.string()) == dump(hp) + "\n");
  CHECK(load_file(path) == hp);
  hp.epochs = 99;
  save_file(path, hp); // replaces
  CHECK(load_file(path).epochs == 99);
  CHECK(dir.entries() == std::vector<fs::path>{"run.json"}); // no temporary left behind
}

TEST_CASE("save_file refuses an invalid config and leaves the old file alone", "[files]") {
  TempDir dir;
  const auto path = dir.path() / "run.json";
  save_file(path, HyperParams{});
  const std::string before = hptest::read_bytes(path.string());
  HyperParams bad;
  bad.dropout = 1.0;
  CHECK_THROWS_AS(save_file(path, bad), ConfigError);
  CHECK(hptest::read_bytes(path.string()) == before);
  CHECK(dir.entries().size() == 1);
}

TEST_CASE("save_file into a missing or unwritable directory is an io error", "[files]") {
  TempDir dir;
  const auto missing = dir.path() / "no" / "such" / "dir" / "run.json";
  try {
    save_file(missing, HyperParams{});
    FAIL("saved into a missing directory");
  } catch (const ConfigError& error) {
    const auto& issue = only_issue(error);
    CHECK(issue.code == IssueCode::io_error);
    CHECK_THAT(issue.message, hptest::Contains("run.json"));
  }
  CHECK(dir.entries().empty());
#if defined(__linux__)
  // /proc refuses new files even to root
  try {
    save_file("/proc/hyperparams_test.json", HyperParams{});
    FAIL("saved into /proc");
  } catch (const ConfigError& error) {
    CHECK(only_issue(error).code == IssueCode::io_error);
  }
#endif
  SECTION("a directory in the way of the target") {
    fs::create_directory(dir.path() / "taken");
    CHECK_THROWS_AS(save_file(dir.path() / "taken", HyperParams{}), ConfigError);
    CHECK(dir.entries() == std::vector<fs::path>{"taken"}); // the temporary file is gone
  }
}

#if defined(__unix__)
TEST_CASE("save_file keeps the permissions of the file it replaces", "[files]") {
  TempDir dir;
  const auto path = dir.path() / "run.json";
  save_file(path, HyperParams{});
  ::chmod(path.c_str(), 0600);
  save_file(path, HyperParams{});
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
}
#endif

#if defined(__unix__)
TEST_CASE("save_file through a symbolic link replaces the file it points to", "[files]") {
  TempDir dir;
  fs::create_directory(dir.path() / "configs");
  const auto target = dir.path() / "configs" / "run.json";
  save_file(target, HyperParams{});
  ::chmod(target.c_str(), 0640);
  fs::create_symlink("configs/run.json", dir.path() / "current.json");         // relative, as ln -s
  fs::create_symlink(dir.path() / "current.json", dir.path() / "latest.json"); // a chain
  HyperParams hp;
  hp.epochs = 7;
  save_file(dir.path() / "latest.json", hp);
  CHECK(fs::is_symlink(dir.path() / "latest.json"));
  CHECK(fs::is_symlink(dir.path() / "current.json"));
  CHECK(load_file(target).epochs == 7);
  struct stat info {};
  REQUIRE(::stat(target.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0640);
  // the temporary file was in the target's directory, and is gone
  CHECK(fs::directory_iterator(dir.path() / "configs")->path().filename() == "run.json");
  CHECK(std::distance(fs::directory_iterator(dir.path() / "configs"), fs::directory_iterator()) ==
        1);
  SECTION("a link to a file not there yet creates it") {
    fs::create_symlink("configs/new.json", dir.path() / "new.json");
    save_file(dir.path() / "new.json", hp);
    CHECK(fs::is_symlink(dir.path() / "new.json"));
    CHECK(load_file(dir.path() / "configs" / "new.json").epochs == 7);
  }
  SECTION("a loop of links is an io error") {
    fs::create_symlink("b.json", dir.path() / "a.json");
    fs::create_symlink("a.json", dir.path() / "b.json");
    try {
      save_file(dir.path() / "a.json", hp);
      FAIL("saved through a loop of links");
    } catch (const ConfigError& error) {
      CHECK(only_issue(error).code == IssueCode::io_error);
      CHECK_THAT(only_issue(error).message, hptest::Contains("a.json"));
    }
    CHECK(fs::is_symlink(dir.path() / "a.json"));
  }
}
#endif

TEST_CASE("load_file with a pointer reads a section of a larger file", "[files]") {
  LoadOptions at;
  at.pointer = "/train";
  const auto hp = load_file(hptest::data_path("../../examples/configs/experiment.json"), at);
  CHECK(hp.optimizer_name() == Optimizer::adamw);
  CHECK(std::get<AdamWOptions>(hp.optimizer).weight_decay == 0.05);
  CHECK(hp.layer_widths() == std::vector<std::int32_t>{256, 128});
}

#if defined(__unix__) && !defined(__SANITIZE_THREAD__) && !HYPERPARAMS_UNDER_TSAN
TEST_CASE("a writer killed at any moment never leaves a broken config", "[files][crash]") {
  // A child process saves two configs in turn as fast as it can and is killed (SIGKILL) at a
  // random moment, again and again; each time the file must load and equal one of the two.
  TempDir dir;
  const auto path = dir.path() / "run.json";
  HyperParams a;
  a.epochs = 1;
  HyperParams b;
  b.epochs = 2;
  b.neurons = std::vector<std::int32_t>{512, 256};
  b.optimizer = SgdOptions{0.9, 0.0, true, 1e-4};
  save_file(path, a);
  std::mt19937 rng(7);
  int saw_a = 0;
  int saw_b = 0;
  // at least 100 kills, and more until both configs were seen (each save syncs to disk, so
  // how many fit before a kill depends on the disk)
  for (int round = 0; round < 100 || ((saw_a == 0 || saw_b == 0) && round < 400); ++round) {
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      try {
        for (;;) {
          save_file(path, a);
          save_file(path, b);
        }
      } catch (...) {
        ::_exit(3); // a failed save is reported by the parent as an unexpected exit
      }
    }
    ::usleep(std::uniform_int_distribution<unsigned>(0, 20000)(rng));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    REQUIRE(WIFSIGNALED(status));
    const HyperParams loaded = load_file(path);
    REQUIRE((loaded == a || loaded == b));
    (loaded == a ? saw_a : saw_b) += 1;
  }
  CHECK(saw_a > 0); // the kills landed at different moments
  CHECK(saw_b > 0);
}
#endif
