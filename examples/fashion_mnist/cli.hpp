// SPDX-License-Identifier: MIT
// The command line that both Fashion-MNIST trainers share (fashion_mnist and
// torch_fashion_mnist), read with CLI11:
//
//   PROGRAM CONFIG.json... [key=value ...] [--root DIR] [--data DIR] [--metrics FILE.jsonl]
//           [--limit-train N] [--limit-test N] [the program's own options] [--threads N]
//
// Overrides (bare key=value, --set key=value, --set=key=value) may stand anywhere:
// hyperparams::split_arguments takes them out, in order, before CLI11 reads the rest. The usage
// line and the --help text are made from the CLI11 options' names, type names and descriptions.
// Exit status: 0 after --help (or a finished run), 1 for a bad config, dataset or run, 2 for a
// usage error (which is followed by the usage line). Several config files merge in the order
// given, each with the files it builds on ("$extends"), as `hparams show` merges them.
#pragma once

#include "idx.hpp"

#include <hyperparams/compose.hpp>
#include <hyperparams/diff.hpp>
#include <hyperparams/hyperparams.hpp>
#include <hyperparams/json.hpp>
#include <hyperparams/overrides.hpp>

#include <CLI/CLI.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace fashion_mnist::cli {

/// What both trainers take from the command line.
struct Options {
  std::vector<std::filesystem::path> configs; ///< merged in order
  std::vector<std::string> overrides;
  std::filesystem::path root; ///< where bases ("$extends") may be; empty: each file's directory
  std::filesystem::path data = default_data_dir;
  std::optional<std::filesystem::path> metrics;
  std::size_t limit_train = all_samples;
  std::size_t limit_test = all_samples;
  int threads = 0; // 0: the program's default
};

namespace detail {

inline constexpr const char* overrides_usage = "[key=value ...]";
inline constexpr const char* overrides_help =
    "override a field, e.g. learning_rate=3e-4 optimizer.momentum=0.9\n(also --set key=value)";
inline constexpr std::size_t usage_width = 90;

/// A usage error with this message (a CLI::ParseError, so that parse() reports it).
[[noreturn]] inline void usage_error(const std::string& message) {
  throw CLI::ValidationError(message);
}

inline std::size_t positive_number(const std::string& option, const std::string& text) {
  std::size_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value == 0) {
    usage_error(option + " needs a whole number >= 1, got \"" + text + "\"");
  }
  return value;
}

/// An option with one value (the last one, when given again), shown as `name type`.
inline CLI::Option* add_value(CLI::App& app, const std::string& name, const std::string& type,
                              const std::string& description,
                              std::function<void(const std::string&)> store) {
  return app.add_option_function<std::string>(name, std::move(store), description)
      ->type_name(type)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
}

inline CLI::Option* add_positive_number(CLI::App& app, const std::string& name,
                                        const std::string& description, std::size_t& value) {
  return add_value(app, name, "N", description, [&value, name](const std::string& text) {
    value = positive_number(name, text);
  });
}

inline std::vector<const CLI::Option*> options_of(const CLI::App& app, bool positional) {
  return app.get_options([&](const CLI::Option* option) {
    return option != app.get_help_ptr() && option->get_positional() == positional;
  });
}

/// `text`'s lines, the first after `label` in a column `width` wide, the others indented.
inline std::string help_row(const std::string& label, const std::string& text, std::size_t width) {
  std::string out = "  " + label + std::string(width - label.size(), ' ');
  for (const char c : text) {
    out += c;
    if (c == '\n') {
      out += std::string(width + 2, ' ');
    }
  }
  return out + "\n";
}

} // namespace detail

/// The usage line(s): `usage: NAME CONFIG.json [key=value ...] [--option VALUE] ...`.
inline std::string usage(const CLI::App& app) {
  const std::string lead = "usage: " + app.get_name() + " ";
  std::vector<std::string> words;
  for (const auto* option : detail::options_of(app, true)) {
    words.push_back(option->get_name(true));
  }
  words.emplace_back(detail::overrides_usage);
  for (const auto* option : detail::options_of(app, false)) {
    words.push_back("[" + option->get_name() + " " + option->get_type_name() + "]");
  }
  std::string out = lead;
  std::size_t line = lead.size();
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0 && line + 1 + words[i].size() > detail::usage_width) {
      out += "\n" + std::string(lead.size(), ' ');
      line = lead.size();
    } else if (i > 0) {
      out += ' ';
      ++line;
    }
    out += words[i];
    line += words[i].size();
  }
  return out + "\n";
}

