// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// JSON in and out for `HyperParams` and any struct described with `<hyperparams/describe.hpp>`:
/// strict loading with located errors (`parse`, `load_file`; `parse<T>`, `load_file<T>` for
/// yours), canonical output (`dump`), atomic saves (`save_file`), and nlohmann's conversions
/// (`json j = hp; j.get<HyperParams>()`, the same for yours). The only header that includes
/// nlohmann.
///
/// Loading is one SAX pass over the text that builds straight into `HyperParams`: types, ranges,
/// duplicate and unknown keys and nesting depth are checked as the values arrive, each issue
/// keeps the byte offset of its value or key, and no DOM is ever built from the input.
///
/// Header-only by default; with `HYPERPARAMS_COMPILED` the functions for `HyperParams` are
/// declarations and the compiled library (`hyperparams::compiled`) defines them; the templates
/// for your structs are in the headers in both modes. `<nlohmann/json.hpp>` is included in both
/// modes, so `nlohmann::json j = hp;` works wherever this header is.

#include "hyperparams/hyperparams.hpp"
#include "hyperparams/impl/load_options.hpp" // IWYU pragma: export

#include <nlohmann/json.hpp>

#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <string_view>

namespace hyperparams {

/// Parses a config from JSON text, strictly: every problem is reported at once, each with a JSON
/// pointer, a code, and the line and column in `text`.
/// \param text    JSON text (UTF-8; a leading BOM is skipped).
/// \param source  name used in messages, usually the file name.
/// \param options pointer to the config inside a larger document, size and depth limits.
/// \throws ConfigError listing every issue.
/// Example: `auto hp = hyperparams::parse(R"({"learning_rate": 3e-4})");`
[[nodiscard]] HYPERPARAMS_INLINE HyperParams parse(std::string_view text,
                                                   std::string_view source = "<input>",
                                                   const LoadOptions& options = {});

/// Loads a config file strictly (see `parse`). Every message names the file.
/// \throws ConfigError: io_error for a missing, unreadable or directory path; limit_exceeded
/// for a file over `options.max_bytes`; every issue of the content otherwise.
[[nodiscard]] HYPERPARAMS_INLINE HyperParams load_file(const std::filesystem::path& path,
                                                       const LoadOptions& options = {});

/// Loads a config from a stream (standard input, a pipe) strictly, like `load_file`.
/// \throws ConfigError: limit_exceeded past `options.max_bytes` (checked while reading),
/// io_error when reading fails, every issue of the content otherwise.
[[nodiscard]] HYPERPARAMS_INLINE HyperParams load_stream(std::istream& in,
                                                         std::string_view source = "<stdin>",
                                                         const LoadOptions& options = {});

/// The canonical JSON text of a valid config: every field and every option of the chosen
/// optimizer, in table order, 2-space indent, shortest round-trip numbers, no trailing newline.
/// `parse(dump(x)) == x` and `dump(parse(dump(x))) == dump(x)`.
/// \throws ConfigError when `hp` is invalid (nothing invalid is ever written).
[[nodiscard]] HYPERPARAMS_INLINE std::string dump(const HyperParams& hp);

/// Writes `dump(hp)` and a newline to `path` atomically (temporary file in the same directory,
/// flushed to disk, renamed over `path`): a crash mid-write never destroys the previous file.
/// When `path` is a symbolic link, the file it points to is replaced and the link stays.
/// \throws ConfigError: the config's issues when it is invalid; io_error when writing fails.
HYPERPARAMS_INLINE void save_file(const std::filesystem::path& path, const HyperParams& hp);

/// ADL hook for `nlohmann::json j = hp;`: the canonical, complete form.
/// \throws ConfigError when `hp` is invalid.
HYPERPARAMS_INLINE void to_json(nlohmann::json& j, const HyperParams& hp);

/// ADL hook for `j.get<HyperParams>()`: the same strict rules as `parse` (no line numbers).
/// \throws ConfigError listing every issue.
HYPERPARAMS_INLINE void from_json(const nlohmann::json& j, HyperParams& hp);

// ----- the same for any described struct ------------------------------------------------------

/// A struct described with `fields(...)` from JSON text, by the rules of `parse`: every issue at
/// every depth, located. `auto run = hyperparams::parse<app::Run>(text, "run.json");`
template <class T, std::enable_if_t<detail::is_config_struct<T>, int> = 0>
[[nodiscard]] T parse(std::string_view text, std::string_view source = "<input>",
                      const LoadOptions& options = {});

/// `load_file` for a described struct: `hyperparams::load_file<app::Run>("run.json")`.
template <class T, std::enable_if_t<detail::is_config_struct<T>, int> = 0>
[[nodiscard]] T load_file(const std::filesystem::path& path, const LoadOptions& options = {});

/// `load_stream` for a described struct.
template <class T, std::enable_if_t<detail::is_config_struct<T>, int> = 0>
[[nodiscard]] T load_stream(std::istream& in, std::string_view source = "<stdin>",
                            const LoadOptions& options = {});

/// The canonical JSON text of a valid described struct (see `dump(HyperParams)`): every field,
/// in table order; map keys sorted; an empty optional as null.
/// \throws ConfigError when `value` is invalid.
template <class T, std::enable_if_t<detail::is_config_struct<T>, int> = 0>
[[nodiscard]] std::string dump(const T& value);

/// `save_file` for a described struct: atomic, and nothing invalid is written.
template <class T, std::enable_if_t<detail::is_config_struct<T>, int> = 0>
void save_file(const std::filesystem::path& path, const T& value);

} // namespace hyperparams

/// nlohmann's conversions for every described struct (`json j = run; j.get<app::Run>()`), so that
/// yours need no `to_json`/`from_json` of their own: the canonical form out (invalid values throw
/// ConfigError), the rules of `parse` in.
#ifdef NLOHMANN_JSON_NAMESPACE_BEGIN
NLOHMANN_JSON_NAMESPACE_BEGIN
#else
namespace nlohmann {
#endif
template <class T>
struct adl_serializer<T, std::enable_if_t<hyperparams::detail::is_config_struct<T>>> {
  static void to_json(nlohmann::json& j, const T& value);
  static void from_json(const nlohmann::json& j, T& value);
};
#ifdef NLOHMANN_JSON_NAMESPACE_END
NLOHMANN_JSON_NAMESPACE_END
#else
} // namespace nlohmann
#endif

#include "hyperparams/impl/json.hpp"
