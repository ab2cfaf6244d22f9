// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Definitions of the functions impl/layers.hpp declares: finding the files a config builds on
/// (`"$extends"`). Included by that header (header-only) or compiled once into the library
/// (`HYPERPARAMS_COMPILED`), so that a translation unit in compiled mode does not build this
/// machinery. Not for users.

#include "hyperparams/detail/text.hpp"
#include "hyperparams/impl/core_api.hpp"
#include "hyperparams/impl/files.hpp"
#include "hyperparams/impl/layers.hpp"
#include "hyperparams/impl/load_options.hpp"
#include "hyperparams/impl/located_json.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <iterator>
#include <set>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace hyperparams::detail {

/// The absolute path with every symbolic link resolved, as far as it exists (the rest is only
/// normalised).
inline std::filesystem::path canonical_path(const std::filesystem::path& path) {
  std::error_code ec;
  const std::filesystem::path absolute = std::filesystem::absolute(path, ec);
  if (ec) {
    return path.lexically_normal();
  }
  const std::filesystem::path real = std::filesystem::weakly_canonical(absolute, ec);
  return ec ? absolute.lexically_normal() : real;
}

/// A top file of a layered config: a file the user names (its directory is its root), or a text
/// from memory (its root and directory are `LoadOptions::root`, or none).
inline LayerFile top_layer(std::string source, std::string text, const std::filesystem::path* file,
                           const LoadOptions& options) {
  LayerFile top;
  top.source = std::move(source);
  top.text = std::move(text);
  top.pointer = options.pointer;
  if (file != nullptr) {
    top.directory = file->has_parent_path() ? file->parent_path() : std::filesystem::path(".");
    top.identity = canonical_path(*file);
  } else {
    top.directory = options.root;
  }
  const std::filesystem::path root = options.root.empty() ? top.directory : options.root;
  if (!root.empty()) {
    top.root = canonical_path(root);
  }
  return top;
}

/// "an empty string", "a number", "an object", ... (what a value that should be a name is).
inline std::string json_kind(const nlohmann::json& value) {
  if (value.is_string()) {
    return "an empty string";
  }
  if (value.is_boolean() || value.is_null()) {
    return value.dump();
  }
  return value.is_number() ? "a number" : value.is_object() ? "an object" : "an array";
}

/// Whether `path` is `root` or inside it (both canonical).
inline bool inside_root(const std::filesystem::path& path, const std::filesystem::path& root) {
  auto r = root.begin();
  auto p = path.begin();
  for (; r != root.end(); ++r, ++p) {
    if (r->empty() && std::next(r) == root.end()) {
      return true; // a root with a trailing separator
    }
    if (p == path.end() || *p != *r) {
      return false;
    }
  }
  return true;
}

/// Finds the files `tops` build on (see impl/layers.hpp).
class LayerResolver {
public:
  explicit LayerResolver(const LoadOptions& options) : options_(options) {}

  LayerSet resolve(std::vector<LayerFile> tops) {
    for (auto& top : tops) {
      visit(std::move(top), {});
    }
    return std::move(out_);
  }

private:
  struct Base {
    std::string name;
    std::string path; ///< of its value in the naming file: /$extends or /$extends/1
  };
  struct Named {
    std::string source;
    std::filesystem::path identity;
  };

  /// Puts `file` after its bases. A file given applies where it is given, even when it applied
  /// before (as a base, or given twice); a base that applied before does not again (see
  /// `visit_base`), so that a file two others build on cannot undo the first one.
  void visit(LayerFile file, std::vector<Named> chain) {
    LocatedJson located;
    const auto bases = bases_of(file, located);
    chain.push_back(Named{file.source, file.identity});
    for (const auto& base : bases) {
      visit_base(file, located, base, chain);
    }
    if (!file.identity.empty()) {
      applied_.insert(file.identity);
    }
    out_.files.push_back(std::move(file));
  }