/// The --help text: the usage, the program's description and one row an argument.
inline std::string help(const CLI::App& app) {
  std::vector<std::pair<std::string, std::string>> rows;
  for (const auto* option : detail::options_of(app, true)) {
    rows.emplace_back(option->get_name(true), option->get_description());
  }
  rows.emplace_back("key=value", detail::overrides_help);
  for (const auto* option : detail::options_of(app, false)) {
    rows.emplace_back(option->get_name() + " " + option->get_type_name(),
                      option->get_description());
  }
  std::size_t width = 0;
  for (const auto& row : rows) {
    width = std::max(width, row.first.size() + 2);
  }
  std::string out = usage(app) + "\n" + app.get_description() + "\n\n";
  for (const auto& [label, text] : rows) {
    out += detail::help_row(label, text, width);
  }
  return out;
}

/// CONFIG.json, --root, --data, --metrics, --limit-train and --limit-test, into `options`.
inline void add_common_options(CLI::App& app, Options& options) {
  app.allow_extras(); // parse() reports them as unknown options
  app.add_option_function<std::vector<std::string>>(
      "CONFIG.json",
      [&options](const std::vector<std::string>& files) {
        options.configs.assign(files.begin(), files.end());
      },
      "hyperparameters; several files merge in order (see `hparams show --help`)");
  detail::add_value(app, "--root", "DIR",
                    "the directory the files a config builds on (\"$extends\") must be in "
                    "(default: the directory of each config file)",
                    [&options](const std::string& dir) { options.root = dir; });
  detail::add_value(app, "--data", "DIR",
                    std::string("the dataset's IDX files (default ") + default_data_dir + ")",
                    [&options](const std::string& dir) { options.data = dir; });
  detail::add_value(app, "--metrics", "FILE.jsonl", "write one JSON line per epoch",
                    [&options](const std::string& file) { options.metrics = file; });
  detail::add_positive_number(app, "--limit-train", "train on the first N samples only",
                              options.limit_train);
  detail::add_positive_number(app, "--limit-test", "evaluate on the first N test samples only",
                              options.limit_test);
}

/// --threads N (1 to 1024; more are taken as 1024), into `options.threads`.
inline void add_threads_option(CLI::App& app, Options& options, const std::string& description) {
  detail::add_value(app, "--threads", "N", description, [&options](const std::string& text) {
    options.threads =
        static_cast<int>(std::min<std::size_t>(detail::positive_number("--threads", text), 1024));
  });
}

/// `--NAME a|b|...`: one of `choices`, into `value`.
inline void add_choice_option(CLI::App& app, const std::string& name, std::string& value,
                              const std::vector<std::string>& choices,
                              const std::string& description) {
  std::string type;
  std::string said;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    type += (i == 0 ? "" : "|") + choices[i];
    said += (i == 0 ? "" : " or ") + choices[i];
  }
  detail::add_value(app, name, type, description,
                    [&value, name, choices, said](const std::string& text) {
                      if (std::find(choices.begin(), choices.end(), text) == choices.end()) {
                        detail::usage_error(name + " is " + said + ", got \"" + text + "\"");
                      }
                      value = text;
                    });
}

/// Reads the command line into `options` (and the variables of the program's own options).
/// Returns the exit status where the program stops here: 0 after printing the help, 2 after a
/// usage error; nothing where it goes on.
inline std::optional<int> parse(CLI::App& app, Options& options, int argc, char** argv) {
  auto split = hyperparams::split_arguments(argc, argv);
  options.overrides = std::move(split.overrides);
  // CLI11 takes the arguments from the back of the vector
  std::vector<std::string> args(split.others.rbegin(), split.others.rend());
  try {
    app.parse(args);
    for (const auto& arg : app.remaining()) {
      detail::usage_error("unknown option " + arg.substr(0, arg.find('=')));
    }
    if (options.configs.empty()) {
      detail::usage_error("a config file is required");
    }
  } catch (const CLI::CallForHelp&) {
    std::printf("%s", help(app).c_str());
    return 0;
  } catch (const CLI::ParseError& error) {
    std::fprintf(stderr, "%s: %s\n%s", app.get_name().c_str(), error.what(), usage(app).c_str());
    return 2;
  }
  return std::nullopt;
}

/// A trainer's main() once its options are in `app`: parse(), then `run()`, whose exceptions
/// become a message on stderr and exit status 1.
template <typename Run>
int parse_and_run(CLI::App& app, Options& options, int argc, char** argv, Run&& run) {
  if (const auto status = parse(app, options, argc, argv)) {
    return *status;
  }
  try {
    return run();
  } catch (const hyperparams::ConfigError& error) {
    std::fprintf(stderr, "%s\n", error.what()); // its issues, one a line
  } catch (const std::exception& error) {
    std::fprintf(stderr, "%s: %s\n", app.get_name().c_str(), error.what());
  }
  return 1;
}

// ----- the parts of a run both trainers share ----------------------------------------------------

