// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Small text helpers of the JSON reader and the tools: UTF-8 checks, quoting for messages, JSON
/// pointers, "did you mean". `inline` in both modes (see `HYPERPARAMS_COMPILED`).

#include "hyperparams/describe.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hyperparams::detail {

// ----- small text helpers -----------------------------------------------------------------------

/// Paths and quoted input are cut to this many bytes in messages (at a UTF-8 boundary).
inline constexpr std::size_t max_quote = 100;

/// Cuts `text` to at most `limit` bytes without splitting a UTF-8 sequence, adding "…".
inline std::string truncate_utf8(std::string_view text, std::size_t limit = max_quote) {
  if (text.size() <= limit) {
    return std::string(text);
  }
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) {
    --cut;
  }
  std::string out(text.substr(0, cut));
  out += "\xE2\x80\xA6"; // …
  return out;
}

/// Length of the well-formed UTF-8 sequence at `text[i]`, or 0 when it is ill-formed.
inline std::size_t utf8_sequence(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t length = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (lead < 0x80) {
    return 1;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    lo = lead == 0xE0 ? 0xA0 : 0x80; // no overlong forms
    hi = lead == 0xED ? 0x9F : 0xBF; // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    lo = lead == 0xF0 ? 0x90 : 0x80;
    hi = lead == 0xF4 ? 0x8F : 0xBF;
  } else {
    return 0;
  }
  if (i + length > text.size() || byte(i + 1) < lo || byte(i + 1) > hi) {
    return 0;
  }
  for (std::size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) {
      return 0;
    }
  }
  return length;
}

/// `text` with every byte that is not part of well-formed UTF-8 written as \\xNN.
inline std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8_sequence(text, i);
    if (length == 0) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X",
                    static_cast<unsigned>(static_cast<unsigned char>(text[i])));
      out += buf;
      ++i;
    } else {
      out.append(text, i, length);
      i += length;
    }
  }
  return out;
}

/// `text` quoted for a message: control characters escaped as in JSON, bytes that are not UTF-8
/// written as \xNN (so that every message is valid UTF-8), cut after about `max_quote`
/// characters of output.
inline std::string quote(std::string_view text) {
  std::string out = "\"";
  std::size_t i = 0;
  while (i < text.size() && out.size() <= max_quote) {
    const auto u = static_cast<unsigned char>(text[i]);
    const std::size_t length = utf8_sequence(text, i);
    char buf[8];
    if (length == 0) {
      std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned>(u));
      out += buf;
      ++i;
      continue;
    }
    if (text[i] == '"' || text[i] == '\\') {
      out += '\\';
      out += text[i];
    } else if (u < 0x20U) {
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(u));
      out += buf;
    } else {
      out.append(text, i, length);
    }
    i += length;
  }
  if (i < text.size()) {
    out += "\xE2\x80\xA6"; // …: the rest is left out
  }
  out += '"';
  return out;
}

/// A key as one JSON-pointer token: "~" becomes "~0" and "/" becomes "~1".
inline std::string pointer_token(std::string_view key) {
  std::string out;
  out.reserve(key.size() + 1);
  out += '/';
  for (const char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

/// Splits a JSON pointer into unescaped tokens; nullopt when it is not a valid pointer.
inline std::optional<std::vector<std::string>> split_pointer(std::string_view pointer) {
  std::vector<std::string> tokens;
  if (pointer.empty()) {
    return tokens;
  }
  if (pointer.front() != '/') {
    return std::nullopt;
  }
  std::string token;
  for (std::size_t i = 1; i <= pointer.size(); ++i) {
    if (i == pointer.size() || pointer[i] == '/') {
      tokens.push_back(token);
      token.clear();
    } else if (pointer[i] == '~') {
      if (i + 1 >= pointer.size() || (pointer[i + 1] != '0' && pointer[i + 1] != '1')) {
        return std::nullopt;
      }
      token += pointer[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      token += pointer[i];
    }
  }
  return tokens;
}

/// Optimal-string-alignment distance, for "did you mean".
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev2(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    prev[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = ascii_lower(a[i - 1]) == ascii_lower(b[j - 1]) ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
    }
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

/// The candidate closest to `name` when it is close enough to be a likely typo.
template <class Names>
std::optional<std::string_view> closest(std::string_view name, const Names& candidates) {
  if (name.empty() || name.size() > 64) {
    return std::nullopt;
  }
  std::optional<std::string_view> best;
  std::size_t best_distance = std::max<std::size_t>(2, name.size() / 3) + 1;
  for (const std::string_view candidate : candidates) {
    const std::size_t d = edit_distance(name, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

/// `; did you mean "x"?` with the candidate closest to `name`, or `otherwise` when none is close.
template <class Names>
std::string did_you_mean(std::string_view name, const Names& candidates, std::string otherwise) {
  if (const auto suggestion = closest(name, candidates)) {
    return "; did you mean \"" + std::string(*suggestion) + "\"?";
  }
  return otherwise;
}

inline std::string join(const std::vector<std::string_view>& names) {
  std::string out;
  for (const auto name : names) {
    if (!out.empty()) {
      out += ", ";
    }
    out += name;
  }
  return out;
}

} // namespace hyperparams::detail
