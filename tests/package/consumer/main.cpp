// SPDX-License-Identifier: MIT
// The consumer program of the package tests: uses the library as a user would, through
// whatever way CMake found it (see CMakeLists.txt). Prints "consumer ok" and returns 0, or
// says what went wrong and returns 1.
#include <hyperparams/json.hpp>
#include <hyperparams/version.hpp>

// The compiled library's targets and .pc file must put the headers in compiled mode.
#if CONSUMER_COMPILED != defined(HYPERPARAMS_COMPILED)
#error "HYPERPARAMS_COMPILED does not match the way hyperparams was found"
#endif

#include <cstdint>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

namespace {

int failures = 0;

void check(bool ok, const char* what) {
  if (!ok) {
    std::cerr << "consumer: check failed: " << what << '\n';
    ++failures;
  }
}

} // namespace

int main() {
  try {
    const hyperparams::HyperParams hp =
        hyperparams::parse(R"({"learning_rate": 0.01, "layers": 2, "neurons": [8, 4]})");
    check(hp.learning_rate == 0.01, "learning_rate == 0.01");
    check(hp.layer_widths() == std::vector<std::int32_t>{8, 4}, "layer_widths() == {8, 4}");

    const std::string text = hyperparams::dump(hp);
    check(!text.empty(), "dump() is not empty");
    check(hyperparams::dump(hyperparams::parse(text)) == text, "dump(parse(dump(hp))) == dump(hp)");

    bool rejected = false;
    try {
      (void)hyperparams::parse(R"({"learning_rate": -1})");
    } catch (const hyperparams::ConfigError&) {
      rejected = true;
    }
    check(rejected, "a negative learning_rate throws ConfigError");

    check(std::string(HYPERPARAMS_VERSION_STRING) == CONSUMER_EXPECTED_VERSION,
          "HYPERPARAMS_VERSION_STRING == the package's version (" CONSUMER_EXPECTED_VERSION ")");

    if (failures != 0) {
      return 1;
    }
    std::cout << "consumer ok: hyperparams " << HYPERPARAMS_VERSION_STRING << '\n' << text << '\n';
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "consumer: unexpected exception: " << e.what() << '\n';
    return 1;
  }
}
