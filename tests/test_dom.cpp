// SPDX-License-Identifier: MIT
// nlohmann ADL: `json j = hp;` and `j.get<HyperParams>()`, with the same strictness as text.
#include <hyperparams/fields.hpp>
#include <hyperparams/json.hpp>

#include "catch_compat.hpp"
#include "support.hpp"

using namespace hyperparams;
using nlohmann::json;

namespace {

std::vector<Issue> dom_issues(const json& j) {
  try {
    (void)j.get<HyperParams>();
  } catch (const ConfigError& error) {
    CHECK(error.source() == "<json>");
    return error.issues();
  }
  return {};
}

} // namespace

TEST_CASE("json j = hp gives the complete canonical form", "[dom]") {
  HyperParams hp;
  hp.neurons = std::vector<std::int32_t>{8, 4};
  const json j = hp;
  CHECK(j.at("optimizer").at("name") == "adam");
  CHECK(j.at("optimizer").at("beta2") == 0.999);
  CHECK(j.at("neurons") == json::array({8, 4}));
  CHECK(j.at("seed").is_number_unsigned());
  CHECK(j.at("dropout").is_number_float());
  CHECK(j.size() == detail::field_count<HyperParams>);
  CHECK(j.get<HyperParams>() == hp);
}

TEST_CASE("get<HyperParams> is as strict as parse", "[dom]") {
  CHECK(hptest::has_issue(dom_issues(json{{"batch_size", 64.5}}), "/batch_size",
                          IssueCode::type_error));
  CHECK(hptest::has_issue(dom_issues(json{{"batch_size", -1}}), "/batch_size",
                          IssueCode::out_of_range));
  CHECK(hptest::has_issue(dom_issues(json{{"learning_rat", 0.1}}), "/learning_rat",
                          IssueCode::unknown_key));
  CHECK(hptest::has_issue(dom_issues(json{{"optimizer", 1}}), "/optimizer", IssueCode::type_error));
  CHECK(hptest::has_issue(dom_issues(json{{"optimizer", {{"name", "sgd"}, {"beta1", 0.9}}}}),
                          "/optimizer/beta1", IssueCode::unknown_key));
  CHECK(hptest::has_issue(dom_issues(json::array()), "", IssueCode::type_error));
  CHECK(hptest::has_issue(dom_issues(json{{"dropout", std::nan("")}}), "/dropout",
                          IssueCode::out_of_range));
  CHECK(json{{"batch_size", 64.0}}.get<HyperParams>().batch_size == 64);
  const auto issues = dom_issues(json{{"epochs", 0}, {"seed", "x"}});
  REQUIRE(issues.size() == 2);
  for (const auto& issue : issues) {
    CHECK(issue.line == 0); // a DOM has no text to point into
    CHECK(issue.column == 0);
  }
}

TEST_CASE("a DOM has only the double: float integers above 2^53 are refused", "[dom]") {
  // text is read from its digits (test_json.cpp); a DOM's 1e17 may stand for another integer
  CHECK(json{{"seed", 9007199254740992.0}}.get<HyperParams>().seed == 9007199254740992ULL);
  const auto issues = dom_issues(json{{"seed", 1e17}});
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].path == "/seed");
  CHECK(issues[0].code == IssueCode::type_error);
  CHECK_THAT(issues[0].message, hptest::Contains("got the floating-point value"));
  CHECK(hptest::has_issue(dom_issues(json{{"batch_size", 1e17}}), "/batch_size",
                          IssueCode::out_of_range));
}

TEST_CASE("a hostile DOM deeper than the stack is refused without recursion", "[dom][limits]") {
  json root = json::object();
  json* node = &root;
  for (int i = 0; i < 200000; ++i) { // built iteratively; nlohmann destroys it iteratively
    node = &((*node)["optimizer"] = json::object());
  }
  const auto issues = dom_issues(root);
  CHECK(hptest::has_issue(issues, "", IssueCode::limit_exceeded));
}
