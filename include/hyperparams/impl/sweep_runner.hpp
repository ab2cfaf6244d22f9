// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// What `<hyperparams/sweep.hpp>` declares: result files, metric lines, leaderboards, and the
/// POSIX runner (fork/execvp, one pipe each for stdout and stderr, poll, waitpid). Not for users.

#include "hyperparams/impl/files.hpp"
#include "hyperparams/sweep.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <locale>
#include <memory>
#include <mutex>
#include <ostream>
#include <set>
#include <sstream>
#include <system_error>

#if defined(__unix__) || defined(__APPLE__)
#define HYPERPARAMS_SWEEP_POSIX 1
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/prctl.h>
#endif
#endif

namespace hyperparams::sweep {

namespace detail {
using hyperparams::detail::atomic_write;
using hyperparams::detail::quote;
using Json = nlohmann::ordered_json;

inline bool name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '/' ||
         c == '-';
}
inline bool separator(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' || c == ',' || c == ';';
}
inline bool digit(char c) {
  return c >= '0' && c <= '9';
}

/// The length of the decimal number at the start of `text` (`[+-]?(\d+(\.\d*)?|\.\d+)
/// ([eE][+-]?\d+)?`), or 0.
inline std::size_t number_length(std::string_view text) {
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    ++i;
  }
  std::size_t digits = 0;
  while (i < text.size() && digit(text[i])) {
    ++i, ++digits;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && digit(text[i])) {
      ++i, ++digits;
    }
  }
  if (digits == 0) {
    return 0;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    std::size_t j = i + 1;
    if (j < text.size() && (text[j] == '+' || text[j] == '-')) {
      ++j;
    }
    if (j < text.size() && digit(text[j])) {
      while (j < text.size() && digit(text[j])) {
        ++j;
      }
      i = j;
    }
  }
  return i;
}

/// A number the grammar accepted, read whatever the global locale is; none when not finite.
inline std::optional<double> read_number(std::string_view text) {
  std::istringstream in{std::string(text)};
  in.imbue(std::locale::classic());
  double value = 0.0;
  in >> value;
  if (in.fail() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

/// A number for tables and progress lines: 6 significant digits.
inline std::string short_number(double value) {
  char buffer[32];
  const auto end =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general, 6);
  return std::string(buffer, static_cast<std::size_t>(end.ptr - buffer));
}

inline Status status_from(std::string_view name, std::string_view source) {
  for (const Status s : {Status::ok, Status::exit, Status::signal, Status::not_started,
                         Status::no_metric, Status::invalid}) {
    if (to_string(s) == name) {
      return s;
    }
  }
  throw SweepError(std::string(source) + ": unknown status " + quote(name));
}

/// How deep result files (and the runs a report reads) may nest: their values are written back
/// out, recursively, so a hostile file must not nest without end.
inline constexpr int max_json_depth = 64;

/// `text` parsed, or a discarded value when it is not JSON or nests deeper than max_json_depth
/// (`too_deep` says which). The parser itself does not recurse, and drops what is too deep.
template <class J>
J parse_bounded(std::string_view text, bool& too_deep) {
  too_deep = false;
  J j = J::parse(
      text,
      [&too_deep](int depth, typename J::parse_event_t, J&) {
        too_deep = too_deep || depth > max_json_depth;
        return !too_deep;
      },
      false);
  return too_deep ? J(J::value_t::discarded) : j;
}

/// The same, but text that is not JSON throws nlohmann's parse_error (which says where it stops
/// being JSON); only a value too deep is returned discarded.
template <class J>
J parse_bounded_or_throw(std::string_view text, bool& too_deep) {
  J j = parse_bounded<J>(text, too_deep);
  if (!too_deep && j.is_discarded()) {
    const J again = J::parse(text); // throws
    static_cast<void>(again);
  }
  return j;
}

/// JSON text as a value for a result file: the value, or the text as a string when it is not
/// JSON (a caller's mistake that should not lose the result).
inline Json json_value(const std::string& text) {
  try {
    return Json::parse(text);
  } catch (const nlohmann::json::exception&) {
    return text;
  }
}

/// The index of a result file's name, `trial-<digits>.json`, or none.
inline std::optional<std::uint64_t> result_index(const std::string& name,
                                                 std::string_view suffix = ".json") {
  constexpr std::string_view prefix = "trial-";
  if (name.size() <= prefix.size() + suffix.size() || name.compare(0, prefix.size(), prefix) != 0 ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return std::nullopt;
  }
  const std::string_view digits(name.data() + prefix.size(),
                                name.size() - prefix.size() - suffix.size());
  std::uint64_t index = 0;
  const auto end = std::from_chars(digits.data(), digits.data() + digits.size(), index);
  if (end.ec != std::errc() || end.ptr != digits.data() + digits.size() ||
      !std::all_of(digits.begin(), digits.end(), digit)) {
    return std::nullopt;
  }
  return index;
}

/// A small file's content, or none when it does not exist (or cannot be read).
inline std::optional<std::string> read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void replace_all(std::string& text, std::string_view from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

/// Rows as columns padded to their widest cell, two spaces apart (the first row a header).
inline std::string text_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (std::size_t c = 0; c < row.size(); ++c) {
      widths[c] = std::max(widths[c], row[c].size());
    }
  }
  std::string text;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) {
        line.append(widths[c] - row[c].size() + 2, ' ');
      }
    }
    text += line + "\n";
  }
  return text;
}

