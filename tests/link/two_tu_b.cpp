// SPDX-License-Identifier: MIT
// The second translation unit of two_tu_a.cpp. It calls every function the headers declare, so
// that in compiled mode (two_translation_units_compiled) the link proves the library defines
// each one.
#include <hyperparams/diff.hpp>
#include <hyperparams/fields.hpp>
#include <hyperparams/hyperparams.hpp>
#include <hyperparams/json.hpp>
#include <hyperparams/overrides.hpp>
#include <hyperparams/schema.hpp>

#include <filesystem>
#include <random>
#include <sstream>
#include <string>
#include <vector>

std::string dump_in_b(const hyperparams::HyperParams& hp) {
  namespace h = hyperparams;
  nlohmann::json j = hp;
  const h::HyperParams back = j.get<h::HyperParams>();
  std::ostringstream printed;
  printed << back << h::SgdOptions{} << h::CosineSchedule{};
  const char* argv[] = {"prog", "epochs=3", "--flag"};
  const h::SplitArguments split = h::split_arguments(3, argv);
  const h::HyperParams changed = h::apply_overrides(back, split.overrides);
  const bool ok =
      back == hp && !(back != hp) && h::validate(hp).empty() &&
      h::learning_rate_at(hp, 0.5) > 0.0 && h::learning_rate_at_step(hp, 0, 0, 2) > 0.0 &&
      !h::to_string(hp).empty() && !printed.str().empty() && h::diff(hp, changed).size() == 1 &&
      h::fingerprint(hp).size() == 16 && h::json_schema().is_object() &&
      !h::format_issue(h::Issue{}, "x").empty() && h::detail::field_count<h::HyperParams> == 10;
  h::check(hp);
  // a name of its own: the header-only and the compiled test run at the same time
  const auto path = std::filesystem::temp_directory_path() /
                    ("hyperparams_two_tu_" + std::to_string(std::random_device{}()) + ".json");
  h::save_file(path, hp);
  std::istringstream in(h::dump(h::load_file(path)));
  std::filesystem::remove(path);
  return ok ? h::dump(h::load_stream(in)) : std::string("a call gave an unexpected result");
}
