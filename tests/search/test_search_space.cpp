// SPDX-License-Identifier: MIT
// Search spaces (<hyperparams/search.hpp>): what users rely on. The generator is Random123's
// Philox4x32-10; trial i is a pure function of (space, seed, i) whatever the order, the process
// or the other parameters (random); grids are every point once; steps are exact decimals;
// values stay in their bounds, as the config writes them; trials are validated; every bad space
// of tests/data/search gets exactly its located issues.
#include "catch_compat.hpp"
#include "support.hpp"
#include "user/run_config.hpp"

#include <hyperparams/json.hpp>
#include <hyperparams/search.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

namespace {

using nlohmann::json;
namespace hp = hyperparams;
namespace hs = hyperparams::search;
using Space = hs::Space<hp::HyperParams>;

Space space_of(const std::string& text) {
  return hs::parse_space<hp::HyperParams>(text);
}

Space fixture(const std::string& name) {
  return hs::load_space<hp::HyperParams>(hptest::data_path("search/" + name));
}

/// Trial `i`'s values as one JSON object, keyed by path.
json values_json(const Space& space, std::uint64_t i) {
  json out = json::object();
  for (const auto& [path, value] : space.values_at(i)) {
    out[path] = value;
  }
  return out;
}

std::string values_text(const Space& space, std::uint64_t i) {
  return values_json(space, i).dump();
}

std::vector<hp::Issue> space_issues(const std::string& text) {
  try {
    (void)space_of(text);
  } catch (const hp::ConfigError& e) {
    return e.issues();
  }
  return {};
}

std::array<std::uint32_t, 4> philox(std::array<std::uint32_t, 4> counter,
                                    std::array<std::uint32_t, 2> key) {
  const r123::Philox4x32::ctr_type c = {{counter[0], counter[1], counter[2], counter[3]}};
  const r123::Philox4x32::key_type k = {{key[0], key[1]}};
  const auto out = r123::Philox4x32()(c, k);
  return {out[0], out[1], out[2], out[3]};
}

} // namespace

// ----- the generator ---------------------------------------------------------------------------

TEST_CASE("search: Philox4x32-10 gives Random123's published known answers", "[search]") {
  // Random123's kat_vectors, philox4x32 10: counter, key, result
  CHECK(philox({0, 0, 0, 0}, {0, 0}) ==
        std::array<std::uint32_t, 4>{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8});
  CHECK(philox({0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff}) ==
        std::array<std::uint32_t, 4>{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd});
  CHECK(philox({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0}) ==
        std::array<std::uint32_t, 4>{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1});
}

