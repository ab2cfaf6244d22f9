// SPDX-License-Identifier: MIT
#include <hyperparams/detail/text.hpp>
#include <hyperparams/json.hpp>
#include <hyperparams/overrides.hpp>

#include "catch_compat.hpp"
#include "support.hpp"

#include <filesystem>

using namespace hyperparams;
using hptest::has_issue;
using hptest::issues_of;
using hptest::render;

TEST_CASE("a missing key takes its default", "[json]") {
  CHECK(parse("{}") == HyperParams{});
  const auto hp = parse(R"({"epochs": 3})");
  HyperParams expected;
  expected.epochs = 3;
  CHECK(hp == expected);
}

TEST_CASE("every field is read", "[json]") {
  const auto hp = parse(R"({
    "learning_rate": 0.05, "batch_size": 128, "epochs": 30,
    "optimizer": {"name": "sgd", "momentum": 0.9, "nesterov": true, "weight_decay": 5e-4},
    "layers": 3, "neurons": [512, 256, 128], "dropout": 0.2, "activation": "GELU",
    "seed": 18446744073709551615})");
  CHECK(hp.learning_rate == 0.05);
  CHECK(hp.batch_size == 128);
  CHECK(hp.epochs == 30);
  const auto& sgd = std::get<SgdOptions>(hp.optimizer);
  CHECK(sgd.momentum == 0.9);
  CHECK(sgd.dampening == 0.0);
  CHECK(sgd.nesterov);
  CHECK(sgd.weight_decay == 5e-4);
  CHECK(hp.layer_widths() == std::vector<std::int32_t>{512, 256, 128});
  CHECK(hp.dropout == 0.2);
  CHECK(hp.activation == Activation::gelu);
  CHECK(hp.seed == 18446744073709551615ULL);
}

TEST_CASE("the optimizer is a name or an object with a name", "[json]") {
  CHECK(parse(R"({"optimizer": "RMSprop"})").optimizer_name() == Optimizer::rmsprop);
  const auto hp = parse(R"({"optimizer": {"beta2": 0.95, "name": "adamw"}})");
  REQUIRE(hp.optimizer_name() == Optimizer::adamw);
  CHECK(std::get<AdamWOptions>(hp.optimizer).beta2 == 0.95);
  CHECK(std::get<AdamWOptions>(hp.optimizer).weight_decay == 0.01); // AdamW's default
  SECTION("without a name, the options are the default optimizer's (adam)") {
    const auto adam = parse(R"({"optimizer": {"amsgrad": true}})");
    CHECK(std::get<AdamOptions>(adam.optimizer).amsgrad);
  }
}

TEST_CASE("an option of another optimizer is an error that says whose it is", "[json]") {
  const auto issues = issues_of(R"({"optimizer": {"name": "adam", "momentum": 0.9}})");
  INFO(render(issues));
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].path == "/optimizer/momentum");
  CHECK(issues[0].code == IssueCode::unknown_key);
  CHECK_THAT(issues[0].message, hptest::Contains("it is an option of sgd, rmsprop"));
}

TEST_CASE("an option of no optimizer lists the options of the chosen one", "[json]") {
  for (const char* text : {R"({"optimizer": {"name": "sgd", "zzz": 1}})",
                           R"({"optimizer": {"zzz": 1, "name": "SGD"}})"}) {
    const auto issues = issues_of(text);
    INFO(render(issues));
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].path == "/optimizer/zzz");
    CHECK(issues[0].code == IssueCode::unknown_key);
    CHECK(issues[0].column == (text[16] == 'n' ? 31 : 16));
    CHECK_THAT(issues[0].message,
               hptest::Contains("unknown option \"zzz\" of sgd. Options of sgd: name, momentum, "
                                "dampening, nesterov, weight_decay"));
    CHECK_THAT(issues[0].message, !hptest::Contains("beta1"));
  }
  const auto typo = issues_of(R"({"optimizer": {"name": "sgd", "momentun": 0.9}})");
  CHECK_THAT(typo.at(0).message, hptest::Contains("did you mean \"momentum\"?"));
  // without a name, the default optimizer's
  const auto unnamed = issues_of(R"({"optimizer": {"zzz": 1}})");
  CHECK_THAT(unnamed.at(0).message, hptest::Contains("Options of adam: name, beta1"));
}

