// SPDX-License-Identifier: MIT
// The network: activations and their derivatives, dropout, initialisation, the loss, and a
// gradient check of the whole backward pass against finite differences (in double).
#include "catch_compat.hpp"

#include "mlp.hpp"

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace {

using fashion_mnist::Activation;
using Net = fashion_mnist::BasicMlp<double>;

constexpr Activation all_activations[] = {
    Activation::relu,     Activation::leaky_relu, Activation::elu,     Activation::selu,
    Activation::gelu,     Activation::silu,       Activation::sigmoid, Activation::tanh,
    Activation::softplus, Activation::mish,       Activation::linear};

std::string name(Activation a) {
  return std::string(hyperparams::to_string(a));
}

} // namespace

TEST_CASE("activations have their textbook values", "[mlp]") {
  using fashion_mnist::activate;
  const double e = std::exp(1.0);
  CHECK(activate(Activation::relu, -1.0) == 0.0);
  CHECK(activate(Activation::relu, 2.0) == 2.0);
  CHECK(activate(Activation::leaky_relu, -1.0) == -0.01);
  CHECK(std::abs(activate(Activation::elu, -1.0) - (1.0 / e - 1.0)) < 1e-15);
  // selu(1) = scale, selu(-1) = scale * alpha * (e^-1 - 1) with PyTorch's constants
  CHECK(std::abs(activate(Activation::selu, 1.0) - 1.0507009873554805) < 1e-15);
  CHECK(std::abs(activate(Activation::selu, -1.0) -
                 1.0507009873554805 * 1.6732632423543772 * (1.0 / e - 1.0)) < 1e-15);
  // exact gelu: 1 * Phi(1) = 0.8413447460685429 (the tanh approximation gives 0.8411919906)
  CHECK(std::abs(activate(Activation::gelu, 1.0) - 0.8413447460685429) < 1e-15);
  CHECK(std::abs(activate(Activation::silu, 1.0) - 0.7310585786300049) < 1e-15);
  CHECK(activate(Activation::sigmoid, 0.0) == 0.5);
  CHECK(std::abs(activate(Activation::tanh, 0.5) - 0.46211715726000974) < 1e-15);
  CHECK(std::abs(activate(Activation::softplus, 0.0) - std::log(2.0)) < 1e-15);
  // mish(1) = tanh(log(1 + e)) = 0.8650983882673103
  CHECK(std::abs(activate(Activation::mish, 1.0) - 0.8650983882673103) < 1e-15);
  CHECK(activate(Activation::linear, -3.5) == -3.5);
}

TEST_CASE("activations stay finite far from zero", "[mlp]") {
  for (const auto a : all_activations) {
    INFO(name(a));
    for (const float z : {-100.0F, -30.0F, 30.0F, 100.0F}) {
      CAPTURE(z);
      CHECK(std::isfinite(fashion_mnist::activate(a, z)));
      CHECK(std::isfinite(fashion_mnist::activation_derivative(a, z)));
    }
  }
  CHECK(fashion_mnist::activate(Activation::softplus, 100.0F) == 100.0F);
  CHECK(fashion_mnist::activate(Activation::sigmoid, -100.0F) > 0.0F);
}

TEST_CASE("each activation derivative matches a central finite difference", "[mlp]") {
  const double h = 1e-6;
  for (const auto a : all_activations) {
    INFO(name(a));
    for (const double z : {-4.0, -1.5, -0.7, -0.2, -0.01, 0.01, 0.3, 0.9, 2.0, 5.0}) {
      const double numeric =
          (fashion_mnist::activate(a, z + h) - fashion_mnist::activate(a, z - h)) / (2 * h);
      const double analytic = fashion_mnist::activation_derivative(a, z);
      CAPTURE(z, numeric, analytic);
      CHECK(std::abs(numeric - analytic) < 1e-8);
    }
  }
}

