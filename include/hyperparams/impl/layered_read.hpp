// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// A described struct read from layers (impl/layers.hpp puts the files in order): each file is
/// read over the value the files before it made, by the reader's layer rules (objects merge,
/// lists and scalars replace, another alternative of a choice drops the old one's options);
/// then the result is checked as a whole (required keys, the rules between fields), and each
/// issue is located in the file that supplied the value it is about. What each file supplied is
/// kept, for `show --origin`. Not for users.

#include "hyperparams/detail/member_types.hpp"
#include "hyperparams/detail/text.hpp"
#include "hyperparams/impl/json_syntax.hpp"
#include "hyperparams/impl/layers.hpp"
#include "hyperparams/impl/read_passes.hpp"
#include "hyperparams/impl/reader_ops.hpp"
#include "hyperparams/impl/required_keys.hpp"

#include <algorithm>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hyperparams::detail {

/// The overrides applied over the layers: the path each gives and how messages name it.
struct OverrideMark {
  std::string path;  ///< JSON pointer, relative to the config
  std::string label; ///< "override 2 \"epochs=3\": "
  std::size_t position = 0;
  std::string text;    ///< "epochs=3"
  bool object = false; ///< its value is an object, which gives the keys inside it
};

/// A config read from layers, with what supplied each value.
template <class T>
struct Layered {
  T value{};
  LayerSet layers;
  std::vector<Issue> issues;
  std::size_t unlisted = 0;
  Suppliers suppliers;                 ///< by JSON pointer, relative to the config
  std::vector<OverrideMark> overrides; ///< applied after the files

  [[nodiscard]] bool failed() const { return !issues.empty() || unlisted > 0; }

  void add(Issue issue, std::size_t limit) {
    if (issues.size() >= limit) {
      ++unlisted;
    } else {
      issues.push_back(std::move(issue));
    }
  }

  /// The deepest override whose path is `path` or holds it, or null.
  [[nodiscard]] const OverrideMark* override_of(const std::string& path) const {
    const OverrideMark* found = nullptr;
    for (const auto& o : overrides) {
      if (path_within(path, o.path) && (found == nullptr || o.path.size() > found->path.size())) {
        found = &o;
      }
    }
    return found;
  }

  /// Whether a file or an override gives the value at `path` or one inside it. An override
  /// gives what is inside its path only with an object: `source=url` names an alternative
  /// and gives none of its options.
  [[nodiscard]] bool gives(const std::string& path) const {
    const auto inside = suppliers.lower_bound(path + "/");
    if (suppliers.count(path) != 0 ||
        (inside != suppliers.end() && path_within(inside->first, path))) {
      return true;
    }
    return std::any_of(overrides.begin(), overrides.end(), [&](const OverrideMark& o) {
      return path_within(o.path, path) || (o.object && path_within(path, o.path));
    });
  }

  /// `issue` (about a value of the result, a pointer relative to the config) located where that
  /// value was given: the override that gave it, or the file that supplied it or the nearest
  /// value that holds it; the top file when none did (a default).
  [[nodiscard]] Issue locate(Issue issue) const {
    if (const OverrideMark* o = override_of(issue.path)) {
      issue.message = o->label + issue.message;
      issue.source = "<overrides>";
      return issue;
    }
    for (std::string at = issue.path;;) {
      if (const auto found = suppliers.find(at); found != suppliers.end()) {
        const LayerFile& file = layers.files[found->second.file];
        std::tie(issue.line, issue.column) = line_column(file.text, found->second.offset);
        issue.source = file.source;
        issue.path = file.pointer + issue.path;
        return issue;
      }
      if (at.empty()) {
        break;
      }
      at.resize(at.rfind('/'));
    }
    if (!layers.files.empty()) {
      issue.source = layers.files.back().source;
      issue.path = layers.files.back().pointer + issue.path;
    }
    return issue;
  }
};

/// Records what a layer's place says: the value at its path came from file `file`, or (a
/// replaced value) nothing below it comes from an earlier file any more.
inline void record_place(Suppliers& suppliers, const Place& place, std::size_t file) {
  if (!place.replaced) {
    suppliers[place.path] = Supplier{file, place.offset};
    return;
  }
  suppliers.erase(place.path);
  const std::string below = place.path + "/";
  for (auto it = suppliers.lower_bound(below);
       it != suppliers.end() && it->first.compare(0, below.size(), below) == 0;) {
    it = suppliers.erase(it);
  }
}

/// Reads the files of `layers` in order, each over the value the ones before it made. A file
/// with issues changes nothing: its issues are listed (each with the file as its source) and
/// the next file is read.
template <class T>
Layered<T> read_layers(LayerSet layers, const LoadOptions& options) {
  Layered<T> out;
  out.layers = std::move(layers);
  for (auto& issue : out.layers.issues) {
    out.add(std::move(issue), options.max_issues);
  }
  out.layers.issues.clear();
  for (std::size_t i = 0; i < out.layers.files.size(); ++i) {
    const LayerFile& file = out.layers.files[i];
    LoadOptions at = options;
    at.pointer = file.pointer;
    auto read =
        read_pass(out.value, file.text, file.source, at, true, true, ValueAt{}, &out.suppliers);
    if (read.failed()) {
      for (auto& issue : read.issues) {
        issue.source = file.source;
        out.add(std::move(issue), options.max_issues);
      }
      out.unlisted += read.unlisted;
      continue;
    }
    out.value = std::move(read.value);
    for (const auto& place : read.places) {
      record_place(out.suppliers, place, i);
    }
  }
  return out;
}

/// Checks the value the layers (and overrides) made, as the reader checks one file. Each file's
/// values were checked against their bounds as it was read; here the overrides' values are, and
/// when nothing was wrong the required keys and the rules between fields. Each issue is located
/// where its value was given (see `Layered::locate`).
template <class T>
void check_layered(Layered<T>& layered, const LoadOptions& options) {
  std::vector<Issue> missing;
  std::vector<Issue> found;
  if (layered.failed()) {
    check_fields(layered.value, "", found);
    found.erase(std::remove_if(
                    found.begin(), found.end(),
                    [&](const Issue& issue) { return layered.override_of(issue.path) == nullptr; }),
                found.end());
  } else {
    missing_required(
        layered.value, [&](const std::string& path) { return layered.gives(path); }, "", missing);
    if (missing.empty()) {
      validate_into(layered.value, "", found);
    } else {
      check_fields(layered.value, "", found); // the rules once every value is there
    }
  }
  for (auto& issue : missing) {
    layered.add(layered.locate(std::move(issue)), options.max_issues);
  }
  for (auto& issue : found) {
    const bool of_missing = std::any_of(missing.begin(), missing.end(), [&](const Issue& m) {
      return path_within(issue.path, m.path);
    });
    if (!of_missing) { // a missing value is reported once, not again for its default
      layered.add(layered.locate(std::move(issue)), options.max_issues);
    }
  }
}

/// A config whose text builds on files (`"$extends"`): its layers found, read and checked.
template <class T>
T read_extended(std::string source, std::string text, const std::filesystem::path* file,
                const LoadOptions& options) {
  std::vector<LayerFile> tops;
  tops.push_back(top_layer(source, std::move(text), file, options));
  auto layered = read_layers<T>(resolve_layers(std::move(tops), options), options);
  check_layered(layered, options);
  return value_or_throw(std::move(layered), std::move(source), options.max_issues);
}

} // namespace hyperparams::detail