TEST_CASE("options are checked only against an optimizer that is known", "[json]") {
  // a bad name, or an object cut short before its name: only what no optimizer has is wrong
  const std::vector<std::string> texts = {
      R"({"optimizer": {"name": "sgdd", "momentum": 0.9, "bogus": 1}})",
      R"({"optimizer": {"name": 5, "momentum": 0.9, "bogus": 1}})",
      R"({"optimizer": {"momentum": 0.9, "bogus": 1, "x": 1e400, "name": "sgd"}})",
      R"({"optimizer": {"momentum": 0.9, "bogus": 1, "x": )" + std::string(70, '[') + "}}"};
  for (const auto& text : texts) {
    const auto issues = issues_of(text);
    INFO(text << "\n" << render(issues));
    CHECK_FALSE(has_issue(issues, "/optimizer/momentum", IssueCode::unknown_key));
    REQUIRE(has_issue(issues, "/optimizer/bogus", IssueCode::unknown_key));
    for (const auto& issue : issues) {
      CHECK_THAT(issue.message, !hptest::Contains("of adam"));
    }
  }
  const auto typed = issues_of(R"({"optimizer": {"name": 5}})");
  CHECK_THAT(typed.at(0).message, hptest::Contains("expected an optimizer name (a string)"));
}

TEST_CASE("bad optimizer objects", "[json]") {
  SECTION("unknown name") {
    const auto issues = issues_of(R"({"optimizer": {"name": "adamax"}})");
    CHECK(has_issue(issues, "/optimizer/name", IssueCode::invalid_value));
  }
  SECTION("name of the wrong type") {
    const auto issues = issues_of(R"({"optimizer": {"name": 3}})");
    CHECK(has_issue(issues, "/optimizer/name", IssueCode::type_error));
  }
  SECTION("option of the wrong type") {
    const auto issues = issues_of(R"({"optimizer": {"name": "sgd", "nesterov": "yes"}})");
    CHECK(has_issue(issues, "/optimizer/nesterov", IssueCode::type_error));
  }
  SECTION("nested value as an option") {
    const auto issues = issues_of(R"({"optimizer": {"name": "sgd", "momentum": [0.9]}})");
    CHECK(has_issue(issues, "/optimizer/momentum", IssueCode::type_error));
  }
  SECTION("typo in an option") {
    const auto issues = issues_of(R"({"optimizer": {"name": "adam", "beta_1": 0.9}})");
    REQUIRE(has_issue(issues, "/optimizer/beta_1", IssueCode::unknown_key));
    CHECK_THAT(issues[0].message, hptest::Contains("did you mean \"beta1\"?"));
  }
  SECTION("duplicate option") {
    const auto issues = issues_of(R"({"optimizer": {"name": "adam", "beta1": 0.9, "beta1": 0.8}})");
    CHECK(has_issue(issues, "/optimizer/beta1", IssueCode::duplicate_key));
  }
  SECTION("array") {
    CHECK(has_issue(issues_of(R"({"optimizer": ["adam"]})"), "/optimizer", IssueCode::type_error));
  }
  SECTION("option out of range") {
    const auto issues = issues_of(R"({"optimizer": {"name": "adam", "beta1": 1.0}})");
    CHECK(has_issue(issues, "/optimizer/beta1", IssueCode::out_of_range));
  }
  SECTION("nesterov without momentum") {
    const auto issues = issues_of(R"({"optimizer": {"name": "sgd", "nesterov": true}})");
    CHECK(has_issue(issues, "/optimizer/nesterov", IssueCode::inconsistent));
  }
}

TEST_CASE("unknown keys are errors with a did-you-mean when one is close", "[json]") {
  auto issues = issues_of(R"({"learning_rte": 0.1})");
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].path == "/learning_rte");
  CHECK(issues[0].code == IssueCode::unknown_key);
  CHECK_THAT(issues[0].message, hptest::Contains("did you mean \"learning_rate\"?"));
  issues = issues_of(R"({"Dropout": 0.1})");
  CHECK_THAT(issues.at(0).message, hptest::Contains("did you mean \"dropout\"?"));
  issues = issues_of(R"({"momentum_schedule": 0.1})");
  CHECK_THAT(issues.at(0).message, hptest::Contains("the keys are learning_rate, batch_size"));
  issues = issues_of(R"({"a/b~c": 1})");
  CHECK(issues.at(0).path == "/a~1b~0c"); // JSON pointer escapes
}