TEST_CASE("dropout keeps units scaled by 1 over 1-p and zeroes the others", "[mlp]") {
  std::mt19937_64 data_rng(7);
  using M = fashion_mnist::Mlp::Matrix;
  M x(400, 250);
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    x.data()[i] = 0.5F + static_cast<float>(fashion_mnist::uniform01(data_rng)); // never 0
  }
  for (const double p : {0.5, 0.2}) {
    CAPTURE(p);
    M y = x;
    M mask;
    auto rng = fashion_mnist::make_rng(1, fashion_mnist::Stream::dropout);
    fashion_mnist::dropout(y, mask, p, true, rng);
    const auto scale = static_cast<float>(1.0 / (1.0 - p)); // 2 and 1.25: exact in float
    Eigen::Index kept = 0;
    bool exact = true;
    for (Eigen::Index i = 0; i < x.size(); ++i) {
      const float v = y.data()[i];
      if (v != 0.0F) {
        ++kept;
        exact = exact && v == x.data()[i] * scale && mask.data()[i] == scale;
      } else {
        exact = exact && mask.data()[i] == 0.0F;
      }
    }
    CHECK(exact);
    const double fraction = static_cast<double>(kept) / static_cast<double>(x.size());
    CAPTURE(fraction);
    // 100000 Bernoulli draws: the standard deviation of the fraction is at most 0.0016
    CHECK(std::abs(fraction - (1.0 - p)) < 0.01);
  }
}

TEST_CASE("dropout is the identity with p 0 and in evaluation", "[mlp]") {
  using M = fashion_mnist::Mlp::Matrix;
  const M x = M::Random(30, 40);
  M mask;
  auto rng = fashion_mnist::make_rng(3, fashion_mnist::Stream::dropout);
  const auto before = rng;

  M y = x;
  fashion_mnist::dropout(y, mask, 0.0, true, rng);
  CHECK(y == x);
  fashion_mnist::dropout(y, mask, 0.5, false, rng);
  CHECK(y == x);
  CHECK(rng == before); // nothing drawn
}

TEST_CASE("the network in evaluation computes the layers without dropout", "[mlp]") {
  Net net(4, {5, 3}, 2, Activation::tanh, 0.5);
  auto rng = fashion_mnist::make_rng(11, fashion_mnist::Stream::init);
  net.initialize(rng);
  net.bias(0).setConstant(0.1);
  net.bias(2).setConstant(-0.2);
  const Net::Matrix x = Net::Matrix::Random(6, 4);

  const Net::Matrix h1 = ((x * net.weights(0)).rowwise() + net.bias(0)).array().tanh().matrix();
  const Net::Matrix h2 = ((h1 * net.weights(1)).rowwise() + net.bias(1)).array().tanh().matrix();
  const Net::Matrix expected = (h2 * net.weights(2)).rowwise() + net.bias(2);
  const Net::Matrix first = net.logits(x);
  CHECK((first - expected).cwiseAbs().maxCoeff() < 1e-12);
  CHECK(net.logits(x) == first); // no random masks in evaluation
}

TEST_CASE("the loss is the mean softmax cross-entropy and is stable for large logits", "[mlp]") {
  Net net(3, {2}, 3, Activation::relu, 0.0);
  net.parameters().setZero();
  const Net::Matrix x = Net::Matrix::Ones(2, 3);
  const std::uint8_t labels[] = {2, 0};
  std::mt19937_64 rng(1);

  // all weights 0: logits = the output bias (1, 2, 3) for every row
  net.bias(1) << 1.0, 2.0, 3.0;
  // log(e^1 + e^2 + e^3) = 3.4076059644443806; losses 3.40760596 - 3 and 3.40760596 - 1
  const double expected = ((3.4076059644443806 - 3.0) + (3.4076059644443806 - 1.0)) / 2.0;
  CHECK(std::abs(net.train_batch(x, labels, rng) - expected) < 1e-12);

  // logits (1000, 0, -1000): naive exp overflows; the losses are 2000 and ~0
  net.bias(1) << 1000.0, 0.0, -1000.0;
  const double loss = net.train_batch(x, labels, rng);
  CHECK(std::abs(loss - 1000.0) < 1e-9);
  CHECK(net.gradients().allFinite());
}

