// SPDX-License-Identifier: MIT
// hparams: validate, show, compare and describe hyperparameter configs from the command line.
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
#include <hyperparams/diff.hpp>
#include <hyperparams/fields.hpp>
#include <hyperparams/json.hpp>
#include <hyperparams/overrides.hpp>
#include <hyperparams/schema.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace hp = hyperparams;

namespace {

constexpr int exit_ok = 0;
constexpr int exit_invalid = 1;
constexpr int exit_usage = 2;

hp::HyperParams load(const std::string& file, const hp::LoadOptions& options) {
  if (file == "-") {
    return hp::load_stream(std::cin, "<stdin>", options);
  }
  return hp::load_file(file, options);
}

/// Flushes standard output and returns `status`, or exit_invalid with a message when a write to
/// it failed (a full disk, a closed descriptor): a truncated result must not look like a success.
/// errno is cleared before the writes checked, so that it names their error.
int check_stdout(int status) {
  std::cout.flush();
  if (std::cout) {
    return status;
  }
  const int error = errno;
  std::cerr << "hparams: cannot write to standard output";
  if (error != 0) {
    std::cerr << ": " << std::strerror(error);
  }
  std::cerr << "\n";
  return exit_invalid;
}

/// Writes a command's whole output at once and checks it (see check_stdout). Commands build their
/// output first, so that no file is read between errno's clearing and the writes.
int emit(const std::string& text, int status) {
  errno = 0;
  std::cout << text;
  return check_stdout(status);
}

void print_issues(std::ostream& out, const hp::ConfigError& error) {
  for (const auto& issue : error.issues()) {
    out << hp::format_issue(issue, error.source()) << "\n";
  }
}

/// "Keys:" help generated from the field table, for `show --help` and `fingerprint --help`.
std::string keys_help() {
  // Quoted: unquoted, a shell globs [256,128] and brace-expands {...} before hparams sees them.
  std::string out = "Overrides are key=value (values are JSON; a bare word is a string), e.g.\n"
                    "  learning_rate=3e-4 optimizer=sgd optimizer.momentum=0.9\n"
                    "  'neurons=[256,128]' 'optimizer={\"name\":\"sgd\",\"momentum\":0.9}'\n"
                    "Quote values that hold [ ] { } or \" (as above), or the shell expands them.\n"
                    "A value means what it means at that key in a file: optimizer=sgd is SGD\n"
                    "with its defaults, optimizer.name=sgd changes the name only. A value that\n"
                    "starts like a number must be a JSON number. Two overrides of one value are\n"
                    "an error.\n"
                    "Keys:\n";
  hp::detail::for_each_field<hp::HyperParams>([&](const auto& fld) {
    std::string name(fld.name);
    name.resize(16, ' ');
    out += "  " + name + std::string(fld.doc) + "\n";
  });
  hp::detail::for_each_field<hp::HyperParams>([&](const auto& fld) {
    using T = std::decay_t<decltype(std::declval<hp::HyperParams>().*fld.member)>;
    if constexpr (hp::detail::is_options_variant<T>::value) {
      out += "Options of each " + std::string(fld.name) + " (" + std::string(fld.name) +
             ".OPTION=value):\n";
      for (std::size_t i = 0; i < std::variant_size_v<T>; ++i) {
        std::visit(
            [&](const auto& options) {
              using Options = std::decay_t<decltype(options)>;
              std::string line = "  " + std::string(hp::detail::enum_to_string(options.kind)) + ":";
              hp::detail::for_each_field<Options>(
                  [&](const auto& option) { line += " " + std::string(option.name); });
              out += line + "\n";
            },
            hp::detail::default_alternative<T>(static_cast<hp::detail::options_kind_t<T>>(i)));
      }
    }
  });
  return out;
}

int run_validate(std::ostream& out, const std::vector<std::string>& files,
                 const std::string& format, const hp::LoadOptions& options) {
  bool all_valid = true;
  nlohmann::json report = nlohmann::json::array();
  for (const auto& file : files) {
    try {
      (void)load(file, options);
      if (format == "text") {
        out << (file == "-" ? "<stdin>" : file) << ": ok\n";
      }
    } catch (const hp::ConfigError& error) {
      all_valid = false;
      if (format == "text") {
        print_issues(out, error);
        continue;
      }
      for (const auto& issue : error.issues()) {
        report.push_back(
            {{"file", error.source()},
             {"path", issue.path},
             {"code", hp::to_string(issue.code)},
             {"message", issue.message},
             {"line", issue.line == 0 ? nlohmann::json() : nlohmann::json(issue.line)},
             {"column", issue.column == 0 ? nlohmann::json() : nlohmann::json(issue.column)}});
      }
    }
  }
  if (format == "json") {
    // file names are bytes: any that are not UTF-8 are written as U+FFFD
    out << report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }
  return all_valid ? exit_ok : exit_invalid;
}

std::string shown(const std::string& value) {
  return value.empty() ? "(absent)" : value;
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"Validate, show, compare and describe hyperparameter configs (JSON)."};
  app.set_version_flag("--version", std::string("hparams ") + HYPERPARAMS_VERSION_STRING);
  app.require_subcommand(1);
  app.footer("Exit status: 0 success, 1 invalid config (or diff: different), 2 usage error.");