TEST_CASE("the $schema key is accepted and ignored", "[json]") {
  CHECK(
      parse(R"({"$schema": "https://example.org/hyperparams.schema.json", "epochs": 2})").epochs ==
      2);
  CHECK(has_issue(issues_of(R"({"$schema": 5})"), "/$schema", IssueCode::type_error));
}

TEST_CASE("duplicate keys are errors even with the same value", "[json]") {
  const auto issues = issues_of("{\"epochs\": 2,\n \"epochs\": 2}");
  INFO(render(issues));
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].path == "/epochs");
  CHECK(issues[0].code == IssueCode::duplicate_key);
  CHECK(issues[0].line == 2);
  CHECK_THAT(issues[0].message, hptest::Contains("first at line 1, column 2"));
}

TEST_CASE("integers: no truncation, no wrap-around", "[json]") {
  const auto [text, path, code] = GENERATE(table<std::string, std::string, IssueCode>({
      {R"({"batch_size": 64.5})", "/batch_size", IssueCode::type_error},
      {R"({"batch_size": -1})", "/batch_size", IssueCode::out_of_range},
      {R"({"batch_size": 4294967296})", "/batch_size", IssueCode::out_of_range},
      {R"({"batch_size": 2147483648})", "/batch_size", IssueCode::out_of_range},
      {R"({"batch_size": 9223372036854775808})", "/batch_size", IssueCode::out_of_range},
      {R"({"batch_size": -9223372036854775808})", "/batch_size", IssueCode::out_of_range},
      {R"({"batch_size": 1e20})", "/batch_size", IssueCode::out_of_range},
      {R"({"batch_size": "64"})", "/batch_size", IssueCode::type_error},
      {R"({"batch_size": true})", "/batch_size", IssueCode::type_error},
      {R"({"batch_size": null})", "/batch_size", IssueCode::type_error},
      {R"({"epochs": 32.0000000000000001})", "/epochs", IssueCode::type_error},
      {R"({"epochs": 1e-400})", "/epochs", IssueCode::type_error},
      {R"({"seed": -1})", "/seed", IssueCode::out_of_range},
      {R"({"seed": 18446744073709551616})", "/seed", IssueCode::out_of_range},
      {R"({"seed": 1.5})", "/seed", IssueCode::type_error},
      {R"({"seed": 1.8446744073709551616e19})", "/seed", IssueCode::out_of_range},
      {R"({"seed": 184467440737095516151e-1})", "/seed", IssueCode::type_error},
      {R"({"seed": 1e20})", "/seed", IssueCode::out_of_range},
      {R"({"seed": 1e1000000000})", "/seed", IssueCode::out_of_range},
      {R"({"seed": -1e0})", "/seed", IssueCode::out_of_range},
      {R"({"batch_size": 2147483648.0})", "/batch_size", IssueCode::out_of_range},
      {R"({"batch_size": -2147483649e0})", "/batch_size", IssueCode::out_of_range},
      {R"({"neurons": [64, 32.7]})", "/neurons/1", IssueCode::type_error},
      {R"({"neurons": [64, 1e10]})", "/neurons/1", IssueCode::out_of_range},
  }));
  const auto issues = issues_of(text);
  INFO(text << "\n" << render(issues));
  CHECK(has_issue(issues, path, code));
}

TEST_CASE("integral numbers in float form are integers (as in JSON Schema)", "[json]") {
  const auto hp = parse(R"({"batch_size": 32.0, "epochs": 1e2, "layers": 2, "neurons": [6.4e1, 32],
                            "seed": 9007199254740992.0})");
  CHECK(hp.batch_size == 32);
  CHECK(hp.epochs == 100);
  CHECK(hp.layer_widths() == std::vector<std::int32_t>{64, 32});
  CHECK(hp.seed == 9007199254740992ULL);
  CHECK(dump(hp).find("\"batch_size\": 32,") != std::string::npos); // written as an integer
}