TEST_CASE("initial weights follow the scale of each activation and biases are zero", "[mlp]") {
  struct Case {
    Activation activation;
    double stddev; // of the 784 x 256 first layer
  };
  const Case cases[] = {
      {Activation::relu, std::sqrt(2.0 / 784)},                  // He
      {Activation::leaky_relu, std::sqrt(2.0 / (1.0001 * 784))}, // He, gain for 0.01
      {Activation::gelu, std::sqrt(2.0 / 784)},                  // He
      {Activation::selu, std::sqrt(1.0 / 784)},                  // LeCun
      {Activation::tanh, std::sqrt(2.0 / (784 + 256))},          // Glorot
      {Activation::sigmoid, std::sqrt(2.0 / (784 + 256))},       // Glorot
  };
  for (const auto& c : cases) {
    INFO(name(c.activation));
    fashion_mnist::Mlp net(784, {256}, 10, c.activation, 0.0);
    auto rng = fashion_mnist::make_rng(42, fashion_mnist::Stream::init);
    net.initialize(rng);
    const Eigen::ArrayXd w = net.weights(0).cast<double>().reshaped().array();
    const double mean = w.mean();
    const double stddev = std::sqrt((w - mean).square().mean());
    CAPTURE(mean, stddev, c.stddev);
    CHECK(std::abs(mean) < 0.01 * c.stddev);
    CHECK(std::abs(stddev / c.stddev - 1.0) < 0.01); // 200704 draws: 0.16% standard error
    CHECK(net.bias(0).isZero(0.0));
    CHECK(net.bias(1).isZero(0.0));
    // the output layer (256 -> 10) is Glorot whatever the activation
    const Eigen::ArrayXd out = net.weights(1).cast<double>().reshaped().array();
    const double out_stddev = std::sqrt(out.square().mean());
    CHECK(std::abs(out_stddev / std::sqrt(2.0 / 266) - 1.0) < 0.05);
  }
}

TEST_CASE("the same seed gives the same initial weights", "[mlp]") {
  const auto make = [](std::uint64_t seed) {
    fashion_mnist::Mlp net(20, {8, 8}, 3, Activation::relu, 0.0);
    auto rng = fashion_mnist::make_rng(seed, fashion_mnist::Stream::init);
    net.initialize(rng);
    return net.parameters();
  };
  CHECK(make(5) == make(5));
  CHECK(make(5) != make(6));
}

TEST_CASE("backpropagation matches finite differences of the loss for every activation", "[mlp]") {
  const std::uint8_t labels[] = {0, 2, 1, 2, 0, 1, 1};
  for (const double p : {0.0, 0.3}) {
    for (const auto a : all_activations) {
      INFO(name(a) << " with dropout " << p);
      Net net(6, {5, 4}, 3, a, p);
      auto init = fashion_mnist::make_rng(17, fashion_mnist::Stream::init);
      net.initialize(init);
      // non-zero biases, so that no unit sits exactly at a kink
      for (std::size_t l = 0; l < 3; ++l) {
        for (Eigen::Index j = 0; j < net.bias(l).size(); ++j) {
          net.bias(l)(j) = 0.1 * static_cast<double>(j + 1) - 0.15;
        }
      }
      std::mt19937_64 data_rng(99);
      Net::Matrix x(7, 6);
      for (Eigen::Index i = 0; i < x.size(); ++i) {
        x.data()[i] = fashion_mnist::standard_normal(data_rng);
      }
      // every evaluation draws the same dropout masks from a copy of this engine
      const auto masks = fashion_mnist::make_rng(23, fashion_mnist::Stream::dropout);
      const auto loss_at = [&]() {
        auto rng = masks;
        return net.train_batch(x, labels, rng);
      };
      (void)loss_at();
      const Net::Vector analytic = net.gradients();
      const double h = 1e-6;
      double worst = 0.0;
      for (Eigen::Index i = 0; i < net.parameters().size(); ++i) {
        const double saved = net.parameters()(i);
        net.parameters()(i) = saved + h;
        const double up = loss_at();
        net.parameters()(i) = saved - h;
        const double down = loss_at();
        net.parameters()(i) = saved;
        const double numeric = (up - down) / (2 * h);
        worst = std::max(worst, std::abs(numeric - analytic(i)));
      }
      CAPTURE(worst, analytic.norm());
      CHECK(analytic.norm() > 1e-3);
      CHECK(worst < 1e-7);
    }
  }
}

TEST_CASE("random helpers are uniform and unbiased", "[mlp]") {
  auto rng = fashion_mnist::make_rng(1, fashion_mnist::Stream::shuffle);
  std::vector<int> counts(7, 0);
  for (int i = 0; i < 70000; ++i) {
    ++counts[static_cast<std::size_t>(fashion_mnist::uniform_index(rng, 7))];
  }
  for (const int c : counts) {
    CHECK(std::abs(c - 10000) < 500); // 5 standard deviations
  }
  std::vector<int> items{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  fashion_mnist::shuffle(items, rng);
  std::vector<int> sorted = items;
  std::sort(sorted.begin(), sorted.end());
  CHECK(sorted == std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  CHECK(items != sorted);
}
