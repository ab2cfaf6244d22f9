// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// `LoadOptions`, declared with the loading functions in `<hyperparams/json.hpp>` (include that);
/// on its own here so that the reader can use it without the functions. Not for users.

#include <cstddef>
#include <filesystem>
#include <string>

namespace hyperparams {

/// How `parse` and `load_file` read a document.
struct LoadOptions {
  /// JSON pointer (RFC 6901) to the config object inside a larger document, e.g. "/train";
  /// "" is the whole document. Only that object is checked strictly; issue paths stay absolute.
  std::string pointer;
  /// Larger inputs are refused (limit_exceeded) before parsing.
  std::size_t max_bytes = std::size_t{1} << 20;
  /// Deeper nesting anywhere in the document is refused (limit_exceeded).
  std::size_t max_depth = 64;
  /// At most this many issues are listed; one more issue says how many were left out.
  std::size_t max_issues = 100;
  /// The directory that the files a config builds on (`"$extends"`) must be in, at any depth;
  /// a base outside it, or a symbolic link that points outside it, is an error. Empty: the
  /// directory of each file named to the loading function. For a text from memory (`parse`,
  /// `load_stream`) it is also where its bases are found; empty there, a text cannot build on
  /// files.
  std::filesystem::path root;
  /// A chain of bases longer than this (a file, its base, its base's base, ...) is refused.
  std::size_t max_extends_depth = 16;
  /// A config built on more files than this, in all, is refused.
  std::size_t max_files = 256;
};

} // namespace hyperparams
