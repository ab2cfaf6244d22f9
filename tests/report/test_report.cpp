// SPDX-License-Identifier: MIT
// hparams report: what it reads (runs, sweeps, the lines it skips), and what it draws, read back
// from the SVG: every point at the pixel its value maps to, on linear, log and categorical axes.
#include "catch_compat.hpp"
#include "support.hpp"

#include <hyperparams/report.hpp>

#include <cmath>
#include <cstddef>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace report = hyperparams::report;
namespace sweep = hyperparams::sweep;

namespace {

/// The `<svg class="chart...">` whose title is `title`, whole.
std::string chart(const std::string& page, const std::string& title) {
  const std::string head = "<title>" + title + "</title>";
  const auto at = page.find(head);
  REQUIRE(at != std::string::npos);
  const auto start = page.rfind("<svg", at);
  const auto end = page.find("</svg>", at);
  REQUIRE(start != std::string::npos);
  REQUIRE(end != std::string::npos);
  return page.substr(start, end + 6 - start);
}

/// An attribute of an element's text.
std::string attribute(const std::string& element, const std::string& name) {
  const std::regex pattern(" " + name + "=\"([^\"]*)\"");
  std::smatch m;
  REQUIRE(std::regex_search(element, m, pattern));
  return m[1];
}

/// An axis of a chart, read back: its scale and (value, pixel) at each tick.
struct AxisBack {
  std::string scale;
  std::vector<std::pair<std::string, double>> ticks; // data-value, pixel
};

/// Axis `name` ("x", "y", or a parallel axis's parameter) of `svg`; `horizontal` ticks are
/// read from their lines' x1, the others' from y1.
AxisBack axis_of(const std::string& svg, const std::string& name, bool horizontal) {
  const std::string head = "data-axis=\"" + name + "\"";
  const auto at = svg.find(head);
  REQUIRE(at != std::string::npos);
  const auto end = svg.find("\n", at);
  const std::string group = svg.substr(at, end - at);
  AxisBack axis;
  axis.scale = attribute(group.substr(0, group.find('>')), "data-scale");
  const std::regex tick(horizontal ? "<g class=\"tick\" data-value=\"([^\"]*)\"><line "
                                     "class=\"[a-z]+\" x1=\"([-0-9.]+)\""
                                   : "<g class=\"tick\" data-value=\"([^\"]*)\"><line "
                                     "class=\"[a-z]+\" x1=\"[-0-9.]+\" x2=\"[-0-9.]+\" "
                                     "y1=\"([-0-9.]+)\"");
  for (auto it = std::sregex_iterator(group.begin(), group.end(), tick);
       it != std::sregex_iterator(); ++it) {
    axis.ticks.emplace_back((*it)[1], std::stod((*it)[2]));
  }
  REQUIRE(axis.ticks.size() >= 2);
  return axis;
}

/// The value at `pixel` by the first and last ticks of a numeric axis.
double value_at(const AxisBack& axis, double pixel) {
  const double v0 = std::stod(axis.ticks.front().first);
  const double v1 = std::stod(axis.ticks.back().first);
  const double p0 = axis.ticks.front().second;
  const double p1 = axis.ticks.back().second;
  const double t = (pixel - p0) / (p1 - p0);
  if (axis.scale == "log") {
    return std::pow(10.0, std::log10(v0) + t * (std::log10(v1) - std::log10(v0)));
  }
  REQUIRE(axis.scale == "linear");
  return v0 + t * (v1 - v0);
}

/// The category at `pixel` of a categorical axis: the tick there.
std::string category_at(const AxisBack& axis, double pixel) {
  REQUIRE(axis.scale == "categorical");
  for (const auto& [name, at] : axis.ticks) {
    if (std::abs(at - pixel) < 0.01) {
      return name;
    }
  }
  FAIL("no category at pixel " << pixel);
  return "";
}

/// Every element `<tag ...>` of `svg` that has `needle` in its opening tag.
std::vector<std::string> elements(const std::string& svg, const std::string& tag,
                                  const std::string& needle) {
  std::vector<std::string> out;
  for (std::size_t at = svg.find("<" + tag + " "); at != std::string::npos;
       at = svg.find("<" + tag + " ", at + 1)) {
    const std::string open = svg.substr(at, svg.find('>', at) - at + 1);
    if (open.find(needle) != std::string::npos) {
      out.push_back(open);
    }
  }
  return out;
}

/// A relative difference small enough for pixels printed with two decimals on ~450 px axes.
bool close(double a, double b, double relative = 2e-4) {
  return std::abs(a - b) <= relative * std::max(std::abs(a), std::abs(b)) + 1e-12;
}

const std::string run_text =
    R"({"config": {"epochs": 3, "note": "</pre><script>alert(1)</script>"}, "fingerprint": "abc123"}
{"epoch": 1, "train_loss": 0.9, "test_loss": 0.8, "test_accuracy": 0.71, "learning_rate": 0.001, "device": "cpu"}
{"epoch": 2, "train_loss": 0.5, "test_loss": 0.55, "test_accuracy": 0.83, "learning_rate": 0.0005}
{"epoch": 3, "train_loss": 0.35, "test_loss": 0.6, "test_accuracy": 0.81, "learning_rate": 0.0001}
{"epoch": 4, "train_loss": 0.3)";

report::Run run_of(const std::string& text, std::vector<std::string>& skipped,
                   const std::string& source = "runs/a.jsonl") {
  std::istringstream in(text);
  return report::read_run(in, source, skipped);
}

/// A trial's result as `hparams sweep` writes it.
sweep::TrialResult trial(std::uint64_t index, double learning_rate, const std::string& optimizer,
                         std::optional<double> accuracy) {
  sweep::TrialResult r;
  r.index = index;
  r.fingerprint = "f" + std::to_string(index);
  r.varied = {{"learning_rate", hyperparams::report::detail::number_text(learning_rate, 17)},
              {"optimizer", "\"" + optimizer + "\""}};
  r.config_json = "{\"learning_rate\": " + r.varied[0].second + "}";
  if (accuracy) {
    r.metrics = {{"accuracy", *accuracy}, {"loss", 1 - *accuracy}};
    r.log = "epoch=1\nloss=0.9\naccuracy=" + std::to_string(*accuracy - 0.1) +
            "\nepoch=2\nloss=0.5 accuracy=" + std::to_string(*accuracy) + "\n";
  } else {
    r.status = sweep::Status::exit;
    r.exit_code = 3;
    r.error = "exit 3";
  }
  r.seconds = 1.5;
  return r;
}

void write_sweep(const std::filesystem::path& dir, const std::vector<sweep::TrialResult>& trials,
                 bool described = true) {
  for (const auto& t : trials) {
    hptest::write_file(dir / (sweep::trial_stem(t.index) + ".json"), sweep::result_json(t));
  }
  if (described) {
    report::SweepInfo info;
    info.metric = "accuracy";
    info.parameters = {{"learning_rate", report::Scale::log, {}},
                       {"optimizer", report::Scale::categorical, {"\"sgd\"", "\"adam\""}}};
    hptest::write_file(dir / "sweep.json", report::sweep_info_json(info));
  }
}

} // namespace

