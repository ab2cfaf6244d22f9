// SPDX-License-Identifier: MIT
// With two_tu_b.cpp: every header included by two translation units of one program. A function
// defined in a header without `inline` (or a non-inline variable) is a duplicate symbol here.
#include <hyperparams/diff.hpp>
#include <hyperparams/fields.hpp>
#include <hyperparams/hyperparams.hpp>
#include <hyperparams/json.hpp>
#include <hyperparams/overrides.hpp>
#include <hyperparams/schema.hpp>
#include <hyperparams/version.hpp>

#include <iostream>
#include <string>

std::string dump_in_b(const hyperparams::HyperParams& hp);

int main() {
  hyperparams::HyperParams hp = hyperparams::parse(R"({"layers": 1, "neurons": [8]})");
  const std::string a = hyperparams::dump(hp);
  const std::string b = dump_in_b(hp);
  if (a != b) {
    std::cerr << "the two translation units disagree:\n" << a << "\n" << b << "\n";
    return 1;
  }
  std::cout << "two translation units agree (hyperparams " << HYPERPARAMS_VERSION_STRING << ")\n";
  return 0;
}
