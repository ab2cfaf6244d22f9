// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// How a trial's values are made from (space, seed, index), and nothing else: counter-based
/// random streams (Philox4x32-10, one per parameter), the transforms of their bits into values,
/// grids decoded by mixed radix per `when` branch, and shifted Sobol points. Not for users.
///
/// What is bit-for-bit: the random bits (Philox is integer arithmetic), every integer and
/// categorical value, grid points, Sobol points, `uniform` values (one `std::fma`, correctly
/// rounded everywhere, so no compiler's contraction changes them) and stepped values (decimal
/// steps exactly, from integers). `log_uniform` and `int_log_uniform` go through `std::log` and
/// `std::exp`, which libm's may round differently by one unit in the last place: the same on
/// one libm (glibc of any version since 2.28 gives the same bits), possibly one ulp apart (and,
/// rarely, an `int_log_uniform` integer one apart at a boundary) on another.

#include "hyperparams/detail/number_text.hpp"
#include "hyperparams/detail/sha256.hpp"
#include "hyperparams/detail/sobol.hpp"
#include "hyperparams/search.hpp"

#include <Random123/philox.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace hyperparams::search::detail {

inline constexpr std::size_t none = static_cast<std::size_t>(-1);

/// The key of a parameter's stream: the first 64 bits of SHA-256 of
/// "hyperparams/search/v1", the seed in decimal and the path, NUL-separated. Editing one
/// parameter, or adding one, changes no other parameter's stream.
inline std::array<std::uint32_t, 2> stream_key(std::uint64_t seed, const std::string& path) {
  std::string text = "hyperparams/search/v1";
  text += '\0';
  text += std::to_string(seed);
  text += '\0';
  text += path;
  const auto digest = sha256(text);
  std::array<std::uint32_t, 2> key{};
  for (std::size_t i = 0; i < 8; ++i) {
    key[i / 4] = (key[i / 4] << 8) | digest[i];
  }
  return key;
}

/// The 64-bit numbers of one parameter's stream for one trial: Philox4x32-10 keyed by the
/// stream key, counter {block, lane, index low, index high}; each block gives two numbers, the
/// first of words 0 (low) and 1 (high), the second of words 2 and 3. Lane 0 is the trial's
/// draws, lane 1 (index 0) the Sobol shift.
class Stream {
public:
  Stream(std::array<std::uint32_t, 2> key, std::uint64_t index, std::uint32_t lane = 0)
      : key_{{key[0], key[1]}}, lane_(lane), index_(index) {}

  std::uint64_t next() {
    if (used_ == 2) {
      const r123::Philox4x32::ctr_type counter = {{block_++, lane_,
                                                   static_cast<std::uint32_t>(index_),
                                                   static_cast<std::uint32_t>(index_ >> 32)}};
      const auto out = r123::Philox4x32()(counter, key_);
      words_[0] = (static_cast<std::uint64_t>(out[1]) << 32) | out[0];
      words_[1] = (static_cast<std::uint64_t>(out[3]) << 32) | out[2];
      used_ = 0;
    }
    return words_[used_++];
  }

private:
  r123::Philox4x32::key_type key_;
  std::uint32_t lane_;
  std::uint64_t index_;
  std::uint32_t block_ = 0;
  std::array<std::uint64_t, 2> words_{};
  std::size_t used_ = 2;
};

/// A double in [0, 1) from the top 53 bits: every value a multiple of 2^-53, equally likely.
inline double unit_interval(std::uint64_t bits) {
  return static_cast<double>(bits >> 11) * 0x1p-53;
}

/// An integer in [0, n), n >= 1, without bias: numbers below 2^64 mod n are drawn again.
inline std::uint64_t below(Stream& stream, std::uint64_t n) {
  const std::uint64_t limit = (0 - n) % n; // 2^64 mod n
  for (;;) {
    const std::uint64_t x = stream.next();
    if (x >= limit) {
      return x % n;
    }
  }
}

/// floor(fraction * n) for the 64-bit binary fraction `x` (a Sobol coordinate): the high word of
/// the 128-bit product, portably.
inline std::uint64_t scaled(std::uint64_t x, std::uint64_t n) {
  const std::uint64_t x_lo = x & 0xFFFFFFFFU;
  const std::uint64_t x_hi = x >> 32;
  const std::uint64_t n_lo = n & 0xFFFFFFFFU;
  const std::uint64_t n_hi = n >> 32;
  const std::uint64_t lo_lo = x_lo * n_lo;
  const std::uint64_t hi_lo = x_hi * n_lo;
  const std::uint64_t lo_hi = x_lo * n_hi;
  const std::uint64_t hi_hi = x_hi * n_hi;
  const std::uint64_t middle = (lo_lo >> 32) + (hi_lo & 0xFFFFFFFFU) + lo_hi;
  return hi_hi + (hi_lo >> 32) + (middle >> 32);
}