TEST_CASE("a log axis ticks every decade: 1e-4 ... 1e-1", "[report]") {
  const auto axis = report::detail::Axis::numeric(report::Scale::log, 1.3e-4, 0.07);
  std::vector<std::string> labels;
  for (const auto& tick : axis.ticks()) {
    labels.push_back(tick.label);
  }
  CHECK(labels == std::vector<std::string>{"1e-4", "1e-3", "1e-2", "1e-1"});
  CHECK(close(axis.position(1e-4), 0.0));
  CHECK(close(axis.position(1e-3), 1.0 / 3));
  CHECK(close(axis.position(0.1), 1.0));
  CHECK_FALSE(axis.places(0.0)); // no place for 0 on a log axis
  // two decades or fewer: 2 and 5 times each decade too
  std::vector<std::string> fine;
  for (const auto& tick : report::detail::Axis::numeric(report::Scale::log, 3e-4, 3e-3).ticks()) {
    fine.push_back(tick.label);
  }
  CHECK(fine == std::vector<std::string>{"1e-4", "2e-4", "5e-4", "1e-3", "2e-3", "5e-3", "1e-2"});
  std::vector<std::string> around_one;
  for (const auto& tick : report::detail::Axis::numeric(report::Scale::log, 0.5, 5).ticks()) {
    around_one.push_back(tick.label);
  }
  CHECK(around_one == std::vector<std::string>{"1e-1", "2e-1", "5e-1", "1", "2", "5", "10"});
  // three decades or more: decades only
  CHECK(report::detail::Axis::numeric(report::Scale::log, 0.5, 50).ticks().size() == 4);
}

