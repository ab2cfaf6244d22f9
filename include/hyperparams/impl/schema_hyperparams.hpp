// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Definitions of the functions `<hyperparams/schema.hpp>` declares for `HyperParams`: included
/// by that header (header-only) or compiled once into the library (`HYPERPARAMS_COMPILED`). Not
/// for users.

#include "hyperparams/impl/schema.hpp"
#include "hyperparams/schema.hpp"

namespace hyperparams {

HYPERPARAMS_INLINE nlohmann::json json_schema() {
  nlohmann::json schema = detail::document_schema<HyperParams>(
      "hyperparams config", detail::schema_description(HyperParams{}));
  schema["$id"] = std::string(schema_id);
  return schema;
}

} // namespace hyperparams