/// A value for a table cell: at most 32 bytes, on one line.
inline std::string cell(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  if (text.size() > 32) {
    text = hyperparams::detail::truncate_utf8(text, 31); // and "…"
  }
  return text;
}

/// A file name for a message, whole (`quote` cuts long ones).
inline std::string quote_path(const std::filesystem::path& path) {
  return "\"" + path.string() + "\"";
}

inline std::string failure_line(const TrialResult& r) {
  return "failed: " + (r.error.empty() ? std::string(to_string(r.status)) : r.error);
}

} // namespace detail

// ----- results ---------------------------------------------------------------------------------

inline std::optional<double> TrialResult::metric(const std::string& name) const {
  const auto found = metrics.find(name);
  if (found == metrics.end()) {
    return std::nullopt;
  }
  return found->second;
}

inline std::size_t Report::ran() const {
  return static_cast<std::size_t>(std::count_if(results.begin(), results.end(),
                                                [](const TrialResult& r) { return !r.skipped; }));
}
inline std::size_t Report::failed() const {
  return static_cast<std::size_t>(
      std::count_if(results.begin(), results.end(), [](const TrialResult& r) { return !r.ok(); }));
}
inline std::size_t Report::skipped() const {
  return results.size() - ran();
}

inline std::string_view to_string(Status status) {
  switch (status) {
  case Status::ok:
    return "ok";
  case Status::exit:
    return "exit";
  case Status::signal:
    return "signal";
  case Status::not_started:
    return "not_started";
  case Status::no_metric:
    return "no_metric";
  case Status::invalid:
    return "invalid";
  }
  return "invalid";
}

inline std::string trial_stem(std::uint64_t index) {
  std::string digits = std::to_string(index);
  if (digits.size() < 6) {
    digits.insert(0, 6 - digits.size(), '0');
  }
  return "trial-" + digits;
}

