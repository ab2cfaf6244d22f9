// SPDX-License-Identifier: MIT
// Compile-time benchmark (see ../README.md): the floor of core_user.cpp. The same training code,
// against a hand-written struct with the same members, a hand-written check and one-line print;
// it includes exactly the standard headers that <hyperparams/hyperparams.hpp> includes, so the
// ratio core_user / core_floor is what the library's own code costs on top of them.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace handwritten {

enum class Activation { relu, leaky_relu, elu, selu, gelu, silu, sigmoid, tanh, softplus, mish };

struct SgdOptions {
  double momentum = 0.0;
  double dampening = 0.0;
  bool nesterov = false;
  double weight_decay = 0.0;
};
struct AdamOptions {
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-8;
  double weight_decay = 0.0;
  bool amsgrad = false;
};
struct AdamWOptions {
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-8;
  double weight_decay = 0.01;
  bool amsgrad = false;
};
struct RmspropOptions {
  double alpha = 0.99;
  double epsilon = 1e-8;
  double momentum = 0.0;
  bool centered = false;
  double weight_decay = 0.0;
};
struct AdagradOptions {
  double lr_decay = 0.0;
  double epsilon = 1e-10;
  double initial_accumulator_value = 0.0;
  double weight_decay = 0.0;
};
using OptimizerOptions =
    std::variant<SgdOptions, AdamOptions, AdamWOptions, RmspropOptions, AdagradOptions>;

struct ConstantSchedule {
  double warmup_epochs = 0.0;
};
struct StepSchedule {
  std::int32_t step_size = 10;
  double gamma = 0.1;
  double warmup_epochs = 0.0;
};
struct ExponentialSchedule {
  double gamma = 0.95;
  double warmup_epochs = 0.0;
};
struct CosineSchedule {
  double min_lr = 0.0;
  double warmup_epochs = 0.0;
};
using LrScheduleOptions =
    std::variant<ConstantSchedule, StepSchedule, ExponentialSchedule, CosineSchedule>;

struct HyperParams {
  double learning_rate = 0.001;
  std::int32_t batch_size = 32;
  std::int32_t epochs = 10;
  OptimizerOptions optimizer = AdamOptions{};
  LrScheduleOptions lr_schedule = ConstantSchedule{};
  std::int32_t layers = 2;
  std::variant<std::int32_t, std::vector<std::int32_t>> neurons = 64;
  double dropout = 0.0;
  Activation activation = Activation::relu;
  std::uint64_t seed = 42;

  std::vector<std::int32_t> layer_widths() const {
    if (const auto* list = std::get_if<std::vector<std::int32_t>>(&neurons)) {
      return *list;
    }
    if (layers < 1) {
      return {};
    }
    return std::vector<std::int32_t>(static_cast<std::size_t>(layers),
                                     std::get<std::int32_t>(neurons));
  }
};

inline void check(const HyperParams& hp, std::string_view source) {
  std::string problems;
  const auto require = [&](bool ok, std::string_view what) {
    if (!ok) {
      problems += problems.empty() ? "" : "; ";
      problems += what;
    }
  };
  require(std::isfinite(hp.learning_rate) && hp.learning_rate > 0.0, "learning_rate must be > 0");
  require(hp.batch_size >= 1, "batch_size must be >= 1");
  require(hp.epochs >= 1, "epochs must be >= 1");
  require(hp.layers >= 1, "layers must be >= 1");
  require(hp.dropout >= 0.0 && hp.dropout < 1.0, "dropout must be in [0, 1)");
  if (!problems.empty()) {
    throw std::invalid_argument(std::string(source) + ": " + problems);
  }
}

inline double learning_rate_at(const HyperParams& hp, double epoch) {
  return std::visit(
      [&](const auto& schedule) -> double {
        using Schedule = std::decay_t<decltype(schedule)>;
        const double base = hp.learning_rate;
        if (epoch < schedule.warmup_epochs) {
          return base * (epoch > 0.0 ? epoch : 0.0) / schedule.warmup_epochs;
        }
        const double t = epoch - schedule.warmup_epochs;
        if constexpr (std::is_same_v<Schedule, StepSchedule>) {
          return base * std::pow(schedule.gamma, std::floor(t / schedule.step_size));
        } else if constexpr (std::is_same_v<Schedule, ExponentialSchedule>) {
          return base * std::pow(schedule.gamma, std::floor(t));
        } else if constexpr (std::is_same_v<Schedule, CosineSchedule>) {
          const double span = static_cast<double>(hp.epochs) - schedule.warmup_epochs;
          const double progress = span > 0.0 ? std::min(t / span, 1.0) : 1.0;
          constexpr double pi = 3.14159265358979323846;
          return schedule.min_lr + (base - schedule.min_lr) * 0.5 * (1.0 + std::cos(pi * progress));
        } else {
          return base;
        }
      },
      hp.lr_schedule);
}

inline void append_number(std::string& out, double value) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, static_cast<std::size_t>(res.ptr - buf));
}

inline std::string to_string(const HyperParams& hp) {
  std::string out = "{\"learning_rate\": ";
  append_number(out, hp.learning_rate);
  out += ", \"batch_size\": " + std::to_string(hp.batch_size);
  out += ", \"epochs\": " + std::to_string(hp.epochs);
  out += ", \"layers\": " + std::to_string(hp.layers);
  out += ", \"dropout\": ";
  append_number(out, hp.dropout);
  out += ", \"seed\": " + std::to_string(hp.seed) + "}";
  return out;
}

} // namespace handwritten

struct TrainingPlan {
  std::vector<std::int32_t> widths;
  std::vector<double> learning_rates;
  double momentum = 0.0;
  bool gelu = false;
  std::string summary;
};

TrainingPlan make_plan(const handwritten::HyperParams& hp) {
  handwritten::check(hp, "plan"); // throws when invalid
  TrainingPlan plan;
  plan.widths = hp.layer_widths();
  for (std::int32_t epoch = 0; epoch < hp.epochs; ++epoch) {
    plan.learning_rates.push_back(handwritten::learning_rate_at(hp, epoch + 1.0));
  }
  if (const auto* sgd = std::get_if<handwritten::SgdOptions>(&hp.optimizer)) {
    plan.momentum = sgd->momentum;
  }
  plan.gelu = hp.activation == handwritten::Activation::gelu;
  plan.summary = handwritten::to_string(hp);
  return plan;
}