TEST_CASE("integers in float form are read from their digits, never through a double", "[json]") {
  // 9007199254740993 has no double: rounding it first would change the seed silently
  const auto [text, seed] = GENERATE(table<std::string, std::uint64_t>({
      {"9007199254740993.0", 9007199254740993ULL},
      {"9007199254740993e0", 9007199254740993ULL},
      {"90071992547409930e-1", 9007199254740993ULL},
      {"1e17", 100000000000000000ULL},
      {"1e19", 10000000000000000000ULL},
      {"1.8446744073709551615e19", 18446744073709551615ULL},
      {"18446744073709551615.000", 18446744073709551615ULL},
      {"0.0e-5", 0ULL},
      {"-0.0", 0ULL},
      {"123456789.0123456789e10", 1234567890123456789ULL},
  }));
  INFO(text);
  const auto hp = parse("{\"seed\": " + text + "}");
  CHECK(hp.seed == seed);
  CHECK(parse(dump(hp)).seed == seed);
  CHECK(parse("{\"batch_size\": 2147483647.0}").batch_size == 2147483647);
  CHECK(parse("{\"dropout\": 0, \"epochs\": 1.0e1}").epochs == 10);
}

TEST_CASE("real numbers: finite only, no underflow to zero", "[json]") {
  CHECK(has_issue(issues_of(R"({"learning_rate": 1e400})"), "/learning_rate",
                  IssueCode::out_of_range));
  CHECK(has_issue(issues_of(R"({"learning_rate": 1e-400})"), "/learning_rate",
                  IssueCode::out_of_range));
  CHECK(
      has_issue(issues_of(R"({"learning_rate": "NaN"})"), "/learning_rate", IssueCode::type_error));
  CHECK(has_issue(issues_of(R"({"learning_rate": NaN})"), "", IssueCode::parse_error));
  CHECK(parse(R"({"learning_rate": 1})").learning_rate == 1.0);
  CHECK(parse(R"({"learning_rate": 1e308})").learning_rate == 1e308);
  CHECK(parse(R"({"learning_rate": 5e-324})").learning_rate == 5e-324);
}

TEST_CASE("minus zero is zero: accepted where 0 is, written as 0.0", "[json]") {
  const auto hp = parse(R"({"dropout": -0.0, "optimizer": {"name": "sgd", "momentum": -0.0}})");
  CHECK(hp.dropout == 0.0);
  CHECK_FALSE(std::signbit(hp.dropout));
  CHECK(dump(hp).find("-0") == std::string::npos);
  CHECK(has_issue(issues_of(R"({"learning_rate": -0.0})"), "/learning_rate",
                  IssueCode::out_of_range));
  CHECK(has_issue(issues_of(R"({"epochs": -0})"), "/epochs", IssueCode::out_of_range));
}

TEST_CASE("activation and neurons of the wrong type", "[json]") {
  CHECK(has_issue(issues_of(R"({"activation": ["relu"]})"), "/activation", IssueCode::type_error));
  CHECK(has_issue(issues_of(R"({"activation": true})"), "/activation", IssueCode::type_error));
  CHECK(
      has_issue(issues_of(R"({"activation": "relu6"})"), "/activation", IssueCode::invalid_value));
  CHECK(has_issue(issues_of(R"({"neurons": {"0": 64}})"), "/neurons", IssueCode::type_error));
  CHECK(has_issue(issues_of(R"({"neurons": [[64], [32]]})"), "/neurons/0", IssueCode::type_error));
  CHECK(has_issue(issues_of(R"({"neurons": [64, "32"]})"), "/neurons/1", IssueCode::type_error));
  const auto issues = issues_of(R"({"activation": "swsh"})");
  CHECK_THAT(issues.at(0).message, hptest::Contains("did you mean \"swish\"?"));
  CHECK_THAT(issues.at(0).message, hptest::Contains("Allowed: relu, leaky_relu"));
}

TEST_CASE("the root must be an object", "[json]") {
  for (const char* text : {"[]", "[{}]", "1", "\"adam\"", "null"}) {
    const auto issues = issues_of(text);
    INFO(text << "\n" << render(issues));
    CHECK(has_issue(issues, "", IssueCode::type_error));
  }
}

