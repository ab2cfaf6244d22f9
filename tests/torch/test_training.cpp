// SPDX-License-Identifier: MIT
// A short training run through the adapter (make_mlp / make_cnn, make_optimizer, apply_schedule):
// the loss on the training slice falls, with every optimizer; the same seed gives the same run.
// Uses the first 512 images of the real Fashion-MNIST where Debian's dataset-fashion-mnist is
// installed, else 512 synthetic, separable images.
#include "torch_support.hpp" // and Catch2

#include <hyperparams/torch.hpp>

#include <torch/torch.h>

#if HYPERPARAMS_TORCH_HAVE_IDX
#include "idx.hpp"
#endif

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>

namespace hp = hyperparams;
namespace ht = hyperparams::torch_adapter;

namespace {

constexpr std::int64_t samples = 512;

struct Data {
  torch::Tensor images; // [samples, 1, 28, 28], normalised
  torch::Tensor labels; // [samples], int64
  std::string source;
};

/// Ten classes, each a bright 7x7 square in its own place on faint noise.
Data synthetic_data() {
  torch::manual_seed(7);
  auto images = 0.2 * torch::rand({samples, 1, 28, 28});
  auto labels = torch::arange(samples, torch::kLong) % 10;
  for (std::int64_t i = 0; i < samples; ++i) {
    const std::int64_t c = labels[i].item<std::int64_t>();
    const std::int64_t row = (c / 4) * 7;
    const std::int64_t col = (c % 4) * 7;
    images[i][0].slice(0, row, row + 7).slice(1, col, col + 7).add_(0.8);
  }
  return {images, labels, "synthetic"};
}

const Data& training_data() {
  static const Data data = []() -> Data {
#if HYPERPARAMS_TORCH_HAVE_IDX
    if (std::filesystem::exists(fashion_mnist::default_data_dir)) {
      const auto split = fashion_mnist::load_split(fashion_mnist::default_data_dir, "train",
                                                   static_cast<std::size_t>(samples));
      const auto n = static_cast<std::int64_t>(split.size());
      auto images =
          torch::from_blob(const_cast<float*>(split.images.data()), {n, 1, 28, 28}, torch::kFloat32)
              .clone();
      auto labels =
          torch::from_blob(const_cast<std::uint8_t*>(split.labels.data()), {n}, torch::kUInt8)
              .to(torch::kLong);
      return {(images - 0.2860) / 0.3530, labels, "Fashion-MNIST"};
    }
#endif
    return synthetic_data();
  }();
  return data;
}

/// Mean cross-entropy and accuracy of `model` on `data`, dropout off.
std::pair<double, double> evaluate(torch::nn::Sequential& model, const Data& data) {
  torch::NoGradGuard no_grad;
  model->eval();
  const auto logits = model->forward(data.images);
  const double loss = torch::nn::functional::cross_entropy(logits, data.labels).item<double>();
  const double accuracy = logits.argmax(1).eq(data.labels).to(torch::kDouble).mean().item<double>();
  return {loss, accuracy};
}

/// `config.epochs` epochs of shuffled batches of `config.batch_size`, the learning rate of
/// `learning_rate_at_step` at every step.
void train(torch::nn::Sequential& model, const hp::HyperParams& config, const Data& data) {
  const auto optimizer = ht::make_optimizer(model->parameters(), config);
  const std::int64_t n = data.images.size(0);
  const std::int64_t batch = config.batch_size;
  const std::int64_t steps = (n + batch - 1) / batch;
  for (std::int32_t epoch = 0; epoch < config.epochs; ++epoch) {
    model->train();
    const auto order = torch::randperm(n, torch::kLong);
    for (std::int64_t step = 0; step < steps; ++step) {
      const auto index = order.slice(0, step * batch, std::min(n, (step + 1) * batch));
      ht::apply_schedule(*optimizer, config, static_cast<std::uint64_t>(epoch),
                         static_cast<std::uint64_t>(step), static_cast<std::uint64_t>(steps));
      optimizer->zero_grad();
      const auto loss = torch::nn::functional::cross_entropy(
          model->forward(data.images.index_select(0, index)), data.labels.index_select(0, index));
      loss.backward();
      optimizer->step();
    }
  }
}

hp::HyperParams small_mlp(hp::OptimizerOptions optimizer, double lr) {
  hp::HyperParams config;
  config.learning_rate = lr;
  config.optimizer = optimizer;
  config.batch_size = 32;
  config.epochs = 4;
  config.layers = 2;
  config.neurons = 64;
  config.dropout = 0.1;
  config.activation = hp::Activation::relu;
  return config;
}

} // namespace

