// SPDX-License-Identifier: MIT
// A choice whose alternatives have required options (a file by its path, or a URL), for the
// tests of required keys: by name alone, left at its default, across layers and overrides.
#pragma once

#include <hyperparams/describe.hpp>

#include <string>
#include <variant>

namespace testapp {

enum class SourceKind { file, url };
constexpr auto describe(hyperparams::type<SourceKind>) {
  return hyperparams::names<SourceKind>("source",
                                        {{"file", SourceKind::file}, {"url", SourceKind::url}});
}
struct FromFile {
  static constexpr SourceKind kind = SourceKind::file;
  std::string path;
};
constexpr auto describe(hyperparams::type<FromFile>) {
  using hyperparams::field;
  return hyperparams::fields(field("path", &FromFile::path, "The file.").required());
}
struct FromUrl {
  static constexpr SourceKind kind = SourceKind::url;
  std::string url;
  int retries = 1;
};
constexpr auto describe(hyperparams::type<FromUrl>) {
  using hyperparams::field;
  return hyperparams::fields(field("url", &FromUrl::url, "The address.").required(),
                             field("retries", &FromUrl::retries, "Tries after the first.").ge(0));
}
struct Input {
  std::variant<FromFile, FromUrl> source;
  int workers = 0;
};
constexpr auto describe(hyperparams::type<Input>) {
  using hyperparams::field;
  return hyperparams::fields(field("source", &Input::source, "Where the data is."),
                             field("workers", &Input::workers, "Loading threads."));
}

} // namespace testapp
