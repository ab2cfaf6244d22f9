// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The plots of `hparams report`: learning curves (one panel per kind of metric, runs overlaid,
/// the best epoch marked), a sweep's metric against each varied parameter, and its parallel
/// coordinates. Colours are Okabe and Ito's, safe for colour-blind readers; a metric's colour
/// scale is viridis. Not for users: `<hyperparams/report.hpp>`.

#include "hyperparams/impl/report_input.hpp"
#include "hyperparams/impl/report_scale.hpp"
#include "hyperparams/impl/report_svg.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hyperparams::report::detail {

/// The colour of series `i`: Okabe and Ito's palette without black (which dark mode hides).
inline std::string series_colour(std::size_t i) {
  static constexpr std::array<const char*, 7> palette = {"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                                         "#CC79A7", "#56B4E9", "#F0E442"};
  return palette[i % palette.size()];
}

/// The colour of `t` in [0, 1] on viridis (perceptually even, readable without colour vision).
inline std::string scale_colour(double t) {
  static constexpr std::array<std::array<double, 3>, 5> stops = {
      {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}}};
  t = std::isfinite(t) ? std::clamp(t, 0.0, 1.0) : 0.0;
  const double at = t * (stops.size() - 1);
  const auto i = std::min(static_cast<std::size_t>(at), stops.size() - 2);
  const double f = at - static_cast<double>(i);
  char buffer[8];
  std::snprintf(
      buffer, sizeof buffer, "#%02x%02x%02x",
      static_cast<unsigned>(std::lround(stops[i][0] + f * (stops[i + 1][0] - stops[i][0]))),
      static_cast<unsigned>(std::lround(stops[i][1] + f * (stops[i + 1][1] - stops[i][1]))),
      static_cast<unsigned>(std::lround(stops[i][2] + f * (stops[i + 1][2] - stops[i][2]))));
  return buffer;
}

/// A value of a config as people read it: a string without its quotes, a number shortened.
inline std::string value_label(const std::string& json_text) {
  const auto j = nlohmann::json::parse(json_text, nullptr, false);
  if (j.is_string()) {
    return j.get<std::string>();
  }
  if (j.is_number()) {
    return number_text(j.get<double>());
  }
  return json_text;
}

/// The kind of a metric, by its name: which panel it is drawn in.
struct PanelKind {
  std::string title;
  std::string y_label;
  int rank = 0; ///< panels are drawn loss, accuracy, learning rate, time, then the others
};

inline PanelKind panel_kind(const std::string& metric) {
  const auto has = [&](const char* part) { return metric.find(part) != std::string::npos; };
  if (has("loss")) {
    return {"Loss", "loss", 0};
  }
  if (has("acc")) {
    return {"Accuracy", "accuracy (fraction)", 1};
  }
  if (metric == "lr" || has("learning_rate")) {
    return {"Learning rate", "learning rate", 2};
  }
  if (metric == "seconds" || has("time")) {
    return {"Time per epoch", "seconds (s)", 3};
  }
  return {metric, metric, 4};
}

/// The epoch a run did best at: by test accuracy, any accuracy, test loss or any loss (the
/// first of those it has; larger is better for accuracy), or none.
struct BestEpoch {
  std::string metric;
  double epoch = 0.0;
  double value = 0.0;
};

inline std::optional<BestEpoch> best_epoch(const Run& run) {
  const auto find = [&](const char* part, bool exact) -> std::optional<std::string> {
    for (const auto& m : run.metrics) {
      if (exact ? m == part : m.find(part) != std::string::npos) {
        return m;
      }
    }
    return std::nullopt;
  };
  std::optional<std::string> metric = find("test_accuracy", true);
  metric = metric ? metric : find("accuracy", false);
  const bool maximize = metric.has_value();
  metric = metric ? metric : find("test_loss", true);
  metric = metric ? metric : find("loss", false);
  if (!metric) {
    return std::nullopt;
  }
  std::optional<BestEpoch> best;
  for (const auto& point : run.points) {
    const auto value = point.values.find(*metric);
    if (value == point.values.end() || !std::isfinite(value->second)) {
      continue;
    }
    if (!best || (maximize ? value->second > best->value : value->second < best->value)) {
      best = BestEpoch{*metric, point.epoch, value->second};
    }
  }
  return best;
}