/// A stepped bound: `low + k * step` exactly as decimals when both are short decimals (0.1 +
/// 2 * 0.1 is 0.3, not 0.30000000000000004), else by one fused multiply-add.
struct StepGrid {
  double low = 0.0;
  double step = 0.0;
  double high = 0.0;
  double scale = 0.0;         ///< 10^d when decimal, else 0
  std::int64_t low_units = 0; ///< low * scale
  std::int64_t step_units = 0;
  std::uint64_t points = 0;

  StepGrid(double lo, double st, double hi) : low(lo), step(st), high(hi) {
    double p = 1.0;
    for (int d = 0; d <= 15; ++d, p *= 10.0) {
      const double l = std::nearbyint(lo * p);
      const double s = std::nearbyint(st * p);
      const double h = std::nearbyint(hi * p);
      if (l / p == lo && s / p == st && h / p == hi && std::fabs(l) < 0x1p53 &&
          std::fabs(h) < 0x1p53 && s >= 1.0) {
        scale = p;
        low_units = static_cast<std::int64_t>(l);
        step_units = static_cast<std::int64_t>(s);
        points =
            static_cast<std::uint64_t>((static_cast<std::int64_t>(h) - low_units) / step_units) + 1;
        return;
      }
    }
    const double n = std::floor((hi - lo) / st * (1.0 + 1e-12));
    points = n >= 0x1p63 ? std::uint64_t{1} << 63 : static_cast<std::uint64_t>(n) + 1;
  }

  [[nodiscard]] double at(std::uint64_t k) const {
    const double v =
        scale != 0.0
            ? static_cast<double>(low_units + static_cast<std::int64_t>(k) * step_units) / scale
            : std::fma(static_cast<double>(k), step, low);
    return std::min(v, high);
  }
};

/// What `parse_space` prepares per parameter for making its values.
struct ParameterPlan {
  std::array<std::uint32_t, 2> key{}; ///< of its stream
  std::uint64_t points = 0;           ///< values on a grid or when drawn discretely; 0: continuous
  bool discrete_draw = false;         ///< random and Sobol draw one of `points`
  std::size_t dimension = none;       ///< Sobol dimension, for what is drawn
  std::uint64_t shift = 0;            ///< Sobol digital shift
  std::optional<StepGrid> steps;
  std::vector<std::size_t> depends_on; ///< the parameters its `when` names
  bool choice = false;                 ///< a choice of options: `when` compares its name
};

/// A grid branch: one assignment of the parameters that conditions name (each a value index,
/// or `none` when inactive), and the other parameters active under it.
struct Branch {
  std::uint64_t start = 0; ///< index of its first point
  std::uint64_t size = 1;
  std::vector<std::size_t> fixed;   ///< per controller (SearchPlan::controllers)
  std::vector<std::size_t> varying; ///< parameter indices, in path order
};

} // namespace hyperparams::search::detail

namespace hyperparams::search::detail {

struct SearchPlan {
  std::vector<ParameterPlan> parameters; ///< as Space::parameters
  std::vector<std::size_t> order;        ///< every parameter after those its `when` names
  std::vector<std::size_t> controllers;  ///< named by a `when`, in `order`
  std::vector<Branch> branches;          ///< grid only
  std::uint64_t grid_size = 0;
  std::vector<SobolDimension> sobol; ///< per dimension
};

/// The value a condition compares: a choice's name, or the value itself.
inline const nlohmann::json& compared(const nlohmann::json& value, bool choice) {
  if (choice && value.is_object() && value.contains("name")) {
    return value["name"];
  }
  return value;
}

/// A number as the field holds it: a `float` field rounds it (and its canonical text is the
/// shortest that reads back as that float).
inline nlohmann::json number_value(double v, const Parameter& p) {
  if (!p.float_field) {
    return v;
  }
  std::string text;
  append_real(text, static_cast<float>(v));
  return nlohmann::json::parse(text);
}

/// The k-th of a parameter's discrete values.
inline nlohmann::json discrete_value(const Parameter& p, const ParameterPlan& plan,
                                     std::uint64_t k) {
  switch (p.distribution) {
  case Distribution::value:
    return p.values.front();
  case Distribution::values:
    return p.values[static_cast<std::size_t>(k)];
  case Distribution::uniform:
    return number_value(plan.steps->at(k), p);
  case Distribution::int_uniform:
  case Distribution::int_log_uniform: {
    const auto step = static_cast<std::uint64_t>(p.int_step.value_or(1));
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(p.int_low) + k * step);
  }
  case Distribution::log_uniform:
    break;
  }
  return nullptr;
}

