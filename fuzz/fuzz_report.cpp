// SPDX-License-Identifier: MIT
// libFuzzer target for `hparams report`: the input is "RUN\n%%\nSWEEP_JSON\n%%\nRESULT" (parts
// may be missing): a run's JSONL, a sweep.json and a trial's result file. Each is read as the
// report reads it (what it cannot read is skipped or an error, nothing else escapes), a sweep of
// two trials is made from the result, and the page is written. The page is valid UTF-8, whole,
// and has no markup but its own: nothing from the input became a tag.
#include <hyperparams/detail/text.hpp>
#include <hyperparams/report.hpp>

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"

namespace {

namespace report = hyperparams::report;
namespace sweep = hyperparams::sweep;

std::size_t count(const std::string& text, std::string_view needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto input = fuzz::parts(std::string_view(reinterpret_cast<const char*>(data), size), 3);
  input.resize(3); // the parts not given are empty
  report::Inputs inputs;
  std::istringstream run_text{std::string(input[0])};
  inputs.runs.push_back(report::read_run(run_text, "run.jsonl", inputs.skipped));

  report::Sweep sweep;
  sweep.directory = "sweep";
  try {
    sweep.info = report::parse_sweep_info(std::string(input[1]), "sweep.json");
    sweep.described = true;
  } catch (const report::ReportError&) {
    sweep.info.metric = "accuracy";
  }
  try {
    auto result = sweep::parse_result(input[2], "trial.json", true);
    auto second = result;
    second.index = result.index + 1;
    for (auto& [name, value] : second.metrics) {
      value = -value;
    }
    for (const auto* r : {&result, &second}) {
      if (auto curve = report::run_from_log(*r)) {
        sweep.curves.emplace(r->index, std::move(*curve));
      }
    }
    sweep.results = {result, second};
  } catch (const sweep::SweepError&) { // not a result: a report skips it, and says so
    inputs.skipped.emplace_back("trial.json: not a trial result, skipped");
  }
  if (!sweep.results.empty()) {
    inputs.sweep = std::move(sweep);
  }

  const std::string page = report::html(inputs);
  if (hyperparams::detail::valid_utf8(page) != page) {
    fuzz::fail("the page is not valid UTF-8");
  }
  if (page.rfind("<!DOCTYPE html>\n", 0) != 0 || page.size() < 8 ||
      page.compare(page.size() - 8, 8, "</html>\n") != 0) {
    fuzz::fail("the page is not whole");
  }
  // the page's own markup only: two scripts, one style, and no element it never writes
  if (count(page, "<script") != 2 || count(page, "<style") != 1) {
    fuzz::fail("markup from the input in the page");
  }
  for (const std::string_view tag : {"<img", "<iframe", "<object", "<link", "<a ", "<form",
                                     "<input", "<meta http-equiv=\"refresh"}) {
    if (page.find(tag) != std::string::npos) {
      fuzz::fail("markup from the input in the page: " + std::string(tag));
    }
  }
  return 0;
}
