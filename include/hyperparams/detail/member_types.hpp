// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// One description per member type: `MemberType<T>` says what a member of type `T` is in JSON
/// (its shape and JSON type, what a message says it expects), how it is read from a scalar,
/// written to a sink, checked against its field's constraints, and where the rules of its
/// structs are. Everything that walks values (the writer, `validate`, the reader, the schema, the
/// DOM) asks it instead of testing types itself. Standard library only. Not for users.

#include "hyperparams/detail/number_text.hpp"
#include "hyperparams/detail/scalars.hpp"
#include "hyperparams/detail/text.hpp"
#include "hyperparams/detail/walk.hpp"

#include <algorithm>
#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace hyperparams::detail {

template <class T>
inline constexpr bool always_false = false;

/// What a value is in JSON, for the code that needs to know more than a scalar.
enum class Shape : std::uint8_t {
  scalar,      ///< bool, number, string, enum name
  optional,    ///< `std::optional<U>`: null or a U
  list,        ///< `std::vector<U>`: an array
  map,         ///< `std::map<std::string, U>`: an object whose keys are data
  structure,   ///< a described struct: an object of its fields
  choice,      ///< a variant of option structs: a name, or an object with "name"
  one_or_list, ///< `std::variant<U, std::vector<U>>`: one U, or an array of them
};

/// A field's constraints as they apply to one value: its bounds, and for a string, list or map
/// whether it may be empty and how many items it has.
struct Constraints {
  Range range;
  bool nonempty = false;
  std::size_t min_items = 0;
  std::size_t max_items = static_cast<std::size_t>(-1);

  /// What the elements of a list or map (or the value of an optional) are held to.
  [[nodiscard]] constexpr Constraints element() const { return {range, false, 0, max_items_any}; }
  static constexpr std::size_t max_items_any = static_cast<std::size_t>(-1);
};

template <class F>
constexpr Constraints constraints_of(const F& fld) {
  return {fld.range, fld.is_nonempty, fld.min_items, fld.max_items};
}

inline void add_issue(std::vector<Issue>& out, std::string path, IssueCode code,
                      std::string message) {
  out.push_back(Issue{std::move(path), code, std::move(message), 0, 0});
}

// Paths are passed as callables that build the JSON pointer only when an issue needs it: a
// valid config is checked without a single allocation.

template <class Path>
void check_number(double value, const Range& range, const Path& path, std::vector<Issue>& out) {
  if (!std::isfinite(value)) {
    add_issue(out, path(), IssueCode::out_of_range,
              "must be a finite number, got " + number_text(value));
  } else if (!range.contains(value)) {
    add_issue(out, path(), IssueCode::out_of_range, range_message(range, number_text(value)));
  }
}

template <class Path>
void check_items(std::size_t count, const Constraints& c, const Path& path,
                 std::vector<Issue>& out) {
  const auto items = [](std::size_t n) {
    return std::to_string(n) + (n == 1 ? " item" : " items");
  };
  if (count < c.min_items) {
    add_issue(out, path(), IssueCode::out_of_range,
              "must have at least " + items(c.min_items) + ", got " + std::to_string(count));
  } else if (count > c.max_items) {
    add_issue(out, path(), IssueCode::out_of_range,
              "must have at most " + items(c.max_items) + ", got " + std::to_string(count));
  }
}

/// The primary template is the error for a type no description covers.
template <class T, class = void>
struct MemberType {
  static_assert(always_false<T>,
                "hyperparams: no description for this member type. A described member is bool, "
                "an integer, float, double, std::string, an enum described with "
                "hyperparams::names, std::optional<T>, std::vector<T>, std::map<std::string, T>, "
                "a struct described with hyperparams::fields, a std::variant of described option "
                "structs (each with a static constexpr kind), or std::variant<T, std::vector<T>>");
};