/// A continuous parameter's value at `u` in [0, 1).
inline nlohmann::json continuous_value(const Parameter& p, double u) {
  switch (p.distribution) {
  case Distribution::uniform:
    return number_value(std::clamp(std::fma(p.high - p.low, u, p.low), p.low, p.high), p);
  case Distribution::log_uniform: {
    const double lo = std::log(p.low);
    const double v = std::exp(std::fma(std::log(p.high) - lo, u, lo));
    return number_value(std::clamp(v, p.low, p.high), p);
  }
  case Distribution::int_log_uniform: {
    // P(k) proportional to log((k + 1) / k): log-uniform over [low, high + 1), floored
    const double lo = std::log(static_cast<double>(p.int_low));
    const double hi = std::log(static_cast<double>(p.int_high) + 1.0);
    const double v = std::floor(std::exp(std::fma(hi - lo, u, lo)));
    return std::clamp(static_cast<std::int64_t>(v), p.int_low, p.int_high);
  }
  default:
    break;
  }
  return nullptr;
}

/// Whether parameter `i`'s conditions hold for the values chosen so far (`null`: inactive).
inline bool active(const std::vector<Parameter>& parameters, const SearchPlan& plan,
                   const std::vector<nlohmann::json>& chosen, std::size_t i) {
  const auto& when = parameters[i].when;
  for (std::size_t c = 0; c < when.size(); ++c) {
    const std::size_t j = plan.parameters[i].depends_on[c];
    if (chosen[j].is_null()) {
      return false;
    }
    const auto& value = compared(chosen[j], plan.parameters[j].choice);
    if (std::find(when[c].values.begin(), when[c].values.end(), value) == when[c].values.end()) {
      return false;
    }
  }
  return true;
}

/// The values of trial `index` (null: inactive), in `parameters` order.
inline std::vector<nlohmann::json> trial_values(const SpaceSpec& space, const SearchPlan& plan,
                                                std::uint64_t index) {
  const auto& parameters = space.parameters;
  std::vector<nlohmann::json> chosen(parameters.size());
  if (space.method == Method::grid) {
    const auto branch =
        std::upper_bound(plan.branches.begin(), plan.branches.end(), index,
                         [](std::uint64_t i, const Branch& b) { return i < b.start; }) -
        1;
    for (std::size_t c = 0; c < plan.controllers.size(); ++c) {
      if (branch->fixed[c] != none) {
        const std::size_t i = plan.controllers[c];
        chosen[i] = discrete_value(parameters[i], plan.parameters[i], branch->fixed[c]);
      }
    }
    std::uint64_t rest = index - branch->start;
    for (auto it = branch->varying.rbegin(); it != branch->varying.rend(); ++it) {
      const std::uint64_t radix = plan.parameters[*it].points;
      chosen[*it] = discrete_value(parameters[*it], plan.parameters[*it], rest % radix);
      rest /= radix;
    }
    return chosen;
  }
  for (const std::size_t i : plan.order) {
    if (!active(parameters, plan, chosen, i)) {
      continue;
    }
    const Parameter& p = parameters[i];
    const ParameterPlan& pp = plan.parameters[i];
    if (p.distribution == Distribution::value) {
      chosen[i] = p.values.front();
    } else if (space.method == Method::random) {
      Stream stream(pp.key, index);
      chosen[i] = pp.discrete_draw ? discrete_value(p, pp, below(stream, pp.points))
                                   : continuous_value(p, unit_interval(stream.next()));
    } else {
      const std::uint64_t x = plan.sobol[pp.dimension].point(index) ^ pp.shift;
      chosen[i] = pp.discrete_draw ? discrete_value(p, pp, scaled(x, pp.points))
                                   : continuous_value(p, unit_interval(x));
    }
  }
  return chosen;
}

/// Most branches a grid's `when` conditions may make (each holds its assignment).
inline constexpr std::size_t max_branches = 100000;

/// The grid branches below controller `c` (of `plan.controllers`), given the values chosen for
/// the earlier ones. False when there are too many or the grid has 2^64 points or more.
inline bool add_branches(const SpaceSpec& space, SearchPlan& plan, std::size_t c,
                         std::vector<nlohmann::json>& chosen, std::vector<std::size_t>& fixed) {
  const auto& parameters = space.parameters;
  if (c == plan.controllers.size()) {
    if (plan.branches.size() == max_branches) {
      return false;
    }
    Branch branch;
    branch.start = plan.grid_size;
    branch.fixed = fixed;
    for (std::size_t i = 0; i < parameters.size(); ++i) {
      if (std::find(plan.controllers.begin(), plan.controllers.end(), i) ==
              plan.controllers.end() &&
          active(parameters, plan, chosen, i)) {
        const std::uint64_t radix = plan.parameters[i].points;
        if (branch.size > std::numeric_limits<std::uint64_t>::max() / radix) {
          return false;
        }
        branch.size *= radix;
        branch.varying.push_back(i);
      }
    }
    if (plan.grid_size > std::numeric_limits<std::uint64_t>::max() - branch.size) {
      return false;
    }
    plan.grid_size += branch.size;
    plan.branches.push_back(std::move(branch));
    return true;
  }
  const std::size_t i = plan.controllers[c];
  bool ok = true;
  if (!active(parameters, plan, chosen, i)) {
    fixed.push_back(none);
    ok = add_branches(space, plan, c + 1, chosen, fixed);
    fixed.pop_back();
    return ok;
  }
  for (std::uint64_t k = 0; ok && k < plan.parameters[i].points; ++k) {
    chosen[i] = discrete_value(parameters[i], plan.parameters[i], k);
    fixed.push_back(static_cast<std::size_t>(k));
    ok = add_branches(space, plan, c + 1, chosen, fixed);
    fixed.pop_back();
  }
  chosen[i] = nullptr;
  return ok;
}

