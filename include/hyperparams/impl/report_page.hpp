// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The HTML page of `hparams report`: one file with its style (light and dark), its plots as
/// inline SVG and a little script (sorting the leaderboard, highlighting a trial everywhere it
/// is drawn). Its Content-Security-Policy forbids every request, so it never reaches the network.
/// Not for users: `<hyperparams/report.hpp>`.

#include "hyperparams/impl/report_input.hpp"
#include "hyperparams/impl/report_plots.hpp"
#include "hyperparams/impl/report_svg.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace hyperparams::report::detail {

inline constexpr const char* page_style = R"css(
:root { color-scheme: light dark; --fg: #1b1b1b; --bg: #ffffff; --muted: #5c5c5c;
  --grid: #e3e3e3; --frame: #9a9a9a; --row: #f4f4f4; --accent: #0072B2; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e8e8e8; --bg: #16181c; --muted: #a8a8a8; --grid: #30343a; --frame: #70757d;
    --row: #1f2227; --accent: #56B4E9; }
}
body { font: 14px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg);
  margin: 1.5rem auto; max-width: 1200px; padding: 0 1rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
code, pre, td.num, td.mono { font-family: ui-monospace, monospace; font-size: 12.5px; }
pre { background: var(--row); padding: .75rem; overflow: auto; max-height: 28rem; }
.muted { color: var(--muted); }
.charts { display: flex; flex-wrap: wrap; gap: 1rem; }
svg.chart { max-width: 100%; height: auto; }
svg text { fill: var(--fg); font-size: 11px; }
svg .chart-title { font-size: 13px; font-weight: 600; }
svg .label { fill: var(--muted); font-size: 11.5px; }
svg .na { fill: var(--muted); }
svg.parallel text { paint-order: stroke; stroke: var(--bg); stroke-width: 3px; }
svg .grid { stroke: var(--grid); }
svg .tickmark, svg .spine { stroke: var(--frame); }
svg .frame { fill: none; stroke: var(--frame); }
svg .series { fill: none; stroke-width: 1.8; }
svg .series.train { stroke-dasharray: 5 3; }
svg .series.trial { stroke-width: 1.6; opacity: .8; }
svg .marker { stroke-dasharray: 2 3; stroke-width: 1.2; }
svg .hl { stroke-width: 3.5; opacity: 1; }
svg circle.hl { stroke: var(--fg); stroke-width: 1.5; }
table { border-collapse: collapse; margin: .5rem 0; }
.scroll { max-height: 30rem; overflow: auto; display: inline-block; max-width: 100%; }
.scroll th { position: sticky; top: 0; background: var(--bg); }
th, td { padding: .25rem .6rem; text-align: left; border-bottom: 1px solid var(--grid); }
td.num { text-align: right; }
th { cursor: default; white-space: nowrap; }
table.sortable th { cursor: pointer; }
table.sortable th[aria-sort=ascending]::after { content: " \25B2"; }
table.sortable th[aria-sort=descending]::after { content: " \25BC"; }
tr.hl td { background: var(--row); }
.legend { display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; margin: .5rem 0; }
.swatch { display: inline-block; width: 1.6em; height: .3em; vertical-align: middle;
  margin-right: .35em; }
.swatch.dashed { background: none !important; border-top: 2px dashed var(--fg); height: 0; }
.skipped li { font-family: ui-monospace, monospace; font-size: 12.5px; }
)css";

/// Runs first: it records any error of the page (the browser test reads it), before the rest.
inline constexpr const char* page_error_script = R"js(
window.addEventListener("error", function (e) {
  var n = Number(document.documentElement.getAttribute("data-errors") || 0) + 1;
  document.documentElement.setAttribute("data-errors", String(n));
});
)js";

