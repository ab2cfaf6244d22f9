// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// A command line for any described config, in one call (needs CLI11, Debian's libcli11-dev):
///
///     int main(int argc, char** argv) { return hyperparams::cli::main<app::Run>(argc, argv); }
///
/// gives the commands of `hparams` for your struct:
///
///     PROGRAM validate [--format text|json] [--pointer P] FILE...   every issue, or FILE: ok
///     PROGRAM show [--pointer P] [--origin] FILE... [key=value...]   the complete config
///     PROGRAM defaults | schema
///     PROGRAM diff [--pointer P] A B                                 the fields that differ
///     PROGRAM fingerprint [--pointer P] FILE... [key=value...]       a stable id of the config
///     PROGRAM sample SPACE --trial I | --out DIR [-n N] | --list      trials of a search space
///     PROGRAM sweep SPACE [--jobs N] [--trials A-B] --out DIR -- TRAINER {config} [args]
///     PROGRAM export SPACE --to wandb|katib|optuna [--trial-index] [-- TRAINER {config}]
///     PROGRAM report RUN.jsonl... | SWEEP_DIR -o report.html          one self-contained page
///
/// `show --help` lists every key (dotted for nested structs) with its documentation, type,
/// bounds and default. Several files merge in the order given, each with the files it builds on
/// (`"$extends"`, see `<hyperparams/compose.hpp>`), and the overrides apply last; an argument
/// with '=' is an override. `show --origin` prints each value with the file:line:column (or the
/// override) it came from. Results go to stdout, errors to stderr; "-" reads standard input. Exit
/// status: 0 success (validate: every file valid; diff: equal); 1 an invalid config or a file
/// that cannot be read (validate prints the issues on stdout, the other commands on stderr),
/// diff: the configs differ, or a write to stdout failed; 2 a usage error; sweep: 1 some trial
/// failed, 3 interrupted. `hparams` is this call for `HyperParams`. The search commands need
/// Random123 (Debian's librandom123-dev) and, for `sweep`, POSIX.

#include "hyperparams/compose.hpp"
#include "hyperparams/detail/member_types.hpp"
#include "hyperparams/detail/text_sink.hpp"
#include "hyperparams/diff.hpp"
#include "hyperparams/impl/cli_report.hpp"
#include "hyperparams/impl/cli_search.hpp"
#include "hyperparams/json.hpp"
#include "hyperparams/overrides.hpp"
#include "hyperparams/schema.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace hyperparams::cli {

/// What a program says about itself.
struct Program {
  std::string name; ///< in messages and `--version`; empty: the file name of argv[0]
  std::string description = "Validate, show, compare and describe hyperparameter configs (JSON).";
  std::string version = HYPERPARAMS_VERSION_STRING; ///< `--version` prints "NAME VERSION"
  /// Shown before the keys in `show --help` and `fingerprint --help`: how to write overrides,
  /// with examples of yours. Empty: the general rule only.
  std::string overrides_help;
};

