// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// A multilayer perceptron classifier on Eigen: hidden layers with one of the 11 activations of
/// `hyperparams::Activation`, inverted dropout, a softmax cross-entropy output, and the backward
/// pass. Batches are row-major matrices (one sample per row), so every layer is one GEMM.
///
/// Random numbers are drawn from `std::mt19937_64` through the helpers below rather than the
/// standard distributions, whose algorithms differ between standard libraries: a seed gives the
/// same initial weights, shuffles and dropout masks everywhere.

#include <hyperparams/hyperparams.hpp>

#include <Eigen/Core>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace fashion_mnist {

using hyperparams::Activation;

// ---------------------------------------------------------------------------------------------
// Random numbers
// ---------------------------------------------------------------------------------------------

/// The streams of random numbers of a run; each has its own engine, so that changing one use
/// (say, dropout) leaves the others (initial weights, sample order) as they were.
enum class Stream : std::uint32_t { init = 1, shuffle = 2, dropout = 3 };

/// The engine of `stream` for a run seeded with `seed`.
[[nodiscard]] inline std::mt19937_64 make_rng(std::uint64_t seed, Stream stream) {
  std::seed_seq seq{static_cast<std::uint32_t>(seed & 0xFFFFFFFFU),
                    static_cast<std::uint32_t>(seed >> 32U), static_cast<std::uint32_t>(stream)};
  return std::mt19937_64(seq);
}

/// Uniform in [0, 1), from the top 53 bits.
[[nodiscard]] inline double uniform01(std::mt19937_64& rng) {
  return std::ldexp(static_cast<double>(rng() >> 11U), -53);
}

