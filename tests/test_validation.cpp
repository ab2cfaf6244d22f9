// SPDX-License-Identifier: MIT
#include <hyperparams/hyperparams.hpp>

#include "catch_compat.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <stdexcept>

using namespace hyperparams;

namespace {

bool has(const std::vector<Issue>& issues, const std::string& path, IssueCode code) {
  for (const auto& issue : issues) {
    if (issue.path == path && issue.code == code) {
      return true;
    }
  }
  return false;
}

std::string listing(const std::vector<Issue>& issues) {
  std::string out;
  for (const auto& issue : issues) {
    out += format_issue(issue, "<hp>") + "\n";
  }
  return out;
}

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

} // namespace

TEST_CASE("the defaults are valid and sane", "[validation]") {
  const HyperParams hp;
  CHECK(validate(hp).empty());
  CHECK(hp.learning_rate == 0.001);
  CHECK(hp.batch_size == 32);
  CHECK(hp.epochs == 10);
  CHECK(hp.optimizer_name() == Optimizer::adam);
  CHECK(hp.layers == 2);
  CHECK(hp.layer_widths() == std::vector<std::int32_t>{64, 64});
  CHECK(hp.dropout == 0.0);
  CHECK(hp.activation == Activation::relu);
  CHECK(hp.seed == 42U);
}

TEST_CASE("learning_rate must be finite and positive", "[validation]") {
  const auto [value, valid] = GENERATE(table<double, bool>({{1e-300, true},
                                                            {0.1, true},
                                                            {1e300, true},
                                                            {0.0, false},
                                                            {-0.0, false},
                                                            {-1e-9, false},
                                                            {not_a_number, false},
                                                            {inf, false},
                                                            {-inf, false}}));
  HyperParams hp;
  hp.learning_rate = value;
  const auto issues = validate(hp);
  INFO(listing(issues));
  CHECK(issues.empty() == valid);
  if (!valid) {
    CHECK(has(issues, "/learning_rate", IssueCode::out_of_range));
  }
}

TEST_CASE("dropout must be at least 0 and below 1", "[validation]") {
  const auto [value, valid] = GENERATE(table<double, bool>({{0.0, true},
                                                            {0.5, true},
                                                            {0.9999999, true},
                                                            {1.0, false},
                                                            {-0.01, false},
                                                            {not_a_number, false}}));
  HyperParams hp;
  hp.dropout = value;
  const auto issues = validate(hp);
  INFO(listing(issues));
  CHECK(issues.empty() == valid);
}

TEST_CASE("counts must be between 1 and 2147483647", "[validation]") {
  const auto [value, valid] = GENERATE(table<std::int32_t, bool>(
      {{1, true}, {2147483647, true}, {0, false}, {-1, false}, {-2147483647 - 1, false}}));
  HyperParams a;
  a.batch_size = value;
  HyperParams b;
  b.epochs = value;
  HyperParams c;
  c.layers = value;
  c.neurons = value; // one width for every layer, itself a count
  CHECK(validate(a).empty() == valid);
  CHECK(validate(b).empty() == valid);
  CHECK(validate(c).empty() == valid);
  if (!valid) {
    CHECK(has(validate(a), "/batch_size", IssueCode::out_of_range));
    CHECK(has(validate(b), "/epochs", IssueCode::out_of_range));
    CHECK(has(validate(c), "/layers", IssueCode::out_of_range));
    CHECK(has(validate(c), "/neurons", IssueCode::out_of_range));
  }
}

TEST_CASE("every width of a per-layer neurons list is checked, with its index", "[validation]") {
  HyperParams hp;
  hp.layers = 3;
  hp.neurons = std::vector<std::int32_t>{64, 0, -5};
  const auto issues = validate(hp);
  INFO(listing(issues));
  REQUIRE(issues.size() == 2);
  CHECK(has(issues, "/neurons/1", IssueCode::out_of_range));
  CHECK(has(issues, "/neurons/2", IssueCode::out_of_range));
  CHECK(issues[1].message == "must be in [1, 2147483647], got -5");
}

TEST_CASE("an empty neurons list is out of range", "[validation]") {
  HyperParams hp;
  hp.neurons = std::vector<std::int32_t>{};
  const auto issues = validate(hp);
  CHECK(has(issues, "/neurons", IssueCode::out_of_range));
}