TEST_CASE("syntax errors are parse errors with a hint for the usual suspects", "[json]") {
  const auto [text, hint] = GENERATE(table<std::string, std::string>({
      {"{\"epochs\": 3, // three\n}", "comments are not allowed"},
      {"# cfg\n{}", "JSON has no comments"},
      {"{'epochs': 3}", "double quotes"},
      {"{\"learning_rate\": NaN}", "no NaN or Infinity"},
      {"{\"learning_rate\": -Infinity}", "no NaN or Infinity"},
      {"{\"activation\": None}", "null, true and false"},
      {"{\xE2\x80\x9C"
       "epochs\xE2\x80\x9D: 3}",
       "typographic quotes"},
      {"{\"epochs\": 3,}", "expected string literal"},
      {"{\"epochs\": 3,}", "trailing commas are not allowed"},
      {"{\"epochs\": 3 , \n }", "trailing commas are not allowed"},
      {"{\"neurons\": [1, 2,]}", "trailing commas are not allowed"},
      {"{\"seed\": 0x10}", "JSON has no hexadecimal numbers"},
      {"{\"seed\": 0X1f}", "JSON has no hexadecimal numbers"},
      {"{\"seed\": 032}", "JSON numbers have no leading zeros"},
      {"{\"seed\": -007}", "JSON numbers have no leading zeros"},
      {"{\"dropout\": .5}", "a digit before the decimal point"},
      {"{\"dropout\": -.5}", "a digit before the decimal point"},
      {"{\"seed\": +1}", "no plus sign"},
      {"{\"seed\":: 1}", "unexpected ':'"},
      {"{\"epochs\": 3} {}", "expected end of input"},
      {"", "unexpected end of input"},
      {"\xEF\xBB\xBF", "unexpected end of input"},
  }));
  const auto issues = issues_of(text);
  INFO(render(issues));
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].code == IssueCode::parse_error);
  CHECK(issues[0].path.empty());
  CHECK(issues[0].line >= 1);
  CHECK_THAT(issues[0].message, hptest::Contains(hint));
}

TEST_CASE("a stray comma or colon is located at itself, hints only where they apply", "[json]") {
  auto issues = issues_of(R"({"seed":: 1})");
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].column == 9);
  issues = issues_of(R"({"seed": 1,,"epochs": 2})");
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].column == 12);
  issues = issues_of(R"({"seed": 1.0.0})");
  REQUIRE(issues.size() == 1);
  CHECK_THAT(issues[0].message, !hptest::Contains("digit before the decimal point"));
}

TEST_CASE("a syntax error is reported alone", "[json]") {
  // the value errors of a document that is not JSON would only be noise
  const auto issues = issues_of(R"({"batch_size": 0x20, "dropout": 7})");
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].code == IssueCode::parse_error);
}

TEST_CASE("a UTF-8 byte order mark is skipped", "[json]") {
  CHECK(parse("\xEF\xBB\xBF{\"epochs\": 4}").epochs == 4);
}

TEST_CASE("NUL bytes are refused wherever they are", "[json]") {
  using namespace std::string_literals;
  for (const auto& text : {"{\"epochs\": 4}\0{}"s, "{\"epochs\": 4\0}"s, "\0"s}) {
    const auto issues = issues_of(text);
    INFO(render(issues));
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].code == IssueCode::parse_error);
    CHECK_THAT(issues[0].message, hptest::Contains("NUL"));
  }
}

TEST_CASE("size and depth limits hold before anything is built", "[json][limits]") {
  LoadOptions small;
  small.max_bytes = 16;
  auto issues = issues_of(R"({"epochs": 4, "layers": 1})", small);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].code == IssueCode::limit_exceeded);
  CHECK_THAT(issues[0].message, hptest::Contains("limit of 16 bytes"));

  const std::string deep = "{\"neurons\": " + std::string(200, '[') + std::string(200, ']') + "}";
  issues = issues_of(deep);
  CHECK(has_issue(issues, "", IssueCode::limit_exceeded));

  const std::string very_deep =
      "{\"x\": " + std::string(100000, '[') + std::string(100000, ']') + "}";
  issues = issues_of(very_deep);
  CHECK(has_issue(issues, "", IssueCode::limit_exceeded));

  LoadOptions shallow;
  shallow.max_depth = 2;
  CHECK(has_issue(issues_of(R"({"optimizer": {"name": "adam"}})", shallow), "",
                  IssueCode::limit_exceeded) == false);
  CHECK(has_issue(issues_of(R"({"neurons": [[1]]})", shallow), "", IssueCode::limit_exceeded));
}

