// SPDX-License-Identifier: MIT
// export_spaces DIR: writes the W&B, Katib and Optuna exports of a few search spaces to
// DIR/CASE.ENGINE.json, each {"document": ..., "warnings": [...]} or {"error": "..."}, for
// check_exports.py to validate against the engines' published schemas and Katib's webhook rules.
#include "export_cases.hpp"

#include <fstream>
#include <iostream>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: export_spaces DIR\n";
    return 2;
  }
  using namespace hyperparams::search;
  const std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir);
  using Exporter = Exported (*)(const SpaceSpec&, const ExportOptions&);
  const std::pair<const char*, Exporter> engines[] = {
      {"wandb", export_wandb}, {"katib", export_katib}, {"optuna", export_optuna}};
  for (const auto& c : export_cases::all()) {
    for (const auto& [engine, exporter] : engines) {
      nlohmann::json result;
      try {
        Exported e = exporter(c.space, c.options);
        result["document"] = e.document;
        result["warnings"] = nlohmann::json::array();
        for (const auto& w : e.warnings) {
          result["warnings"].push_back(
              {{"code", w.code}, {"path", w.path}, {"message", w.message}});
        }
      } catch (const std::invalid_argument& error) {
        result = {{"error", error.what()}};
      }
      std::ofstream out(dir / (c.name + "." + engine + ".json"));
      out << result.dump(2) << '\n';
      if (!out) {
        std::cerr << "export_spaces: cannot write to " << dir << '\n';
        return 1;
      }
    }
  }
  return 0;
}
