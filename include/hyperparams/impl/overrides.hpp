// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// `key=value` overrides of any described struct: the templates `<hyperparams/overrides.hpp>`
/// declares, in the headers in both modes. Not for users.

#include "hyperparams/detail/text.hpp"
#include "hyperparams/fields.hpp"
#include "hyperparams/impl/json.hpp"
#include "hyperparams/impl/required_keys.hpp"
#include "hyperparams/overrides.hpp"

#include <algorithm>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace hyperparams {

namespace detail {

/// `value` without the whitespace JSON allows before a value.
inline std::string_view json_trimmed(std::string_view value) {
  const auto first = value.find_first_not_of(" \t\n\r");
  return first == std::string_view::npos ? std::string_view() : value.substr(first);
}

/// Whether an override's value starts like JSON structure (`[`, `{`, `"`): then it must be JSON,
/// so that `[256,128` is a syntax error rather than a string.
inline bool looks_structured(std::string_view value) {
  value = json_trimmed(value);
  return !value.empty() && (value.front() == '[' || value.front() == '{' || value.front() == '"');
}

/// Whether an override's value starts like a number (`1`, `-2`, `.5`, `+1`, `-.5`): then it must
/// be a JSON number, so that `1e400` is out of range and `0x10` a syntax error, never a string.
inline bool looks_numeric(std::string_view value) {
  value = json_trimmed(value);
  const auto digit_or_point = [&](std::size_t i) {
    return i < value.size() && ((value[i] >= '0' && value[i] <= '9') || value[i] == '.');
  };
  if (value.empty()) {
    return false;
  }
  if (value.front() == '-' || value.front() == '+' || value.front() == '.') {
    return digit_or_point(1);
  }
  return value.front() >= '0' && value.front() <= '9';
}

/// The JSON text of an override's value: the value itself when it is JSON (`3e-4`, `true`,
/// `[1, 2]`, `"x"`) or must be (see above), a JSON string otherwise (`sgd`, `GELU`).
inline std::string override_value_text(std::string_view value) {
  if (looks_structured(value) || looks_numeric(value) || nlohmann::json::accept(value)) {
    return std::string(value);
  }
  // bytes that are not UTF-8 become U+FFFD, which no key or name has: an error, never a match
  return nlohmann::json(std::string(value))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// What a dotted key reaches in a described type: the shape of the value at its end, or how much
/// of it is a value that has no keys (`seed.x`, `optimizer.momentum.x`).
struct KeyTarget {
  bool known = true;           ///< every part names a field (else the reader reports it)
  std::size_t value_parts = 0; ///< parts up to a value without keys, when more follow: 1 for seed.x
  Shape shape = Shape::structure;
  bool choice_name = false; ///< `optimizer.name`
  /// Of a scalar at the end: its JSON type ("integer", "number", "string", "boolean"), and
  /// whether it is a `float` (which rounds what it is given).
  std::string_view json_type;
  bool single_precision = false;
};

template <class T>
void key_target(const std::vector<std::string>& tokens, std::size_t at, KeyTarget& out);

template <class V, std::size_t... I>
bool option_target(const std::vector<std::string>& tokens, std::size_t at, KeyTarget& out,
                   std::index_sequence<I...>) {
  return (with_field<std::variant_alternative_t<I, V>>(tokens[at],
                                                       [&](const auto& fld, std::size_t) {
                                                         key_target<member_t<decltype(fld)>>(
                                                             tokens, at + 1, out);
                                                       }) ||
          ...);
}

template <class T>
void key_target(const std::vector<std::string>& tokens, std::size_t at, KeyTarget& out) {
  using M = MemberType<T>;
  if (at == tokens.size()) {
    out.shape = M::shape;
    if constexpr (M::shape == Shape::scalar) {
      out.json_type = M::json_type;
      out.single_precision = std::is_same_v<T, float>;
    } else if constexpr (M::shape == Shape::one_or_list) { // `neurons=128` is a number
      out.json_type = MemberType<typename M::element>::json_type;
      out.single_precision = std::is_same_v<typename M::element, float>;
    }
    return;
  }
  const std::string& token = tokens[at];
  if constexpr (M::shape == Shape::structure) {
    out.known = with_field<T>(token, [&](const auto& fld, std::size_t) {
      key_target<member_t<decltype(fld)>>(tokens, at + 1, out);
    });
  } else if constexpr (M::shape == Shape::map) {
    key_target<typename M::element>(tokens, at + 1, out);
  } else if constexpr (M::shape == Shape::optional) {
    key_target<typename M::element>(tokens, at, out);
  } else if constexpr (M::shape == Shape::choice) {
    if (token == "name") {
      if (at + 1 == tokens.size()) {
        out.shape = Shape::scalar;
        out.choice_name = true;
      } else {
        out.value_parts = at + 1;
      }
      return;
    }
    // the option of the first alternative that has it (the reader says which have it)
    const bool found =
        option_target<T>(tokens, at, out, std::make_index_sequence<std::variant_size_v<T>>{});
    out.known = found;
  } else {
    out.value_parts = at;
  }
}

/// Sets the value at `tokens` of `value` (a struct or a choice of options, which a value
/// replaces whole, as in a file) to its default.
template <class T>
void reset_at(T& value, const std::vector<std::string>& tokens, std::size_t at = 0) {
  using M = MemberType<T>;
  if (at == tokens.size()) {
    if constexpr (M::shape == Shape::structure || M::shape == Shape::choice) {
      value = T{};
    }
    return;
  }
  if constexpr (M::shape == Shape::structure) {
    with_field<T>(tokens[at], [&](const auto& fld, std::size_t) {
      if (at + 1 == tokens.size()) {
        const T defaults{};
        value.*fld.member = defaults.*fld.member; // the field's default, not its type's
      } else {
        reset_at(value.*fld.member, tokens, at + 1);
      }
    });
  } else if constexpr (M::shape == Shape::map) {
    if (const auto it = value.find(tokens[at]); it != value.end()) {
      reset_at(it->second, tokens, at + 1);
    }
  } else if constexpr (M::shape == Shape::optional) {
    if (value) {
      reset_at(*value, tokens, at);
    }
  }
}

struct ParsedOverride {
  std::size_t position = 0;         ///< 1-based, as given
  std::string text;                 ///< "key=value"
  std::vector<std::string> tokens;  ///< the key's parts: {"optimizer", "momentum"}
  std::string path;                 ///< JSON pointer of the key
  std::string value;                ///< the text after '='
  std::string json;                 ///< the value as JSON text (see override_value_text)
  std::vector<std::string> settles; ///< the paths whose values it gives (see `settled_paths`)
  std::size_t key_columns = 0;      ///< the value's column in `text`: after "key="
  bool well_formed = false;
  bool conflicting = false; ///< sets a value an earlier override sets
  KeyTarget target;         ///< what the key reaches (see `key_target`)
  /// `optimizer=...`: a choice of options, whose value names its alternative
  [[nodiscard]] bool replaces_choice() const { return target.shape == Shape::choice; }
  /// Applied first: `optimizer=...`, `optimizer.name=...`
  [[nodiscard]] bool chooses() const { return replaces_choice() || target.choice_name; }
  /// Whether the value is an object (which gives the keys inside it, not only a name).
  [[nodiscard]] bool object_value() const {
    const auto first = json.find_first_not_of(" \t\r\n");
    return first != std::string::npos && json[first] == '{';
  }
};

/// The top-level keys of a JSON object text, or nothing when it is not one.
inline std::vector<std::string> object_keys(const std::string& text) {
  std::vector<std::string> keys;
  const auto value = nlohmann::json::parse(text, nullptr, false);
  if (value.is_object()) {
    for (const auto& item : value.items()) {
      keys.push_back(item.key());
    }
  }
  return keys;
}

/// The paths whose values an override gives, explicitly or not: its own path, or for a
/// choice of options the name (`optimizer=sgd` gives `/optimizer/name`, and so does
/// `optimizer={"momentum": 0.9}`, implicitly the default optimizer) and each option it names.
inline std::vector<std::string> settled_paths(const ParsedOverride& o) {
  if (!o.replaces_choice()) {
    return {o.path};
  }
  std::vector<std::string> paths{o.path + "/name"};
  const std::string_view value = json_trimmed(o.json);
  if (!value.empty() && value.front() == '{' && o.json.size() <= LoadOptions{}.max_bytes) {
    for (const auto& key : object_keys(o.json)) {
      if (key != "name") {
        paths.push_back(o.path + pointer_token(key));
      }
    }
  }
  return paths;
}

template <class T>
ParsedOverride parse_override(std::size_t position, const std::string& text) {
  ParsedOverride out;
  out.position = position;
  out.text = text;
  const auto equals = text.find('=');
  if (equals == std::string::npos || equals == 0) {
    return out;
  }
  // bytes that are not UTF-8 are written \xNN: paths and messages stay UTF-8, and no such key
  // matches a field
  const std::string key = valid_utf8(std::string_view(text).substr(0, equals));
  out.key_columns = 2; // 1-based, and the '='
  for (std::size_t i = 0; i < equals; i += std::max<std::size_t>(utf8_sequence(text, i), 1)) {
    ++out.key_columns; // the value's column in the override's text, counted in code points
  }
  for (std::size_t start = 0;;) {
    const auto dot = key.find('.', start);
    out.tokens.push_back(
        key.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (out.tokens.back().empty()) {
      return out;
    }
    if (dot == std::string::npos) {
      break;
    }
    start = dot + 1;
  }
  for (const auto& token : out.tokens) {
    out.path += pointer_token(token);
  }
  out.value = text.substr(equals + 1);
  out.json = override_value_text(out.value);
  key_target<T>(out.tokens, 0, out.target);
  out.settles = settled_paths(out);
  out.well_formed = true;
  return out;
}

inline std::string override_label(const ParsedOverride& o) {
  return "override " + std::to_string(o.position) + " " + quote(o.text) + ": ";
}

/// A hint when a value looks like JSON that the shell took apart: bash brace-expands
/// `optimizer={"name":"sgd","momentum":0.9}` into `optimizer=name:sgd optimizer=momentum:0.9`
/// and removes the quotes of `optimizer={"name":"sgd"}`, leaving `optimizer={name:sgd}`.
inline std::string shell_hint(std::string_view value) {
  static constexpr std::string_view hint =
      " (the shell may have taken a JSON value apart: quote JSON values in the shell, as in "
      "'optimizer={\"name\":\"sgd\",\"momentum\":0.9}')";
  const auto word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  std::size_t p = 0;
  while (p < value.size() && word(value[p])) {
    ++p;
  }
  if (p > 0 && p < value.size() && value[p] == ':' && value.substr(p, 3) != "://") {
    return std::string(hint); // name:sgd, not https://
  }
  if (!value.empty() && value.front() == '{') {
    const auto next = value.find_first_not_of(" \t\n\r", 1);
    if (next != std::string_view::npos && value[next] != '"' && value[next] != '}') {
      return std::string(hint); // {name:sgd}
    }
  }
  return {};
}

/// The issues of a set of overrides, kept in the order of their overrides and capped at
/// `limit`: past it they are only counted, in linear time however many there are.
class OverrideIssues {
public:
  explicit OverrideIssues(std::size_t limit) : limit_(limit) {}

  void add(std::size_t position, Issue issue) {
    items_.emplace_back(position, std::move(issue));
    if (items_.size() >= 2 * limit_ + 64) {
      keep_first(); // amortised: at most one sort per limit_ + 64 issues
    }
  }
  void count(std::size_t more) { unlisted_ += more; }
  [[nodiscard]] bool empty() const { return items_.empty() && unlisted_ == 0; }

  /// The issues in the order of their overrides, the first `limit` of them and a count.
  std::vector<Issue> take() {
    keep_first();
    std::vector<Issue> out;
    out.reserve(items_.size() + 1);
    for (auto& item : items_) {
      out.push_back(std::move(item.second));
    }
    append_unlisted(out, unlisted_, limit_);
    return out;
  }

private:
  void keep_first() {
    std::stable_sort(items_.begin(), items_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    if (items_.size() > limit_) {
      unlisted_ += items_.size() - limit_;
      items_.resize(limit_);
    }
  }

  std::size_t limit_;
  std::vector<std::pair<std::size_t, Issue>> items_;
  std::size_t unlisted_ = 0;
};

/// Marks and reports each override that gives a value an earlier one gives (the same path, or one
/// inside the other: `optimizer.name=sgd optimizer=adam`, `optimizer={"momentum":0.9}
/// optimizer.momentum=0.5`); whether there was one.
inline bool find_conflicts(std::vector<ParsedOverride>& parsed, OverrideIssues& issues) {
  bool found = false;
  std::map<std::string, const ParsedOverride*, std::less<>> settled; // path -> override
  const auto within = [](std::string_view path, std::string_view prefix) {
    return path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0 &&
           path[prefix.size()] == '/';
  };
  for (auto& o : parsed) { // in the order given
    if (!o.well_formed) {
      continue;
    }
    for (const auto& path : o.settles) {
      const ParsedOverride* earlier = nullptr;
      std::string earlier_path;
      if (const auto same = settled.find(path); same != settled.end()) {
        earlier = same->second;
        earlier_path = same->first;
      }
      for (auto slash = path.rfind('/');
           earlier == nullptr && slash != 0 && slash != std::string::npos;
           slash = path.rfind('/', slash - 1)) {
        if (const auto outer = settled.find(std::string_view(path).substr(0, slash));
            outer != settled.end()) {
          earlier = outer->second;
          earlier_path = outer->first;
        }
      }
      if (const auto inner = settled.lower_bound(path + "/");
          earlier == nullptr && inner != settled.end() && within(inner->first, path)) {
        earlier = inner->second;
        earlier_path = inner->first;
      }
      if (earlier != nullptr) {
        o.conflicting = true;
        found = true;
        const std::string what = earlier_path == path ? truncate_utf8(path)
                                                      : truncate_utf8(path) + " overlaps " +
                                                            truncate_utf8(earlier_path) + ", which";
        issues.add(o.position, Issue{path, IssueCode::duplicate_key,
                                     override_label(o) + what + " is already set by override " +
                                         std::to_string(earlier->position) + " " +
                                         quote(earlier->text) + shell_hint(o.value),
                                     0, 0});
        break;
      }
    }
    if (!o.conflicting) {
      for (const auto& path : o.settles) {
        settled.emplace(path, &o);
      }
    }
  }
  return found;
}

/// An issue when a dotted key reaches into a value that has no keys (`seed.x`,
/// `optimizer.momentum.x`).
inline std::optional<Issue> dotted_into_value(const ParsedOverride& o) {
  const std::size_t parts = o.target.value_parts;
  if (parts == 0 || parts >= o.tokens.size()) {
    return std::nullopt;
  }
  std::string holder;
  for (std::size_t i = 0; i < parts; ++i) {
    holder += pointer_token(o.tokens[i]);
  }
  return Issue{o.path, IssueCode::unknown_key,
               override_label(o) + "unknown key " + quote(o.tokens[parts]) + ": " +
                   truncate_utf8(holder) +
                   " is a value, not an object (dotted keys reach into nested structs, maps and "
                   "the options of a choice such as the optimizer)",
               0, 0};
}

/// Overrides applied one by one, not yet validated as a whole.
template <class T>
struct AppliedOverrides {
  T value;
  std::vector<ParsedOverride> parsed;             ///< each override, in the order given
  std::vector<std::size_t> applied;               ///< indices into `parsed` of those that applied
  std::map<std::string, std::size_t> position_of; ///< an override's path -> its position
  OverrideIssues issues;
};

/// Reads each override over `base` (choices first) by the reader's rules; an override with an
/// issue changes nothing. \throws ConfigError when two overrides set one value (alone).
template <class T>
AppliedOverrides<T> apply_each_override(const T& base, const std::vector<std::string>& overrides) {
  const LoadOptions options;
  AppliedOverrides<T> out{base, {}, {}, {}, OverrideIssues(options.max_issues)};
  auto& parsed = out.parsed;
  auto& issues = out.issues;
  parsed.reserve(overrides.size());
  for (std::size_t i = 0; i < overrides.size(); ++i) {
    parsed.push_back(parse_override<T>(i + 1, overrides[i]));
    if (!parsed.back().well_formed) {
      issues.add(i + 1, Issue{"", IssueCode::invalid_value,
                              override_label(parsed.back()) +
                                  "expected key=value, with a key such as learning_rate or "
                                  "optimizer.momentum",
                              0, 0});
    }
  }
  if (find_conflicts(parsed, issues)) {
    // which of two conflicting values is meant is not known, and reading the others against
    // either would only add noise: as a syntax error in a file, these are reported alone
    throw ConfigError(issues.take(), "<overrides>");
  }
  // choices first, so that `optimizer.momentum=0.9 optimizer=sgd` works in either order
  std::vector<std::size_t> order;
  order.reserve(parsed.size());
  for (const bool choices : {true, false}) {
    for (std::size_t i = 0; i < parsed.size(); ++i) {
      const auto& o = parsed[i];
      if (o.well_formed && !o.conflicting && o.chooses() == choices) {
        order.push_back(i);
      }
    }
  }
  for (const std::size_t i : order) {
    const ParsedOverride* o = &parsed[i];
    out.position_of.emplace(o->path, o->position);
    if (auto issue = dotted_into_value(*o)) {
      issues.add(o->position, std::move(*issue));
      continue;
    }
    T start = out.value;
    if (o->target.shape == Shape::structure || o->replaces_choice()) {
      reset_at(start, o->tokens); // a value replaces a struct or a choice whole
    }
    auto read = read_text(start, o->json, "<overrides>", options, false,
                          ValueAt{o->tokens, o->key_columns});
    if (!read.failed()) {
      out.value = std::move(read.value); // an override with an issue changes nothing
      out.applied.push_back(i);
      continue;
    }
    const std::string hint = shell_hint(o->value);
    for (auto& issue : read.issues) {
      issue.message = override_label(*o) + issue.message + hint;
      issue.line = 0;
      issue.column = 0;
      issues.add(o->position, std::move(issue));
    }
    issues.count(read.unlisted);
  }
  return out;
}

/// Whether the value at `path` is given after `applied`: the base gave everything, except the
/// options of a choice that an override replaced by a name (`source=url` starts the options from
/// their defaults): those only a later override gives (`source.url=...`).
template <class T>
bool given_by_overrides(const AppliedOverrides<T>& applied, const std::string& path) {
  bool replaced = false;
  for (const std::size_t i : applied.applied) {
    const ParsedOverride& o = applied.parsed[i];
    if (path_within(path, o.path) && (o.object_value() || path == o.path)) {
      return true; // given by this override (an object: the reader checked its keys)
    }
    replaced = replaced || (o.replaces_choice() && path_within(path, o.path));
  }
  return !replaced;
}

} // namespace detail

template <class T, std::enable_if_t<detail::is_config_struct<T>, int>>
T apply_overrides(const T& base, const std::vector<std::string>& overrides) {
  auto applied = detail::apply_each_override(base, overrides);
  T& current = applied.value;
  auto& issues = applied.issues;
  const auto& parsed = applied.parsed;
  const auto& position_of = applied.position_of;
  // as in a file: each value against its bounds, and the rules between fields once all are valid
  std::vector<Issue> found;
  if (issues.empty()) {
    detail::missing_required(
        current, [&](const std::string& path) { return detail::given_by_overrides(applied, path); },
        "", found);
  }
  if (issues.empty() && found.empty()) {
    detail::validate_into(current, "", found);
  } else {
    detail::check_fields(current, "", found);
  }
  for (auto& issue : found) {
    std::size_t position = overrides.size() + 1; // of no override alone: of the result
    // the override of the deepest path that holds the value
    for (std::string path = issue.path; !path.empty();) {
      if (const auto o = position_of.find(path); o != position_of.end()) {
        position = o->second;
        issue.message = detail::override_label(parsed[position - 1]) + issue.message;
        break;
      }
      const auto slash = path.rfind('/');
      path.resize(slash == std::string::npos ? 0 : slash);
    }
    if (position > overrides.size()) {
      issue.message = "with the overrides applied: " + issue.message;
    }
    issues.add(position, std::move(issue));
  }
  if (!issues.empty()) {
    throw ConfigError(issues.take(), "<overrides>");
  }
  return current;
}

} // namespace hyperparams

#ifndef HYPERPARAMS_COMPILED
#include "hyperparams/impl/overrides_hyperparams.hpp" // the functions for HyperParams, header-only
#endif
