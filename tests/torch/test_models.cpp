// SPDX-License-Identifier: MIT
// make_activation, make_mlp and make_cnn: the modules, their names and order, widths (weight
// shapes), activation and dropout are the config's; the networks run on images.
#include "torch_support.hpp" // and Catch2

#include <hyperparams/json.hpp>
#include <hyperparams/torch.hpp>

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace hp = hyperparams;
namespace ht = hyperparams::torch_adapter;

namespace {

/// The children of a Sequential as "name:Type" (Type without "torch::nn::" and "Impl").
std::vector<std::string> layout(const torch::nn::Sequential& model) {
  std::vector<std::string> out;
  for (const auto& child : model->named_children()) {
    std::string type = child.value()->name();
    if (type.rfind("torch::nn::", 0) == 0) {
      type.erase(0, 11);
    }
    if (type.size() > 4 && type.compare(type.size() - 4, 4, "Impl") == 0) {
      type.resize(type.size() - 4);
    }
    out.push_back(child.key() + ":" + type);
  }
  return out;
}

std::vector<std::int64_t> weight_shape(const torch::nn::Sequential& model,
                                       const std::string& child) {
  const auto module = model->named_children()[child];
  return module->named_parameters()["weight"].sizes().vec();
}

double dropout_p(const torch::nn::Sequential& model, const std::string& child) {
  const auto dropout =
      std::dynamic_pointer_cast<torch::nn::DropoutImpl>(model->named_children()[child]);
  REQUIRE(dropout != nullptr);
  return dropout->options.p();
}

} // namespace

TEST_CASE("make_activation: the torch module of every activation") {
  hptorch::setup();
  const std::pair<hp::Activation, std::string> cases[] = {
      {hp::Activation::relu, "torch::nn::ReLUImpl"},
      {hp::Activation::leaky_relu, "torch::nn::LeakyReLUImpl"},
      {hp::Activation::elu, "torch::nn::ELUImpl"},
      {hp::Activation::selu, "torch::nn::SELUImpl"},
      {hp::Activation::gelu, "torch::nn::GELUImpl"},
      {hp::Activation::silu, "torch::nn::SiLUImpl"},
      {hp::Activation::sigmoid, "torch::nn::SigmoidImpl"},
      {hp::Activation::tanh, "torch::nn::TanhImpl"},
      {hp::Activation::softplus, "torch::nn::SoftplusImpl"},
      {hp::Activation::mish, "torch::nn::MishImpl"},
      {hp::Activation::linear, "torch::nn::IdentityImpl"},
  };
  const auto x = torch::linspace(-3.0, 3.0, 13);
  for (const auto& [activation, type] : cases) {
    INFO(hp::to_string(activation));
    auto module = ht::make_activation(activation);
    CHECK(module.ptr()->name() == type);
    CHECK(module.forward(x).sizes() == x.sizes());
  }

  // the parameters and functions PyTorch uses by default
  const auto same = [&](hp::Activation activation, const torch::Tensor& expected) {
    INFO(hp::to_string(activation));
    CHECK(torch::allclose(ht::make_activation(activation).forward(x), expected, 1e-5, 1e-6));
  };
  same(hp::Activation::relu, torch::relu(x));
  same(hp::Activation::leaky_relu, torch::where(x > 0, x, 0.01 * x));
  same(hp::Activation::elu, torch::where(x > 0, x, torch::expm1(x)));
  same(hp::Activation::gelu, 0.5 * x * (1 + torch::erf(x / std::sqrt(2.0))));
  same(hp::Activation::silu, x * torch::sigmoid(x));
  same(hp::Activation::softplus, torch::log1p(torch::exp(x)));
  same(hp::Activation::mish, x * torch::tanh(torch::log1p(torch::exp(x))));
  same(hp::Activation::linear, x);

  hp::HyperParams config;
  config.activation = hp::Activation::tanh;
  CHECK(ht::make_activation(config).ptr()->name() == "torch::nn::TanhImpl");
  CHECK_THROWS_AS(ht::make_activation(static_cast<hp::Activation>(99)), std::invalid_argument);
}