template <class S, class Sink>
void emit_struct(const S& value, Sink& sink);
template <class S, class Path>
void check_fields_at(const S& value, const Path& prefix, std::vector<Issue>& out);
template <class S, class Path>
void check_rules_at(const S& value, const Path& prefix, std::vector<Issue>& out);

// ----- scalars ---------------------------------------------------------------------------------

template <>
struct MemberType<bool> {
  static constexpr Shape shape = Shape::scalar;
  static constexpr std::string_view json_type = "boolean";
  static std::string expected() { return "true or false"; }
  static std::string plural() { return "true/false values"; }
  static bool read(const Scalar& s, bool& out, const Range&, Problem& p) {
    if (s.kind != Scalar::Kind::boolean) {
      return fail(p, IssueCode::type_error, "expected true or false, got " + describe(s));
    }
    out = s.b;
    return true;
  }
  template <class Sink>
  static void emit(bool v, Sink& sink) {
    sink.boolean(v);
  }
  template <class Path>
  static void check(bool, const Constraints&, const Path&, std::vector<Issue>&) {}
  template <class Path>
  static void rules(bool, const Path&, std::vector<Issue>&) {}
};

/// Every integer type but bool (and the character types, which are not numbers to a user).
template <class T>
inline constexpr bool is_integer_member =
    std::is_integral_v<T> && !std::is_same_v<T, bool> && !std::is_same_v<T, char> &&
    !std::is_same_v<T, wchar_t> && !std::is_same_v<T, char16_t> && !std::is_same_v<T, char32_t>;

template <class T>
struct MemberType<T, std::enable_if_t<is_integer_member<T>>> {
  static constexpr Shape shape = Shape::scalar;
  static constexpr std::string_view json_type = "integer";
  static std::string expected() { return "an integer"; }
  static std::string plural() { return "integers"; }

  /// A field's bounds narrowed to what `T` holds.
  static constexpr Range range(const Range& r) {
    Range out = r;
    constexpr auto lo = static_cast<double>(std::numeric_limits<T>::min());
    constexpr auto hi = static_cast<double>(std::numeric_limits<T>::max());
    if (out.min < lo) {
      out.min = lo;
      out.min_exclusive = false;
    }
    if (out.max > hi) {
      out.max = hi;
      out.max_exclusive = false;
    }
    return out;
  }

  static bool read(const Scalar& s, T& out, const Range& field_range, Problem& p) {
    const Range r = range(field_range);
    bool negative = false;
    std::uint64_t magnitude = 0;
    if (!read_integral(s, r, negative, magnitude, p)) {
      return false;
    }
    using Limits = std::numeric_limits<T>;
    const auto max = static_cast<std::uint64_t>(Limits::max());
    if constexpr (std::is_signed_v<T>) {
      const std::uint64_t min_magnitude = static_cast<std::uint64_t>(-(Limits::min() + 1)) + 1U;
      if (magnitude > (negative ? min_magnitude : max)) {
        return fail(p, IssueCode::out_of_range, range_message(r, describe(s)));
      }
      out = negative ? static_cast<T>(-static_cast<std::int64_t>(magnitude - 1) - 1)
                     : static_cast<T>(magnitude);
    } else {
      if ((negative && magnitude != 0) || magnitude > max) {
        return fail(p, IssueCode::out_of_range, range_message(r, describe(s)));
      }
      out = static_cast<T>(magnitude);
    }
    return true;
  }
  template <class Sink>
  static void emit(T v, Sink& sink) {
    if constexpr (std::is_signed_v<T>) {
      sink.integer(static_cast<std::int64_t>(v));
    } else {
      sink.unsigned_integer(static_cast<std::uint64_t>(v));
    }
  }
  template <class Path>
  static void check(T v, const Constraints& c, const Path& path, std::vector<Issue>& out) {
    const Range r = range(c.range);
    if (r.min > static_cast<double>(std::numeric_limits<T>::min()) || r.min_exclusive ||
        r.max < static_cast<double>(std::numeric_limits<T>::max()) || r.max_exclusive) {
      check_number(static_cast<double>(v), r, path, out);
    }
  }
  template <class Path>
  static void rules(T, const Path&, std::vector<Issue>&) {}
};

