// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// `key=value` overrides, as sweep agents and command lines give them:
/// `learning_rate=3e-4 optimizer=sgd optimizer.momentum=0.9 'neurons=[256,128]' activation=GELU`.
///
/// Each override is read by the same strict reader as a config file (types, bounds, unknown keys
/// with "did you mean"), and the result is validated as a whole once all are applied.

#include "hyperparams/json.hpp"

#include <string>
#include <vector>

namespace hyperparams {

/// Applies `key=value` overrides to `base` and returns the validated result.
///
/// A value means what it means at that key in a file, with the same checks. Keys are field
/// names, dotted for the options of the optimizer and the schedule (`optimizer.momentum`).
/// Values are JSON; a bare word is a string, but one that starts like a number must be a JSON
/// number. `optimizer=...` sets the whole optimizer (options not given take its defaults; an
/// object without "name" is the default optimizer); a dotted key changes one part and keeps
/// the rest (`optimizer.name=sgd` keeps the options when the optimizer stays the same).
/// Overrides that choose the optimizer or the schedule are applied first, so
/// `optimizer.momentum=0.9 optimizer=sgd` works in either order. Two overrides that set the same
/// value, however spelled (`optimizer.name=sgd optimizer=adam`), are a duplicate_key. At most
/// `LoadOptions{}.max_issues` issues are listed, plus a count.
/// \throws ConfigError (source "<overrides>") with every issue; each message names the override
/// by its position ("override 2 \"optimizer.momentum=0.9\": ...").
/// Example: `hp = apply_overrides(hp, {"learning_rate=3e-4", "activation=gelu"});`
[[nodiscard]] HYPERPARAMS_INLINE HyperParams
apply_overrides(const HyperParams& base, const std::vector<std::string>& overrides);

/// `apply_overrides` for any described struct: dotted keys reach into nested structs
/// (`train.optimizer.momentum=0.9`), maps (`loss_weights.kl=0.5` adds or changes one entry) and
/// choices of options; a value replaces a struct, a list, a map or a choice whole, as in a file.
template <class T, std::enable_if_t<detail::is_config_struct<T>, int> = 0>
[[nodiscard]] T apply_overrides(const T& base, const std::vector<std::string>& overrides);

/// The arguments of a command line split into overrides (`--set key=value`, `--set=key=value`
/// and bare `key=value`) and the others, in order; `argv[0]` is skipped.
struct SplitArguments {
  std::vector<std::string> overrides;
  std::vector<std::string> others;
};

/// \copydoc SplitArguments
[[nodiscard]] HYPERPARAMS_INLINE SplitArguments split_arguments(int argc, const char* const* argv);

} // namespace hyperparams

#include "hyperparams/impl/overrides.hpp"