  hp::LoadOptions options;
  auto add_pointer = [&](CLI::App* command) {
    command->add_option("--pointer", options.pointer,
                        "JSON pointer to the config inside a larger document, e.g. /train");
  };

  std::vector<std::string> files;
  std::string format = "text";
  CLI::App* validate = app.add_subcommand("validate", "Check configs; print every issue");
  validate->add_option("files", files, "Config files (- for standard input)")->required();
  validate->add_option("--format", format, "Output: text (diagnostic lines) or json")
      ->check(CLI::IsMember({"text", "json"}));
  add_pointer(validate);

  std::string file;
  std::vector<std::string> overrides;
  CLI::App* show =
      app.add_subcommand("show", "Print the complete canonical config after overrides");
  show->add_option("file", file, "Config file (- for standard input)")->required();
  show->add_option("overrides", overrides, "key=value overrides");
  show->footer(keys_help());
  add_pointer(show);

  CLI::App* defaults = app.add_subcommand("defaults", "Print the complete default config");
  CLI::App* schema = app.add_subcommand("schema", "Print the JSON Schema (draft 2020-12)");

  std::string before_file;
  std::string after_file;
  CLI::App* diff = app.add_subcommand("diff", "Print the fields in which two configs differ");
  diff->add_option("a", before_file, "First config")->required();
  diff->add_option("b", after_file, "Second config")->required();
  add_pointer(diff);

  CLI::App* fingerprint =
      app.add_subcommand("fingerprint", "Print a stable id of the config (after overrides)");
  fingerprint->add_option("file", file, "Config file (- for standard input)")->required();
  fingerprint->add_option("overrides", overrides, "key=value overrides");
  fingerprint->footer(keys_help());
  add_pointer(fingerprint);

  const auto commands = app.get_subcommands([](CLI::App*) { return true; });
  const bool known = argc > 1 && std::any_of(commands.begin(), commands.end(),
                                             [&](CLI::App* c) { return c->get_name() == argv[1]; });
  if (argc > 1 && argv[1][0] != '-' && !known) {
    std::cerr << "hparams: unknown command \"" << argv[1]
              << "\" (commands: validate, show, defaults, schema, diff, fingerprint)\n"
              << "Run with --help for more information.\n";
    return exit_usage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    errno = 0;
    const int code = app.exit(error); // --help and --version write to stdout, errors to stderr
    return code == 0 ? check_stdout(exit_ok) : exit_usage;
  }

  std::ostringstream out;
  try {
    if (*validate) {
      const int status = run_validate(out, files, format, options);
      return emit(out.str(), status);
    }
    if (*defaults) {
      return emit(hp::dump(hp::HyperParams{}) + "\n", exit_ok);
    }
    if (*schema) {
      return emit(hp::json_schema().dump(2) + "\n", exit_ok);
    }
    if (*diff) {
      const auto differences = hp::diff(load(before_file, options), load(after_file, options));
      for (const auto& d : differences) {
        out << d.path << ": " << shown(d.before) << " -> " << shown(d.after) << "\n";
      }
      return emit(out.str(), differences.empty() ? exit_ok : exit_invalid);
    }
    const auto config = hp::apply_overrides(load(file, options), overrides);
    return emit((*show ? hp::dump(config) : hp::fingerprint(config)) + "\n", exit_ok);
  } catch (const hp::ConfigError& error) {
    print_issues(std::cerr, error);
    return exit_invalid;
  }
}
