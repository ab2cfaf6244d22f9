// SPDX-License-Identifier: MIT
// Trials per second of hyperparams::search, and the memory of a 10^12-point grid.
//
//   search_bench [--seconds S]            trials/s of values_at(i) and at(i) for random, grid
//                                         and sobol, one JSON line each (default 0.5 s each)
//   search_bench --memory grid [--exponent K] [--trials N]
//                                         builds a grid of 10^K points (default 12), makes N
//                                         trials (default 1000) spread over its index range
//                                         with at(i), prints its peak RSS (VmHWM) as one JSON line
//   search_bench --memory baseline        the same process with the same five parameters, one
//                                         value each (a grid of one point, one trial): the
//                                         grid's extra memory is the difference of the two
//
// The space of the throughput runs (benchmarks/search_vs_optuna.py builds the same one in
// Optuna): learning_rate log_uniform [1e-4, 1e-1], batch_size values [32, 64, 128, 256],
// dropout uniform [0, 0.5], optimizer.momentum uniform [0.8, 0.99] (base optimizer sgd),
// epochs int_uniform [1, 20]. The grid has 10 learning rates (1, 2, 5 per decade), the 4 batch
// sizes, dropout in steps of 0.05 (11), momentum in steps of 0.01 (20) and the 20 epochs:
// 176,000 points. No time is asserted: the output is figures, for ratios taken in one run.

#include <hyperparams/search.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>

namespace {

namespace search = hyperparams::search;
using Space = search::Space<hyperparams::HyperParams>;

constexpr const char* base_config = R"("base": {"optimizer": {"name": "sgd"}})";

std::string continuous_space(const char* method) {
  return std::string(R"({"method": ")") + method + R"(", "seed": 7, "trials": 1000000000, )" +
         base_config + R"(,
  "parameters": {
    "learning_rate": {"log_uniform": [1e-4, 1e-1]},
    "batch_size": {"values": [32, 64, 128, 256]},
    "dropout": {"uniform": [0, 0.5]},
    "optimizer.momentum": {"uniform": [0.8, 0.99]},
    "epochs": {"int_uniform": [1, 20]}
  }})";
}

std::string grid_space() {
  return std::string(R"({"method": "grid", )") + base_config + R"(,
  "parameters": {
    "learning_rate": {"values": [1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2, 1e-1]},
    "batch_size": {"values": [32, 64, 128, 256]},
    "dropout": {"uniform": [0, 0.5], "step": 0.05},
    "optimizer.momentum": {"uniform": [0.8, 0.99], "step": 0.01},
    "epochs": {"int_uniform": [1, 20]}
  }})";
}

/// "0.000...1" with `digits` decimals: 10^-digits as a short decimal.
std::string decimal_unit(int digits) {
  std::string out = "0.";
  for (int i = 1; i < digits; ++i) {
    out += '0';
  }
  return out + "1";
}

/// 1 - 10^-digits as a short decimal ("0.99" for 2).
std::string decimal_below_one(int digits) {
  return "0." + std::string(static_cast<std::size_t>(digits), '9');
}

/// A grid of 10^exponent points over five parameters, each with 10^d values (the digits dealt
/// out in turn: 10^12 is 1000 x 1000 x 100 x 100 x 100); search_vs_optuna.py builds the same
/// values for Optuna's GridSampler.
std::string big_grid_space(int exponent) {
  int digits[5];
  for (int i = 0; i < 5; ++i) {
    digits[i] = exponent / 5 + (i < exponent % 5 ? 1 : 0);
  }
  auto ten_to = [](int d) {
    std::int64_t n = 1;
    for (int i = 0; i < d; ++i) {
      n *= 10;
    }
    return n;
  };
  auto entry = [&](const char* path, int d, const std::string& range) {
    return std::string("\"") + path + "\": " + (d == 0 ? "{\"value\": 0}" : range);
  };
  const std::string lr_high = std::to_string(ten_to(digits[0])) + "e-4";
  std::string text = std::string(R"({"method": "grid", )") + base_config + R"(, "parameters": {)";
  text += digits[0] == 0
              ? R"("learning_rate": {"value": 0.0001})"
              : R"("learning_rate": {"uniform": [0.0001, )" + lr_high + R"(], "step": 0.0001})";
  text += ", " + (digits[1] == 0 ? std::string(R"("epochs": {"value": 1})")
                                 : R"("epochs": {"int_uniform": [1, )" +
                                       std::to_string(ten_to(digits[1])) + "]}");
  text += ", " + (digits[2] == 0 ? std::string(R"("batch_size": {"value": 1})")
                                 : R"("batch_size": {"int_uniform": [1, )" +
                                       std::to_string(ten_to(digits[2])) + "]}");
  text += ", " + entry("dropout", digits[3],
                       R"({"uniform": [0, )" + decimal_below_one(digits[3]) + R"(], "step": )" +
                           decimal_unit(digits[3]) + "}");
  text += ", " + entry("optimizer.momentum", digits[4],
                       R"({"uniform": [0, )" + decimal_below_one(digits[4]) + R"(], "step": )" +
                           decimal_unit(digits[4]) + "}");
  return text + "}}";
}

