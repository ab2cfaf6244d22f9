// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Definitions of the functions `<hyperparams/hyperparams.hpp>` declares: included by that header
/// (header-only) or compiled once into the library (`HYPERPARAMS_COMPILED`). Not for users.

#include "hyperparams/detail/member_types.hpp"
#include "hyperparams/detail/text_sink.hpp"
#include "hyperparams/fields.hpp"
#include "hyperparams/impl/core_api.hpp"

namespace hyperparams {

namespace detail {

HYPERPARAMS_INLINE void sgd_rules(const SgdOptions& o, Rules& out) {
  if (o.nesterov && (o.momentum <= 0.0 || o.dampening != 0.0)) {
    out.fail("/nesterov", "Nesterov momentum needs momentum > 0 and dampening = 0, got momentum " +
                              number_text(o.momentum) + " and dampening " +
                              number_text(o.dampening));
  }
}

/// The rules between the fields of `HyperParams`.
HYPERPARAMS_INLINE void hyperparams_rules(const HyperParams& hp, Rules& out) {
  if (const auto* list = std::get_if<std::vector<std::int32_t>>(&hp.neurons)) {
    if (list->size() != static_cast<std::size_t>(hp.layers)) {
      out.fail("/neurons", "lists " + std::to_string(list->size()) + " width" +
                               (list->size() == 1 ? "" : "s") + " but layers is " +
                               std::to_string(hp.layers) +
                               "; give one width per layer, or one number for every layer");
    }
  }
  std::visit(
      [&](const auto& schedule) {
        if (schedule.warmup_epochs >= hp.epochs) {
          out.fail("/lr_schedule/warmup_epochs", "must be less than epochs (" +
                                                     std::to_string(hp.epochs) + "), got " +
                                                     number_text(schedule.warmup_epochs));
        }
        if constexpr (std::is_same_v<std::decay_t<decltype(schedule)>, CosineSchedule>) {
          if (schedule.min_lr > hp.learning_rate) {
            out.fail("/lr_schedule/min_lr", "must be at most learning_rate (" +
                                                number_text(hp.learning_rate) + "), got " +
                                                number_text(schedule.min_lr));
          }
        }
      },
      hp.lr_schedule);
}
} // namespace detail

HYPERPARAMS_INLINE std::string format_issue(const Issue& issue, std::string_view source) {
  std::string out(issue.source.empty() ? source : std::string_view(issue.source));
  if (issue.line != 0) {
    out += ':';
    out += std::to_string(issue.line);
    out += ':';
    out += std::to_string(issue.column);
  }
  out += ": error: ";
  if (!issue.path.empty()) {
    out += detail::truncate_utf8(issue.path);
    out += ": ";
  }
  out += issue.message;
  out += " [";
  out += to_string(issue.code);
  out += ']';
  return out;
}
HYPERPARAMS_INLINE std::string ConfigError::render(const std::vector<Issue>& issues,
                                                   const std::string& source) {
  std::string out;
  for (const auto& issue : issues) {
    if (!out.empty()) {
      out += '\n';
    }
    out += format_issue(issue, source);
  }
  return out.empty() ? source + ": error: invalid config" : out;
}

HYPERPARAMS_INLINE std::vector<Issue> validate(const HyperParams& hp) {
  std::vector<Issue> issues;
  detail::validate_into(hp, "", issues);
  return issues;
}

HYPERPARAMS_INLINE double learning_rate_at(const HyperParams& hp, double epoch) {
  return std::visit(
      [&](const auto& schedule) -> double {
        using Schedule = std::decay_t<decltype(schedule)>;
        const double base = hp.learning_rate;
        const double at = epoch > 0.0 ? epoch : 0.0; // before 0 (or NaN): the start
        if (at < schedule.warmup_epochs) {
          return base * at / schedule.warmup_epochs;
        }
        double t = at - schedule.warmup_epochs; // epochs since the warmup
        if (const double whole = std::round(t);
            std::fabs(t - whole) <= 1e-9 * std::max(1.0, whole)) {
          t = whole; // 1.9999999999999998 (2.3 - 0.3) is epoch 2
        }
        if constexpr (std::is_same_v<Schedule, StepSchedule>) {
          return base * std::pow(schedule.gamma, std::floor(t / schedule.step_size));
        } else if constexpr (std::is_same_v<Schedule, ExponentialSchedule>) {
          return base * std::pow(schedule.gamma, std::floor(t));
        } else if constexpr (std::is_same_v<Schedule, CosineSchedule>) {
          const double span = static_cast<double>(hp.epochs) - schedule.warmup_epochs;
          const double progress = span > 0.0 ? std::min(t / span, 1.0) : 1.0;
          constexpr double pi = 3.14159265358979323846;
          return schedule.min_lr + (base - schedule.min_lr) * 0.5 * (1.0 + std::cos(pi * progress));
        } else {
          return base;
        }
      },
      hp.lr_schedule);
}

HYPERPARAMS_INLINE double learning_rate_at_step(const HyperParams& hp, std::uint64_t epoch_index,
                                                std::uint64_t step, std::uint64_t steps_per_epoch) {
  if (steps_per_epoch == 0 || step >= steps_per_epoch) {
    throw std::invalid_argument("learning_rate_at_step: step " + std::to_string(step) +
                                " of an epoch of " + std::to_string(steps_per_epoch) + " steps");
  }
  // (e * n + s) / n rounds once, so a step that starts or ends where the warmup does gives the
  // same double as warmup_epochs
  const auto n = static_cast<double>(steps_per_epoch);
  const double first = static_cast<double>(epoch_index) * n + static_cast<double>(step);
  const double start = first / n;
  const double warmup = std::visit([](const auto& s) { return s.warmup_epochs; }, hp.lr_schedule);
  if (start < warmup) {
    return learning_rate_at(hp, std::min((first + 1.0) / n, warmup));
  }
  return learning_rate_at(hp, start);
}

HYPERPARAMS_INLINE void check(const HyperParams& hp, std::string_view source) {
  auto issues = validate(hp);
  if (!issues.empty()) {
    throw ConfigError(std::move(issues), std::string(source));
  }
}

HYPERPARAMS_INLINE std::string to_string(const HyperParams& hp) {
  return detail::to_json_text(hp, false);
}

} // namespace hyperparams