TEST_CASE("make_mlp: depth, widths, activation and dropout of the config") {
  hptorch::setup();
  hp::HyperParams config;
  config.layers = 3;
  config.neurons = std::vector<std::int32_t>{32, 16, 8};
  config.activation = hp::Activation::gelu;
  config.dropout = 0.25;
  auto model = ht::make_mlp(784, 10, config);

  CHECK(layout(model) ==
        std::vector<std::string>{"flatten:Flatten", "linear1:Linear", "activation1:GELU",
                                 "dropout1:Dropout", "linear2:Linear", "activation2:GELU",
                                 "dropout2:Dropout", "linear3:Linear", "activation3:GELU",
                                 "dropout3:Dropout", "output:Linear"});
  CHECK(weight_shape(model, "linear1") == std::vector<std::int64_t>{32, 784});
  CHECK(weight_shape(model, "linear2") == std::vector<std::int64_t>{16, 32});
  CHECK(weight_shape(model, "linear3") == std::vector<std::int64_t>{8, 16});
  CHECK(weight_shape(model, "output") == std::vector<std::int64_t>{10, 8});
  CHECK(dropout_p(model, "dropout2") == 0.25);
  CHECK(ht::parameter_count(*model) ==
        (784 + 1) * 32 + (32 + 1) * 16 + (16 + 1) * 8 + (8 + 1) * 10);

  // images or flat rows
  CHECK(model->forward(torch::rand({5, 1, 28, 28})).sizes() == torch::IntArrayRef{5, 10});
  CHECK(model->forward(torch::rand({3, 784})).sizes() == torch::IntArrayRef{3, 10});

  // in eval mode dropout is off: the same input gives the same output
  model->eval();
  const auto x = torch::rand({4, 784});
  CHECK(torch::equal(model->forward(x), model->forward(x)));
}

TEST_CASE("make_mlp: no dropout modules when dropout is 0, one width for every layer") {
  hptorch::setup();
  hp::HyperParams config;
  config.layers = 2;
  config.neurons = 20;
  config.activation = hp::Activation::linear;
  config.dropout = 0.0;
  auto model = ht::make_mlp(12, 3, config);
  CHECK(layout(model) == std::vector<std::string>{"flatten:Flatten", "linear1:Linear",
                                                  "activation1:Identity", "linear2:Linear",
                                                  "activation2:Identity", "output:Linear"});
  CHECK(weight_shape(model, "linear2") == std::vector<std::int64_t>{20, 20});
  CHECK(weight_shape(model, "output") == std::vector<std::int64_t>{3, 20});
}