template <class T>
struct MemberType<T, std::enable_if_t<std::is_floating_point_v<T>>> {
  static_assert(!std::is_same_v<T, long double>, "hyperparams: use double, not long double");
  static constexpr Shape shape = Shape::scalar;
  static constexpr std::string_view json_type = "number";
  static std::string expected() { return "a number"; }
  static std::string plural() { return "numbers"; }
  static constexpr Range range(const Range& r) { return r; }

  static bool read(const Scalar& s, T& out, const Range&, Problem& p) {
    double d = 0.0;
    switch (s.kind) {
    case Scalar::Kind::integer:
      d = static_cast<double>(s.i);
      break;
    case Scalar::Kind::unsigned_integer:
      d = static_cast<double>(s.u);
      break;
    case Scalar::Kind::real:
      if (s.d == 0.0 && s.text.find_first_of("123456789") < s.text.find_first_of("eE")) {
        return fail(p, IssueCode::out_of_range,
                    "number " + describe(s) + " is too small for a double (it would read as 0)");
      }
      d = s.d == 0.0 ? 0.0 : s.d; // -0.0 is stored as 0.0
      break;
    default:
      return fail(p, IssueCode::type_error, "expected a number, got " + describe(s));
    }
    if constexpr (std::is_same_v<T, float>) {
      if (std::fabs(d) > static_cast<double>(FLT_MAX)) {
        return fail(p, IssueCode::out_of_range,
                    "number " + describe(s) + " is out of the range of a float");
      }
      if (d != 0.0 && static_cast<float>(d) == 0.0F) {
        return fail(p, IssueCode::out_of_range,
                    "number " + describe(s) + " is too small for a float (it would read as 0)");
      }
    }
    out = static_cast<T>(d);
    return true;
  }
  template <class Sink>
  static void emit(T v, Sink& sink) {
    if constexpr (std::is_same_v<T, float>) {
      sink.real(shortest_double(v)); // 0.1f is written 0.1, which reads back as 0.1f
    } else {
      sink.real(v);
    }
  }
  template <class Path>
  static void check(T v, const Constraints& c, const Path& path, std::vector<Issue>& out) {
    check_number(static_cast<double>(v), c.range, path, out);
  }
  template <class Path>
  static void rules(T, const Path&, std::vector<Issue>&) {}

private:
  static double shortest_double(float v) {
    if (!std::isfinite(v)) {
      return static_cast<double>(v);
    }
    char buf[32];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    double d = 0.0;
    std::from_chars(buf, res.ptr, d);
    return d;
  }
};

template <>
struct MemberType<std::string> {
  static constexpr Shape shape = Shape::scalar;
  static constexpr std::string_view json_type = "string";
  static std::string expected() { return "a string"; }
  static std::string plural() { return "strings"; }
  static bool read(const Scalar& s, std::string& out, const Range&, Problem& p) {
    if (s.kind != Scalar::Kind::string) {
      return fail(p, IssueCode::type_error, "expected a string, got " + describe(s));
    }
    out.assign(s.text.data(), s.text.size());
    return true;
  }
  template <class Sink>
  static void emit(const std::string& v, Sink& sink) {
    sink.string(v);
  }
  template <class Path>
  static void check(const std::string& v, const Constraints& c, const Path& path,
                    std::vector<Issue>& out) {
    if (c.nonempty && v.empty()) {
      add_issue(out, path(), IssueCode::out_of_range, "must not be empty");
    }
    for (std::size_t i = 0; i < v.size();) {
      const std::size_t length = utf8_sequence(v, i);
      if (length == 0) {
        add_issue(out, path(), IssueCode::invalid_value,
                  "is not valid UTF-8 (byte " + std::to_string(i) + "): " + quote(v));
        return;
      }
      i += length;
    }
  }
  template <class Path>
  static void rules(const std::string&, const Path&, std::vector<Issue>&) {}
};

