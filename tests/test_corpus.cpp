// SPDX-License-Identifier: MIT
// The bad-input corpus (tests/data/corpus, imported from the team's shared corpus): every case
// loads or is rejected as its manifest line says, with located, bounded messages.
#include "catch_compat.hpp"
#include "support.hpp"

#include <hyperparams/json.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using nlohmann::json;

constexpr std::size_t expected_case_count = 96;
constexpr std::size_t max_message_bytes = 400;

/// Every line of manifest.jsonl, parsed (blank lines are skipped).
std::vector<json> load_manifest() {
  return hptest::read_jsonl("corpus/manifest.jsonl");
}

/// The base document of the generators, member by member, in order.
const std::vector<std::pair<std::string, std::string>>& base_members() {
  static const std::vector<std::pair<std::string, std::string>> members = {
      {"learning_rate", "0.001"},
      {"batch_size", "32"},
      {"epochs", "10"},
      {"optimizer", "\"adam\""},
      {"layers", "2"},
      {"neurons", "[64,32]"},
      {"dropout", "0.5"},
      {"activation", "\"relu\""},
  };
  return members;
}

/// The generated value of a `gen` spec (not for `long_key`); nullopt for an unknown kind.
std::optional<std::string> generated_value(const std::string& kind, std::size_t n) {
  std::string value;
  if (kind == "nest_arrays") { // n '[' then n ']'
    value.reserve(2 * n);
    value.append(n, '[');
    value.append(n, ']');
  } else if (kind == "nest_objects") { // n levels of {"a": ...1...}
    const std::string open = "{\"a\": ";
    value.reserve(n * (open.size() + 1) + 1);
    for (std::size_t i = 0; i < n; ++i) {
      value += open;
    }
    value += '1';
    value.append(n, '}');
  } else if (kind == "long_string") { // a string of n 'a's
    value.reserve(n + 2);
    value += '"';
    value.append(n, 'a');
    value += '"';
  } else if (kind == "many_objects") { // an array of n + 1 empty objects
    value.reserve(3 * n + 4);
    value += "[{}";
    for (std::size_t i = 0; i < n; ++i) {
      value += ",{}";
    }
    value += ']';
  } else if (kind == "digits") { // n '9's
    value.append(n, '9');
  } else {
    return std::nullopt;
  }
  return value;
}

/// The text of a `gen` case, built by concatenation (a DOM could not even hold some of them):
/// the base document with the named field's value replaced, or, for `long_key`, with one
/// extra member `"kkk…": 1` (n 'k's) at the end.
std::optional<std::string> generate(const json& gen) {
  const std::string kind = gen.at("kind").get<std::string>();
  const std::string field = gen.at("field").get<std::string>();
  const auto n = gen.at("n").get<std::size_t>();
  std::optional<std::string> value;
  if (kind != "long_key") {
    value = generated_value(kind, n);
    if (!value) {
      return std::nullopt;
    }
  }
  std::string text = "{";
  bool replaced = false;
  for (const auto& [key, base_value] : base_members()) {
    if (text.size() > 1) {
      text += ',';
    }
    text += '"';
    text += key;
    text += "\":";
    if (value && key == field) {
      text += *value;
      replaced = true;
    } else {
      text += base_value;
    }
  }
  if (kind == "long_key") {
    text += ",\"";
    text.append(n, 'k');
    text += "\":1";
  } else if (!replaced) {
    return std::nullopt; // a field the base document does not have
  }
  text += '}';
  return text;
}

/// What parsing one input did.
struct Outcome {
  std::optional<hyperparams::HyperParams> config;
  std::vector<hyperparams::Issue> issues;
  bool threw_config_error = false;
  std::string unexpected; ///< an exception of another type: its description
};

Outcome load(std::string_view text) {
  Outcome out;
  try {
    out.config = hyperparams::parse(text, "<corpus>");
  } catch (const hyperparams::ConfigError& e) {
    out.threw_config_error = true;
    out.issues = e.issues();
  } catch (const std::exception& e) {
    out.unexpected = std::string("std::exception: ") + e.what();
  } catch (...) {
    out.unexpected = "an exception that is not a std::exception";
  }
  return out;
}

bool matches(const hyperparams::Issue& issue, const json& allowed) {
  for (const auto& pair : allowed) {
    const auto pointer = pair.at(0).get<std::string>();
    const auto code = pair.at(1).get<std::string>();
    if ((pointer == "*" || pointer == issue.path) && hyperparams::to_string(issue.code) == code) {
      return true;
    }
  }
  return false;
}

