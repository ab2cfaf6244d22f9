// SPDX-License-Identifier: MIT
// A stand-in for a trainer, for the sweep tests: `fake_trainer CONFIG [SIDE_FILE]`. It reads the
// config, appends "start TRIAL PID" to SIDE_FILE (one write, O_APPEND: whole lines from many
// processes), prints metric lines on stdout and chatter on stderr, and does what the config's
// "behaviour" says: "ok" (default), "fail" (exit "exit_code", 3 unless given), "crash" (killed
// by SIGKILL), "hang" (until killed), "nometric" (exit 0 without the metric), "barrier" (wait
// until SIDE_FILE holds "barrier" starts, exit 4 after 60 s: proves trials run at once),
// "flood" ("flood" bytes of log before the metric). "sleep_ms" first. Then "finish TRIAL PID".
#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

namespace {

void side_line(const std::string& side, const std::string& line) {
  if (side.empty()) {
    return;
  }
  const int fd = ::open(side.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd >= 0) {
    (void)!::write(fd, line.data(), line.size());
    ::close(fd);
  }
}

std::size_t starts_in(const std::string& side) {
  std::ifstream in(side);
  std::size_t count = 0;
  for (std::string line; std::getline(in, line);) {
    count += line.rfind("start ", 0) == 0 ? 1U : 0U;
  }
  return count;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: fake_trainer CONFIG [SIDE_FILE]\n";
    return 2;
  }
  const std::string side = argc > 2 ? argv[2] : "";
  std::ifstream in(argv[1]);
  nlohmann::json config;
  try {
    in >> config;
  } catch (const std::exception& e) {
    std::cerr << "cannot read " << argv[1] << ": " << e.what() << "\n";
    return 2;
  }
  const auto trial = config.value("trial", std::uint64_t{0});
  const std::string behaviour = config.value("behaviour", std::string("ok"));
  const double accuracy = config.value("accuracy", 0.5);
  const std::string id = std::to_string(trial) + " " + std::to_string(::getpid()) + "\n";
  side_line(side, "start " + id);

  std::cerr << "loading " << argv[1] << std::endl;
  std::cout << "epoch=1 loss=0.9";
  if (behaviour != "nometric") {
    std::cout << " accuracy=" << accuracy / 2;
  }
  std::cout << std::endl;
  std::this_thread::sleep_for(std::chrono::milliseconds(config.value("sleep_ms", 0)));
  if (behaviour == "fail") {
    std::cerr << "diverged" << std::endl;
    return config.value("exit_code", 3);
  }
  if (behaviour == "crash") {
    std::raise(SIGKILL);
  }
  if (behaviour == "hang") {
    for (;;) {
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }
  if (behaviour == "barrier") {
    const auto want = config.value("barrier", std::size_t{1});
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (starts_in(side) < want) {
      if (std::chrono::steady_clock::now() > until) {
        std::cerr << "the others never came" << std::endl;
        return 4;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  if (behaviour == "flood") {
    const std::string noise(99, 'x');
    for (std::size_t n = 0; n < config.value("flood", std::size_t{0}); n += 100) {
      std::cout << noise << "\n";
    }
  }
  if (behaviour != "nometric") {
    std::cout << "epoch = 2 loss = 0.1\naccuracy = " << accuracy << std::endl;
  } else {
    std::cout << "done, no metric" << std::endl;
  }
  side_line(side, "finish " + id);
  return 0;
}
