// SPDX-License-Identifier: MIT
// libFuzzer target for configs that build on each other: the input is two files, "BASE\n%%\nTOP"
// (TOP alone when there is no separator), written to base.json and top.json in a directory of
// this process. top.json is loaded (it may name base.json, itself, or files outside the
// directory in "$extends") as a user's struct, and both are merged as HyperParams. Accepted
// configs survive every round trip and every origin points into one of the two files; rejected
// ones carry well-formed issues, each from one of the two files.
#include "../tests/user/run_config.hpp"

#include <hyperparams/compose.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <unistd.h>

#include "fuzz_check.hpp"

namespace {

/// The directory of this process's two files, removed when it exits.
class Directory {
public:
  Directory()
      : root_(std::filesystem::temp_directory_path() /
              ("hyperparams_fuzz_layers_" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(root_ / "configs");
  }
  ~Directory() {
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
  }
  Directory(const Directory&) = delete;
  Directory& operator=(const Directory&) = delete;
  [[nodiscard]] std::filesystem::path configs() const { return root_ / "configs"; }

private:
  std::filesystem::path root_;
};

std::filesystem::path directory() {
  static const Directory dir;
  return dir.configs();
}

void write(const std::filesystem::path& path, std::string_view text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(text.data(), static_cast<std::streamsize>(text.size()));
}

template <class T>
void check(const std::vector<std::filesystem::path>& files,
           const std::vector<std::string>& sources) {
  const auto known = [&](const std::string& source) {
    for (const auto& s : sources) {
      if (source == s) {
        return true;
      }
    }
    return false;
  };
  try {
    const auto resolved = hyperparams::resolve_files<T>(files);
    fuzz::check_valid(resolved.value);
    for (const auto& v : resolved.origins) {
      if (v.origin.kind == hyperparams::Origin::Kind::file &&
          (!known(v.origin.file) || v.origin.line == 0 || v.origin.column == 0)) {
        fuzz::fail("the origin of " + v.key +
                   " is not a place in the files: " + hyperparams::to_string(v.origin));
      }
    }
  } catch (const hyperparams::ConfigError& error) {
    fuzz::check_rejection(error);
    for (const auto& issue : error.issues()) {
      if (!issue.source.empty() && !known(issue.source)) {
        fuzz::fail("an issue from " + issue.source + ", which is not one of the files");
      }
    }
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto files = fuzz::parts(input, 2);
  const std::string_view base = files.size() == 2 ? files[0] : std::string_view("{}");
  const std::string_view top = files.back();
  const auto base_path = directory() / "base.json";
  const auto top_path = directory() / "top.json";
  write(base_path, base);
  write(top_path, top);
  const std::vector<std::string> sources{base_path.string(), top_path.string()};
  check<testapp::Run>({top_path}, sources);
  check<hyperparams::HyperParams>({base_path, top_path}, sources);
  return 0;
}