template <class E>
struct MemberType<E, std::enable_if_t<std::is_enum_v<E>>> {
  static_assert(is_named_enum<E>, "hyperparams: describe this enum's names with "
                                  "`constexpr auto describe(hyperparams::type<E>) { return "
                                  "hyperparams::names<E>(\"noun\", {...}); }` next to it");
  static constexpr Shape shape = Shape::scalar;
  static constexpr std::string_view json_type = "string";
  static std::string expected() { return expected_name<E>(); }
  static std::string plural() { return std::string(description_of<E>.what) + " names"; }
  static bool read(const Scalar& s, E& out, const Range&, Problem& p) {
    return read_name(s, out, p);
  }
  template <class Sink>
  static void emit(E v, Sink& sink) {
    const auto name = enum_to_string(v);
    sink.string(name.empty() ? std::string_view("<invalid>") : name);
  }
  template <class Path>
  static void check(E v, const Constraints&, const Path& path, std::vector<Issue>& out) {
    if (!is_valid_enum(v)) {
      add_issue(out, path(), IssueCode::invalid_value,
                "is not a valid " + std::string(description_of<E>.what) + " (value " +
                    std::to_string(static_cast<long long>(v)) + ")");
    }
  }
  template <class Path>
  static void rules(E, const Path&, std::vector<Issue>&) {}
};

// ----- containers ------------------------------------------------------------------------------

/// "an object, got 5" and its like, for a scalar where a container belongs.
inline bool not_a_container(const Scalar& s, const std::string& expected, Problem& p) {
  return fail(p, IssueCode::type_error, "expected " + expected + ", got " + describe(s));
}

template <class U>
struct MemberType<std::optional<U>> {
  static constexpr Shape shape = Shape::optional;
  using element = U;
  static std::string expected() { return MemberType<U>::expected() + " or null"; }
  static std::string plural() { return MemberType<U>::plural() + " or nulls"; }
  static bool read(const Scalar& s, std::optional<U>& out, const Range& r, Problem& p) {
    if (s.kind == Scalar::Kind::null) {
      out.reset();
      return true;
    }
    U value = out ? *out : U{};
    if (!MemberType<U>::read(s, value, r, p)) {
      return false;
    }
    out = std::move(value);
    return true;
  }
  template <class Sink>
  static void emit(const std::optional<U>& v, Sink& sink) {
    if (v) {
      MemberType<U>::emit(*v, sink);
    } else {
      sink.null();
    }
  }
  template <class Path>
  static void check(const std::optional<U>& v, const Constraints& c, const Path& path,
                    std::vector<Issue>& out) {
    if (v) {
      MemberType<U>::check(*v, c, path, out);
    }
  }
  template <class Path>
  static void rules(const std::optional<U>& v, const Path& path, std::vector<Issue>& out) {
    if (v) {
      MemberType<U>::rules(*v, path, out);
    }
  }
};

template <class U>
struct MemberType<std::vector<U>> {
  static constexpr Shape shape = Shape::list;
  using element = U;
  static std::string expected() { return "a list of " + MemberType<U>::plural(); }
  static std::string plural() { return "lists"; }
  static bool read(const Scalar& s, std::vector<U>&, const Range&, Problem& p) {
    return not_a_container(s, expected(), p);
  }
  template <class Sink>
  static void emit(const std::vector<U>& v, Sink& sink) {
    sink.begin_array();
    for (const auto& item : v) {
      MemberType<U>::emit(item, sink);
    }
    sink.end_array();
  }
  template <class Path>
  static void check(const std::vector<U>& v, const Constraints& c, const Path& path,
                    std::vector<Issue>& out) {
    check_items(v.size(), c, path, out);
    for (std::size_t i = 0; i < v.size(); ++i) {
      MemberType<U>::check(
          v[i], c.element(), [&] { return path() + "/" + std::to_string(i); }, out);
    }
  }
  template <class Path>
  static void rules(const std::vector<U>& v, const Path& path, std::vector<Issue>& out) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      MemberType<U>::rules(
          v[i], [&] { return path() + "/" + std::to_string(i); }, out);
    }
  }
};

