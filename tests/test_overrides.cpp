// SPDX-License-Identifier: MIT
#include <hyperparams/detail/text.hpp>
#include <hyperparams/overrides.hpp>

#include "catch_compat.hpp"
#include "support.hpp"

#include <algorithm>

using namespace hyperparams;

namespace {

std::vector<Issue> override_issues(const std::vector<std::string>& overrides,
                                   const HyperParams& base = {}) {
  try {
    (void)apply_overrides(base, overrides);
  } catch (const ConfigError& error) {
    CHECK(error.source() == "<overrides>");
    return error.issues();
  }
  return {};
}

} // namespace

TEST_CASE("overrides set fields, options and lists", "[overrides]") {
  const auto hp =
      apply_overrides(HyperParams{}, {"learning_rate=3e-4", "optimizer=sgd",
                                      "optimizer.momentum=0.9", "layers=2", "neurons=[256,128]",
                                      "activation=GELU", "seed=18446744073709551615", "dropout=0"});
  CHECK(hp.learning_rate == 3e-4);
  REQUIRE(hp.optimizer_name() == Optimizer::sgd);
  CHECK(std::get<SgdOptions>(hp.optimizer).momentum == 0.9);
  CHECK(hp.layer_widths() == std::vector<std::int32_t>{256, 128});
  CHECK(hp.activation == Activation::gelu);
  CHECK(hp.seed == 18446744073709551615ULL);
  CHECK(hp.dropout == 0.0);
}

TEST_CASE("no overrides change nothing", "[overrides]") {
  HyperParams base;
  base.epochs = 3;
  CHECK(apply_overrides(base, {}) == base);
}

TEST_CASE("choosing the optimizer comes first, whatever the order", "[overrides]") {
  const auto hp = apply_overrides(HyperParams{}, {"optimizer.momentum=0.9", "optimizer=sgd"});
  REQUIRE(hp.optimizer_name() == Optimizer::sgd);
  CHECK(std::get<SgdOptions>(hp.optimizer).momentum == 0.9);
  const auto named =
      apply_overrides(HyperParams{}, {"optimizer.alpha=0.9", "optimizer.name=rmsprop"});
  CHECK(std::get<RmspropOptions>(named.optimizer).alpha == 0.9);
}

TEST_CASE("an override sets its key as a file would, a dotted key changes one part",
          "[overrides]") {
  HyperParams base;
  base.optimizer = AdamOptions{0.8, 0.99};
  // optimizer=NAME is that optimizer with its defaults, as "optimizer": "NAME" in a file
  const auto same = apply_overrides(base, {"optimizer=adam"});
  CHECK(std::get<AdamOptions>(same.optimizer).beta1 == 0.9);
  const auto other = apply_overrides(base, {"optimizer=adamw"});
  CHECK(std::get<AdamWOptions>(other.optimizer).beta1 == 0.9);
  CHECK(std::get<AdamWOptions>(other.optimizer).weight_decay == 0.01);
  // optimizer.name=NAME changes the name only: the same optimizer keeps its options
  const auto renamed = apply_overrides(base, {"optimizer.name=adam"});
  CHECK(std::get<AdamOptions>(renamed.optimizer).beta1 == 0.8);
  const auto patched = apply_overrides(base, {"optimizer.amsgrad=true"});
  CHECK(std::get<AdamOptions>(patched.optimizer).beta1 == 0.8);
  CHECK(std::get<AdamOptions>(patched.optimizer).amsgrad);
  const auto whole =
      apply_overrides(base, {R"(optimizer={"name": "sgd", "nesterov": true, "momentum": 0.5})"});
  CHECK(std::get<SgdOptions>(whole.optimizer).nesterov);
  // the object form, too, is the whole value: without a name, the default optimizer (adam)
  HyperParams sgd;
  sgd.optimizer = SgdOptions{0.9, 0.1};
  CHECK(apply_overrides(sgd, {"optimizer={}"}).optimizer == HyperParams{}.optimizer);
  const auto reset = apply_overrides(sgd, {R"(optimizer={"name": "sgd", "momentum": 0.5})"});
  CHECK(std::get<SgdOptions>(reset.optimizer).dampening == 0.0);
  const auto issues = override_issues({R"(optimizer={"momentum":0.5})"}, sgd);
  INFO(hptest::render(issues));
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].path == "/optimizer/momentum");
  CHECK_THAT(issues[0].message, hptest::Contains("unknown option \"momentum\" of adam"));
  // and the same for the schedule
  HyperParams step;
  step.lr_schedule = StepSchedule{5, 0.5, 2.0};
  CHECK(apply_overrides(step, {"lr_schedule=step"}).lr_schedule ==
        LrScheduleOptions{StepSchedule{}});
  CHECK(apply_overrides(step, {"lr_schedule.name=step"}).lr_schedule == step.lr_schedule);
}

