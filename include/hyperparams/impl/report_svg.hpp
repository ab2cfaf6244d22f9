// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The SVG of `hparams report`: text made safe for HTML, and a chart with two axes (ticks,
/// grid lines, labels) that lines and points are drawn in. Every tick carries its value
/// (`data-value`), so that what is drawn can be read back. Not for users:
/// `<hyperparams/report.hpp>`.

#include "hyperparams/detail/text.hpp"
#include "hyperparams/impl/report_scale.hpp"

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hyperparams::report::detail {

/// `text` as HTML text or a quoted attribute value: & < > " ' as entities, control characters
/// other than tab and newline dropped, bytes that are not UTF-8 as U+FFFD. Whatever the input
/// holds (a metric named `<script>`), it stays text.
inline std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&#39;";
      break;
    default: {
      const std::size_t length = hyperparams::detail::utf8_sequence(text, i);
      if (length == 0) {
        out += "\xEF\xBF\xBD";
        ++i;
        continue;
      }
      if (length > 1 || c == '\t' || c == '\n' || static_cast<unsigned char>(c) >= 0x20) {
        if (c != 0x7F) {
          out.append(text.substr(i, length));
        }
      }
      i += length;
      continue;
    }
    }
    ++i;
  }
  return out;
}

/// A coordinate of the SVG: two decimals are finer than any screen.
inline std::string px_text(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", value);
  return buffer;
}

/// What a tick's `data-value` holds: the number of a numeric tick (all its digits), or the
/// category's label.
inline std::string tick_value(const Axis& axis, const Tick& tick) {
  return axis.scale() == Scale::categorical ? tick.label : number_text(tick.value, 17);
}

/// The ticks of `axis` as SVG: at each tick's position `at(value)`, a line of class `line_class`
/// across the axis from `line_from` to `line_to`, and its label at `label_at` (below a
/// horizontal axis, left of a vertical one).
template <class At>
std::string ticks_svg(const Axis& axis, bool horizontal, const At& at, double line_from,
                      double line_to, double label_at, const char* line_class) {
  std::string out;
  for (const auto& tick : axis.ticks()) {
    const std::string p = px_text(at(tick.value));
    const std::string from = px_text(line_from);
    const std::string to = px_text(line_to);
    const std::string label = px_text(label_at);
    out += "<g class=\"tick\" data-value=\"" + escape(tick_value(axis, tick)) +
           "\"><line class=\"" + line_class + "\" ";
    out += horizontal ? "x1=\"" + p + "\" x2=\"" + p + "\" y1=\"" + from + "\" y2=\"" + to +
                            "\"/><text x=\"" + p + "\" y=\"" + label + "\" text-anchor=\"middle\">"
                      : "x1=\"" + from + "\" x2=\"" + to + "\" y1=\"" + p + "\" y2=\"" + p +
                            "\"/><text x=\"" + label + "\" y=\"" + p +
                            "\" dy=\"0.32em\" text-anchor=\"end\">";
    out += escape(tick.label) + "</text></g>";
  }
  return out;
}

/// The size of a chart and the margins around its plotting area, in SVG units.
struct Frame {
  double width = 520;
  double height = 300;
  double left = 64;
  double right = 16;
  double top = 30;
  double bottom = 46;
};

/// A chart: a title, a horizontal and a vertical axis with their ticks and labels, and the
/// marks drawn between them. Marks outside the axes are clipped by the caller's choice of axes.
class Chart {
public:
  Chart(std::string title, Axis x, std::string x_label, Axis y, std::string y_label,
        Frame frame = {})
      : title_(std::move(title)), x_(std::move(x)), y_(std::move(y)), x_label_(std::move(x_label)),
        y_label_(std::move(y_label)), frame_(frame) {}

  [[nodiscard]] const Axis& x_axis() const { return x_; }
  [[nodiscard]] const Axis& y_axis() const { return y_; }

  /// The horizontal pixel of a value (or, on a categorical axis, of category `value`).
  [[nodiscard]] double px(double value) const {
    const double p = x_.scale() == Scale::categorical
                         ? x_.category_position(static_cast<std::size_t>(value))
                         : x_.position(value);
    return frame_.left + p * (frame_.width - frame_.left - frame_.right);
  }
  [[nodiscard]] double py(double value) const {
    const double p = y_.scale() == Scale::categorical
                         ? y_.category_position(static_cast<std::size_t>(value))
                         : y_.position(value);
    return frame_.height - frame_.bottom - p * (frame_.height - frame_.top - frame_.bottom);
  }