TEST_CASE("a linear axis ticks in steps of 1, 2 or 5 and covers the data", "[report]") {
  const auto axis = report::detail::Axis::numeric(report::Scale::linear, 0.8312, 0.8817);
  const auto ticks = axis.ticks();
  REQUIRE(ticks.size() >= 3);
  CHECK(ticks.front().value <= 0.8312);
  CHECK(ticks.back().value >= 0.8817);
  CHECK(ticks[1].label == "0.84");
  CHECK(ticks.front().label == "0.83");
  // epochs: whole steps only
  const auto epochs = report::detail::Axis::numeric(report::Scale::linear, 1, 2, true);
  std::vector<std::string> labels;
  for (const auto& tick : epochs.ticks()) {
    labels.push_back(tick.label);
  }
  CHECK(labels == std::vector<std::string>{"1", "2"});
  // one value: an axis around it
  const auto one = report::detail::Axis::numeric(report::Scale::linear, 5, 5);
  CHECK(one.position(5) > 0.0);
  CHECK(one.position(5) < 1.0);
}

TEST_CASE("numbers on axes and in tables", "[report]") {
  using report::detail::number_text;
  CHECK(number_text(3e-4) == "0.0003");
  CHECK(number_text(3e-5) == "3e-5");
  CHECK(number_text(0.88123456) == "0.8812");
  CHECK(number_text(1.5e6) == "1.5e6");
  CHECK(number_text(-0.0) == "0");
  CHECK(number_text(std::nan("")) == "NaN");
}

TEST_CASE("a run's JSONL: config, epochs, and a line cut short skipped with its file:line",
          "[report]") {
  std::vector<std::string> skipped;
  const auto run = run_of(run_text + "\n\n[1, 2]\n{\"epoch\": \"two\"}\n{\"step\": 3}\n", skipped);
  CHECK(run.label == "a.jsonl");
  CHECK(run.fingerprint == "abc123");
  CHECK(run.config_json.find("\"epochs\": 3") != std::string::npos);
  REQUIRE(run.points.size() == 3);
  CHECK(run.points[1].epoch == 2);
  CHECK(run.points[1].values.at("test_accuracy") == 0.83);
  // in the order of the file, not sorted
  CHECK(run.metrics ==
        std::vector<std::string>{"train_loss", "test_loss", "test_accuracy", "learning_rate"});
  CHECK(run.attributes == std::vector<std::pair<std::string, std::string>>{{"device", "cpu"}});
  CHECK(skipped == std::vector<std::string>{
                       "runs/a.jsonl:5: not JSON (a line cut short?), skipped",
                       "runs/a.jsonl:7: not a JSON object, skipped",
                       "runs/a.jsonl:8: \"epoch\" is not a number, skipped",
                       "runs/a.jsonl:9: neither an epoch (\"epoch\") nor a config (\"config\"), "
                       "skipped"});
}

TEST_CASE("learning curves: every point where its value maps, the best epoch marked", "[report]") {
  std::vector<std::string> skipped;
  report::Inputs inputs;
  inputs.runs.push_back(run_of(run_text, skipped));
  inputs.skipped = skipped;
  const std::string page = report::html(inputs);

  const std::string accuracy = chart(page, "Accuracy");
  const auto x = axis_of(accuracy, "x", true);
  const auto y = axis_of(accuracy, "y", false);
  CHECK(x.scale == "linear");
  const auto points = elements(accuracy, "circle", "data-metric=\"test_accuracy\"");
  REQUIRE(points.size() == 3);
  const std::vector<double> expected{0.71, 0.83, 0.81};
  for (std::size_t i = 0; i < points.size(); ++i) {
    CHECK(close(value_at(x, std::stod(attribute(points[i], "cx"))), static_cast<double>(i + 1)));
    CHECK(close(value_at(y, std::stod(attribute(points[i], "cy"))), expected[i]));
  }
  // the best epoch (2, by test accuracy) is marked in every chart
  const auto markers = elements(accuracy, "line", "class=\"marker\"");
  REQUIRE(markers.size() == 1);
  CHECK(close(value_at(x, std::stod(attribute(markers[0], "x1"))), 2.0));
  CHECK(accuracy.find("best test_accuracy 0.83 at epoch 2") != std::string::npos);

  // train and test loss share a chart, train dashed
  const std::string loss = chart(page, "Loss");
  CHECK(elements(loss, "polyline", "class=\"series train\" data-metric=\"train_loss\"").size() ==
        1);
  CHECK(elements(loss, "polyline", "class=\"series\" data-metric=\"test_loss\"").size() == 1);
  // the learning rate on its own axis, log since it spans a decade
  const std::string rate = chart(page, "Learning rate");
  const auto rate_y = axis_of(rate, "y", false);
  CHECK(rate_y.scale == "log");
  const auto rates = elements(rate, "circle", "data-metric=\"learning_rate\"");
  REQUIRE(rates.size() == 3);
  CHECK(close(value_at(rate_y, std::stod(attribute(rates[2], "cy"))), 1e-4));
  // charts in this order
  CHECK(page.find("<title>Loss</title>") < page.find("<title>Accuracy</title>"));
  CHECK(page.find("<title>Accuracy</title>") < page.find("<title>Learning rate</title>"));
  // the line cut short is listed in the page
  CHECK(page.find("runs/a.jsonl:5: not JSON (a line cut short?), skipped") != std::string::npos);
}