TEST_CASE("two overrides that set the same value are an error, however spelled", "[overrides]") {
  const std::vector<std::vector<std::string>> conflicts = {
      {"optimizer.name=sgd", "optimizer=adam"},
      {"optimizer=sgd", "optimizer.name=sgd"},
      {"lr_schedule=step", "lr_schedule.name=cosine"},
      {R"(optimizer={"name":"sgd","momentum":0.9})", "optimizer.momentum=0.5"},
      {R"(optimizer={"momentum":0.9})", "optimizer=sgd"}, // an object always chooses
      {"optimizer={}", "optimizer.name=adam"},
      {R"(lr_schedule={"name":"step","gamma":0.5})", R"(lr_schedule={"name":"step"})"},
      {"lr_schedule.name=step", R"(lr_schedule={"name":"cosine"})"},
      {R"(optimizer= {"name":"sgd","momentum":0.9})", "optimizer.momentum=0.5"},
      {"seed=1", "seed=1"},
  };
  for (const auto& overrides : conflicts) {
    const auto issues = override_issues(overrides);
    INFO(overrides[0] << " " << overrides[1] << "\n" << hptest::render(issues));
    const auto duplicate = std::find_if(issues.begin(), issues.end(), [](const Issue& issue) {
      return issue.code == IssueCode::duplicate_key;
    });
    REQUIRE(duplicate != issues.end());
    CHECK_THAT(duplicate->message,
               hptest::Contains("override 2 " + detail::quote(overrides[1]) + ": "));
    CHECK_THAT(duplicate->message, hptest::Contains("already set by override 1"));
  }
  // an option given next to the choice of optimizer is no conflict, in any order
  for (const auto& overrides : std::vector<std::vector<std::string>>{
           {"optimizer=sgd", "optimizer.momentum=0.9"},
           {"optimizer.momentum=0.9", R"(optimizer={"name":"sgd"})"},
           {R"(optimizer={"name":"sgd","dampening":0.5})", "optimizer.momentum=0.9"},
       }) {
    INFO(overrides[0] << " " << overrides[1]);
    const auto hp = apply_overrides(HyperParams{}, overrides);
    REQUIRE(hp.optimizer_name() == Optimizer::sgd);
    CHECK(std::get<SgdOptions>(hp.optimizer).momentum == 0.9);
  }
}

TEST_CASE("override values follow the number rules of files", "[overrides]") {
  auto issues = override_issues({"learning_rate=1e400"});
  INFO(hptest::render(issues));
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].path == "/learning_rate");
  CHECK(issues[0].code == IssueCode::out_of_range);
  CHECK(hptest::has_issue(override_issues({"neurons=[1e400]"}), "/neurons/0",
                          IssueCode::out_of_range));
  CHECK(hptest::has_issue(override_issues({"learning_rate=1e-400"}), "/learning_rate",
                          IssueCode::out_of_range));
  // a number-like bare word is never a string
  for (const char* text : {"learning_rate=.1", "seed=0x10", "seed=+1", "seed=012", "seed=1.",
                           "learning_rate=1,\"epochs\":5", "dropout=-.5", "epochs=1e"}) {
    issues = override_issues({text});
    INFO(text << "\n" << hptest::render(issues));
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].code == IssueCode::parse_error);
    CHECK_THAT(issues[0].message, !hptest::Contains("the string"));
  }
  CHECK_THAT(override_issues({"seed=0x10"}).at(0).message, hptest::Contains("hexadecimal"));
  CHECK_THAT(override_issues({"learning_rate=.1"}).at(0).message,
             hptest::Contains("a digit before the decimal point"));
  // nothing after the value reaches the config
  CHECK_THROWS_AS(apply_overrides(HyperParams{}, {"neurons=[1],\"epochs\":[5]"}), ConfigError);
  CHECK(apply_overrides(HyperParams{}, {"seed=9007199254740993.0"}).seed == 9007199254740993ULL);
  // strings that only start like a word stay strings
  CHECK(hptest::has_issue(override_issues({"activation=-relu"}), "/activation",
                          IssueCode::invalid_value));
}

TEST_CASE("whitespace before a value changes nothing", "[overrides]") {
  CHECK(hptest::has_issue(override_issues({"seed= 1e400"}), "/seed", IssueCode::out_of_range));
  CHECK(override_issues({"seed= 0x10"}).at(0).code == IssueCode::parse_error);
  CHECK(override_issues({"neurons= [1,2"}).at(0).code == IssueCode::parse_error);
  CHECK(apply_overrides(HyperParams{}, {"seed= 7"}).seed == 7);
}

