// SPDX-License-Identifier: MIT
#include <hyperparams/detail/sha256.hpp>
#include <hyperparams/diff.hpp>
#include <hyperparams/json.hpp>

#include "catch_compat.hpp"

using namespace hyperparams;

TEST_CASE("equal configs have no differences", "[diff]") {
  CHECK(diff(HyperParams{}, HyperParams{}).empty());
}

TEST_CASE("differences are JSON pointers with both values", "[diff]") {
  HyperParams a;
  HyperParams b;
  b.learning_rate = 3e-4;
  b.layers = 3;
  b.neurons = std::vector<std::int32_t>{64, 32, 16};
  b.activation = Activation::tanh;
  const auto d = diff(a, b);
  REQUIRE(d.size() == 4);
  CHECK(d[0] == Difference{"/learning_rate", "0.001", "0.0003"});
  CHECK(d[1] == Difference{"/layers", "2", "3"});
  CHECK(d[2] == Difference{"/neurons", "64", "[64, 32, 16]"});
  CHECK(d[3] == Difference{"/activation", "\"relu\"", "\"tanh\""});
}

TEST_CASE("another optimizer differs in its name and its options", "[diff]") {
  HyperParams a;
  HyperParams b;
  b.optimizer = SgdOptions{0.9};
  const auto d = diff(a, b);
  CHECK(d.front() == Difference{"/optimizer/name", "\"adam\"", "\"sgd\""});
  CHECK(std::find(d.begin(), d.end(), Difference{"/optimizer/beta1", "0.9", ""}) != d.end());
  CHECK(std::find(d.begin(), d.end(), Difference{"/optimizer/momentum", "", "0.9"}) != d.end());
  // weight_decay exists in both, with the same value
  CHECK(std::none_of(d.begin(), d.end(),
                     [](const Difference& x) { return x.path == "/optimizer/weight_decay"; }));
}

TEST_CASE("SHA-256 matches the FIPS 180-4 examples", "[diff]") {
  const auto hex = [](std::string_view text) {
    const auto digest = detail::sha256(text);
    return detail::hex(digest.data(), digest.size());
  };
  CHECK(hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  CHECK(hex(std::string(55, 'x')).size() == 64); // padding edge: 55 and 56 bytes
  CHECK(hex(std::string(56, 'x')) != hex(std::string(55, 'x')));
}

TEST_CASE("a fingerprint is stable and ignores how the config was written", "[diff]") {
  const auto a = parse(R"({"batch_size": 64.0, "activation": "GELU", "optimizer": "Adam"})");
  const auto b =
      parse(R"({"optimizer": {"name": "adam"}, "activation": "gelu", "batch_size": 64})");
  CHECK(fingerprint(a) == fingerprint(b));
  CHECK(fingerprint(a).size() == 16);
  HyperParams c = a;
  c.seed += 1;
  CHECK(fingerprint(c) != fingerprint(a));
  // the canonical text's SHA-256, so a saved run id never changes under the same format
  CHECK(fingerprint(HyperParams{}) == "05e1950f1e5ee846");
}
