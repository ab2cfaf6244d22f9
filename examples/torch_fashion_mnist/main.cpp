// SPDX-License-Identifier: MIT
// torch_fashion_mnist: trains the network a hyperparams config describes on Fashion-MNIST with
// libtorch, through <hyperparams/torch.hpp>: the CNN of make_cnn (or the MLP of make_mlp), the
// optimizer of make_optimizer, the learning rate of learning_rate_at_step at every step, hp.seed.
//
//   torch_fashion_mnist CONFIG.json [key=value ...] [--data DIR] [--metrics FILE.jsonl]
//                       [--limit-train N] [--limit-test N] [--device cpu|cuda]
//                       [--model cnn|mlp] [--threads N]
//
// Runs on CUDA when torch::cuda::is_available() (a CUDA build of libtorch and a GPU), else on
// the CPU. Prints the effective config and its fingerprint, a progress bar within each epoch on
// a terminal (a line at each quarter of it otherwise), one line per epoch for people, the
// name=value lines that Katib's stdout metrics collector reads (epoch=, loss=, accuracy=), and a
// summary. --metrics writes the config, then one JSON object per epoch. Exit status: 0 done, 1 bad
// config, dataset, device or diverged training, 2 bad command line.
#include "cli.hpp"
#include "idx.hpp"
#include "progress.hpp"

#include <hyperparams/diff.hpp>
#include <hyperparams/json.hpp>
#include <hyperparams/overrides.hpp>
#include <hyperparams/torch.hpp>

#include <torch/torch.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

namespace hp = hyperparams;
namespace ht = hyperparams::torch_adapter;
namespace fm = fashion_mnist;

