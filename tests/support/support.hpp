// SPDX-License-Identifier: MIT
#pragma once
// Helpers shared by the tests.
#include <hyperparams/json.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace hptest {

/// A fresh empty directory, removed with what is in it at the end of the test.
class TempDir {
public:
  TempDir() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("hyperparams_test_" + std::to_string(std::random_device{}()) + "_" +
             std::to_string(counter++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] std::vector<std::filesystem::path> entries() const {
    std::vector<std::filesystem::path> out;
    for (const auto& entry : std::filesystem::directory_iterator(path_)) {
      out.push_back(entry.path().filename());
    }
    return out;
  }

private:
  std::filesystem::path path_;
};

/// Writes `text` to `path` (creating its directory), as bytes.
inline void write_file(const std::filesystem::path& path, const std::string& text) {
  if (path.has_parent_path()) {
    std::filesystem::create_directories(path.parent_path());
  }
  std::ofstream(path, std::ios::binary) << text;
}

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
