// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The JSON Schema of any described type, walked by the shapes of its member types, and the
/// templates `<hyperparams/schema.hpp>` declares: in the headers in both modes. Not for users.

#include "hyperparams/detail/member_types.hpp"
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
    names.push_back(std::string(name));
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

inline void add_bounds(nlohmann::json& schema, const Range& range, bool integral,
                       double largest = std::numeric_limits<double>::max()) {
  if (std::isfinite(range.min)) {
    schema[range.min_exclusive ? "exclusiveMinimum" : "minimum"] = bound(range.min, integral);
  }
  if (std::isfinite(range.max)) {
    schema[range.max_exclusive ? "exclusiveMaximum" : "maximum"] = bound(range.max, integral);
  } else if (!integral) {
    // finite: a number that overflows a double (1e400), or a float, is out of range
    schema["maximum"] = largest;
  }
  if (!integral && largest < std::numeric_limits<double>::max() && !std::isfinite(range.min)) {
    schema["minimum"] = -largest;
  }
}

template <class T>
nlohmann::json value_schema(const T& default_value, const Constraints& c, std::string_view doc);

/// The rules of a struct's description as far as a schema can express them (written by hand:
/// rules are code); none for a struct without.
template <class S>
nlohmann::json struct_rules(const S&) {
  return nlohmann::json::array();
}
inline nlohmann::json struct_rules(const SgdOptions& defaults);
inline nlohmann::json struct_rules(const HyperParams& defaults);

template <class S>
nlohmann::json properties_of(const S& defaults) {
  nlohmann::json properties = nlohmann::json::object();
  for_each_field<S>([&](const auto& fld) {
    properties[std::string(fld.name)] =
        value_schema(defaults.*fld.member, constraints_of(fld), fld.doc);
  });
  return properties;
}

/// The keys a struct must have.
template <class S>
nlohmann::json required_of() {
  nlohmann::json required = nlohmann::json::array();
  for_each_field<S>([&](const auto& fld) {
    if (fld.is_required) {
      required.push_back(std::string(fld.name));
    }
  });
  return required;
}

/// An object of the fields of `S`: nothing else, the required ones, and its rules.
template <class S>
nlohmann::json struct_schema(const S& defaults) {
  nlohmann::json schema = {
      {"type", "object"}, {"properties", properties_of(defaults)}, {"additionalProperties", false}};
  if (const auto required = required_of<S>(); !required.empty()) {
    schema["required"] = required;
  }
  if (const auto rules = struct_rules(defaults); !rules.empty()) {
    schema["allOf"] = rules;
  }
  return schema;
}

/// The nesterov rule of SgdOptions' description, in JSON Schema.
inline nlohmann::json struct_rules(const SgdOptions&) {
  return nlohmann::json::array(
      {{{"if", {{"properties", {{"nesterov", {{"const", true}}}}}, {"required", {"nesterov"}}}},
        {"then",
         {{"required", {"momentum"}},
          {"properties",
           {{"momentum", {{"exclusiveMinimum", 0}}}, {"dampening", {{"const", 0}}}}}}}}});
}

