// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Definitions of the functions `<hyperparams/schema.hpp>` declares: included by that header
/// (header-only) or compiled once into the library (`HYPERPARAMS_COMPILED`). Not for users.

#include "hyperparams/fields.hpp"
#include "hyperparams/impl/json.hpp"
#include "hyperparams/schema.hpp"

namespace hyperparams {

namespace detail {

/// `^(?:[rR][eE][lL][uU]|...)$`: the names of `E`, matched case-insensitively as the loader
/// does (JSON Schema patterns have no case-insensitive flag).
template <class E>
std::string case_insensitive_pattern(const std::vector<std::string_view>& names) {
  std::string pattern = "^(?:";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) {
      pattern += '|';
    }
    for (const char c : names[i]) {
      const char lower = ascii_lower(c);
      if (lower >= 'a' && lower <= 'z') {
        pattern += '[';
        pattern += lower;
        pattern += static_cast<char>(lower - 'a' + 'A');
        pattern += ']';
      } else {
        pattern += c; // digits and '_' need no escape
      }
    }
  }
  return pattern + ")$";
}

template <class E>
nlohmann::json name_schema(std::string_view description) {
  nlohmann::json names = nlohmann::json::array();
  for (const auto name : enum_names<E>(false)) {
    names.push_back(name);
  }
  nlohmann::json schema = {
      {"type", "string"},
      {"anyOf",
       {{{"enum", names}}, {{"pattern", case_insensitive_pattern<E>(enum_names<E>(false))}}}}};
  if (!description.empty()) {
    schema["description"] = std::string(description) + " Names are case-insensitive.";
  }
  return schema;
}

inline nlohmann::json bound(double value, bool integral) {
  if (integral) {
    if (value >= 18446744073709551615.0) {
      return std::numeric_limits<std::uint64_t>::max(); // the double rounds the bound up to 2^64
    }
    return value >= 0 ? nlohmann::json(static_cast<std::uint64_t>(value))
                      : nlohmann::json(static_cast<std::int64_t>(value));
  }
  return nlohmann::json(value);
}

inline void add_bounds(nlohmann::json& schema, const Range& range, bool integral) {
  if (std::isfinite(range.min)) {
    schema[range.min_exclusive ? "exclusiveMinimum" : "minimum"] = bound(range.min, integral);
  }
  if (std::isfinite(range.max)) {
    schema[range.max_exclusive ? "exclusiveMaximum" : "maximum"] = bound(range.max, integral);
  } else if (!integral) {
    // finite: a number that overflows a double (1e400) is out of range
    schema["maximum"] = std::numeric_limits<double>::max();
  }
}

template <class T>
nlohmann::json value_schema(const T& default_value, const Range& range, std::string_view doc);

template <class S>
nlohmann::json properties_of(const S& defaults) {
  nlohmann::json properties = nlohmann::json::object();
  for_each_field<S>([&](const auto& fld) {
    properties[std::string(fld.name)] = value_schema(defaults.*fld.member, fld.range, fld.doc);
  });
  return properties;
}

template <class Options>
nlohmann::json options_rules(const Options&) {
  return nlohmann::json::object();
}
/// The nesterov rule of `check_rules(SgdOptions)`, in JSON Schema.
inline nlohmann::json options_rules(const SgdOptions&) {
  return {
      {"if", {{"properties", {{"nesterov", {{"const", true}}}}}, {"required", {"nesterov"}}}},
      {"then",
       {{"required", {"momentum"}},
        {"properties", {{"momentum", {{"exclusiveMinimum", 0}}}, {"dampening", {{"const", 0}}}}}}}};
}

/// An options variant: a name, or an object whose options depend on "name" (if/then per
/// alternative; without a name, the default alternative's options).
template <class V>
nlohmann::json options_schema(const V& default_value, std::string_view doc) {
  using Kind = options_kind_t<V>;
  nlohmann::json cases = nlohmann::json::array();
  auto options_of = [&](const auto& defaults) {
    using Opts = std::decay_t<decltype(defaults)>;
    nlohmann::json properties = properties_of(defaults);
    properties["name"] = true;
    nlohmann::json then = {{"properties", properties}, {"additionalProperties", false}};
    const nlohmann::json rules = options_rules(defaults);
    if (!rules.empty()) {
      then["allOf"] = nlohmann::json::array({rules});
    }
    std::vector<std::string_view> names;
    for (const auto& entry : EnumNames<Kind>::entries) {
      if (entry.value == Opts::kind) {
        names.push_back(entry.name);
      }
    }
    return std::make_pair(names, then);
  };
  for (std::size_t i = 0; i < std::variant_size_v<V>; ++i) {
    std::visit(
        [&](const auto& defaults) {
          auto [names, then] = options_of(defaults);
          cases.push_back(
              {{"if",
                {{"properties", {{"name", {{"pattern", case_insensitive_pattern<Kind>(names)}}}}},
                 {"required", {"name"}}}},
               {"then", then}});
        },
        default_alternative<V>(static_cast<Kind>(i)));
  }
  std::visit(
      [&](const auto& defaults) {
        cases.push_back(
            {{"if", {{"not", {{"required", {"name"}}}}}}, {"then", options_of(defaults).second}});
      },
      default_alternative<V>(kind_of(default_value))); // the loader's default when unnamed
  nlohmann::json object = {
      {"type", "object"}, {"properties", {{"name", name_schema<Kind>("")}}}, {"allOf", cases}};
  return {{"description", std::string(doc)},
          {"default", enum_to_string(kind_of(default_value))},
          {"anyOf", {name_schema<Kind>(""), object}}};
}

