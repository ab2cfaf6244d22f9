// SPDX-License-Identifier: MIT
// Must not compile: a member type no description covers is an error that says so (the test
// checks the message), never a silent skip.
#include <hyperparams/json.hpp>

#include <set>

namespace app {
struct Config {
  std::set<int> ids; // no description for std::set
};
constexpr auto describe(hyperparams::type<Config>) {
  return hyperparams::fields(hyperparams::field("ids", &Config::ids, "Ids."));
}
} // namespace app

int main() {
  return static_cast<int>(hyperparams::parse<app::Config>("{}").ids.size());
}
