// SPDX-License-Identifier: MIT
#include <hyperparams/overrides.hpp>

#include "catch_compat.hpp"
#include "support.hpp"

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

TEST_CASE("a new optimizer starts from its defaults, the same one keeps its options",
          "[overrides]") {
  HyperParams base;
  base.optimizer = AdamOptions{0.8, 0.99};
  const auto same = apply_overrides(base, {"optimizer=adam"});
  CHECK(std::get<AdamOptions>(same.optimizer).beta1 == 0.8);
  const auto other = apply_overrides(base, {"optimizer=adamw"});
  CHECK(std::get<AdamWOptions>(other.optimizer).beta1 == 0.9);
  CHECK(std::get<AdamWOptions>(other.optimizer).weight_decay == 0.01);
  const auto patched = apply_overrides(base, {"optimizer.amsgrad=true"});
  CHECK(std::get<AdamOptions>(patched.optimizer).beta1 == 0.8);
  CHECK(std::get<AdamOptions>(patched.optimizer).amsgrad);
  const auto whole =
      apply_overrides(base, {R"(optimizer={"name": "sgd", "nesterov": true, "momentum": 0.5})"});
  CHECK(std::get<SgdOptions>(whole.optimizer).nesterov);
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
  CHECK(hptest::has_issue(override_issues({"seed=0x10"}), "/seed", IssueCode::type_error));
  CHECK(hptest::has_issue(override_issues({"learning_rate="}), "/learning_rate",
                          IssueCode::type_error));
  CHECK(hptest::has_issue(override_issues({"learning_rate=1,\"epochs\":5"}), "/learning_rate",
                          IssueCode::type_error)); // no injection: a bad number is a string
  CHECK(hptest::has_issue(override_issues({"optimizer.momentum.x=1"}), "/optimizer/momentum",
                          IssueCode::type_error));
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