inline std::vector<std::pair<std::string, double>> parse_metric_line(std::string_view line) {
  using namespace detail;
  std::vector<std::pair<std::string, double>> pairs;
  std::size_t i = 0;
  while (i < line.size()) {
    if ((i > 0 && !separator(line[i - 1])) || !name_char(line[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < line.size() && name_char(line[j])) {
      ++j;
    }
    const std::string_view name = line.substr(i, j - i);
    while (j < line.size() && (line[j] == ' ' || line[j] == '\t')) {
      ++j;
    }
    if (j < line.size() && line[j] == '=') {
      ++j;
      while (j < line.size() && (line[j] == ' ' || line[j] == '\t')) {
        ++j;
      }
      const std::size_t length = number_length(line.substr(j));
      const std::size_t end = j + length;
      if (length > 0 && (end == line.size() || separator(line[end]))) {
        if (const auto value = read_number(line.substr(j, length))) {
          pairs.emplace_back(std::string(name), *value);
          i = end;
          continue;
        }
      }
    }
    ++i;
  }
  return pairs;
}

inline std::string result_json(const TrialResult& r) {
  using detail::Json;
  Json j;
  j["trial"] = r.index;
  j["fingerprint"] = r.fingerprint;
  j["status"] = std::string(to_string(r.status));
  if (r.exit_code >= 0) {
    j["exit_code"] = r.exit_code;
  }
  if (r.signal != 0) {
    j["signal"] = r.signal;
  }
  if (!r.error.empty()) {
    j["error"] = r.error;
  }
  j["seconds"] = r.seconds;
  j["metrics"] = Json::object();
  for (const auto& [name, value] : r.metrics) {
    j["metrics"][name] = value;
  }
  j["varied"] = Json::object();
  for (const auto& [path, value] : r.varied) {
    j["varied"][path] = detail::json_value(value);
  }
  j["command"] = r.command;
  j["config"] = r.config_json.empty() ? Json() : detail::json_value(r.config_json);
  j["log_dropped"] = r.log_dropped;
  j["log"] = r.log;
  // A log is bytes: what is not UTF-8 becomes U+FFFD rather than failing the result.
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

inline TrialResult parse_result(std::string_view json, std::string_view source, bool with_log) {
  using detail::Json;
  TrialResult r;
  try {
    bool too_deep = false;
    const Json j = detail::parse_bounded_or_throw<Json>(json, too_deep);
    if (too_deep) {
      throw SweepError(std::string(source) + ": not a trial result: nested deeper than " +
                       std::to_string(detail::max_json_depth));
    }
    r.index = j.at("trial").get<std::uint64_t>();
    r.fingerprint = j.at("fingerprint").get<std::string>();
    r.status = detail::status_from(j.at("status").get<std::string>(), source);
    r.exit_code = j.value("exit_code", -1);
    r.signal = j.value("signal", 0);
    r.error = j.value("error", std::string());
    r.seconds = j.value("seconds", 0.0);
    for (const auto& [name, value] : j.at("metrics").items()) {
      r.metrics[name] = value.get<double>();
    }
    const Json varied = j.value("varied", Json::object()); // held: items() refers to it
    for (const auto& [path, value] : varied.items()) {
      r.varied.emplace_back(path, value.dump());
    }
    r.command = j.value("command", std::vector<std::string>());
    const Json& config = j.at("config");
    r.config_json = config.is_null() ? std::string() : config.dump(2);
    r.log_dropped = j.value("log_dropped", std::uint64_t{0});
    if (with_log) {
      r.log = j.value("log", std::string());
    }
  } catch (const nlohmann::json::exception& e) {
    throw SweepError(std::string(source) + ": not a trial result: " + e.what());
  }
  return r;
}

inline std::vector<TrialResult> read_results(const std::filesystem::path& out, bool with_logs) {
  return read_results(out, with_logs, [](const SweepError& error) { throw error; });
}

inline std::vector<TrialResult> read_results(const std::filesystem::path& out, bool with_logs,
                                             const std::function<void(const SweepError&)>& on_bad) {
  std::vector<TrialResult> results;
  std::error_code ec;
  std::filesystem::directory_iterator it(out, ec);
  if (ec) {
    throw SweepError("cannot read the results directory " + detail::quote_path(out) + ": " +
                     ec.message());
  }
  for (const auto& entry : it) {
    const auto index = detail::result_index(entry.path().filename().string());
    if (!index) {
      continue;
    }
    const auto text = detail::read_text(entry.path());
    if (!text) {
      continue; // removed meanwhile
    }
    try {
      results.push_back(parse_result(*text, entry.path().string(), with_logs));
    } catch (const SweepError& error) {
      on_bad(error);
    }
  }
  std::sort(results.begin(), results.end(),
            [](const TrialResult& a, const TrialResult& b) { return a.index < b.index; });
  return results;
}

inline const TrialResult* best(const std::vector<TrialResult>& results, const std::string& metric,
                               bool maximize) {
  const TrialResult* top = nullptr;
  for (const auto& r : results) {
    const auto value = r.metric(metric);
    if (!r.ok() || !value) {
      continue;
    }
    const double held = top == nullptr ? 0.0 : *top->metric(metric);
    if (top == nullptr || (maximize ? *value > held : *value < held) ||
        (*value == held && r.index < top->index)) {
      top = &r;
    }
  }
  return top;
}

inline std::string leaderboard(const std::vector<TrialResult>& results, const std::string& metric,
                               bool maximize, std::size_t top) {
  std::vector<const TrialResult*> ranked;
  std::vector<const TrialResult*> failed;
  std::set<std::string> paths;
  for (const auto& r : results) {
    (r.ok() && r.metric(metric) ? ranked : failed).push_back(&r);
    for (const auto& [path, value] : r.varied) {
      paths.insert(path);
    }
  }
  std::stable_sort(ranked.begin(), ranked.end(), [&](const TrialResult* a, const TrialResult* b) {
    const double x = *a->metric(metric);
    const double y = *b->metric(metric);
    return x != y ? (maximize ? x > y : x < y) : a->index < b->index;
  });
  std::stable_sort(failed.begin(), failed.end(),
                   [](const TrialResult* a, const TrialResult* b) { return a->index < b->index; });
  const std::size_t shown = top > 0 && top < ranked.size() ? top : ranked.size();

  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header{"rank", "trial", "fingerprint"};
  header.insert(header.end(), paths.begin(), paths.end());
  header.push_back(metric);
  rows.push_back(header);
  const auto row_of = [&](const TrialResult& r, std::string rank, std::string last) {
    std::vector<std::string> row{std::move(rank), std::to_string(r.index),
                                 r.fingerprint.substr(0, 12)};
    for (const auto& path : paths) {
      const auto found = std::find_if(r.varied.begin(), r.varied.end(),
                                      [&](const auto& v) { return v.first == path; });
      row.push_back(found == r.varied.end() ? "-" : detail::cell(found->second));
    }
    row.push_back(std::move(last));
    return row;
  };
  for (std::size_t i = 0; i < shown; ++i) {
    rows.push_back(row_of(*ranked[i], std::to_string(i + 1),
                          detail::short_number(*ranked[i]->metric(metric))));
  }
  for (const TrialResult* r : failed) {
    rows.push_back(row_of(
        *r, "-", r->ok() ? "printed no " + detail::quote(metric) : detail::failure_line(*r)));
  }
  std::string text = detail::text_table(rows);
  if (shown < ranked.size()) {
    text += "(" + std::to_string(ranked.size() - shown) + " more ranked trials not shown)\n";
  }
  return text;
}

inline std::optional<TrialResult> save_best(const std::filesystem::path& out,
                                            const std::vector<TrialResult>& results,
                                            const std::string& metric, bool maximize) {
  const TrialResult* top = best(results, metric, maximize);
  if (top == nullptr) {
    return std::nullopt;
  }
  try {
    detail::atomic_write(out / "best.json", top->config_json + "\n");
  } catch (const ConfigError& e) {
    throw SweepError(e.what());
  }
  return *top;
}

// ----- the runner -------------------------------------------------------------------------------

#ifdef HYPERPARAMS_SWEEP_POSIX

namespace detail {

inline std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') {
    return "localhost";
  }
  for (char* c = name; *c != '\0'; ++c) {
    if (std::isspace(static_cast<unsigned char>(*c)) != 0) {
      *c = '_'; // the lock file is "pid host": one word each
    }
  }
  return name;
}

inline std::string signal_name(int number) {
  switch (number) {
  case SIGHUP:
    return "SIGHUP";
  case SIGINT:
    return "SIGINT";
  case SIGQUIT:
    return "SIGQUIT";
  case SIGILL:
    return "SIGILL";
  case SIGABRT:
    return "SIGABRT";
  case SIGFPE:
    return "SIGFPE";
  case SIGKILL:
    return "SIGKILL";
  case SIGSEGV:
    return "SIGSEGV";
  case SIGPIPE:
    return "SIGPIPE";
  case SIGALRM:
    return "SIGALRM";
  case SIGTERM:
    return "SIGTERM";
  case SIGBUS:
    return "SIGBUS";
  case SIGUSR1:
    return "SIGUSR1";
  case SIGUSR2:
    return "SIGUSR2";
  default:
    return "signal " + std::to_string(number);
  }
}

[[noreturn]] inline void fail_system(const std::string& what, int error) {
  throw SweepError(what + ": " + std::strerror(error));
}

/// Creates `path` only when it does not exist (O_EXCL) and writes `content`: false when it
/// exists.
inline bool create_exclusive(const std::filesystem::path& path, const std::string& content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    if (errno == EEXIST) {
      return false;
    }
    fail_system("cannot create " + quote_path(path), errno);
  }
  std::size_t written = 0;
  while (written < content.size()) {
    const auto n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      ::unlink(path.c_str());
      fail_system("cannot write " + quote_path(path), error);
    }
    written += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return true;
}

/// Whether process `pid` of this host is gone: `kill(pid, 0)` fails with ESRCH, or (Linux) it
/// is a zombie no one has reaped yet. This process is never gone.
inline bool process_gone(long pid) {
  if (pid <= 0 || pid == static_cast<long>(::getpid())) {
    return false;
  }
  if (::kill(static_cast<pid_t>(pid), 0) != 0) {
    return errno == ESRCH;
  }
#if defined(__linux__)
  if (const auto stat = read_text("/proc/" + std::to_string(pid) + "/stat")) {
    const auto paren = stat->rfind(')');
    if (paren != std::string::npos && paren + 2 < stat->size()) {
      const char state = (*stat)[paren + 2];
      return state == 'Z' || state == 'X';
    }
  }
#endif
  return false;
}

/// Whether a lock file's content ("pid host") names a process of this host that is gone. A
/// lock of another host, or one that is not (yet) "pid host", is held.
inline bool stale(const std::string& lock, const std::string& host) {
  std::istringstream in(lock);
  long pid = 0;
  std::string holder;
  if (!(in >> pid >> holder)) {
    return false;
  }
  return holder == host && process_gone(pid);
}

/// Claims a trial by creating its lock file; false when a live sweep holds it (`holder`: its
/// lock's content). A stale lock is removed under a second O_EXCL file (`.break`), so that of
/// two sweeps that find it stale at once only one removes it, never the new lock of the other.
inline bool claim(const std::filesystem::path& lock, const std::string& self,
                  const std::string& host, std::string& holder) {
  std::filesystem::path breaker = lock;
  breaker += ".break";
  for (int attempt = 0; attempt < 8; ++attempt) {
    if (create_exclusive(lock, self)) {
      return true;
    }
    const auto held = read_text(lock);
    if (!held) {
      continue; // released meanwhile
    }
    if (!stale(*held, host)) {
      holder = *held;
      while (!holder.empty() && std::isspace(static_cast<unsigned char>(holder.back())) != 0) {
        holder.pop_back();
      }
      return false;
    }
    if (!create_exclusive(breaker, self)) {
      const auto other = read_text(breaker);
      if (other && stale(*other, host)) {
        ::unlink(breaker.c_str()); // its sweep died while reclaiming
      }
      continue;
    }
    if (read_text(lock) == held) {
      ::unlink(lock.c_str());
    }
    ::unlink(breaker.c_str());
  }
  holder = "another sweep";
  return false;
}

/// SIGINT and SIGTERM while some `run` handles them: the first signal, for every runner.
inline std::atomic<int>& stop_request() {
  static std::atomic<int> signal{0};
  return signal;
}

inline void on_stop_signal(int number) {
  int expected = 0;
  stop_request().compare_exchange_strong(expected, number);
}

/// Installs the handlers of SIGINT and SIGTERM for its lifetime (counted: runners in several
/// threads share them; the last one restores what was there).
class SignalScope {
public:
  explicit SignalScope(bool on) : on_(on) {
    if (!on_) {
      return;
    }
    State& s = state();
    const std::lock_guard<std::mutex> lock(s.mutex);
    if (s.count++ == 0) {
      stop_request().store(0);
      struct sigaction action {};
      action.sa_handler = on_stop_signal;
      sigemptyset(&action.sa_mask);
      action.sa_flags = 0; // no SA_RESTART: poll returns at once
      ::sigaction(SIGINT, &action, &s.old_int);
      ::sigaction(SIGTERM, &action, &s.old_term);
    }
  }
  ~SignalScope() {
    if (!on_) {
      return;
    }
    State& s = state();
    const std::lock_guard<std::mutex> lock(s.mutex);
    if (--s.count == 0) {
      ::sigaction(SIGINT, &s.old_int, nullptr);
      ::sigaction(SIGTERM, &s.old_term, nullptr);
    }
  }
  SignalScope(const SignalScope&) = delete;
  SignalScope& operator=(const SignalScope&) = delete;

private:
  struct State {
    std::mutex mutex;
    int count = 0;
    struct sigaction old_int {};
    struct sigaction old_term {};
  };
  static State& state() {
    static State s;
    return s;
  }
  bool on_;
};

inline void make_pipe(int fds[2]) {
#if defined(__linux__)
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    fail_system("cannot create a pipe", errno);
  }
#else
  if (::pipe(fds) != 0) {
    fail_system("cannot create a pipe", errno);
  }
  ::fcntl(fds[0], F_SETFD, FD_CLOEXEC);
  ::fcntl(fds[1], F_SETFD, FD_CLOEXEC);
#endif
}

