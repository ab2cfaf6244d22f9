// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Progress within an epoch, shared by both Fashion-MNIST trainers: on a terminal a bar redrawn
/// in place at every percent; otherwise (a log file, a pipe, Katib's stdout collector) a plain
/// line at each quarter of the epoch, so that a long epoch still shows it is moving.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

namespace fashion_mnist {

class Progress {
public:
  /// Draws a bar on `out` when `terminal`, else writes plain lines to it.
  explicit Progress(bool terminal, std::FILE* out = stdout) : terminal_(terminal), out_(out) {}

  /// Whether `update` at `step` (1 to `steps`) would write anything: the caller may skip
  /// computing the loss otherwise (torch_fashion_mnist reads it from the GPU only then).
  [[nodiscard]] bool due(std::uint64_t step, std::uint64_t steps) const noexcept {
    if (steps == 0 || step == 0 || step > steps) {
      return false;
    }
    if (terminal_) {
      return mark(step, steps) != last_mark_ || step == steps;
    }
    // the quarters before the end: the epoch's own line follows at its end
    const std::int64_t quarter = mark(step, steps);
    return step < steps && quarter > 0 && quarter != last_mark_;
  }

  /// Shows `step` of `steps` of epoch `epoch` of `epochs`, with the mean training loss so far.
  void update(std::int32_t epoch, std::int32_t epochs, std::uint64_t step, std::uint64_t steps,
              double loss) {
    if (!due(step, steps)) {
      return;
    }
    last_mark_ = mark(step, steps);
    const auto percent = static_cast<unsigned long long>(100 * step / steps);
    if (terminal_) {
      constexpr std::uint64_t width = 30;
      const auto filled = static_cast<std::size_t>(width * step / steps);
      std::fprintf(out_, "\repoch %d/%d [%s%s] %3llu%% loss %.4f", epoch, epochs,
                   std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(),
                   percent, loss);
    } else {
      std::fprintf(out_, "epoch %d/%d: %llu%% (%llu of %llu steps), train loss %.4f\n", epoch,
                   epochs, percent, static_cast<unsigned long long>(step),
                   static_cast<unsigned long long>(steps), loss);
    }
    std::fflush(out_);
  }

  /// Ends the epoch: erases the bar (on a terminal) and starts counting again.
  void clear() {
    if (terminal_ && last_mark_ >= 0) {
      std::fprintf(out_, "\r\033[K");
      std::fflush(out_);
    }
    last_mark_ = -1;
  }

private:
  /// The percent (terminal) or quarter (plain lines) that `step` is in.
  [[nodiscard]] std::int64_t mark(std::uint64_t step, std::uint64_t steps) const noexcept {
    return static_cast<std::int64_t>((terminal_ ? 100 : 4) * step / steps);
  }

  bool terminal_;
  std::FILE* out_;
  std::int64_t last_mark_ = -1;
};

} // namespace fashion_mnist
