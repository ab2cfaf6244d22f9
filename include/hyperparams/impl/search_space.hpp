// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Reading and checking a search space: the file's own shape (located issues, "did you mean"),
/// then every value and bound against the field it sets, by applying it to the base as an
/// override (so a space accepts exactly what a config does, with the same messages). Not for
/// users.

#include "hyperparams/detail/text.hpp"
#include "hyperparams/impl/files.hpp"
#include "hyperparams/impl/located_json.hpp"
#include "hyperparams/impl/search_sample.hpp"
#include "hyperparams/overrides.hpp"
#include "hyperparams/search.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hyperparams::search::detail {

/// Most values a `values` list or a condition may hold (each is checked against its field).
inline constexpr std::size_t max_values = 10000;

inline constexpr std::array<std::string_view, 7> space_keys = {
    "base", "method", "seed", "trials", "metric", "parameters", "description"};
inline constexpr std::array<std::string_view, 6> distribution_keys = {
    "value", "values", "uniform", "log_uniform", "int_uniform", "int_log_uniform"};
inline constexpr std::array<std::string_view, 8> parameter_keys = {
    "value", "values", "uniform", "log_uniform", "int_uniform", "int_log_uniform", "step", "when"};

/// The dotted path's parts ("optimizer.momentum" -> {"optimizer", "momentum"}), or none when a
/// part is empty.
inline std::optional<std::vector<std::string>> path_parts(const std::string& path) {
  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    const auto dot = path.find('.', start);
    parts.push_back(path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (parts.back().empty()) {
      return std::nullopt;
    }
    if (dot == std::string::npos) {
      return parts;
    }
    start = dot + 1;
  }
}