TEST_CASE("a limit hit keeps the issues of the values read before it", "[json][limits]") {
  const std::string deep = std::string(70, '[') + std::string(70, ']');
  const auto issues =
      issues_of(R"({"epochs": 0, "batch_size": 1.5, "lerning_rate": 1, "x": )" + deep + "}");
  INFO(render(issues));
  CHECK(has_issue(issues, "/epochs", IssueCode::out_of_range));
  CHECK(has_issue(issues, "/batch_size", IssueCode::type_error));
  CHECK(has_issue(issues, "/lerning_rate", IssueCode::unknown_key));
  CHECK(has_issue(issues, "", IssueCode::limit_exceeded));
  // a number out of the range of a double stops the parse too
  const auto overflow = issues_of(R"({"dropout": 2, "learning_rate": 1e400})");
  INFO(render(overflow));
  CHECK(has_issue(overflow, "/dropout", IssueCode::out_of_range));
  CHECK(has_issue(overflow, "/learning_rate", IssueCode::out_of_range));
  // the rules between fields still wait for a whole document: neurons was cut short
  const auto cut = issues_of(R"({"layers": 3, "neurons": [1, 2, )" + deep + "]}");
  INFO(render(cut));
  CHECK_FALSE(has_issue(cut, "/neurons", IssueCode::inconsistent));
}

TEST_CASE("the number of issues listed is capped, and the rest are counted", "[json][limits]") {
  std::string text = "{";
  for (int i = 0; i < 5000; ++i) {
    text += "\"unknown_key_" + std::to_string(i) + "\": " + std::to_string(i) + ",";
  }
  text += "\"epochs\": 1}";
  const auto issues = issues_of(text);
  REQUIRE(issues.size() == 101);
  CHECK(issues.back().code == IssueCode::limit_exceeded);
  CHECK_THAT(issues.back().message, hptest::Contains("4900 more issues not shown"));
}

TEST_CASE("messages quote at most about 100 characters of the input", "[json][limits]") {
  const std::string long_name(5000, 'x');
  const std::string long_number(5000, '9');
  for (const auto& text :
       {"{\"activation\": \"" + long_name + "\"}", "{\"" + long_name + "\": 1}",
        "{\"batch_size\": " + long_number + "}", "{\"batch_size\": \"" + long_name + "\"}",
        "{\"optimizer\": {\"name\": \"sgd\", \"" + long_name + "\": 1}}",
        "{\"epochs\": " + long_name + "}", "{\"epochs\": \"" + long_name}) {
    const auto issues = issues_of(text);
    REQUIRE_FALSE(issues.empty());
    for (const auto& issue : issues) {
      INFO(issue.message.substr(0, 300));
      CHECK(issue.message.size() < 400);
      CHECK(format_issue(issue, "f.json").size() < 600);
    }
  }
}

