// SPDX-License-Identifier: MIT
// A user's own struct (tests/user/run_config.hpp) gets everything HyperParams gets: strict
// located loading at every depth (the fixtures of tests/data/user, each with its exact issues),
// canonical saves that round-trip, validation, overrides into nested structs, maps and choices,
// diff, fingerprint, the schema, equality and printing.
#include "catch_compat.hpp"
#include "support.hpp"
#include "user/run_config.hpp"
#include "user/source_config.hpp"

#include <hyperparams/diff.hpp>
#include <hyperparams/json.hpp>
#include <hyperparams/overrides.hpp>
#include <hyperparams/schema.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <variant>
#include <vector>

namespace {

using nlohmann::json;
using testapp::Run;
namespace hp = hyperparams;

using Located = std::tuple<std::string, std::string, std::size_t, std::size_t>;

std::vector<json> user_manifest() {
  return hptest::read_jsonl("user/manifest.jsonl");
}

std::vector<hp::Issue> user_issues(const std::string& text) {
  try {
    (void)hp::parse<Run>(text, "<test>");
  } catch (const hp::ConfigError& e) {
    return e.issues();
  }
  return {};
}

/// The (path, code) pairs of issues, sorted.
std::multiset<std::pair<std::string, std::string>> kinds(const std::vector<hp::Issue>& issues) {
  std::multiset<std::pair<std::string, std::string>> out;
  for (const auto& issue : issues) {
    out.emplace(issue.path, std::string(hp::to_string(issue.code)));
  }
  return out;
}

/// The (path, code) pairs of the issues of parsing `text` as a T (none when it loads).
template <class T>
std::multiset<std::pair<std::string, std::string>> parse_kinds(std::string_view text) {
  try {
    (void)hp::parse<T>(text);
  } catch (const hp::ConfigError& e) {
    return kinds(e.issues());
  }
  return {};
}

Run valid_run() {
  return hp::parse<Run>(hptest::read_bytes(hptest::data_path("user/U02.json")));
}

} // namespace

TEST_CASE("user struct: every fixture gets exactly its issues, located", "[user]") {
  const auto cases = user_manifest();
  REQUIRE(cases.size() == 21);
  std::size_t valid = 0;
  for (const auto& c : cases) {
    const std::string text =
        hptest::read_bytes(hptest::data_path("user/" + c.at("file").get<std::string>()));
    INFO(c.at("id").get<std::string>() << ": " << c.at("note").get<std::string>());
    const auto issues = user_issues(text);
    INFO(hptest::render(issues));
    std::vector<Located> got;
    for (const auto& issue : issues) {
      got.emplace_back(issue.path, std::string(hp::to_string(issue.code)), issue.line,
                       issue.column);
      CHECK(!issue.message.empty());
    }
    std::vector<Located> expected;
    for (const auto& e : c.at("issues")) {
      expected.emplace_back(e.at(0).get<std::string>(), e.at(1).get<std::string>(),
                            e.at(2).get<std::size_t>(), e.at(3).get<std::size_t>());
    }
    CHECK(got == expected);
    CHECK((c.at("expect") == "valid") == expected.empty());
    if (expected.empty()) {
      ++valid;
      const Run run = hp::parse<Run>(text);
      const std::string saved = hp::dump(run);
      CHECK(hp::parse<Run>(saved) == run); // load(save(x)) == x
      CHECK(hp::dump(hp::parse<Run>(saved)) == saved);
      CHECK(hp::fingerprint(hp::parse<Run>(saved)) == hp::fingerprint(run));
      const json dom = run;
      CHECK(dom.get<Run>() == run);
      CHECK(json::parse(saved) == dom);
      continue;
    }
    // From a DOM, the same issues (without lines), where the DOM keeps what the text says: not
    // for duplicate keys (a DOM keeps one), text that is not JSON, or a number only its text
    // shows to be out of range (1e-400 is 0 in a DOM)
    const json dom = json::parse(text, nullptr, false);
    const auto excluded = [&] {
      for (const auto& e : c.at("issues")) {
        if (e.at(1) == "duplicate_key" || e.at(1) == "parse_error") {
          return true;
        }
      }
      for (const auto& issue : issues) {
        if (issue.message.find("too small for a double") != std::string::npos) {
          return true;
        }
      }
      return false;
    };
    if (!dom.is_discarded() && !excluded()) {
      try {
        (void)dom.get<Run>();
        FAIL("the DOM of an invalid fixture loads");
      } catch (const hp::ConfigError& e) {
        CHECK(kinds(e.issues()) == kinds(issues));
      }
    }
  }
  CHECK(valid == 4);
}