TEST_CASE("make_cnn: examples/configs/seed_cnn.json as a network") {
  hptorch::setup();
  const hp::HyperParams config =
      hp::load_file(std::string(HYPERPARAMS_EXAMPLE_CONFIGS) + "/seed_cnn.json");
  REQUIRE(config.layers == 5);
  REQUIRE(config.layer_widths() == std::vector<std::int32_t>(5, 128));
  REQUIRE(config.dropout == 0.3);
  REQUIRE(config.activation == hp::Activation::relu);
  auto model = ht::make_cnn(1, 10, config);

  CHECK(layout(model) ==
        std::vector<std::string>{
            "conv1:Conv2d",     "activation1:ReLU", "pool1:MaxPool2d",
            "dropout1:Dropout", "conv2:Conv2d",     "activation2:ReLU",
            "pool2:MaxPool2d",  "dropout2:Dropout", "conv3:Conv2d",
            "activation3:ReLU", "dropout3:Dropout", "conv4:Conv2d",
            "activation4:ReLU", "dropout4:Dropout", "conv5:Conv2d",
            "activation5:ReLU", "dropout5:Dropout", "adaptive_pool:AdaptiveAvgPool2d",
            "flatten:Flatten",  "classifier:Linear"});
  CHECK(weight_shape(model, "conv1") == std::vector<std::int64_t>{128, 1, 3, 3});
  for (const char* conv : {"conv2", "conv3", "conv4", "conv5"}) {
    INFO(conv);
    CHECK(weight_shape(model, conv) == std::vector<std::int64_t>{128, 128, 3, 3});
  }
  CHECK(weight_shape(model, "classifier") == std::vector<std::int64_t>{10, 128 * 7 * 7});
  for (const char* dropout : {"dropout1", "dropout3", "dropout5"}) {
    INFO(dropout);
    CHECK(dropout_p(model, dropout) == 0.3);
  }
  const auto conv =
      std::dynamic_pointer_cast<torch::nn::Conv2dImpl>(model->named_children()["conv3"]);
  REQUIRE(conv != nullptr);
  const auto padding = c10::get<torch::ExpandingArray<2>>(conv->options.padding());
  CHECK((*padding)[0] == 1);
  CHECK((*padding)[1] == 1);
  CHECK((*conv->options.kernel_size())[0] == 3);

  // 28x28 -> 14x14 -> 7x7, kept by the later blocks; logits per image
  model->eval();
  torch::NoGradGuard no_grad;
  auto x = torch::rand({2, 1, 28, 28});
  std::vector<std::pair<std::string, std::vector<std::int64_t>>> shapes;
  const auto names = model->named_children().keys();
  std::size_t i = 0;
  for (auto& module : *model) {
    x = module.forward(x);
    shapes.emplace_back(names[i++], x.sizes().vec());
  }
  using Shape = std::vector<std::int64_t>;
  CHECK(shapes[1].second == Shape{2, 128, 28, 28}); // activation1
  CHECK(shapes[2].second == Shape{2, 128, 14, 14}); // pool1
  CHECK(shapes[6].second == Shape{2, 128, 7, 7});   // pool2
  CHECK(shapes[15].second == Shape{2, 128, 7, 7});  // activation5
  CHECK(shapes[17].second == Shape{2, 128, 7, 7});  // adaptive_pool
  CHECK(shapes.back().second == Shape{2, 10});      // classifier
}

TEST_CASE("make_cnn: per-layer widths, another activation, no dropout") {
  hptorch::setup();
  hp::HyperParams config;
  config.layers = 3;
  config.neurons = std::vector<std::int32_t>{8, 16, 32};
  config.activation = hp::Activation::selu;
  config.dropout = 0.0;
  auto model = ht::make_cnn(3, 7, config);
  CHECK(layout(model) == std::vector<std::string>{
                             "conv1:Conv2d", "activation1:SELU", "pool1:MaxPool2d", "conv2:Conv2d",
                             "activation2:SELU", "pool2:MaxPool2d", "conv3:Conv2d",
                             "activation3:SELU", "adaptive_pool:AdaptiveAvgPool2d",
                             "flatten:Flatten", "classifier:Linear"});
  CHECK(weight_shape(model, "conv1") == std::vector<std::int64_t>{8, 3, 3, 3});
  CHECK(weight_shape(model, "conv2") == std::vector<std::int64_t>{16, 8, 3, 3});
  CHECK(weight_shape(model, "conv3") == std::vector<std::int64_t>{32, 16, 3, 3});
  CHECK(weight_shape(model, "classifier") == std::vector<std::int64_t>{7, 32 * 7 * 7});
  // any image size: the adaptive pool makes the classifier independent of it
  CHECK(model->forward(torch::rand({2, 3, 32, 24})).sizes() == torch::IntArrayRef{2, 7});
}

TEST_CASE("make_mlp, make_cnn: invalid arguments") {
  hptorch::setup();
  hp::HyperParams config;
  CHECK_THROWS_AS(ht::make_mlp(0, 10, config), std::invalid_argument);
  CHECK_THROWS_AS(ht::make_cnn(1, 0, config), std::invalid_argument);
  config.dropout = 1.0;
  CHECK_THROWS_AS(ht::make_mlp(784, 10, config), hp::ConfigError);
  CHECK_THROWS_AS(ht::make_cnn(1, 10, config), hp::ConfigError);
  config.dropout = 0.0;
  config.neurons = std::vector<std::int32_t>{8, 8, 8}; // layers is 2
  CHECK_THROWS_AS(ht::make_cnn(1, 10, config), hp::ConfigError);
}