TEST_CASE("search: a stream's numbers are Philox words 0|1 and 2|3 of counter (block, lane, "
          "index)",
          "[search]") {
  SECTION("counter 0, key 0: the first block's two numbers, low word first") {
    hs::detail::Stream stream({0, 0}, 0, 0);
    CHECK(stream.next() == 0xe169c58d'6627e8d5ULL);
    CHECK(stream.next() == 0x9b00dbd8'bc57ac4cULL);
  }
  SECTION("the pi key, lane and 64-bit index: block k is counter {k, lane, index low, high}") {
    const std::uint64_t index = 0x03707344'13198a2eULL;
    hs::detail::Stream stream({0xa4093822, 0x299f31d0}, index, 0x85a308d3);
    for (std::uint32_t block = 0; block < 4; ++block) {
      const auto w = philox({block, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0});
      CHECK(stream.next() == ((std::uint64_t{w[1]} << 32) | w[0]));
      CHECK(stream.next() == ((std::uint64_t{w[3]} << 32) | w[2]));
    }
  }
}

// ----- golden trials ---------------------------------------------------------------------------
// Regression pins of the documented algorithm: computed once with the code, then checked by
// hand (each value in its bounds, on its step, present exactly when its `when` holds). A change
// here changes every user's trials: it needs a new stream version ("hyperparams/search/v2").

TEST_CASE("search: golden trials of a random space", "[search]") {
  // V01: log_uniform, uniform with a step, int_log_uniform, int_uniform with a step, values
  // (a choice of optimizer by name, an enum written "GELU"), a when on the optimizer, a value
  const Space space = fixture("V01.json");
  REQUIRE(space.size() == 2000000000);
  CHECK(
      values_text(space, 0) ==
      R"({"activation":"relu","batch_size":19,"dropout":0.1,"epochs":1,"layers":1,"learning_rate":0.011946476608332885,"optimizer":"adam","optimizer.beta1":0.85,"seed":3})");
  CHECK(
      values_text(space, 1) ==
      R"({"activation":"gelu","batch_size":185,"dropout":0.2,"epochs":13,"layers":2,"learning_rate":0.0012957229859006662,"optimizer":"sgd","optimizer.momentum":0.9404823725827447,"seed":3})");
  CHECK(
      values_text(space, 2) ==
      R"({"activation":"tanh","batch_size":44,"dropout":0.3,"epochs":13,"layers":4,"learning_rate":0.017829677892055983,"optimizer":"sgd","optimizer.momentum":0.892202509435723,"seed":3})");
  CHECK(
      values_text(space, 3) ==
      R"({"activation":"gelu","batch_size":81,"dropout":0.4,"epochs":13,"layers":4,"learning_rate":0.0002704239080785593,"optimizer":"sgd","optimizer.momentum":0.9361434153226645,"seed":3})");
  CHECK(
      values_text(space, 4) ==
      R"({"activation":"tanh","batch_size":28,"dropout":0.1,"epochs":13,"layers":2,"learning_rate":0.015282263193789686,"optimizer":"sgd","optimizer.momentum":0.8728248828398554,"seed":3})");
  CHECK(
      values_text(space, 1000000000) ==
      R"({"activation":"relu","batch_size":277,"dropout":0.4,"epochs":13,"layers":4,"learning_rate":0.00020298625178473694,"optimizer":"adam","optimizer.beta1":0.95,"seed":3})");
}

TEST_CASE("search: golden trials of a grid", "[search]") {
  // V02: the optimizer's branches (sgd: momentum 3 steps; adam: beta1 2 values) under
  // batch_size 3 x dropout 3 x layers 2, the last path varying fastest
  const Space space = fixture("V02.json");
  REQUIRE(space.size() == 90);
  CHECK(
      values_text(space, 0) ==
      R"({"batch_size":32,"dropout":0.1,"epochs":5,"layers":1,"optimizer":"sgd","optimizer.momentum":0.8})");
  CHECK(
      values_text(space, 1) ==
      R"({"batch_size":32,"dropout":0.1,"epochs":5,"layers":1,"optimizer":"sgd","optimizer.momentum":0.85})");
  CHECK(
      values_text(space, 2) ==
      R"({"batch_size":32,"dropout":0.1,"epochs":5,"layers":1,"optimizer":"sgd","optimizer.momentum":0.9})");
  CHECK(
      values_text(space, 3) ==
      R"({"batch_size":32,"dropout":0.1,"epochs":5,"layers":2,"optimizer":"sgd","optimizer.momentum":0.8})");
  CHECK(
      values_text(space, 4) ==
      R"({"batch_size":32,"dropout":0.1,"epochs":5,"layers":2,"optimizer":"sgd","optimizer.momentum":0.85})");
  CHECK(
      values_text(space, 54) ==
      R"({"batch_size":32,"dropout":0.1,"epochs":5,"layers":1,"optimizer":"adam","optimizer.beta1":0.8})");
  CHECK(
      values_text(space, 89) ==
      R"({"batch_size":128,"dropout":0.3,"epochs":5,"layers":2,"optimizer":"adam","optimizer.beta1":0.9})");
}

TEST_CASE("search: golden trials of a Sobol space", "[search]") {
  // V03: as V01 with a base of its own, uniform without a step, momentum with one
  const Space space = fixture("V03.json");
  REQUIRE(space.size() == 10000);
  CHECK(
      values_text(space, 0) ==
      R"({"activation":"gelu","batch_size":16,"dropout":0.2797006672435065,"layers":3,"learning_rate":0.0007476906023041404,"neurons":256,"optimizer":"adam","optimizer.beta1":0.8568576197671667})");
  CHECK(
      values_text(space, 1) ==
      R"({"activation":"tanh","batch_size":93,"dropout":0.029700667243506507,"layers":1,"learning_rate":0.02364405288384223,"neurons":128,"optimizer":"sgd","optimizer.momentum":0.8})");
  CHECK(
      values_text(space, 2) ==
      R"({"activation":"gelu","batch_size":39,"dropout":0.4047006672435065,"layers":4,"learning_rate":0.004204573241320806,"neurons":64,"optimizer":"adam","optimizer.beta1":0.9318576197671666})");
  CHECK(
      values_text(space, 3) ==
      R"({"activation":"relu","batch_size":222,"dropout":0.1547006672435065,"layers":2,"learning_rate":0.00013296028031570538,"neurons":128,"optimizer":"sgd","optimizer.momentum":0.95})");
  CHECK(
      values_text(space, 4) ==
      R"({"activation":"relu","batch_size":60,"dropout":0.0922006672435065,"layers":2,"learning_rate":0.0003152985126380667,"neurons":256,"optimizer":"adam","optimizer.beta1":0.9443576197671667})");
  CHECK(
      values_text(space, 9999) ==
      R"({"activation":"gelu","batch_size":378,"dropout":0.2277902668528815,"layers":4,"learning_rate":0.002265198155890511,"neurons":256,"optimizer":"adam","optimizer.beta1":0.9170199732827917})");
}

// ----- determinism -----------------------------------------------------------------------------

namespace {
const char* const random_space = R"({
  "method": "random", "seed": 5, "trials": 100,
  "parameters": {
    "learning_rate": {"log_uniform": [1e-5, 1]},
    "batch_size": {"int_log_uniform": [1, 1024]},
    "dropout": {"uniform": [0, 0.9]},
    "activation": {"values": ["relu", "gelu", "elu", "tanh"]},
    "optimizer": {"values": ["sgd", "adam"]},
    "optimizer.momentum": {"uniform": [0.5, 0.99], "when": {"optimizer": "sgd"}}
  }
})";

/// Values of trials [0, n), without `skip`.
std::vector<json> all_values(const Space& space, std::uint64_t n, const std::string& skip = "") {
  std::vector<json> out;
  for (std::uint64_t i = 0; i < n; ++i) {
    json v = values_json(space, i);
    v.erase(skip);
    out.push_back(std::move(v));
  }
  return out;
}
} // namespace

