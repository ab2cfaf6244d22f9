// SPDX-License-Identifier: MIT
#include <hyperparams/hyperparams.hpp>

#include "catch_compat.hpp"

#include <sstream>

using namespace hyperparams;

TEST_CASE("every optimizer has a canonical lower-case name that parses back", "[enums]") {
  const auto [value, name] = GENERATE(table<Optimizer, std::string>({
      {Optimizer::sgd, "sgd"},
      {Optimizer::adam, "adam"},
      {Optimizer::adamw, "adamw"},
      {Optimizer::rmsprop, "rmsprop"},
      {Optimizer::adagrad, "adagrad"},
  }));
  CHECK(to_string(value) == name);
  CHECK(parse_optimizer(name) == value);
  std::string upper = name;
  for (auto& c : upper) {
    c = static_cast<char>(c - 'a' + 'A');
  }
  CHECK(parse_optimizer(upper) == value);
  std::ostringstream os;
  os << value;
  CHECK(os.str() == name);
}

TEST_CASE("every activation has a canonical name, swish and identity are aliases", "[enums]") {
  const auto [value, name] = GENERATE(table<Activation, std::string>({
      {Activation::relu, "relu"},
      {Activation::leaky_relu, "leaky_relu"},
      {Activation::elu, "elu"},
      {Activation::selu, "selu"},
      {Activation::gelu, "gelu"},
      {Activation::silu, "silu"},
      {Activation::sigmoid, "sigmoid"},
      {Activation::tanh, "tanh"},
      {Activation::softplus, "softplus"},
      {Activation::mish, "mish"},
      {Activation::linear, "linear"},
  }));
  CHECK(to_string(value) == name);
  CHECK(parse_activation(name) == value);
  CHECK(from_string<Activation>(name) == value);
}

TEST_CASE("aliases parse to their enumerator but never print", "[enums]") {
  CHECK(parse_activation("swish") == Activation::silu);
  CHECK(parse_activation("Swish") == Activation::silu);
  CHECK(parse_activation("identity") == Activation::linear);
  CHECK(parse_activation("IDENTITY") == Activation::linear);
  CHECK(to_string(Activation::silu) == "silu");
  CHECK(to_string(Activation::linear) == "linear");
  CHECK(parse_activation("GELU") == Activation::gelu);
}

TEST_CASE("unknown, empty and look-alike names do not parse", "[enums]") {
  CHECK_FALSE(parse_optimizer("adamax").has_value());
  CHECK_FALSE(parse_optimizer("").has_value());
  CHECK_FALSE(parse_optimizer("adam ").has_value());
  CHECK_FALSE(parse_optimizer("\xD0\xB0"
                              "dam")
                  .has_value()); // Cyrillic a
  CHECK_FALSE(parse_activation("relu6").has_value());
  CHECK_FALSE(parse_activation("leaky-relu").has_value());
}

TEST_CASE("a value outside an enum has no name", "[enums]") {
  CHECK(to_string(static_cast<Activation>(99)).empty());
  CHECK(to_string(static_cast<Optimizer>(-1)).empty());
}

TEST_CASE("issue codes have stable names", "[enums]") {
  CHECK(to_string(IssueCode::parse_error) == "parse_error");
  CHECK(to_string(IssueCode::type_error) == "type_error");
  CHECK(to_string(IssueCode::out_of_range) == "out_of_range");
  CHECK(to_string(IssueCode::unknown_key) == "unknown_key");
  CHECK(to_string(IssueCode::duplicate_key) == "duplicate_key");
  CHECK(to_string(IssueCode::invalid_value) == "invalid_value");
  CHECK(to_string(IssueCode::inconsistent) == "inconsistent");
  CHECK(to_string(IssueCode::io_error) == "io_error");
  CHECK(to_string(IssueCode::limit_exceeded) == "limit_exceeded");
}

TEST_CASE("names are usable at compile time", "[enums]") {
  static_assert(to_string(Optimizer::adamw) == "adamw");
  static_assert(from_string<Activation>("Mish") == Activation::mish);
  static_assert(!from_string<Optimizer>("lbfgs").has_value());
  SUCCEED("checked by static_assert");
}

TEST_CASE("default options are PyTorch's", "[enums]") {
  const auto sgd = std::get<SgdOptions>(default_options(Optimizer::sgd));
  CHECK(sgd.momentum == 0.0);
  CHECK(sgd.dampening == 0.0);
  CHECK_FALSE(sgd.nesterov);
  CHECK(sgd.weight_decay == 0.0);
  const auto adam = std::get<AdamOptions>(default_options(Optimizer::adam));
  CHECK(adam.beta1 == 0.9);
  CHECK(adam.beta2 == 0.999);
  CHECK(adam.epsilon == 1e-8);
  CHECK(adam.weight_decay == 0.0);
  CHECK_FALSE(adam.amsgrad);
  const auto adamw = std::get<AdamWOptions>(default_options(Optimizer::adamw));
  CHECK(adamw.weight_decay == 0.01);
  const auto rmsprop = std::get<RmspropOptions>(default_options(Optimizer::rmsprop));
  CHECK(rmsprop.alpha == 0.99);
  CHECK(rmsprop.epsilon == 1e-8);
  CHECK_FALSE(rmsprop.centered);
  const auto adagrad = std::get<AdagradOptions>(default_options(Optimizer::adagrad));
  CHECK(adagrad.epsilon == 1e-10);
  CHECK(adagrad.lr_decay == 0.0);
  CHECK(adagrad.initial_accumulator_value == 0.0);
  for (const auto name : {Optimizer::sgd, Optimizer::adam, Optimizer::adamw, Optimizer::rmsprop,
                          Optimizer::adagrad}) {
    HyperParams hp;
    hp.optimizer = default_options(name);
    CHECK(hp.optimizer_name() == name);
  }
}