TEST_CASE("several runs overlay, a colour each, with a legend", "[report]") {
  std::vector<std::string> skipped;
  report::Inputs inputs;
  inputs.runs.push_back(run_of(run_text, skipped, "a.jsonl"));
  inputs.runs.push_back(run_of(R"({"epoch": 1, "test_accuracy": 0.6}
{"epoch": 2, "test_accuracy": 0.7})",
                               skipped, "b.jsonl"));
  const std::string page = report::html(inputs);
  const std::string accuracy = chart(page, "Accuracy");
  const auto lines = elements(accuracy, "polyline", "data-metric=\"test_accuracy\"");
  REQUIRE(lines.size() == 2);
  CHECK(attribute(lines[0], "stroke") != attribute(lines[1], "stroke"));
  const auto legend = page.substr(page.find("class=\"legend\""), 600);
  CHECK(legend.find("a.jsonl") != std::string::npos);
  CHECK(legend.find("b.jsonl") != std::string::npos);
  CHECK(legend.find(attribute(lines[1], "stroke")) != std::string::npos);
}

TEST_CASE("nothing from the input reaches the page unescaped", "[report]") {
  std::vector<std::string> skipped;
  report::Inputs inputs;
  inputs.runs.push_back(run_of(
      "{\"config\": {\"name\": \"<img src=x onerror=alert(1)>\"}, \"fingerprint\": \"<b>\"}\n"
      "{\"epoch\": 1, \"<script>alert(2)</script>\": 1.5, \"it's\": 2, \"device\": \"\\\"><x\"}\n",
      skipped, "<script>alert(3)</script>.jsonl"));
  inputs.skipped.push_back("<script>alert(4)</script>:1: not JSON, skipped");
  const std::string page = report::html(inputs);
  CHECK(page.find("<script>alert") == std::string::npos);
  CHECK(page.find("<img") == std::string::npos);
  CHECK(page.find("<b>") == std::string::npos);
  CHECK(page.find("\"><x") == std::string::npos);
  CHECK(page.find("&lt;script&gt;alert(2)&lt;/script&gt;") != std::string::npos);
  CHECK(page.find("&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
  CHECK(page.find("it&#39;s") != std::string::npos);
  // the page's own two scripts, no more
  std::size_t scripts = 0;
  for (auto at = page.find("<script"); at != std::string::npos; at = page.find("<script", at + 1)) {
    ++scripts;
  }
  CHECK(scripts == 2);
  // bytes that are not UTF-8 become U+FFFD, control characters are dropped
  CHECK(report::detail::escape("a\xFF"
                               "b\x01"
                               "c\xC3\xA9") == "a\xEF\xBF\xBD"
                                               "bc\xC3\xA9");
  CHECK(report::detail::escape("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("a sweep: a log axis for a log parameter, categories as categories, read back",
          "[report]") {
  hptest::TempDir dir;
  write_sweep(dir.path(), {trial(0, 3e-4, "sgd", 0.81), trial(1, 2e-3, "adam", 0.86),
                           trial(2, 0.03, "adam", 0.84), trial(3, 1e-3, "sgd", std::nullopt)});
  const auto inputs = report::read_inputs({dir.path()});
  REQUIRE(inputs.sweep);
  CHECK(inputs.sweep->described);
  CHECK(inputs.sweep->curves.size() == 3); // from the logs' epoch= lines
  CHECK(inputs.sweep->curves.at(1).points.size() == 2);
  CHECK(inputs.sweep->curves.at(1).points[1].values.at("accuracy") == 0.86);
  const std::string page = report::html(inputs);

  const std::string by_rate = chart(page, "accuracy by learning_rate");
  const auto x = axis_of(by_rate, "x", true);
  const auto y = axis_of(by_rate, "y", false);
  CHECK(x.scale == "log");
  CHECK(x.ticks.front().first == "0.0001");
  const std::map<std::string, std::pair<double, double>> expected{
      {"0", {3e-4, 0.81}}, {"1", {2e-3, 0.86}}, {"2", {0.03, 0.84}}};
  const auto points = elements(by_rate, "circle", "data-trial");
  REQUIRE(points.size() == 3); // the failed trial has no metric
  for (const auto& p : points) {
    const auto& [rate, accuracy] = expected.at(attribute(p, "data-trial"));
    CHECK(close(value_at(x, std::stod(attribute(p, "cx"))), rate));
    CHECK(close(value_at(y, std::stod(attribute(p, "cy"))), accuracy));
  }

  const std::string by_optimizer = chart(page, "accuracy by optimizer");
  const auto categories = axis_of(by_optimizer, "x", true);
  REQUIRE(categories.ticks.size() == 2);
  CHECK(categories.ticks[0].first == "sgd"); // the space's order
  CHECK(categories.ticks[1].first == "adam");
  for (const auto& p : elements(by_optimizer, "circle", "data-trial")) {
    const std::string name = attribute(p, "data-trial") == "0" ? "sgd" : "adam";
    CHECK(category_at(categories, std::stod(attribute(p, "cx"))) == name);
  }

  // parallel coordinates: a line per ranked trial through each axis at its value
  const std::string parallel =
      chart(page, "Parallel coordinates: the varied parameters and accuracy");
  const auto rate_axis = axis_of(parallel, "learning_rate", false);
  const auto optimizer_axis = axis_of(parallel, "optimizer", false);
  const auto metric_axis = axis_of(parallel, "accuracy", false);
  CHECK(rate_axis.scale == "log");
  const auto lines = elements(parallel, "polyline", "data-trial");
  REQUIRE(lines.size() == 3);
  for (const auto& line : lines) {
    const auto& [rate, accuracy] = expected.at(attribute(line, "data-trial"));
    std::vector<double> ys;
    std::istringstream points_text(attribute(line, "points"));
    std::string xy;
    while (points_text >> xy) {
      ys.push_back(std::stod(xy.substr(xy.find(',') + 1)));
    }
    REQUIRE(ys.size() == 3);
    CHECK(close(value_at(rate_axis, ys[0]), rate));
    CHECK(category_at(optimizer_axis, ys[1]) ==
          (attribute(line, "data-trial") == "0" ? "sgd" : "adam"));
    CHECK(close(value_at(metric_axis, ys[2]), accuracy));
  }

  // the leaderboard, best first; the failed trial with its exit status
  const auto board = page.substr(page.find("id=\"leaderboard\""));
  CHECK(board.find("data-trial=\"1\"") < board.find("data-trial=\"2\""));
  CHECK(board.find("data-trial=\"2\"") < board.find("data-trial=\"0\""));
  const auto failed = page.substr(page.find("id=\"failed\""));
  CHECK(failed.find("<td data-v=\"exit\">exit</td><td class=\"num\" data-v=\"3\">3</td>") !=
        std::string::npos);
  CHECK(page.find("Learning curves of the top 3") != std::string::npos);
}

TEST_CASE("a sweep without sweep.json: scales guessed, accuracy by default, --metric and goal",
          "[report]") {
  hptest::TempDir dir;
  write_sweep(
      dir.path(),
      {trial(0, 1e-4, "sgd", 0.81), trial(1, 2e-3, "adam", 0.86), trial(2, 0.05, "adam", 0.84)},
      false);
  auto inputs = report::read_inputs({dir.path()});
  REQUIRE(inputs.sweep);
  CHECK_FALSE(inputs.sweep->described);
  CHECK(inputs.sweep->info.metric == "accuracy");
  CHECK(inputs.sweep->info.maximize);
  REQUIRE(inputs.sweep->info.parameters.size() == 2);
  CHECK(inputs.sweep->info.parameters[0].scale == report::Scale::log); // 500x: log
  CHECK(inputs.sweep->info.parameters[1].scale == report::Scale::categorical);
  CHECK(report::html(inputs).find("no sweep.json: parameter scales guessed") != std::string::npos);

  report::ReadOptions by_loss;
  by_loss.metric = "loss";
  inputs = report::read_inputs({dir.path()}, by_loss);
  CHECK(inputs.sweep->info.metric == "loss");
  CHECK_FALSE(inputs.sweep->info.maximize); // a loss is minimized
  by_loss.maximize = true;
  CHECK(report::read_inputs({dir.path()}, by_loss).sweep->info.maximize);
}

TEST_CASE("sweep.json round trip", "[report]") {
  report::SweepInfo info;
  info.metric = "val_loss";
  info.maximize = false;
  info.parameters = {{"batch_size", report::Scale::categorical, {"32", "64"}},
                     {"dropout", report::Scale::linear, {}},
                     {"learning_rate", report::Scale::log, {}}};
  const auto back = report::parse_sweep_info(report::sweep_info_json(info), "sweep.json");
  CHECK(back.metric == "val_loss");
  CHECK_FALSE(back.maximize);
  REQUIRE(back.parameters.size() == 3);
  CHECK(back.parameters[0].categories == std::vector<std::string>{"32", "64"});
  CHECK(back.parameters[1].scale == report::Scale::linear);
  CHECK(back.parameters[2].scale == report::Scale::log);
  CHECK_THROWS_WITH(report::parse_sweep_info(R"({"metric": {"name": "a", "goal": "up"},
      "parameters": {}})",
                                             "s.json"),
                    "s.json: metric goal \"up\": expected maximize or minimize");
  CHECK_THROWS_WITH(report::parse_sweep_info(R"({"metric": {"name": "a", "goal": "maximize"},
      "parameters": {"x": {"scale": "cubic"}}})",
                                             "s.json"),
                    "s.json: parameter x: scale \"cubic\": expected linear, log or categorical");
}

