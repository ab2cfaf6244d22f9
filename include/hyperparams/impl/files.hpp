// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Reading and writing config files: bounded reads with io_error and limit_exceeded issues, and
/// atomic, crash-safe writes (through symbolic links). Not for users.

#include "hyperparams/detail/text.hpp"
#include "hyperparams/hyperparams.hpp"

#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <istream>
#include <string>
#include <string_view>
#include <system_error>

#if defined(__unix__) || defined(__APPLE__)
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#define HYPERPARAMS_POSIX_FILES 1
#endif

namespace hyperparams::detail {

[[noreturn]] inline void throw_issue(std::string source, std::string path, IssueCode code,
                                     std::string message) {
  throw ConfigError({Issue{std::move(path), code, std::move(message), 0, 0}}, std::move(source));
}

/// Reads a stream to its end, refusing more than `max_bytes` (limit_exceeded) before reading it
/// all; io_error when reading fails.
inline std::string read_limited(std::istream& in, std::size_t max_bytes,
                                const std::string& source) {
  std::string text;
  char buffer[16384];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_bytes) {
      throw_issue(source, "", IssueCode::limit_exceeded,
                  quote(source) + " is larger than the limit of " + std::to_string(max_bytes) +
                      " bytes");
    }
  }
  if (in.bad()) {
    throw_issue(source, "", IssueCode::io_error, "error while reading " + quote(source));
  }
  return text;
}

/// Reads a whole file (at most `max_bytes + 1` bytes); io_error or limit_exceeded otherwise.
inline std::string read_file(const std::filesystem::path& path, std::size_t max_bytes) {
  const std::string source = path.string();
  // Open first and ask the file system only when something fails (a stat costs as much as
  // parsing a small config): the messages say why.
  const auto directory = [&] {
    std::error_code ec;
    return std::filesystem::is_directory(path, ec);
  };
  const auto directory_issue = [&] {
    throw_issue(source, "", IssueCode::io_error,
                "cannot read " + quote(source) + ": it is a directory");
  };
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int error = errno;
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      throw_issue(source, "", IssueCode::io_error,
                  "cannot read " + quote(source) + ": no such file");
    }
    if (directory()) {
      directory_issue();
    }
    throw_issue(source, "", IssueCode::io_error,
                "cannot open " + quote(source) + ": " +
                    (error != 0 ? std::strerror(error) : "permission denied or unreadable"));
  }
  std::string text;
  try {
    text = read_limited(in, max_bytes, source);
  } catch (const ConfigError&) {
    if (directory()) { // opening a directory succeeds; reading it fails
      directory_issue();
    }
    throw;
  }
  if (text.empty() && directory()) {
    directory_issue();
  }
  return text;
}

/// A name for a temporary file that no other writer (thread or process) picks.
inline std::string temporary_name(const std::filesystem::path& target) {
  static std::atomic<unsigned long long> counter{0};
  const auto ticks =
      static_cast<unsigned long long>(std::chrono::steady_clock::now().time_since_epoch().count());
  unsigned long long pid = 0;
#ifdef HYPERPARAMS_POSIX_FILES
  pid = static_cast<unsigned long long>(::getpid());
#endif
  return "." + target.filename().string() + ".tmp." + std::to_string(pid) + "." +
         std::to_string(ticks % 1000000007ULL) + "." + std::to_string(counter++);
}

/// The file that writing to `path` writes: `path` itself, or where its chain of symbolic links
/// ends (a relative link is relative to the link's directory), which need not exist yet.
inline std::filesystem::path link_target(const std::filesystem::path& path,
                                         const std::string& source) {
  std::filesystem::path file = path;
  for (int hops = 0; hops <= 40; ++hops) { // 40 links are followed, as by the kernel (ELOOP)
    std::error_code ec;
    if (!std::filesystem::is_symlink(std::filesystem::symlink_status(file, ec))) {
      return file;
    }
    const std::filesystem::path link = std::filesystem::read_symlink(file, ec);
    if (ec) {
      throw_issue(source, "", IssueCode::io_error,
                  "cannot write " + quote(source) + ": cannot read the symbolic link " +
                      quote(file.string()) + ": " + ec.message());
    }
    file = link.is_absolute() ? link : file.parent_path() / link;
  }
  throw_issue(source, "", IssueCode::io_error,
              "cannot write " + quote(source) + ": too many levels of symbolic links");
}

/// Writes `data` to `path` atomically: a temporary file in the same directory, flushed to
/// disk, then renamed over the file. The previous file survives a crash at any point; on
/// failure the temporary file is removed and the file is untouched. A symbolic link stays a
/// link: the file it points to is replaced, with a temporary file in that file's directory.
inline void atomic_write(const std::filesystem::path& path, std::string_view data) {
  const std::string source = path.string();
  const std::filesystem::path target = link_target(path, source);
  const std::filesystem::path directory =
      target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  std::filesystem::path temporary;
#ifdef HYPERPARAMS_POSIX_FILES
  int fd = -1;
  for (int attempt = 0; attempt < 16 && fd < 0; ++attempt) {
    temporary = directory / temporary_name(target);
    fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) {
      break;
    }
  }
  if (fd < 0) {
    throw_issue(source, "", IssueCode::io_error,
                "cannot write " + quote(source) + ": cannot create a file in " +
                    quote(directory.string()) + ": " + std::strerror(errno));
  }
  struct stat existing {};
  if (::stat(target.c_str(), &existing) == 0 && S_ISREG(existing.st_mode)) {
    (void)::fchmod(fd, existing.st_mode & 07777); // keep the permissions of the file replaced
  }
  auto fail_with = [&](const char* what, int error) {
    ::close(fd);
    ::unlink(temporary.c_str());
    throw_issue(source, "", IssueCode::io_error,
                "cannot write " + quote(source) + ": " + what + ": " + std::strerror(error));
  };
  std::size_t written = 0;
  while (written < data.size()) {
    const auto n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      fail_with("write failed", errno);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    fail_with("fsync failed", errno);
  }
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    throw_issue(source, "", IssueCode::io_error,
                "cannot write " + quote(source) + ": close failed: " + std::strerror(error));
  }
  if (::rename(temporary.c_str(), target.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    throw_issue(source, "", IssueCode::io_error,
                "cannot replace " + quote(source) + ": " + std::strerror(error));
  }
  // Make the rename itself durable. The new file is in place whatever this returns; file systems
  // that cannot sync a directory (EINVAL) lose nothing here.
  const int dir_fd = ::open(directory.c_str(), O_RDONLY | O_CLOEXEC);
  if (dir_fd >= 0) {
    (void)::fsync(dir_fd);
    ::close(dir_fd);
  }
#else
  temporary = directory / temporary_name(target);
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) {
      throw_issue(source, "", IssueCode::io_error,
                  "cannot write " + quote(source) + ": cannot create a file in " +
                      quote(directory.string()));
    }
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    out.flush();
    if (!out) {
      out.close();
      std::error_code ignored;
      std::filesystem::remove(temporary, ignored);
      throw_issue(source, "", IssueCode::io_error, "cannot write " + quote(source));
    }
  }
  std::error_code ec;
  std::filesystem::rename(temporary, target, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw_issue(source, "", IssueCode::io_error,
                "cannot replace " + quote(source) + ": " + ec.message());
  }
#endif
}

} // namespace hyperparams::detail
