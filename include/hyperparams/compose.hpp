// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Configs that build on each other, and where each value came from.
///
/// A config file names the files it builds on with `"$extends"`: a path, or a list of paths,
/// relative to the file. `load_file` and `parse` resolve it for every config (see
/// `<hyperparams/json.hpp>`); this header adds several files given at once, overrides on top,
/// and the origin of every value:
///
///     // cnn_big.json: {"$extends": "cnn_base.json", "layers": 8, "neurons": 256}
///     auto run = hyperparams::load_files({"cnn_big.json", "lr_sweep_7.json"}, {"epochs=3"});
///     auto resolved = hyperparams::resolve_files({"cnn_big.json"}, {"epochs=3"});
///     for (const auto& v : resolved.origins) std::cout << to_string(v.origin) << "\t" << v.key;
///
/// The merge, in five rules: bases apply before the file that names them, in the order named
/// (a base once, where it first applies), and files given together apply in the order given;
/// objects merge key by key, at any depth, maps too; a scalar or a list replaces what was there;
/// a choice of options (the optimizer) that names another alternative starts from that
/// alternative's defaults, one that names the same one (or no name) keeps its options; `key=value`
/// overrides apply last.
///
/// Every issue is located in the file that supplied the value (`Issue::source`): a bad value in
/// a base is reported in the base, an unknown key in the variant in the variant. Each file must
/// be valid on its own (types, bounds, known keys); required keys and the rules between fields
/// are checked once, on the result. Bases are read only inside `LoadOptions::root` (by default
/// the directory of each file given, and below): a base outside it, or a symbolic link out of it,
/// is an error that reads and quotes nothing of it. A cycle, a missing file and a chain deeper
/// than `LoadOptions::max_extends_depth` are errors naming the files. The result is complete: it
/// needs no other file (`dump` it).

#include "hyperparams/json.hpp"
#include "hyperparams/overrides.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace hyperparams {

/// Where one value of a resolved config came from.
struct Origin {
  enum class Kind : std::uint8_t {
    default_value, ///< no file and no override gave it
    file,          ///< `file`, at `line` and `column`
    override_value ///< the override at `override_position` (1-based), `override_text`
  };
  Kind kind = Kind::default_value;
  std::string file;
  std::size_t line = 0;
  std::size_t column = 0;
  std::size_t override_position = 0;
  std::string override_text;
};

/// "configs/base.json:3:14", "override 2 (epochs=3)" or "default".
[[nodiscard]] inline std::string to_string(const Origin& origin) {
  switch (origin.kind) {
  case Origin::Kind::file:
    return origin.file + ":" + std::to_string(origin.line) + ":" + std::to_string(origin.column);
  case Origin::Kind::override_value:
    return "override " + std::to_string(origin.override_position) + " (" + origin.override_text +
           ")";
  case Origin::Kind::default_value:
    break;
  }
  return "default";
}

/// One value of a resolved config: a scalar, a list, or an empty object or map.
struct ValueOrigin {
  std::string pointer; ///< JSON pointer: "/optimizer/momentum"
  std::string key;     ///< as an override writes it: "optimizer.momentum"
  std::string value;   ///< compact canonical JSON: "0.9"
  Origin origin;
};

/// A config resolved from files and overrides, and where each of its values came from.
template <class T>
struct Resolved {
  T value;
  std::vector<std::string> files;   ///< every file read, in the order applied
  std::vector<ValueOrigin> origins; ///< every value, in the canonical order of `dump`
};

/// The config that `files` (each with its bases) and then `overrides` make, and the origin of
/// each of its values. A file "-" is standard input (a text from memory: its bases are found in
/// `options.root`).
/// \throws ConfigError with every issue, each located in its file (`Issue::source`).
template <class T = HyperParams, std::enable_if_t<detail::is_config_struct<T>, int> = 0>
[[nodiscard]] Resolved<T> resolve_files(const std::vector<std::filesystem::path>& files,
                                        const std::vector<std::string>& overrides = {},
                                        const LoadOptions& options = {});

/// `resolve_files(files, overrides, options).value`.
template <class T = HyperParams, std::enable_if_t<detail::is_config_struct<T>, int> = 0>
[[nodiscard]] T load_files(const std::vector<std::filesystem::path>& files,
                           const std::vector<std::string>& overrides = {},
                           const LoadOptions& options = {});

/// The lines of `show --origin`: each value's key and value, and where it came from, in
/// aligned columns (`optimizer.momentum = 0.9    configs/base.json:4:17`).
[[nodiscard]] inline std::string format_origins(const std::vector<ValueOrigin>& origins);

} // namespace hyperparams

#include "hyperparams/impl/compose.hpp"