/// A trainer that runs: its process, pipes, what it printed so far.
struct Running {
  TrialJob job;
  std::vector<std::string> argv;
  std::filesystem::path lock, config, result;
  pid_t pid = -1;
  int out_fd = -1;
  int err_fd = -1;
  std::string line; ///< stdout since the last newline
  bool long_line = false;
  std::string log;
  std::uint64_t dropped = 0;
  std::map<std::string, double> metrics;
  std::chrono::steady_clock::time_point start;
  bool killed = false; ///< by the sweep, which was interrupted: no result
};

class Runner {
public:
  Runner(const std::function<TrialJob(std::uint64_t)>& trial, const Options& options,
         std::uint64_t total)
      : trial_(trial), options_(options), total_(total), host_(host_name()),
        self_(std::to_string(::getpid()) + " " + host_ + "\n") {}

  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  /// Whatever still runs when `run` leaves by an exception: killed, reaped, unlocked.
  ~Runner() {
    for (auto& r : running_) {
      kill_group(*r, SIGKILL);
      int status = 0;
      while (::waitpid(r->pid, &status, 0) < 0 && errno == EINTR) {
      }
      close_fds(*r);
      std::error_code ignored;
      std::filesystem::remove(r->config, ignored);
      ::unlink(r->lock.c_str());
    }
  }

