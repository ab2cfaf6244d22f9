// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// `diff(a, b)`: the fields two configs differ in, as JSON pointers with both values; and
/// `fingerprint(hp)`: a stable id of a config for naming runs and caching. Both are generated
/// from the descriptions; standard library only.

#include "hyperparams/hyperparams.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace hyperparams {

/// One field in which two configs differ. Values are compact JSON text; empty when the field
/// does not exist on that side (an option of another optimizer).
struct Difference {
  std::string path;
  std::string before;
  std::string after;
};

inline bool operator==(const Difference& a, const Difference& b) {
  return a.path == b.path && a.before == b.before && a.after == b.after;
}

/// The fields in which `a` and `b` differ, as JSON pointers with compact JSON values
/// (`{"/learning_rate", "0.001", "0.0003"}`), in table order (options only `b` has come last).
/// Empty when `a == b`. When the optimizers differ, "/optimizer/name" differs and each option
/// of only one side has an empty other side.
[[nodiscard]] HYPERPARAMS_INLINE std::vector<Difference> diff(const HyperParams& a,
                                                              const HyperParams& b);

/// A stable id of a config: the first 16 hex digits (64 bits) of the SHA-256 of its canonical
/// text (`dump(hp)`). The same config gives the same id on every platform and in every run;
/// configs that load equal (`32` and `32.0`, `"GELU"` and `"gelu"`) get the same id.
[[nodiscard]] HYPERPARAMS_INLINE std::string fingerprint(const HyperParams& hp);

/// `diff` for any described struct; paths reach into nested structs, maps (keys escaped as
/// RFC 6901 says) and variants; a list is one leaf.
template <class T, std::enable_if_t<detail::is_config_struct<T>, int> = 0>
[[nodiscard]] std::vector<Difference> diff(const T& a, const T& b);

/// `fingerprint` for any described struct: of its canonical text.
template <class T, std::enable_if_t<detail::is_config_struct<T>, int> = 0>
[[nodiscard]] std::string fingerprint(const T& value);

} // namespace hyperparams

#include "hyperparams/impl/diff.hpp"