template <class U>
struct MemberType<std::map<std::string, U>> {
  static constexpr Shape shape = Shape::map;
  using element = U;
  static std::string expected() { return "an object of " + MemberType<U>::plural(); }
  static std::string plural() { return "objects"; }
  static bool read(const Scalar& s, std::map<std::string, U>&, const Range&, Problem& p) {
    return not_a_container(s, expected(), p);
  }
  template <class Sink>
  static void emit(const std::map<std::string, U>& v, Sink& sink) {
    sink.begin_object();
    for (const auto& [key, item] : v) { // sorted: canonical output
      sink.key(key);
      MemberType<U>::emit(item, sink);
    }
    sink.end_object();
  }
  template <class Path>
  static void check(const std::map<std::string, U>& v, const Constraints& c, const Path& path,
                    std::vector<Issue>& out) {
    check_items(v.size(), c, path, out);
    for (auto it = v.begin(); it != v.end(); ++it) {
      const auto item_path = [&] { return path() + pointer_token(it->first); };
      MemberType<std::string>::check(it->first, {}, item_path, out); // keys are UTF-8 too
      MemberType<U>::check(it->second, c.element(), item_path, out);
    }
  }
  template <class Path>
  static void rules(const std::map<std::string, U>& v, const Path& path, std::vector<Issue>& out) {
    for (auto it = v.begin(); it != v.end(); ++it) {
      MemberType<U>::rules(
          it->second, [&] { return path() + pointer_token(it->first); }, out);
    }
  }
};

template <class S>
struct MemberType<S, std::enable_if_t<is_described_struct<S>>> {
  static constexpr Shape shape = Shape::structure;
  static std::string expected() { return "an object"; }
  static std::string plural() { return "objects"; }
  static bool read(const Scalar& s, S&, const Range&, Problem& p) {
    return not_a_container(s, expected(), p);
  }
  template <class Sink>
  static void emit(const S& v, Sink& sink) {
    emit_struct(v, sink);
  }
  template <class Path>
  static void check(const S& v, const Constraints&, const Path& path, std::vector<Issue>& out) {
    check_fields_at(v, path, out);
  }
  template <class Path>
  static void rules(const S& v, const Path& path, std::vector<Issue>& out) {
    check_rules_at(v, path, out);
  }
};

/// A variant of option structs chosen by "name" (the optimizer).
template <class... A>
struct MemberType<std::variant<A...>,
                  std::enable_if_t<is_options_variant<std::variant<A...>>::value>> {
  using V = std::variant<A...>;
  using Kind = options_kind_t<V>;
  static_assert(kinds_follow_index<V>(std::index_sequence_for<A...>{}),
                "hyperparams: the alternatives of an options variant follow the order of their "
                "kind enum (alternative I has the kind whose value is I)");
  static constexpr Shape shape = Shape::choice;
  static std::string expected() {
    return "a name (a string) or an object with \"name\" and options";
  }
  static std::string plural() { return "names or objects"; }
  static bool read(const Scalar& s, V& out, const Range&, Problem& p) {
    if (s.kind != Scalar::Kind::string) {
      return fail(p, IssueCode::type_error, "expected " + expected() + ", got " + describe(s));
    }
    Kind kind{};
    if (!read_name(s, kind, p)) {
      return false;
    }
    choose_alternative(out, kind);
    return true;
  }
  template <class Sink>
  static void emit(const V& v, Sink& sink) {
    std::visit(
        [&](const auto& options) {
          using Options = std::decay_t<decltype(options)>;
          sink.begin_object();
          sink.key("name");
          sink.string(enum_to_string(Options::kind));
          for_each_field<Options>([&](const auto& fld) {
            sink.key(fld.name);
            MemberType<member_t<decltype(fld)>>::emit(options.*fld.member, sink);
          });
          sink.end_object();
        },
        v);
  }
  template <class Path>
  static void check(const V& v, const Constraints&, const Path& path, std::vector<Issue>& out) {
    std::visit([&](const auto& options) { check_fields_at(options, path, out); }, v);
  }
  template <class Path>
  static void rules(const V& v, const Path& path, std::vector<Issue>& out) {
    std::visit([&](const auto& options) { check_rules_at(options, path, out); }, v);
  }
};