TEST_CASE("a neurons list needs one width per layer", "[validation]") {
  HyperParams hp;
  hp.layers = 3;
  hp.neurons = std::vector<std::int32_t>{64, 32};
  auto issues = validate(hp);
  INFO(listing(issues));
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].path == "/neurons");
  CHECK(issues[0].code == IssueCode::inconsistent);
  CHECK_THAT(issues[0].message, hptest::Contains("lists 2 widths but layers is 3"));
  hp.neurons = std::vector<std::int32_t>{64, 32, 16};
  CHECK(validate(hp).empty());
  CHECK(hp.layer_widths() == std::vector<std::int32_t>{64, 32, 16});
}

TEST_CASE("a single width applies to every layer", "[validation]") {
  HyperParams hp;
  hp.layers = 5;
  hp.neurons = 128;
  CHECK(validate(hp).empty());
  CHECK(hp.layer_widths() == std::vector<std::int32_t>(5, 128));
  hp.layers = 0;
  CHECK(hp.layer_widths().empty());
}

TEST_CASE("optimizer options are checked against their bounds", "[validation]") {
  SECTION("betas in [0, 1)") {
    HyperParams hp;
    hp.optimizer = AdamOptions{1.0, -0.1};
    const auto issues = validate(hp);
    INFO(listing(issues));
    CHECK(has(issues, "/optimizer/beta1", IssueCode::out_of_range));
    CHECK(has(issues, "/optimizer/beta2", IssueCode::out_of_range));
    hp.optimizer = AdamOptions{0.0, 0.999999};
    CHECK(validate(hp).empty());
  }
  SECTION("epsilon, weight decay, lr_decay, accumulator >= 0") {
    HyperParams hp;
    AdagradOptions adagrad;
    adagrad.lr_decay = -1;
    adagrad.epsilon = -1e-10;
    adagrad.initial_accumulator_value = -0.5;
    adagrad.weight_decay = -0.01;
    hp.optimizer = adagrad;
    const auto issues = validate(hp);
    INFO(listing(issues));
    CHECK(issues.size() == 4);
    CHECK(has(issues, "/optimizer/lr_decay", IssueCode::out_of_range));
    CHECK(has(issues, "/optimizer/epsilon", IssueCode::out_of_range));
    CHECK(has(issues, "/optimizer/initial_accumulator_value", IssueCode::out_of_range));
    CHECK(has(issues, "/optimizer/weight_decay", IssueCode::out_of_range));
  }
  SECTION("RMSprop alpha in [0, 1), momentum >= 0") {
    HyperParams hp;
    RmspropOptions rms;
    rms.alpha = 1.0;
    rms.momentum = -0.9;
    hp.optimizer = rms;
    const auto issues = validate(hp);
    CHECK(has(issues, "/optimizer/alpha", IssueCode::out_of_range));
    CHECK(has(issues, "/optimizer/momentum", IssueCode::out_of_range));
  }
  SECTION("SGD dampening in [0, 1], non-finite options") {
    HyperParams hp;
    SgdOptions sgd;
    sgd.dampening = 1.5;
    sgd.momentum = inf;
    hp.optimizer = sgd;
    const auto issues = validate(hp);
    INFO(listing(issues));
    CHECK(has(issues, "/optimizer/dampening", IssueCode::out_of_range));
    CHECK(has(issues, "/optimizer/momentum", IssueCode::out_of_range));
  }
}

TEST_CASE("SGD nesterov needs momentum > 0 and dampening == 0", "[validation]") {
  const auto [momentum, dampening, valid] = GENERATE(table<double, double, bool>(
      {{0.9, 0.0, true}, {0.0, 0.0, false}, {0.9, 0.1, false}, {0.0, 0.5, false}}));
  HyperParams hp;
  SgdOptions sgd;
  sgd.nesterov = true;
  sgd.momentum = momentum;
  sgd.dampening = dampening;
  hp.optimizer = sgd;
  const auto issues = validate(hp);
  INFO(listing(issues));
  CHECK(issues.empty() == valid);
  if (!valid) {
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].path == "/optimizer/nesterov");
    CHECK(issues[0].code == IssueCode::inconsistent);
  }
}

