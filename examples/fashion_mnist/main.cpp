// SPDX-License-Identifier: MIT
// fashion_mnist: trains the MLP that a hyperparams config describes on Fashion-MNIST.
//
//   fashion_mnist CONFIG.json [key=value ...] [--data DIR] [--metrics FILE.jsonl]
//                 [--limit-train N] [--limit-test N] [--threads N]
//
// Prints the effective config and its fingerprint, a progress bar within each epoch on a
// terminal, one line per epoch for people, the name=value lines that Katib's stdout metrics
// collector reads (epoch=, loss=, accuracy=), and a summary. --metrics writes one JSON object per
// epoch. Exit status: 0 done, 1 bad config, dataset or diverged training, 2 bad command line.
#include "trainer.hpp"

#include <hyperparams/diff.hpp>
#include <hyperparams/json.hpp>
#include <hyperparams/overrides.hpp>

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

namespace hp = hyperparams;
namespace fm = fashion_mnist;

namespace {

constexpr const char* usage_text =
    "usage: fashion_mnist CONFIG.json [key=value ...] [--data DIR] [--metrics FILE.jsonl]\n"
    "                     [--limit-train N] [--limit-test N] [--threads N]\n";

constexpr const char* help_text =
    "Trains a multilayer perceptron on Fashion-MNIST as the config says.\n"
    "\n"
    "  CONFIG.json        hyperparameters (see `hparams show --help`)\n"
    "  key=value          override a field, e.g. learning_rate=3e-4 optimizer.momentum=0.9\n"
    "                     (also --set key=value)\n"
    "  --data DIR         the dataset's IDX files (default /usr/share/datasets/fashion-mnist)\n"
    "  --metrics FILE     write one JSON line per epoch\n"
    "  --limit-train N    train on the first N samples only\n"
    "  --limit-test N     evaluate on the first N test samples only\n"
    "  --threads N        threads for matrix products (default 1; more help only on idle\n"
    "                     cores, and a run repeats bit for bit with the same number)\n";

class UsageError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct Options {
  std::filesystem::path config;
  std::vector<std::string> overrides;
  std::filesystem::path data = fm::default_data_dir;
  std::optional<std::filesystem::path> metrics;
  std::size_t limit_train = fm::all_samples;
  std::size_t limit_test = fm::all_samples;
  int threads = 1;
  bool help = false;
};

std::size_t positive_number(const std::string& option, const std::string& text) {
  std::size_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value == 0) {
    throw UsageError(option + " needs a whole number >= 1, got \"" + text + "\"");
  }
  return value;
}

Options parse_command_line(int argc, char** argv) {
  auto split = hp::split_arguments(argc, argv);
  Options out;
  out.overrides = std::move(split.overrides);
  const auto& args = split.others;
  bool have_config = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    std::optional<std::string> value;
    if (const auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = arg.substr(eq + 1); // --option=value
      arg.resize(eq);
    }
    const auto take_value = [&]() -> std::string {
      if (value) {
        return *value;
      }
      if (i + 1 >= args.size()) {
        throw UsageError(arg + " needs a value");
      }
      return args[++i];
    };
    if (arg == "--help" || arg == "-h") {
      out.help = true;
    } else if (arg == "--data") {
      out.data = take_value();
    } else if (arg == "--metrics") {
      out.metrics = take_value();
    } else if (arg == "--limit-train") {
      out.limit_train = positive_number(arg, take_value());
    } else if (arg == "--limit-test") {
      out.limit_test = positive_number(arg, take_value());
    } else if (arg == "--threads") {
      out.threads =
          static_cast<int>(std::min<std::size_t>(positive_number(arg, take_value()), 1024));
    } else if (!arg.empty() && arg[0] == '-') {
      throw UsageError("unknown option " + arg);
    } else if (have_config) {
      throw UsageError("one config file only, got " + out.config.string() + " and " + arg +
                       " (overrides are key=value)");
    } else {
      out.config = arg;
      have_config = true;
    }
  }
  if (!have_config && !out.help) {
    throw UsageError("a config file is required");
  }
  return out;
}

/// A progress bar redrawn in place, only on a terminal.
class ProgressBar {
public:
  explicit ProgressBar(bool enabled) : enabled_(enabled) {}

  void update(std::int32_t epoch, std::int32_t epochs, std::size_t step, std::size_t steps,
              double loss) {
    if (!enabled_) {
      return;
    }
    constexpr std::size_t width = 30;
    const std::size_t percent = 100 * step / steps;
    if (percent == last_percent_ && step != steps) {
      return;
    }
    last_percent_ = percent;
    const std::size_t filled = width * step / steps;
    std::printf("\repoch %d/%d [%s%s] %3zu%% loss %.4f", epoch, epochs,
                std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(), percent,
                loss);
    std::fflush(stdout);
  }

  void clear() {
    if (enabled_) {
      std::printf("\r\033[K");
      std::fflush(stdout);
      last_percent_ = static_cast<std::size_t>(-1);
    }
  }

private:
  bool enabled_;
  std::size_t last_percent_ = static_cast<std::size_t>(-1);
};