TEST_CASE("search: random trials do not depend on the order of keys or on other parameters",
          "[search]") {
  const Space space = space_of(random_space);
  const auto expected = all_values(space, 100);
  SECTION("keys in another order in the file") {
    const Space reordered = space_of(R"({
      "parameters": {
        "optimizer.momentum": {"when": {"optimizer": "sgd"}, "uniform": [0.5, 0.99]},
        "optimizer": {"values": ["sgd", "adam"]},
        "activation": {"values": ["relu", "gelu", "elu", "tanh"]},
        "dropout": {"uniform": [0, 0.9]},
        "batch_size": {"int_log_uniform": [1, 1024]},
        "learning_rate": {"log_uniform": [1e-5, 1]}
      },
      "trials": 100, "seed": 5, "method": "random"
    })");
    CHECK(all_values(reordered, 100) == expected);
  }
  SECTION("an unrelated parameter added, before and after the others in path order") {
    std::string text = random_space;
    text.insert(text.find("\"learning_rate\""), R"("epochs": {"int_uniform": [1, 50]}, )");
    text.insert(text.find("\"optimizer\""), R"("seed": {"int_uniform": [0, 9]}, )");
    const Space added = space_of(text);
    auto got = all_values(added, 100);
    for (auto& v : got) {
      CHECK(v.contains("epochs"));
      v.erase("epochs");
      v.erase("seed");
    }
    CHECK(got == expected);
  }
  SECTION("one parameter edited: the others keep their values") {
    std::string text = random_space;
    text.replace(text.find("[0, 0.9]"), 8, "[0.2, 0.3]");
    const Space edited = space_of(text);
    CHECK(all_values(edited, 100, "dropout") == all_values(space, 100, "dropout"));
    CHECK(all_values(edited, 100) != expected);
  }
  SECTION("another seed changes them") {
    std::string text = random_space;
    text.replace(text.find("\"seed\": 5"), 9, "\"seed\": 6");
    CHECK(all_values(space_of(text), 100) != expected);
  }
}