/// The config the command line asks for: the CONFIG.json files merged, with the overrides
/// applied. Prints it and its fingerprint, the first lines of a run's output. Throws ConfigError.
inline hyperparams::HyperParams load_config(const Options& options) {
  hyperparams::LoadOptions load;
  load.root = options.root;
  const hyperparams::HyperParams config =
      hyperparams::load_files(options.configs, options.overrides, load);
  std::printf("config: %s\nfingerprint: %s\n", hyperparams::to_string(config).c_str(),
              hyperparams::fingerprint(config).c_str());
  std::fflush(stdout);
  return config;
}

/// The --metrics file, emptied, its first line the run's config and fingerprint
/// (`{"config": {...}, "fingerprint": "..."}`, what `hparams report` shows); or a closed stream
/// when none was asked for.
inline std::ofstream open_metrics(const Options& options, const hyperparams::HyperParams& config) {
  std::ofstream metrics;
  if (options.metrics) {
    metrics.open(*options.metrics, std::ios::trunc);
    if (!metrics) {
      throw std::runtime_error("cannot write " + options.metrics->string());
    }
    nlohmann::ordered_json header;
    header["config"] = nlohmann::ordered_json::parse(hyperparams::dump(config));
    header["fingerprint"] = hyperparams::fingerprint(config);
    metrics << header.dump() << '\n' << std::flush;
  }
  return metrics;
}

/// What a trainer reports of one epoch.
struct EpochReport {
  std::int32_t epoch = 0; ///< 1-based
  double train_loss = 0.0;
  double test_loss = 0.0;
  double test_accuracy = 0.0;
  double learning_rate = 0.0; ///< of the epoch's last step
  double seconds = 0.0;       ///< training and evaluation
};

/// The per-epoch output of a run and its summary line: for each epoch a line for people, the
/// name=value lines that Katib's stdout metrics collector reads (epoch=, loss=, accuracy=), and
/// one JSON object on the --metrics stream (when open) with `extra` fields after the standard
/// ones; it keeps the best epoch and the time for `print_summary`.
class RunLog {
public:
  RunLog(std::int32_t epochs, std::ofstream& metrics, nlohmann::ordered_json extra = {})
      : epochs_(epochs), metrics_(metrics), extra_(std::move(extra)) {}

  void epoch(const EpochReport& r) {
    if (r.test_accuracy > best_.test_accuracy || best_.epoch == 0) {
      best_ = r;
    }
    last_ = r;
    training_seconds_ += r.seconds;
    std::printf("epoch %d/%d: train loss %.4f, test loss %.4f, test accuracy %.4f, lr %.3g, "
                "%.1f s\n",
                r.epoch, epochs_, r.train_loss, r.test_loss, r.test_accuracy, r.learning_rate,
                r.seconds);
    std::printf("epoch=%d\nloss=%.6f\naccuracy=%.4f\n", r.epoch, r.train_loss, r.test_accuracy);
    std::fflush(stdout);
    if (metrics_.is_open()) {
      nlohmann::ordered_json line;
      line["epoch"] = r.epoch;
      line["train_loss"] = r.train_loss;
      line["test_loss"] = r.test_loss;
      line["test_accuracy"] = r.test_accuracy;
      line["seconds"] = r.seconds;
      line["learning_rate"] = r.learning_rate;
      for (const auto& [key, value] : extra_.items()) {
        line[key] = value;
      }
      metrics_ << line.dump() << '\n' << std::flush;
    }
  }

  /// The best epoch, the last, and the times; `total_seconds` is the whole run's.
  void print_summary(double total_seconds) const {
    std::printf("best test accuracy %.4f at epoch %d (final %.4f); %d epochs in %.1f s "
                "(%.1f s per epoch), %.1f s in all\n",
                best_.test_accuracy, best_.epoch, last_.test_accuracy, epochs_, training_seconds_,
                training_seconds_ / epochs_, total_seconds);
  }

private:
  std::int32_t epochs_;
  std::ofstream& metrics_;
  nlohmann::ordered_json extra_;
  EpochReport best_;
  EpochReport last_;
  double training_seconds_ = 0.0;
};

/// The last line of a run: the final test accuracy of each class. Then fails when writing the
/// metrics went wrong on the way.
template <class ClassAccuracy>
void finish_run(const ClassAccuracy& class_accuracy, const std::ofstream& metrics,
                const Options& options) {
  std::printf("final test accuracy per class:");
  for (std::size_t c = 0; c < num_classes; ++c) {
    std::printf("%s %s %.2f", c == 0 ? "" : ",", std::string(class_names[c]).c_str(),
                class_accuracy[c]);
  }
  std::printf("\n");
  if (metrics.is_open() && !metrics) {
    throw std::runtime_error("error while writing " + options.metrics->string());
  }
}

} // namespace fashion_mnist::cli
