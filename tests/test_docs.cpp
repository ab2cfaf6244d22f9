// SPDX-License-Identifier: MIT
// The README's table of fields must say what the field table says: name, default, constraint
// and the one-line doc, for every field and no other.
#include <hyperparams/fields.hpp>
#include <hyperparams/json.hpp>

#include "catch_compat.hpp"
#include "support.hpp"

#include <map>

namespace {

std::vector<std::string> cells(const std::string& row) {
  std::vector<std::string> out;
  std::size_t start = row.find('|') + 1;
  for (std::size_t bar = row.find('|', start); bar != std::string::npos;
       start = bar + 1, bar = row.find('|', start)) {
    std::string cell = row.substr(start, bar - start);
    cell.erase(0, cell.find_first_not_of(' '));
    cell.erase(cell.find_last_not_of(' ') + 1);
    out.push_back(cell);
  }
  return out;
}

template <class T>
std::string default_text(const T& value) {
  using namespace hyperparams::detail;
  if constexpr (is_options_variant<T>::value) {
    return "\"" + std::string(enum_to_string(kind_of(value))) + "\"";
  } else {
    return to_json_text(value, false);
  }
}

} // namespace

TEST_CASE("the README documents every field as the field table does", "[docs]") {
  const std::string readme = hptest::read_bytes(HYPERPARAMS_README);
  const auto begin = readme.find("<!-- fields:begin");
  const auto end = readme.find("<!-- fields:end -->");
  REQUIRE(begin != std::string::npos);
  REQUIRE(end != std::string::npos);
  std::map<std::string, std::vector<std::string>> rows;
  std::size_t at = readme.find('\n', begin) + 1;
  while (at < end) {
    const auto eol = readme.find('\n', at);
    const std::string line = readme.substr(at, eol - at);
    at = eol + 1;
    if (line.rfind("| `", 0) == 0) {
      const auto row = cells(line);
      rows[row.at(0).substr(1, row.at(0).size() - 2)] = row;
    }
  }
  const hyperparams::HyperParams defaults;
  std::size_t fields = 0;
  hyperparams::detail::for_each_field<hyperparams::HyperParams>([&](const auto& fld) {
    ++fields;
    const std::string name(fld.name);
    INFO("field " << name);
    REQUIRE(rows.count(name) == 1);
    const auto& row = rows.at(name);
    REQUIRE(row.size() == 5);
    CHECK(row[2] == "`" + default_text(defaults.*fld.member) + "`");
    if (row[3] != "see below") {
      using T = hyperparams::detail::member_t<decltype(fld)>;
      CHECK(row[3] ==
            hyperparams::detail::bounds_text(hyperparams::detail::effective_range<T>(fld.range)));
    }
    CHECK(row[4] == fld.doc);
  });
  CHECK(rows.size() == fields);
}
