// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The training loop: one `Trainer` per run, driven entirely by a `hyperparams::HyperParams`.
/// Each epoch shuffles the training set, takes steps on batches of `batch_size` (the last one
/// smaller when the size does not divide), with the learning rate of
/// `hyperparams::learning_rate_at_step` at every step, then evaluates on the test set.

#include "idx.hpp"
#include "mlp.hpp"
#include "optimizers.hpp"

#include <hyperparams/hyperparams.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

namespace fashion_mnist {

/// Mean loss and accuracy of a model on a dataset.
struct Evaluation {
  double loss = 0.0;                                ///< mean cross-entropy
  double accuracy = 0.0;                            ///< fraction classified correctly
  std::array<double, num_classes> class_accuracy{}; ///< per class (0 for a class with no sample)
};

/// Evaluates `model` (no dropout) on `data`, `chunk` rows at a time.
[[nodiscard]] inline Evaluation evaluate(Mlp& model, const Dataset& data,
                                         Eigen::Index chunk = 1000) {
  Evaluation out;
  std::array<std::size_t, num_classes> seen{};
  std::array<std::size_t, num_classes> correct{};
  double loss = 0.0;
  Eigen::VectorXf row_max;
  Eigen::VectorXf log_sum;
  const auto n = static_cast<Eigen::Index>(data.size());
  for (Eigen::Index first = 0; first < n; first += chunk) {
    const Eigen::Index rows = std::min(chunk, n - first);
    const Matrix& logits = model.logits(data.images.middleRows(first, rows));
    row_max = logits.rowwise().maxCoeff();
    log_sum = (logits.colwise() - row_max).array().exp().rowwise().sum().log();
    for (Eigen::Index i = 0; i < rows; ++i) {
      const std::uint8_t label = data.labels[static_cast<std::size_t>(first + i)];
      Eigen::Index predicted = 0;
      logits.row(i).maxCoeff(&predicted);
      loss += static_cast<double>(log_sum(i) + row_max(i) - logits(i, label));
      ++seen[label];
      if (predicted == label) {
        ++correct[label];
      }
    }
  }
  const std::size_t total_correct = std::accumulate(correct.begin(), correct.end(), std::size_t{0});
  out.loss = n > 0 ? loss / static_cast<double>(n) : 0.0;
  out.accuracy = n > 0 ? static_cast<double>(total_correct) / static_cast<double>(n) : 0.0;
  for (std::size_t c = 0; c < num_classes; ++c) {
    out.class_accuracy[c] =
        seen[c] > 0 ? static_cast<double>(correct[c]) / static_cast<double>(seen[c]) : 0.0;
  }
  return out;
}

/// What one epoch did.
struct EpochStats {
  std::int32_t epoch = 0;     ///< 1-based
  double train_loss = 0.0;    ///< mean over the epoch's samples, as trained (dropout on)
  Evaluation test;            ///< on the test set after the epoch
  double seconds = 0.0;       ///< training and evaluation
  double learning_rate = 0.0; ///< at the epoch's last step
};

/// The loss became NaN or infinite: the learning rate is too high for this setup.
class TrainingError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// A training run. Holds references to the datasets: they must outlive it.
class Trainer {
public:
  /// Called after each step with the steps done, the epoch's steps and the mean loss so far.
  using Progress = std::function<void(std::size_t step, std::size_t steps, double loss)>;

  /// A freshly initialised network for `hp` (a valid config), seeded with `hp.seed`.
  Trainer(const hyperparams::HyperParams& hp, const Dataset& train, const Dataset& test)
      : hp_(hp), train_(train), test_(test),
        model_(static_cast<Eigen::Index>(train.pixels()), hp.layer_widths(),
               static_cast<Eigen::Index>(num_classes), hp.activation, hp.dropout),
        optimizer_(hp.optimizer, model_.parameters().size()),
        shuffle_rng_(make_rng(hp.seed, Stream::shuffle)),
        dropout_rng_(make_rng(hp.seed, Stream::dropout)), order_(train.size()) {
    if (train.size() == 0 || test.size() == 0) {
      throw std::invalid_argument("Trainer: empty training or test set");
    }
    if (test.pixels() != train.pixels()) {
      throw std::invalid_argument("the test images are " + std::to_string(test.height) + "x" +
                                  std::to_string(test.width) + " pixels, the training images " +
                                  std::to_string(train.height) + "x" + std::to_string(train.width));
    }
    auto init_rng = make_rng(hp.seed, Stream::init);
    model_.initialize(init_rng);
    std::iota(order_.begin(), order_.end(), Eigen::Index{0});
  }

  /// Steps in an epoch: ceil(training samples / batch_size).
  [[nodiscard]] std::size_t steps_per_epoch() const noexcept {
    const auto batch = static_cast<std::size_t>(hp_.batch_size);
    return (train_.size() + batch - 1) / batch;
  }
  [[nodiscard]] std::int32_t epochs_done() const noexcept { return epoch_; }
  [[nodiscard]] Mlp& model() noexcept { return model_; }

  /// One pass over the shuffled training set, then an evaluation on the test set.
  /// \throws TrainingError when the loss is not finite.
  EpochStats run_epoch(const Progress& progress = {}) {
    const auto start = std::chrono::steady_clock::now();
    shuffle(order_, shuffle_rng_);
    const std::size_t n = train_.size();
    const auto batch = static_cast<std::size_t>(hp_.batch_size);
    const std::size_t steps = steps_per_epoch();
    double loss_sum = 0.0; // of per-sample losses
    double lr = 0.0;
    for (std::size_t step = 0; step < steps; ++step) {
      const std::size_t first = step * batch;
      const std::size_t rows = std::min(batch, n - first);
      const Eigen::Map<const Eigen::Array<Eigen::Index, Eigen::Dynamic, 1>> indices(
          order_.data() + first, static_cast<Eigen::Index>(rows));
      batch_ = train_.images(indices, Eigen::all);
      labels_.resize(rows);
      for (std::size_t i = 0; i < rows; ++i) {
        labels_[i] = train_.labels[static_cast<std::size_t>(order_[first + i])];
      }

      lr = hyperparams::learning_rate_at_step(hp_, static_cast<std::uint64_t>(epoch_), step, steps);
      const float loss = model_.train_batch(batch_, labels_.data(), dropout_rng_);
      if (!std::isfinite(loss)) {
        throw TrainingError("training diverged: the loss is " + std::to_string(loss) +
                            " at epoch " + std::to_string(epoch_ + 1) + ", step " +
                            std::to_string(step + 1) + " (learning rate " + std::to_string(lr) +
                            "); try a lower learning_rate");
      }
      optimizer_.step(model_.parameters(), model_.gradients(), lr);
      loss_sum += static_cast<double>(loss) * static_cast<double>(rows);
      if (progress) {
        progress(step + 1, steps, loss_sum / static_cast<double>(first + rows));
      }
    }
    ++epoch_;
    EpochStats out;
    out.epoch = epoch_;
    out.train_loss = loss_sum / static_cast<double>(n);
    out.test = evaluate(model_, test_);
    out.learning_rate = lr;
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
  }

private:
  hyperparams::HyperParams hp_;
  const Dataset& train_;
  const Dataset& test_;
  Mlp model_;
  Optimizer optimizer_;
  std::mt19937_64 shuffle_rng_;
  std::mt19937_64 dropout_rng_;
  std::vector<Eigen::Index> order_; ///< the sample order of the current epoch
  Matrix batch_;                    ///< the current batch's images
  std::vector<std::uint8_t> labels_;
  std::int32_t epoch_ = 0;
};

} // namespace fashion_mnist