TEST_CASE("user struct: a valid fixture has every value it gives", "[user]") {
  const Run run = valid_run();
  CHECK(run.name == "full run \xC3\xBC");
  CHECK(run.train.learning_rate == 3e-4);
  CHECK(run.train.optimizer_name() == hp::Optimizer::sgd);
  CHECK(std::get<hp::SgdOptions>(run.train.optimizer).momentum == 0.9);
  REQUIRE(run.model.blocks.size() == 2);
  CHECK(run.model.blocks[0].pooling == testapp::Pooling::avg);
  CHECK(run.model.blocks[0].dropout == 0.25);
  CHECK_FALSE(std::get<testapp::LayerNorm>(run.model.blocks[0].norm).affine);
  CHECK(run.model.blocks[1].kernel == std::vector<std::int32_t>{3});
  CHECK_FALSE(run.model.blocks[1].dropout.has_value());
  CHECK(std::holds_alternative<testapp::NoNorm>(run.model.blocks[1].norm));
  CHECK(std::get<std::vector<std::int32_t>>(run.model.head) == std::vector<std::int32_t>{512, 10});
  CHECK(run.losses.at("kl/aux~1").label_smoothing == 0.1F);
  CHECK(run.metric_weights.at("f1") == 0.5);
  CHECK(run.precision == testapp::Precision::fp16); // "half" is an alias
  CHECK(run.resume_from == std::optional<std::string>("ckpt/step_1000.pt"));
  CHECK(run.log_level == -1);
  CHECK(run.port == 65535);
  CHECK(run.max_steps == std::numeric_limits<std::int64_t>::max());
  CHECK(run.clip == 0.5F);
}