/// The learning curves of `runs`, overlaid: one chart per kind of metric (loss, accuracy,
/// learning rate on its own axis, log when it spans a decade or more, ...), train metrics
/// dashed, the best epoch of each run marked. Run `i` has colour `i`; `trials[i]`, when given,
/// is its trial (for highlighting across the page).
inline std::vector<std::string> curve_charts(const std::vector<const Run*>& runs,
                                             const std::vector<std::int64_t>& trials = {}) {
  std::vector<std::string> order; // panel titles, first-seen order
  std::vector<PanelKind> kinds;
  std::vector<std::vector<std::string>> members;
  for (const Run* run : runs) {
    for (const auto& metric : run->metrics) {
      const auto kind = panel_kind(metric);
      auto at = std::find(order.begin(), order.end(), kind.title);
      if (at == order.end()) {
        order.push_back(kind.title);
        kinds.push_back(kind);
        members.emplace_back();
        at = order.end() - 1;
      }
      auto& names = members[static_cast<std::size_t>(at - order.begin())];
      if (std::find(names.begin(), names.end(), metric) == names.end()) {
        names.push_back(metric);
      }
    }
  }
  std::vector<std::size_t> panels(order.size());
  for (std::size_t k = 0; k < panels.size(); ++k) {
    panels[k] = k;
  }
  std::stable_sort(panels.begin(), panels.end(),
                   [&](std::size_t a, std::size_t b) { return kinds[a].rank < kinds[b].rank; });
  std::vector<std::optional<BestEpoch>> bests;
  std::vector<double> epochs;
  for (const Run* run : runs) {
    bests.push_back(best_epoch(*run));
    for (const auto& point : run->points) {
      epochs.push_back(point.epoch);
    }
  }
  double first = 0;
  double last = 0;
  value_range(epochs, Scale::linear, first, last);
  const Axis x = Axis::numeric(Scale::linear, first, last, true);

  std::vector<std::string> charts;
  for (const std::size_t k : panels) {
    std::vector<double> values;
    for (const Run* run : runs) {
      for (const auto& point : run->points) {
        for (const auto& name : members[k]) {
          const auto v = point.values.find(name);
          if (v != point.values.end()) {
            values.push_back(v->second);
          }
        }
      }
    }
    double low = 0;
    double high = 0;
    Scale scale = Scale::linear;
    if (kinds[k].title == "Learning rate" && value_range(values, Scale::log, low, high) &&
        std::all_of(values.begin(), values.end(), [](double v) { return v > 0; }) &&
        high / low >= 10 * (1 - 1e-9)) {
      scale = Scale::log;
    } else if (!value_range(values, Scale::linear, low, high)) {
      continue;
    }
    Chart chart(kinds[k].title, x, "epoch", Axis::numeric(scale, low, high), kinds[k].y_label);
    for (std::size_t r = 0; r < runs.size(); ++r) {
      const Run& run = *runs[r];
      const std::string colour = series_colour(r);
      const std::string trial =
          r < trials.size() ? " data-trial=\"" + std::to_string(trials[r]) + "\"" : "";
      for (const auto& name : members[k]) {
        std::vector<std::pair<double, double>> points;
        for (const auto& point : run.points) {
          const auto v = point.values.find(name);
          if (v != point.values.end()) {
            points.emplace_back(point.epoch, v->second);
          }
        }
        const bool train = name.rfind("train", 0) == 0;
        std::string tip = run.label + ": " + name;
        for (const auto& [epoch, value] : points) {
          tip += "\nepoch " + number_text(epoch) + ": " + number_text(value);
        }
        chart.line(points,
                   "class=\"series" + std::string(train ? " train" : "") + "\" data-metric=\"" +
                       escape(name) + "\" stroke=\"" + colour + "\"" + trial,
                   tip);
        for (const auto& [epoch, value] : points) {
          chart.point(
              epoch, value, 2.5,
              "class=\"pt\" data-metric=\"" + escape(name) + "\" fill=\"" + colour + "\"" + trial,
              run.label + ", epoch " + number_text(epoch) + ": " + name + " " + number_text(value));
        }
      }
      if (const auto& best = bests[r]) {
        chart.marker(best->epoch, "stroke=\"" + colour + "\"" + trial,
                     run.label + ": best " + best->metric + " " + number_text(best->value) +
                         " at epoch " + number_text(best->epoch));
      }
    }
    charts.push_back(chart.svg());
  }
  return charts;
}

/// A varied parameter's axis, and on a categorical one the value (JSON text) of each category.
struct ParameterAxis {
  Axis axis;
  std::vector<std::string> values;
};