TEST_CASE("a config inside a larger document", "[json][pointer]") {
  const std::string doc = R"({
  "model": {"name": "mlp", "extra": {"anything": [1, 2, {"goes": null}]}},
  "runs": [{"train": {"epochs": 1}}, {"train": {"epochs": 2, "dropout": 1.5}}],
  "train": {"epochs": 3, "dropout": 0.1, "$schema": "x"},
  "a/b": {"epochs": 4}
})";
  LoadOptions at;
  at.pointer = "/train";
  CHECK(parse(doc, "doc.json", at).epochs == 3);
  at.pointer = "/runs/0/train";
  CHECK(parse(doc, "doc.json", at).epochs == 1);
  at.pointer = "/a~1b";
  CHECK(parse(doc, "doc.json", at).epochs == 4);

  SECTION("issue paths stay absolute") {
    at.pointer = "/runs/1/train";
    const auto issues = issues_of(doc, at);
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].path == "/runs/1/train/dropout");
    CHECK(issues[0].line == 3);
  }
  SECTION("a missing pointer is an error naming it") {
    at.pointer = "/eval";
    const auto issues = issues_of(doc, at);
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].path == "/eval");
    CHECK(issues[0].code == IssueCode::invalid_value);
  }
  SECTION("the value at the pointer must be an object") {
    at.pointer = "/model/name";
    CHECK(has_issue(issues_of(doc, at), "/model/name", IssueCode::type_error));
  }
  SECTION("outside the config, anything goes, but the text must be JSON") {
    at.pointer = "/train";
    CHECK(
        has_issue(issues_of(R"({"notes": [1, 2,], "train": {}})", at), "", IssueCode::parse_error));
    CHECK(parse(R"({"notes": 1, "notes": 2, "train": {}})", "x", at) == HyperParams{});
  }
  SECTION("a number out of range outside the config is located by its path") {
    at.pointer = "/train";
    auto issues = issues_of(R"({"train": {}, "x": 1e400})", at);
    INFO(render(issues));
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].path == "/x");
    CHECK(issues[0].code == IssueCode::out_of_range);
    CHECK(issues[0].column == 20);
    issues = issues_of(R"({"runs": [0, {"a~b": [1, -1e999]}], "train": {}})", at);
    INFO(render(issues));
    CHECK(has_issue(issues, "/runs/1/a~0b/1", IssueCode::out_of_range));
    issues = issues_of(R"({"train": {"zzz": {"a/b": 1e400}}})", at);
    INFO(render(issues));
    CHECK(has_issue(issues, "/train/zzz", IssueCode::unknown_key));
    CHECK(has_issue(issues, "/train/zzz/a~1b", IssueCode::out_of_range));
  }
  SECTION("a duplicate on the way to the config is ambiguous") {
    at.pointer = "/train";
    const auto issues = issues_of(R"({"train": {"epochs": 1}, "train": {"epochs": 2}})", at);
    CHECK(has_issue(issues, "/train", IssueCode::duplicate_key));
  }
  SECTION("an invalid pointer") {
    at.pointer = "train";
    CHECK(has_issue(issues_of(doc, at), "", IssueCode::invalid_value));
    at.pointer = "/a~2";
    CHECK(has_issue(issues_of(doc, at), "", IssueCode::invalid_value));
  }
}

TEST_CASE("dump is canonical, complete and stable", "[json][dump]") {
  const auto hp = load_file(hptest::data_path("../../examples/configs/seed_cnn.json"));
  CHECK(dump(hp) == R"({
  "learning_rate": 0.001,
  "batch_size": 64,
  "epochs": 20,
  "optimizer": {
    "name": "adam",
    "beta1": 0.9,
    "beta2": 0.999,
    "epsilon": 1e-08,
    "weight_decay": 0.0,
    "amsgrad": false
  },
  "lr_schedule": {
    "name": "constant",
    "warmup_epochs": 0.0
  },
  "layers": 5,
  "neurons": 128,
  "dropout": 0.3,
  "activation": "relu",
  "seed": 42
})");
  CHECK(parse(dump(hp)) == hp);
  CHECK(dump(parse(dump(hp))) == dump(hp));
}

TEST_CASE("dump writes numbers as nlohmann does, and lists one item per line", "[json][dump]") {
  HyperParams hp;
  hp.learning_rate = 3e-4;
  hp.layers = 2;
  hp.neurons = std::vector<std::int32_t>{256, 128};
  hp.dropout = 0.5;
  const std::string text = dump(hp);
  CHECK_THAT(text, hptest::Contains("\"learning_rate\": 0.0003,"));
  CHECK_THAT(text, hptest::Contains("\"neurons\": [\n    256,\n    128\n  ],"));
  CHECK(nlohmann::json::parse(text).dump(2).size() == text.size()); // same layout, other order
}

TEST_CASE("dump and to_json refuse an invalid config", "[json][dump]") {
  HyperParams hp;
  hp.learning_rate = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_AS(dump(hp), ConfigError);
  nlohmann::json j;
  CHECK_THROWS_AS(j = hp, ConfigError);
}

