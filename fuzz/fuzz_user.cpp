// SPDX-License-Identifier: MIT
// libFuzzer target for a user's own struct (tests/user/run_config.hpp: every member type at
// several depths): parse<Run>() with the differential round-trip check of fuzz_parse, and, when
// the input starts with "set\n", its other lines as overrides of a valid run.
#include "../tests/user/run_config.hpp"

#include <hyperparams/json.hpp>
#include <hyperparams/overrides.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    if (text.substr(0, 4) == "set\n") {
      std::vector<std::string> overrides;
      for (std::size_t at = 4; at <= text.size();) {
        const auto eol = std::min(text.find('\n', at), text.size());
        overrides.emplace_back(text.substr(at, eol - at));
        at = eol + 1;
      }
      testapp::Run base;
      base.name = "base";
      fuzz::check_valid(hyperparams::apply_overrides(base, overrides));
    } else {
      fuzz::check_valid(hyperparams::parse<testapp::Run>(text, "<fuzz>"));
    }
  } catch (const hyperparams::ConfigError& error) {
    fuzz::check_rejection(error);
  }
  return 0;
}
