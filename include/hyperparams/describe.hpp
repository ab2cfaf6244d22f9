// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// How a struct or an enum is described to the library: once, next to it, by a `describe`
/// function that argument-dependent lookup finds. Every feature (strict JSON loading with located
/// errors, canonical saves, validation, JSON Schema, overrides, diff, the CLI) is generated from
/// these descriptions; `HyperParams` is described the same way (`<hyperparams/fields.hpp>`).
///
///     namespace app {
///     enum class Precision { fp32, bf16 };
///     constexpr auto describe(hyperparams::type<Precision>) {
///       return hyperparams::names<Precision>("precision", {{"fp32", Precision::fp32},
///                                                          {"bf16", Precision::bf16}});
///     }
///     struct Run {
///       hyperparams::HyperParams train;
///       double grad_clip = 1.0;
///       std::string data_dir;
///       Precision precision = Precision::bf16;
///     };
///     constexpr auto describe(hyperparams::type<Run>) {
///       using hyperparams::field;
///       return hyperparams::fields(
///           field("train", &Run::train, "Optimizer, schedule and model shape."),
///           field("grad_clip", &Run::grad_clip, "Max gradient norm; 0 disables.").ge(0),
///           field("data_dir", &Run::data_dir, "Training data.").required().nonempty(),
///           field("precision", &Run::precision, "Floating-point format."));
///     }
///     }  // namespace app
///
/// Standard library only.

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>

namespace hyperparams {

/// The tag `describe` overloads take: `constexpr auto describe(hyperparams::type<T>)`.
template <class T>
struct type {
  using value_type = T;
};

/// Bounds of a number, or of each number of a list or map. Infinite bounds are open.
struct Range {
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_exclusive = false;
  bool max_exclusive = false;

  [[nodiscard]] constexpr bool contains(double v) const noexcept {
    return (min_exclusive ? v > min : v >= min) && (max_exclusive ? v < max : v <= max);
  }
};

/// What the rules of a struct report (see `Fields::rules`); defined with `Issue`.
class Rules;

/// One field of struct `S` whose member has type `T`: its JSON key, the member, one line of
/// documentation, and its constraints. Built by `field(...)` and refined with the constexpr
/// members below, in Pydantic's words (`ge`, `gt`, `le`, `lt`).
template <class S, class T>
struct Field {
  using struct_type = S;
  using member_type = T;

  std::string_view name; ///< JSON key (snake_case, usually the member's name)
  T S::*member = nullptr;
  std::string_view doc; ///< one line for the schema, the CLI's help and the docs
  Range range;          ///< for a number, or each number of a list, map or optional
  bool is_required = false;
  bool is_nonempty = false;
  std::size_t min_items = 0;
  std::size_t max_items = static_cast<std::size_t>(-1);

  /// At least `v` (numbers; for a list or map, each of its numbers).
  [[nodiscard]] constexpr Field ge(double v) const { return with_min(v, false); }
  /// More than `v`.
  [[nodiscard]] constexpr Field gt(double v) const { return with_min(v, true); }
  /// At most `v`.
  [[nodiscard]] constexpr Field le(double v) const { return with_max(v, false); }
  /// Less than `v`.
  [[nodiscard]] constexpr Field lt(double v) const { return with_max(v, true); }
  /// The key must be given: a config without it gets a `missing_key` issue (its default is then
  /// only what an unloaded struct holds).
  [[nodiscard]] constexpr Field required() const {
    Field f = *this;
    f.is_required = true;
    return f;
  }
  /// A string, list or map that must not be empty.
  [[nodiscard]] constexpr Field nonempty() const {
    Field f = *this;
    f.is_nonempty = true;
    f.min_items = f.min_items > 0 ? f.min_items : 1;
    return f;
  }
  /// A list or map of `min` to `max` items.
  [[nodiscard]] constexpr Field items(std::size_t min,
                                      std::size_t max = static_cast<std::size_t>(-1)) const {
    Field f = *this;
    f.min_items = min;
    f.max_items = max;
    return f;
  }

private:
  constexpr Field with_min(double v, bool exclusive) const {
    Field f = *this;
    f.range.min = v;
    f.range.min_exclusive = exclusive;
    return f;
  }
  constexpr Field with_max(double v, bool exclusive) const {
    Field f = *this;
    f.range.max = v;
    f.range.max_exclusive = exclusive;
    return f;
  }
};

/// A field: `field("grad_clip", &Run::grad_clip, "Max gradient norm.").ge(0)`.
template <class S, class T>
[[nodiscard]] constexpr Field<S, T> field(std::string_view name, T S::*member,
                                          std::string_view doc = {}) {
  Field<S, T> f;
  f.name = name;
  f.member = member;
  f.doc = doc;
  return f;
}

/// The description of struct `S`: its fields in output order, and optionally the rules between
/// them (checked once every field is valid on its own).
template <class S, class... F>
struct Fields {
  using struct_type = S;
  using rules_type = void (*)(const S&, Rules&);