TEST_CASE("every problem is reported at once", "[validation]") {
  HyperParams hp;
  hp.learning_rate = -1;
  hp.batch_size = 0;
  hp.epochs = -3;
  hp.dropout = 2;
  hp.activation = static_cast<Activation>(42);
  hp.optimizer = AdamWOptions{0.9, 1.5};
  const auto issues = validate(hp);
  INFO(listing(issues));
  CHECK(issues.size() == 6);
  CHECK(has(issues, "/learning_rate", IssueCode::out_of_range));
  CHECK(has(issues, "/batch_size", IssueCode::out_of_range));
  CHECK(has(issues, "/epochs", IssueCode::out_of_range));
  CHECK(has(issues, "/dropout", IssueCode::out_of_range));
  CHECK(has(issues, "/activation", IssueCode::invalid_value));
  CHECK(has(issues, "/optimizer/beta2", IssueCode::out_of_range));
  for (const auto& issue : issues) {
    CHECK(issue.line == 0);
    CHECK(issue.column == 0);
  }
}

TEST_CASE("rules between fields wait until each field is valid", "[validation]") {
  HyperParams hp;
  hp.layers = 0;
  hp.neurons = std::vector<std::int32_t>{64, 32};
  const auto issues = validate(hp);
  INFO(listing(issues));
  REQUIRE(issues.size() == 1); // not also "2 widths but layers is 0"
  CHECK(has(issues, "/layers", IssueCode::out_of_range));
}

TEST_CASE("messages say what was expected and what was found", "[validation]") {
  HyperParams hp;
  hp.dropout = 1.5;
  hp.learning_rate = 0;
  const auto issues = validate(hp);
  REQUIRE(issues.size() == 2);
  CHECK(issues[0].message == "must be > 0, got 0");
  CHECK(issues[1].message == "must be in [0, 1), got 1.5");
}

TEST_CASE("diagnostic lines follow the compilers' format", "[validation]") {
  const Issue located{"/dropout", IssueCode::out_of_range, "must be in [0, 1), got 1.5", 7, 14};
  CHECK(format_issue(located, "configs/cnn.json") ==
        "configs/cnn.json:7:14: error: /dropout: must be in [0, 1), got 1.5 [out_of_range]");
  const Issue unlocated{"/epochs", IssueCode::out_of_range, "must be in [1, 2147483647], got 0"};
  CHECK(format_issue(unlocated, "<config>") ==
        "<config>: error: /epochs: must be in [1, 2147483647], got 0 [out_of_range]");
  const Issue whole{"", IssueCode::parse_error, "syntax error: unexpected end of input", 1, 1};
  CHECK(format_issue(whole, "a.json") ==
        "a.json:1:1: error: syntax error: unexpected end of input [parse_error]");
}

TEST_CASE("ConfigError carries every issue and lists them in what()", "[validation]") {
  HyperParams hp;
  hp.epochs = 0;
  hp.dropout = 1;
  try {
    check(hp, "run.json");
    FAIL("check() accepted an invalid config");
  } catch (const ConfigError& error) {
    REQUIRE(error.issues().size() == 2);
    CHECK(error.source() == "run.json");
    CHECK(std::string(error.what()) ==
          "run.json: error: /epochs: must be in [1, 2147483647], got 0 [out_of_range]\n"
          "run.json: error: /dropout: must be in [0, 1), got 1 [out_of_range]");
  }
  CHECK_NOTHROW(check(HyperParams{}));
}

TEST_CASE("equality compares every field and every option", "[validation]") {
  HyperParams a;
  HyperParams b;
  CHECK(a == b);
  b.seed = 7;
  CHECK(a != b);
  b = a;
  b.optimizer = AdamOptions{0.8};
  CHECK(a != b);
  b.optimizer = AdamWOptions{};
  CHECK(a != b); // same options as Adam's, another optimizer
  b = a;
  b.neurons = std::vector<std::int32_t>{64, 64};
  CHECK(a != b); // one width for all is not the same description as a list
  CHECK(a.layer_widths() == b.layer_widths());
}