/// An issue of a space that only the whole of it shows: of which parameter ("" for the space)
/// and what.
struct PlanIssue {
  std::string parameter;
  IssueCode code;
  std::string message;
};

/// Prepares the making of trials: streams, grid sizes and branches, Sobol dimensions.
/// `choice[i]`: parameter i is a choice of options; `depends_on[i]`: the parameters its
/// conditions name, in `when` order; `order`: every parameter after those (no cycles).
inline std::vector<PlanIssue> build_plan(const SpaceSpec& space, const std::vector<bool>& choice,
                                         std::vector<std::vector<std::size_t>> depends_on,
                                         std::vector<std::size_t> order, SearchPlan& plan) {
  std::vector<PlanIssue> issues;
  const auto& parameters = space.parameters;
  plan.parameters.resize(parameters.size());
  plan.order = std::move(order);
  std::size_t dimensions = 0;
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    const Parameter& p = parameters[i];
    ParameterPlan& pp = plan.parameters[i];
    pp.key = stream_key(space.seed, p.path);
    pp.choice = choice[i];
    pp.depends_on = std::move(depends_on[i]);
    const auto span =
        static_cast<std::uint64_t>(p.int_high) - static_cast<std::uint64_t>(p.int_low);
    switch (p.distribution) {
    case Distribution::value:
      pp.points = 1;
      break;
    case Distribution::values:
      pp.points = p.values.size();
      pp.discrete_draw = true;
      break;
    case Distribution::uniform:
      if (p.step) {
        pp.steps.emplace(p.low, *p.step, p.high);
        pp.points = pp.steps->points;
        pp.discrete_draw = true;
      }
      break;
    case Distribution::int_uniform:
      pp.points = span / static_cast<std::uint64_t>(p.int_step.value_or(1)) + 1;
      pp.discrete_draw = true;
      break;
    case Distribution::int_log_uniform: // every integer on a grid; drawn log-uniformly
      pp.points = span + 1;
      break;
    case Distribution::log_uniform:
      break;
    }
    if (p.distribution != Distribution::value) {
      pp.dimension = dimensions++;
      pp.shift = Stream(pp.key, 0, 1).next();
    }
    if (space.method == Method::grid && pp.points == 0) {
      issues.push_back({p.path, IssueCode::inconsistent,
                        std::string("a grid needs a finite set of values, and ") +
                            std::string(to_string(p.distribution)) +
                            (p.distribution == Distribution::uniform
                                 ? " without a step has none: give a step or values"
                                 : " has none: give values (or use int_log_uniform)")});
    }
  }
  for (const std::size_t i : plan.order) {
    for (const auto& other : plan.parameters) {
      if (std::find(other.depends_on.begin(), other.depends_on.end(), i) !=
          other.depends_on.end()) {
        plan.controllers.push_back(i);
        break;
      }
    }
  }
  if (space.method == Method::sobol) {
    if (dimensions > sobol_max_dimensions) {
      issues.push_back({"", IssueCode::limit_exceeded,
                        "sobol takes at most " + std::to_string(sobol_max_dimensions) +
                            " parameters that vary, got " + std::to_string(dimensions)});
    } else {
      for (std::size_t d = 0; d < dimensions; ++d) {
        plan.sobol.emplace_back(d);
      }
    }
  }
  if (space.method == Method::grid && issues.empty()) {
    std::vector<nlohmann::json> chosen(parameters.size());
    std::vector<std::size_t> fixed;
    if (!add_branches(space, plan, 0, chosen, fixed)) {
      issues.push_back({"", IssueCode::limit_exceeded,
                        plan.branches.size() == max_branches
                            ? "the when conditions split the grid into more than " +
                                  std::to_string(max_branches) + " branches"
                            : std::string("the grid has 2^64 points or more")});
    }
  }
  return issues;
}

} // namespace hyperparams::search::detail