/// The peak resident set of this process, KiB: VmHWM of /proc/self/status (the high-water mark
/// of this program's own memory, reset by exec), else getrusage's ru_maxrss, which on Linux also
/// keeps the peak of the process it was forked from (a Python driver's 100+ MiB).
long peak_rss_kib() {
  if (std::FILE* status = std::fopen("/proc/self/status", "r")) {
    char line[256];
    long kib = -1;
    while (std::fgets(line, sizeof line, status) != nullptr) {
      if (std::strncmp(line, "VmHWM:", 6) == 0) {
        kib = std::strtol(line + 6, nullptr, 10);
        break;
      }
    }
    std::fclose(status);
    if (kib > 0) {
      return kib;
    }
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss; // KiB on Linux
}

/// Something of every trial, so that none is optimised away.
volatile std::uint64_t g_sink = 0;

template <class Make>
void measure(const char* method, const char* api, const Space& space, double seconds, Make make) {
  using clock = std::chrono::steady_clock;
  const std::uint64_t size = space.size();
  // warm-up: the first trials touch the plan, the allocator and the caches
  for (std::uint64_t i = 0; i < 100; ++i) {
    g_sink += make(space, i % size);
  }
  const auto start = clock::now();
  const auto budget = std::chrono::duration<double>(seconds);
  std::uint64_t n = 0;
  auto elapsed = clock::duration::zero();
  while (elapsed < budget) {
    for (int k = 0; k < 256; ++k, ++n) {
      g_sink += make(space, n % size);
    }
    elapsed = clock::now() - start;
  }
  const double s = std::chrono::duration<double>(elapsed).count();
  std::printf("{\"bench\": \"throughput\", \"side\": \"hyperparams\", \"method\": \"%s\", \"api\": "
              "\"%s\", \"space_size\": %llu, \"trials\": %llu, \"seconds\": %.4f, "
              "\"trials_per_s\": %.1f, \"us_per_trial\": %.3f}\n",
              method, api, static_cast<unsigned long long>(size),
              static_cast<unsigned long long>(n), s, static_cast<double>(n) / s,
              s * 1e6 / static_cast<double>(n));
  std::fflush(stdout);
}

int throughput(double seconds) {
  const auto values_only = [](const Space& space, std::uint64_t i) {
    const auto values = space.values_at(i);
    return static_cast<std::uint64_t>(values.size() + values.front().second.is_number());
  };
  const auto whole = [](const Space& space, std::uint64_t i) {
    const auto trial = space.at(i);
    return static_cast<std::uint64_t>(trial.config.epochs + trial.config.batch_size);
  };
  const Space random =
      search::parse_space<hyperparams::HyperParams>(continuous_space("random"), "random space");
  const Space grid = search::parse_space<hyperparams::HyperParams>(grid_space(), "grid space");
  const Space sobol =
      search::parse_space<hyperparams::HyperParams>(continuous_space("sobol"), "sobol space");
  for (const auto& [name, space] : {std::pair<const char*, const Space*>{"random", &random},
                                    {"grid", &grid},
                                    {"sobol", &sobol}}) {
    measure(name, "values_at", *space, seconds, values_only);
    measure(name, "at", *space, seconds, whole);
  }
  return 0;
}

int memory(bool grid, int exponent, std::uint64_t trials) {
  const std::string text = big_grid_space(grid ? exponent : 0);
  const Space space = search::parse_space<hyperparams::HyperParams>(text, "memory space");
  const std::uint64_t size = space.size();
  const std::uint64_t n = grid ? std::min(trials, size) : 1;
  const std::uint64_t stride = size / n;
  for (std::uint64_t k = 0; k < n; ++k) {
    const auto trial = space.at(k * stride + (k * 7919) % stride); // spread, not aligned
    g_sink += static_cast<std::uint64_t>(trial.config.epochs);
  }
  std::printf("{\"bench\": \"memory\", \"side\": \"hyperparams\", \"mode\": \"%s\", "
              "\"exponent\": %d, \"space_size\": %llu, \"trials\": %llu, \"max_rss_kib\": %ld}\n",
              grid ? "grid" : "baseline", grid ? exponent : 0,
              static_cast<unsigned long long>(size), static_cast<unsigned long long>(n),
              peak_rss_kib());
  return 0;
}

int usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s [--seconds S]\n"
               "       %s --memory grid|baseline [--exponent K] [--trials N]\n",
               argv0, argv0);
  return 2;
}

} // namespace

int main(int argc, char** argv) {
  double seconds = 0.5;
  const char* mode = nullptr;
  int exponent = 12;
  std::uint64_t trials = 1000;
  for (int i = 1; i < argc; ++i) {
    const bool has_value = i + 1 < argc;
    if (std::strcmp(argv[i], "--seconds") == 0 && has_value) {
      seconds = std::atof(argv[++i]);
    } else if (std::strcmp(argv[i], "--memory") == 0 && has_value) {
      mode = argv[++i];
    } else if (std::strcmp(argv[i], "--exponent") == 0 && has_value) {
      exponent = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--trials") == 0 && has_value) {
      trials = std::strtoull(argv[++i], nullptr, 10);
    } else {
      return usage(argv[0]);
    }
  }
  try {
    if (mode == nullptr) {
      return throughput(seconds);
    }
    if (std::strcmp(mode, "grid") != 0 && std::strcmp(mode, "baseline") != 0) {
      return usage(argv[0]);
    }
    if (exponent < 1 || exponent > 18 || trials < 1) {
      return usage(argv[0]);
    }
    return memory(std::strcmp(mode, "grid") == 0, exponent, trials);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "search_bench: %s\n", e.what());
    return 1;
  }
}