TEST_CASE("search: trial i is the same in any order and from any Space object", "[search]") {
  for (const char* name : {"V01.json", "V02.json", "V03.json"}) {
    INFO(name);
    const Space a = fixture(name);
    const Space b = fixture(name);
    const std::uint64_t n = std::min<std::uint64_t>(a.size(), 200);
    std::vector<json> forward;
    for (std::uint64_t i = 0; i < n; ++i) {
      forward.push_back(values_json(a, i));
    }
    std::vector<json> backward(n);
    for (std::uint64_t i = n; i-- > 0;) {
      backward[i] = values_json(b, i);
    }
    CHECK(forward == backward);
    for (std::uint64_t i = 0; i < n; i += 37) {
      CHECK(hp::dump(a.at(i).config) == hp::dump(b.at(i).config));
    }
  }
}

// ----- grids -----------------------------------------------------------------------------------

TEST_CASE("search: a grid is every point once, branch by branch", "[search]") {
  const Space space = space_of(R"({
    "method": "grid",
    "parameters": {
      "optimizer": {"values": ["sgd", "adam"]},
      "optimizer.momentum": {"values": [0.9, 0.99], "when": {"optimizer": "sgd"}},
      "optimizer.beta1": {"values": [0.8, 0.9, 0.95], "when": {"optimizer": "adam"}},
      "batch_size": {"values": [32, 64, 128]}
    }
  })");
  REQUIRE(space.size() == 3 * (2 + 3));
  std::vector<json> points;
  for (std::uint64_t i = 0; i < space.size(); ++i) {
    points.push_back(values_json(space, i));
  }
  const std::set<json> distinct(points.begin(), points.end());
  CHECK(distinct.size() == points.size());
  std::set<json> brute;
  for (const int batch : {32, 64, 128}) {
    for (const double momentum : {0.9, 0.99}) {
      brute.insert(
          json{{"batch_size", batch}, {"optimizer", "sgd"}, {"optimizer.momentum", momentum}});
    }
    for (const double beta1 : {0.8, 0.9, 0.95}) {
      brute.insert(json{{"batch_size", batch}, {"optimizer", "adam"}, {"optimizer.beta1", beta1}});
    }
  }
  CHECK(distinct == brute);
  // the controllers' branches first (sgd's 6 points, then adam's 9), the last path fastest
  CHECK(points[0] == json{{"batch_size", 32}, {"optimizer", "sgd"}, {"optimizer.momentum", 0.9}});
  CHECK(points[1] == json{{"batch_size", 32}, {"optimizer", "sgd"}, {"optimizer.momentum", 0.99}});
  CHECK(points[2] == json{{"batch_size", 64}, {"optimizer", "sgd"}, {"optimizer.momentum", 0.9}});
  CHECK(points[6] == json{{"batch_size", 32}, {"optimizer", "adam"}, {"optimizer.beta1", 0.8}});
  CHECK(points[14] == json{{"batch_size", 128}, {"optimizer", "adam"}, {"optimizer.beta1", 0.95}});
  // and each config is what its values say
  const auto trial = space.at(7);
  CHECK(std::get<hp::AdamOptions>(trial.config.optimizer).beta1 == 0.9);
  CHECK(trial.config.batch_size == 32);
  CHECK_THROWS_AS(space.at(15), std::out_of_range);
  CHECK_THROWS_AS(space.values_at(15), std::out_of_range);
}

