// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The required keys of a value that patches made (layers of files, overrides): each required
/// field that nothing gave is `missing_key`. What counts as given is the caller's: the layers'
/// suppliers, the overrides' paths. Not for users.

#include "hyperparams/detail/member_types.hpp"
#include "hyperparams/detail/text.hpp"
#include "hyperparams/impl/reader_ops.hpp"

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace hyperparams::detail {

/// Whether the JSON pointer `inner` is `outer` or inside it ("/a/b" is inside "/a", not "/ab").
inline bool path_within(std::string_view inner, std::string_view outer) {
  return inner.compare(0, outer.size(), outer) == 0 &&
         (inner.size() == outer.size() || inner[outer.size()] == '/');
}

template <class S, class Given>
void missing_required(const S& value, const Given& given, const std::string& path,
                      std::vector<Issue>& out);

/// The required fields missing inside a member's value at `path`: a struct's, those of a
/// choice's alternative, and those of each map entry that was given (entries and options merge
/// across files and overrides, which read them as patches; an entry only the defaults hold is
/// the author's, as in a single file).
template <class M, class Given>
void missing_required_in(const M& value, const Given& given, const std::string& path,
                         std::vector<Issue>& out) {
  if constexpr (MemberType<M>::shape == Shape::structure) {
    missing_required(value, given, path, out);
  } else if constexpr (MemberType<M>::shape == Shape::choice) {
    std::visit([&](const auto& options) { missing_required(options, given, path, out); }, value);
  } else if constexpr (MemberType<M>::shape == Shape::map) {
    for (const auto& entry : value) {
      const std::string at = path + pointer_token(entry.first);
      if (given(at)) {
        missing_required_in(entry.second, given, at, out);
      }
    }
  }
}

/// `missing_key` for each required field of `S` (at `path`) that `given` says nothing gave, and
/// for those of the struct members, chosen alternatives and map entries inside it.
template <class S, class Given>
void missing_required(const S& value, const Given& given, const std::string& path,
                      std::vector<Issue>& out) {
  for_each_field<S>([&](const auto& fld) {
    const std::string at = path + pointer_token(fld.name);
    if (fld.is_required && !given(at)) {
      out.push_back(Issue{at, IssueCode::missing_key, missing_key_message(fld), 0, 0});
    }
    missing_required_in(value.*fld.member, given, at, out);
  });
}

} // namespace hyperparams::detail