  Report run(std::uint64_t first, std::uint64_t last, const std::filesystem::path& out) {
    out_ = out;
    scan(first, last);
    if (options_.progress != nullptr && !report_.results.empty()) {
      *options_.progress << report_.results.size() << " of " << total_ << " trials already done in "
                         << out_.string() << "\n";
      options_.progress->flush();
    }
    finished_ = report_.results.size();
    std::uint64_t next = first;
    const auto advance = [&] {
      while (next < last && done_.count(next) != 0) {
        ++next;
      }
    };
    for (;;) {
      check_signals(); // also between trials that end at once (a trainer that cannot start)
      const bool may_start = !stopping_ && mismatch_.empty();
      for (advance(); may_start && running_.size() < jobs() && next < last; advance()) {
        start(next++);
        if (!mismatch_.empty()) {
          break;
        }
      }
      if (running_.empty()) {
        advance();
        if (!may_start || !mismatch_.empty() || next >= last) {
          break;
        }
        continue;
      }
      wait_a_little();
    }
    if (!mismatch_.empty()) {
      throw SweepError(mismatch_);
    }
    if (stopping_) {
      for (advance(); next < last; ++next, advance()) {
        report_.not_run.push_back(next);
      }
    }
    std::sort(report_.results.begin(), report_.results.end(),
              [](const TrialResult& a, const TrialResult& b) { return a.index < b.index; });
    std::sort(report_.busy.begin(), report_.busy.end());
    std::sort(report_.not_run.begin(), report_.not_run.end());
    return std::move(report_);
  }

private:
  [[nodiscard]] std::size_t jobs() const { return options_.jobs; }

  [[nodiscard]] std::filesystem::path file(std::uint64_t index, const char* suffix) const {
    return out_ / (trial_stem(index) + suffix);
  }

  /// The fingerprint trial `index` has now; empty when it cannot be made (an `invalid` result).
  std::string fingerprint_of(std::uint64_t index) {
    try {
      return trial_(index).fingerprint;
    } catch (const std::exception&) {
      return {};
    }
  }

  /// A result already in the directory: skipped when it is of the same config, else the error.
  std::optional<std::string> take_done(std::uint64_t index, const std::string& text,
                                       const std::filesystem::path& path,
                                       const std::string& fingerprint) {
    TrialResult r = parse_result(text, path.string(), false);
    if (r.fingerprint != fingerprint) {
      return quote_path(path) + " holds trial " + std::to_string(index) +
             " of another space (fingerprint " + quote(r.fingerprint) + ", now " +
             quote(fingerprint) +
             "): the space changed; use another results directory or remove the file";
    }
    r.skipped = true;
    report_.results.push_back(std::move(r));
    done_.insert(index);
    return std::nullopt;
  }