TEST_CASE("search: a grid without when is the product of its sizes", "[search]") {
  const Space space = space_of(R"({
    "method": "grid",
    "parameters": {
      "batch_size": {"values": [16, 32]},
      "dropout": {"uniform": [0, 0.4], "step": 0.1},
      "epochs": {"value": 3},
      "layers": {"int_uniform": [1, 7], "step": 2},
      "seed": {"int_log_uniform": [8, 10]}
    }
  })");
  CHECK(space.size() == 2 * 5 * 1 * 4 * 3);
}

TEST_CASE("search: a grid of 10^12 points has its size and its last point", "[search]") {
  const Space space = space_of(R"({
    "method": "grid",
    "parameters": {
      "learning_rate": {"uniform": [0.01, 1.0], "step": 0.01},
      "batch_size": {"int_uniform": [1, 100]},
      "epochs": {"int_uniform": [1, 100]},
      "layers": {"int_uniform": [1, 100]},
      "dropout": {"uniform": [0, 0.99], "step": 0.01},
      "seed": {"int_uniform": [0, 99]}
    }
  })");
  const std::uint64_t size = 1000000000000ULL;
  REQUIRE(space.size() == size);
  CHECK(values_json(space, size - 1) == json::parse(R"({"batch_size": 100, "dropout": 0.99,
    "epochs": 100, "layers": 100, "learning_rate": 1.0, "seed": 99})"));
  CHECK(values_json(space, 0) == json::parse(R"({"batch_size": 1, "dropout": 0.0, "epochs": 1,
    "layers": 1, "learning_rate": 0.01, "seed": 0})"));
  // the last path varies fastest: seed, then learning_rate
  CHECK(values_json(space, 1)["seed"] == 1);
  CHECK(values_json(space, 100)["learning_rate"] == 0.02);
  CHECK(values_json(space, 100)["seed"] == 0);
  const auto last = space.at(size - 1).config;
  CHECK(last.dropout == 0.99);
  CHECK(last.seed == 99);
  CHECK_THROWS_AS(space.at(size), std::out_of_range);
  CHECK_THROWS_AS(space.values_at(~std::uint64_t{0}), std::out_of_range);
}

TEST_CASE("search: random and sobol have `trials` trials, and none past them", "[search]") {
  const Space space = space_of(random_space);
  CHECK(space.size() == 100);
  CHECK_NOTHROW(space.at(99));
  CHECK_THROWS_AS(space.at(100), std::out_of_range);
  const Space sobol = fixture("V03.json");
  CHECK_THROWS_AS(sobol.at(10000), std::out_of_range);
}

TEST_CASE("search: a grid parameter without a finite set of values is an issue", "[search]") {
  for (const char* distribution :
       {R"("dropout": {"uniform": [0, 0.5]})", R"("learning_rate": {"log_uniform": [1e-3, 1]})"}) {
    INFO(distribution);
    const auto issues =
        space_issues(std::string(R"({"method": "grid", "parameters": {)") + distribution + "}}");
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].code == hp::IssueCode::inconsistent);
    CHECK_THAT(issues[0].message, hptest::Contains("a grid needs a finite set of values"));
  }
}

// ----- steps -----------------------------------------------------------------------------------

