// SPDX-License-Identifier: MIT
// Every issue that comes from text carries the 1-based line and column of the offending value
// or key; columns count Unicode code points.
#include <hyperparams/json.hpp>

#include "catch_compat.hpp"
#include "support.hpp"

using namespace hyperparams;
using hptest::issues_of;
using hptest::render;

namespace {

Issue only(const std::vector<Issue>& issues) {
  INFO(render(issues));
  REQUIRE(issues.size() == 1);
  return issues[0];
}

} // namespace

TEST_CASE("values are located at their first character", "[locations]") {
  const std::string text = "{\n"
                           "  \"learning_rate\": 0.001,\n"
                           "  \"batch_size\": 64,\n"
                           "  \"dropout\": 1.5,\n"
                           "  \"activation\": \"relux\",\n"
                           "  \"neurons\": [64,\n"
                           "              -1],\n"
                           "  \"layers\": 2\n"
                           "}";
  const auto issues = issues_of(text);
  INFO(render(issues));
  REQUIRE(issues.size() == 3);
  CHECK(issues[0].path == "/dropout");
  CHECK(issues[0].line == 4);
  CHECK(issues[0].column == 14);
  CHECK(issues[1].path == "/activation");
  CHECK(issues[1].line == 5);
  CHECK(issues[1].column == 17);
  CHECK(issues[2].path == "/neurons/1");
  CHECK(issues[2].line == 7);
  CHECK(issues[2].column == 15);
}

TEST_CASE("unknown and duplicate keys are located at the key", "[locations]") {
  const auto unknown = only(issues_of("{\"epochs\": 1,\n   \"epoch\": 2}"));
  CHECK(unknown.line == 2);
  CHECK(unknown.column == 4);
  const auto duplicate = only(issues_of("{\"epochs\": 1,\r\n \"epochs\": 2}"));
  CHECK(duplicate.line == 2);
  CHECK(duplicate.column == 2);
}

TEST_CASE("a missing comma is reported where the next member starts", "[locations]") {
  const auto issue = only(issues_of("{\n  \"learning_rate\": 0.001\n  \"batch_size\": 32\n}"));
  CHECK(issue.code == IssueCode::parse_error);
  CHECK(issue.line == 3);
  CHECK(issue.column == 3);
}

TEST_CASE("lexical errors point at the offending character", "[locations]") {
  const auto tab = only(issues_of("{\"optimizer\": \"ad\tam\"}"));
  CHECK(tab.line == 1);
  CHECK(tab.column == 18);
  const auto utf8 = only(issues_of("{\n\"optimizer\": \"ad\xFF\"}"));
  CHECK(utf8.line == 2);
  CHECK(utf8.column == 17);
  const auto literal = only(issues_of("{\"activation\":\n    None}"));
  CHECK(literal.line == 2);
  CHECK(literal.column == 5);
  const auto nul = only(issues_of(std::string("{\"epochs\": 1}\n\n  \0", 18)));
  CHECK(nul.line == 3);
  CHECK(nul.column == 3);
}

TEST_CASE("columns count code points, not bytes", "[locations]") {
  // "é" is two bytes, "€" three, "𝜆" four: each one column
  const auto issue =
      only(issues_of("{\"$schema\": \"\xC3\xA9\xE2\x82\xAC\xF0\x9D\x9C\x86\", \"epochs\": 0}"));
  CHECK(issue.path == "/epochs");
  CHECK(issue.column == 30);
}

TEST_CASE("rules between fields are located at the field they name", "[locations]") {
  const auto neurons = only(issues_of("{\"layers\": 3,\n \"neurons\": [1, 2]}"));
  CHECK(neurons.code == IssueCode::inconsistent);
  CHECK(neurons.line == 2);
  CHECK(neurons.column == 13);
  const auto nesterov =
      only(issues_of("{\"optimizer\": {\"name\": \"sgd\",\n \"nesterov\": true}}"));
  CHECK(nesterov.code == IssueCode::inconsistent);
  CHECK(nesterov.line == 2);
  CHECK(nesterov.column == 14);
}

TEST_CASE("issues are listed in document order", "[locations]") {
  const auto issues = issues_of(R"({"seed": -1, "epochs": 0, "learning_rte": 1, "batch_size": 0})");
  INFO(render(issues));
  REQUIRE(issues.size() == 4);
  for (std::size_t i = 1; i < issues.size(); ++i) {
    CHECK(issues[i - 1].column < issues[i].column);
  }
}

TEST_CASE("every issue from text is located", "[locations]") {
  const std::string text =
      R"({"learning_rate": "fast", "batch_size": 1.5, "epochs": -2, "optimizer": {"name": "sgd",
          "beta1": 0.9, "momentum": true}, "layers": [2], "neurons": [1, [2]], "dropout": 1,
          "activation": 1, "seed": -5, "extra": {"deep": [1]}, "epochs": 3})";
  const auto issues = issues_of(text);
  INFO(render(issues));
  CHECK(issues.size() == 12);
  for (const auto& issue : issues) {
    CHECK(issue.line >= 1);
    CHECK(issue.column >= 1);
  }
}
