// SPDX-License-Identifier: MIT
// End to end on a slice of the real Fashion-MNIST (Debian's dataset-fashion-mnist): the loss
// falls, accuracy is far above chance (0.1) with every optimizer, and a seed gives a bit-identical
// run. Skipped, with a warning, where the dataset is not installed; the tests on synthetic data
// (ten noisy prototypes) run everywhere.
#include "catch_compat.hpp"

#include "trainer.hpp"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fm = fashion_mnist;

namespace {

struct Slice {
  fm::Dataset train;
  fm::Dataset test;
};

/// The first 3000 training and 1000 test samples, read once; nullptr without the dataset.
/// Training runs on one thread, as fashion_mnist does by default.
const Slice* real_data() {
  static const std::optional<Slice> slice = []() -> std::optional<Slice> {
    Eigen::setNbThreads(1);
    if (!std::filesystem::exists(fm::default_data_dir)) {
      return std::nullopt;
    }
    return Slice{fm::load_split(fm::default_data_dir, "train", 3000),
                 fm::load_split(fm::default_data_dir, "t10k", 1000)};
  }();
  return slice ? &*slice : nullptr;
}

#define REQUIRE_DATA(data)                                                                         \
  const Slice* data = real_data();                                                                 \
  if (data == nullptr) {                                                                           \
    WARN("skipped: no " << fm::default_data_dir << " (apt-get install dataset-fashion-mnist)");    \
    return;                                                                                        \
  }

hyperparams::HyperParams small_config() {
  hyperparams::HyperParams hp;
  hp.learning_rate = 1e-3;
  hp.batch_size = 64;
  hp.epochs = 2;
  hp.optimizer = hyperparams::AdamOptions{};
  hp.layers = 2;
  hp.neurons = std::vector<std::int32_t>{128, 64};
  hp.dropout = 0.1;
  hp.activation = hyperparams::Activation::relu;
  hp.seed = 7;
  return hp;
}

/// `n` noisy 4x4 images of ten classes: each class a random prototype, each image its class's
/// prototype plus uniform noise of +-0.3, clamped to [0, 1]. The prototypes depend on nothing but
/// the code, so train and test splits (`seed` 1 and 2) share them.
fm::Dataset synthetic(std::size_t n, std::uint64_t seed) {
  constexpr Eigen::Index pixels = 16;
  auto prototypes_rng = fm::make_rng(99, fm::Stream::init);
  fm::Matrix prototypes(static_cast<Eigen::Index>(fm::num_classes), pixels);
  for (Eigen::Index i = 0; i < prototypes.size(); ++i) {
    prototypes.data()[i] = static_cast<float>(fm::uniform01(prototypes_rng));
  }
  auto rng = fm::make_rng(seed, fm::Stream::init);
  fm::Dataset out;
  out.height = 4;
  out.width = 4;
  out.images.resize(static_cast<Eigen::Index>(n), pixels);
  out.labels.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto label = static_cast<std::uint8_t>(fm::uniform_index(rng, fm::num_classes));
    out.labels[i] = label;
    for (Eigen::Index p = 0; p < pixels; ++p) {
      const double noise = 0.6 * fm::uniform01(rng) - 0.3;
      out.images(static_cast<Eigen::Index>(i), p) =
          static_cast<float>(std::clamp(prototypes(label, p) + noise, 0.0, 1.0));
    }
  }
  return out;
}

} // namespace

TEST_CASE("training on synthetic data lowers the loss and beats chance by far", "[training]") {
  Eigen::setNbThreads(1);
  const fm::Dataset train = synthetic(2000, 1);
  const fm::Dataset test = synthetic(500, 2);
  auto hp = small_config();
  hp.neurons = std::vector<std::int32_t>{32, 32};
  hp.learning_rate = 3e-3;
  fm::Trainer trainer(hp, train, test);
  const auto first = trainer.run_epoch();
  const auto second = trainer.run_epoch();
  CAPTURE(first.train_loss, second.train_loss, first.test.accuracy, second.test.accuracy);
  CHECK(first.train_loss < 2.302585); // below the loss of a uniform guess, log(10)
  CHECK(second.train_loss < first.train_loss);
  CHECK(second.test.loss < first.test.loss);
  CHECK(second.test.accuracy > 0.9);
}

TEST_CASE("the trainer follows the learning-rate schedule, one rate per epoch",
          "[training][schedule]") {
  Eigen::setNbThreads(1);
  const fm::Dataset train = synthetic(640, 3);
  const fm::Dataset test = synthetic(100, 4);
  auto hp = small_config();
  hp.epochs = 3;
  hp.lr_schedule = hyperparams::StepSchedule{1, 0.5, 0.0};
  fm::Trainer trainer(hp, train, test);
  REQUIRE(trainer.steps_per_epoch() == 10);
  // the rate of each epoch's last step: 1e-3, then halved once per epoch (never the next epoch's)
  for (const double expected : {1e-3, 5e-4, 2.5e-4}) {
    CHECK(trainer.run_epoch().learning_rate == expected);
  }
  // a warmup of half an epoch: the last step of the first epoch already has the full rate
  hp.lr_schedule = hyperparams::ConstantSchedule{0.5};
  fm::Trainer warming(hp, train, test);
  CHECK(warming.run_epoch().learning_rate == 1e-3);
  // the rates reach the optimizer: against a constant rate, a step decay after the first epoch
  // trains that epoch bit for bit the same, and the second differently
  hp.lr_schedule = hyperparams::StepSchedule{1, 0.5, 0.0};
  fm::Trainer decaying(hp, train, test);
  hp.lr_schedule = hyperparams::ConstantSchedule{};
  fm::Trainer constant(hp, train, test);
  (void)decaying.run_epoch();
  (void)constant.run_epoch();
  CHECK(decaying.model().parameters() == constant.model().parameters());
  (void)decaying.run_epoch();
  (void)constant.run_epoch();
  CHECK(decaying.model().parameters() != constant.model().parameters());
}