TEST_CASE("search: decimal steps are exact and never pass the high bound", "[search]") {
  const auto grid = [](const std::string& parameter) {
    const Space space = space_of(R"({"method": "grid", "parameters": {)" + parameter + "}}");
    std::vector<json> out;
    for (std::uint64_t i = 0; i < space.size(); ++i) {
      out.push_back(space.values_at(i).at(0).second);
    }
    return out;
  };
  SECTION("0.1 to 0.5 by 0.1: the doubles of 0.1, 0.2, 0.3, 0.4 and 0.5, written so") {
    const auto values = grid(R"("dropout": {"uniform": [0.1, 0.5], "step": 0.1})");
    REQUIRE(values.size() == 5);
    const std::array<double, 5> expected = {0.1, 0.2, 0.3, 0.4, 0.5};
    const std::array<const char*, 5> texts = {"0.1", "0.2", "0.3", "0.4", "0.5"};
    for (std::size_t k = 0; k < 5; ++k) {
      CHECK(values[k].get<double>() == expected[k]); // not 0.30000000000000004
      CHECK(values[k].dump() == texts[k]);
    }
  }
  SECTION("a high bound off the steps is not reached") {
    CHECK(grid(R"("dropout": {"uniform": [0.1, 0.55], "step": 0.1})") ==
          std::vector<json>{0.1, 0.2, 0.3, 0.4, 0.5});
    CHECK(grid(R"("dropout": {"uniform": [0, 0.95], "step": 0.3})") ==
          std::vector<json>{0.0, 0.3, 0.6, 0.9});
  }
  SECTION("a step that is not a short decimal stays within the bounds") {
    const auto values = grid(R"("dropout": {"uniform": [0, 0.9], "step": 0.3333333333333333})");
    REQUIRE(values.size() == 3);
    for (const auto& v : values) {
      CHECK(v.get<double>() >= 0.0);
      CHECK(v.get<double>() <= 0.9);
    }
    CHECK(values[0] == 0.0);
  }
  SECTION("an integer step") {
    CHECK(grid(R"("epochs": {"int_uniform": [1, 10], "step": 4})") == std::vector<json>{1, 5, 9});
    CHECK(grid(R"("epochs": {"int_uniform": [3, 9], "step": 3})") == std::vector<json>{3, 6, 9});
  }
  SECTION("random draws only the steps") {
    const Space space = space_of(R"({"method": "random", "seed": 1, "trials": 2000,
      "parameters": {"dropout": {"uniform": [0.1, 0.5], "step": 0.1},
                     "epochs": {"int_uniform": [1, 10], "step": 4}}})");
    std::set<json> dropouts;
    std::set<json> epochs;
    for (std::uint64_t i = 0; i < space.size(); ++i) {
      const json v = values_json(space, i);
      dropouts.insert(v["dropout"]);
      epochs.insert(v["epochs"]);
    }
    CHECK(dropouts == std::set<json>{0.1, 0.2, 0.3, 0.4, 0.5});
    CHECK(epochs == std::set<json>{1, 5, 9});
  }
}

// ----- bounds ----------------------------------------------------------------------------------

namespace {
/// Checks every value of trials [0, n) against its parameter's bounds and `when`.
void check_bounds(const Space& space, std::uint64_t n) {
  std::size_t failures = 0;
  for (std::uint64_t i = 0; i < n && failures < 10; ++i) {
    const json values = values_json(space, i);
    for (const auto& p : space.parameters) {
      const bool sgd = values.contains("optimizer") && values["optimizer"] == "sgd";
      const bool adam = values.contains("optimizer") && values["optimizer"] == "adam";
      const bool expected_active = p.path == "optimizer.momentum" ? sgd
                                   : p.path == "optimizer.beta1"  ? adam
                                                                  : true;
      if (values.contains(p.path) != expected_active) {
        ++failures;
        FAIL_CHECK("trial " << i << ": " << p.path << " active is wrong: " << values.dump());
        continue;
      }
      if (!expected_active) {
        continue;
      }
      const json& v = values[p.path];
      bool ok = true;
      switch (p.distribution) {
      case hs::Distribution::value:
      case hs::Distribution::values:
        ok = std::find(p.values.begin(), p.values.end(), v) != p.values.end();
        break;
      case hs::Distribution::uniform:
      case hs::Distribution::log_uniform:
        ok = v.is_number_float() && v.get<double>() >= p.low && v.get<double>() <= p.high;
        if (ok && p.step) {
          const double k = (v.get<double>() - p.low) / *p.step;
          ok = std::fabs(k - std::nearbyint(k)) < 1e-9;
        }
        break;
      case hs::Distribution::int_uniform:
      case hs::Distribution::int_log_uniform:
        ok = v.is_number_integer() && v.get<std::int64_t>() >= p.int_low &&
             v.get<std::int64_t>() <= p.int_high &&
             (v.get<std::int64_t>() - p.int_low) % p.int_step.value_or(1) == 0;
        break;
      }
      if (!ok) {
        ++failures;
        FAIL_CHECK("trial " << i << ": " << p.path << " = " << v.dump());
      }
    }
  }
  CHECK(failures == 0);
}
} // namespace

