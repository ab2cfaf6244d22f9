// SPDX-License-Identifier: MIT
// The schema is generated from the field table: every field and every option has an entry with
// its type, bounds, default and description. (tests/schema/check_agreement.py checks it against
// the library with an independent validator.)
#include <hyperparams/fields.hpp>
#include <hyperparams/schema.hpp>

#include "catch_compat.hpp"

using namespace hyperparams;
using nlohmann::json;

TEST_CASE("the schema describes every field, with its default", "[schema]") {
  const json schema = json_schema();
  CHECK(schema.at("$schema") == "https://json-schema.org/draft/2020-12/schema");
  CHECK(schema.at("additionalProperties") == false);
  const json& properties = schema.at("properties");
  const json defaults = HyperParams{};
  std::size_t fields = 0;
  detail::for_each_field<HyperParams>([&](const auto& fld) {
    ++fields;
    const std::string name(fld.name);
    INFO(name);
    REQUIRE(properties.contains(name));
    CHECK(properties.at(name).at("description") == std::string(fld.doc));
    if (defaults.at(name).is_object()) { // a name with options: the default is the name
      CHECK(properties.at(name).at("default") == defaults.at(name).at("name"));
    } else {
      CHECK(properties.at(name).at("default") == defaults.at(name));
    }
  });
  CHECK(properties.size() == fields + 2); // and "$schema", "$extends"
}

TEST_CASE("bounds come from the field table", "[schema]") {
  const json schema = json_schema();
  const json& p = schema.at("properties");
  CHECK(p.at("learning_rate").at("exclusiveMinimum") == 0.0);
  CHECK(p.at("dropout").at("minimum") == 0.0);
  CHECK(p.at("dropout").at("exclusiveMaximum") == 1.0);
  CHECK(p.at("batch_size").at("type") == "integer");
  CHECK(p.at("batch_size").at("minimum") == 1);
  CHECK(p.at("batch_size").at("maximum") == 2147483647);
  CHECK(p.at("seed").at("maximum") == 18446744073709551615ULL);
  CHECK(p.at("seed").at("maximum").is_number_unsigned());
}

TEST_CASE("every option of every optimizer is in the schema", "[schema]") {
  const json schema = json_schema();
  const json& cases = schema.at("properties").at("optimizer").at("anyOf").at(1).at("allOf");
  REQUIRE(cases.size() == std::variant_size_v<OptimizerOptions> + 1); // and "no name"
  for (std::size_t i = 0; i < std::variant_size_v<OptimizerOptions>; ++i) {
    std::visit(
        [&](const auto& options) {
          using Options = std::decay_t<decltype(options)>;
          const json& properties = cases.at(i).at("then").at("properties");
          detail::for_each_field<Options>([&](const auto& fld) {
            INFO(to_string(Options::kind) << "." << fld.name);
            CHECK(properties.contains(std::string(fld.name)));
            CHECK(properties.at(std::string(fld.name)).at("default") == json(options.*fld.member));
          });
          CHECK(properties.size() == detail::field_count<Options> + 1); // and "name"
        },
        default_options(static_cast<Optimizer>(i)));
  }
}

namespace {

/// The top-level rule whose "then" applies when the file leaves `key` out.
json rule_without(const json& schema, const std::string& key) {
  const json condition = {{"not", {{"required", json::array({key})}}}};
  for (const json& rule : schema.at("allOf")) {
    if (rule.at("if") == condition) {
      return rule;
    }
  }
  return nullptr;
}

} // namespace

TEST_CASE("rules between fields compare with the default of a missing field", "[schema]") {
  const json schema = json_schema();
  const HyperParams defaults;
  const json epochs = rule_without(schema, "epochs");
  REQUIRE(epochs.is_object());
  CHECK(epochs.at("then").at("properties").at("lr_schedule").at("properties").at("warmup_epochs") ==
        json{{"exclusiveMaximum", defaults.epochs}});
  // with epochs given, warmup_epochs is still less than the most epochs there can be
  CHECK(epochs.at("else").at("properties").at("lr_schedule").at("properties").at("warmup_epochs") ==
        json{{"exclusiveMaximum", std::numeric_limits<decltype(defaults.epochs)>::max()}});
  const json learning_rate = rule_without(schema, "learning_rate");
  REQUIRE(learning_rate.is_object());
  CHECK(learning_rate.at("then").at("properties").at("lr_schedule").at("properties").at("min_lr") ==
        json{{"maximum", defaults.learning_rate}});
  const json layers = rule_without(schema, "layers");
  REQUIRE(layers.is_object());
  CHECK(layers.at("then").at("properties").at("neurons") ==
        json{{"minItems", defaults.layers}, {"maxItems", defaults.layers}});
}