  /// The results of the range that exist: skipped, or the error of another fingerprint before
  /// anything starts. One listing of the directory, not one look-up per trial.
  void scan(std::uint64_t first, std::uint64_t last) {
    std::error_code ec;
    std::vector<std::pair<std::uint64_t, std::filesystem::path>> found;
    std::set<std::uint64_t> locked;
    for (const auto& entry : std::filesystem::directory_iterator(out_, ec)) {
      const auto name = entry.path().filename().string();
      const auto index = result_index(name);
      if (index && *index >= first && *index < last) {
        found.emplace_back(*index, entry.path());
      } else if (const auto lock = result_index(name, ".lock")) {
        locked.insert(*lock);
      }
    }
    if (ec) {
      throw SweepError("cannot read the results directory " + quote_path(out_) + ": " +
                       ec.message());
    }
    std::sort(found.begin(), found.end());
    for (const auto& [index, path] : found) {
      if (const auto text = read_text(path)) {
        if (auto error = take_done(index, *text, path, fingerprint_of(index))) {
          throw SweepError(*error);
        }
        if (locked.count(index) != 0) {
          release_if_stale(index);
        }
      }
    }
  }

  /// The lock of a done trial whose sweep was killed between writing the result and removing
  /// the lock: removed when stale, by claiming it as a trial is claimed (so never the lock of a
  /// live sweep, nor one that another sweep reclaims at the same time).
  void release_if_stale(std::uint64_t index) {
    const auto lock = file(index, ".lock");
    std::string holder;
    if (claim(lock, self_, host_, holder)) {
      ::unlink(lock.c_str());
    }
  }

  void progress(const TrialResult& r, const std::string& what) {
    ++finished_;
    if (options_.progress == nullptr) {
      return;
    }
    std::string line = "[" + std::to_string(finished_) + "/" + std::to_string(total_) + "] trial " +
                       std::to_string(r.index) + " " + what;
    if (!r.skipped && r.status != Status::invalid) {
      line += " (" + short_number(std::round(r.seconds * 10) / 10) + " s)";
    }
    *options_.progress << line << "\n";
    options_.progress->flush();
  }

  std::string outcome(const TrialResult& r) const {
    if (!r.ok()) {
      return failure_line(r);
    }
    if (options_.metric.empty()) {
      return "ok";
    }
    return options_.metric + "=" + short_number(*r.metric(options_.metric));
  }

  void record(TrialResult r, const std::filesystem::path& lock) {
    try {
      atomic_write(file(r.index, ".json"), result_json(r) + "\n");
    } catch (const ConfigError& e) {
      ::unlink(lock.c_str());
      throw SweepError(e.what());
    }
    ::unlink(lock.c_str());
    done_.insert(r.index);
    progress(r, outcome(r));
    report_.results.push_back(std::move(r));
  }

  void start(std::uint64_t index) {
    const auto lock = file(index, ".lock");
    std::string holder;
    if (!claim(lock, self_, host_, holder)) {
      report_.busy.push_back(index);
      done_.insert(index);
      if (options_.progress != nullptr) {
        ++finished_;
        *options_.progress << "[" << finished_ << "/" << total_ << "] trial " << index
                           << " is run by another sweep (" << holder << ")\n";
        options_.progress->flush();
      }
      return;
    }
    const auto result = file(index, ".json");
    if (const auto text = read_text(result)) { // done by another sweep since the scan
      auto error = take_done(index, *text, result, fingerprint_of(index));
      ::unlink(lock.c_str());
      if (error) {
        mismatch_ = *error;
      } else {
        progress(report_.results.back(), "done by another sweep");
      }
      return;
    }
    auto r = std::make_unique<Running>();
    r->lock = lock;
    r->result = result;
    r->config = file(index, ".config.json");
    try {
      r->job = trial_(index);
      r->job.index = index;
    } catch (const std::exception& e) {
      TrialResult invalid;
      invalid.index = index;
      invalid.status = Status::invalid;
      invalid.error = std::string("cannot make the trial: ") + e.what();
      record(std::move(invalid), lock);
      return;
    }
    try {
      atomic_write(r->config, r->job.config_json + "\n");
      const std::string trial_dir = file(index, "").string();
      bool wants_dir = false;
      for (std::string arg : options_.command) {
        wants_dir = wants_dir || arg.find("{out}") != std::string::npos;
        replace_all(arg, "{config}", r->config.string());
        replace_all(arg, "{trial}", std::to_string(index));
        replace_all(arg, "{out}", trial_dir);
        r->argv.push_back(std::move(arg));
      }
      if (wants_dir) {
        std::filesystem::create_directories(trial_dir);
      }
    } catch (const std::exception& e) {
      ::unlink(lock.c_str());
      throw SweepError(e.what());
    }
    spawn(std::move(r));
  }

