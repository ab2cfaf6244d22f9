// SPDX-License-Identifier: MIT
// For sobol_vs_scipy.py. `sobol_points D N`: the first N Sobol points of the first D dimensions,
// one line per point, "i x_0 ... x_(D-1)", each coordinate the 64-bit integer (the point times
// 2^64). `sobol_points --directions D`: one line per dimension d < D, "d v_1 ... v_64".
#include <hyperparams/detail/sobol.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s DIMENSIONS POINTS | --directions DIMENSIONS\n", argv[0]);
    return 2;
  }
  try {
    const bool directions = std::string(argv[1]) == "--directions";
    const std::size_t dimensions = std::stoul(argv[directions ? 2 : 1]);
    std::vector<hyperparams::detail::SobolDimension> sobol;
    sobol.reserve(dimensions);
    for (std::size_t d = 0; d < dimensions; ++d) {
      sobol.emplace_back(d);
    }
    std::string line;
    if (directions) {
      for (std::size_t d = 0; d < dimensions; ++d) {
        line = std::to_string(d);
        for (const std::uint64_t v : sobol[d].directions()) {
          line += ' ';
          line += std::to_string(v);
        }
        line += '\n';
        std::fputs(line.c_str(), stdout);
      }
      return std::fflush(stdout) == 0 ? 0 : 1;
    }
    const std::uint64_t points = std::stoull(argv[2]);
    for (std::uint64_t i = 0; i < points; ++i) {
      line = std::to_string(i);
      for (const auto& dimension : sobol) {
        line += ' ';
        line += std::to_string(dimension.point(i));
      }
      line += '\n';
      std::fputs(line.c_str(), stdout);
    }
    return std::fflush(stdout) == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", argv[0], e.what());
    return 2;
  }
}
