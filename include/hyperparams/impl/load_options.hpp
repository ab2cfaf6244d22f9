// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// `LoadOptions`, declared with the loading functions in `<hyperparams/json.hpp>` (include that);
/// on its own here so that the reader can use it without the functions. Not for users.

#include <cstddef>
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
};

} // namespace hyperparams