/// An options variant: a name, or an object whose options depend on "name" (if/then per
/// alternative; without a name, the default alternative's options).
template <class V>
nlohmann::json options_schema(const V& default_value, std::string_view doc) {
  using Kind = options_kind_t<V>;
  nlohmann::json cases = nlohmann::json::array();
  auto options_of = [&](const auto& defaults) {
    using Opts = std::decay_t<decltype(defaults)>;
    nlohmann::json then = struct_schema(defaults);
    then.erase("type");
    then["properties"]["name"] = true;
    std::vector<std::string_view> names;
    for (const auto& entry : description_of<Kind>.entries) {
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
  // the first field of the struct stands in until the member's own is found
  Field<S, T> found = field("", member);
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
inline nlohmann::json struct_rules(const HyperParams& defaults) {
  const auto schedule = field_of(&HyperParams::lr_schedule).name;
  // every schedule has a warmup; only cosine has min_lr (elsewhere an unknown option)
  const auto warmup = field_of(&ConstantSchedule::warmup_epochs).name;
  const auto min_lr = field_of(&CosineSchedule::min_lr).name;
  const auto epochs = field_of(&HyperParams::epochs);
  return nlohmann::json::array(
      {when_absent(
           epochs.name,
           property(schedule, property(warmup, {{"exclusiveMaximum", defaults.epochs}})),
           // given epochs, warmup_epochs is still below the most epochs there can be
           property(
               schedule,
               property(warmup, {{"exclusiveMaximum",
                                  bound(effective_range<std::int32_t>(epochs.range).max, true)}}))),
       when_absent(field_of(&HyperParams::learning_rate).name,
                   property(schedule, property(min_lr, {{"maximum", defaults.learning_rate}}))),
       when_absent(field_of(&HyperParams::layers).name,
                   property(field_of(&HyperParams::neurons).name,
                            {{"minItems", defaults.layers}, {"maxItems", defaults.layers}}))});
}

/// The schema of a value of type `T` whose field has constraints `c`, without its description
/// and default (see `value_schema`).
template <class T>
nlohmann::json type_schema(const T& default_value, const Constraints& c) {
  using M = MemberType<T>;
  constexpr Shape shape = M::shape;
  if constexpr (shape == Shape::scalar) {
    if constexpr (std::is_enum_v<T>) {
      return name_schema<T>("");
    } else {
      nlohmann::json schema = {{"type", std::string(M::json_type)}};
      if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) {
        const Range range = effective_range<T>(c.range);
        add_bounds(schema, range, std::is_integral_v<T>,
                   static_cast<double>(std::numeric_limits<T>::max()));
        if constexpr (std::is_integral_v<T>) {
          // a 64-bit type's limits are not doubles: the type's own, exactly
          if (range.max >= static_cast<double>(std::numeric_limits<T>::max())) {
            schema["maximum"] = std::numeric_limits<T>::max();
          }
          if (range.min <= static_cast<double>(std::numeric_limits<T>::min())) {
            schema["minimum"] = std::numeric_limits<T>::min();
          }
        }
      } else if constexpr (std::is_same_v<T, std::string>) {
        if (c.nonempty) {
          schema["minLength"] = 1;
        }
      }
      return schema;
    }
  } else if constexpr (shape == Shape::optional) {
    using U = typename M::element;
    return {{"anyOf", {type_schema(default_value ? *default_value : U{}, c), {{"type", "null"}}}}};
  } else if constexpr (shape == Shape::list || shape == Shape::map) {
    using U = typename M::element;
    nlohmann::json schema = {{"type", shape == Shape::list ? "array" : "object"}};
    schema[shape == Shape::list ? "items" : "additionalProperties"] = type_schema(U{}, c.element());
    const char* min = shape == Shape::list ? "minItems" : "minProperties";
    const char* max = shape == Shape::list ? "maxItems" : "maxProperties";
    if (c.min_items > 0) {
      schema[min] = c.min_items;
    }
    if (c.max_items != Constraints::max_items_any) {
      schema[max] = c.max_items;
    }
    return schema;
  } else if constexpr (shape == Shape::structure) {
    return struct_schema(default_value);
  } else if constexpr (shape == Shape::choice) {
    return options_schema(default_value, "");
  } else {
    static_assert(shape == Shape::one_or_list);
    using U = typename M::element;
    const nlohmann::json one = type_schema(U{}, c.element());
    nlohmann::json list = {
        {"type", "array"}, {"items", one}, {"minItems", std::max<std::size_t>(c.min_items, 1)}};
    if (c.max_items != Constraints::max_items_any) {
      list["maxItems"] = c.max_items;
    }
    return {{"oneOf", {one, list}}};
  }
}

/// A field's schema: its type's, with its description and default.
template <class T>
nlohmann::json value_schema(const T& default_value, const Constraints& c, std::string_view doc) {
  if constexpr (MemberType<T>::shape == Shape::choice) {
    return options_schema(default_value, doc);
  } else {
    nlohmann::json schema = type_schema(default_value, c);
    schema["description"] = std::string(doc);
    nlohmann::json default_json;
    DomSink sink(default_json);
    emit_value(default_value, sink);
    schema["default"] = default_json;
    return schema;
  }
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

/// The document-level schema of a described struct: its object, with `$schema` and
/// `$extends` allowed. A file with `$extends` may leave required keys to its bases.
template <class T>
nlohmann::json document_schema(std::string title, std::string description) {
  const T defaults{};
  nlohmann::json schema = struct_schema(defaults);
  schema["properties"]["$schema"] = {
      {"type", "string"}, {"description", "The schema of this file, for editors; ignored."}};
  const nlohmann::json name = {{"type", "string"}, {"minLength", 1}};
  schema["properties"]["$extends"] = {
      {"description", "The configs this one builds on (paths relative to this file), applied "
                      "in order before it: objects merge, other values replace."},
      {"oneOf", {name, {{"type", "array"}, {"items", name}}}}};
  if (const auto required = schema.find("required"); required != schema.end()) {
    nlohmann::json keys = *required;
    schema.erase(required);
    schema["if"] = {{"required", {"$extends"}}};
    schema["else"] = {{"required", std::move(keys)}};
  }
  nlohmann::json out = {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
                        {"title", std::move(title)},
                        {"description", std::move(description)}};
  out.update(schema);
  return out;
}

} // namespace detail

template <class T, std::enable_if_t<detail::is_config_struct<T>, int>>
nlohmann::json json_schema() {
  if constexpr (std::is_same_v<T, HyperParams>) {
    return json_schema(); // with the rules between its fields that only the loader checks
  }
  return detail::document_schema<T>("config", "Generated by hyperparams " HYPERPARAMS_VERSION_STRING
                                              " from the description of the config's struct.");
}

} // namespace hyperparams

#ifndef HYPERPARAMS_COMPILED
#include "hyperparams/impl/schema_hyperparams.hpp" // the functions for HyperParams, header-only
#endif
