// SPDX-License-Identifier: MIT
// Parsing, validating, dumping, overriding, diffing and saving from many threads at once give
// the same results as one thread (and, under the tsan preset, no data race: no global mutable
// state). Assertions run on the main thread; Catch2 is not thread-safe.
#include <hyperparams/diff.hpp>
#include <hyperparams/json.hpp>
#include <hyperparams/overrides.hpp>
#include <hyperparams/schema.hpp>

#include "catch_compat.hpp"
#include "support.hpp"

#include <atomic>
#include <filesystem>
#include <thread>

using namespace hyperparams;

namespace {

struct Work {
  std::string text;
  std::vector<std::string> overrides;
  std::string dumped;      // expected
  std::string fingerprint; // expected
  std::size_t issues = 0;  // expected, for the invalid text
};

} // namespace

TEST_CASE("the library gives the same answers from many threads at once", "[concurrency]") {
  std::vector<Work> work;
  for (const char* name : {"seed_cnn.json", "sgd_nesterov.json"}) {
    Work w;
    w.text = hptest::read_bytes(hptest::data_path(std::string("../../examples/configs/") + name));
    w.overrides = {"learning_rate=0.01", "lr_schedule=cosine", "activation=GELU"};
    const HyperParams hp = apply_overrides(parse(w.text), w.overrides);
    w.dumped = dump(hp);
    w.fingerprint = fingerprint(hp);
    work.push_back(w);
  }
  const std::string broken =
      hptest::read_bytes(hptest::data_path("../../examples/configs/broken.json"));
  const std::size_t broken_issues = hptest::issues_of(broken).size();
  const std::string schema = json_schema().dump();

  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 150; ++i) {
        const Work& w = work[static_cast<std::size_t>((t + i) % 2)];
        const HyperParams hp = apply_overrides(parse(w.text), w.overrides);
        if (dump(hp) != w.dumped || fingerprint(hp) != w.fingerprint || !validate(hp).empty() ||
            !diff(hp, hp).empty()) {
          ++mismatches;
        }
        try {
          (void)parse(broken);
          ++mismatches;
        } catch (const ConfigError& error) {
          if (error.issues().size() != broken_issues) {
            ++mismatches;
          }
        }
        if (i % 50 == 0 && json_schema().dump() != schema) {
          ++mismatches;
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  CHECK(mismatches == 0);
}

TEST_CASE("threads saving the same file leave one whole config", "[concurrency][files]") {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("hyperparams_concurrent_" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(dir);
  const auto path = dir / "run.json";
  std::vector<HyperParams> configs(4);
  for (std::size_t i = 0; i < configs.size(); ++i) {
    configs[i].seed = i;
  }
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < configs.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        try {
          save_file(path, configs[t]);
        } catch (const ConfigError&) {
          ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  CHECK(failures == 0);
  const HyperParams last = load_file(path);
  CHECK(std::find(configs.begin(), configs.end(), last) != configs.end());
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) {
    ++files;
  }
  CHECK(files == 1); // every temporary file was renamed
  std::filesystem::remove_all(dir);
}