/// One value for all, or a list of values (`neurons`: one width, or one per layer).
template <class U>
struct MemberType<std::variant<U, std::vector<U>>,
                  std::enable_if_t<MemberType<U>::shape == Shape::scalar>> {
  using V = std::variant<U, std::vector<U>>;
  using element = U;
  static constexpr Shape shape = Shape::one_or_list;
  static std::string expected() {
    return MemberType<U>::expected() + " or a list of " + MemberType<U>::plural();
  }
  static std::string plural() { return "values or lists"; }
  static bool read(const Scalar& s, V& out, const Range& r, Problem& p) {
    U value{};
    if (!MemberType<U>::read(s, value, r, p)) {
      if (p.code == IssueCode::type_error) {
        p.message = "expected " + expected() + ", got " + describe(s);
      }
      return false;
    }
    out = std::move(value);
    return true;
  }
  template <class Sink>
  static void emit(const V& v, Sink& sink) {
    if (const auto* list = std::get_if<std::vector<U>>(&v)) {
      MemberType<std::vector<U>>::emit(*list, sink);
    } else {
      MemberType<U>::emit(std::get<U>(v), sink);
    }
  }
  template <class Path>
  static void check(const V& v, const Constraints& c, const Path& path, std::vector<Issue>& out) {
    if (const auto* list = std::get_if<std::vector<U>>(&v)) {
      if (list->empty()) {
        add_issue(out, path(), IssueCode::out_of_range,
                  "must list at least one value (or be one value for all)");
      }
      MemberType<std::vector<U>>::check(*list, c, path, out);
    } else {
      MemberType<U>::check(std::get<U>(v), c, path, out);
    }
  }
  template <class Path>
  static void rules(const V&, const Path&, std::vector<Issue>&) {}
};

/// A field's bounds as they apply to its numbers: for an integer type, narrowed to what the type
/// holds; for a list, map or optional, those of its elements.
template <class T>
constexpr Range effective_range(const Range& r) {
  constexpr Shape shape = MemberType<T>::shape;
  if constexpr (shape == Shape::optional || shape == Shape::list || shape == Shape::map ||
                shape == Shape::one_or_list) {
    return effective_range<typename MemberType<T>::element>(r);
  } else if constexpr (is_integer_member<T>) {
    return MemberType<T>::range(r);
  } else {
    return r;
  }
}

// ----- structs ---------------------------------------------------------------------------------

template <class S, class Sink>
void emit_struct(const S& value, Sink& sink) {
  sink.begin_object();
  for_each_field<S>([&](const auto& fld) {
    sink.key(fld.name);
    MemberType<member_t<decltype(fld)>>::emit(value.*fld.member, sink);
  });
  sink.end_object();
}

/// Sends any described value to `sink` as JSON events: begin_object(), key(name), end_object(),
/// begin_array(), end_array(), real(double), integer(int64), unsigned_integer(uint64),
/// boolean(bool), string(string_view), null(). Text, DOM, diff and schema writers are sinks.
template <class Sink, class T>
void emit_value(const T& value, Sink& sink) {
  MemberType<T>::emit(value, sink);
}

/// Every field of `value` against its constraints; `prefix()` builds the path of `value`.
template <class S, class Path>
void check_fields_at(const S& value, const Path& prefix, std::vector<Issue>& out) {
  for_each_field<S>([&](const auto& fld) {
    MemberType<member_t<decltype(fld)>>::check(
        value.*fld.member, constraints_of(fld), [&] { return prefix() + pointer_token(fld.name); },
        out);
  });
}