std::string join_sizes(const std::vector<Eigen::Index>& sizes) {
  std::string out;
  for (const auto size : sizes) {
    out += (out.empty() ? "" : "-") + std::to_string(size);
  }
  return out;
}

int run(const Options& options) {
  const auto start = std::chrono::steady_clock::now();
  hp::HyperParams config = hp::load_file(options.config);
  if (!options.overrides.empty()) {
    config = hp::apply_overrides(config, options.overrides);
  }
  std::printf("config: %s\nfingerprint: %s\n", hp::to_string(config).c_str(),
              hp::fingerprint(config).c_str());

  // One thread unless asked: Eigen's OpenMP threads meet at a barrier after every product, so
  // on a busy machine (or beside another test) two threads ran 4 to 8 times slower than one.
  Eigen::setNbThreads(options.threads);
  const fm::Dataset train = fm::load_split(options.data, "train", options.limit_train);
  const fm::Dataset test = fm::load_split(options.data, "t10k", options.limit_test);
  std::printf("data: %zu training and %zu test images of %zux%zu from %s\n", train.size(),
              test.size(), train.height, train.width, options.data.string().c_str());

  std::ofstream metrics;
  if (options.metrics) {
    metrics.open(*options.metrics, std::ios::trunc);
    if (!metrics) {
      throw std::runtime_error("cannot write " + options.metrics->string());
    }
  }

  fm::Trainer trainer(config, train, test);
  std::printf(
      "model: %s %s, %td parameters, %s; %zu steps of %d per epoch, %d thread%s\n",
      join_sizes(trainer.model().sizes()).c_str(),
      std::string(hp::to_string(config.activation)).c_str(), trainer.model().parameters().size(),
      std::string(hp::to_string(config.optimizer_name())).c_str(), trainer.steps_per_epoch(),
      config.batch_size, Eigen::nbThreads(), Eigen::nbThreads() == 1 ? "" : "s");
  std::fflush(stdout);

  ProgressBar bar(isatty(STDOUT_FILENO) != 0);
  fm::EpochStats best;
  fm::EpochStats last;
  double training_seconds = 0.0;
  for (std::int32_t epoch = 1; epoch <= config.epochs; ++epoch) {
    last = trainer.run_epoch([&](std::size_t step, std::size_t steps, double loss) {
      bar.update(epoch, config.epochs, step, steps, loss);
    });
    bar.clear();
    training_seconds += last.seconds;
    if (last.test.accuracy > best.test.accuracy || epoch == 1) {
      best = last;
    }
    std::printf("epoch %d/%d: train loss %.4f, test loss %.4f, test accuracy %.4f, lr %.3g, "
                "%.1f s\n",
                epoch, config.epochs, last.train_loss, last.test.loss, last.test.accuracy,
                last.learning_rate, last.seconds);
    std::printf("epoch=%d\nloss=%.6f\naccuracy=%.4f\n", epoch, last.train_loss, last.test.accuracy);
    std::fflush(stdout);
    if (metrics.is_open()) {
      nlohmann::ordered_json line;
      line["epoch"] = epoch;
      line["train_loss"] = last.train_loss;
      line["test_loss"] = last.test.loss;
      line["test_accuracy"] = last.test.accuracy;
      line["seconds"] = last.seconds;
      line["learning_rate"] = last.learning_rate;
      metrics << line.dump() << '\n' << std::flush;
    }
  }

  const double total =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("best test accuracy %.4f at epoch %d (final %.4f); %d epochs in %.1f s "
              "(%.1f s per epoch), %.1f s in all\n",
              best.test.accuracy, best.epoch, last.test.accuracy, config.epochs, training_seconds,
              training_seconds / config.epochs, total);
  std::printf("final test accuracy per class:");
  for (std::size_t c = 0; c < fm::num_classes; ++c) {
    std::printf("%s %s %.2f", c == 0 ? "" : ",", std::string(fm::class_names[c]).c_str(),
                last.test.class_accuracy[c]);
  }
  std::printf("\n");
  if (metrics.is_open() && !metrics) {
    throw std::runtime_error("error while writing " + options.metrics->string());
  }
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  Options options;
  try {
    options = parse_command_line(argc, argv);
  } catch (const UsageError& error) {
    std::fprintf(stderr, "fashion_mnist: %s\n%s", error.what(), usage_text);
    return 2;
  }
  if (options.help) {
    std::printf("%s\n%s", usage_text, help_text);
    return 0;
  }
  try {
    return run(options);
  } catch (const hp::ConfigError& error) {
    std::fprintf(stderr, "%s\n", error.what());
  } catch (const fm::DatasetError& error) {
    std::fprintf(stderr, "fashion_mnist: %s\n", error.what());
  } catch (const std::exception& error) {
    std::fprintf(stderr, "fashion_mnist: %s\n", error.what());
  }
  return 1;
}
