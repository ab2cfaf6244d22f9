// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Walking descriptions: the fields of a described struct in table order, by name or by index,
/// and the option structs of a variant chosen by "name". Standard library only. Not for users.

#include "hyperparams/describe.hpp"
#include "hyperparams/impl/core_api.hpp"

#include <cstddef>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace hyperparams::detail {

template <class S>
inline constexpr std::size_t field_count = std::tuple_size_v<decltype(description_of<S>.all)>;

template <class S, class F, std::size_t... I>
constexpr void for_each_field_at([[maybe_unused]] F& f, std::index_sequence<I...>) {
  (f(std::get<I>(description_of<S>.all)), ...);
}

/// Calls `f(field)` for every field of `S`, in table order.
template <class S, class F>
constexpr void for_each_field(F&& f) {
  for_each_field_at<S>(f, std::make_index_sequence<field_count<S>>{});
}

template <class S, class F, std::size_t... I>
constexpr bool with_field_at([[maybe_unused]] std::string_view name, [[maybe_unused]] F& f,
                             std::index_sequence<I...>) {
  // the length and first character rule out most fields before a full comparison
  return ((std::get<I>(description_of<S>.all).name.size() == name.size() &&
                   std::get<I>(description_of<S>.all).name[0] == name[0] &&
                   std::get<I>(description_of<S>.all).name == name
               ? (f(std::get<I>(description_of<S>.all), I), true)
               : false) ||
          ...);
}

/// Calls `f(field, index)` for the field named `name`; returns false when there is none.
template <class S, class F>
constexpr bool with_field(std::string_view name, F&& f) {
  return !name.empty() && with_field_at<S>(name, f, std::make_index_sequence<field_count<S>>{});
}

template <class S, class F, std::size_t... I>
void visit_field_at(std::size_t index, F& f, std::index_sequence<I...>) {
  if constexpr (sizeof...(I) > 0) {
    using Call = void (*)(F&);
    static constexpr Call calls[] = {[](F& g) { g(std::get<I>(description_of<S>.all)); }...};
    if (index < sizeof...(I)) {
      calls[index](f);
    }
  }
}

/// Calls `f(field)` for field number `index` of `S`.
template <class S, class F>
void visit_field(std::size_t index, F&& f) {
  visit_field_at<S>(index, f, std::make_index_sequence<field_count<S>>{});
}

template <class S>
std::vector<std::string_view> field_names() {
  std::vector<std::string_view> names;
  for_each_field<S>([&](const auto& fld) { names.push_back(fld.name); });
  return names;
}

/// The type of a field's member.
template <class F>
using member_t = typename std::decay_t<F>::member_type;

// ----- variants of option structs chosen by "name" ----------------------------------------------

template <class T, class = void>
struct has_kind : std::false_type {};
template <class T>
struct has_kind<T, std::void_t<decltype(T::kind)>>
    : std::bool_constant<is_named_enum<std::remove_cv_t<decltype(T::kind)>>> {};

/// A variant of described option structs, each with a `static constexpr kind` of one named enum
/// (the optimizer): alternative I has the enumerator whose value is I.
template <class T>
struct is_options_variant : std::false_type {};
template <class... A>
struct is_options_variant<std::variant<A...>>
    : std::bool_constant<((is_described_struct<A> && has_kind<A>::value) && ...)> {};

/// The enum that names the alternatives of an options variant.
template <class V>
using options_kind_t = std::remove_cv_t<decltype(std::variant_alternative_t<0, V>::kind)>;

template <class V, std::size_t... I>
constexpr bool kinds_follow_index(std::index_sequence<I...>) {
  return ((static_cast<std::size_t>(std::variant_alternative_t<I, V>::kind) == I) && ...);
}

/// The default options of the alternative named `kind` of options variant `V`.
template <class V, std::size_t I = 0>
V default_alternative(options_kind_t<V> kind) {
  if constexpr (I + 1 < std::variant_size_v<V>) {
    if (static_cast<std::size_t>(kind) != I) {
      return default_alternative<V, I + 1>(kind);
    }
  }
  return V(std::in_place_index<I>);
}

template <class V>
options_kind_t<V> kind_of(const V& v) noexcept {
  return static_cast<options_kind_t<V>>(v.index());
}

/// Makes `v` the alternative named `kind`: with its defaults when that is another alternative
/// (another optimizer, its own defaults), unchanged when it is the one `v` holds.
template <class V>
void choose_alternative(V& v, options_kind_t<V> kind) {
  if (kind_of(v) != kind) {
    v = default_alternative<V>(kind);
  }
}

template <class E>
constexpr bool is_valid_enum(E value) noexcept {
  return !enum_to_string(value).empty();
}

} // namespace hyperparams::detail
