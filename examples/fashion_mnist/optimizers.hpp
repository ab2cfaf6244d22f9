// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The five optimizers of `hyperparams::OptimizerOptions`, each with every option and the update
/// rule of PyTorch's documentation (torch.optim, 2.x). They update one flat parameter vector
/// element by element, which is what PyTorch does tensor by tensor; weight decay applies to every
/// parameter, biases included (PyTorch's default for one parameter group).
///
/// Notation in the comments: p parameters, g gradient, lr the step's learning rate (from the
/// schedule), t the step number starting at 1.

#include <hyperparams/hyperparams.hpp>

#include <Eigen/Core>

#include <cmath>
#include <cstdint>
#include <variant>

namespace fashion_mnist {

namespace optim {

using Params = Eigen::Ref<Eigen::VectorXf>;
using Grads = Eigen::Ref<const Eigen::VectorXf>;

/// The gradient with the L2 penalty of SGD, Adam, RMSprop and Adagrad: g + weight_decay * p,
/// computed into `out`, or g itself (no copy) when weight_decay is 0.
inline Eigen::Map<const Eigen::ArrayXf> with_weight_decay(Eigen::ArrayXf& out, const Params& p,
                                                          const Grads& g, double weight_decay) {
  if (weight_decay == 0.0) {
    return {g.data(), g.size()};
  }
  out = g.array() + static_cast<float>(weight_decay) * p.array();
  return {out.data(), out.size()};
}

/// torch.optim.SGD:
///   g += weight_decay * p
///   if momentum != 0: b = g at t = 1, else b = momentum * b + (1 - dampening) * g
///                     g = g + momentum * b if nesterov, else g = b
///   p -= lr * g
class Sgd {
public:
  Sgd(const hyperparams::SgdOptions& options, Eigen::Index size)
      : o_(options), buffer_(options.momentum != 0.0 ? size : 0) {}

  void step(Params p, const Grads& grad, double lr) {
    ++t_;
    const auto g = with_weight_decay(g_, p, grad, o_.weight_decay);
    const auto rate = static_cast<float>(lr);
    if (o_.momentum == 0.0) {
      p.array() -= rate * g;
      return;
    }
    const auto mu = static_cast<float>(o_.momentum);
    if (t_ == 1) {
      buffer_ = g;
    } else {
      buffer_ = mu * buffer_ + static_cast<float>(1.0 - o_.dampening) * g;
    }
    if (o_.nesterov) {
      p.array() -= rate * (g + mu * buffer_);
    } else {
      p.array() -= rate * buffer_;
    }
  }

private:
  hyperparams::SgdOptions o_;
  Eigen::ArrayXf g_;      ///< the gradient with weight decay, when there is some
  Eigen::ArrayXf buffer_; ///< momentum buffer b
  std::int64_t t_ = 0;
};

/// torch.optim.Adam and torch.optim.AdamW:
///   AdamW: p -= lr * weight_decay * p (decoupled decay)     Adam: g += weight_decay * p
///   m = beta1 * m + (1 - beta1) * g
///   v = beta2 * v + (1 - beta2) * g^2
///   amsgrad: v_max = max(v_max, v), and v_max replaces v below
///   p -= lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
/// (amsgrad keeps the maximum of the raw second moments and bias-corrects it, as PyTorch's code
/// and, since pytorch#142351, its documentation do.)
class Adam {
public:
  Adam(const hyperparams::AdamOptions& o, Eigen::Index size)
      : Adam(o.beta1, o.beta2, o.epsilon, o.weight_decay, o.amsgrad, false, size) {}
  Adam(const hyperparams::AdamWOptions& o, Eigen::Index size)
      : Adam(o.beta1, o.beta2, o.epsilon, o.weight_decay, o.amsgrad, true, size) {}

  void step(Params p, const Grads& grad, double lr) {
    ++t_;
    if (decoupled_) {
      p *= static_cast<float>(1.0 - lr * weight_decay_);
    }
    const auto g = with_weight_decay(g_, p, grad, decoupled_ ? 0.0 : weight_decay_);
    const auto b1 = static_cast<float>(beta1_);
    const auto b2 = static_cast<float>(beta2_);
    m_ = b1 * m_ + (1.0F - b1) * g;
    v_ = b2 * v_ + (1.0F - b2) * g.square();
    if (amsgrad_) {
      v_max_ = v_max_.max(v_);
    }
    const double t = static_cast<double>(t_);
    const auto step_size = static_cast<float>(lr / (1.0 - std::pow(beta1_, t)));
    const auto inv_correction2 = static_cast<float>(1.0 / (1.0 - std::pow(beta2_, t)));
    const auto eps = static_cast<float>(epsilon_);
    const Eigen::ArrayXf& v = amsgrad_ ? v_max_ : v_;
    p.array() -= step_size * m_ / ((v * inv_correction2).sqrt() + eps);
  }

private:
  Adam(double beta1, double beta2, double epsilon, double weight_decay, bool amsgrad,
       bool decoupled, Eigen::Index size)
      : beta1_(beta1), beta2_(beta2), epsilon_(epsilon), weight_decay_(weight_decay),
        amsgrad_(amsgrad), decoupled_(decoupled), m_(Eigen::ArrayXf::Zero(size)),
        v_(Eigen::ArrayXf::Zero(size)), v_max_(Eigen::ArrayXf::Zero(amsgrad ? size : 0)) {}

