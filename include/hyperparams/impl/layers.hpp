// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The files a config builds on (`"$extends"`), found and put in the order they apply: bases
/// before the files that name them, each file once, only inside the root, with located issues
/// for a cycle, a missing file, a base outside the root and a chain deeper than the limit. No
/// struct is read here (impl/layered_read.hpp reads the layers). Declarations: the definitions
/// are in impl/layers_resolve.hpp (header-only) or in the compiled library. Not for users.

#include "hyperparams/impl/core_api.hpp"
#include "hyperparams/impl/load_options.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace hyperparams::detail {

/// One file of a layered config.
struct LayerFile {
  std::string source; ///< its name in messages: as given, or as the file that names it names it
  std::string text;
  /// Where the names in its `"$extends"` are relative to; empty: a text from memory, which has
  /// no directory (unless `LoadOptions::root` gives one).
  std::filesystem::path directory;
  std::filesystem::path root;     ///< bases are read only inside it (canonical)
  std::string pointer;            ///< where its config is: the top file's pointer; "" for a base
  std::filesystem::path identity; ///< canonical path (cycles, and each file once); empty: text
};

/// The files of a layered config in the order they apply, and the issues of finding them.
struct LayerSet {
  std::vector<LayerFile> files;
  std::vector<Issue> issues;
};

/// A top file of a layered config: a file the user names (`file`; its directory is its root),
/// or a text from memory (`file` null: its root and directory are `LoadOptions::root`, or none).
[[nodiscard]] HYPERPARAMS_INLINE LayerFile top_layer(std::string source, std::string text,
                                                     const std::filesystem::path* file,
                                                     const LoadOptions& options);

/// The files `tops` build on and the tops themselves, in the order they apply (see the file's
/// comment), with the issues of finding them.
[[nodiscard]] HYPERPARAMS_INLINE LayerSet resolve_layers(std::vector<LayerFile> tops,
                                                         const LoadOptions& options);

} // namespace hyperparams::detail

#ifndef HYPERPARAMS_COMPILED
#include "hyperparams/impl/layers_resolve.hpp" // the definitions, header-only
#endif