TEST_CASE("an override with an issue changes nothing, and conflicts come alone", "[overrides]") {
  HyperParams sgd;
  sgd.optimizer = SgdOptions{0.5};
  // the bad choice is not applied: the option is checked against the optimizer there was
  auto issues = override_issues({"optimizer=sgdd", "optimizer.momentum=0.9"}, sgd);
  INFO(hptest::render(issues));
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].path == "/optimizer");
  // which of two conflicting values is meant is not known: nothing is read against either
  issues = override_issues(
      {"optimizer.momentum=0.9", R"(optimizer={"name":"sgd","momentum":0.5})", "dropout=7"});
  INFO(hptest::render(issues));
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].code == IssueCode::duplicate_key);
  // an issue of the result that no one override holds says so
  HyperParams warm;
  warm.lr_schedule = CosineSchedule{0.0, 2.0};
  issues = override_issues({"epochs=1"}, warm);
  INFO(hptest::render(issues));
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].code == IssueCode::inconsistent);
  CHECK(issues[0].message.rfind("with the overrides applied: ", 0) == 0);
}

TEST_CASE("override keys that are not UTF-8 or very long stay bounded in messages",
          "[overrides][limits]") {
  auto issues = override_issues({"bo\xffgus=1", "bo\xffgus=2"});
  INFO(hptest::render(issues));
  REQUIRE(issues.size() == 1);
  for (const auto& text : {issues[0].path, issues[0].message}) {
    for (std::size_t i = 0; i < text.size();) {
      const std::size_t length = detail::utf8_sequence(text, i);
      REQUIRE(length > 0);
      i += length;
    }
  }
  const std::string key(3000, 'k');
  issues = override_issues({key + "=1", key + "=2"});
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].message.size() < 600);
  // a URL is not a JSON value the shell took apart
  CHECK_THAT(override_issues({"activation=https://x"}).at(0).message,
             !hptest::Contains("quote JSON values"));
}

TEST_CASE("a duplicate inside an override's JSON is located in the override's text",
          "[overrides]") {
  const auto issues = override_issues({R"(optimizer={"name":"sgd","name":"adam"})"});
  INFO(hptest::render(issues));
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].code == IssueCode::duplicate_key);
  CHECK_THAT(issues[0].message, hptest::Contains("first at line 1, column 12)")); // in key=value
}

TEST_CASE("JSON values the shell took apart get a hint to quote them", "[overrides]") {
  // bash turns optimizer={"name":"sgd","momentum":0.9} into these two words
  auto issues = override_issues({"optimizer=name:sgd", "optimizer=momentum:0.9"});
  INFO(hptest::render(issues));
  REQUIRE_FALSE(issues.empty());
  CHECK_THAT(issues[0].message, hptest::Contains("quote JSON values in the shell"));
  // and optimizer={"name":"sgd"} into this one
  issues = override_issues({"optimizer={name:sgd}"});
  INFO(hptest::render(issues));
  REQUIRE(issues.size() == 1);
  CHECK_THAT(issues[0].message, hptest::Contains("quote JSON values in the shell"));
  // a plain bad name gets none
  CHECK_THAT(override_issues({"optimizer=adamx"}).at(0).message,
             !hptest::Contains("quote JSON values"));
}

TEST_CASE("thousands of bad overrides give at most 100 issues and a count", "[overrides][limits]") {
  for (const std::string prefix : {"k", "optimizer.k"}) {
    std::vector<std::string> overrides;
    for (int i = 0; i < 5000; ++i) {
      overrides.push_back(prefix + std::to_string(i) + "=1");
    }
    const auto issues = override_issues(overrides);
    REQUIRE(issues.size() == 101);
    CHECK_THAT(issues[0].message, hptest::Contains("override 1 "));
    CHECK_THAT(issues[99].message, hptest::Contains("override 100 "));
    CHECK(issues.back().code == IssueCode::limit_exceeded);
    CHECK_THAT(issues.back().message, hptest::Contains("4900 more issues not shown"));
  }
}