/// A JSON value as an override's value text.
inline std::string value_text(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// The JSON type a value has, in the words of the reader's messages.
inline std::string json_kind(const nlohmann::json& v) {
  switch (v.type()) {
  case nlohmann::json::value_t::null:
    return "null";
  case nlohmann::json::value_t::boolean:
    return "a boolean";
  case nlohmann::json::value_t::string:
    return "a string";
  case nlohmann::json::value_t::array:
    return "an array";
  case nlohmann::json::value_t::object:
    return "an object";
  default:
    return "a number";
  }
}

/// What a parameter's entry says before its values are checked against the field.
struct Entry {
  std::string pointer;                     ///< "/parameters/<path>"
  std::vector<std::string> tokens;         ///< of the path
  std::string distribution_key;            ///< "uniform", ...
  std::vector<nlohmann::json> raw;         ///< the values or the two bounds, as written
  std::vector<std::string> raw_pointers;   ///< where each is
  std::vector<std::size_t> depends_on;     ///< parameters its `when` names
  std::vector<nlohmann::json> when_values; ///< per condition: the array of values as written
  bool ok = true;                          ///< well-formed so far
  bool checked = false;                    ///< its values are valid for the field
  std::vector<std::string> context;        ///< overrides that make its conditions hold
};

/// Reads and checks a space over `T`; see `parse_space`.
template <class T>
class SpaceReader {
public:
  SpaceReader(const LocatedJson& doc, std::string source, std::filesystem::path base_directory)
      : doc_(doc), source_(std::move(source)), base_directory_(std::move(base_directory)) {}

  Space<T> read() {
    Space<T> space;
    space.source = source_;
    const nlohmann::json& root = doc_.value;
    if (!root.is_object()) {
      fail("", IssueCode::type_error,
           "a search space is a JSON object with \"parameters\", got " + json_kind(root));
      throw_issues();
    }
    for (const auto& item : root.items()) {
      if (std::find(space_keys.begin(), space_keys.end(), item.key()) == space_keys.end()) {
        fail("/" + pointer_escaped(item.key()), IssueCode::unknown_key,
             "unknown key " + quote(item.key()) +
                 hyperparams::detail::did_you_mean(item.key(), space_keys,
                                                   " (a space has " + list(space_keys) + ")"),
             true);
      }
    }
    read_method(space);
    read_counts(space);
    read_metric(space);
    if (root.contains("description") && !root["description"].is_string()) {
      fail("/description", IssueCode::type_error,
           "expected a string, got " + json_kind(root["description"]));
    }
    const bool base_ok = read_base(space);
    read_parameters(space, base_ok);
    throw_issues();
    return space;
  }

private:
  // ----- issues -------------------------------------------------------------------------------
  void fail(std::string path, IssueCode code, std::string message, bool at_key = false) {
    if (issues_.size() >= LoadOptions{}.max_issues) {
      ++unlisted_; // thousands of bad values: the first ones and a count
      return;
    }
    issues_.push_back(doc_.issue(std::move(path), code, std::move(message), at_key));
  }

  void throw_issues() {
    if (issues_.empty()) {
      return;
    }
    std::stable_sort(issues_.begin(), issues_.end(), [](const Issue& a, const Issue& b) {
      return std::make_pair(a.line, a.column) < std::make_pair(b.line, b.column);
    });
    hyperparams::detail::append_unlisted(issues_, unlisted_, LoadOptions{}.max_issues);
    throw ConfigError(std::move(issues_), source_);
  }

  static std::string pointer_escaped(const std::string& key) {
    return hyperparams::detail::pointer_token(key).substr(1);
  }

  template <class Names>
  static std::string list(const Names& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
      out += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + std::string(names[i]);
    }
    return out;
  }

  // ----- the space's own keys -----------------------------------------------------------------
  void read_method(Space<T>& space) {
    const nlohmann::json& root = doc_.value;
    if (!root.contains("method")) {
      return; // random
    }
    const auto& m = root["method"];
    static constexpr std::array<std::string_view, 3> methods = {"grid", "random", "sobol"};
    if (!m.is_string()) {
      method_known_ = false;
      fail("/method", IssueCode::type_error,
           "expected \"grid\", \"random\" or \"sobol\", got " + json_kind(m));
      return;
    }
    const auto& name = m.get_ref<const std::string&>();
    const auto found = std::find(methods.begin(), methods.end(), name);
    if (found == methods.end()) {
      method_known_ = false;
      fail("/method", IssueCode::invalid_value,
           "unknown method " + quote(name) +
               hyperparams::detail::did_you_mean(name, methods,
                                                 " (expected \"grid\", \"random\" or \"sobol\")"));
      return;
    }
    space.method = static_cast<Method>(found - methods.begin());
  }

  /// A non-negative integer at `key`, or none (with an issue when it is there but not one).
  std::optional<std::uint64_t> read_unsigned(const char* key, std::uint64_t min) {
    const nlohmann::json& root = doc_.value;
    if (!root.contains(key)) {
      return std::nullopt;
    }
    const auto& v = root[key];
    const std::string pointer = std::string("/") + key;
    if (v.is_number_unsigned() && v.get<std::uint64_t>() >= min) {
      return v.get<std::uint64_t>();
    }
    if (v.is_number_integer() || v.is_number_unsigned()) {
      fail(pointer, IssueCode::out_of_range,
           "must be at least " + std::to_string(min) + ", got " + value_text(v));
    } else {
      fail(pointer, IssueCode::type_error,
           "expected an integer from " + std::to_string(min) + " to 18446744073709551615, got " +
               (v.is_number() ? value_text(v) : json_kind(v)));
    }
    return std::nullopt;
  }

  void read_counts(Space<T>& space) {
    const nlohmann::json& root = doc_.value;
    const auto seed = read_unsigned("seed", 0);
    const auto trials = read_unsigned("trials", 1);
    const std::string method(to_string(space.method));
    if (!method_known_) {
      // a method that is not one: no issues about what random (the default) would need
    } else if (space.method == Method::grid) {
      if (root.contains("trials")) {
        fail("/trials", IssueCode::inconsistent,
             "a grid runs each of its points: remove \"trials\" (or use random or sobol)");
      }
    } else {
      if (!root.contains("seed")) {
        fail("", IssueCode::missing_key,
             "missing key \"seed\": " + method +
                 " needs one (any integer from 0 to 18446744073709551615): it fixes every trial");
      }
      if (!root.contains("trials")) {
        fail("", IssueCode::missing_key,
             "missing key \"trials\": how many trials " + method + " makes (at least 1)");
      }
    }
    space.seed = seed.value_or(0);
    space.trials = trials.value_or(0);
  }

  void read_metric(Space<T>& space) {
    const nlohmann::json& root = doc_.value;
    if (!root.contains("metric")) {
      return;
    }
    const auto& m = root["metric"];
    if (!m.is_object()) {
      fail("/metric", IssueCode::type_error,
           "expected an object such as {\"name\": \"accuracy\", \"goal\": \"maximize\"}, got " +
               json_kind(m));
      return;
    }
    static constexpr std::array<std::string_view, 2> keys = {"name", "goal"};
    static constexpr std::array<std::string_view, 2> goals = {"maximize", "minimize"};
    Metric metric;
    for (const auto& item : m.items()) {
      const std::string pointer = "/metric/" + pointer_escaped(item.key());
      const auto& v = item.value();
      if (item.key() == "name") {
        if (!v.is_string() || v.get_ref<const std::string&>().empty()) {
          fail(pointer, v.is_string() ? IssueCode::invalid_value : IssueCode::type_error,
               "expected the name of a metric the trainer prints as name=value, got " +
                   (v.is_string() ? std::string("\"\"") : json_kind(v)));
        } else {
          metric.name = v.get<std::string>();
        }
      } else if (item.key() == "goal") {
        const auto found =
            v.is_string() ? std::find(goals.begin(), goals.end(), v.get_ref<const std::string&>())
                          : goals.end();
        if (found == goals.end()) {
          fail(pointer, v.is_string() ? IssueCode::invalid_value : IssueCode::type_error,
               "expected \"maximize\" or \"minimize\", got " +
                   (v.is_string() ? quote(v.get_ref<const std::string&>()) : json_kind(v)));
        } else {
          metric.goal = static_cast<Goal>(found - goals.begin());
        }
      } else {
        fail(pointer, IssueCode::unknown_key,
             "unknown key " + quote(item.key()) +
                 hyperparams::detail::did_you_mean(item.key(), keys,
                                                   " (a metric has \"name\" and \"goal\")"),
             true);
      }
    }
    if (!m.contains("name")) {
      fail("/metric", IssueCode::missing_key, "missing key \"name\": the metric's name");
    } else if (!metric.name.empty()) {
      space.metric = std::move(metric);
    }
  }

  bool read_base(Space<T>& space) {
    const nlohmann::json& root = doc_.value;
    if (!root.contains("base")) {
      space.base = T{};
      const auto problems = hyperparams::validate(space.base);
      if (!problems.empty()) {
        fail("", IssueCode::missing_key,
             "missing key \"base\": the defaults are not a valid config (" + problems.front().path +
                 ": " + problems.front().message + "); give a base config, inline or as a file");
        return false;
      }
      return true;
    }
    const auto& b = root["base"];
    if (b.is_string()) {
      const std::filesystem::path file = base_directory_ / b.get<std::string>();
      try {
        space.base = load_file<T>(file); // its issues are located in that file
      } catch (const ConfigError& error) {
        if (error.issues().size() != 1 || error.issues()[0].code != IssueCode::io_error) {
          throw;
        }
        // a file that cannot be read has no place of its own: the space's "base" is where
        fail("/base", IssueCode::io_error, "base config: " + error.issues()[0].message);
        return false;
      }
      return true;
    }
    if (!b.is_object()) {
      fail("/base", IssueCode::type_error,
           "expected a config (an object) or the path of a config file, got " + json_kind(b));
      return false;
    }
    LoadOptions options;
    options.pointer = "/base";
    try {
      space.base = parse<T>(doc_.text(), source_, options);
      return true;
    } catch (const ConfigError& error) {
      issues_.insert(issues_.end(), error.issues().begin(), error.issues().end());
      return false;
    }
  }

  // ----- parameters ---------------------------------------------------------------------------
  void read_parameters(Space<T>& space, bool base_ok) {
    const nlohmann::json& root = doc_.value;
    if (!root.contains("parameters")) {
      fail("", IssueCode::missing_key,
           "missing key \"parameters\": what the trials vary, keyed by field "
           "(\"learning_rate\": {\"log_uniform\": [1e-4, 1e-1]})");
      return;
    }
    const auto& ps = root["parameters"];
    if (!ps.is_object()) {
      fail("/parameters", IssueCode::type_error,
           "expected an object keyed by field, got " + json_kind(ps));
      return;
    }
    // nlohmann's object is sorted by key: the parameters are in path order
    for (const auto& item : ps.items()) {
      Parameter p;
      p.path = item.key();
      Entry e;
      e.pointer = "/parameters/" + pointer_escaped(item.key());
      read_entry(item.value(), p, e);
      space.parameters.push_back(std::move(p));
      entries_.push_back(std::move(e));
    }
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      read_when(space, i);
    }
    const auto order = topological_order(space);
    if (!order) {
      return;
    }
    std::vector<bool> choice(space.parameters.size());
    for (const std::size_t i : *order) {
      if (base_ok && entries_[i].ok) {
        check_values(space, i);
        choice[i] = target(i).shape == hyperparams::detail::Shape::choice;
      }
    }
    for (const std::size_t i : *order) {
      if (base_ok && entries_[i].checked) {
        check_conditions(space, i);
      }
    }
    if (!issues_.empty()) {
      return;
    }
    std::vector<std::vector<std::size_t>> depends_on;
    for (const auto& e : entries_) {
      depends_on.push_back(e.depends_on);
    }
    auto plan = std::make_shared<SearchPlan>();
    for (auto& issue : build_plan(space, choice, std::move(depends_on), *order, *plan)) {
      fail(issue.parameter.empty() ? "/parameters"
                                   : "/parameters/" + pointer_escaped(issue.parameter),
           issue.code, issue.message);
    }
    space.plan = std::move(plan);
  }

  hyperparams::detail::KeyTarget target(std::size_t i) const {
    hyperparams::detail::KeyTarget out;
    hyperparams::detail::key_target<T>(entries_[i].tokens, 0, out);
    return out;
  }

  void read_entry(const nlohmann::json& v, Parameter& p, Entry& e) {
    const auto parts = path_parts(p.path);
    if (!parts) {
      fail(e.pointer, IssueCode::invalid_value,
           "parameter " + quote(p.path) +
               ": expected a field's key, dotted for nested ones (\"optimizer.momentum\")",
           true);
      e.ok = false;
    } else {
      e.tokens = *parts;
    }
    if (!v.is_object()) {
      fail(e.pointer, IssueCode::type_error,
           "parameter " + quote(p.path) +
               ": expected an object such as {\"values\": [...]} or {\"uniform\": [low, high]}, "
               "got " +
               json_kind(v));
      e.ok = false;
      return;
    }
    for (const auto& item : v.items()) {
      const std::string& key = item.key();
      const std::string pointer = e.pointer + "/" + pointer_escaped(key);
      if (std::find(parameter_keys.begin(), parameter_keys.end(), key) == parameter_keys.end()) {
        fail(pointer, IssueCode::unknown_key,
             "unknown key " + quote(key) +
                 hyperparams::detail::did_you_mean(key, parameter_keys,
                                                   " (a parameter has one of " +
                                                       list(distribution_keys) +
                                                       ", and may have \"step\" and \"when\")"),
             true);
        e.ok = false;
      } else if (std::find(distribution_keys.begin(), distribution_keys.end(), key) !=
                 distribution_keys.end()) {
        if (!e.distribution_key.empty()) {
          fail(pointer, IssueCode::inconsistent,
               "parameter " + quote(p.path) + " has both " + quote(e.distribution_key) + " and " +
                   quote(key) + ": give one",
               true);
          e.ok = false;
          continue;
        }
        e.distribution_key = key;
        p.distribution = static_cast<Distribution>(
            std::find(distribution_keys.begin(), distribution_keys.end(), key) -
            distribution_keys.begin());
        read_distribution(item.value(), pointer, p, e);
      }
    }
    if (e.distribution_key.empty()) {
      fail(e.pointer, IssueCode::missing_key,
           "parameter " + quote(p.path) + " needs one of " + list(distribution_keys));
      e.ok = false;
      return;
    }
    if (v.contains("step")) {
      read_step(v["step"], e.pointer + "/step", p, e);
    }
  }

  void read_distribution(const nlohmann::json& v, const std::string& pointer, Parameter& p,
                         Entry& e) {
    const std::string name = quote(p.path) + " " + e.distribution_key;
    switch (p.distribution) {
    case Distribution::value:
      e.raw = {v};
      e.raw_pointers = {pointer};
      return;
    case Distribution::values:
      if (!v.is_array() || v.empty()) {
        fail(pointer, v.is_array() ? IssueCode::invalid_value : IssueCode::type_error,
             name + ": expected a non-empty array of values, got " +
                 (v.is_array() ? std::string("[]") : json_kind(v)));
        e.ok = false;
        return;
      }
      if (v.size() > max_values) {
        fail(pointer, IssueCode::limit_exceeded,
             name + ": " + std::to_string(v.size()) + " values, more than the limit of " +
                 std::to_string(max_values) + " (a range with a step has no limit)");
        e.ok = false;
        return;
      }
      for (std::size_t k = 0; k < v.size(); ++k) {
        e.raw.push_back(v[k]);
        e.raw_pointers.push_back(pointer + "/" + std::to_string(k));
      }
      return;
    default:
      break;
    }
    const bool integer = p.distribution == Distribution::int_uniform ||
                         p.distribution == Distribution::int_log_uniform;
    const bool log = p.distribution == Distribution::log_uniform ||
                     p.distribution == Distribution::int_log_uniform;
    const std::string what = integer ? "integers" : "numbers";
    if (!v.is_array() || v.size() != 2 || !v[0].is_number() || !v[1].is_number()) {
      fail(pointer, IssueCode::type_error,
           name + ": expected the bounds as two " + what + " [low, high] (values, never " +
               "exponents), got " + (v.is_array() ? truncate_utf8(value_text(v)) : json_kind(v)));
      e.ok = false;
      return;
    }
    for (std::size_t k = 0; k < 2; ++k) {
      e.raw.push_back(v[k]);
      e.raw_pointers.push_back(pointer + "/" + std::to_string(k));
    }
    if (integer) {
      for (std::size_t k = 0; k < 2; ++k) {
        if (!v[k].is_number_integer() ||
            (v[k].is_number_unsigned() &&
             v[k].get<std::uint64_t>() >
                 static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))) {
          fail(e.raw_pointers[k],
               v[k].is_number_integer() ? IssueCode::out_of_range : IssueCode::type_error,
               name +
                   ": expected an integer from -9223372036854775808 to "
                   "9223372036854775807, got " +
                   value_text(v[k]));
          e.ok = false;
        }
      }
      if (!e.ok) {
        return;
      }
      p.int_low = v[0].get<std::int64_t>();
      p.int_high = v[1].get<std::int64_t>();
      p.low = static_cast<double>(p.int_low);
      p.high = static_cast<double>(p.int_high);
      if (p.int_low == std::numeric_limits<std::int64_t>::min() &&
          p.int_high == std::numeric_limits<std::int64_t>::max()) {
        fail(pointer, IssueCode::out_of_range,
             name + ": the whole range of a 64-bit integer is not supported");
        e.ok = false;
      }
    } else {
      p.low = v[0].get<double>();
      p.high = v[1].get<double>();
    }
    if (!(p.low < p.high) || (integer && !(p.int_low < p.int_high))) {
      fail(pointer, IssueCode::inconsistent,
           name + ": the low bound must be below the high one, got " + value_text(v) +
               (p.low == p.high ? " (one value: use {\"value\": ...})" : ""));
      e.ok = false;
      return;
    }
    if (log && !(p.low > 0)) {
      fail(e.raw_pointers[0], IssueCode::out_of_range,
           name + ": the low bound must be > 0 (a log scale has no 0), got " + value_text(v[0]));
      e.ok = false;
    }
  }

  void read_step(const nlohmann::json& v, const std::string& pointer, Parameter& p, Entry& e) {
    if (p.distribution != Distribution::uniform && p.distribution != Distribution::int_uniform) {
      fail(pointer, IssueCode::inconsistent,
           "parameter " + quote(p.path) + ": \"step\" goes with uniform and int_uniform, not " +
               quote(e.distribution_key),
           true);
      e.ok = false;
      return;
    }
    const bool integer = p.distribution == Distribution::int_uniform;
    if (integer ? !(v.is_number_integer() && v.get<std::int64_t>() > 0 &&
                    !(v.is_number_unsigned() && v.get<std::uint64_t>() > (std::uint64_t{1} << 62)))
                : !(v.is_number() && v.get<double>() > 0)) {
      fail(pointer, v.is_number() ? IssueCode::out_of_range : IssueCode::type_error,
           "parameter " + quote(p.path) + ": expected a step " +
               (integer ? "that is a positive integer" : "that is a number > 0") + ", got " +
               (v.is_number() ? value_text(v) : json_kind(v)));
      e.ok = false;
      return;
    }
    if (!e.ok) {
      return;
    }
    if (integer) {
      p.int_step = v.get<std::int64_t>();
    } else {
      p.step = v.get<double>();
      if (*p.step > p.high - p.low) {
        fail(pointer, IssueCode::inconsistent,
             "parameter " + quote(p.path) + ": the step " + value_text(v) +
                 " is larger than the range " +
                 value_text(doc_.value["parameters"][p.path][e.distribution_key]) +
                 " (the only value would be the low bound)");
        e.ok = false;
      }
    }
  }

  void read_when(Space<T>& space, std::size_t i) {
    const auto& entry = doc_.value["parameters"][space.parameters[i].path];
    if (!entry.is_object() || !entry.contains("when")) {
      return;
    }
    Entry& e = entries_[i];
    const std::string pointer = e.pointer + "/when";
    const auto& w = entry["when"];
    if (!w.is_object() || w.empty()) {
      fail(pointer, IssueCode::type_error,
           "parameter " + quote(space.parameters[i].path) +
               ": expected an object of conditions such as {\"optimizer\": \"sgd\"}, got " +
               (w.is_object() ? std::string("{}") : json_kind(w)));
      e.ok = false;
      return;
    }
    std::vector<std::string> others;
    for (const auto& q : space.parameters) {
      if (q.path != space.parameters[i].path) {
        others.push_back(q.path);
      }
    }
    for (const auto& item : w.items()) {
      const std::string at = pointer + "/" + pointer_escaped(item.key());
      const auto found =
          std::find_if(space.parameters.begin(), space.parameters.end(), [&](const Parameter& q) {
            return q.path == item.key() && &q != &space.parameters[i];
          });
      if (found == space.parameters.end()) {
        fail(at, IssueCode::invalid_value,
             "parameter " + quote(space.parameters[i].path) + ": the condition names " +
                 quote(item.key()) + ", which is " +
                 (item.key() == space.parameters[i].path ? std::string("the parameter itself")
                                                         : "not a parameter of the space") +
                 hyperparams::detail::did_you_mean(item.key(), others, ""),
             true);
        e.ok = false;
        continue;
      }
      Condition condition;
      condition.path = item.key();
      space.parameters[i].when.push_back(std::move(condition));
      e.depends_on.push_back(static_cast<std::size_t>(found - space.parameters.begin()));
      const auto& values = item.value();
      if (values.is_array() && (values.empty() || values.size() > max_values)) {
        fail(at, values.empty() ? IssueCode::invalid_value : IssueCode::limit_exceeded,
             "parameter " + quote(space.parameters[i].path) +
                 (values.empty()
                      ? std::string(": a condition needs at least one value")
                      : ": a condition of more than " + std::to_string(max_values) + " values"));
        e.ok = false;
      }
      e.when_values.push_back(values.is_array() ? values : nlohmann::json::array({values}));
    }
  }

  /// Every parameter after those its conditions name, or none (with an issue) for a cycle.
  std::optional<std::vector<std::size_t>> topological_order(const Space<T>& space) {
    const std::size_t n = entries_.size();
    std::vector<std::size_t> order;
    std::vector<bool> placed(n);
    while (order.size() < n) {
      bool progress = false;
      for (std::size_t i = 0; i < n; ++i) {
        if (!placed[i] && std::all_of(entries_[i].depends_on.begin(), entries_[i].depends_on.end(),
                                      [&](std::size_t j) { return placed[j]; })) {
          placed[i] = true;
          order.push_back(i);
          progress = true;
        }
      }
      if (!progress) {
        for (std::size_t i = 0; i < n; ++i) {
          if (!placed[i]) {
            fail(entries_[i].pointer + "/when", IssueCode::inconsistent,
                 "parameter " + quote(space.parameters[i].path) +
                     ": its conditions go round in a circle (a condition names a parameter "
                     "whose conditions lead back to it)");
            break;
          }
        }
        return std::nullopt;
      }
    }
    return order;
  }

  /// `overrides` applied to the base: the config, or the issues (messages without the
  /// overrides' labels).
  std::optional<T> apply(const Space<T>& space, const std::vector<std::string>& overrides,
                         std::vector<Issue>& problems) const {
    try {
      return apply_overrides(space.base, overrides);
    } catch (const ConfigError& error) {
      for (Issue issue : error.issues()) {
        for (std::size_t k = 0; k < overrides.size(); ++k) {
          const std::string label =
              "override " + std::to_string(k + 1) + " " + quote(overrides[k]) + ": ";
          if (issue.message.rfind(label, 0) == 0) {
            issue.message.erase(0, label.size());
          }
        }
        problems.push_back(std::move(issue));
      }
      return std::nullopt;
    }
  }

  /// Checks value `raw` of parameter `i` against its field and returns it as the config writes
  /// it, or none (with an issue at `pointer`).
  std::optional<nlohmann::json> canonical(const Space<T>& space, std::size_t i,
                                          const std::string& path, const Entry& context,
                                          const nlohmann::json& raw, const std::string& pointer,
                                          const std::string& what, bool* unknown_key = nullptr) {
    std::vector<std::string> overrides = context.context;
    overrides.push_back(path + "=" + value_text(raw));
    std::vector<Issue> problems;
    const auto config = apply(space, overrides, problems);
    if (!config) {
      for (const auto& problem : problems) {
        const bool key = problem.code == IssueCode::unknown_key;
        if (key && unknown_key != nullptr) {
          *unknown_key = true;
        }
        fail(key ? entries_[i].pointer : pointer, problem.code,
             "parameter " + quote(space.parameters[i].path) +
                 (key ? std::string(" names no field: ")
                      : ": " + what + " " + truncate_utf8(value_text(raw)) + ": ") +
                 problem.path + ": " + problem.message,
             key);
      }
      return std::nullopt;
    }
    if (target(i).shape == hyperparams::detail::Shape::choice && raw.is_string()) {
      // a choice given by its name stays a name: its options come from the base, or from the
      // parameters of its options (`optimizer.momentum`)
      const nlohmann::json written = *config;
      return written.at(nlohmann::json::json_pointer(pointer_of(path)))["name"];
    }
    const nlohmann::json written = *config;
    return written.at(nlohmann::json::json_pointer(pointer_of(path)));
  }

  static std::string pointer_of(const std::string& path) {
    std::string json_pointer;
    const auto tokens = path_parts(path);
    for (const auto& token : *tokens) {
      json_pointer += hyperparams::detail::pointer_token(token);
    }
    return json_pointer;
  }

  /// The overrides that make parameter `i`'s conditions hold: the first value of each, and
  /// what makes that one's conditions hold.
  void set_context(const Space<T>& space, std::size_t i) {
    Entry& e = entries_[i];
    for (std::size_t c = 0; c < e.depends_on.size(); ++c) {
      const std::size_t j = e.depends_on[c];
      for (const auto& o : entries_[j].context) {
        if (std::find(e.context.begin(), e.context.end(), o) == e.context.end()) {
          e.context.push_back(o);
        }
      }
      e.context.push_back(space.parameters[j].path + "=" + value_text(e.when_values[c][0]));
    }
  }

  void check_values(Space<T>& space, std::size_t i) {
    Parameter& p = space.parameters[i];
    Entry& e = entries_[i];
    set_context(space, i);
    const auto t = target(i);
    const bool numeric = t.json_type == "integer" || t.json_type == "number";
    const bool bounds =
        p.distribution != Distribution::value && p.distribution != Distribution::values;
    if (bounds && t.known && !numeric) {
      fail(e.pointer + "/" + e.distribution_key, IssueCode::type_error,
           "parameter " + quote(p.path) + ": " + e.distribution_key +
               " needs a number field, and " + p.path + " is " +
               (t.json_type.empty() ? std::string("not a number")
                                    : "a " + std::string(t.json_type)) +
               ": use values");
      return;
    }
    if (bounds && t.json_type == "integer" &&
        (p.distribution == Distribution::uniform || p.distribution == Distribution::log_uniform)) {
      fail(e.pointer + "/" + e.distribution_key, IssueCode::type_error,
           "parameter " + quote(p.path) + ": " + p.path + " is an integer: use int_" +
               e.distribution_key);
      return;
    }
    p.float_field = t.single_precision;
    bool ok = true;
    std::vector<nlohmann::json> canonicals;
    std::set<std::string> seen; // the canonical texts, for values listed twice
    for (std::size_t k = 0; k < e.raw.size(); ++k) {
      const std::string what = bounds ? (k == 0 ? "low bound" : "high bound") : "value";
      bool unknown_key = false;
      auto c = canonical(space, i, p.path, e, e.raw[k], e.raw_pointers[k], what, &unknown_key);
      if (!c) {
        ok = false;
        if (unknown_key) {
          return; // the path names no field: one issue is enough
        }
        continue;
      }
      if (!bounds) {
        if (c->is_object()) {
          const auto inner =
              std::find_if(space.parameters.begin(), space.parameters.end(), [&](const auto& q) {
                return q.path.size() > p.path.size() && q.path.rfind(p.path + ".", 0) == 0;
              });
          if (inner != space.parameters.end()) {
            fail(e.raw_pointers[k], IssueCode::inconsistent,
                 "parameter " + quote(p.path) + ": an object sets the whole of " + p.path +
                     ", and parameter " + quote(inner->path) +
                     " sets a part of it: give a name, or move the part into the objects");
            ok = false;
            continue;
          }
        }
        if (!seen.insert(value_text(*c)).second) {
          fail(e.raw_pointers[k], IssueCode::invalid_value,
               "parameter " + quote(p.path) + ": " + truncate_utf8(value_text(e.raw[k])) +
                   " is listed twice (as the config writes it: " + truncate_utf8(value_text(*c)) +
                   "), which would make it twice as likely");
          ok = false;
        }
      }
      canonicals.push_back(std::move(*c));
    }
    if (ok) {
      if (!bounds) {
        p.values = std::move(canonicals);
      }
      e.checked = true;
    }
  }

  void check_conditions(Space<T>& space, std::size_t i) {
    Parameter& p = space.parameters[i];
    Entry& e = entries_[i];
    for (std::size_t c = 0; c < p.when.size(); ++c) {
      const std::size_t j = e.depends_on[c];
      const Parameter& q = space.parameters[j];
      if (!entries_[j].checked) {
        continue;
      }
      const bool choice = target(j).shape == hyperparams::detail::Shape::choice;
      const std::string at = e.pointer + "/when/" + pointer_escaped(q.path);
      for (std::size_t k = 0; k < e.when_values[c].size(); ++k) {
        const auto& raw = e.when_values[c][k];
        const std::string pointer = doc_.value["parameters"][p.path]["when"][q.path].is_array()
                                        ? at + "/" + std::to_string(k)
                                        : at;
        auto value = canonical(space, j, q.path, entries_[j], raw, pointer, "condition value");
        if (!value) {
          continue;
        }
        const nlohmann::json key = compared(*value, choice);
        if (!can_take(q, key, choice)) {
          fail(pointer, IssueCode::invalid_value,
               "parameter " + quote(p.path) + ": the condition on " + quote(q.path) +
                   " is never true: " + q.path + " never takes " + truncate_utf8(value_text(raw)));
          continue;
        }
        p.when[c].values.push_back(key);
      }
    }
  }

  /// Whether parameter `q` can take the value `key` compares as.
  static bool can_take(const Parameter& q, const nlohmann::json& key, bool choice) {
    if (q.distribution == Distribution::value || q.distribution == Distribution::values) {
      return std::any_of(q.values.begin(), q.values.end(),
                         [&](const nlohmann::json& v) { return compared(v, choice) == key; });
    }
    if (!key.is_number()) {
      return false;
    }
    const double v = key.get<double>();
    if (q.distribution == Distribution::int_uniform ||
        q.distribution == Distribution::int_log_uniform) {
      if (!key.is_number_integer()) {
        return false;
      }
      const auto n = key.get<std::int64_t>();
      return n >= q.int_low && n <= q.int_high &&
             (static_cast<std::uint64_t>(n) - static_cast<std::uint64_t>(q.int_low)) %
                     static_cast<std::uint64_t>(q.int_step.value_or(1)) ==
                 0;
    }
    if (q.step) {
      const StepGrid steps(q.low, *q.step, q.high);
      for (std::uint64_t k = 0; k < steps.points && k < 1000000; ++k) {
        if (steps.at(k) == v) {
          return true;
        }
      }
      return false;
    }
    return v >= q.low && v <= q.high;
  }

  const LocatedJson& doc_;
  std::string source_;
  std::filesystem::path base_directory_;
  std::vector<Issue> issues_;
  std::size_t unlisted_ = 0;
  std::vector<Entry> entries_;
  bool method_known_ = true; ///< "method" is absent or names a method
};

} // namespace hyperparams::search::detail