/// Sorting a table by a header's column (by each cell's data-v, numbers as numbers, blanks
/// last), and
/// highlighting every mark and row of a trial while the pointer is on one of them.
inline constexpr const char* page_script = R"js(
(function () {
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("th").forEach(function (th, column) {
      th.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var key = function (row) {
          var v = row.cells[column].getAttribute("data-v") || "";
          return v !== "" && isFinite(Number(v)) ? Number(v) : v;
        };
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          if (x === "" || y === "") { return (x === "") - (y === ""); } // blanks last
          if (typeof x !== typeof y) { x = String(x); y = String(y); }
          return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
  var lit = [];
  function light(trial) {
    lit.forEach(function (e) { e.classList.remove("hl"); });
    lit = trial === null ? [] : Array.prototype.slice.call(
        document.querySelectorAll('[data-trial="' + trial + '"]'));
    lit.forEach(function (e) { e.classList.add("hl"); });
  }
  document.querySelectorAll("[data-trial]").forEach(function (e) {
    e.addEventListener("mouseenter", function () { light(e.getAttribute("data-trial")); });
    e.addEventListener("mouseleave", function () { light(null); });
  });
  document.documentElement.setAttribute("data-ready", "1");
})();
)js";

/// A table cell: its text, escaped, and the value it sorts by.
inline std::string cell(const std::string& text, const std::string& sort_value,
                        const char* css_class = nullptr) {
  return std::string("<td") +
         (css_class != nullptr ? std::string(" class=\"") + css_class + "\"" : std::string()) +
         " data-v=\"" + escape(sort_value) + "\">" + escape(text) + "</td>";
}

inline std::string number_cell(double value) {
  return cell(number_text(value), number_text(value, 17), "num");
}

/// The legend of overlaid curves: a colour per run, and train (dashed) against the rest.
inline std::string curves_legend(const std::vector<const Run*>& runs) {
  std::string out = "<div class=\"legend\">";
  bool train = false;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    out += "<span><span class=\"swatch\" style=\"background:" + series_colour(i) + "\"></span>" +
           escape(runs[i]->label) + "</span>";
    for (const auto& m : runs[i]->metrics) {
      train = train || m.rfind("train", 0) == 0;
    }
  }
  if (train) {
    out += "<span class=\"muted\"><span class=\"swatch dashed\"></span>train (dashed); others "
           "solid; dotted line: best epoch</span>";
  } else {
    out += "<span class=\"muted\">dotted line: best epoch</span>";
  }
  return out + "</div>\n";
}

/// The curves of `runs` as a block of charts with their legend.
inline std::string curves_block(const std::vector<const Run*>& runs,
                                const std::vector<std::int64_t>& trials = {}) {
  std::string out = curves_legend(runs) + "<div class=\"charts\">\n";
  for (const auto& chart : curve_charts(runs, trials)) {
    out += chart;
  }
  return out + "</div>\n";
}

/// A config in a collapsed block, with its fingerprint.
inline std::string config_block(const std::string& title, const std::string& fingerprint,
                                const std::string& config_json) {
  if (config_json.empty()) {
    return "<p class=\"muted\">" + escape(title) + ": config not recorded</p>\n";
  }
  return "<details><summary>" + escape(title) +
         (fingerprint.empty() ? std::string() : " <code>" + escape(fingerprint) + "</code>") +
         "</summary><pre>" + escape(config_json) + "</pre></details>\n";
}