TEST_CASE("operator<< prints one readable line, also for invalid values", "[validation]") {
  HyperParams hp;
  hp.learning_rate = not_a_number;
  hp.activation = static_cast<Activation>(77);
  std::ostringstream os;
  os << hp;
  const std::string line = os.str();
  CHECK(line.find('\n') == std::string::npos);
  CHECK_THAT(line, hptest::Contains("\"learning_rate\": nan"));
  CHECK_THAT(line, hptest::Contains("\"activation\": \"<invalid>\""));
  CHECK(
      to_string(HyperParams{}) ==
      R"({"learning_rate": 0.001, "batch_size": 32, "epochs": 10, "optimizer": {"name": "adam", )"
      R"("beta1": 0.9, "beta2": 0.999, "epsilon": 1e-08, "weight_decay": 0.0, "amsgrad": false}, )"
      R"("lr_schedule": {"name": "constant", "warmup_epochs": 0.0}, )"
      R"("layers": 2, "neurons": 64, "dropout": 0.0, "activation": "relu", "seed": 42})");
}

TEST_CASE("learning-rate schedules follow their formulas", "[validation][schedule]") {
  HyperParams hp;
  hp.learning_rate = 0.1;
  hp.epochs = 10;
  CHECK(learning_rate_at(hp, 0.0) == 0.1);
  CHECK(learning_rate_at(hp, 9.5) == 0.1);

  hp.lr_schedule = StepSchedule{3, 0.5, 0.0};
  CHECK(learning_rate_at(hp, -1.0) == 0.1); // before the start: the start (not 0 / 0)
  CHECK(learning_rate_at(hp, std::numeric_limits<double>::quiet_NaN()) == 0.1);
  CHECK(learning_rate_at(hp, 2.99) == 0.1);
  CHECK(learning_rate_at(hp, 3.0) == 0.05);
  CHECK(learning_rate_at(hp, 6.5) == 0.025);

  hp.lr_schedule = ExponentialSchedule{0.5, 0.0};
  CHECK(learning_rate_at(hp, 0.5) == 0.1);
  CHECK(learning_rate_at(hp, 2.0) == 0.025);

  hp.lr_schedule = CosineSchedule{0.0, 0.0};
  CHECK(learning_rate_at(hp, 0.0) == 0.1);
  CHECK(std::fabs(learning_rate_at(hp, 5.0) - 0.05) < 1e-15);
  CHECK(std::fabs(learning_rate_at(hp, 10.0)) < 1e-15);
  hp.lr_schedule = CosineSchedule{0.01, 0.0};
  CHECK(std::fabs(learning_rate_at(hp, 10.0) - 0.01) < 1e-15);
}

TEST_CASE("a warmup rises linearly from 0, then the schedule starts", "[validation][schedule]") {
  HyperParams hp;
  hp.learning_rate = 0.1;
  hp.epochs = 12;
  hp.lr_schedule = CosineSchedule{0.0, 2.0};
  CHECK(learning_rate_at(hp, 0.0) == 0.0);
  CHECK(std::fabs(learning_rate_at(hp, 0.5) - 0.025) < 1e-15);
  CHECK(learning_rate_at(hp, 2.0) == 0.1);
  CHECK(std::fabs(learning_rate_at(hp, 7.0) - 0.05) < 1e-15); // half of the 10 epochs after it
  hp.lr_schedule = StepSchedule{2, 0.1, 1.0};
  CHECK(learning_rate_at(hp, 1.0) == 0.1);
  CHECK(std::fabs(learning_rate_at(hp, 3.0) - 0.01) < 1e-15);
}

TEST_CASE("rounding in the epoch does not move a decay", "[validation][schedule]") {
  HyperParams hp;
  hp.learning_rate = 0.1;
  hp.epochs = 10;
  hp.lr_schedule = ExponentialSchedule{0.5, 0.3};
  // 2.3 - 0.3 is just below 2.0 in doubles: two epochs since the warmup, not one
  CHECK(learning_rate_at(hp, 2.3) == 0.025);
  hp.lr_schedule = StepSchedule{2, 0.5, 0.3};
  CHECK(learning_rate_at(hp, 2.3) == 0.05);
  CHECK(learning_rate_at(hp, 2.2999) == 0.1);
}

