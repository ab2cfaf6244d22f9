// SPDX-License-Identifier: MIT
// fashion_mnist: trains the MLP that a hyperparams config describes on Fashion-MNIST.
//
//   fashion_mnist CONFIG.json [key=value ...] [--data DIR] [--metrics FILE.jsonl]
//                 [--limit-train N] [--limit-test N] [--threads N]
//
// Prints the effective config and its fingerprint, a progress bar within each epoch on a
// terminal (a line at each quarter of it otherwise), one line per epoch for people, the name=value
// lines that Katib's stdout metrics collector reads (epoch=, loss=, accuracy=), and a summary.
// --metrics writes the config, then one JSON object per epoch. Exit status: 0 done, 1 bad config,
// dataset or diverged training, 2 bad command line.
#include "cli.hpp"
#include "progress.hpp"
#include "trainer.hpp"

#include <hyperparams/diff.hpp>
#include <hyperparams/json.hpp>
#include <hyperparams/overrides.hpp>

#include <Eigen/Core>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

namespace hp = hyperparams;
namespace fm = fashion_mnist;

namespace {

using Options = fm::cli::Options;

std::string join_sizes(const std::vector<Eigen::Index>& sizes) {
  std::string out;
  for (const auto size : sizes) {
    out += (out.empty() ? "" : "-") + std::to_string(size);
  }
  return out;
}

int run(const Options& options) {
  const auto start = std::chrono::steady_clock::now();
  const hp::HyperParams config = fm::cli::load_config(options);

  // One thread unless asked: Eigen's OpenMP threads meet at a barrier after every product, so
  // on a busy machine (or beside another test) two threads ran 4 to 8 times slower than one.
  Eigen::setNbThreads(options.threads > 0 ? options.threads : 1);
  const fm::Dataset train = fm::load_split(options.data, "train", options.limit_train);
  const fm::Dataset test = fm::load_split(options.data, "t10k", options.limit_test);
  std::printf("data: %zu training and %zu test images of %zux%zu from %s\n", train.size(),
              test.size(), train.height, train.width, options.data.string().c_str());

  std::ofstream metrics = fm::cli::open_metrics(options, config);

  fm::Trainer trainer(config, train, test);
  std::printf(
      "model: %s %s, %td parameters, %s; %zu steps of %d per epoch, %d thread%s\n",
      join_sizes(trainer.model().sizes()).c_str(),
      std::string(hp::to_string(config.activation)).c_str(), trainer.model().parameters().size(),
      std::string(hp::to_string(config.optimizer_name())).c_str(), trainer.steps_per_epoch(),
      config.batch_size, Eigen::nbThreads(), Eigen::nbThreads() == 1 ? "" : "s");
  std::fflush(stdout);

  fm::Progress bar(isatty(STDOUT_FILENO) != 0);
  fm::cli::RunLog log(config.epochs, metrics);
  fm::EpochStats last;
  for (std::int32_t epoch = 1; epoch <= config.epochs; ++epoch) {
    last = trainer.run_epoch([&](std::size_t step, std::size_t steps, double loss) {
      bar.update(epoch, config.epochs, step, steps, loss);
    });
    bar.clear();
    log.epoch({last.epoch, last.train_loss, last.test.loss, last.test.accuracy, last.learning_rate,
               last.seconds});
  }

  log.print_summary(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  fm::cli::finish_run(last.test.class_accuracy, metrics, options);
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app("Trains a multilayer perceptron on Fashion-MNIST as the config says.",
               "fashion_mnist");
  Options options;
  fm::cli::add_common_options(app, options);
  fm::cli::add_threads_option(app, options,
                              "threads for matrix products (default 1; more help only on idle\n"
                              "cores, and a run repeats bit for bit with the same number)");
  return fm::cli::parse_and_run(app, options, argc, argv, [&] { return run(options); });
}