namespace {

/// Fashion-MNIST's pixel mean and standard deviation (training set, pixels in [0, 1]).
constexpr double pixel_mean = 0.2860;
constexpr double pixel_std = 0.3530;

/// A device that was asked for but is not there, or a diverged run: exit status 1.
class RunError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct Options : fm::cli::Options {
  std::string device; // "", "cpu" or "cuda"
  std::string model = "cnn";
};

/// Images as a [n, 1, height, width] float tensor, normalised with Fashion-MNIST's mean and
/// standard deviation; labels as int64.
struct Split {
  torch::Tensor images;
  torch::Tensor labels;
  [[nodiscard]] std::int64_t size() const { return labels.size(0); }
};

Split to_tensors(const fm::Dataset& data, const torch::Device& device) {
  const auto n = static_cast<std::int64_t>(data.size());
  const auto height = static_cast<std::int64_t>(data.height);
  const auto width = static_cast<std::int64_t>(data.width);
  auto images = torch::from_blob(const_cast<float*>(data.images.data()), {n, 1, height, width},
                                 torch::kFloat32);
  auto labels = torch::from_blob(const_cast<std::uint8_t*>(data.labels.data()), {n}, torch::kUInt8);
  // from_blob does not own the memory: sub() and to() make the copies that outlive `data`
  return {images.sub(pixel_mean).div_(pixel_std).to(device), labels.to(torch::kLong).to(device)};
}

struct Evaluation {
  double loss = 0.0;
  double accuracy = 0.0;
  std::array<double, fm::num_classes> class_accuracy{};
};

Evaluation evaluate(torch::nn::Sequential& model, const Split& data, std::int64_t chunk = 1000) {
  torch::NoGradGuard no_grad;
  model->eval();
  const std::int64_t n = data.size();
  auto loss_sum = torch::zeros({}, data.images.options().dtype(torch::kDouble));
  auto seen = torch::zeros({static_cast<std::int64_t>(fm::num_classes)}, data.labels.options());
  auto correct = torch::zeros_like(seen);
  for (std::int64_t first = 0; first < n; first += chunk) {
    const auto images = data.images.slice(0, first, std::min(n, first + chunk));
    const auto labels = data.labels.slice(0, first, std::min(n, first + chunk));
    const auto logits = model->forward(images);
    loss_sum +=
        torch::nn::functional::cross_entropy(
            logits, labels, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
            .to(torch::kDouble);
    seen += torch::bincount(labels, {}, static_cast<std::int64_t>(fm::num_classes));
    correct += torch::bincount(labels.masked_select(logits.argmax(1).eq(labels)), {},
                               static_cast<std::int64_t>(fm::num_classes));
  }
  Evaluation out;
  const auto seen_cpu = seen.cpu();
  const auto correct_cpu = correct.cpu();
  std::int64_t total_correct = 0;
  for (std::size_t c = 0; c < fm::num_classes; ++c) {
    const auto s = seen_cpu[static_cast<std::int64_t>(c)].item<std::int64_t>();
    const auto k = correct_cpu[static_cast<std::int64_t>(c)].item<std::int64_t>();
    total_correct += k;
    out.class_accuracy[c] = s > 0 ? static_cast<double>(k) / static_cast<double>(s) : 0.0;
  }
  out.loss = n > 0 ? loss_sum.item<double>() / static_cast<double>(n) : 0.0;
  out.accuracy = n > 0 ? static_cast<double>(total_correct) / static_cast<double>(n) : 0.0;
  return out;
}

std::string join_widths(const std::vector<std::int32_t>& widths) {
  std::string out;
  for (const auto width : widths) {
    out += (out.empty() ? "" : "-") + std::to_string(width);
  }
  return out;
}

torch::Device choose_device(const std::string& asked) {
  const bool cuda = torch::cuda::is_available();
  if (asked == "cuda" && !cuda) {
    throw RunError("--device cuda: torch::cuda::is_available() is false (this libtorch is "
                   "built without CUDA, or there is no usable GPU)");
  }
  if (asked == "cpu" || !cuda) {
    return torch::Device(torch::kCPU);
  }
  return torch::Device(torch::kCUDA);
}

int run(const Options& options) {
  const auto start = std::chrono::steady_clock::now();
  const hp::HyperParams config = fm::cli::load_config(options);

  if (options.threads > 0) {
    torch::set_num_threads(options.threads);
  }
  const torch::Device device = choose_device(options.device);
  torch::manual_seed(config.seed); // the CPU generator and, where present, every CUDA one

  Split train;
  Split test;
  {
    const fm::Dataset train_data = fm::load_split(options.data, "train", options.limit_train);
    const fm::Dataset test_data = fm::load_split(options.data, "t10k", options.limit_test);
    std::printf("data: %zu training and %zu test images of %zux%zu from %s\n", train_data.size(),
                test_data.size(), train_data.height, train_data.width,
                options.data.string().c_str());
    train = to_tensors(train_data, device);
    test = to_tensors(test_data, device);
  }

  std::ofstream metrics = fm::cli::open_metrics(options, config);

  const auto pixels = train.images.size(2) * train.images.size(3);
  const auto classes = static_cast<std::int64_t>(fm::num_classes);
  torch::nn::Sequential model = options.model == "mlp" ? ht::make_mlp(pixels, classes, config)
                                                       : ht::make_cnn(1, classes, config);
  model->to(device);
  const auto optimizer = ht::make_optimizer(model->parameters(), config);

  const std::int64_t n = train.size();
  const std::int64_t batch = config.batch_size;
  const std::int64_t steps = (n + batch - 1) / batch;
  std::printf("model: %s %s %s, %lld parameters, %s; %lld steps of %d per epoch; device %s",
              options.model.c_str(), join_widths(config.layer_widths()).c_str(),
              std::string(hp::to_string(config.activation)).c_str(),
              static_cast<long long>(ht::parameter_count(*model)),
              std::string(hp::to_string(config.optimizer_name())).c_str(),
              static_cast<long long>(steps), config.batch_size, device.str().c_str());
  if (device.is_cpu()) {
    std::printf(", %d threads", torch::get_num_threads());
  }
  std::printf("\n");
  std::fflush(stdout);

  fm::Progress bar(isatty(STDOUT_FILENO) != 0);
  fm::cli::RunLog log(config.epochs, metrics, {{"device", device.str()}});
  Evaluation last;
  for (std::int32_t epoch = 1; epoch <= config.epochs; ++epoch) {
    const auto epoch_start = std::chrono::steady_clock::now();
    model->train();
    // the permutation comes from the seeded CPU generator: the same on every device
    const auto order = torch::randperm(n, torch::kLong).to(device);
    auto loss_sum = torch::zeros({}, train.images.options().dtype(torch::kDouble));
    double lr = config.learning_rate;
    for (std::int64_t step = 0; step < steps; ++step) {
      const std::int64_t first = step * batch;
      const std::int64_t rows = std::min(batch, n - first);
      const auto index = order.slice(0, first, first + rows);
      lr = ht::apply_schedule(*optimizer, config, static_cast<std::uint64_t>(epoch - 1),
                              static_cast<std::uint64_t>(step), static_cast<std::uint64_t>(steps));
      optimizer->zero_grad();
      const auto loss = torch::nn::functional::cross_entropy(
          model->forward(train.images.index_select(0, index)), train.labels.index_select(0, index));
      loss.backward();
      optimizer->step();
      // summed on the device: reading the loss every step would wait for the GPU every step
      loss_sum += loss.detach().to(torch::kDouble) * static_cast<double>(rows);
      if (bar.due(static_cast<std::uint64_t>(step + 1), static_cast<std::uint64_t>(steps))) {
        bar.update(epoch, config.epochs, static_cast<std::uint64_t>(step + 1),
                   static_cast<std::uint64_t>(steps),
                   loss_sum.item<double>() / static_cast<double>(first + rows));
      }
    }
    const double train_loss = loss_sum.item<double>() / static_cast<double>(n);
    bar.clear();
    if (!std::isfinite(train_loss)) {
      throw RunError("training diverged: the loss is " + std::to_string(train_loss) + " at epoch " +
                     std::to_string(epoch) + " (learning rate " + std::to_string(lr) +
                     "); try a lower learning_rate");
    }
    last = evaluate(model, test);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - epoch_start).count();
    log.epoch({epoch, train_loss, last.loss, last.accuracy, lr, seconds});
  }

  log.print_summary(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  fm::cli::finish_run(last.class_accuracy, metrics, options);
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app("Trains a convolutional network (or a multilayer perceptron) on Fashion-MNIST with "
               "libtorch,\nas the config says.",
               "torch_fashion_mnist");
  Options options;
  fm::cli::add_common_options(app, options);
  fm::cli::add_choice_option(app, "--device", options.device, {"cpu", "cuda"},
                             "cpu or cuda (default: cuda when available, else cpu)");
  fm::cli::add_choice_option(app, "--model", options.model, {"cnn", "mlp"},
                             "cnn (default: `layers` conv blocks of `neurons` channels) or mlp");
  fm::cli::add_threads_option(app, options,
                              "CPU threads for libtorch's kernels (default: libtorch's choice)");
  return fm::cli::parse_and_run(app, options, argc, argv, [&] {
    try {
      return run(options);
    } catch (const c10::Error& error) { // its what() ends in a backtrace
      throw std::runtime_error(std::string("libtorch: ") + error.what_without_backtrace());
    }
  });
}
