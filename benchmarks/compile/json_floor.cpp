// SPDX-License-Identifier: MIT
// Compile-time benchmark (see ../README.md): the floor of json_user.cpp, parsing the same text
// into a nlohmann::json with <nlohmann/json.hpp> alone.
#include <nlohmann/json.hpp>

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

nlohmann::json load_config() {
  return nlohmann::json::parse(seed_cnn);
}