TEST_CASE("user struct: canonical output sorts map keys, escapes strings, writes null", "[user]") {
  Run run;
  run.name = "quote \" backslash \\ newline \n tab \t";
  run.losses = {{"z", {}}, {"a", {}}};
  run.train.seed = 7;
  const std::string text = hp::dump(run);
  CHECK_THAT(text, hptest::Contains(R"("name": "quote \" backslash \\ newline \n tab \t")"));
  CHECK(text.find("\"a\"") < text.find("\"z\""));
  CHECK_THAT(text, hptest::Contains(R"("resume_from": null)"));
  CHECK_THAT(text, hptest::Contains(R"("label_smoothing": 0.0)"));
  CHECK(hp::parse<Run>(text) == run);
  Run other = run;
  other.losses["a"].weight = 2;
  CHECK(other != run);
}

TEST_CASE("user struct: a float keeps its shortest digits", "[user]") {
  Run run;
  run.name = "f";
  run.clip = 0.1F;
  run.losses["ce"].label_smoothing = 0.3F;
  const std::string text = hp::dump(run);
  CHECK_THAT(text, hptest::Contains(R"("clip": 0.1,)"));
  CHECK_THAT(text, hptest::Contains(R"("label_smoothing": 0.3)"));
  CHECK(hp::parse<Run>(text).clip == 0.1F);
  CHECK_THAT(hptest::render(user_issues(R"({"name": "f", "clip": 1e-50})")),
             hptest::Contains("too small for a float"));
}

TEST_CASE("user struct: validate checks a value built in code, at every depth", "[user]") {
  Run run;
  CHECK(kinds(hp::validate(run)) == decltype(kinds({})){{"/name", "out_of_range"}});
  run.name = "bad \xFF byte";
  run.model.blocks.resize(17);
  run.model.blocks[3].kernel = {0};
  run.model.blocks[4].dropout = std::nan("");
  run.model.blocks[5].pooling = static_cast<testapp::Pooling>(9);
  run.losses["x/y"].weight = -1;
  run.clip = std::numeric_limits<float>::infinity();
  const auto issues = hp::validate(run);
  INFO(hptest::render(issues));
  CHECK(kinds(issues) == decltype(kinds({})){{"/name", "invalid_value"},
                                             {"/model/blocks", "out_of_range"},
                                             {"/model/blocks/3/kernel/0", "out_of_range"},
                                             {"/model/blocks/4/dropout", "out_of_range"},
                                             {"/model/blocks/5/pooling", "invalid_value"},
                                             {"/losses/x~1y/weight", "out_of_range"},
                                             {"/clip", "out_of_range"}});
  CHECK_THROWS_AS(hp::dump(run), hp::ConfigError); // nothing invalid is ever written
  CHECK_THROWS_AS(hp::check(run), hp::ConfigError);
}

TEST_CASE("user struct: rules run once every field is valid, nested ones with their path",
          "[user]") {
  Run run;
  run.name = "r";
  run.model.residual = true;
  run.precision = testapp::Precision::fp16;
  CHECK(kinds(hp::validate(run)) == decltype(kinds({})){{"/deterministic", "inconsistent"},
                                                        {"/model/residual", "inconsistent"}});
  run.port = 1; // a field out of bounds: the rules wait
  CHECK(kinds(hp::validate(run)) == decltype(kinds({})){{"/port", "out_of_range"}});
}

namespace inner {
struct Required {
  std::string key;
  int other = 0;
};
constexpr auto describe(hyperparams::type<Required>) {
  using hyperparams::field;
  return hyperparams::fields(field("key", &Required::key, "Must be given.").required(),
                             field("other", &Required::other));
}
struct Outer {
  Required inner;
  std::vector<Required> list;
};
constexpr auto describe(hyperparams::type<Outer>) {
  using hyperparams::field;
  return hyperparams::fields(field("inner", &Outer::inner), field("list", &Outer::list));
}
} // namespace inner

TEST_CASE("required options of a choice: by name alone, in an object, or not given at all",
          "[user]") {
  const auto issues_of = parse_kinds<testapp::Input>;
  using Kinds = decltype(kinds({}));
  // a name alone gives none of its options (it loaded with url "" before)
  CHECK(issues_of(R"({"source": "url"})") == Kinds{{"/source/url", "missing_key"}});
  CHECK(issues_of(R"({"source": {"name": "url"}})") == Kinds{{"/source/url", "missing_key"}});
  // not given: the default alternative's required options are missing, as a nested struct's
  CHECK(issues_of(R"({"workers": 2})") == Kinds{{"/source/path", "missing_key"}});
  CHECK(issues_of(R"({"source": {"name": "url", "url": "https://x"}})").empty());
  CHECK(issues_of(R"({"source": {"path": "/data"}})").empty());
  // overrides: a name replaces the choice whole, a dotted key patches the options it keeps
  const auto input =
      hp::parse<testapp::Input>(R"({"source": {"name": "url", "url": "https://x"}})");
  CHECK(std::get<testapp::FromUrl>(hp::apply_overrides(input, {"source.retries=3"}).source).url ==
        "https://x");
  const auto override_issues = [&](const std::vector<std::string>& overrides) {
    try {
      (void)hp::apply_overrides(input, overrides);
    } catch (const hp::ConfigError& e) {
      return kinds(e.issues());
    }
    return Kinds{};
  };
  CHECK(override_issues({"source=url"}) == Kinds{{"/source/url", "missing_key"}});
  CHECK(override_issues({"source=file"}) == Kinds{{"/source/path", "missing_key"}});
  CHECK(override_issues({"source=file", "source.path=/d"}).empty());
  CHECK(override_issues({"source.name=url"}).empty()); // the same alternative keeps its url
  CHECK(override_issues({"source={\"name\": \"file\", \"path\": \"/d\"}"}).empty());
  CHECK(override_issues({"source.name=file", "source.path=/d"}).empty());
  CHECK(override_issues({"workers=3"}).empty()); // the base gave the rest
}

TEST_CASE("required keys: at every depth, and of a nested struct not given", "[user]") {
  const auto issues_of = parse_kinds<inner::Outer>;
  using Kinds = decltype(kinds({}));
  CHECK(issues_of("{}") == Kinds{{"/inner/key", "missing_key"}});
  CHECK(issues_of(R"({"inner": {"other": 1}})") == Kinds{{"/inner/key", "missing_key"}});
  CHECK(issues_of(R"({"inner": {"key": ""}, "list": [{"key": "a"}, {}]})") ==
        Kinds{{"/list/1/key", "missing_key"}});
  CHECK(issues_of(R"({"inner": {"key": "k"}})").empty());
  try {
    (void)hp::parse<inner::Outer>("{\n  \"inner\": {}\n}", "f.json");
    FAIL("a missing required key loads");
  } catch (const hp::ConfigError& e) {
    CHECK(std::string(e.what()) ==
          "f.json:2:12: error: /inner/key: missing required key \"key\" (Must be given.) "
          "[missing_key]");
  }
  // a patch (an override) of a struct that has the key gives it no new requirement
  const auto outer = hp::parse<inner::Outer>(R"({"inner": {"key": "k"}})");
  CHECK(hp::apply_overrides(outer, {"inner.other=2"}).inner.other == 2);
}

TEST_CASE("user struct: overrides reach into nested structs, maps and choices", "[user]") {
  const Run base = valid_run();
  const Run run =
      hp::apply_overrides(base, {"train.optimizer.momentum=0.5", "model.residual=false",
                                 "losses.new.weight=3", "metric_weights.acc=2", "precision=bf16",
                                 "resume_from=null", "name=renamed", "model.head=7", "port=1025"});
  CHECK(std::get<hp::SgdOptions>(run.train.optimizer).momentum == 0.5);
  CHECK_FALSE(run.model.residual);
  CHECK(run.losses.at("new").weight == 3);
  CHECK(run.losses.at("ce").weight == 1.0); // a dotted key patches one entry of a map
  CHECK(run.losses.size() == 3);
  CHECK(run.metric_weights.at("acc") == 2);
  CHECK(run.metric_weights.at("f1") == 0.5);
  CHECK_FALSE(run.resume_from.has_value());
  CHECK(run.name == "renamed");
  CHECK(std::get<std::int32_t>(run.model.head) == 7);
  CHECK(run.port == 1025);
  // a value replaces a map, a list, a struct or a choice whole, as in a file
  const Run replaced = hp::apply_overrides(
      base, {R"(losses={"only": {}})", R"(model={"blocks": [{}, {}]})", "train.optimizer=adam"});
  CHECK(replaced.losses.size() == 1);
  CHECK(replaced.model.blocks.size() == 2);
  CHECK(std::get<std::int32_t>(replaced.model.head) == 10); // the default, not base's list
  CHECK(std::get<hp::AdamOptions>(replaced.train.optimizer).beta1 == 0.9);
  CHECK(replaced.train.learning_rate == base.train.learning_rate);
}

TEST_CASE("user struct: overrides get the loader's messages at their path", "[user]") {
  const Run base = valid_run();
  try {
    (void)hp::apply_overrides(base, {"model.redisual=true", "losses.ce.weight=-1", "log_level.x=1",
                                     "train.optimizer.beta1=0.5", "name="});
    FAIL("bad overrides apply");
  } catch (const hp::ConfigError& e) {
    const auto& issues = e.issues();
    INFO(e.what());
    REQUIRE(issues.size() == 5);
    CHECK(issues[0].path == "/model/redisual");
    CHECK_THAT(issues[0].message, hptest::Contains("did you mean \"residual\""));
    CHECK(issues[1].path == "/losses/ce/weight");
    CHECK(issues[1].code == hp::IssueCode::out_of_range);
    CHECK(issues[2].path == "/log_level/x");
    CHECK_THAT(issues[2].message, hptest::Contains("/log_level is a value, not an object"));
    CHECK(issues[3].path == "/train/optimizer/beta1");
    CHECK_THAT(issues[3].message, hptest::Contains("of sgd"));
    CHECK(issues[4].path == "/name");
    CHECK_THAT(issues[4].message, hptest::Contains("must not be empty"));
  }
}

TEST_CASE("user struct: diff and fingerprint reach every leaf", "[user]") {
  const Run a = valid_run();
  Run b = a;
  b.losses["kl/aux~1"].weight = 2;
  b.model.blocks[1].dropout = 0.5;
  b.train.seed = 1;
  const auto differences = hp::diff(a, b);
  REQUIRE(differences.size() == 3);
  CHECK(differences[0] == hp::Difference{"/train/seed", "42", "1"});
  CHECK(differences[1].path == "/model/blocks"); // a list is one leaf
  CHECK(differences[2] == hp::Difference{"/losses/kl~1aux~01/weight", "0.5", "2.0"});
  CHECK(hp::fingerprint(a) != hp::fingerprint(b));
  CHECK(hp::fingerprint(a).size() == 16);
  CHECK(hp::diff(a, a).empty());
}

TEST_CASE("user struct: the schema has every field, required keys and nested structs", "[user]") {
  const json schema = hp::json_schema<Run>();
  CHECK(schema.at("else").at("required") == json{"name"}); // unless it has "$extends"
  CHECK(schema.at("additionalProperties") == false);
  const json& properties = schema.at("properties");
  CHECK(properties.size() == hp::detail::field_count<Run> + 2); // and "$schema", "$extends"
  CHECK(properties.at("train").at("properties").contains("optimizer"));
  const json& block = properties.at("model").at("properties").at("blocks").at("items");
  CHECK(block.at("properties").at("kernel").at("maxItems") == 3);
  CHECK(block.at("properties").at("dropout").at("anyOf").at(1) == json{{"type", "null"}});
  CHECK(properties.at("port").at("maximum") == 65535);
  CHECK(properties.at("max_steps").at("maximum") == std::numeric_limits<std::int64_t>::max());
  CHECK(properties.at("clip").at("maximum") == std::numeric_limits<float>::max());
  CHECK(properties.at("losses").at("additionalProperties").at("properties").contains("weight"));
  CHECK(properties.at("losses").at("minProperties") == 1);
  CHECK(hp::json_schema<hp::HyperParams>() == hp::json_schema());
}

TEST_CASE("user struct: printing and nlohmann conversions", "[user]") {
  const Run run = valid_run();
  std::ostringstream out;
  out << run;
  CHECK(out.str().rfind(R"({"name": "full run )", 0) == 0);
  CHECK(out.str().find('\n') == std::string::npos);
  CHECK(hp::to_string(run) == out.str());
  const json j = run.model;
  CHECK(j.at("blocks").size() == 2);
  CHECK(j.get<testapp::Model>() == run.model);
  CHECK_THROWS_AS(json({{"blocks", 3}}).get<testapp::Model>(), hp::ConfigError);
}