TEST_CASE("bad inputs: an empty directory, a missing file, a result file that is not one",
          "[report]") {
  hptest::TempDir dir;
  CHECK_THROWS_WITH(report::read_inputs({dir.path()}),
                    hptest::Contains("no trial results (trial-*.json)"));
  CHECK_THROWS_WITH(report::read_inputs({dir.path() / "none.jsonl"}),
                    hptest::Contains("none.jsonl: cannot read this file"));
  CHECK_THROWS_WITH(report::read_inputs({}), hptest::Contains("no input"));
  hptest::write_file(dir.path() / "empty.jsonl", "{\"epoch\": 1, \"x\": 1\n");
  CHECK_THROWS_WITH(report::read_inputs({dir.path() / "empty.jsonl"}),
                    hptest::Contains("no epoch lines in any run"));

  write_sweep(dir.path(), {trial(0, 1e-3, "sgd", 0.8)});
  hptest::write_file(dir.path() / "trial-000001.json", "{\"trial\": 1, \"fingerp");
  const auto inputs = report::read_inputs({dir.path()});
  REQUIRE(inputs.sweep);
  CHECK(inputs.sweep->results.size() == 1);
  REQUIRE(inputs.skipped.size() == 1);
  CHECK(inputs.skipped[0].find("trial-000001.json: not a trial result") != std::string::npos);
  CHECK_THROWS_WITH(report::read_inputs({dir.path(), dir.path() / "empty.jsonl"}),
                    hptest::Contains("a sweep directory is reported on its own"));
}