TEST_CASE("learning_rate_at_step: the rate at the step's start, the warmup's at its end",
          "[validation][schedule]") {
  HyperParams hp;
  hp.learning_rate = 0.1;
  hp.epochs = 4;
  // step decay every epoch: all 10 steps of an epoch run at that epoch's rate
  hp.lr_schedule = StepSchedule{1, 0.5, 0.0};
  for (std::uint64_t epoch = 0; epoch < 4; ++epoch) {
    for (std::uint64_t step = 0; step < 10; ++step) {
      CAPTURE(epoch, step);
      CHECK(learning_rate_at_step(hp, epoch, step, 10) == 0.1 * std::pow(0.5, epoch));
    }
  }
  // exponential: likewise, and never gamma^epochs
  hp.lr_schedule = ExponentialSchedule{0.1, 0.0};
  CHECK(learning_rate_at_step(hp, 0, 9, 10) == 0.1);
  CHECK(std::fabs(learning_rate_at_step(hp, 3, 9, 10) - 1e-4) < 1e-18);
  // cosine from 0.1 to 0 over 4 epochs of one step each: PyTorch's 0.1, 0.0854, 0.05, 0.0146
  hp.lr_schedule = CosineSchedule{0.0, 0.0};
  CHECK(learning_rate_at_step(hp, 0, 0, 1) == 0.1);
  CHECK(std::fabs(learning_rate_at_step(hp, 1, 0, 1) - 0.05 * (1 + std::sqrt(0.5))) < 1e-15);
  CHECK(std::fabs(learning_rate_at_step(hp, 2, 0, 1) - 0.05) < 1e-15);
  CHECK(std::fabs(learning_rate_at_step(hp, 3, 0, 1) - 0.05 * (1 - std::sqrt(0.5))) < 1e-15);
  // a warmup of 0.3 epochs over 10 steps: 1/3, 2/3, then the full rate from the third step on
  hp.lr_schedule = StepSchedule{1, 0.5, 0.3};
  CHECK(std::fabs(learning_rate_at_step(hp, 0, 0, 10) - 0.1 / 3) < 1e-15);
  CHECK(std::fabs(learning_rate_at_step(hp, 0, 1, 10) - 0.2 / 3) < 1e-15);
  CHECK(learning_rate_at_step(hp, 0, 2, 10) == 0.1);
  CHECK(learning_rate_at_step(hp, 1, 2, 10) == 0.1);  // epoch 1.2: 0.9 after the warmup
  CHECK(learning_rate_at_step(hp, 1, 3, 10) == 0.05); // epoch 1.3: one epoch after it
  CHECK(learning_rate_at_step(hp, 2, 3, 10) == 0.025);
  // a warmup that ends inside a step: that step gets the full rate
  hp.lr_schedule = ConstantSchedule{0.25};
  CHECK(std::fabs(learning_rate_at_step(hp, 0, 0, 10) - 0.04) < 1e-15);
  CHECK(learning_rate_at_step(hp, 0, 2, 10) == 0.1);
  CHECK_THROWS_AS(learning_rate_at_step(hp, 0, 0, 0), std::invalid_argument);
  CHECK_THROWS_AS(learning_rate_at_step(hp, 0, 10, 10), std::invalid_argument);
}

TEST_CASE("schedules are validated like every other field", "[validation][schedule]") {
  HyperParams hp;
  hp.epochs = 5;
  hp.lr_schedule = StepSchedule{0, 1.5, -1.0};
  auto issues = validate(hp);
  INFO(listing(issues));
  CHECK(has(issues, "/lr_schedule/step_size", IssueCode::out_of_range));
  CHECK(has(issues, "/lr_schedule/gamma", IssueCode::out_of_range));
  CHECK(has(issues, "/lr_schedule/warmup_epochs", IssueCode::out_of_range));
  hp.lr_schedule = ExponentialSchedule{0.0, 0.0};
  CHECK(has(validate(hp), "/lr_schedule/gamma", IssueCode::out_of_range));
  hp.lr_schedule = ConstantSchedule{5.0};
  CHECK(has(validate(hp), "/lr_schedule/warmup_epochs", IssueCode::inconsistent));
  hp.lr_schedule = CosineSchedule{0.5, 0.0};
  hp.learning_rate = 0.1;
  CHECK(has(validate(hp), "/lr_schedule/min_lr", IssueCode::inconsistent));
  hp.lr_schedule = CosineSchedule{0.1, 4.5};
  CHECK(validate(hp).empty());
}