/// The runs part of a report: the curves overlaid, then each run's best epoch and config.
inline std::string runs_section(const std::vector<Run>& runs) {
  std::vector<const Run*> shown;
  for (const auto& run : runs) {
    if (!run.points.empty()) {
      shown.push_back(&run);
    }
  }
  std::string out = "<h2>Learning curves</h2>\n" + curves_block(shown);
  out += "<h2>Runs</h2>\n<table><thead><tr><th>run</th><th>epochs</th><th>best epoch</th>"
         "<th>fingerprint</th><th>source</th></tr></thead><tbody>\n";
  for (const auto& run : runs) {
    const auto best = best_epoch(run);
    std::string attributes;
    for (const auto& [key, value] : run.attributes) {
      attributes += (attributes.empty() ? " (" : ", ") + key + " " + value;
    }
    out += "<tr>" + cell(run.label + (attributes.empty() ? "" : attributes + ")"), run.label) +
           cell(std::to_string(run.points.size()), std::to_string(run.points.size()), "num") +
           cell(best ? number_text(best->epoch) + " (" + best->metric + " " +
                           number_text(best->value) + ")"
                     : "",
                best ? number_text(best->epoch) : "") +
           cell(run.fingerprint, run.fingerprint, "mono") + cell(run.source, run.source) +
           "</tr>\n";
  }
  out += "</tbody></table>\n<h2>Configs</h2>\n";
  for (const auto& run : runs) {
    out += config_block(run.label, run.fingerprint, run.config_json);
  }
  return out;
}

/// The metrics the trials printed, the ranking one first: the leaderboard's columns (at most
/// max_metrics).
inline std::vector<std::string> metric_names(const Sweep& sweep) {
  std::vector<std::string> names{sweep.info.metric};
  std::set<std::string> seen{sweep.info.metric};
  for (const auto& r : sweep.results) {
    for (const auto& [name, value] : r.metrics) {
      if (names.size() < max_metrics && seen.insert(name).second) {
        names.push_back(name);
      }
    }
  }
  return names;
}