  void spawn(std::unique_ptr<Running> r) {
    std::vector<char*> argv;
    for (auto& arg : r->argv) {
      argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    int out[2];
    int err[2];
    int exec_error[2];
    make_pipe(out);
    make_pipe(err);
    make_pipe(exec_error);
    const pid_t parent = ::getpid();
    r->start = std::chrono::steady_clock::now();
    const pid_t pid = ::fork();
    if (pid < 0) {
      const int error = errno;
      for (int fd : {out[0], out[1], err[0], err[1], exec_error[0], exec_error[1]}) {
        ::close(fd);
      }
      ::unlink(r->lock.c_str());
      fail_system("cannot start a trainer", error);
    }
    if (pid == 0) { // the child: async-signal-safe calls only, until execvp
#if defined(__linux__)
      ::prctl(PR_SET_PDEATHSIG, SIGKILL); // a killed sweep leaves no trainer behind
      if (::getppid() != parent) {
        ::_exit(127); // the sweep died before the line above
      }
#endif
      ::setpgid(0, 0); // its own group: the sweep stops the trainer and all its children
      sigset_t none;
      sigemptyset(&none);
      ::sigprocmask(SIG_SETMASK, &none, nullptr);
      const int in = ::open("/dev/null", O_RDONLY);
      if (in >= 0) {
        ::dup2(in, 0);
      }
      ::dup2(out[1], 1);
      ::dup2(err[1], 2);
      ::execvp(argv[0], argv.data());
      const int error = errno;
      (void)!::write(exec_error[1], &error, sizeof error);
      ::_exit(127);
    }
    (void)parent;
    ::setpgid(pid, pid); // also here: the group exists before the sweep may signal it
    ::close(out[1]);
    ::close(err[1]);
    ::close(exec_error[1]);
    r->pid = pid;
    r->out_fd = out[0];
    r->err_fd = err[0];
    int error = 0;
    ssize_t n = 0;
    while ((n = ::read(exec_error[0], &error, sizeof error)) < 0 && errno == EINTR) {
    }
    ::close(exec_error[0]);
    ::fcntl(r->out_fd, F_SETFL, ::fcntl(r->out_fd, F_GETFL) | O_NONBLOCK);
    ::fcntl(r->err_fd, F_SETFL, ::fcntl(r->err_fd, F_GETFL) | O_NONBLOCK);
    if (n == static_cast<ssize_t>(sizeof error)) { // execvp failed
      int status = 0;
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      close_fds(*r);
      TrialResult failed = base_result(*r);
      failed.status = Status::not_started;
      failed.error = "cannot start " + quote(r->argv.front()) + ": " + std::strerror(error);
      record(std::move(failed), r->lock);
      return;
    }
    running_.push_back(std::move(r));
  }

  TrialResult base_result(const Running& r) const {
    TrialResult result;
    result.index = r.job.index;
    result.fingerprint = r.job.fingerprint;
    result.config_json = r.job.config_json;
    result.varied = r.job.varied;
    result.command = r.argv;
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - r.start).count();
    return result;
  }

  static void close_fds(Running& r) {
    for (int* fd : {&r.out_fd, &r.err_fd}) {
      if (*fd >= 0) {
        ::close(*fd);
        *fd = -1;
      }
    }
  }

  static void kill_group(const Running& r, int number) {
    if (::kill(-r.pid, number) != 0) {
      ::kill(r.pid, number);
    }
  }

  void take_line(Running& r) {
    if (!r.long_line) {
      for (auto& [name, value] : parse_metric_line(r.line)) {
        r.metrics[name] = value;
      }
    }
    r.line.clear();
    r.long_line = false;
  }

  void take_output(Running& r, const char* data, std::size_t size, bool is_stdout) {
    r.log.append(data, size);
    const std::size_t cap = options_.max_log_bytes;
    if (r.log.size() > 2 * cap + 65536) { // trim now and then, not on every read
      r.dropped += r.log.size() - cap;
      r.log.erase(0, r.log.size() - cap);
    }
    if (!is_stdout) {
      return;
    }
    constexpr std::size_t max_line = 65536; // longer lines are not metric lines
    for (std::size_t i = 0; i < size; ++i) {
      if (data[i] == '\n') {
        take_line(r);
      } else if (!r.long_line) {
        r.line += data[i];
        if (r.line.size() > max_line) {
          r.line.clear();
          r.long_line = true;
        }
      }
    }
  }

