// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The axes of `hparams report`'s plots: a value's position along an axis (linear, log or
/// categories) and the ticks people read it by, 1-2-5 steps on linear axes and decades (1e-4,
/// 1e-3, ...) on log ones. Std-only. Not for users: `<hyperparams/report.hpp>`.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace hyperparams::report {

/// How an axis places values: evenly, by their logarithm, or as named categories.
enum class Scale { linear, log, categorical };

/// The name of a scale, as sweep.json and the SVG write it: "linear", "log", "categorical".
[[nodiscard]] inline std::string_view to_string(Scale scale) {
  return scale == Scale::log ? "log" : scale == Scale::categorical ? "categorical" : "linear";
}

namespace detail {

/// A tick of an axis: its value and the label printed at it.
struct Tick {
  double value = 0.0;
  std::string label;
};

/// A number as people read it on an axis or in a table: up to `digits` significant digits,
/// no trailing zeros, and exponent form (3e-4) for the very small and large.
inline std::string number_text(double value, int digits = 4) {
  if (!std::isfinite(value)) {
    return std::isnan(value) ? "NaN" : (value > 0 ? "inf" : "-inf");
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
  std::string text = buffer;
  const auto e = text.find('e');
  if (e != std::string::npos) { // 3e-04 -> 3e-4, 1.5e+06 -> 1.5e6
    std::string mantissa = text.substr(0, e);
    std::string exponent = text.substr(e + 1);
    const bool negative = exponent[0] == '-';
    exponent.erase(0, exponent.find_first_not_of("+-0"));
    text = mantissa + "e" + (negative ? "-" : "") + (exponent.empty() ? "0" : exponent);
  }
  return text == "-0" ? "0" : text;
}

/// A decade's label: 1e-4 ... 1e-1, then 1, 10, 100, then 1e3 ... (as the exponent says it).
inline std::string decade_text(int exponent) {
  switch (exponent) {
  case 0:
    return "1";
  case 1:
    return "10";
  case 2:
    return "100";
  default:
    return "1e" + std::to_string(exponent);
  }
}

/// A value of a log axis that is m times a decade (m in 1..9): "2e-4", "20", "500".
inline std::string log_tick_text(int mantissa, int exponent) {
  if (mantissa == 1) {
    return decade_text(exponent);
  }
  if (exponent >= 0 && exponent <= 2) {
    return std::to_string(mantissa) + std::string(static_cast<std::size_t>(exponent), '0');
  }
  return std::to_string(mantissa) + "e" + std::to_string(exponent);
}

/// The step of about `count` ticks over `span`: 1, 2 or 5 times a power of ten.
inline double nice_step(double span, int count) {
  const double raw = span / count;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  const double fraction = raw / power;
  return (fraction < 1.5 ? 1.0 : fraction < 3.5 ? 2.0 : fraction < 7.5 ? 5.0 : 10.0) * power;
}

/// An axis: where a value lies between 0 (low end) and 1 (high end), and its ticks.
class Axis {
public:
  /// A linear axis over at least [low, high], widened to whole steps; or a log axis over whole
  /// decades around [low, high] (both > 0: non-positive values have no place on it).
  /// `whole`: linear steps of at least 1 (epochs).
  static Axis numeric(Scale scale, double low, double high, bool whole = false) {
    Axis axis;
    axis.scale_ = scale;
    if (!(low <= high)) { // NaN or reversed: nothing to place
      low = high = 0.0;
    }
    if (scale == Scale::log) {
      low = low > 0 ? low : 1e-3;
      high = high > low ? high : low;
      int first = static_cast<int>(std::floor(std::log10(low) + 1e-9));
      int last = static_cast<int>(std::ceil(std::log10(high) - 1e-9));
      if (last <= first) {
        last = first + 1;
      }
      axis.low_ = first;
      axis.high_ = last;
      return axis;
    }
    if (high == low) {
      const double pad = low == 0.0 ? 1.0 : std::abs(low) * 0.1;
      low -= pad;
      high += pad;
    }
    axis.step_ = nice_step(high - low, 5);
    if (whole) {
      axis.step_ = std::max(axis.step_, 1.0);
    }
    axis.low_ = std::floor(low / axis.step_ + 1e-9) * axis.step_;
    axis.high_ = std::ceil(high / axis.step_ - 1e-9) * axis.step_;
    return axis;
  }

  /// Categories, evenly spaced in the order given (JSON text of each value).
  static Axis categories(std::vector<std::string> names) {
    Axis axis;
    axis.scale_ = Scale::categorical;
    axis.categories_ = std::move(names);
    return axis;
  }

  [[nodiscard]] Scale scale() const { return scale_; }
  [[nodiscard]] const std::vector<std::string>& category_names() const { return categories_; }

  /// Where `value` lies: 0 at the low end, 1 at the high end (outside for values beyond them).
  [[nodiscard]] double position(double value) const {
    if (scale_ == Scale::log) {
      return (std::log10(value) - low_) / (high_ - low_);
    }
    return (value - low_) / (high_ - low_);
  }

  /// Where category `index` lies: the middle of its slot.
  [[nodiscard]] double category_position(std::size_t index) const {
    return (static_cast<double>(index) + 0.5) / static_cast<double>(categories_.size());
  }

  /// Whether `value` can be placed at all (a log axis has no place for 0 or less, or NaN).
  [[nodiscard]] bool places(double value) const {
    return std::isfinite(value) && (scale_ != Scale::log || value > 0);
  }

  /// The ticks, low to high. A log axis ticks every decade, and 2 and 5 times each as well when
  /// it spans at most two decades; a linear axis every step.
  [[nodiscard]] std::vector<Tick> ticks() const {
    std::vector<Tick> out;
    if (scale_ == Scale::categorical) {
      for (std::size_t i = 0; i < categories_.size(); ++i) {
        out.push_back({static_cast<double>(i), categories_[i]});
      }
      return out;
    }
    if (scale_ == Scale::log) {
      const int first = static_cast<int>(low_);
      const int last = static_cast<int>(high_);
      const bool fine = last - first <= 2;
      for (int e = first; e <= last; ++e) {
        for (const int m : {1, 2, 5}) {
          if ((m == 1 || (fine && e < last))) {
            out.push_back({m * std::pow(10.0, e), log_tick_text(m, e)});
          }
        }
      }
      return out;
    }
    const auto count = static_cast<int>(std::lround((high_ - low_) / step_));
    for (int i = 0; i <= count; ++i) {
      const double value = low_ + i * step_;
      const double shown = std::abs(value) < step_ * 1e-6 ? 0.0 : value;
      out.push_back({shown, number_text(shown, 6)});
    }
    return out;
  }

private:
  Scale scale_ = Scale::linear;
  double low_ = 0.0; ///< log: the first decade's exponent
  double high_ = 1.0;
  double step_ = 0.2;
  std::vector<std::string> categories_;
};

/// The smallest and largest finite values of `values` that `scale` can place, or none.
inline bool value_range(const std::vector<double>& values, Scale scale, double& low, double& high) {
  bool any = false;
  for (const double v : values) {
    if (!std::isfinite(v) || (scale == Scale::log && v <= 0)) {
      continue;
    }
    low = any ? std::min(low, v) : v;
    high = any ? std::max(high, v) : v;
    any = true;
  }
  return any;
}

} // namespace detail
} // namespace hyperparams::report
