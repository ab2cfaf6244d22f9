// SPDX-License-Identifier: MIT
// `hparams` for the test user struct (tests/user/run_config.hpp): what the schema agreement check
// and the CLI tests run for a user's own config.
#include "run_config.hpp"

#include <hyperparams/cli.hpp>

int main(int argc, char** argv) {
  return hyperparams::cli::main<testapp::Run>(argc, argv);
}