  /// Reads what `fd` has now; closes it at its end.
  void drain(Running& r, int& fd, bool is_stdout) {
    char buffer[65536];
    for (;;) {
      const ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n > 0) {
        take_output(r, buffer, static_cast<std::size_t>(n), is_stdout);
        continue;
      }
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
        ::close(fd);
        fd = -1;
      }
      return;
    }
  }

  void wait_a_little() {
    std::vector<pollfd> fds;
    for (const auto& r : running_) {
      for (int fd : {r->out_fd, r->err_fd}) {
        if (fd >= 0) {
          fds.push_back(pollfd{fd, POLLIN, 0});
        }
      }
    }
    // 100 ms at most: the exit of a trainer whose pipes a child of its own keeps open is seen
    // by waitpid, and a signal to another thread's runner by the flag.
    ::poll(fds.data(), static_cast<nfds_t>(fds.size()), 100);
    for (auto& r : running_) {
      if (r->out_fd >= 0) {
        drain(*r, r->out_fd, true);
      }
      if (r->err_fd >= 0) {
        drain(*r, r->err_fd, false);
      }
    }
    for (auto it = running_.begin(); it != running_.end();) {
      int status = 0;
      pid_t done = 0;
      while ((done = ::waitpid((*it)->pid, &status, WNOHANG)) < 0 && errno == EINTR) {
      }
      if (done == 0) {
        ++it;
        continue;
      }
      std::unique_ptr<Running> r = std::move(*it);
      it = running_.erase(it);
      finish(*r, status);
    }
  }

  void finish(Running& r, int status) {
    // What it wrote before it ended is in the pipes; what a child of its own writes later is not
    // waited for.
    if (r.out_fd >= 0) {
      drain(r, r.out_fd, true);
    }
    if (r.err_fd >= 0) {
      drain(r, r.err_fd, false);
    }
    close_fds(r);
    if (!r.line.empty()) {
      take_line(r);
    }
    if (r.killed) {
      std::error_code ignored;
      std::filesystem::remove(r.config, ignored);
      ::unlink(r.lock.c_str());
      report_.not_run.push_back(r.job.index);
      return;
    }
    TrialResult result = base_result(r);
    result.metrics = std::move(r.metrics);
    if (r.log.size() > options_.max_log_bytes) {
      r.dropped += r.log.size() - options_.max_log_bytes;
      r.log.erase(0, r.log.size() - options_.max_log_bytes);
    }
    result.log = std::move(r.log);
    result.log_dropped = r.dropped;
    if (WIFSIGNALED(status)) {
      result.status = Status::signal;
      result.signal = WTERMSIG(status);
      result.error = "killed by " + signal_name(result.signal);
    } else {
      result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      if (result.exit_code != 0) {
        result.status = Status::exit;
        result.error = "exit " + std::to_string(result.exit_code);
      } else if (!options_.metric.empty() && !result.metric(options_.metric)) {
        result.status = Status::no_metric;
        result.error = "printed no value of " + quote(options_.metric);
      }
    }
    record(std::move(result), r.lock);
  }

  void check_signals() {
    const auto now = std::chrono::steady_clock::now();
    const int signal = options_.handle_signals ? stop_request().load() : 0;
    if (signal != 0 && !stopping_) {
      stopping_ = true;
      report_.interrupted = signal;
      deadline_ = now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(options_.kill_grace_seconds));
      for (auto& r : running_) {
        r->killed = true;
        kill_group(*r, SIGTERM);
      }
      if (options_.progress != nullptr) {
        *options_.progress << "stopping: " << signal_name(signal) << ", " << running_.size()
                           << " running trials killed\n";
        options_.progress->flush();
      }
    }
    if (stopping_ && !hard_killed_ && now >= deadline_) {
      hard_killed_ = true;
      for (auto& r : running_) {
        kill_group(*r, SIGKILL);
      }
    }
  }

  const std::function<TrialJob(std::uint64_t)>& trial_;
  const Options& options_;
  std::uint64_t total_;
  std::string host_;
  std::string self_; ///< this sweep's lock content: "pid host\n"
  std::filesystem::path out_;
  Report report_;
  std::set<std::uint64_t> done_; ///< result or busy: not to start
  std::vector<std::unique_ptr<Running>> running_;
  std::size_t finished_ = 0;
  std::string mismatch_;
  bool stopping_ = false;
  bool hard_killed_ = false;
  std::chrono::steady_clock::time_point deadline_{};
};

} // namespace detail

inline Report run(std::uint64_t first, std::uint64_t last,
                  const std::function<TrialJob(std::uint64_t)>& trial, const Options& options) {
  if (first > last) {
    throw SweepError("the trials " + std::to_string(first) + "-" + std::to_string(last) +
                     " are no range: the first is past the last");
  }
  if (options.command.empty() || options.command.front().empty()) {
    throw SweepError("no trainer command");
  }
  if (options.jobs == 0) {
    throw SweepError("jobs must be at least 1");
  }
  if (options.out.empty()) {
    throw SweepError("no results directory");
  }
  std::error_code ec;
  std::filesystem::create_directories(options.out, ec);
  if (ec) {
    throw SweepError("cannot create the results directory " + detail::quote_path(options.out) +
                     ": " + ec.message());
  }
  // Absolute: the trainer may change its directory before it opens {config}.
  const std::filesystem::path out = std::filesystem::absolute(options.out);
  const detail::SignalScope signals(options.handle_signals);
  detail::Runner runner(trial, options, last - first);
  return runner.run(first, last, out);
}

#else // not POSIX

inline Report run(std::uint64_t, std::uint64_t, const std::function<TrialJob(std::uint64_t)>&,
                  const Options&) {
  throw SweepError("hparams sweep runs trainers with fork and execvp: it needs a POSIX system");
}

#endif

} // namespace hyperparams::sweep
