// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// `key=value` overrides, as sweep agents and command lines give them:
/// `learning_rate=3e-4 optimizer=sgd optimizer.momentum=0.9 neurons=[256,128] activation=GELU`.
///
/// Each override is read by the same strict reader as a config file (types, bounds, unknown keys
/// with "did you mean"), and the result is validated as a whole once all are applied.

#include "hyperparams/json.hpp"

#include <string>
#include <vector>

namespace hyperparams {

/// Applies `key=value` overrides to `base` and returns the validated result.
///
/// Keys are field names, dotted for optimizer options (`optimizer.momentum`). Values are JSON
/// literals; a bare word is a string. Overrides that choose the optimizer or the schedule
/// (`optimizer=...`, `optimizer.name=...`, `lr_schedule=...`) are applied first, so
/// `optimizer.momentum=0.9 optimizer=sgd` works in either order; a change of optimizer resets
/// its options to that optimizer's defaults unless they are given too. The same key twice is an
/// error.
/// \throws ConfigError (source "<overrides>") with every issue; each message names the override
/// by its position ("override 2 \"optimizer.momentum=0.9\": ...").
/// Example: `hp = apply_overrides(hp, {"learning_rate=3e-4", "activation=gelu"});`
[[nodiscard]] HYPERPARAMS_INLINE HyperParams
apply_overrides(const HyperParams& base, const std::vector<std::string>& overrides);

/// The arguments of a command line split into overrides (`--set key=value`, `--set=key=value`
/// and bare `key=value`) and the others, in order; `argv[0]` is skipped.
struct SplitArguments {
  std::vector<std::string> overrides;
  std::vector<std::string> others;
};

/// \copydoc SplitArguments
[[nodiscard]] HYPERPARAMS_INLINE SplitArguments split_arguments(int argc, const char* const* argv);

} // namespace hyperparams

#ifndef HYPERPARAMS_COMPILED
#include "hyperparams/impl/overrides.hpp"
#endif