namespace detail {

using namespace hyperparams::detail;

inline constexpr int exit_ok = 0;
inline constexpr int exit_invalid = 1;
inline constexpr int exit_usage = 2;

/// Flushes standard output and returns `status`, or exit_invalid with a message when a write to
/// it failed (a full disk, a closed descriptor): a truncated result must not look like a success.
/// errno is cleared before the writes checked, so that it names their error.
inline int check_stdout(const Program& program, int status) {
  std::cout.flush();
  if (std::cout) {
    return status;
  }
  const int error = errno;
  std::cerr << program.name << ": cannot write to standard output";
  if (error != 0) {
    std::cerr << ": " << std::strerror(error);
  }
  std::cerr << "\n";
  return exit_invalid;
}

/// Writes a command's whole output at once and checks it (see check_stdout). Commands build their
/// output first, so that no file is read between errno's clearing and the writes.
inline int emit(const Program& program, const std::string& text, int status) {
  errno = 0;
  std::cout << text;
  return check_stdout(program, status);
}

inline void print_issues(std::ostream& out, const ConfigError& error) {
  for (const auto& issue : error.issues()) {
    out << format_issue(issue, error.source()) << "\n";
  }
}

template <class T>
T load(const std::string& file, const LoadOptions& options) {
  if (file == "-") {
    return load_stream<T>(std::cin, "<stdin>", options);
  }
  return load_file<T>(file, options);
}

/// The default of a value as compact JSON (what `show` would print for it).
template <class V>
std::string default_text(const V& value) {
  std::string out;
  TextSink sink(out, false);
  emit_value(value, sink);
  return out;
}

/// A key of the help: its dotted name, documentation, and type, bounds and default.
struct KeyHelp {
  std::string key;
  std::string doc;
  std::string about;
};

/// The keys of `S` and the keys below them, and the options of each choice.
template <class S>
void keys_of(const S& defaults, const std::string& prefix, std::vector<KeyHelp>& out,
             std::string& choices) {
  for_each_field<S>([&](const auto& fld) {
    using V = member_t<decltype(fld)>;
    using M = MemberType<V>;
    const std::string key = prefix + std::string(fld.name);
    const auto& value = defaults.*fld.member;
    if constexpr (M::shape == Shape::structure) {
      keys_of(value, key + ".", out, choices);
    } else {
      std::string about = M::expected();
      const Range range = effective_range<V>(fld.range);
      const Range type_range = effective_range<V>(Range{});
      if (range.min != type_range.min || range.max != type_range.max || range.min_exclusive ||
          range.max_exclusive) {
        about += ", " + bounds_text(range);
      }
      if (fld.is_required) {
        about += "; required";
      } else if constexpr (M::shape == Shape::choice) {
        about += "; default " + std::string(enum_to_string(kind_of(value)));
      } else {
        about += "; default " + default_text(value);
      }
      out.push_back(KeyHelp{key, std::string(fld.doc), std::move(about)});
      if constexpr (M::shape == Shape::choice) {
        choices += "Options of each " + key + " (" + key + ".OPTION=value):\n";
        for (std::size_t i = 0; i < std::variant_size_v<V>; ++i) {
          std::visit(
              [&](const auto& options) {
                using Options = std::decay_t<decltype(options)>;
                std::string line = "  " + std::string(enum_to_string(options.kind)) + ":";
                for_each_field<Options>(
                    [&](const auto& option) { line += " " + std::string(option.name); });
                choices += line + "\n";
              },
              default_alternative<V>(static_cast<options_kind_t<V>>(i)));
        }
      }
    }
  });
}

/// The footer of `show --help` and `fingerprint --help`: how to write overrides, then every key.
template <class T>
std::string keys_help(const Program& program) {
  // Quoted: unquoted, a shell globs [256,128] and brace-expands {...} before it sees them.
  std::string out =
      program.overrides_help.empty()
          ? "Overrides are key=value (values are JSON; a bare word is a string);\n"
            "dotted keys reach into nested objects (a.b=1). Quote values that hold\n"
            "[ ] { } or \", or the shell expands them. A value means what it means at\n"
            "that key in a file. A value that starts like a number must be a JSON\n"
            "number. Two overrides of one value are an error.\n"
          : program.overrides_help;
  std::vector<KeyHelp> keys;
  std::string choices;
  keys_of(T{}, "", keys, choices);
  std::size_t width = 16;
  for (const auto& k : keys) {
    width = std::max(width, k.key.size() + 2);
  }
  out += "Keys:\n";
  for (const auto& k : keys) {
    std::string name = k.key;
    name.resize(width, ' ');
    out += "  " + name + k.doc + "\n  " + std::string(width, ' ') + k.about + "\n";
  }
  return out + choices;
}

inline std::string shown(const std::string& value) {
  return value.empty() ? "(absent)" : value;
}

template <class T>
int run_validate(std::ostream& out, const std::vector<std::string>& files,
                 const std::string& format, const LoadOptions& options) {
  bool all_valid = true;
  nlohmann::json report = nlohmann::json::array();
  for (const auto& file : files) {
    try {
      (void)load<T>(file, options);
      if (format == "text") {
        out << (file == "-" ? "<stdin>" : file) << ": ok\n";
      }
    } catch (const ConfigError& error) {
      all_valid = false;
      if (format == "text") {
        print_issues(out, error);
        continue;
      }
      for (const auto& issue : error.issues()) {
        report.push_back(
            {{"file", issue.source.empty() ? error.source() : issue.source},
             {"path", issue.path},
             {"code", to_string(issue.code)},
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

} // namespace detail

/// The command line of `hparams`, for config struct `T` (see the file's comment).
template <class T>
int main(int argc, char** argv, Program program = {}) {
  using namespace detail;
  if (program.name.empty()) {
    const std::string path = argc > 0 ? argv[0] : "";
    program.name = path.substr(path.find_last_of('/') + 1);
  }
  CLI::App app{program.description};
  app.set_version_flag("--version", program.name + " " + program.version);
  app.require_subcommand(1);
  app.footer("Exit status: 0 success, 1 invalid config (or diff: different), 2 usage error.");

  LoadOptions options;
  auto add_pointer = [&](CLI::App* command) {
    command->add_option("--pointer", options.pointer,
                        "JSON pointer to the config inside a larger document, e.g. /train");
    command->add_option("--root", options.root,
                        "Directory that the files a config builds on (\"$extends\") must be "
                        "in (default: the directory of each file given)");
  };

  std::vector<std::string> files;
  std::string format = "text";
  CLI::App* validate = app.add_subcommand("validate", "Check configs; print every issue");
  validate->add_option("files", files, "Config files (- for standard input)")->required();
  validate->add_option("--format", format, "Output: text (diagnostic lines) or json")
      ->check(CLI::IsMember({"text", "json"}));
  add_pointer(validate);

  std::vector<std::string> config_args; // files, then key=value overrides
  bool origin = false;
  CLI::App* show =
      app.add_subcommand("show", "Print the complete canonical config after overrides");
  show->add_option("files", config_args,
                   "Config files, merged in order (- for standard input), then key=value "
                   "overrides")
      ->required();
  show->add_flag("--origin", origin,
                 "Print each value with the file:line:column or the override it came from");
  show->footer([&] { return keys_help<T>(program); });
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
  fingerprint
      ->add_option("files", config_args,
                   "Config files, merged in order (- for standard input), then key=value "
                   "overrides")
      ->required();
  fingerprint->footer([&] { return keys_help<T>(program); });
  add_pointer(fingerprint);

  SearchCommands<T> search;
  search.add(app);
  ReportCommand report_command;
  report_command.add(app);

  const auto commands = app.get_subcommands([](CLI::App*) { return true; });
  const bool known = argc > 1 && std::any_of(commands.begin(), commands.end(),
                                             [&](CLI::App* c) { return c->get_name() == argv[1]; });
  if (argc > 1 && argv[1][0] != '-' && !known) {
    std::cerr << program.name << ": unknown command \"" << argv[1]
              << "\" (commands: validate, show, defaults, schema, diff, fingerprint, sample, "
                 "sweep, export, report)\n"
              << "Run with --help for more information.\n";
    return exit_usage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    errno = 0;
    const int code = app.exit(error); // --help and --version write to stdout, errors to stderr
    return code == 0 ? check_stdout(program, exit_ok) : exit_usage;
  }

  std::ostringstream out;
  try {
    if (*validate) {
      const int status = run_validate<T>(out, files, format, options);
      return emit(program, out.str(), status);
    }
    if (*defaults) {
      return emit(program, dump(T{}) + "\n", exit_ok);
    }
    if (*schema) {
      return emit(program, json_schema<T>().dump(2) + "\n", exit_ok);
    }
    if (*diff) {
      const auto differences =
          hyperparams::diff(load<T>(before_file, options), load<T>(after_file, options));
      for (const auto& d : differences) {
        out << d.path << ": " << shown(d.before) << " -> " << shown(d.after) << "\n";
      }
      return emit(program, out.str(), differences.empty() ? exit_ok : exit_invalid);
    }
    if (const auto status = search.run(program.name, out)) {
      return emit(program, out.str(), *status);
    }
    if (const auto status = report_command.run(program.name)) {
      return *status;
    }
    std::vector<std::filesystem::path> config_files;
    std::vector<std::string> overrides;
    for (const auto& arg : config_args) {
      if (arg.find('=') != std::string::npos) {
        overrides.push_back(arg);
      } else {
        config_files.emplace_back(arg);
      }
    }
    if (config_files.empty()) {
      std::cerr << program.name << ": a config file is required (an argument with '=' is an "
                << "override)\nRun with --help for more information.\n";
      return exit_usage;
    }
    const auto resolved = resolve_files<T>(config_files, overrides, options);
    if (*show) {
      return emit(program, origin ? format_origins(resolved.origins) : dump(resolved.value) + "\n",
                  exit_ok);
    }
    return emit(program, hyperparams::fingerprint(resolved.value) + "\n", exit_ok);
  } catch (const ConfigError& error) {
    print_issues(std::cerr, error);
    return exit_invalid;
  } catch (const sweep::SweepError& error) {
    std::cerr << program.name << ": " << error.what() << "\n";
    return exit_invalid;
  } catch (const std::out_of_range& error) { // a trial past the end of a space
    std::cerr << program.name << ": " << error.what() << "\n";
    return exit_usage;
  } catch (const CLI::ValidationError& error) {
    std::cerr << program.name << ": " << error.what() << "\n";
    return exit_usage;
  } catch (const std::filesystem::filesystem_error& error) { // a directory it cannot make
    std::cerr << program.name << ": " << error.what() << "\n";
    return exit_invalid;
  } catch (const std::invalid_argument& error) { // what an engine cannot take (export)
    std::cerr << program.name << ": " << error.what() << "\n";
    return exit_invalid;
  }
}

} // namespace hyperparams::cli