/// A varied parameter's axis over the values the trials took: its scale from sweep.json (or the
/// guess), numbers over their range, categories in the space's order, then any others seen.
inline ParameterAxis parameter_axis(const Parameter& parameter,
                                    const std::vector<sweep::TrialResult>& results) {
  ParameterAxis out;
  out.values = parameter.categories;
  std::vector<double> numbers;
  for (const auto& r : results) {
    for (const auto& [path, value] : r.varied) {
      if (path != parameter.path) {
        continue;
      }
      if (parameter.scale == Scale::categorical) {
        if (std::find(out.values.begin(), out.values.end(), value) == out.values.end()) {
          out.values.push_back(value);
        }
      } else {
        const auto j = nlohmann::json::parse(value, nullptr, false);
        if (j.is_number()) {
          numbers.push_back(j.get<double>());
        }
      }
    }
  }
  if (parameter.scale == Scale::categorical) {
    std::vector<std::string> labels;
    for (const auto& value : out.values) {
      labels.push_back(value_label(value));
    }
    out.axis = Axis::categories(std::move(labels));
    return out;
  }
  double low = 0;
  double high = 0;
  value_range(numbers, parameter.scale, low, high);
  out.axis = Axis::numeric(parameter.scale, low, high);
  return out;
}

/// The position of trial `r`'s value of `parameter` on its axis (a category's index, or the
/// number), or none when the trial did not vary it (a parameter with `when`).
inline std::optional<double> parameter_value(const ParameterAxis& axis, const Parameter& parameter,
                                             const sweep::TrialResult& r) {
  for (const auto& [path, value] : r.varied) {
    if (path != parameter.path) {
      continue;
    }
    if (axis.axis.scale() == Scale::categorical) {
      const auto at = std::find(axis.values.begin(), axis.values.end(), value);
      if (at == axis.values.end()) {
        return std::nullopt;
      }
      return static_cast<double>(at - axis.values.begin());
    }
    const auto j = nlohmann::json::parse(value, nullptr, false);
    if (j.is_number()) {
      return j.get<double>();
    }
  }
  return std::nullopt;
}

/// A trial in a tooltip: "trial 3: learning_rate 0.001, optimizer sgd; accuracy 0.8612".
inline std::string trial_tooltip(const sweep::TrialResult& r, const std::string& metric) {
  std::string tip = "trial " + std::to_string(r.index) + ":";
  for (std::size_t i = 0; i < r.varied.size(); ++i) {
    tip += (i == 0 ? " " : ", ") + r.varied[i].first + " " + value_label(r.varied[i].second);
  }
  if (const auto value = r.metric(metric)) {
    tip += "; " + metric + " " + number_text(*value);
  }
  return tip;
}

/// The ok trials that have a value of the metric.
inline std::vector<const sweep::TrialResult*> ranked_results(const Sweep& sweep) {
  std::vector<const sweep::TrialResult*> out;
  for (const auto& r : sweep.results) {
    if (r.ok() && r.metric(sweep.info.metric) && std::isfinite(*r.metric(sweep.info.metric))) {
      out.push_back(&r);
    }
  }
  const bool maximize = sweep.info.maximize;
  const std::string& metric = sweep.info.metric;
  std::stable_sort(out.begin(), out.end(), [&](const auto* a, const auto* b) {
    const double x = *a->metric(metric);
    const double y = *b->metric(metric);
    return maximize ? x > y : x < y;
  });
  return out;
}

/// The metric's axis over the ranked trials' values.
inline Axis metric_axis(const std::vector<const sweep::TrialResult*>& ranked,
                        const std::string& metric) {
  std::vector<double> values;
  for (const auto* r : ranked) {
    values.push_back(*r->metric(metric));
  }
  double low = 0;
  double high = 0;
  value_range(values, Scale::linear, low, high);
  return Axis::numeric(Scale::linear, low, high);
}

/// The colour of a metric value: viridis from the worst value (dark) to the best (bright),
/// without its darkest tenth, which a dark background hides.
inline std::string metric_colour(const Axis& axis, double value, bool maximize) {
  const double t = std::clamp(axis.position(value), 0.0, 1.0);
  return scale_colour(0.1 + 0.9 * (maximize ? t : 1 - t));
}

/// The metric against each varied parameter: one chart per parameter, a point per trial.
inline std::vector<std::string> parameter_charts(const Sweep& sweep) {
  const auto ranked = ranked_results(sweep);
  const Axis y = metric_axis(ranked, sweep.info.metric);
  std::vector<std::string> charts;
  for (const auto& parameter : sweep.info.parameters) {
    const ParameterAxis axis = parameter_axis(parameter, sweep.results);
    const Axis& x = axis.axis;
    Frame frame;
    frame.width = 360;
    frame.height = 260;
    Chart chart(sweep.info.metric + " by " + parameter.path, x,
                parameter.path + (x.scale() == Scale::log ? " (log scale)" : ""), y,
                sweep.info.metric, frame);
    for (const auto* r : ranked) {
      const auto at = parameter_value(axis, parameter, *r);
      if (!at) {
        continue;
      }
      const double value = *r->metric(sweep.info.metric);
      chart.point(*at, value, 4,
                  "class=\"pt\" data-trial=\"" + std::to_string(r->index) + "\" fill=\"" +
                      metric_colour(y, value, sweep.info.maximize) + "\"",
                  trial_tooltip(*r, sweep.info.metric));
    }
    charts.push_back(chart.svg());
  }
  return charts;
}

