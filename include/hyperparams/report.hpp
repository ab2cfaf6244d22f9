// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Reports of runs and sweeps: one self-contained HTML file (inline SVG and style, a little
/// inline script, no request of any kind) that opens offline in any browser, light or dark.
///
///     auto inputs = hyperparams::report::read_inputs({"runs/sweep"});
///     std::ofstream("report.html") << hyperparams::report::html(inputs);
///
/// - Runs: the `--metrics` JSONL of a trainer, a line `{"config": {...}, "fingerprint": ...}`
///   and a line per epoch (`{"epoch": 3, "train_loss": ..., "test_accuracy": ..., ...}`, any
///   numeric field a metric). Their learning curves are overlaid, a chart per kind of metric
///   (loss, accuracy, learning rate on its own axis, ...), the best epoch marked.
/// - A sweep's results directory (`hparams sweep --out DIR`): the leaderboard (sortable),
///   parallel coordinates of the varied parameters and the metric (log axes for log-distributed
///   parameters, categories as categories, from the `sweep.json` the sweep wrote), the metric by
///   each parameter, the learning curves of the top trials (a JSONL file in the trial's
///   directory, else the `epoch=` lines of its log), the failed trials and the best config.
///   Pointing at a trial's line or point shows its values and highlights it everywhere.
///
/// A line of a run that is not JSON (a run killed mid-write) and a result file that cannot be
/// read are left out and listed (`Inputs::skipped`), never fatal. Everything from the input is
/// escaped: a metric named `<script>` is text. This header needs no more than the sweep reader
/// (`<hyperparams/sweep.hpp>`), and none of Random123.

#include "hyperparams/impl/report_input.hpp"
#include "hyperparams/impl/report_page.hpp"

#include <cstddef>
#include <string>

namespace hyperparams::report {

/// What a page shows besides its inputs.
struct PageOptions {
  std::string title = "hyperparams report";
  std::size_t top = 5; ///< a sweep's learning curves: of this many best trials
};

/// The report of `inputs` as one HTML document.
[[nodiscard]] inline std::string html(const Inputs& inputs, const PageOptions& options = {}) {
  return detail::page(inputs, options.title, options.top);
}

} // namespace hyperparams::report
