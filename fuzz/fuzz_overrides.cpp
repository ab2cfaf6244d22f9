// SPDX-License-Identifier: MIT
// libFuzzer target for apply_overrides(): each line of the input is one key=value override,
// applied to a valid base config. The result, when accepted, is valid and round-trips.
#include <hyperparams/overrides.hpp>

#include <cstdint>

#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> overrides;
  for (std::size_t start = 0; start <= text.size() && overrides.size() < 64;) {
    const auto eol = text.find('\n', start);
    overrides.emplace_back(text.substr(start, eol == std::string_view::npos ? eol : eol - start));
    if (eol == std::string_view::npos) {
      break;
    }
    start = eol + 1;
  }
  hyperparams::HyperParams base;
  base.optimizer = hyperparams::SgdOptions{0.9, 0.0, true, 1e-4};
  try {
    fuzz::check_valid(hyperparams::apply_overrides(base, overrides));
  } catch (const hyperparams::ConfigError& error) {
    fuzz::check_rejection(error);
  }
  return 0;
}