/// The sweep part of a report: summary, leaderboard, parallel coordinates, the metric by each
/// parameter, the curves of the top trials, the failed trials and the best config.
inline std::string sweep_section(const Sweep& sweep, std::size_t top) {
  const auto ranked = ranked_results(sweep);
  const std::string& metric = sweep.info.metric;
  std::vector<const sweep::TrialResult*> failed;
  for (const auto& r : sweep.results) {
    if (!r.ok()) {
      failed.push_back(&r);
    }
  }
  std::string out =
      "<p>" + std::to_string(sweep.results.size()) + " trials: " + std::to_string(ranked.size()) +
      " ranked by <b>" + escape(metric) + "</b> (" + (sweep.info.maximize ? "larger" : "smaller") +
      " is better), " + std::to_string(failed.size()) + " failed" +
      (sweep.described ? "" : "; no sweep.json: parameter scales guessed") + ".</p>\n";
  if (!ranked.empty()) {
    out += "<p>Best: trial " + std::to_string(ranked.front()->index) + ", " + escape(metric) + " " +
           escape(number_text(*ranked.front()->metric(metric))) + ", fingerprint <code>" +
           escape(ranked.front()->fingerprint) + "</code>.</p>\n";
  }

  const auto metrics = metric_names(sweep);
  out += "<h2>Leaderboard</h2>\n<p class=\"muted\">Click a column to sort by it; point at a row to "
         "see the trial in the plots.</p>\n"
         "<div class=\"scroll\"><table class=\"sortable\" "
         "id=\"leaderboard\"><thead><tr><th>rank</th><th>trial</th>";
  for (const auto& p : sweep.info.parameters) {
    out += "<th>" + escape(p.path) + "</th>";
  }
  for (const auto& m : metrics) {
    out += "<th>" + escape(m) + "</th>";
  }
  out += "<th>seconds</th><th>fingerprint</th></tr></thead><tbody>\n";
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    const auto& r = *ranked[i];
    out += "<tr data-trial=\"" + std::to_string(r.index) + "\">" +
           cell(std::to_string(i + 1), std::to_string(i + 1), "num") +
           cell(std::to_string(r.index), std::to_string(r.index), "num");
    for (const auto& p : sweep.info.parameters) {
      const auto at = std::find_if(r.varied.begin(), r.varied.end(),
                                   [&](const auto& v) { return v.first == p.path; });
      if (at == r.varied.end()) {
        out += cell("n/a", "");
        continue;
      }
      const auto j = nlohmann::json::parse(at->second, nullptr, false);
      out += j.is_number() ? number_cell(j.get<double>())
                           : cell(value_label(at->second), value_label(at->second));
    }
    for (const auto& m : metrics) {
      const auto value = r.metric(m);
      out += value ? number_cell(*value) : cell("", "");
    }
    out += number_cell(r.seconds) + cell(r.fingerprint.substr(0, 12), r.fingerprint, "mono") +
           "</tr>\n";
  }
  out += "</tbody></table></div>\n";

  if (!ranked.empty() && !sweep.info.parameters.empty()) {
    out += "<h2>Parallel coordinates</h2>\n<p class=\"muted\">A line per trial, coloured by " +
           escape(metric) + " (brighter is better). Point at a line for its values.</p>\n" +
           parallel_chart(sweep);
    out += "<h2>" + escape(metric) + " by parameter</h2>\n<div class=\"charts small\">\n";
    for (const auto& chart : parameter_charts(sweep)) {
      out += chart;
    }
    out += "</div>\n";
  }

  std::vector<const Run*> curves;
  std::vector<std::int64_t> trials;
  for (const auto* r : ranked) {
    const auto curve = sweep.curves.find(r->index);
    if (curve != sweep.curves.end() && curves.size() < top) {
      curves.push_back(&curve->second);
      trials.push_back(static_cast<std::int64_t>(r->index));
    }
  }
  if (!curves.empty()) {
    out += "<h2>Learning curves of the top " + std::to_string(curves.size()) + "</h2>\n" +
           curves_block(curves, trials);
  }

  out += "<h2>Failed trials</h2>\n";
  if (failed.empty()) {
    out += "<p>None.</p>\n";
  } else {
    out += "<table class=\"sortable\" id=\"failed\"><thead><tr><th>trial</th><th>status</th>"
           "<th>exit status</th><th>signal</th><th>error</th><th>seconds</th></tr></thead>"
           "<tbody>\n";
    for (const auto* r : failed) {
      const std::string status(sweep::to_string(r->status));
      out += "<tr>" + cell(std::to_string(r->index), std::to_string(r->index), "num") +
             cell(status, status) +
             (r->exit_code >= 0
                  ? cell(std::to_string(r->exit_code), std::to_string(r->exit_code), "num")
                  : cell("", "")) +
             (r->signal != 0 ? cell(std::to_string(r->signal), std::to_string(r->signal), "num")
                             : cell("", "")) +
             cell(r->error, r->error) + number_cell(r->seconds) + "</tr>\n";
    }
    out += "</tbody></table>\n";
  }
  if (!ranked.empty()) {
    out += "<h2>Best config</h2>\n" + config_block("trial " + std::to_string(ranked.front()->index),
                                                   ranked.front()->fingerprint,
                                                   ranked.front()->config_json);
  }
  return out;
}

/// The whole page.
inline std::string page(const Inputs& inputs, const std::string& title, std::size_t top) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                    "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<meta name=\"generator\" content=\"hparams report\">\n<title>" +
                    escape(title) + "</title>\n<style>" + page_style + "</style>\n<script>" +
                    page_error_script + "</script>\n</head>\n<body>\n<h1>" + escape(title) +
                    "</h1>\n";
  if (!inputs.skipped.empty()) {
    out += "<h2>Skipped input</h2>\n<ul class=\"skipped\">\n";
    for (const auto& line : inputs.skipped) {
      out += "<li>" + escape(line) + "</li>\n";
    }
    out += "</ul>\n";
  }
  if (inputs.sweep) {
    out += sweep_section(*inputs.sweep, top);
  }
  if (!inputs.runs.empty()) {
    out += runs_section(inputs.runs);
  }
  return out + "<script>" + page_script + "</script>\n</body>\n</html>\n";
}

} // namespace hyperparams::report::detail
