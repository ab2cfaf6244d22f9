// SPDX-License-Identifier: MIT
/// \file
/// Load and save times of hyperparams against nlohmann::json on the same input, in one binary,
/// and how the time of overrides grows with their number. After the runs it prints each ratio
/// (hyperparams / nlohmann, or 40,000 overrides / 10,000) from the medians measured in this run,
/// with its goal; see benchmarks/README.md.
///
///     hyperparams_bench [--hp_ratios_out=FILE] [Google Benchmark flags]
///
/// `--hp_ratios_out=FILE` also writes the ratios as TSV (benchmarks/run_all.sh reads it). The
/// exit status is 1 when a benchmark failed (a config that should load did not, or an invalid
/// one loaded), never because of a time.

#include <hyperparams/json.hpp>
#include <hyperparams/overrides.hpp>

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#endif

#ifndef HYPERPARAMS_BENCH_CONFIGS
#error "define HYPERPARAMS_BENCH_CONFIGS: the directory of the example configs"
#endif

namespace {

using nlohmann::json;

std::string config_path(const char* name) {
  return std::string(HYPERPARAMS_BENCH_CONFIGS) + "/" + name;
}

std::string read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + path);
  }
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// The inputs, read once before timing.
struct Inputs {
  std::string seed_cnn_path = config_path("seed_cnn.json");
  std::string seed_cnn = read_whole_file(seed_cnn_path);                  ///< 8 keys, all scalars
  std::string nested = read_whole_file(config_path("sgd_nesterov.json")); ///< options, a list
  std::string broken = read_whole_file(config_path("broken.json"));       ///< valid JSON, 5 issues
  /// Every key of HyperParams once, all scalars.
  std::string flat10 = R"({
  "learning_rate": 0.0003,
  "batch_size": 128,
  "epochs": 30,
  "optimizer": "sgd",
  "lr_schedule": "cosine",
  "layers": 3,
  "neurons": 256,
  "dropout": 0.25,
  "activation": "gelu",
  "seed": 12345
})";
  /// seed_cnn.json with a trailing comma: not JSON.
  std::string syntax_error = [this] {
    std::string text = seed_cnn;
    const auto last = text.rfind('"');
    text.insert(last + 1, ",");
    return text;
  }();
  /// Bad overrides, one per line, half unknown keys and half unknown optimizer options (each
  /// an issue with a did-you-mean): 10,000, and four times as many.
  std::string bad_overrides_10k = bad_overrides(10000);
  std::string bad_overrides_40k = bad_overrides(40000);

  static std::string bad_overrides(int count) {
    std::string lines;
    for (int i = 0; i < count; ++i) {
      lines += (i % 2 == 0 ? "k" : "optimizer.k") + std::to_string(i) + "=1\n";
    }
    return lines;
  }
};

const Inputs& inputs() {
  static const Inputs in;
  return in;
}

// ----- the benchmarks ---------------------------------------------------------------------------

void nlohmann_parse(benchmark::State& state, const std::string& text) {
  for (auto _ : state) {
    json j = json::parse(text);
    benchmark::DoNotOptimize(j);
  }
}

void nlohmann_parse_fails(benchmark::State& state, const std::string& text) {
  for (auto _ : state) {
    try {
      json j = json::parse(text);
      benchmark::DoNotOptimize(j);
      state.SkipWithError("expected nlohmann::json::parse_error");
      break;
    } catch (const json::parse_error& e) {
      benchmark::DoNotOptimize(e.what());
    }
  }
}

void hyperparams_parse(benchmark::State& state, const std::string& text) {
  for (auto _ : state) {
    hyperparams::HyperParams hp = hyperparams::parse(text);
    benchmark::DoNotOptimize(hp);
  }
}

void hyperparams_parse_fails(benchmark::State& state, const std::string& text) {
  for (auto _ : state) {
    try {
      hyperparams::HyperParams hp = hyperparams::parse(text);
      benchmark::DoNotOptimize(hp);
      state.SkipWithError("expected hyperparams::ConfigError");
      break;
    } catch (const hyperparams::ConfigError& e) {
      benchmark::DoNotOptimize(e.issues().data());
    }
  }
}