/// The entry of `member` in the field table of `S`.
template <class S, class T>
Field<S, T> field_of(T S::*member) {
  Field<S, T> found{};
  for_each_field<S>([&](const auto& fld) {
    if constexpr (std::is_same_v<decltype(fld.member), T S::*>) {
      if (fld.member == member) {
        found = fld;
      }
    }
  });
  return found;
}

/// A rule for a file that leaves `key` out (the loader then compares with its default), and
/// optionally one for a file that gives it.
inline nlohmann::json when_absent(std::string_view key, nlohmann::json then,
                                  nlohmann::json otherwise = nullptr) {
  nlohmann::json rule = {
      {"if", {{"not", {{"required", nlohmann::json::array({std::string(key)})}}}}},
      {"then", std::move(then)}};
  if (!otherwise.is_null()) {
    rule["else"] = std::move(otherwise);
  }
  return rule;
}

/// `{"properties": {key: schema}}`.
inline nlohmann::json property(std::string_view key, nlohmann::json schema) {
  return {{"properties", {{std::string(key), std::move(schema)}}}};
}

/// The rules of `check_rules(HyperParams)` as far as a schema can express them. A rule compares
/// two fields, which a schema cannot; but where the file leaves one out, it is its default, a
/// number the schema can hold, and where the file gives it, its bounds still bound the other.
inline nlohmann::json config_rules(const HyperParams& defaults) {
  const auto schedule = field_of(&HyperParams::lr_schedule).name;
  // every schedule has a warmup; only cosine has min_lr (elsewhere an unknown option)
  const auto warmup = field_of(&ConstantSchedule::warmup_epochs).name;
  const auto min_lr = field_of(&CosineSchedule::min_lr).name;
  const auto epochs = field_of(&HyperParams::epochs);
  return nlohmann::json::array(
      {when_absent(epochs.name,
                   property(schedule, property(warmup, {{"exclusiveMaximum", defaults.epochs}})),
                   // given epochs, warmup_epochs is still below the most epochs there can be
                   property(schedule, property(warmup, {{"exclusiveMaximum",
                                                         bound(epochs.range.max, true)}}))),
       when_absent(field_of(&HyperParams::learning_rate).name,
                   property(schedule, property(min_lr, {{"maximum", defaults.learning_rate}}))),
       when_absent(field_of(&HyperParams::layers).name,
                   property(field_of(&HyperParams::neurons).name,
                            {{"minItems", defaults.layers}, {"maxItems", defaults.layers}}))});
}

template <class T>
nlohmann::json value_schema(const T& default_value, const Range& range, std::string_view doc) {
  nlohmann::json schema;
  if constexpr (std::is_same_v<T, double>) {
    schema = {{"type", "number"}};
    add_bounds(schema, range, false);
  } else if constexpr (std::is_same_v<T, bool>) {
    schema = {{"type", "boolean"}};
  } else if constexpr (std::is_integral_v<T>) {
    schema = {{"type", "integer"}};
    add_bounds(schema, range, true);
  } else if constexpr (is_enum_with_names<T>::value) {
    schema = name_schema<T>("");
  } else if constexpr (std::is_same_v<T, Neurons>) {
    nlohmann::json width = {{"type", "integer"}};
    add_bounds(width, range, true);
    schema = {{"oneOf", {width, {{"type", "array"}, {"items", width}, {"minItems", 1}}}}};
  } else {
    static_assert(is_options_variant<T>::value, "no schema for this field type");
    return options_schema(default_value, doc);
  }
  schema["description"] = std::string(doc);
  nlohmann::json default_json;
  DomSink sink(default_json);
  emit_value(default_value, sink);
  schema["default"] = default_json;
  return schema;
}

/// What the schema checks of the rules between fields, and what only the loader checks (the
/// differences tests/schema/check_agreement.py lists).
inline std::string schema_description(const HyperParams& defaults) {
  return "Hyperparameters of a training run (hyperparams " HYPERPARAMS_VERSION_STRING
         "). A missing key takes its default, also in the rules between fields: without epochs, "
         "lr_schedule's warmup_epochs must be less than " +
         std::to_string(defaults.epochs) + "; without learning_rate, cosine's min_lr at most " +
         number_text(defaults.learning_rate) + "; without layers, a neurons list must have " +
         std::to_string(defaults.layers) +
         " widths. The loader also rejects what a schema cannot express: a key given twice in one "
         "object; a neurons list whose length is not the layers given; a warmup_epochs not less "
         "than the epochs given; a min_lr above the learning_rate given; for an integer field, a "
         "fraction that a double rounds away (32.0000000000000001); a nonzero number that "
         "underflows to 0 (1e-400); a file over " +
         std::to_string(LoadOptions{}.max_bytes) +
         " bytes. The other way round, the loader reads an integer in float form from its "
         "digits, so it accepts 18446744073709551615.0 as a seed, which a validator reads as "
         "the double 2^64.";
}

} // namespace detail

HYPERPARAMS_INLINE nlohmann::json json_schema() {
  const HyperParams defaults;
  nlohmann::json properties = detail::properties_of(defaults);
  properties["$schema"] = {{"type", "string"},
                           {"description", "The schema of this file, for editors; ignored."}};
  return {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
          {"$id", std::string(schema_id)},
          {"title", "hyperparams config"},
          {"description", detail::schema_description(defaults)},
          {"type", "object"},
          {"properties", properties},
          {"additionalProperties", false},
          {"allOf", detail::config_rules(defaults)}};
}

} // namespace hyperparams