TEST_CASE("search: 10,000 random and sobol trials stay in their bounds", "[search]") {
  SECTION("random") {
    check_bounds(fixture("V01.json"), 10000);
  }
  SECTION("sobol") {
    check_bounds(fixture("V03.json"), 10000);
  }
  SECTION("random over a wide space") {
    check_bounds(space_of(random_space), 100);
  }
}

TEST_CASE("search: the config of a trial has its values, and inactive ones are not defaulted",
          "[search]") {
  const Space space = fixture("V01.json");
  for (std::uint64_t i = 0; i < 200; ++i) {
    const auto trial = space.at(i);
    const json config = trial.config;
    for (const auto& [path, value] : trial.values) {
      std::string pointer = "/" + path;
      std::replace(pointer.begin(), pointer.end(), '.', '/');
      CHECK(config.at(json::json_pointer(pointer == "/optimizer" ? "/optimizer/name" : pointer)) ==
            value);
    }
    const auto values = values_json(space, i);
    if (values["optimizer"] == "sgd") {
      CHECK(!values.contains("optimizer.beta1"));
      CHECK(std::get<hp::SgdOptions>(trial.config.optimizer).momentum ==
            values["optimizer.momentum"].get<double>());
    } else {
      CHECK(!values.contains("optimizer.momentum"));
    }
  }
}

TEST_CASE("search: a float field's values are floats, written as the config writes them",
          "[search]") {
  const auto space = hs::parse_space<testapp::Run>(R"({
    "base": {"name": "run"},
    "method": "random", "seed": 3, "trials": 500,
    "parameters": {
      "clip": {"uniform": [0.5, 2.0]},
      "losses.ce.label_smoothing": {"uniform": [0.0, 0.2]}
    }
  })");
  for (std::uint64_t i = 0; i < space.size(); ++i) {
    const auto trial = space.at(i);
    REQUIRE(trial.values.size() == 2);
    const json config = trial.config;
    const json& clip = trial.values[0].second;
    CHECK(trial.values[0].first == "clip");
    // the shortest decimal that reads back as the float the config holds, as the config
    // writes it (1.9359725, not the double 1.9359724521636963 it was drawn as)
    CHECK(static_cast<float>(clip.get<double>()) == trial.config.clip);
    CHECK(config["clip"].dump() == clip.dump());
    std::string shortest;
    hp::detail::append_real(shortest, trial.config.clip);
    CHECK(clip.get<double>() == std::stod(shortest));
    CHECK_THAT(hp::dump(trial.config), hptest::Contains("\"clip\": " + shortest + ",\n"));
    const json& smoothing = trial.values[1].second;
    CHECK(config["losses"]["ce"]["label_smoothing"].dump() == smoothing.dump());
    CHECK(smoothing.get<double>() >= 0.0);
    CHECK(smoothing.get<double>() <= 0.2);
  }
}

// ----- validation ------------------------------------------------------------------------------

TEST_CASE("search: a trial that breaks a rule between fields throws ConfigError", "[search]") {
  // each value is valid alone (checked against the base, layers 2); layers 1 with two widths
  // is not
  const Space space = space_of(R"({
    "method": "grid",
    "parameters": {
      "layers": {"values": [1, 2]},
      "neurons": {"values": [[64, 32]]}
    }
  })");
  REQUIRE(space.size() == 2);
  try {
    (void)space.at(0);
    FAIL("trial 0 (layers 1, neurons [64, 32]) loads");
  } catch (const hp::ConfigError& e) {
    REQUIRE(e.issues().size() == 1);
    CHECK(e.issues()[0].path == "/neurons");
    CHECK(e.issues()[0].code == hp::IssueCode::inconsistent);
  }
  CHECK(space.at(1).config.layer_widths() == std::vector<std::int32_t>{64, 32});
  // values_at does not validate: it is what the trial would set
  CHECK(values_text(space, 0) == R"({"layers":1,"neurons":[64,32]})");
}

