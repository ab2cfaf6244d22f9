// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// `diff(a, b)`: the fields two configs differ in, as JSON pointers with both values; and
/// `fingerprint(hp)`: a stable id of a config for naming runs and caching. Both are generated
/// from the field table; standard library only.

#include "hyperparams/hyperparams.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace hyperparams {

/// One field in which two configs differ. Values are compact JSON text; empty when the field
/// does not exist on that side (an option of another optimizer).
struct Difference {
  std::string path;
  std::string before;
  std::string after;
};

inline bool operator==(const Difference& a, const Difference& b) {
  return a.path == b.path && a.before == b.before && a.after == b.after;
}

namespace detail {

/// A sink that lists the leaves of a config as (JSON pointer, compact JSON text); a list (the
/// widths of `neurons`) is one leaf.
class FlatSink {
public:
  std::vector<std::pair<std::string, std::string>> leaves;

  void begin_object() {
    if (array_depth_ > 0) {
      return value_part("{");
    }
    stack_.push_back(path_);
  }
  void end_object() {
    if (array_depth_ > 0) {
      return value_part("}");
    }
    stack_.pop_back();
  }
  void key(std::string_view name) {
    path_ = (stack_.empty() ? std::string() : stack_.back()) + "/" + std::string(name);
  }
  void begin_array() {
    if (array_depth_++ == 0) {
      array_text_.clear();
      array_text_ += '[';
      array_first_ = true;
    }
  }
  void end_array() {
    array_text_ += ']';
    if (--array_depth_ == 0) {
      leaves.emplace_back(path_, array_text_);
    }
  }
  void real(double v) {
    scalar([&](std::string& out) { append_double(out, v); });
  }
  void integer(std::int64_t v) {
    scalar([&](std::string& out) { append_integer(out, v); });
  }
  void unsigned_integer(std::uint64_t v) {
    scalar([&](std::string& out) { append_integer(out, v); });
  }
  void boolean(bool v) {
    scalar([&](std::string& out) { out += v ? "true" : "false"; });
  }
  void string(std::string_view v) {
    scalar([&](std::string& out) {
      out += '"';
      out += v; // names: plain ASCII
      out += '"';
    });
  }

private:
  template <class Write>
  void scalar(Write write) {
    if (array_depth_ > 0) {
      if (!array_first_) {
        array_text_ += ", ";
      }
      array_first_ = false;
      write(array_text_);
      return;
    }
    std::string text;
    write(text);
    leaves.emplace_back(path_, std::move(text));
  }
  void value_part(const char* text) { array_text_ += text; }

  std::vector<std::string> stack_;
  std::string path_;
  std::string array_text_;
  int array_depth_ = 0;
  bool array_first_ = true;
};

/// SHA-256 (FIPS 180-4) of `data`.
inline std::array<std::uint8_t, 32> sha256(std::string_view data) {
  static constexpr std::uint32_t k[64] = {
      0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
      0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
      0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
      0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
      0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
      0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
      0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
      0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
      0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
      0xc67178f2};
  std::uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                        0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  const auto rotr = [](std::uint32_t x, int n) {
    return static_cast<std::uint32_t>((x >> n) | (x << (32 - n)));
  };
  std::string message(data);
  const std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8U;
  message += static_cast<char>(0x80);
  while (message.size() % 64 != 56) {
    message += '\0';
  }
  for (int i = 7; i >= 0; --i) {
    message += static_cast<char>((bits >> (8 * i)) & 0xFFU);
  }
  for (std::size_t chunk = 0; chunk < message.size(); chunk += 64) {
    std::uint32_t w[64];
    for (std::size_t i = 0; i < 16; ++i) {
      w[i] = 0;
      for (std::size_t b = 0; b < 4; ++b) {
        w[i] = (w[i] << 8) | static_cast<std::uint8_t>(message[chunk + 4 * i + b]);
      }
    }
    for (std::size_t i = 16; i < 64; ++i) {
      const std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      const std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (std::size_t i = 0; i < 64; ++i) {
      const std::uint32_t t1 =
          hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i];
      const std::uint32_t t2 =
          (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      hh = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
  }
  std::array<std::uint8_t, 32> digest{};
  for (std::size_t i = 0; i < 32; ++i) {
    digest[i] = static_cast<std::uint8_t>((h[i / 4] >> (24 - 8 * (i % 4))) & 0xFFU);
  }
  return digest;
}

inline std::string hex(const std::uint8_t* bytes, std::size_t size) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < size; ++i) {
    out += digits[bytes[i] >> 4];
    out += digits[bytes[i] & 0x0F];
  }
  return out;
}

} // namespace detail

/// The fields in which `a` and `b` differ, as JSON pointers with compact JSON values
/// (`{"/learning_rate", "0.001", "0.0003"}`), in table order (options only `b` has come last).
/// Empty when `a == b`. When the optimizers differ, "/optimizer/name" differs and each option
/// of only one side has an empty other side.
[[nodiscard]] inline std::vector<Difference> diff(const HyperParams& a, const HyperParams& b) {
  detail::FlatSink left;
  detail::FlatSink right;
  detail::emit_value(a, left);
  detail::emit_value(b, right);
  std::vector<Difference> out;
  auto find = [](const detail::FlatSink& sink, const std::string& path) -> const std::string* {
    for (const auto& leaf : sink.leaves) {
      if (leaf.first == path) {
        return &leaf.second;
      }
    }
    return nullptr;
  };
  for (const auto& [path, value] : left.leaves) {
    const std::string* other = find(right, path);
    if (other == nullptr || *other != value) {
      out.push_back(Difference{path, value, other == nullptr ? std::string() : *other});
    }
  }
  for (const auto& [path, value] : right.leaves) {
    if (find(left, path) == nullptr) {
      out.push_back(Difference{path, std::string(), value});
    }
  }
  return out;
}

/// A stable id of a config: the first 16 hex digits (64 bits) of the SHA-256 of its canonical
/// text (`dump(hp)`). The same config gives the same id on every platform and in every run;
/// configs that load equal (`32` and `32.0`, `"GELU"` and `"gelu"`) get the same id.
[[nodiscard]] inline std::string fingerprint(const HyperParams& hp) {
  const auto digest = detail::sha256(detail::to_json_text(hp, true));
  return detail::hex(digest.data(), 8);
}

} // namespace hyperparams