TEST_CASE("training on real data lowers the loss and beats chance by far", "[training]") {
  REQUIRE_DATA(data);
  const auto hp = small_config();
  fm::Trainer trainer(hp, data->train, data->test);
  CHECK(trainer.steps_per_epoch() == 47); // ceil(3000 / 64)
  std::size_t progress_calls = 0;
  const auto first = trainer.run_epoch([&](std::size_t step, std::size_t steps, double loss) {
    ++progress_calls;
    CHECK(step <= steps);
    CHECK(std::isfinite(loss));
  });
  const auto second = trainer.run_epoch();
  CHECK(progress_calls == 47);
  CAPTURE(first.train_loss, second.train_loss, first.test.accuracy, second.test.accuracy);
  CHECK(first.epoch == 1);
  CHECK(second.epoch == 2);
  CHECK(first.train_loss < 2.302585); // below the loss of a uniform guess, log(10)
  CHECK(second.train_loss < first.train_loss);
  CHECK(second.test.loss < first.test.loss);
  CHECK(second.test.accuracy > 0.7);
}

TEST_CASE("every optimizer learns", "[training]") {
  REQUIRE_DATA(data);
  struct Case {
    hyperparams::OptimizerOptions optimizer;
    double learning_rate;
  };
  hyperparams::SgdOptions nesterov;
  nesterov.momentum = 0.9;
  nesterov.nesterov = true;
  hyperparams::RmspropOptions centered;
  centered.centered = true;
  const Case cases[] = {{hyperparams::SgdOptions{}, 0.1},      {nesterov, 0.02},
                        {hyperparams::AdamOptions{}, 1e-3},    {hyperparams::AdamWOptions{}, 1e-3},
                        {hyperparams::RmspropOptions{}, 1e-3}, {centered, 1e-3},
                        {hyperparams::AdagradOptions{}, 0.05}};
  for (const auto& c : cases) {
    auto hp = small_config();
    hp.optimizer = c.optimizer;
    hp.learning_rate = c.learning_rate;
    INFO(hyperparams::to_string(hp));
    fm::Trainer trainer(hp, data->train, data->test);
    (void)trainer.run_epoch();
    const auto stats = trainer.run_epoch();
    CAPTURE(stats.train_loss, stats.test.accuracy);
    CHECK(stats.test.accuracy > 0.7);
  }
}

namespace {

/// Losses of `epochs` epochs and the final parameters of a run with `seed` on `threads` threads.
std::pair<std::vector<double>, Eigen::VectorXf> run(const Slice& data, std::uint64_t seed,
                                                    int epochs, int threads) {
  auto hp = small_config();
  hp.seed = seed;
  hp.dropout = 0.3; // masks are part of what must repeat
  Eigen::setNbThreads(threads);
  fm::Trainer trainer(hp, data.train, data.test);
  std::vector<double> losses;
  for (int epoch = 0; epoch < epochs; ++epoch) {
    const auto stats = trainer.run_epoch();
    losses.push_back(stats.train_loss);
    losses.push_back(stats.test.loss);
  }
  Eigen::setNbThreads(1);
  return {losses, trainer.model().parameters()};
}

} // namespace

TEST_CASE("the same seed gives a bit-identical run and another seed another run", "[training]") {
  REQUIRE_DATA(data);
  const auto a = run(*data, 11, 2, 1);
  const auto b = run(*data, 11, 2, 1);
  CHECK(a.first == b.first); // exact: same bits
  CHECK(a.second == b.second);
  const auto c = run(*data, 12, 2, 1);
  CHECK(a.first != c.first);
  CHECK(a.second != c.second);
}

TEST_CASE("a run on two threads repeats bit for bit", "[training]") {
  REQUIRE_DATA(data);
  // Eigen splits each product between the threads the same way every time (where it was built
  // with OpenMP; else this runs on one thread)
  const auto a = run(*data, 5, 1, 2);
  const auto b = run(*data, 5, 1, 2);
  CHECK(a.first == b.first);
  CHECK(a.second == b.second);
}

TEST_CASE("a diverging run stops with an error", "[training]") {
  REQUIRE_DATA(data);
  auto hp = small_config();
  hp.optimizer = hyperparams::SgdOptions{};
  hp.learning_rate = 1e6;
  hp.activation = hyperparams::Activation::linear;
  hp.dropout = 0.0;
  fm::Trainer trainer(hp, data->train, data->test);
  CHECK_THROWS_AS(trainer.run_epoch(), fm::TrainingError);
}

TEST_CASE("evaluation counts each class", "[training]") {
  REQUIRE_DATA(data);
  auto hp = small_config();
  fm::Trainer trainer(hp, data->train, data->test);
  (void)trainer.run_epoch();
  const auto eval = fm::evaluate(trainer.model(), data->test, 300); // chunks of 300, last 100
  double weighted = 0.0;
  std::vector<std::size_t> per_class(fm::num_classes, 0);
  for (const auto label : data->test.labels) {
    ++per_class[label];
  }
  for (std::size_t c = 0; c < fm::num_classes; ++c) {
    weighted += eval.class_accuracy[c] * static_cast<double>(per_class[c]);
  }
  CHECK(std::abs(weighted / 1000.0 - eval.accuracy) < 1e-12);
  CHECK(std::abs(fm::evaluate(trainer.model(), data->test).loss - eval.loss) < 1e-5);
}
