// SPDX-License-Identifier: MIT
// libFuzzer target for parse(), and a differential check: every accepted input round-trips
// (parse(dump(x)) == x, dump is a fixed point, the DOM agrees), every rejected input yields
// ConfigError with at least one well-formed issue, and no other exception escapes.
//
// The first line, when it starts with '/', is used as the JSON pointer of the config, so the
// fuzzer also explores configs inside larger documents.
#include <hyperparams/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <iostream>

#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  hyperparams::LoadOptions options;
  if (!text.empty() && text.front() == '/') {
    const auto eol = text.find('\n');
    if (eol != std::string_view::npos) {
      options.pointer = std::string(text.substr(0, eol));
      text.remove_prefix(eol + 1);
    }
  }
  try {
    const hyperparams::HyperParams hp = hyperparams::parse(text, "<fuzz>", options);
    fuzz::check_valid(hp);
  } catch (const hyperparams::ConfigError& error) {
    fuzz::check_rejection(error);
  }
  return 0;
}