  double beta1_, beta2_, epsilon_, weight_decay_;
  bool amsgrad_, decoupled_;
  Eigen::ArrayXf g_, m_, v_, v_max_;
  std::int64_t t_ = 0;
};

/// torch.optim.RMSprop:
///   g += weight_decay * p
///   v = alpha * v + (1 - alpha) * g^2
///   centered: g_avg = alpha * g_avg + (1 - alpha) * g, and v - g_avg^2 replaces v below
///   momentum > 0: b = momentum * b + g / (sqrt(v) + eps); p -= lr * b   (b starts at 0)
///   else:         p -= lr * g / (sqrt(v) + eps)
class Rmsprop {
public:
  Rmsprop(const hyperparams::RmspropOptions& options, Eigen::Index size)
      : o_(options), square_avg_(Eigen::ArrayXf::Zero(size)),
        grad_avg_(Eigen::ArrayXf::Zero(options.centered ? size : 0)),
        buffer_(Eigen::ArrayXf::Zero(options.momentum > 0.0 ? size : 0)), denom_(size) {}

  void step(Params p, const Grads& grad, double lr) {
    const auto g = with_weight_decay(g_, p, grad, o_.weight_decay);
    const auto alpha = static_cast<float>(o_.alpha);
    const auto eps = static_cast<float>(o_.epsilon);
    const auto rate = static_cast<float>(lr);
    square_avg_ = alpha * square_avg_ + (1.0F - alpha) * g.square();
    if (o_.centered) {
      grad_avg_ = alpha * grad_avg_ + (1.0F - alpha) * g;
      denom_ = (square_avg_ - grad_avg_.square()).sqrt() + eps;
    } else {
      denom_ = square_avg_.sqrt() + eps;
    }
    if (o_.momentum > 0.0) {
      buffer_ = static_cast<float>(o_.momentum) * buffer_ + g / denom_;
      p.array() -= rate * buffer_;
    } else {
      p.array() -= rate * g / denom_;
    }
  }

private:
  hyperparams::RmspropOptions o_;
  Eigen::ArrayXf g_, square_avg_, grad_avg_, buffer_, denom_;
};

/// torch.optim.Adagrad:
///   g += weight_decay * p
///   clr = lr / (1 + (t - 1) * lr_decay)
///   sum += g^2   (sum starts at initial_accumulator_value)
///   p -= clr * g / (sqrt(sum) + eps)
class Adagrad {
public:
  Adagrad(const hyperparams::AdagradOptions& options, Eigen::Index size)
      : o_(options), sum_(Eigen::ArrayXf::Constant(
                         size, static_cast<float>(options.initial_accumulator_value))) {}

  void step(Params p, const Grads& grad, double lr) {
    ++t_;
    const auto g = with_weight_decay(g_, p, grad, o_.weight_decay);
    const auto clr = static_cast<float>(lr / (1.0 + static_cast<double>(t_ - 1) * o_.lr_decay));
    sum_ += g.square();
    p.array() -= clr * g / (sum_.sqrt() + static_cast<float>(o_.epsilon));
  }

private:
  hyperparams::AdagradOptions o_;
  Eigen::ArrayXf g_, sum_;
  std::int64_t t_ = 0;
};

} // namespace optim

/// The optimizer a config chooses, with its state for `size` parameters.
class Optimizer {
public:
  Optimizer(const hyperparams::OptimizerOptions& options, Eigen::Index size)
      : rule_(std::visit([size](const auto& o) { return make(o, size); }, options)) {}

  /// One update of `params` with their gradient `grads` at learning rate `lr`.
  void step(Eigen::Ref<Eigen::VectorXf> params, const Eigen::Ref<const Eigen::VectorXf>& grads,
            double lr) {
    std::visit([&](auto& rule) { rule.step(params, grads, lr); }, rule_);
  }

private:
  using Rule = std::variant<optim::Sgd, optim::Adam, optim::Rmsprop, optim::Adagrad>;

  static Rule make(const hyperparams::SgdOptions& o, Eigen::Index n) { return optim::Sgd(o, n); }
  static Rule make(const hyperparams::AdamOptions& o, Eigen::Index n) { return optim::Adam(o, n); }
  static Rule make(const hyperparams::AdamWOptions& o, Eigen::Index n) { return optim::Adam(o, n); }
  static Rule make(const hyperparams::RmspropOptions& o, Eigen::Index n) {
    return optim::Rmsprop(o, n);
  }
  static Rule make(const hyperparams::AdagradOptions& o, Eigen::Index n) {
    return optim::Adagrad(o, n);
  }

  Rule rule_;
};

} // namespace fashion_mnist