  std::tuple<F...> all;
  rules_type check = nullptr;

  /// Rules between fields: `.rules(+[](const Run& r, hyperparams::Rules& out) { ... })`.
  [[nodiscard]] constexpr Fields rules(rules_type fn) const {
    Fields f = *this;
    f.check = fn;
    return f;
  }
};

namespace detail {
template <class S, class F>
struct is_field_of : std::false_type {};
template <class S, class T>
struct is_field_of<S, Field<S, T>> : std::true_type {};
} // namespace detail

/// The fields of one struct: `fields(field(...), field(...), ...)`.
template <class S, class T, class... F>
[[nodiscard]] constexpr Fields<S, Field<S, T>, F...> fields(Field<S, T> first, F... rest) {
  static_assert((detail::is_field_of<S, F>::value && ...),
                "hyperparams::fields: every field must be a member of the same struct");
  return {std::make_tuple(first, rest...)};
}

/// A struct without fields (an option struct that has no options): `fields<NoNorm>()`.
template <class S>
[[nodiscard]] constexpr Fields<S> fields() {
  return {};
}

/// One name of an enumerator; the first name of each value is its canonical (output) name, later
/// ones are aliases accepted when loading.
template <class E>
struct NameEntry {
  std::string_view name;
  E value;
};

/// The description of enum `E`: the noun messages use ("unknown precision \"fp64\"") and its
/// names, matched case-insensitively.
template <class E, std::size_t N>
struct Names {
  using enum_type = E;
  std::string_view what;
  NameEntry<E> entries[N];
};

/// `names<Precision>("precision", {{"fp32", Precision::fp32}, {"half", Precision::fp16}, ...})`.
template <class E, std::size_t N>
[[nodiscard]] constexpr Names<E, N> names(std::string_view what, const NameEntry<E> (&entries)[N]) {
  static_assert(std::is_enum_v<E>, "hyperparams::names describes an enum");
  Names<E, N> out{what, {}};
  for (std::size_t i = 0; i < N; ++i) {
    out.entries[i] = entries[i];
  }
  return out;
}

namespace detail {

constexpr char ascii_lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

/// Names are matched case-insensitively (ASCII).
constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) {
      return false;
    }
  }
  return true;
}

namespace adl {
void describe() = delete; // only argument-dependent lookup finds the descriptions
template <class T>
constexpr auto call_describe() -> decltype(describe(type<T>{})) {
  return describe(type<T>{});
}
} // namespace adl

template <class T, class = void>
struct has_description : std::false_type {};
template <class T>
struct has_description<T, std::void_t<decltype(adl::call_describe<T>())>> : std::true_type {};

/// The description of `T`, found by argument-dependent lookup.
template <class T>
inline constexpr auto description_of = adl::call_describe<T>();

template <class D>
struct is_fields : std::false_type {};
template <class S, class... F>
struct is_fields<Fields<S, F...>> : std::true_type {};

template <class D>
struct is_names : std::false_type {};
template <class E, std::size_t N>
struct is_names<Names<E, N>> : std::true_type {};

template <class T, bool = has_description<T>::value>
struct described_as {
  static constexpr bool structure = false;
  static constexpr bool enumeration = false;
};
template <class T>
struct described_as<T, true> {
  using D = std::remove_cv_t<decltype(adl::call_describe<T>())>;
  static constexpr bool structure = is_fields<D>::value;
  static constexpr bool enumeration = is_names<D>::value;
};

/// A struct described with `fields(...)`.
template <class T>
inline constexpr bool is_described_struct = described_as<T>::structure;
/// An enum described with `names(...)`.
template <class T>
inline constexpr bool is_named_enum = described_as<T>::enumeration;

} // namespace detail

} // namespace hyperparams