/// apply_overrides on one override per line of `lines`, which must fail.
void hyperparams_apply_overrides_fails(benchmark::State& state, const std::string& lines) {
  std::vector<std::string> overrides;
  std::istringstream in(lines);
  for (std::string line; std::getline(in, line);) {
    overrides.push_back(line);
  }
  const hyperparams::HyperParams base;
  for (auto _ : state) {
    try {
      hyperparams::HyperParams hp = hyperparams::apply_overrides(base, overrides);
      benchmark::DoNotOptimize(hp);
      state.SkipWithError("expected hyperparams::ConfigError");
      break;
    } catch (const hyperparams::ConfigError& e) {
      benchmark::DoNotOptimize(e.issues().data());
    }
  }
}

void read_and_nlohmann_parse(benchmark::State& state, const std::string& path) {
  for (auto _ : state) {
    json j = json::parse(read_whole_file(path));
    benchmark::DoNotOptimize(j);
  }
}

void hyperparams_load_file(benchmark::State& state, const std::string& path) {
  for (auto _ : state) {
    hyperparams::HyperParams hp = hyperparams::load_file(path);
    benchmark::DoNotOptimize(hp);
  }
}

void nlohmann_dump(benchmark::State& state, const std::string& text) {
  const json j = hyperparams::parse(text); // the DOM of the canonical form
  for (auto _ : state) {
    std::string out = j.dump(2);
    benchmark::DoNotOptimize(out);
  }
}

void hyperparams_dump(benchmark::State& state, const std::string& text) {
  const hyperparams::HyperParams hp = hyperparams::parse(text);
  for (auto _ : state) {
    std::string out = hyperparams::dump(hp);
    benchmark::DoNotOptimize(out);
  }
}

/// One line of the ratio table: candidate / baseline, both measured in this run.
struct Ratio {
  std::string key;       ///< e.g. "load/seed_cnn"
  std::string candidate; ///< benchmark names
  std::string baseline;
  double goal = 0.0;    ///< the most candidate / baseline may be; 0: none (information)
  double stretch = 0.0; ///< 0: none
};

using BenchmarkFunction = void (*)(benchmark::State&, const std::string&);

std::vector<Ratio> register_benchmarks() {
  const Inputs& in = inputs(); // static: the benchmarks keep pointers into it
  std::vector<Ratio> ratios;
  // Registers KEY/BASELINE_NAME then KEY/CANDIDATE_NAME, each run on `arg` (the baseline on
  // `baseline_arg` when given).
  const auto pair = [&](const std::string& key, const char* candidate_name,
                        BenchmarkFunction candidate, const char* baseline_name,
                        BenchmarkFunction baseline, const std::string& arg, double goal = 0.0,
                        double stretch = 0.0, const std::string* baseline_arg = nullptr) {
    const std::string c = key + "/" + candidate_name;
    const std::string b = key + "/" + baseline_name;
    const std::string* input = &arg;
    const std::string* baseline_input = baseline_arg != nullptr ? baseline_arg : &arg;
    benchmark::RegisterBenchmark(
        b.c_str(), [=](benchmark::State& state) { baseline(state, *baseline_input); });
    benchmark::RegisterBenchmark(c.c_str(),
                                 [=](benchmark::State& state) { candidate(state, *input); });
    ratios.push_back(Ratio{key, c, b, goal, stretch});
  };
  pair("load/seed_cnn", "hyperparams::parse", hyperparams_parse, "json::parse", nlohmann_parse,
       in.seed_cnn, 1.0, 0.75);
  pair("load/flat10", "hyperparams::parse", hyperparams_parse, "json::parse", nlohmann_parse,
       in.flat10);
  pair("load/sgd_nesterov", "hyperparams::parse", hyperparams_parse, "json::parse", nlohmann_parse,
       in.nested);
  pair("load/broken", "hyperparams::parse_throws", hyperparams_parse_fails, "json::parse",
       nlohmann_parse, in.broken);
  pair("load/syntax_error", "hyperparams::parse_throws", hyperparams_parse_fails,
       "json::parse_throws", nlohmann_parse_fails, in.syntax_error);
  pair("load_file/seed_cnn", "hyperparams::load_file", hyperparams_load_file,
       "read_file+json::parse", read_and_nlohmann_parse, in.seed_cnn_path);
  pair("save/seed_cnn", "hyperparams::dump", hyperparams_dump, "json::dump(2)", nlohmann_dump,
       in.seed_cnn, 1.25);
  pair("save/sgd_nesterov", "hyperparams::dump", hyperparams_dump, "json::dump(2)", nlohmann_dump,
       in.nested);
  // linear time: four times the overrides take about four times as long (quadratic: 16)
  pair("overrides/40k_vs_10k", "apply_overrides(40000_bad)", hyperparams_apply_overrides_fails,
       "apply_overrides(10000_bad)", hyperparams_apply_overrides_fails, in.bad_overrides_40k, 5.0,
       0.0, &in.bad_overrides_10k);
  return ratios;
}