TEST_CASE("training: an MLP learns with every optimizer") {
  hptorch::setup();
  const Data& data = training_data();
  hp::SgdOptions sgd;
  sgd.momentum = 0.9;
  const std::pair<hp::OptimizerOptions, double> cases[] = {
      {sgd, 0.02},
      {hp::AdamOptions{}, 1e-3},
      {hp::AdamWOptions{}, 1e-3},
      {hp::RmspropOptions{}, 1e-3},
      {hp::AdagradOptions{}, 0.03},
  };
  for (const auto& [optimizer, lr] : cases) {
    hp::HyperParams config = small_mlp(optimizer, lr);
    INFO(data.source << ", " << config);
    torch::manual_seed(config.seed);
    auto model = ht::make_mlp(28 * 28, 10, config);
    const auto [loss_before, accuracy_before] = evaluate(model, data);
    train(model, config, data);
    const auto [loss_after, accuracy_after] = evaluate(model, data);
    CAPTURE(loss_before, accuracy_before, loss_after, accuracy_after);
    CHECK(loss_after < 0.5 * loss_before);
    CHECK(accuracy_after > 0.7);
  }
}

TEST_CASE("training: a small CNN learns, with a cosine schedule and warmup") {
  hptorch::setup();
  const Data& data = training_data();
  hp::HyperParams config;
  config.learning_rate = 3e-3;
  config.optimizer = hp::AdamOptions{};
  config.batch_size = 32;
  config.epochs = 4;
  config.layers = 2;
  config.neurons = 16;
  config.dropout = 0.1;
  hp::CosineSchedule cosine;
  cosine.warmup_epochs = 1;
  config.lr_schedule = cosine;
  INFO(data.source << ", " << config);
  torch::manual_seed(config.seed);
  auto model = ht::make_cnn(1, 10, config);
  const auto [loss_before, accuracy_before] = evaluate(model, data);
  train(model, config, data);
  const auto [loss_after, accuracy_after] = evaluate(model, data);
  CAPTURE(loss_before, accuracy_before, loss_after, accuracy_after);
  CHECK(loss_after < 0.6 * loss_before);
  CHECK(accuracy_after > 0.6);
}

TEST_CASE("training: the same seed gives the same run") {
  hptorch::setup();
  const Data& data = training_data();
  hp::HyperParams config = small_mlp(hp::AdamOptions{}, 1e-3);
  config.epochs = 1;
  const auto run = [&](std::uint64_t seed) {
    hptorch::setup(seed);
    auto model = ht::make_mlp(28 * 28, 10, config);
    train(model, config, data);
    return evaluate(model, data).first;
  };
  const double first = run(1);
  CHECK(run(1) == first);
  CHECK(run(2) != first);
}

TEST_CASE("training: a step on CUDA where it is available") {
  hptorch::setup();
  if (!torch::cuda::is_available()) {
    WARN("skipped: torch::cuda::is_available() is false (a CPU-only libtorch, or no GPU)");
    return;
  }
  const torch::Device cuda(torch::kCUDA);
  hp::HyperParams config = small_mlp(hp::AdamOptions{}, 1e-3);
  auto model = ht::make_cnn(1, 10, config);
  model->to(cuda);
  const auto optimizer = ht::make_optimizer(model->parameters(), config);
  const auto images = training_data().images.slice(0, 0, 64).to(cuda);
  const auto labels = training_data().labels.slice(0, 0, 64).to(cuda);
  const auto loss = torch::nn::functional::cross_entropy(model->forward(images), labels);
  loss.backward();
  optimizer->step();
  CHECK(std::isfinite(loss.item<double>()));
  CHECK(model->parameters().front().device().is_cuda());
}
