// SPDX-License-Identifier: MIT
#pragma once
// Helpers shared by the tests.
#include <hyperparams/json.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace hptest {

/// The issues `parse` reports for `text` (empty when it loads).
inline std::vector<hyperparams::Issue> issues_of(std::string_view text,
                                                 const hyperparams::LoadOptions& options = {}) {
  try {
    (void)hyperparams::parse(text, "<test>", options);
  } catch (const hyperparams::ConfigError& e) {
    return e.issues();
  }
  return {};
}

/// Whether some issue has this path and code.
inline bool has_issue(const std::vector<hyperparams::Issue>& issues, std::string_view path,
                      hyperparams::IssueCode code) {
  for (const auto& issue : issues) {
    if (issue.path == path && issue.code == code) {
      return true;
    }
  }
  return false;
}

/// All issues rendered as diagnostic lines, for INFO().
inline std::string render(const std::vector<hyperparams::Issue>& issues) {
  std::string out;
  for (const auto& issue : issues) {
    out += hyperparams::format_issue(issue, "<test>") + "\n";
  }
  return out;
}

inline std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline std::string data_path(const std::string& relative) {
  return std::string(HYPERPARAMS_TEST_DATA) + "/" + relative;
}

/// Every line of a JSON Lines file of the test data, parsed (blank lines are skipped).
/// \throws std::runtime_error when it cannot be read, nlohmann's parse_error for a bad line.
inline std::vector<nlohmann::json> read_jsonl(const std::string& relative) {
  std::ifstream in(data_path(relative), std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + data_path(relative));
  }
  std::vector<nlohmann::json> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") != std::string::npos) {
      out.push_back(nlohmann::json::parse(line));
    }
  }
  return out;
}

} // namespace hptest
