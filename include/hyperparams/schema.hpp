// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The JSON Schema (draft 2020-12) of the config format, generated from the field table: types,
/// bounds, names (case-insensitive, with aliases), defaults, descriptions, options per optimizer,
/// and the nesterov rule. Editors use it for completion and red squiggles; `hparams schema`
/// prints it.
///
/// The rules between fields are expressed against the defaults of the fields a file leaves
/// out. What a schema cannot express, the loader still checks: duplicate keys, the rules between
/// two fields the file gives (`neurons` lists `layers` widths, the warmup is shorter than
/// `epochs`, cosine's `min_lr` is at most `learning_rate`), number texts that a double would
/// round (`32.0000000000000001` is not an integer, `1e-400` is not 0) and the size limit. The
/// schema's `description` and the README list them.

#include "hyperparams/json.hpp"

#include <string>

namespace hyperparams {

/// The address the schema names itself by (`$id`).
inline constexpr std::string_view schema_id =
    "https://hyperparams.dev/schema/hyperparams.schema.json";

/// The JSON Schema (draft 2020-12) of a config file, generated from the field table.
/// Example: `std::cout << hyperparams::json_schema().dump(2);`
[[nodiscard]] HYPERPARAMS_INLINE nlohmann::json json_schema();

/// The JSON Schema of a struct described with `fields(...)`: every field with its type, bounds,
/// default and description, `required` keys, and no other key. The rules of a description are
/// code, which a schema cannot hold: the loader checks them.
/// Example: `std::cout << hyperparams::json_schema<app::Run>().dump(2);`
template <class T, std::enable_if_t<detail::is_config_struct<T>, int> = 0>
[[nodiscard]] nlohmann::json json_schema();

} // namespace hyperparams

#include "hyperparams/impl/schema.hpp"
