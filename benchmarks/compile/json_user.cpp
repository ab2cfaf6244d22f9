// SPDX-License-Identifier: MIT
// Compile-time benchmark (see ../README.md): load a config with <hyperparams/json.hpp>.
// json_floor.cpp parses the same text into a nlohmann::json; compile_time.py times both.
#include <hyperparams/json.hpp>

#include <string_view>

namespace {
constexpr std::string_view seed_cnn = R"({
  "learning_rate": 0.001,
  "batch_size": 64,
  "epochs": 20,
  "optimizer": "adam",
  "layers": 5,
  "neurons": 128,
  "dropout": 0.3,
  "activation": "relu"
})";
} // namespace

hyperparams::HyperParams load_config() {
  return hyperparams::parse(seed_cnn, "seed_cnn.json");
}