  void visit_base(const LayerFile& file, const LocatedJson& located, const Base& base,
                  const std::vector<Named>& chain) {
    const auto fail = [&](IssueCode code, std::string message) {
      Issue issue = located.issue(base.path, code, std::move(message));
      issue.source = file.source;
      out_.issues.push_back(std::move(issue));
    };
    const std::string name = quote(base.name);
    if (base.name.find('\0') != std::string::npos) {
      fail(IssueCode::invalid_value, "the base " + name + " is not a file name: it holds U+0000");
      return;
    }
    if (file.directory.empty()) {
      fail(IssueCode::invalid_value,
           "cannot read the base " + name +
               ": a text from memory has no directory to find it in (load the file with "
               "load_file, or set LoadOptions::root)");
      return;
    }
    const std::filesystem::path named = (file.directory / base.name).lexically_normal();
    const std::filesystem::path real = canonical_path(named);
    if (!inside_root(real, file.root)) {
      // nothing of that file is read or quoted: naming a file must not reveal it
      fail(IssueCode::invalid_value, "the base " + name + " is outside " +
                                         quote(file.root.string()) +
                                         ", the directory that bases are read from "
                                         "(LoadOptions::root; symbolic links count where they "
                                         "point)");
      return;
    }
    const auto again = std::find_if(chain.begin(), chain.end(),
                                    [&](const Named& n) { return n.identity == real; });
    if (again != chain.end()) {
      fail(IssueCode::invalid_value, "the bases form a cycle: " + chain_text(again, chain, named) +
                                         " (a config cannot build on itself)");
      return;
    }
    if (applied_.count(real) != 0) {
      return;
    }
    if (chain.size() >= options_.max_extends_depth) {
      fail(IssueCode::limit_exceeded, "bases nested deeper than the limit of " +
                                          std::to_string(options_.max_extends_depth) + ": " +
                                          chain_text(chain.begin(), chain, named));
      return;
    }
    if (read_files_ >= options_.max_files) {
      fail(IssueCode::limit_exceeded, "a config built on more than the limit of " +
                                          std::to_string(options_.max_files) + " files");
      return;
    }
    LayerFile next;
    next.source = named.string();
    try {
      next.text = read_file(real, options_.max_bytes);
    } catch (const ConfigError& e) {
      // "cannot read "x": no such file": the reason, after the name
      const Issue& why = e.issues().front();
      const auto colon = why.message.rfind("\": ");
      const std::string where =
          named.string() == base.name ? "" : " (" + quote(named.string()) + ")";
      fail(why.code,
           "cannot read the base " + name + where + ": " +
               (colon == std::string::npos ? why.message : why.message.substr(colon + 3)));
      return;
    }
    ++read_files_;
    next.directory = named.has_parent_path() ? named.parent_path() : std::filesystem::path(".");
    next.root = file.root;
    next.identity = std::move(real);
    visit(std::move(next), chain);
  }

  /// "a.json -> b.json -> a.json": the files from `first` to the end of `chain`, then `last`;
  /// a long chain as its first two files, "...", and its last three; valid UTF-8, and cut short
  /// when still long.
  static std::string chain_text(std::vector<Named>::const_iterator first,
                                const std::vector<Named>& chain,
                                const std::filesystem::path& last) {
    std::vector<std::string> names;
    for (auto it = first; it != chain.end(); ++it) {
      names.push_back(it->source);
    }
    names.push_back(last.string());
    if (names.size() > 6) {
      names.erase(names.begin() + 2, names.end() - 3);
      names.insert(names.begin() + 2, "...");
    }
    std::string out;
    for (const auto& name : names) {
      out += (out.empty() ? "" : " -> ") + truncate_utf8(valid_utf8(name), 120);
    }
    return out;
  }

  /// The names in the file's `"$extends"`, with issues for a value that is not a name or a
  /// list of names. A text that is not valid JSON has none here (reading it reports why).
  std::vector<Base> bases_of(const LayerFile& file, LocatedJson& located) {
    std::vector<Base> bases;
    LoadOptions whole = options_;
    whole.pointer.clear();
    try {
      located = parse_located(file.text, file.source, whole);
    } catch (const ConfigError&) {
      return bases;
    }
    const nlohmann::json* config = &located.value;
    if (!file.pointer.empty()) {
      const auto at = nlohmann::json::json_pointer(file.pointer);
      if (!located.value.contains(at)) {
        return bases;
      }
      config = &located.value.at(at);
    }
    if (!config->is_object()) {
      return bases;
    }
    const auto extends = config->find("$extends");
    if (extends == config->end()) {
      return bases;
    }
    const std::string path = file.pointer + "/$extends";
    const auto bad = [&](const std::string& at, const nlohmann::json& value) {
      Issue issue =
          located.issue(at, IssueCode::type_error,
                        std::string("expected the name of a file to build on, or a list of "
                                    "them (relative to this file), got ") +
                            json_kind(value));
      issue.source = file.source;
      out_.issues.push_back(std::move(issue));
    };
    const auto add = [&](const std::string& at, const nlohmann::json& value) {
      if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
        bad(at, value);
        return;
      }
      bases.push_back(Base{value.get<std::string>(), at});
    };
    if (extends->is_array()) {
      for (std::size_t i = 0; i < extends->size(); ++i) {
        add(path + "/" + std::to_string(i), (*extends)[i]);
      }
    } else {
      add(path, *extends);
    }
    return bases;
  }

  const LoadOptions& options_;
  LayerSet out_;
  std::set<std::filesystem::path> applied_;
  std::size_t read_files_ = 0;
};

HYPERPARAMS_INLINE LayerSet resolve_layers(std::vector<LayerFile> tops,
                                           const LoadOptions& options) {
  return LayerResolver(options).resolve(std::move(tops));
}

} // namespace hyperparams::detail
