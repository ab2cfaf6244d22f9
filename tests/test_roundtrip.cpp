// SPDX-License-Identifier: MIT
// Seeded property tests: thousands of random valid configs round-trip through every path, and
// mutated texts are either loaded (and then valid) or rejected with located, coded issues.
#include <hyperparams/json.hpp>

#include "catch_compat.hpp"
#include "support.hpp"

#include <cmath>
#include <random>

using namespace hyperparams;

namespace {

class Generator {
public:
  explicit Generator(std::uint64_t seed) : rng_(seed) {}

  HyperParams config() {
    HyperParams hp;
    hp.learning_rate = std::pow(10.0, real(-7, 1));
    hp.batch_size = count();
    hp.epochs = count();
    hp.layers = static_cast<std::int32_t>(integer(1, 6));
    if (coin()) {
      hp.neurons = count();
    } else {
      std::vector<std::int32_t> widths;
      for (std::int32_t i = 0; i < hp.layers; ++i) {
        widths.push_back(count());
      }
      hp.neurons = widths;
    }
    hp.dropout = coin() ? 0.0 : real(0, 0.999);
    hp.activation = static_cast<Activation>(integer(0, 10));
    hp.seed = pick({std::uint64_t{0}, std::uint64_t{18446744073709551615ULL}, rng_()});
    hp.optimizer = optimizer();
    return hp;
  }

  std::uint64_t integer(std::uint64_t lo, std::uint64_t hi) {
    return std::uniform_int_distribution<std::uint64_t>(lo, hi)(rng_);
  }
  bool coin() { return integer(0, 1) == 1; }

private:
  double real(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng_); }
  template <class T>
  T pick(std::initializer_list<T> values) {
    return *(values.begin() + integer(0, values.size() - 1));
  }
  std::int32_t count() {
    switch (integer(0, 3)) {
    case 0:
      return 1;
    case 1:
      return 2147483647;
    default:
      return static_cast<std::int32_t>(integer(1, 4096));
    }
  }
  double small() { return coin() ? 0.0 : std::pow(10.0, real(-12, 0)); }
  double unit() { return coin() ? 0.0 : real(0, 0.999999); }
  OptimizerOptions optimizer() {
    switch (integer(0, 4)) {
    case 0: {
      SgdOptions o;
      o.momentum = unit();
      o.nesterov = o.momentum > 0 && coin();
      o.dampening = o.nesterov ? 0.0 : unit();
      o.weight_decay = small();
      return o;
    }
    case 1:
      return AdamOptions{unit(), unit(), small(), small(), coin()};
    case 2:
      return AdamWOptions{unit(), unit(), small(), small(), coin()};
    case 3:
      return RmspropOptions{unit(), small(), unit(), coin(), small()};
    default:
      return AdagradOptions{small(), small(), small(), small()};
    }
  }

  std::mt19937_64 rng_;
};

constexpr std::uint64_t seed = 20261127;

} // namespace

TEST_CASE("random valid configs round-trip through text, DOM and the one-line form",
          "[roundtrip]") {
  Generator gen(seed);
  for (int i = 0; i < 3000; ++i) {
    const HyperParams hp = gen.config();
    INFO("seed " << seed << ", config " << i << ": " << hp);
    REQUIRE(validate(hp).empty());
    const std::string text = dump(hp);
    const HyperParams back = parse(text);
    REQUIRE(back == hp);
    REQUIRE(dump(back) == text);
    const nlohmann::json j = hp;
    REQUIRE(j.get<HyperParams>() == hp);
    REQUIRE(nlohmann::json::parse(text) == j);
    REQUIRE(parse(to_string(hp)) == hp);
  }
}

TEST_CASE("targeted mutations are reported at their path with their code", "[roundtrip]") {
  Generator gen(seed + 1);
  const std::vector<std::string> keys = {"learning_rate", "batch_size", "epochs", "layers",
                                         "dropout",       "activation", "seed"};
  for (int i = 0; i < 2000; ++i) {
    const HyperParams hp = gen.config();
    nlohmann::json j = hp;
    const std::string& key = keys[gen.integer(0, keys.size() - 1)];
    std::string text;
    std::string path = "/" + key;
    IssueCode code = IssueCode::type_error;
    switch (gen.integer(0, 3)) {
    case 0: // wrong type
      j[key] = key == "activation" ? nlohmann::json(3) : nlohmann::json("3");
      text = j.dump(2);
      break;
    case 1: // a typo in a key
      j[key + "x"] = j[key];
      j.erase(key);
      text = j.dump();
      path = "/" + key + "x";
      code = IssueCode::unknown_key;
      break;
    case 2: { // the key twice
      text = j.dump();
      text.insert(text.size() - 1, ",\"" + key + "\":" + j[key].dump());
      code = IssueCode::duplicate_key;
      break;
    }
    default: // null
      j[key] = nullptr;
      text = j.dump(1);
      break;
    }
    const auto issues = hptest::issues_of(text);
    INFO("seed " << seed + 1 << ", case " << i << ": " << text << "\n" << hptest::render(issues));
    REQUIRE(hptest::has_issue(issues, path, code));
    for (const auto& issue : issues) {
      REQUIRE(issue.line >= 1);
    }
  }
}

TEST_CASE("random byte edits never escape as anything but ConfigError", "[roundtrip]") {
  Generator gen(seed + 2);
  const std::string alphabet = "{}[]:,\"\\ 0123456789.eE-+tfnul\x01\xff\xc3\x80/a";
  int loaded = 0;
  int rejected = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string text = dump(gen.config());
    const auto edits = gen.integer(1, 4);
    for (std::uint64_t e = 0; e < edits; ++e) {
      const auto at = static_cast<std::size_t>(gen.integer(0, text.size() - 1));
      const char c = alphabet[gen.integer(0, alphabet.size() - 1)];
      switch (gen.integer(0, 2)) {
      case 0:
        text[at] = c;
        break;
      case 1:
        text.insert(at, 1, c);
        break;
      default:
        text.erase(at, 1);
        break;
      }
    }
    INFO("seed " << seed + 2 << ", case " << i << ": " << text);
    try {
      const HyperParams hp = parse(text);
      ++loaded;
      REQUIRE(validate(hp).empty());
      REQUIRE(parse(dump(hp)) == hp);
    } catch (const ConfigError& error) {
      ++rejected;
      REQUIRE_FALSE(error.issues().empty());
      for (const auto& issue : error.issues()) {
        REQUIRE_FALSE(issue.message.empty());
        REQUIRE(issue.line >= 1);
        REQUIRE(issue.column >= 1);
      }
    }
  }
  CHECK(loaded > 0);
  CHECK(rejected > 1000);
}
