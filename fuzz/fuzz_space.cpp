// SPDX-License-Identifier: MIT
// libFuzzer target for search spaces over HyperParams: parse_space() either refuses the input
// with located issues or gives a space whose trials (the first, the last and one between) are
// valid configs or refused by the rules between fields; never a crash, a hang or a leak.
#include <hyperparams/hyperparams.hpp>
#include <hyperparams/search.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // a base file is read from disk: the fuzzer would only find the files of this machine
  const auto dom = nlohmann::json::parse(text, nullptr, false);
  if (dom.is_object() && dom.contains("base") && dom["base"].is_string()) {
    return 0;
  }
  try {
    const auto space = hyperparams::search::parse_space<hyperparams::HyperParams>(text, "<fuzz>");
    const std::uint64_t n = space.size();
    for (const std::uint64_t i : {std::uint64_t{0}, n / 2, n - 1}) {
      if (i >= n) {
        continue;
      }
      try {
        fuzz::check_valid(space.at(i).config);
      } catch (const hyperparams::ConfigError& error) { // a rule between fields
        fuzz::check_rejection(error);
      }
    }
  } catch (const hyperparams::ConfigError& error) {
    fuzz::check_rejection(error);
  }
  return 0;
}