/// Standard normal (Box-Muller).
[[nodiscard]] inline double standard_normal(std::mt19937_64& rng) {
  const double u1 = 1.0 - uniform01(rng); // in (0, 1]: the logarithm is finite
  const double u2 = uniform01(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

/// Uniform in [0, n), without modulo bias; n > 0.
[[nodiscard]] inline std::uint64_t uniform_index(std::mt19937_64& rng, std::uint64_t n) {
  const std::uint64_t limit = std::mt19937_64::max() - std::mt19937_64::max() % n;
  std::uint64_t r = rng();
  while (r >= limit) {
    r = rng();
  }
  return r % n;
}

/// Fisher-Yates shuffle.
template <class T>
void shuffle(std::vector<T>& items, std::mt19937_64& rng) {
  for (std::size_t i = items.size(); i > 1; --i) {
    std::swap(items[i - 1], items[static_cast<std::size_t>(uniform_index(rng, i))]);
  }
}

// ---------------------------------------------------------------------------------------------
// Activations: value and derivative with respect to the pre-activation z
// ---------------------------------------------------------------------------------------------

namespace activations {

template <class T>
T sigmoid(T z) {
  if (z >= T(0)) {
    return T(1) / (T(1) + std::exp(-z));
  }
  const T e = std::exp(z); // no overflow for large negative z
  return e / (T(1) + e);
}

/// log(1 + e^z) without overflow (PyTorch's softplus with beta 1).
template <class T>
T softplus(T z) {
  return std::max(z, T(0)) + std::log1p(std::exp(-std::abs(z)));
}

struct Relu {
  template <class T>
  static T value(T z) {
    return z > T(0) ? z : T(0);
  }
  template <class T>
  static T derivative(T z) {
    return z > T(0) ? T(1) : T(0);
  }
};

/// Negative slope 0.01, as PyTorch's default.
struct LeakyRelu {
  static constexpr double slope = 0.01;
  template <class T>
  static T value(T z) {
    return z > T(0) ? z : T(slope) * z;
  }
  template <class T>
  static T derivative(T z) {
    return z > T(0) ? T(1) : T(slope);
  }
};

/// alpha = 1.
struct Elu {
  template <class T>
  static T value(T z) {
    return z > T(0) ? z : std::expm1(z);
  }
  template <class T>
  static T derivative(T z) {
    return z > T(0) ? T(1) : std::exp(z);
  }
};

/// PyTorch's constants (Klambauer et al. 2017).
struct Selu {
  static constexpr double alpha = 1.6732632423543772848170429916717;
  static constexpr double scale = 1.0507009873554804934193349852946;
  template <class T>
  static T value(T z) {
    return T(scale) * (z > T(0) ? z : T(alpha) * std::expm1(z));
  }
  template <class T>
  static T derivative(T z) {
    return T(scale) * (z > T(0) ? T(1) : T(alpha) * std::exp(z));
  }
};

/// The exact form z * Phi(z) with the normal CDF through erf (PyTorch's default,
/// approximate='none'), not the tanh approximation.
struct Gelu {
  template <class T>
  static T value(T z) {
    return T(0.5) * z * (T(1) + std::erf(z * T(0.70710678118654752440)));
  }
  template <class T>
  static T derivative(T z) {
    const T cdf = T(0.5) * (T(1) + std::erf(z * T(0.70710678118654752440)));
    const T pdf = T(0.39894228040143267794) * std::exp(T(-0.5) * z * z);
    return cdf + z * pdf;
  }
};

/// z * sigmoid(z), also called swish.
struct Silu {
  template <class T>
  static T value(T z) {
    return z * sigmoid(z);
  }
  template <class T>
  static T derivative(T z) {
    const T s = sigmoid(z);
    return s * (T(1) + z * (T(1) - s));
  }
};

struct Sigmoid {
  template <class T>
  static T value(T z) {
    return sigmoid(z);
  }
  template <class T>
  static T derivative(T z) {
    const T s = sigmoid(z);
    return s * (T(1) - s);
  }
};

struct Tanh {
  template <class T>
  static T value(T z) {
    return std::tanh(z);
  }
  template <class T>
  static T derivative(T z) {
    const T t = std::tanh(z);
    return T(1) - t * t;
  }
};

struct Softplus {
  template <class T>
  static T value(T z) {
    return softplus(z);
  }
  template <class T>
  static T derivative(T z) {
    return sigmoid(z);
  }
};

/// z * tanh(softplus(z)).
struct Mish {
  template <class T>
  static T value(T z) {
    return z * std::tanh(softplus(z));
  }
  template <class T>
  static T derivative(T z) {
    const T t = std::tanh(softplus(z));
    return t + z * (T(1) - t * t) * sigmoid(z);
  }
};

struct Linear {
  template <class T>
  static T value(T z) {
    return z;
  }
  template <class T>
  static T derivative(T) {
    return T(1);
  }
};

} // namespace activations

/// Calls `f` with the functor type of `activation` (`activations::Relu{}`, ...): the switch
/// happens once per matrix, not once per element.
template <class F>
decltype(auto) with_activation(Activation activation, F&& f) {
  namespace a = activations;
  switch (activation) {
  case Activation::relu:
    return f(a::Relu{});
  case Activation::leaky_relu:
    return f(a::LeakyRelu{});
  case Activation::elu:
    return f(a::Elu{});
  case Activation::selu:
    return f(a::Selu{});
  case Activation::gelu:
    return f(a::Gelu{});
  case Activation::silu:
    return f(a::Silu{});
  case Activation::sigmoid:
    return f(a::Sigmoid{});
  case Activation::tanh:
    return f(a::Tanh{});
  case Activation::softplus:
    return f(a::Softplus{});
  case Activation::mish:
    return f(a::Mish{});
  case Activation::linear:
    break;
  }
  return f(a::Linear{});
}

/// f(z) for one number.
template <class T>
[[nodiscard]] T activate(Activation activation, T z) {
  return with_activation(activation, [z](auto fn) { return decltype(fn)::value(z); });
}

/// f'(z) for one number.
template <class T>
[[nodiscard]] T activation_derivative(Activation activation, T z) {
  return with_activation(activation, [z](auto fn) { return decltype(fn)::derivative(z); });
}

/// The standard deviation of the normal distribution that initial weights of a layer with
/// `fan_in` inputs and `fan_out` outputs followed by `activation` are drawn from:
/// - He (Kaiming, fan-in) for the rectifier-like relu, leaky_relu (gain for slope 0.01), elu,
///   gelu, silu, mish and softplus: sqrt(2 / fan_in);
/// - LeCun for selu (what self-normalisation assumes): sqrt(1 / fan_in);
/// - Glorot (Xavier) for sigmoid, tanh and linear: sqrt(2 / (fan_in + fan_out)).
[[nodiscard]] inline double init_stddev(Activation activation, Eigen::Index fan_in,
                                        Eigen::Index fan_out) {
  const auto in = static_cast<double>(fan_in);
  switch (activation) {
  case Activation::relu:
  case Activation::elu:
  case Activation::gelu:
  case Activation::silu:
  case Activation::mish:
  case Activation::softplus:
    return std::sqrt(2.0 / in);
  case Activation::leaky_relu: {
    constexpr double slope = activations::LeakyRelu::slope;
    return std::sqrt(2.0 / ((1.0 + slope * slope) * in));
  }
  case Activation::selu:
    return std::sqrt(1.0 / in);
  case Activation::sigmoid:
  case Activation::tanh:
  case Activation::linear:
    break;
  }
  return std::sqrt(2.0 / (in + static_cast<double>(fan_out)));
}

/// Inverted dropout on `x` in place: in training with p > 0, each element is kept with
/// probability 1 - p and then scaled by 1 / (1 - p) (so the expected value is unchanged and
/// evaluation needs no scaling), or set to 0; `mask` receives the factor of each element (0 or
/// 1 / (1 - p)) for the backward pass. In evaluation, or with p = 0, `x` is left as it is and
/// no random number is drawn.
template <class M>
void dropout(M& x, M& mask, double p, bool training, std::mt19937_64& rng) {
  if (!training || p <= 0.0) {
    return;
  }
  using T = typename M::Scalar;
  const T scale = T(1.0 / (1.0 - p));
  // keep when a 64-bit draw is >= p * 2^64 (exact for p = k / 2^n)
  const auto threshold = static_cast<std::uint64_t>(std::ldexp(p, 64));
  mask.resize(x.rows(), x.cols());
  T* m = mask.data();
  for (Eigen::Index i = 0; i < mask.size(); ++i) {
    m[i] = rng() >= threshold ? scale : T(0);
  }
  x.array() *= mask.array();
}

// ---------------------------------------------------------------------------------------------
// The network
// ---------------------------------------------------------------------------------------------

/// A fully connected classifier: `inputs` -> hidden layers -> `classes` logits, softmax
/// cross-entropy loss. Parameters live in one flat vector (per layer: the fan_in x fan_out
/// weights, row-major, then the biases), and so do their gradients; optimizers update the vector
/// as a whole. `T` is float for training; the tests use double for gradient checks.
template <class T>
class BasicMlp {
public:
  using Scalar = T;
  using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;
  using RowVector = Eigen::Matrix<T, 1, Eigen::Dynamic>;

  /// \param widths  one width per hidden layer (`hp.layer_widths()`), each >= 1.
  /// \param dropout probability of zeroing a hidden unit in training, in [0, 1).
  BasicMlp(Eigen::Index inputs, const std::vector<std::int32_t>& widths, Eigen::Index classes,
           Activation activation, double dropout)
      : activation_(activation), dropout_(dropout) {
    if (inputs < 1 || classes < 1 || !(dropout >= 0.0 && dropout < 1.0)) {
      throw std::invalid_argument("BasicMlp: inputs and classes must be >= 1, dropout in [0, 1)");
    }
    sizes_.push_back(inputs);
    for (const auto width : widths) {
      if (width < 1) {
        throw std::invalid_argument("BasicMlp: a hidden layer needs at least one unit");
      }
      sizes_.push_back(width);
    }
    sizes_.push_back(classes);
    Eigen::Index offset = 0;
    for (std::size_t l = 0; l + 1 < sizes_.size(); ++l) {
      offsets_.push_back(offset);
      offset += (sizes_[l] + 1) * sizes_[l + 1];
    }
    parameters_ = Vector::Zero(offset);
    gradients_ = Vector::Zero(offset);
  }

  /// Draws the weights from N(0, init_stddev(...)^2) (the output layer as a linear one) and sets
  /// the biases to 0.
  void initialize(std::mt19937_64& rng) {
    for (std::size_t l = 0; l < layer_count(); ++l) {
      const bool output = l + 1 == layer_count();
      const double stddev =
          init_stddev(output ? Activation::linear : activation_, sizes_[l], sizes_[l + 1]);
      auto w = weights(l);
      for (Eigen::Index i = 0; i < w.size(); ++i) {
        w.data()[i] = static_cast<T>(stddev * standard_normal(rng));
      }
      bias(l).setZero();
    }
  }

  /// Weight layers: the hidden ones and the output one.
  [[nodiscard]] std::size_t layer_count() const noexcept { return offsets_.size(); }
  /// Units of each layer, inputs first and classes last.
  [[nodiscard]] const std::vector<Eigen::Index>& sizes() const noexcept { return sizes_; }
  [[nodiscard]] Activation activation() const noexcept { return activation_; }
  [[nodiscard]] double dropout_rate() const noexcept { return dropout_; }

  [[nodiscard]] Vector& parameters() noexcept { return parameters_; }
  [[nodiscard]] const Vector& parameters() const noexcept { return parameters_; }
  /// The gradient of the last `train_batch` loss with respect to `parameters()`.
  [[nodiscard]] const Vector& gradients() const noexcept { return gradients_; }

  /// The fan_in x fan_out weights of layer `l` (a view into `parameters()`).
  [[nodiscard]] Eigen::Map<Matrix> weights(std::size_t l) {
    return {parameters_.data() + offsets_[l], sizes_[l], sizes_[l + 1]};
  }
  /// The biases of layer `l` (a view into `parameters()`).
  [[nodiscard]] Eigen::Map<RowVector> bias(std::size_t l) {
    return {parameters_.data() + offsets_[l] + sizes_[l] * sizes_[l + 1], sizes_[l + 1]};
  }

  /// One training step's forward and backward pass over the rows of `x` with their `labels`
  /// (x.rows() of them): dropout active (masks from `rng`), returns the mean cross-entropy and
  /// leaves its gradient in `gradients()`.
  T train_batch(const Eigen::Ref<const Matrix>& x, const std::uint8_t* labels,
                std::mt19937_64& rng) {
    Workspace& ws = train_;
    forward(x, ws, &rng);
    const Eigen::Index n = x.rows();
    const std::size_t last = layer_count() - 1;

    // softmax cross-entropy, stable: log-sum-exp after subtracting each row's maximum
    Matrix& delta = ws.delta[last];
    ws.row_max = ws.logits.rowwise().maxCoeff();
    delta = (ws.logits.colwise() - ws.row_max).array().exp();
    ws.row_sum = delta.rowwise().sum();
    T loss = ws.row_sum.array().log().sum() + ws.row_max.sum();
    delta.array().colwise() /= ws.row_sum.array(); // softmax probabilities
    for (Eigen::Index i = 0; i < n; ++i) {
      loss -= ws.logits(i, labels[i]);
      delta(i, labels[i]) -= T(1); // d loss_i / d logits = softmax - one-hot
    }
    delta *= T(1) / static_cast<T>(n);

    for (std::size_t l = last + 1; l-- > 0;) {
      const Eigen::Ref<const Matrix> input = layer_input(x, ws, l);
      grad_weights(l).noalias() = input.transpose() * ws.delta[l];
      grad_bias(l).noalias() = ws.delta[l].colwise().sum();
      if (l == 0) {
        break;
      }
      // back through layer l's weights, then hidden layer l-1's dropout and activation
      Matrix& below = ws.delta[l - 1];
      below.noalias() = ws.delta[l] * weights(l).transpose();
      if (dropout_ > 0.0) {
        below.array() *= ws.mask[l - 1].array();
      }
      with_activation(activation_, [&](auto fn) {
        below.array() *=
            ws.z[l - 1].unaryExpr([](T z) { return decltype(fn)::derivative(z); }).array();
      });
    }
    return loss / static_cast<T>(n);
  }

  /// The class scores (logits) of the rows of `x` in evaluation mode (no dropout). The
  /// reference stays valid until the next call.
  const Matrix& logits(const Eigen::Ref<const Matrix>& x) {
    forward(x, eval_, nullptr);
    return eval_.logits;
  }

private:
  struct Workspace {
    std::vector<Matrix> z;     ///< pre-activations of the hidden layers
    std::vector<Matrix> a;     ///< their outputs, after dropout
    std::vector<Matrix> mask;  ///< dropout factors of the hidden layers
    std::vector<Matrix> delta; ///< d loss / d z of every layer (logits last)
    Matrix logits;
    Vector row_max;
    Vector row_sum;
  };

  Eigen::Map<Matrix> grad_weights(std::size_t l) {
    return {gradients_.data() + offsets_[l], sizes_[l], sizes_[l + 1]};
  }
  Eigen::Map<RowVector> grad_bias(std::size_t l) {
    return {gradients_.data() + offsets_[l] + sizes_[l] * sizes_[l + 1], sizes_[l + 1]};
  }

  static Eigen::Ref<const Matrix> layer_input(const Eigen::Ref<const Matrix>& x,
                                              const Workspace& ws, std::size_t l) {
    return l == 0 ? x : Eigen::Ref<const Matrix>(ws.a[l - 1]);
  }

  /// Training (dropout on) when `rng` is given, evaluation otherwise.
  void forward(const Eigen::Ref<const Matrix>& x, Workspace& ws, std::mt19937_64* rng) {
    if (x.cols() != sizes_.front()) {
      throw std::invalid_argument("BasicMlp: input has " + std::to_string(x.cols()) +
                                  " features, the network " + std::to_string(sizes_.front()));
    }
    const std::size_t hidden = layer_count() - 1;
    ws.z.resize(hidden);
    ws.a.resize(hidden);
    ws.mask.resize(hidden);
    ws.delta.resize(hidden + 1);
    for (std::size_t l = 0; l < hidden; ++l) {
      Matrix& z = ws.z[l];
      z.noalias() = layer_input(x, ws, l) * weights(l);
      z.rowwise() += bias(l);
      with_activation(activation_, [&](auto fn) {
        ws.a[l] = z.unaryExpr([](T v) { return decltype(fn)::value(v); });
      });
      if (rng != nullptr) {
        dropout(ws.a[l], ws.mask[l], dropout_, true, *rng);
      }
    }
    ws.logits.noalias() = layer_input(x, ws, hidden) * weights(hidden);
    ws.logits.rowwise() += bias(hidden);
  }

  Activation activation_;
  double dropout_;
  std::vector<Eigen::Index> sizes_;
  std::vector<Eigen::Index> offsets_; ///< where each layer's weights start in the vectors
  Vector parameters_;
  Vector gradients_;
  Workspace train_;
  Workspace eval_;
};

/// The trainer's network.
using Mlp = BasicMlp<float>;

} // namespace fashion_mnist