// ----- the ratios -------------------------------------------------------------------------------

/// The console output, plus every repetition's CPU time per iteration, kept for the ratios.
class RatioReporter : public benchmark::ConsoleReporter {
public:
  using ConsoleReporter::ConsoleReporter;

  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      const std::string name = run.run_name.function_name;
      if (run.error_occurred) {
        failed_.push_back(name + ": " + run.error_message);
        continue;
      }
      if (run.iterations <= 0) {
        continue;
      }
      const double per_iteration = run.cpu_accumulated_time / static_cast<double>(run.iterations);
      if (run.run_type == Run::RT_Iteration) {
        Samples& s = samples_[name];
        s.cpu.push_back(per_iteration);
        s.iterations = std::min(s.iterations, static_cast<long long>(run.iterations));
      } else if (run.aggregate_name == "median") {
        aggregate_median_[name] = per_iteration; // when only aggregates are reported
      }
    }
  }

  /// What one benchmark measured: CPU seconds per iteration over its repetitions.
  struct Summary {
    bool found = false;
    double median = 0.0;
    double min = 0.0;            ///< the least disturbed repetition
    long long iterations = 0;    ///< per repetition (the fewest); 0 when unknown
    std::size_t repetitions = 0; ///< 0 when only the aggregates were reported
  };

  [[nodiscard]] Summary summary(const std::string& name) const {
    Summary out;
    const auto it = samples_.find(name);
    if (it != samples_.end() && !it->second.cpu.empty()) {
      std::vector<double> v = it->second.cpu;
      std::sort(v.begin(), v.end());
      const std::size_t n = v.size();
      out.found = true;
      out.median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
      out.min = v.front();
      out.iterations = it->second.iterations;
      out.repetitions = n;
      return out;
    }
    const auto agg = aggregate_median_.find(name);
    if (agg != aggregate_median_.end()) {
      out.found = true;
      out.median = agg->second;
      out.min = agg->second;
    }
    return out;
  }

  [[nodiscard]] const std::vector<std::string>& failed() const { return failed_; }

private:
  struct Samples {
    std::vector<double> cpu;
    long long iterations = static_cast<long long>(1) << 62;
  };
  std::map<std::string, Samples> samples_;
  std::map<std::string, double> aggregate_median_;
  std::vector<std::string> failed_;
};

std::string format_time(double seconds) {
  char buf[32];
  if (seconds < 1e-6) {
    std::snprintf(buf, sizeof buf, "%.0f ns", seconds * 1e9);
  } else if (seconds < 1e-3) {
    std::snprintf(buf, sizeof buf, "%.2f us", seconds * 1e6);
  } else {
    std::snprintf(buf, sizeof buf, "%.2f ms", seconds * 1e3);
  }
  return buf;
}

std::string format_ratio(double r) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.2fx", r);
  return buf;
}