/// Parallel coordinates: a vertical axis per varied parameter and one for the metric, a line per
/// trial through its values, coloured by its metric. A trial that did not vary a parameter
/// (its `when` did not hold) passes through that axis's "n/a" mark below it.
inline std::string parallel_chart(const Sweep& sweep) {
  const auto ranked = ranked_results(sweep);
  std::vector<ParameterAxis> parameters;
  std::vector<Axis> axes;
  std::vector<std::string> names;
  for (const auto& parameter : sweep.info.parameters) {
    parameters.push_back(parameter_axis(parameter, sweep.results));
    axes.push_back(parameters.back().axis);
    names.push_back(parameter.path);
  }
  axes.push_back(metric_axis(ranked, sweep.info.metric));
  names.push_back(sweep.info.metric);
  const double width = std::max(480.0, 150.0 * static_cast<double>(axes.size()));
  const double height = 360;
  const double top = 44;
  const double bottom = height - 56;
  const double missing = bottom + 24;
  const double left = 70;
  const double step =
      axes.size() > 1 ? (width - 2 * left) / static_cast<double>(axes.size() - 1) : 0.0;
  const auto axis_x = [&](std::size_t i) { return left + step * static_cast<double>(i); };
  const auto axis_y = [&](const Axis& axis, double value) {
    const double p = axis.scale() == Scale::categorical
                         ? axis.category_position(static_cast<std::size_t>(value))
                         : axis.position(value);
    return bottom - p * (bottom - top);
  };
  std::string out = "<svg class=\"chart parallel\" role=\"img\" width=\"" + px_text(width) +
                    "\" height=\"" + px_text(height) + "\" viewBox=\"0 0 " + px_text(width) + " " +
                    px_text(height) + "\" xmlns=\"http://www.w3.org/2000/svg\"><title>" +
                    escape("Parallel coordinates: the varied parameters and " + sweep.info.metric) +
                    "</title>\n";
  std::string axes_svg; // drawn over the lines, so that their labels stay readable
  for (std::size_t i = 0; i < axes.size(); ++i) {
    const Axis& axis = axes[i];
    const std::string x = px_text(axis_x(i));
    axes_svg += "<g class=\"axis\" data-axis=\"" + escape(names[i]) + "\" data-scale=\"" +
                std::string(to_string(axis.scale())) + "\"><line class=\"spine\" x1=\"" + x +
                "\" x2=\"" + x + "\" y1=\"" + px_text(top) + "\" y2=\"" + px_text(bottom) +
                "\"/><text class=\"label\" x=\"" + x + "\" y=\"" + px_text(top - 16) +
                "\" text-anchor=\"middle\">" +
                escape(names[i] + (axis.scale() == Scale::log ? " (log)" : "")) + "</text>";
    axes_svg += ticks_svg(
        axis, false, [&](double v) { return axis_y(axis, v); }, axis_x(i) - 4, axis_x(i),
        axis_x(i) - 7, "tickmark");
    const bool some_without =
        i + 1 < axes.size() && std::any_of(ranked.begin(), ranked.end(), [&](const auto* r) {
          return !parameter_value(parameters[i], sweep.info.parameters[i], *r);
        });
    if (some_without) {
      axes_svg += "<text class=\"na\" x=\"" + x + "\" y=\"" + px_text(missing) +
                  "\" dy=\"0.32em\" text-anchor=\"middle\">n/a</text>";
    }
    axes_svg += "</g>\n";
  }
  // worst first, so that the best lines are drawn on top
  for (auto it = ranked.rbegin(); it != ranked.rend(); ++it) {
    const auto& r = **it;
    std::string points;
    for (std::size_t i = 0; i < axes.size(); ++i) {
      double y = missing;
      if (i + 1 == axes.size()) {
        y = axis_y(axes[i], *r.metric(sweep.info.metric));
      } else if (const auto v = parameter_value(parameters[i], sweep.info.parameters[i], r)) {
        y = axes[i].places(*v) || axes[i].scale() == Scale::categorical ? axis_y(axes[i], *v)
                                                                        : missing;
      }
      points += (i == 0 ? "" : " ") + px_text(axis_x(i)) + "," + px_text(y);
    }
    out += "<polyline class=\"series trial\" data-trial=\"" + std::to_string(r.index) +
           "\" stroke=\"" +
           metric_colour(axes.back(), *r.metric(sweep.info.metric), sweep.info.maximize) +
           "\" points=\"" + points + "\"><title>" + escape(trial_tooltip(r, sweep.info.metric)) +
           "</title></polyline>\n";
  }
  return out + axes_svg + "</svg>\n";
}

} // namespace hyperparams::report::detail