/// load(dump(x)) == x and dump is a fixed point.
void check_round_trip(const hyperparams::HyperParams& hp) {
  std::string first;
  try {
    first = hyperparams::dump(hp);
  } catch (const std::exception& e) {
    FAIL_CHECK("dump() of the loaded config threw: " << e.what());
    return;
  }
  INFO("dump:\n" << first);
  const Outcome again = load(first);
  CHECK(again.unexpected.empty());
  CHECK(hptest::render(again.issues).empty());
  if (!again.config) {
    FAIL_CHECK("dump() output does not load");
    return;
  }
  CHECK(*again.config == hp);
  std::string second;
  try {
    second = hyperparams::dump(*again.config);
  } catch (const std::exception& e) {
    FAIL_CHECK("dump() of the reloaded config threw: " << e.what());
    return;
  }
  CHECK(second == first);
}

/// The outcome the project has chosen: `expect`, or `policy` where `expect` is "any".
std::string decided(const json& spec) {
  const auto expect = spec.at("expect").get<std::string>();
  if (expect == "any") {
    return spec.contains("policy") ? spec.at("policy").get<std::string>() : std::string("?");
  }
  return expect;
}

} // namespace

TEST_CASE("every corpus case loads or is rejected as its manifest line says", "[corpus]") {
  const std::vector<json> cases = load_manifest();
  REQUIRE(!cases.empty());
  for (const auto& spec : cases) {
    const auto id = spec.at("id").get<std::string>();
    INFO("case " << id << " (" << spec.value("note", std::string()) << ")");

    const bool from_file = spec.contains("file");
    std::string text;
    if (from_file) {
      const std::string path = hptest::data_path("corpus/" + spec.at("file").get<std::string>());
      INFO("file " << path);
      const bool readable = std::ifstream(path, std::ios::binary).good();
      CHECK(readable);
      if (!readable) {
        continue;
      }
      text = hptest::read_bytes(path);
    } else {
      INFO("gen " << spec.at("gen").dump());
      const auto generated = generate(spec.at("gen"));
      CHECK(generated.has_value());
      if (!generated) {
        continue;
      }
      text = *generated;
    }

    const Outcome outcome = load(text);
    text = std::string(); // some inputs are 100 MB
    INFO("issues:\n" << hptest::render(outcome.issues));
    CHECK(outcome.unexpected == "");

    const std::string want = decided(spec);
    if (want == "valid") {
      CHECK(outcome.config.has_value());
      if (outcome.config) {
        check_round_trip(*outcome.config);
      }
    } else if (want == "invalid") {
      CHECK(outcome.threw_config_error);
      CHECK(!outcome.issues.empty());
      const json& allowed = spec.at("allowed");
      INFO("allowed " << allowed.dump());
      bool some_allowed = false;
      for (const auto& issue : outcome.issues) {
        some_allowed = some_allowed || matches(issue, allowed);
      }
      CHECK(some_allowed);
    } else {
      FAIL_CHECK("the manifest gives no decided outcome (expect/policy): " << want);
    }

    bool located = false;
    for (const auto& issue : outcome.issues) {
      INFO("issue " << hyperparams::format_issue(issue, "<corpus>"));
      CHECK(!issue.message.empty());
      CHECK(issue.message.size() <= max_message_bytes);
      if (issue.line != 0) {
        CHECK(issue.column != 0);
        located = true;
      }
    }
    if (from_file && !outcome.issues.empty()) {
      CHECK(located); // issues about a text say where in it
    }
  }
}

TEST_CASE("the corpus manifest is complete and well formed", "[corpus]") {
  const std::vector<json> cases = load_manifest();
  CHECK(cases.size() == expected_case_count);
  std::set<std::string> ids;
  for (const auto& spec : cases) {
    INFO("manifest entry " << spec.dump());
    REQUIRE(spec.contains("id"));
    const auto id = spec.at("id").get<std::string>();
    CHECK(ids.insert(id).second); // unique
    CHECK(spec.contains("file") != spec.contains("gen"));
    if (spec.contains("file")) {
      CHECK(spec.at("file").get<std::string>() == id + ".json");
    }
    const auto expect = spec.value("expect", std::string());
    CHECK((expect == "valid" || expect == "invalid" || expect == "any"));
    const std::string want = decided(spec);
    CHECK((want == "valid" || want == "invalid"));
    CHECK(spec.contains("allowed") == (want == "invalid"));
    if (spec.contains("allowed")) {
      CHECK(!spec.at("allowed").empty());
      for (const auto& pair : spec.at("allowed")) {
        REQUIRE(pair.size() == 2);
        const auto code = pair.at(1).get<std::string>();
        INFO("code " << code);
        CHECK(hyperparams::from_string<hyperparams::IssueCode>(code).has_value());
      }
    }
  }
}