TEST_CASE("messages are valid UTF-8 even when the input is not", "[json]") {
  for (const std::string text : {"{\"optimizer\": \"ad\xFF\xFEm\"}", "{\"epochs\": \xC3}",
                                 "{\"epochs\": 1, \xE2\x82}", "\xF5\x80\x80\x80"}) {
    const auto issues = hptest::issues_of(text);
    REQUIRE_FALSE(issues.empty());
    for (const auto& issue : issues) {
      const std::string line = format_issue(issue, "f.json");
      INFO(line);
      for (std::size_t i = 0; i < line.size();) {
        const std::size_t length = detail::utf8_sequence(line, i);
        REQUIRE(length > 0);
        i += length;
      }
      CHECK_NOTHROW(nlohmann::json(line).dump());
    }
  }
}

TEST_CASE("the schedule is a name or an object with a name", "[json][schedule]") {
  CHECK(parse(R"({"lr_schedule": "Cosine"})").lr_schedule_name() == LrSchedule::cosine);
  const auto hp = parse(R"({"epochs": 30, "lr_schedule": {"step_size": 5, "name": "step"}})");
  REQUIRE(hp.lr_schedule_name() == LrSchedule::step);
  CHECK(std::get<StepSchedule>(hp.lr_schedule).step_size == 5);
  CHECK(std::get<StepSchedule>(hp.lr_schedule).gamma == 0.1);
  CHECK(has_issue(issues_of(R"({"lr_schedule": {"name": "cosine", "gamma": 0.5}})"),
                  "/lr_schedule/gamma", IssueCode::unknown_key));
  CHECK(has_issue(issues_of(R"({"lr_schedule": "linear"})"), "/lr_schedule",
                  IssueCode::invalid_value));
  CHECK(has_issue(issues_of(R"({"epochs": 3, "lr_schedule": {"warmup_epochs": 3}})"),
                  "/lr_schedule/warmup_epochs", IssueCode::inconsistent));
}

TEST_CASE("thousands of bad keys give a bounded report quickly", "[json][limits]") {
  // each would cost a scan or a did-you-mean; past the cap they are only counted (ctest's
  // timeout catches a regression to quadratic time)
  auto build = [](const std::string& open, const std::string& member, const std::string& close) {
    std::string text = open;
    for (int i = 0; i < 40000; ++i) { // under the 1 MiB limit
      text += member + ",";
    }
    text.back() = ' ';
    return text + close;
  };
  const std::vector<std::string> texts = {
      build("{\"epochs\": 1, ", "\"epochs\": 1", "}"),
      build("{\"optimizer\": {", "\"beta1\": 0.9", "}}"),
      build("{\"optimizer\": {\"name\": \"sgd\", ", "\"beta1\": 0.9", "}}"),
      build("{\"optimizer\": {", "\"optimiser_option\": 1", "}}"),
  };
  for (const auto& text : texts) {
    const auto issues = issues_of(text);
    REQUIRE(issues.size() == 101);
    CHECK(issues.back().code == IssueCode::limit_exceeded);
  }
}

TEST_CASE("inputs the fuzzers found stay fixed", "[json][fuzz]") {
  // tests/data/fuzz/parse-*: texts; overrides-*: one override per line
  std::size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(hptest::data_path("fuzz"))) {
    const std::string name = entry.path().filename().string();
    const std::string bytes = hptest::read_bytes(entry.path().string());
    INFO(name);
    ++count;
    std::vector<Issue> issues;
    try {
      HyperParams hp;
      if (name.rfind("overrides-", 0) == 0) {
        std::vector<std::string> overrides;
        std::size_t start = 0;
        for (auto eol = bytes.find('\n'); eol != std::string::npos; eol = bytes.find('\n', start)) {
          overrides.push_back(bytes.substr(start, eol - start));
          start = eol + 1;
        }
        overrides.push_back(bytes.substr(start));
        hp = apply_overrides(HyperParams{}, overrides);
      } else {
        hp = parse(bytes);
      }
      // what loads is valid and round-trips, as the fuzzers check
      CHECK(validate(hp).empty());
      CHECK(parse(dump(hp)) == hp);
    } catch (const ConfigError& error) {
      issues = error.issues();
      CHECK_FALSE(issues.empty());
    }
    for (const auto& issue : issues) {
      for (std::size_t i = 0; i < issue.message.size();) {
        const std::size_t length = detail::utf8_sequence(issue.message, i);
        REQUIRE(length > 0);
        i += length;
      }
    }
  }
  CHECK(count >= 2);
}