TEST_CASE("bad overrides are reported with their position, all at once", "[overrides]") {
  const auto issues =
      override_issues({"learnin_rate=0.1", "epochs=ten", "optimizer.beta1=2", "dropout",
                       "activation=relux", "neurons=[1,2", "optimizer.momentum=0.9"});
  INFO(hptest::render(issues));
  REQUIRE(issues.size() == 7);
  CHECK(issues[0].path == "/learnin_rate");
  CHECK(issues[0].code == IssueCode::unknown_key);
  CHECK_THAT(issues[0].message,
             hptest::Contains("override 1 \"learnin_rate=0.1\": unknown key \"learnin_rate\"; did "
                              "you mean \"learning_rate\"?"));
  CHECK(issues[1].path == "/epochs");
  CHECK(issues[1].code == IssueCode::type_error);
  CHECK_THAT(issues[1].message, hptest::Contains("override 2 \"epochs=ten\": expected an integer, "
                                                 "got the string \"ten\""));
  CHECK(issues[2].path == "/optimizer/beta1");
  CHECK_THAT(issues[2].message, hptest::Contains("override 3"));
  CHECK(issues[3].code == IssueCode::invalid_value);
  CHECK_THAT(issues[3].message, hptest::Contains("override 4 \"dropout\": expected key=value"));
  CHECK(issues[4].code == IssueCode::invalid_value);
  CHECK(issues[5].code == IssueCode::parse_error);
  CHECK(issues[6].code == IssueCode::unknown_key);
  for (const auto& issue : issues) {
    CHECK(issue.line == 0);
  }
}

TEST_CASE("values out of bounds are found once all overrides are applied", "[overrides]") {
  // layers=3 alone would disagree with the two default-less widths; with neurons it is fine
  CHECK_NOTHROW(apply_overrides(HyperParams{}, {"layers=3", "neurons=[1,2,3]"}));
  const auto issues = override_issues({"layers=3", "neurons=[1,2]", "dropout=1.5"});
  INFO(hptest::render(issues));
  REQUIRE(issues.size() == 1); // the rule between fields waits for dropout to be valid
  CHECK(issues[0].path == "/dropout");
  CHECK_THAT(issues[0].message, hptest::Contains("override 3 \"dropout=1.5\": must be in [0, 1)"));
  const auto rule = override_issues({"layers=3", "neurons=[1,2]"});
  REQUIRE(rule.size() == 1);
  CHECK(rule[0].code == IssueCode::inconsistent);
  CHECK_THAT(rule[0].message, hptest::Contains("override 2"));
}

TEST_CASE("the same key twice is an error", "[overrides]") {
  const auto issues = override_issues({"epochs=3", "epochs=4"});
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].code == IssueCode::duplicate_key);
  CHECK_THAT(issues[0].message, hptest::Contains("already set by override 1"));
}

TEST_CASE("a bare word is a string, JSON is JSON", "[overrides]") {
  CHECK(apply_overrides(HyperParams{}, {"activation=\"tanh\""}).activation == Activation::tanh);
  CHECK(hptest::has_issue(override_issues({"batch_size=\"64\""}), "/batch_size",
                          IssueCode::type_error));
  CHECK(hptest::has_issue(override_issues({"learning_rate="}), "/learning_rate",
                          IssueCode::type_error));
  // a dotted key reaches the options of the optimizer and the schedule, nothing else
  for (const char* text : {"optimizer.momentum.x=1", "seed.x=1", "neurons.0=3"}) {
    const auto issues = override_issues({text});
    INFO(text << "\n" << hptest::render(issues));
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].code == IssueCode::unknown_key);
    CHECK_THAT(issues[0].message, hptest::Contains("is a value, not an object"));
  }
  CHECK(override_issues({"=1"}).at(0).code == IssueCode::invalid_value);
  CHECK(override_issues({"a..b=1"}).at(0).code == IssueCode::invalid_value);
}

TEST_CASE("hostile override values are bounded like files", "[overrides][limits]") {
  const std::string deep = "neurons=" + std::string(100000, '[') + std::string(100000, ']');
  CHECK(hptest::has_issue(override_issues({deep}), "", IssueCode::limit_exceeded));
  const std::string huge = "activation=" + std::string(2u << 20, 'x');
  CHECK(hptest::has_issue(override_issues({huge}), "", IssueCode::limit_exceeded));
}

TEST_CASE("split_arguments finds --set k=v, --set=k=v and bare k=v", "[overrides]") {
  const char* argv[] = {"train",       "config.json", "--set",     "epochs=3", "--set=seed=1",
                        "dropout=0.1", "--data",      "/tmp/data", "-v",       "--set"};
  const auto split = split_arguments(static_cast<int>(std::size(argv)), argv);
  CHECK(split.overrides == std::vector<std::string>{"epochs=3", "seed=1", "dropout=0.1", ""});
  CHECK(split.others == std::vector<std::string>{"config.json", "--data", "/tmp/data", "-v"});
}