TEST_CASE("search: a choice by name keeps the base's options of that choice", "[search]") {
  // the trial sets optimizer.name=adam, not optimizer=adam (which resets every option)
  const Space space = fixture("V03.json");
  for (std::uint64_t i = 0; i < 10; ++i) {
    const auto trial = space.at(i);
    if (const auto* adam = std::get_if<hp::AdamOptions>(&trial.config.optimizer)) {
      CHECK(adam->beta2 == 0.98);
    }
  }
}

// ----- the fixtures ----------------------------------------------------------------------------

namespace {
using Located = std::tuple<std::string, std::string, std::size_t, std::size_t>;

std::vector<json> search_manifest() {
  return hptest::read_jsonl("search/manifest.jsonl");
}
} // namespace

TEST_CASE("search: every fixture gets exactly its issues, located", "[search]") {
  const auto cases = search_manifest();
  REQUIRE(cases.size() == 34);
  std::size_t valid = 0;
  for (const auto& c : cases) {
    const std::string file = c.at("file").get<std::string>();
    INFO(c.at("id").get<std::string>() << ": " << c.at("note").get<std::string>());
    std::vector<hp::Issue> issues;
    std::string source;
    try {
      const Space space = fixture(file);
      for (std::uint64_t i = 0; i < std::min<std::uint64_t>(space.size(), 20); ++i) {
        (void)space.at(i); // a valid space's trials load
      }
    } catch (const hp::ConfigError& e) {
      issues = e.issues();
      source = e.source();
    }
    INFO(hptest::render(issues));
    std::vector<Located> got;
    for (const auto& issue : issues) {
      got.emplace_back(issue.path, std::string(hp::to_string(issue.code)), issue.line,
                       issue.column);
      CHECK(!issue.message.empty());
      CHECK(issue.message.find("override") == std::string::npos); // no override labels
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
      continue;
    }
    // the issues are of the space's file, or of its base file where the manifest says so
    const std::string from = c.value("source", file);
    CHECK(source.size() >= from.size());
    CHECK(source.compare(source.size() - std::min(source.size(), from.size()), from.size(), from) ==
          0);
    for (const auto& m : c.value("messages", json::array())) {
      const std::string all = hptest::render(issues);
      CHECK_THAT(all, hptest::Contains(m.get<std::string>()));
    }
  }
  CHECK(valid == 6);
}

TEST_CASE("search: a number parameter over a field of one value or a list", "[search]") {
  // neurons holds one width or a list: int_uniform gives one width, a multiple of the step
  const Space space = fixture("V06.json");
  for (std::uint64_t i = 0; i < space.size(); ++i) {
    const auto trial = space.at(i);
    REQUIRE(trial.values.size() == 1);
    const auto width = trial.values[0].second.get<std::int64_t>();
    CHECK(width >= 32);
    CHECK(width <= 256);
    CHECK(width % 32 == 0);
    CHECK(trial.config.layer_widths() ==
          std::vector<std::int32_t>(static_cast<std::size_t>(trial.config.layers),
                                    static_cast<std::int32_t>(width)));
  }
}

TEST_CASE("search: the limits the README states: 10,000 values a list, 100 issues and a count",
          "[search]") {
  const auto list = [](std::size_t n, const char* value) {
    std::string out = "[";
    for (std::size_t i = 0; i < n; ++i) {
      out += (i == 0 ? "" : ",") + std::string(value);
    }
    return out + "]";
  };
  // 10,001 values: refused before any is checked
  auto issues = space_issues(R"({"method": "grid", "parameters": {"seed": {"values": )" +
                             list(10001, "1") + "}}}");
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].code == hp::IssueCode::limit_exceeded);
  CHECK(issues[0].path == "/parameters/seed/values");
  // 150 invalid values: the first 100 listed, then one issue that counts the rest
  issues = space_issues(R"({"method": "grid", "parameters": {"batch_size": {"values": )" +
                        list(150, "-1") + "}}}");
  REQUIRE(issues.size() == 101);
  CHECK(issues[99].code == hp::IssueCode::out_of_range);
  CHECK(issues[100].code == hp::IssueCode::limit_exceeded);
  CHECK_THAT(issues[100].message, hptest::Contains("50 more issues not shown"));
}