void print_ratios(const std::vector<Ratio>& ratios, const RatioReporter& reporter,
                  const std::string& tsv_path) {
  std::ofstream tsv;
  if (!tsv_path.empty()) {
    tsv.open(tsv_path);
    if (!tsv) {
      std::cerr << "hyperparams_bench: cannot write " << tsv_path << "\n";
    }
  }
  std::ostream& out = std::cout;
  out << "\nRatios candidate / baseline (hyperparams / nlohmann, or many overrides / fewer) of "
         "the median CPU time per iteration over the repetitions, both measured in this run (and "
         "the ratio of the fastest repetitions):\n";
  long long fewest_iterations = static_cast<long long>(1) << 62;
  for (const Ratio& r : ratios) {
    const RatioReporter::Summary c = reporter.summary(r.candidate);
    const RatioReporter::Summary b = reporter.summary(r.baseline);
    if (!c.found || !b.found || b.median <= 0.0 || b.min <= 0.0) {
      continue;
    }
    fewest_iterations = std::min({fewest_iterations, c.iterations, b.iterations});
    const double ratio = c.median / b.median;
    const double ratio_of_minima = c.min / b.min;
    std::string goal = "no goal";
    std::string status = "info";
    if (r.goal > 0.0) {
      goal = "goal <= " + format_ratio(r.goal);
      status = ratio <= r.goal ? "PASS" : "MISS";
      if (r.stretch > 0.0) {
        goal += ", stretch <= " + format_ratio(r.stretch);
        if (ratio <= r.stretch) {
          status = "PASS (stretch too)";
        }
      }
    }
    const std::string what =
        r.candidate.substr(r.key.size() + 1) + " / " + r.baseline.substr(r.key.size() + 1);
    char line[256];
    std::snprintf(line, sizeof line, "  %-20s %-48s %9s / %9s = %6s  (%s)  %s  [minima: %s]\n",
                  r.key.c_str(), what.c_str(), format_time(c.median).c_str(),
                  format_time(b.median).c_str(), format_ratio(ratio).c_str(), goal.c_str(),
                  status.c_str(), format_ratio(ratio_of_minima).c_str());
    out << line;
    if (tsv) {
      tsv << r.key << '\t' << what << '\t' << c.median << '\t' << b.median << '\t' << ratio << '\t'
          << r.goal << '\t' << r.stretch << '\t' << std::min(c.repetitions, b.repetitions) << '\t'
          << ratio_of_minima << '\n';
    }
  }
  if (fewest_iterations < 1000) {
    out << "  (some medians come from fewer than 1000 iterations: a smoke run, not a "
           "measurement)\n";
  }
}

} // namespace

int main(int argc, char** argv) {
  // our own flag, taken out before Google Benchmark sees the rest
  std::string tsv_path;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    const char* flag = "--hp_ratios_out=";
    if (std::strncmp(argv[i], flag, std::strlen(flag)) == 0) {
      tsv_path = argv[i] + std::strlen(flag);
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;

  benchmark::AddCustomContext("hyperparams", HYPERPARAMS_VERSION_STRING);
  benchmark::AddCustomContext("nlohmann_json", std::to_string(NLOHMANN_JSON_VERSION_MAJOR) + "." +
                                                   std::to_string(NLOHMANN_JSON_VERSION_MINOR) +
                                                   "." +
                                                   std::to_string(NLOHMANN_JSON_VERSION_PATCH));
#ifdef __VERSION__
  benchmark::AddCustomContext("compiler", __VERSION__);
#endif
#ifdef HYPERPARAMS_BENCH_GBENCH_VERSION
  benchmark::AddCustomContext("google_benchmark", HYPERPARAMS_BENCH_GBENCH_VERSION);
#endif
#ifdef HYPERPARAMS_BENCH_FLAGS
  benchmark::AddCustomContext("flags", HYPERPARAMS_BENCH_FLAGS);
#endif

  std::vector<Ratio> ratios;
  try {
    ratios = register_benchmarks();
  } catch (const std::exception& e) {
    std::cerr << "hyperparams_bench: " << e.what() << "\n";
    return 1;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 2;
  }
  auto options = benchmark::ConsoleReporter::OO_Tabular;
#if defined(__unix__) || defined(__APPLE__)
  if (isatty(fileno(stdout)) != 0) {
    options = benchmark::ConsoleReporter::OO_ColorTabular;
  }
#endif
  RatioReporter reporter(options);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  print_ratios(ratios, reporter, tsv_path);
  if (!reporter.failed().empty()) {
    for (const auto& failure : reporter.failed()) {
      std::cerr << "hyperparams_bench: failed: " << failure << "\n";
    }
    return 1;
  }
  return 0;
}
