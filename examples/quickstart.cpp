// SPDX-License-Identifier: MIT
// Quick start: load a config strictly, use it, change it, save it, and see what a bad config
// reports. Usage: quickstart [CONFIG_DIR]   (default: the examples/configs directory)
#include <hyperparams/json.hpp>

#include <filesystem>
#include <iostream>

namespace hp = hyperparams;

int main(int argc, char** argv) {
  const std::filesystem::path dir = argc > 1 ? argv[1] : HYPERPARAMS_EXAMPLE_CONFIGS;

  // 1. Load: every field typed and checked; a typo or a bad value throws ConfigError.
  const hp::HyperParams cnn = hp::load_file(dir / "seed_cnn.json");
  std::cout << "seed_cnn.json: " << cnn << "\n";

  // 2. Use: plain members in the training loop; one width per hidden layer.
  std::cout << "training " << cnn.epochs << " epochs of batches of " << cnn.batch_size << " with "
            << cnn.optimizer_name() << " at lr " << cnn.learning_rate << "; hidden widths:";
  for (const auto width : cnn.layer_widths()) {
    std::cout << ' ' << width;
  }
  std::cout << "\n";
  std::visit([](const auto& options) { std::cout << "optimizer options: " << options << "\n"; },
             cnn.optimizer);
  if (const auto* adam = std::get_if<hp::AdamOptions>(&cnn.optimizer)) {
    std::cout << "adam betas: " << adam->beta1 << ", " << adam->beta2 << "\n";
  }

  // 3. A config inside a larger document: point at it; errors keep absolute paths.
  hp::LoadOptions at_train;
  at_train.pointer = "/train";
  const hp::HyperParams inner = hp::load_file(dir / "experiment.json", at_train);
  std::cout << "experiment.json#/train uses " << inner.optimizer_name() << " and "
            << inner.activation << "\n";

  // 4. Change and save: the saved file is complete and canonical, and the write is atomic.
  hp::HyperParams tuned = cnn;
  tuned.learning_rate = 3e-4;
  tuned.optimizer = hp::AdamWOptions{};
  tuned.neurons = std::vector<std::int32_t>{256, 256, 128, 128, 64};
  const auto out = std::filesystem::temp_directory_path() / "hyperparams_quickstart.json";
  hp::save_file(out, tuned);
  if (hp::load_file(out) != tuned) {
    std::cerr << "round trip through " << out << " changed the config\n";
    return 1;
  }
  std::cout << "saved and reloaded " << out << ":\n" << hp::dump(tuned) << "\n";
  std::filesystem::remove(out);

  // 5. A bad config: every problem at once, each with file:line:col, pointer and code.
  try {
    (void)hp::load_file(dir / "broken.json");
    std::cerr << "broken.json loaded, but it should not\n";
    return 1;
  } catch (const hp::ConfigError& error) {
    std::cout << "broken.json has " << error.issues().size() << " issues:\n"
              << error.what() << "\n";
  }
  return 0;
}