/// Every field of `value` against its constraints, with paths below `prefix`.
template <class S>
void check_fields(const S& value, const std::string& prefix, std::vector<Issue>& out) {
  check_fields_at(
      value, [&] { return prefix; }, out);
}

template <class T>
constexpr bool has_rules();

template <class S, std::size_t... I>
constexpr bool fields_have_rules(std::index_sequence<I...>) {
  return (has_rules<member_t<decltype(std::get<I>(description_of<S>.all))>>() || ...);
}

template <class V, std::size_t... I>
constexpr bool alternatives_have_rules(std::index_sequence<I...>) {
  return (has_rules<std::variant_alternative_t<I, V>>() || ...);
}

/// Whether a value of type `T` has a struct with rules inside it (so that validation builds no
/// path for the values that have none).
template <class T>
constexpr bool has_rules() {
  constexpr Shape shape = MemberType<T>::shape;
  if constexpr (shape == Shape::structure) {
    return description_of<T>.check != nullptr ||
           fields_have_rules<T>(std::make_index_sequence<field_count<T>>{});
  } else if constexpr (shape == Shape::choice) {
    return alternatives_have_rules<T>(std::make_index_sequence<std::variant_size_v<T>>{});
  } else if constexpr (shape == Shape::scalar) {
    return false;
  } else {
    return has_rules<typename MemberType<T>::element>();
  }
}

/// The rules of `value`'s description, then those of the structs inside it; `prefix()` builds
/// the path of `value`, only for a struct that has rules.
template <class S, class Path>
void check_rules_at(const S& value, const Path& prefix, std::vector<Issue>& out) {
  if constexpr (description_of<S>.check != nullptr) {
    Rules rules(prefix(), out);
    description_of<S>.check(value, rules);
  }
  for_each_field<S>([&](const auto& fld) {
    using T = member_t<decltype(fld)>;
    if constexpr (has_rules<T>()) {
      MemberType<T>::rules(
          value.*fld.member, [&] { return prefix() + pointer_token(fld.name); }, out);
    }
  });
}

/// `validate()` with a path prefix (the JSON pointer of the config inside its document): every
/// field against its constraints, then, once all are valid, the rules between fields.
template <class S>
void validate_into(const S& value, const std::string& prefix, std::vector<Issue>& out) {
  const std::size_t before = out.size();
  check_fields(value, prefix, out);
  if (out.size() == before) {
    check_rules_at(
        value, [&] { return prefix; }, out);
  }
}

template <class S>
bool fields_equal(const S& a, const S& b);

/// Equality of any described value, element by element down to the scalars (so that a user's
/// nested structs need no `operator==` of their own).
template <class T>
bool values_equal(const T& a, const T& b) {
  constexpr Shape shape = MemberType<T>::shape;
  if constexpr (shape == Shape::structure) {
    return fields_equal(a, b);
  } else if constexpr (shape == Shape::optional) {
    return a.has_value() == b.has_value() && (!a || values_equal(*a, *b));
  } else if constexpr (shape == Shape::list) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(),
                      [](const auto& x, const auto& y) { return values_equal(x, y); });
  } else if constexpr (shape == Shape::map) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](const auto& x, const auto& y) {
             return x.first == y.first && values_equal(x.second, y.second);
           });
  } else if constexpr (shape == Shape::choice || shape == Shape::one_or_list) {
    return a.index() == b.index() && std::visit(
                                         [&](const auto& x) {
                                           using X = std::decay_t<decltype(x)>;
                                           return values_equal(x, std::get<X>(b));
                                         },
                                         a);
  } else {
    return a == b;
  }
}

template <class S>
bool fields_equal(const S& a, const S& b) {
  bool equal = true;
  for_each_field<S>(
      [&](const auto& fld) { equal = equal && values_equal(a.*fld.member, b.*fld.member); });
  return equal;
}

} // namespace hyperparams::detail