TEST_CASE("hostile input: deep nesting, long lines, too many names are skipped and listed",
          "[report]") {
  const std::string deep = std::string(200000, '[') + std::string(200000, ']');
  std::string text = "{\"config\": {\"a\": " + deep + "}}\n{\"epoch\": 1, \"x\": 1}\n";
  text += "{\"epoch\": 2, \"note\": \"" + std::string(std::size_t{2} << 20, 'a') + "\"}\n";
  std::string wide = "{\"epoch\": 3";
  for (int i = 0; i < 100; ++i) {
    wide += ", \"m" + std::to_string(i) + "\": " + std::to_string(i);
  }
  text += wide + "}\n";
  std::vector<std::string> skipped;
  const auto run = run_of(text, skipped);
  CHECK(run.config_json.empty());
  REQUIRE(run.points.size() == 2);
  CHECK(run.metrics.size() == report::max_metrics);
  CHECK(skipped == std::vector<std::string>{
                       "runs/a.jsonl:1: nested deeper than 64, skipped",
                       "runs/a.jsonl:3: longer than 1 MiB, skipped",
                       "runs/a.jsonl:4: past 64 names: the new names of this line, skipped"});
  CHECK_FALSE(report::html(report::Inputs{{run}, {}, skipped}).empty());

  // a file of garbage, or of more epochs than a page holds: the first skips listed, then a count
  std::string many;
  for (std::size_t i = 0; i < report::max_epochs + 500; ++i) {
    many += "{\"epoch\": " + std::to_string(i) + ", \"x\": 1}\n";
  }
  skipped.clear();
  const auto long_run = run_of(many, skipped);
  CHECK(long_run.points.size() == report::max_epochs);
  REQUIRE(skipped.size() == report::max_listed_skips + 1);
  CHECK(skipped[0] == "runs/a.jsonl:100001: more than 100000 epochs, skipped");
  CHECK(skipped.back() == "runs/a.jsonl: 400 more lines skipped (the first 100 are listed)");

  hptest::TempDir dir;
  write_sweep(dir.path(), {trial(0, 1e-3, "sgd", 0.8)});
  hptest::write_file(dir.path() / "trial-000001.json", "{\"trial\": 1, \"config\": " + deep + "}");
  const auto inputs = report::read_inputs({dir.path()});
  REQUIRE(inputs.skipped.size() == 1);
  CHECK_THAT(inputs.skipped[0],
             hptest::Contains("trial-000001.json: not a trial result: nested deeper than 64"));

  hptest::write_file(dir.path() / "sweep.json",
                     R"({"metric": {"name": "accuracy", "goal": "maximize"}, "parameters": )"
                     R"({"x": {"scale": "categorical", "values": [)" +
                         deep + "]}}}");
  CHECK_THROWS_WITH(report::read_inputs({dir.path()}),
                    hptest::Contains("sweep.json: not a sweep description: nested deeper than 64"));
}

