// SPDX-License-Identifier: MIT
// hparams: validate, show, compare and describe hyperparameter configs from the command line.
// It is `hyperparams::cli::main` (<hyperparams/cli.hpp>) for `HyperParams`, with its examples:
//
//   hparams validate [--format text|json] [--pointer P] FILE...   every issue, or FILE: ok
//   hparams show [--pointer P] FILE [key=value...]                 the complete config
//   hparams defaults | schema
//   hparams diff [--pointer P] A B                                 the fields that differ
//   hparams fingerprint [--pointer P] FILE [key=value...]          a stable id of the config
//
// Results go to stdout, errors to stderr; "-" reads standard input. Exit status:
//   0  success (validate: every file valid; diff: equal)
//   1  an invalid config or a file that cannot be read (validate prints the issues on stdout,
//      the other commands on stderr and nothing on stdout); diff: the configs differ; a write
//      to stdout failed (a full disk), with a message
//   2  usage error
#include <hyperparams/cli.hpp>

int main(int argc, char** argv) {
  hyperparams::cli::Program program;
  program.name = "hparams";
  // Quoted: unquoted, a shell globs [256,128] and brace-expands {...} before hparams sees them.
  program.overrides_help =
      "Overrides are key=value (values are JSON; a bare word is a string), e.g.\n"
      "  learning_rate=3e-4 optimizer=sgd optimizer.momentum=0.9\n"
      "  'neurons=[256,128]' 'optimizer={\"name\":\"sgd\",\"momentum\":0.9}'\n"
      "Quote values that hold [ ] { } or \" (as above), or the shell expands them.\n"
      "A value means what it means at that key in a file: optimizer=sgd is SGD\n"
      "with its defaults, optimizer.name=sgd changes the name only. A value that\n"
      "starts like a number must be a JSON number. Two overrides of one value are\n"
      "an error.\n";
  return hyperparams::cli::main<hyperparams::HyperParams>(argc, argv, program);
}
