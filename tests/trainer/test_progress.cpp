// SPDX-License-Identifier: MIT
// Progress within an epoch: a bar redrawn in place on a terminal, plain lines at each quarter
// otherwise.
#include "catch_compat.hpp"

#include "progress.hpp"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

namespace {

/// What `steps` updates of one epoch (steps 1 to `steps`, loss 0.5) and the clear after it write.
std::string epoch_output(bool terminal, std::uint64_t steps) {
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::tmpfile(), &std::fclose);
  REQUIRE(file != nullptr);
  fashion_mnist::Progress progress(terminal, file.get());
  for (std::uint64_t step = 1; step <= steps; ++step) {
    progress.update(2, 10, step, steps, 0.5);
  }
  progress.clear();
  std::rewind(file.get());
  std::string out;
  for (int c = std::fgetc(file.get()); c != EOF; c = std::fgetc(file.get())) {
    out += static_cast<char>(c);
  }
  return out;
}

} // namespace

TEST_CASE("off a terminal, progress is a plain line at each quarter of the epoch", "[progress]") {
  CHECK(epoch_output(false, 8) == "epoch 2/10: 25% (2 of 8 steps), train loss 0.5000\n"
                                  "epoch 2/10: 50% (4 of 8 steps), train loss 0.5000\n"
                                  "epoch 2/10: 75% (6 of 8 steps), train loss 0.5000\n");
  // steps that do not divide: the first step past each quarter
  CHECK(epoch_output(false, 10) == "epoch 2/10: 30% (3 of 10 steps), train loss 0.5000\n"
                                   "epoch 2/10: 50% (5 of 10 steps), train loss 0.5000\n"
                                   "epoch 2/10: 80% (8 of 10 steps), train loss 0.5000\n");
  // an epoch of one step has only its own line
  CHECK(epoch_output(false, 1).empty());
}

TEST_CASE("on a terminal, progress is a bar redrawn at each percent and erased", "[progress]") {
  const std::string out = epoch_output(true, 400);
  std::size_t redraws = 0;
  for (const char c : out) {
    redraws += c == '\r' ? 1 : 0;
  }
  CHECK(redraws == 102); // 0% (the first step) to 100%, then the erase
  CHECK(out.find("\repoch 2/10 [###############...............]  50% loss 0.5000") !=
        std::string::npos);
  CHECK(out.substr(out.size() - 4) == "\r\033[K");
  CHECK(out.find('\n') == std::string::npos);
}

TEST_CASE("due says whether an update writes", "[progress]") {
  fashion_mnist::Progress plain(false, stdout);
  CHECK_FALSE(plain.due(1, 8));
  CHECK(plain.due(2, 8));
  CHECK_FALSE(plain.due(8, 8)); // the epoch's own line follows
  CHECK_FALSE(plain.due(0, 8));
  CHECK_FALSE(plain.due(9, 8));
  CHECK_FALSE(plain.due(1, 0));
}