TEST_CASE("a trial's JSONL in its own directory gives its curves", "[report]") {
  hptest::TempDir dir;
  write_sweep(dir.path(), {trial(0, 1e-3, "sgd", 0.8)});
  hptest::write_file(dir.path() / "trial-000000" / "metrics.jsonl",
                     "{\"epoch\": 1, \"test_accuracy\": 0.7, \"test_loss\": 0.9}\n"
                     "{\"epoch\": 2, \"test_accuracy\": 0.8, \"test_loss\": 0.7}\n"
                     "{\"epoch\": 3, \"test_acc");
  const auto inputs = report::read_inputs({dir.path()});
  const auto& curve = inputs.sweep->curves.at(0);
  CHECK(curve.label == "trial 0");
  CHECK(curve.metrics == std::vector<std::string>{"test_accuracy", "test_loss"});
  REQUIRE(inputs.skipped.size() == 1);
  CHECK(inputs.skipped[0].find("metrics.jsonl:3: not JSON") != std::string::npos);
}

TEST_CASE("a 100-trial sweep's report is well under 1 MB", "[report]") {
  hptest::TempDir dir;
  std::vector<sweep::TrialResult> trials;
  for (std::uint64_t i = 0; i < 100; ++i) {
    auto t = trial(i, 1e-4 * std::pow(10.0, static_cast<double>(i % 30) / 10.0),
                   i % 3 == 0 ? "sgd" : "adam",
                   i % 17 == 5 ? std::nullopt : std::optional<double>(0.7 + 0.002 * double(i)));
    for (int e = 3; e <= 30; ++e) { // long logs, 30 epochs each
      t.log += "epoch=" + std::to_string(e) + "\nloss=0.4\naccuracy=0.8\n";
    }
    trials.push_back(std::move(t));
  }
  write_sweep(dir.path(), trials);
  const std::string page = report::html(report::read_inputs({dir.path()}));
  CHECK(page.size() < 400 * 1024);
  CHECK(elements(chart(page, "Parallel coordinates: the varied parameters and accuracy"),
                 "polyline", "data-trial")
            .size() == 94);
}