  /// Adds raw SVG elements (already escaped) to the plotting area.
  void add(const std::string& element) { marks_ += element; }

  /// A line through points (x, y) that both axes place, with a tooltip; `attributes` go on the
  /// element as given (class, stroke, data-trial).
  void line(const std::vector<std::pair<double, double>>& points, const std::string& attributes,
            const std::string& tooltip) {
    std::string coordinates;
    for (const auto& [x, y] : points) {
      if (x_.places(x) && y_.places(y)) {
        coordinates += (coordinates.empty() ? "" : " ") + px_text(px(x)) + "," + px_text(py(y));
      }
    }
    if (!coordinates.empty()) {
      marks_ += "<polyline " + attributes + " points=\"" + coordinates + "\"><title>" +
                escape(tooltip) + "</title></polyline>\n";
    }
  }

  /// A point with a tooltip, when both axes place it.
  void point(double x, double y, double radius, const std::string& attributes,
             const std::string& tooltip) {
    if (!x_.places(x) || !y_.places(y)) {
      return;
    }
    marks_ += "<circle " + attributes + " cx=\"" + px_text(px(x)) + "\" cy=\"" + px_text(py(y)) +
              "\" r=\"" + px_text(radius) + "\"><title>" + escape(tooltip) + "</title></circle>\n";
  }

  /// A dashed vertical line across the plotting area at x, with a tooltip.
  void marker(double x, const std::string& attributes, const std::string& tooltip) {
    if (!x_.places(x)) {
      return;
    }
    const std::string at = px_text(px(x));
    marks_ += "<line class=\"marker\" " + attributes + " x1=\"" + at + "\" x2=\"" + at +
              "\" y1=\"" + px_text(frame_.top) + "\" y2=\"" +
              px_text(frame_.height - frame_.bottom) + "\"><title>" + escape(tooltip) +
              "</title></line>\n";
  }

  /// The whole `<svg>`: frame, grid, ticks, labels, then the marks.
  [[nodiscard]] std::string svg() const {
    const double x0 = frame_.left;
    const double x1 = frame_.width - frame_.right;
    const double y0 = frame_.height - frame_.bottom;
    const double y1 = frame_.top;
    std::string out = "<svg class=\"chart\" role=\"img\" width=\"" + px_text(frame_.width) +
                      "\" height=\"" + px_text(frame_.height) + "\" viewBox=\"0 0 " +
                      px_text(frame_.width) + " " + px_text(frame_.height) +
                      "\" xmlns=\"http://www.w3.org/2000/svg\">" + "<title>" + escape(title_) +
                      "</title>\n";
    out += "<text class=\"chart-title\" x=\"" + px_text(x0) + "\" y=\"18\">" + escape(title_) +
           "</text>\n";
    out += "<g class=\"axis\" data-axis=\"x\" data-scale=\"" + std::string(to_string(x_.scale())) +
           "\">";
    out += ticks_svg(
        x_, true, [&](double v) { return px(v); }, y1, y0, y0 + 16, "grid");
    out += "<text class=\"label\" x=\"" + px_text((x0 + x1) / 2) + "\" y=\"" +
           px_text(frame_.height - 8) + "\" text-anchor=\"middle\">" + escape(x_label_) +
           "</text></g>\n";
    out += "<g class=\"axis\" data-axis=\"y\" data-scale=\"" + std::string(to_string(y_.scale())) +
           "\">";
    out += ticks_svg(
        y_, false, [&](double v) { return py(v); }, x0, x1, x0 - 6, "grid");
    out += "<text class=\"label\" transform=\"translate(14," + px_text((y0 + y1) / 2) +
           ") rotate(-90)\" text-anchor=\"middle\">" + escape(y_label_) + "</text></g>\n";
    out += "<rect class=\"frame\" x=\"" + px_text(x0) + "\" y=\"" + px_text(y1) + "\" width=\"" +
           px_text(x1 - x0) + "\" height=\"" + px_text(y0 - y1) + "\"/>\n";
    return out + marks_ + "</svg>\n";
  }

private:
  std::string title_;
  Axis x_;
  Axis y_;
  std::string x_label_;
  std::string y_label_;
  Frame frame_;
  std::string marks_;
};

} // namespace hyperparams::report::detail
