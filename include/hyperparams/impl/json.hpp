// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Definitions of the functions `<hyperparams/json.hpp>` declares, and the SAX reader behind
/// them: included by that header (header-only) or compiled once into the library
/// (`HYPERPARAMS_COMPILED`). Not for users.

#include "hyperparams/detail/number_text.hpp"
#include "hyperparams/detail/text.hpp"
#include "hyperparams/fields.hpp"
#include "hyperparams/json.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#if defined(__unix__) || defined(__APPLE__)
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#define HYPERPARAMS_POSIX_FILES 1
#endif

namespace hyperparams {

namespace detail {

inline constexpr std::size_t no_offset = static_cast<std::size_t>(-1);

// ----- scalar values and the readers that convert them to member types ---------------------------

/// One JSON scalar as the loader sees it (from text or from a DOM).
struct Scalar {
  enum class Kind : std::uint8_t { null, boolean, integer, unsigned_integer, real, string };
  Kind kind = Kind::null;
  bool b = false;
  std::int64_t i = 0;
  std::uint64_t u = 0;
  double d = 0.0;
  std::string_view text; ///< the number's text (real) or the string's value
};

/// "null", "true", "-1", "1e400", "the string \"abc\"": what was found, for messages.
inline std::string describe(const Scalar& s) {
  switch (s.kind) {
  case Scalar::Kind::null:
    return "null";
  case Scalar::Kind::boolean:
    return s.b ? "true" : "false";
  case Scalar::Kind::integer:
    return std::to_string(s.i);
  case Scalar::Kind::unsigned_integer:
    return std::to_string(s.u);
  case Scalar::Kind::real:
    return s.text.empty() ? number_text(s.d) : truncate_utf8(s.text);
  case Scalar::Kind::string:
    return "the string " + quote(s.text);
  }
  return "a value";
}

struct Problem {
  IssueCode code = IssueCode::type_error;
  std::string message;
};

inline bool fail(Problem& p, IssueCode code, std::string message) {
  p.code = code;
  p.message = std::move(message);
  return false;
}

/// What a field of type T expects, for "expected ..., got ..." messages.
template <class T>
std::string expected_text() {
  if constexpr (std::is_same_v<T, double>) {
    return "a number";
  } else if constexpr (std::is_same_v<T, bool>) {
    return "true or false";
  } else if constexpr (std::is_integral_v<T> || std::is_same_v<T, Neurons>) {
    return std::is_same_v<T, Neurons> ? "an integer or a list of integers" : "an integer";
  } else if constexpr (is_enum_with_names<T>::value) {
    constexpr std::string_view what = EnumNames<T>::what;
    const bool vowel = std::string_view("aeiou").find(what.front()) != std::string_view::npos;
    return std::string(vowel ? "an " : "a ") + std::string(what) + " name (a string)";
  } else {
    return "a name (a string) or an object with \"name\" and options";
  }
}

/// Sign and magnitude of an integral number. A number in float form ("32.0", "1e17") is an
/// integer when its text denotes one exactly, and is then read from its digits, never through a
/// double; without its text (from a DOM) only up to 2^53, where doubles stop being exact.
inline bool read_integral(const Scalar& s, const Range& range, bool& negative,
                          std::uint64_t& magnitude, Problem& p) {
  switch (s.kind) {
  case Scalar::Kind::integer:
    negative = s.i < 0;
    magnitude =
        negative ? static_cast<std::uint64_t>(-(s.i + 1)) + 1U : static_cast<std::uint64_t>(s.i);
    return true;
  case Scalar::Kind::unsigned_integer:
    negative = false;
    magnitude = s.u;
    return true;
  case Scalar::Kind::real: {
    if (!s.text.empty()) {
      const IntegerText integer = integer_of_text(s.text);
      if (!integer.integral) {
        return fail(p, IssueCode::type_error, "expected an integer, got " + describe(s));
      }
      if (integer.overflow) {
        return fail(p, IssueCode::out_of_range, range_message(range, describe(s)));
      }
      negative = integer.negative;
      magnitude = integer.magnitude;
      return true;
    }
    if (!std::isfinite(s.d) || std::trunc(s.d) != s.d) {
      return fail(p, IssueCode::type_error, "expected an integer, got " + describe(s));
    }
    constexpr double exact_limit = 9007199254740992.0; // 2^53
    if (std::fabs(s.d) > exact_limit) {
      if (range.max <= exact_limit && range.min >= -exact_limit) {
        return fail(p, IssueCode::out_of_range, range_message(range, describe(s)));
      }
      return fail(p, IssueCode::type_error,
                  "expected an integer, got the floating-point value " + describe(s) +
                      " (above 2^53 a double is not an exact integer)");
    }
    negative = s.d < 0;
    magnitude = static_cast<std::uint64_t>(std::fabs(s.d));
    return true;
  }
  default:
    return fail(p, IssueCode::type_error, "expected an integer, got " + describe(s));
  }
}

inline bool read_scalar(const Scalar& s, double& out, const Range&, Problem& p) {
  switch (s.kind) {
  case Scalar::Kind::integer:
    out = static_cast<double>(s.i);
    return true;
  case Scalar::Kind::unsigned_integer:
    out = static_cast<double>(s.u);
    return true;
  case Scalar::Kind::real:
    if (s.d == 0.0 && s.text.find_first_of("123456789") < s.text.find_first_of("eE")) {
      return fail(p, IssueCode::out_of_range,
                  "number " + describe(s) + " is too small for a double (it would read as 0)");
    }
    out = s.d == 0.0 ? 0.0 : s.d; // -0.0 is stored as 0.0
    return true;
  default:
    return fail(p, IssueCode::type_error, "expected a number, got " + describe(s));
  }
}

inline bool read_scalar(const Scalar& s, std::int32_t& out, const Range& range, Problem& p) {
  bool negative = false;
  std::uint64_t magnitude = 0;
  if (!read_integral(s, range, negative, magnitude, p)) {
    return false;
  }
  if (magnitude > (negative ? 2147483648ULL : 2147483647ULL)) {
    return fail(p, IssueCode::out_of_range, range_message(range, describe(s)));
  }
  out = negative ? static_cast<std::int32_t>(-static_cast<std::int64_t>(magnitude))
                 : static_cast<std::int32_t>(magnitude);
  return true;
}

inline bool read_scalar(const Scalar& s, std::uint64_t& out, const Range& range, Problem& p) {
  bool negative = false;
  std::uint64_t magnitude = 0;
  if (!read_integral(s, range, negative, magnitude, p)) {
    return false;
  }
  if (negative && magnitude != 0) {
    return fail(p, IssueCode::out_of_range, range_message(range, describe(s)));
  }
  out = magnitude;
  return true;
}

inline bool read_scalar(const Scalar& s, bool& out, const Range&, Problem& p) {
  if (s.kind != Scalar::Kind::boolean) {
    return fail(p, IssueCode::type_error, "expected true or false, got " + describe(s));
  }
  out = s.b;
  return true;
}

template <class E>
std::vector<std::string_view> enum_names(bool canonical_only) {
  std::vector<std::string_view> names;
  for (const auto& entry : EnumNames<E>::entries) {
    if (!canonical_only || enum_to_string(entry.value) == entry.name) {
      names.push_back(entry.name);
    }
  }
  return names;
}

template <class E>
std::string unknown_name_message(std::string_view name) {
  std::string message = "unknown " + std::string(EnumNames<E>::what) + " " + quote(name);
  if (const auto suggestion = closest(name, enum_names<E>(false))) {
    message += "; did you mean \"" + std::string(*suggestion) + "\"?";
  } else {
    message += '.';
  }
  message += " Allowed: " + join(enum_names<E>(true));
  std::vector<std::string_view> aliases;
  for (const auto& entry : EnumNames<E>::entries) {
    if (enum_to_string(entry.value) != entry.name) {
      aliases.push_back(entry.name);
    }
  }
  if (!aliases.empty()) {
    message += " (aliases: " + join(aliases) + ")";
  }
  return message;
}

template <class E>
bool read_name(const Scalar& s, E& out, Problem& p) {
  if (s.kind != Scalar::Kind::string) {
    return fail(p, IssueCode::type_error,
                "expected " + expected_text<E>() + ", got " + describe(s));
  }
  if (const auto value = from_string<E>(s.text)) {
    out = *value;
    return true;
  }
  return fail(p, IssueCode::invalid_value, unknown_name_message<E>(s.text));
}

template <class T>
bool read_scalar(const Scalar& s, T& out, const Range& range, Problem& p) {
  if constexpr (is_enum_with_names<T>::value) {
    return read_name(s, out, p);
  } else if constexpr (std::is_same_v<T, Neurons>) {
    std::int32_t width = 0;
    if (!read_scalar(s, width, range, p)) {
      return false;
    }
    out = width;
    return true;
  } else {
    static_assert(is_options_variant<T>::value, "no reader for this field type");
    using Kind = options_kind_t<T>;
    if (s.kind != Scalar::Kind::string) {
      return fail(p, IssueCode::type_error,
                  "expected " + expected_text<T>() + ", got " + describe(s));
    }
    Kind kind{};
    if (!read_name(s, kind, p)) {
      return false;
    }
    if (kind_of(out) != kind) {
      out = default_alternative<T>(kind); // another optimizer: its own defaults
    }
    return true;
  }
}

/// Calls `f(field)` for field number `index` of `S`.
template <class S, class F, std::size_t... I>
void visit_field_at(std::size_t index, F& f, std::index_sequence<I...>) {
  using Call = void (*)(F&);
  static constexpr Call calls[] = {[](F& g) { g(std::get<I>(Fields<S>::all)); }...};
  if (index < sizeof...(I)) {
    calls[index](f);
  }
}

template <class S, class F>
void visit_field(std::size_t index, F&& f) {
  visit_field_at<S>(index, f, std::make_index_sequence<field_count<S>>{});
}

// ----- the SAX reader
// ------------------------------------------------------------------------------

/// Builds a `HyperParams` from SAX events (nlohmann's interface), checking as it goes. Fed by
/// `nlohmann::json::sax_parse` over text (with byte offsets) or by `walk_dom` (without).
class ConfigReader {
public:
  /// `stop_at_first_issue`: end the pass at the first issue, skipping validation (a first pass
  /// only needs to know whether there is one; see `read_text`).
  ConfigReader(HyperParams base, std::string_view text, const char* const* lexer_position,
               std::vector<std::string> tokens, std::string prefix, const LoadOptions& options,
               bool record_locations = false, bool stop_at_first_issue = false)
      : hp_(std::move(base)), text_(text), lexer_position_(lexer_position),
        tokens_(std::move(tokens)), prefix_(std::move(prefix)), limits_(options),
        record_locations_(record_locations), stop_at_first_issue_(stop_at_first_issue) {
    frames_.reserve(8);
    for (auto& s : seen_) {
      s = no_offset;
    }
  }

  /// Whether the parse goes on after an event: not once a pass that stops at its first issue
  /// has one (the SAX handler's false ends nlohmann's parse; `finish` then skips validation).
  bool go_on() {
    if (stop_at_first_issue_ && (!located_.empty() || dropped_ > 0)) {
      stopped_ = true;
    }
    return !stopped_;
  }

  // nlohmann SAX interface -------------------------------------------------------------------
  bool null() { return scalar(Scalar{}) && go_on(); }
  bool boolean(bool value) {
    Scalar s;
    s.kind = Scalar::Kind::boolean;
    s.b = value;
    return scalar(s) && go_on();
  }
  bool number_integer(std::int64_t value) {
    Scalar s;
    s.kind = Scalar::Kind::integer;
    s.i = value;
    return scalar(s, true) && go_on();
  }
  bool number_unsigned(std::uint64_t value) {
    Scalar s;
    s.kind = Scalar::Kind::unsigned_integer;
    s.u = value;
    return scalar(s, true) && go_on();
  }
  bool number_float(double value, const std::string& text) {
    Scalar s;
    s.kind = Scalar::Kind::real;
    s.d = value;
    s.text = text;
    return scalar(s, true) && go_on();
  }
  bool string(std::string& value) {
    Scalar s;
    s.kind = Scalar::Kind::string;
    s.text = value;
    return scalar(s) && go_on();
  }
  bool binary(std::vector<std::uint8_t>&) { return scalar(Scalar{}) && go_on(); }
  bool start_object(std::size_t) { return start(true) && go_on(); }
  bool start_array(std::size_t) { return start(false) && go_on(); }
  bool end_object() { return end() && go_on(); }
  bool end_array() { return end() && go_on(); }

  bool key(std::string& name) {
    const std::size_t offset = token_start();
    advance_past_token(false);
    Frame& top = frames_.back();
    if (lexer_position_ != nullptr) {
      top.key = name; // for the path of a value the reader does not read (see value_path)
    }
    switch (top.kind) {
    case FrameKind::outer_object:
      pending_ = {SlotKind::ignore, 0};
      if (top.on_path && name == tokens_[top.level]) {
        if (top.matched) {
          report_abs(pointer_prefix(top.level + 1), IssueCode::duplicate_key,
                     "duplicate key " + quote(name) + " on the path to the config", offset);
        } else {
          top.matched = true;
          pending_ = {SlotKind::path, top.level + 1};
        }
      }
      break;
    case FrameKind::config:
      config_key(name, offset);
      break;
    case FrameKind::options:
      options_key(name, offset);
      break;
    default:
      break;
    }
    return go_on();
  }

  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& ex) {
    if (lexer_position_ == nullptr) {
      // A pass without positions (see read_text) only needs to know that the text has an
      // issue: the pass that follows it says what and where.
      report_abs("", IssueCode::parse_error, "syntax error", no_offset);
      stopped_ = true;
      return false;
    }
    const std::size_t start = token_start();
    if (ex.id == 406) { // number overflow: the value of whatever comes next
      const std::string number = truncate_utf8(text_.substr(start, number_length(start)));
      const std::string message = "number " + number + " is out of the range of a double";
      const Slot slot = peek_slot();
      const std::string path = slot_path(slot);
      if (!path.empty() || slot.kind == SlotKind::field) {
        report(path, IssueCode::out_of_range, message, start);
      } else if (!frames_.empty()) { // outside the config, or inside a key it does not know
        report_abs(value_path(), IssueCode::out_of_range, message, start);
      } else {
        report_abs("", IssueCode::parse_error, message, start);
      }
      cut_short();
      return false;
    }
    std::string message = ex.what();
    const auto column_at = message.find(", column ");
    if (column_at != std::string::npos) {
      const auto colon = message.find(": ", column_at);
      message = colon == std::string::npos ? message : message.substr(colon + 2);
    }
    std::size_t offset = start;
    if ((message.find("unexpected ','") != std::string::npos ||
         message.find("unexpected ':'") != std::string::npos) &&
        position > 0 && position <= text_.size()) {
      offset = position - 1; // token_start skips ',' and ':', which here are the token itself
    }
    const auto last_read = message.find("; last read: '");
    if (last_read != std::string::npos) {
      // The lexer stopped inside a token: point at the character it choked on, and quote the
      // text there (nlohmann's "last read" also holds what came before the token).
      offset = std::min(position == 0 ? 0 : position - 1, text_.size());
      // the token may hold anything, "'; expected" too: find what follows it from the end,
      // where nlohmann puts one of its fixed token names
      std::size_t rest = message.size();
      for (const char* expected :
           {"; expected string literal", "; expected number literal", "; expected ':'",
            "; expected ','", "; expected ']'", "; expected '}'", "; expected '['",
            "; expected '{'", "; expected end of input", "; expected '[', '{', or a literal"}) {
        const std::string_view suffix(expected);
        if (message.size() >= suffix.size() &&
            message.compare(message.size() - suffix.size(), suffix.size(), suffix) == 0) {
          rest = message.size() - suffix.size();
          break;
        }
      }
      std::size_t end = offset;
      while (end < text_.size() && end - offset < 24 && !is_separator(text_[end]) &&
             std::strchr("{}[]\"", text_[end]) == nullptr) {
        ++end;
      }
      if (end == offset && offset < text_.size()) {
        ++end;
      }
      message = message.substr(0, last_read) +
                (end > offset ? " at " + quote(text_.substr(offset, end - offset))
                              : std::string(" at the end")) +
                message.substr(rest);
    }
    // after a member or an element, a ',' is as welcome as the closing bracket
    for (const char* close : {"; expected '}'", "; expected ']'"}) {
      const auto at = message.find(close);
      if (at != std::string::npos) {
        message.replace(at, 11, "; expected ',' or ");
      }
    }
    const auto dash = message.find(" - ");
    if (message.rfind("syntax error", 0) == 0 && dash != std::string::npos) {
      message = "syntax error: " + message.substr(dash + 3);
    }
    message = valid_utf8(message); // nothing of the input may reach a message unquoted
    message += hint_at(offset);
    syntax_issue_ = Located{Issue{"", IssueCode::parse_error, message, 0, 0}, offset};
    syntax_error_ = true;
    return false;
  }

  /// Issues found before the first NUL byte or limit; called by the driver.
  void add_limit_issue(IssueCode code, std::string message, std::size_t offset) {
    report_abs("", code, std::move(message), offset);
    cut_short();
  }

  /// Ends the pass: checks the pointer was found, validates (unless `validate` is false: a patch
  /// whose result is validated later), sorts by position and turns byte offsets into lines and
  /// columns. The issues past the cap are only counted (`unlisted`).
  std::vector<Issue> finish(bool validate = true) {
    if (syntax_error_) {
      located_.clear();
      dropped_ = 0;
      located_.push_back(syntax_issue_);
    } else if (!stopped_ || (cut_short_ && !stop_at_first_issue_)) {
      if (cut_short_) {
        // the values read before a limit keep their issues; an options object left open still
        // applies the options it had, and reports the unknown ones
        for (; !frames_.empty(); frames_.pop_back()) {
          if (frames_.back().kind == FrameKind::options) {
            resolve_options(false);
          }
        }
      }
      if (!found_ && !cut_short_) {
        report_abs(prefix_, IssueCode::invalid_value,
                   "the document has no value at JSON pointer " + quote(prefix_), no_offset);
      } else if (found_ && validate) {
        std::vector<Issue> found;
        if (located_.empty() && !cut_short_) {
          validate_into(hp_, "", found);
        } else {
          // rules between fields only once all fields are valid and the document was read whole
          check_fields(hp_, "", found);
        }
        for (auto& issue : found) {
          const std::size_t offset = location_of(issue.path);
          report(issue.path, issue.code, std::move(issue.message), offset);
        }
      }
    }
    std::stable_sort(located_.begin(), located_.end(),
                     [](const Located& a, const Located& b) { return a.offset < b.offset; });
    std::vector<Issue> issues;
    if (located_.empty()) {
      return issues;
    }
    issues.reserve(located_.size() + 1);
    std::size_t line = 1;
    std::size_t column = first_column_;
    std::size_t at = text_.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0; // a BOM takes no column
    for (auto& item : located_) {
      if (item.offset != no_offset && lexer_position_ != nullptr) {
        const std::size_t target = std::min(item.offset, text_.size());
        for (; at < target; ++at) {
          const auto c = static_cast<unsigned char>(text_[at]);
          if (c == '\n') {
            ++line;
            column = 1;
          } else if ((c & 0xC0U) != 0x80U) {
            ++column; // count code points, not bytes
          }
        }
        item.issue.line = line;
        item.issue.column = column;
      }
      issues.push_back(std::move(item.issue));
    }
    return issues;
  }

  [[nodiscard]] HyperParams& result() { return hp_; }
  /// The column of the text's first character (an override's value starts after its key).
  void start_at_column(std::size_t column) { first_column_ = column; }
  /// How many issues `finish` left out of its list (the limit is `LoadOptions::max_issues`).
  [[nodiscard]] std::size_t unlisted() const { return dropped_; }

private:
  enum class FrameKind : std::uint8_t { outer_object, outer_array, skip, config, neurons, options };
  struct Frame {
    FrameKind kind;
    bool object = false;
    bool on_path = false;
    bool matched = false;
    std::size_t level = 0; ///< pointer tokens matched by this container
    std::size_t index = 0; ///< next array index
    std::string key;       ///< the last key of an object (tracked only in a located pass)
  };
  enum class SlotKind : std::uint8_t { ignore, path, field, neuron, option, schema_key };
  struct Slot {
    SlotKind kind = SlotKind::ignore;
    std::size_t n = 0; ///< tokens matched (path), field index, array index or option index
  };
  struct Located {
    Issue issue;
    std::size_t offset = no_offset;
  };
  struct BufferedOption { ///< optimizer options wait for "name", which may come last
    std::string key;
    std::string text;
    Scalar value;
    std::size_t key_offset = no_offset;
    std::size_t value_offset = no_offset;
    bool usable = false;
    [[nodiscard]] Scalar scalar() const {
      Scalar s = value;
      s.text = text;
      return s;
    }
  };

  // ----- positions ----------------------------------------------------------------------------
  static bool is_separator(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ':';
  }

  /// Offset where the token of the current event starts: after the previous token, past
  /// whitespace, ',' and ':' (nothing else can stand between two SAX events).
  std::size_t token_start() {
    if (lexer_position_ == nullptr) {
      return no_offset;
    }
    std::size_t p = cursor_;
    if (p == 0 && text_.substr(0, 3) == "\xEF\xBB\xBF") {
      p = 3;
    }
    while (p < text_.size() && is_separator(text_[p])) {
      ++p;
    }
    cursor_ = p;
    return p;
  }

  /// The limits and a number out of the range of a double end the parse early.
  void cut_short() {
    stopped_ = true;
    cut_short_ = true;
  }

  /// Absolute pointer of the value the parser is at, from the keys and indices of the open
  /// containers (for values outside the config, which no slot describes).
  std::string value_path() const {
    std::string path;
    for (std::size_t i = 0; i < frames_.size(); ++i) {
      const Frame& frame = frames_[i];
      if (frame.object) {
        path += pointer_token(frame.key);
      } else {
        // an enclosing array has counted the element it is in; the innermost, not yet
        const std::size_t index = i + 1 < frames_.size() ? frame.index - 1 : frame.index;
        path += "/" + std::to_string(index);
      }
    }
    return path;
  }

  /// Length of the JSON number at `start` (see `json_number_length`).
  std::size_t number_length(std::size_t start) const {
    return start == no_offset || start > text_.size() ? 0 : json_number_length(text_.substr(start));
  }

  /// Moves the cursor past the current token (numbers: the lexer read one character ahead).
  void advance_past_token(bool number) {
    if (lexer_position_ == nullptr) {
      return;
    }
    if (number) {
      cursor_ += number_length(cursor_);
    } else {
      cursor_ = static_cast<std::size_t>(*lexer_position_ - text_.data());
    }
  }

  std::string hint_at(std::size_t offset) const {
    if (offset >= text_.size()) {
      return "";
    }
    const std::string_view rest = text_.substr(offset);
    if (rest[0] == '/') {
      return " (comments are not allowed in JSON)";
    }
    if (rest[0] == '#') {
      return " (JSON has no comments)";
    }
    if (rest[0] == '\'') {
      return " (JSON strings use double quotes)";
    }
    if (rest.substr(0, 3) == "NaN" || rest.substr(0, 8) == "Infinity" ||
        rest.substr(0, 9) == "-Infinity") {
      return " (JSON has no NaN or Infinity)";
    }
    if (rest.substr(0, 4) == "None" || rest.substr(0, 4) == "True" ||
        rest.substr(0, 5) == "False") {
      return " (the JSON literals are null, true and false)";
    }
    if (rest.substr(0, 3) == "\xE2\x80\x9C" || rest.substr(0, 3) == "\xE2\x80\x9D") {
      return " (typographic quotes; JSON needs plain \")";
    }
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    std::size_t before = offset; // the character before, past whitespace
    while (before > 0 && std::strchr(" \t\r\n", text_[before - 1]) != nullptr) {
      --before;
    }
    const char previous = before > 0 ? text_[before - 1] : '\0';
    if ((rest[0] == '}' || rest[0] == ']') && previous == ',') {
      return " (trailing commas are not allowed in JSON)";
    }
    // a number that starts with a lone 0: "0x10" or "032" (the lexer ends the number after it)
    const bool after_zero = before == offset && previous == '0' &&
                            (offset < 2 || !(digit(text_[offset - 2]) || text_[offset - 2] == '.' ||
                                             text_[offset - 2] == 'e' || text_[offset - 2] == 'E'));
    if (after_zero && (rest[0] == 'x' || rest[0] == 'X')) {
      return " (JSON has no hexadecimal numbers)";
    }
    if (after_zero && digit(rest[0])) {
      return " (JSON numbers have no leading zeros)";
    }
    if (rest[0] == '.') { // ".5" or "-.5" where a value starts, not "1.0.0"
      std::size_t p = offset > 0 && text_[offset - 1] == '-' ? offset - 1 : offset;
      while (p > 0 && std::strchr(" \t\r\n", text_[p - 1]) != nullptr) {
        --p;
      }
      if (p == 0 || std::strchr(":[,", text_[p - 1]) != nullptr) {
        return " (JSON numbers need a digit before the decimal point, as in 0.5)";
      }
    }
    if (rest[0] == '+') {
      return " (JSON numbers have no plus sign)";
    }
    return "";
  }

  // ----- issues -------------------------------------------------------------------------------
  void report_abs(std::string path, IssueCode code, std::string message, std::size_t offset) {
    if (located_.size() >= limits_.max_issues) {
      ++dropped_;
      return;
    }
    located_.push_back(Located{Issue{std::move(path), code, std::move(message), 0, 0}, offset});
  }
  /// `path` relative to the config object.
  void report(const std::string& path, IssueCode code, std::string message, std::size_t offset) {
    report_abs(prefix_ + path, code, std::move(message), offset);
  }
  bool full() const { return located_.size() >= limits_.max_issues; }

  std::string pointer_prefix(std::size_t level) const {
    std::string out;
    for (std::size_t i = 0; i < level; ++i) {
      out += pointer_token(tokens_[i]);
    }
    return out;
  }

  /// Records where a value was, for issues found later by `validate`. Only the second pass
  /// over a text with issues records (see `read_text`): a valid config costs nothing here.
  template <class Path>
  void remember(const Path& path, std::size_t offset) {
    if (record_locations_ && offset != no_offset) {
      locations_.emplace_back(path(), offset);
    }
  }

  /// Offset of `path` (relative), or of its nearest ancestor that came from the text.
  std::size_t location_of(std::string path) const {
    while (true) {
      for (const auto& entry : locations_) {
        if (entry.first == path) {
          return entry.second;
        }
      }
      const auto slash = path.rfind('/');
      if (slash == std::string::npos) {
        return config_offset_;
      }
      path.resize(slash);
    }
  }

  // ----- slots: what the next value is --------------------------------------------------------
  Slot peek_slot() const {
    if (frames_.empty()) {
      return {SlotKind::path, 0};
    }
    const Frame& top = frames_.back();
    switch (top.kind) {
    case FrameKind::outer_object:
    case FrameKind::config:
    case FrameKind::options:
      return pending_;
    case FrameKind::outer_array:
      if (top.on_path && std::to_string(top.index) == tokens_[top.level]) {
        return {SlotKind::path, top.level + 1};
      }
      return {SlotKind::ignore, 0};
    case FrameKind::neurons:
      return {SlotKind::neuron, top.index};
    case FrameKind::skip:
      break;
    }
    return {SlotKind::ignore, 0};
  }

  Slot take_slot() {
    const Slot slot = peek_slot();
    if (!frames_.empty() && !frames_.back().object) {
      ++frames_.back().index;
    }
    return slot;
  }

  std::string field_name(std::size_t index) const {
    std::string name;
    visit_field<HyperParams>(index, [&](const auto& fld) { name = std::string(fld.name); });
    return name;
  }

  /// Relative path of a slot's value ("" for values outside the config).
  std::string slot_path(const Slot& slot) const {
    switch (slot.kind) {
    case SlotKind::field:
      return "/" + field_name(slot.n);
    case SlotKind::neuron:
      return "/" + field_name(list_field_) + "/" + std::to_string(slot.n);
    case SlotKind::option:
      return "/" + field_name(options_field_) + pointer_token(buffered_[slot.n].key);
    case SlotKind::schema_key:
      return "/$schema";
    default:
      return "";
    }
  }

  // ----- events -------------------------------------------------------------------------------
  bool scalar(const Scalar& s, bool number = false) {
    const std::size_t offset = token_start();
    advance_past_token(number);
    const Slot slot = take_slot();
    switch (slot.kind) {
    case SlotKind::path:
      if (slot.n == tokens_.size()) {
        found_ = true;
        config_offset_ = offset;
        report_abs(prefix_, IssueCode::type_error,
                   "expected an object of hyperparameters, got " + describe(s), offset);
      }
      break;
    case SlotKind::field:
      visit_field<HyperParams>(slot.n, [&](const auto& fld) {
        read_value(
            hp_.*fld.member, fld.range, s, [&] { return "/" + std::string(fld.name); }, offset);
      });
      break;
    case SlotKind::neuron: {
      std::int32_t width = 1; // stands in for a bad width, so the count stays right
      read_value(
          width, count, s, [&] { return slot_path(slot); }, offset);
      list_.push_back(width);
      break;
    }
    case SlotKind::option: {
      BufferedOption& option = buffered_[slot.n];
      option.text = std::string(s.text);
      option.value = s; // its text is re-pointed at option.text when applied
      option.value_offset = offset;
      option.usable = true;
      break;
    }
    case SlotKind::schema_key:
      if (s.kind != Scalar::Kind::string) {
        report("/$schema", IssueCode::type_error, "expected a URI (a string), got " + describe(s),
               offset);
      }
      break;
    case SlotKind::ignore:
      break;
    }
    return true;
  }

  /// Reads `s` into `member`; `path()` builds the value's pointer only when it is needed.
  template <class T, class Path>
  bool read_value(T& member, const Range& range, const Scalar& s, const Path& path,
                  std::size_t offset) {
    Problem problem;
    if (read_scalar(s, member, range, problem)) {
      remember(path, offset);
      return true;
    }
    report(path(), problem.code, std::move(problem.message), offset);
    return false;
  }

  bool start(bool object) {
    const std::size_t offset = token_start();
    advance_past_token(false);
    if (frames_.size() + 1 > limits_.max_depth) {
      add_limit_issue(IssueCode::limit_exceeded,
                      "nesting deeper than " + std::to_string(limits_.max_depth) + " levels",
                      offset);
      return false;
    }
    const Slot slot = take_slot();
    const char* got = object ? "an object" : "an array";
    FrameKind kind = FrameKind::skip;
    switch (slot.kind) {
    case SlotKind::path:
      if (slot.n == tokens_.size()) {
        found_ = true;
        config_offset_ = offset;
        if (object) {
          kind = FrameKind::config;
        } else {
          report_abs(prefix_, IssueCode::type_error,
                     std::string("expected an object of hyperparameters, got ") + got, offset);
        }
      } else {
        frames_.push_back(Frame{object ? FrameKind::outer_object : FrameKind::outer_array,
                                object,
                                true,
                                false,
                                slot.n,
                                0,
                                {}});
        return true;
      }
      break;
    case SlotKind::field:
      visit_field<HyperParams>(slot.n, [&](const auto& fld) {
        using T = std::decay_t<decltype(hp_.*fld.member)>;
        const std::string path = "/" + std::string(fld.name);
        if constexpr (std::is_same_v<T, Neurons>) {
          if (!object) {
            kind = FrameKind::neurons;
            list_.clear();
            list_field_ = slot.n;
            list_offset_ = offset;
            return;
          }
        } else if constexpr (is_options_variant<T>::value) {
          if (object) {
            kind = FrameKind::options;
            buffered_.clear();
            unknown_options_.clear();
            options_field_ = slot.n;
            options_offset_ = offset;
            return;
          }
        }
        report(path, IssueCode::type_error, "expected " + expected_text<T>() + ", got " + got,
               offset);
      });
      break;
    case SlotKind::neuron:
      list_.push_back(1); // the bad element still counts as one width
      report(slot_path(slot), IssueCode::type_error, std::string("expected an integer, got ") + got,
             offset);
      break;
    case SlotKind::option:
      report(slot_path(slot), IssueCode::type_error,
             std::string(buffered_[slot.n].key == "name"
                             ? "expected a name (a string), got "
                             : "expected a number or true/false, got ") +
                 got,
             offset);
      buffered_[slot.n].usable = false; // reported: not an option to apply
      if (buffered_[slot.n].key != "name") {
        buffered_[slot.n].key.clear(); // a "name" stays, as one given and not usable
      }
      break;
    case SlotKind::schema_key:
      report("/$schema", IssueCode::type_error,
             std::string("expected a URI (a string), got ") + got, offset);
      break;
    case SlotKind::ignore:
      break;
    }
    frames_.push_back(Frame{kind, object, false, false, 0, 0, {}});
    return true;
  }

  bool end() {
    token_start();
    advance_past_token(false);
    const Frame frame = frames_.back();
    frames_.pop_back();
    if (frame.kind == FrameKind::neurons) {
      visit_field<HyperParams>(list_field_, [&](const auto& fld) {
        using T = std::decay_t<decltype(hp_.*fld.member)>;
        if constexpr (std::is_same_v<T, Neurons>) {
          remember([&] { return "/" + std::string(fld.name); }, list_offset_);
          hp_.*fld.member = std::move(list_);
        }
      });
      list_ = {};
    } else if (frame.kind == FrameKind::options) {
      resolve_options();
    }
    return true;
  }

  void config_key(const std::string& name, std::size_t offset) {
    pending_ = {SlotKind::ignore, 0};
    if (std::string_view(name) == "$schema") {
      if (schema_seen_ != no_offset) {
        report("/$schema", IssueCode::duplicate_key, duplicate_message(name, schema_seen_), offset);
      } else {
        schema_seen_ = offset == no_offset ? 0 : offset;
        pending_ = {SlotKind::schema_key, 0};
      }
      return;
    }
    const bool known = with_field<HyperParams>(name, [&](const auto&, std::size_t index) {
      if (seen_[index] != no_offset) {
        report(pointer_token(name), IssueCode::duplicate_key, duplicate_message(name, seen_[index]),
               offset);
      } else {
        seen_[index] = offset == no_offset ? 0 : offset;
        pending_ = {SlotKind::field, index};
      }
    });
    if (!known) {
      if (full()) {
        ++dropped_;
        return;
      }
      std::string message = "unknown key " + quote(name);
      if (const auto suggestion = closest(name, field_names<HyperParams>())) {
        message += "; did you mean \"" + std::string(*suggestion) + "\"?";
      } else {
        message += "; the keys are " + join(field_names<HyperParams>());
      }
      report(pointer_token(name), IssueCode::unknown_key, std::move(message), offset);
    }
  }

  /// "duplicate key ... (first at line L, column C)". Empty once the issue list is full, so
  /// that thousands of duplicates do not each scan the text for a line number.
  std::string duplicate_message(const std::string& name, std::size_t first) const {
    if (full()) {
      return {};
    }
    std::string message = "duplicate key " + quote(name);
    if (lexer_position_ != nullptr && first != no_offset) {
      std::size_t line = 1;
      std::size_t column = first_column_;
      for (std::size_t i = 0; i < first && i < text_.size(); ++i) {
        const auto c = static_cast<unsigned char>(text_[i]);
        if (c == '\n') {
          ++line;
          column = 1;
        } else if ((c & 0xC0U) != 0x80U) {
          ++column;
        }
      }
      message +=
          " (first at line " + std::to_string(line) + ", column " + std::to_string(column) + ")";
    }
    return message;
  }

  void options_key(const std::string& name, std::size_t offset) {
    pending_ = {SlotKind::ignore, 0};
    const auto path = [&] { return "/" + field_name(options_field_) + pointer_token(name); };
    bool known = name == "name";
    visit_field<HyperParams>(options_field_, [&](const auto& fld) {
      using T = std::decay_t<decltype(std::declval<HyperParams&>().*fld.member)>;
      if constexpr (is_options_variant<T>::value) {
        std::vector<std::string_view> owners;
        owners_of<T>(name, owners);
        known = known || !owners.empty();
      }
    });
    if (!known) {
      // an option of no alternative: its message names the options of the chosen alternative,
      // known once "name" is read (it may come last). Only as many as can be listed wait for
      // it, so that an object with thousands of keys costs no more than thousands of top-level
      // keys; the rest are counted now.
      if (full() || unknown_options_.size() >= limits_.max_issues) {
        ++dropped_;
      } else {
        unknown_options_.emplace_back(name, offset);
      }
      return;
    }
    for (const auto& option : buffered_) { // at most one entry per known option name
      if (option.key == name) {
        report(path(), IssueCode::duplicate_key, duplicate_message(name, option.key_offset),
               offset);
        return;
      }
    }
    BufferedOption option;
    option.key = name;
    option.key_offset = offset;
    buffered_.push_back(std::move(option));
    pending_ = {SlotKind::option, buffered_.size() - 1};
  }

  /// Applies the buffered options of the object at `options_field_`: "name" first (a change of
  /// optimizer resets its options to that optimizer's defaults), then every option. When which
  /// alternative is meant is not known (a bad "name", or an object cut short before its
  /// "name": `complete` false), only what is wrong for every alternative is reported.
  void resolve_options(bool complete = true) {
    visit_field<HyperParams>(options_field_, [&](const auto& fld) {
      using T = std::decay_t<decltype(hp_.*fld.member)>;
      if constexpr (is_options_variant<T>::value) {
        T& target = hp_.*fld.member;
        const auto base = [&] { return "/" + std::string(fld.name); };
        remember(base, options_offset_);
        bool named = false;
        bool known = true;
        for (auto& option : buffered_) {
          if (option.key == "name") {
            named = true;
            const auto path = [&] { return base() + "/name"; };
            auto kind = kind_of(target);
            Problem problem;
            known = option.usable && read_name(option.scalar(), kind, problem);
            if (known) {
              remember(path, option.value_offset);
              if (kind != kind_of(target)) {
                target = default_alternative<T>(kind); // another optimizer: its own defaults
              }
            } else if (option.usable) {
              report(path(), problem.code, std::move(problem.message), option.value_offset);
            }
            option.usable = false;
          }
        }
        known = known && (named || complete);
        for (const auto& option : buffered_) {
          if (option.usable && known) {
            apply_option(target, option, base);
          }
        }
        for (const auto& [key, key_offset] : unknown_options_) {
          report(base() + pointer_token(key), IssueCode::unknown_key,
                 known ? unknown_option_message<T>(key, kind_of(target))
                       : option_of_none_message<T>(key),
                 key_offset);
        }
      }
    });
    buffered_.clear();
    unknown_options_.clear();
  }

  /// "unknown option "x": no optimizer has it ...", for when the alternative is not known.
  template <class V>
  static std::string option_of_none_message(const std::string& key) {
    std::vector<std::string_view> names{"name"};
    for_each_alternative<V>([&](const auto& options) {
      for (const auto option : field_names<std::decay_t<decltype(options)>>()) {
        if (std::find(names.begin(), names.end(), option) == names.end()) {
          names.push_back(option);
        }
      }
    });
    std::string message = "unknown option " + quote(key) + ": no " +
                          std::string(EnumNames<options_kind_t<V>>::what) + " has it";
    if (const auto suggestion = closest(key, names)) {
      return message + "; did you mean \"" + std::string(*suggestion) + "\"?";
    }
    return message + ". Options: " + join(names);
  }

  template <class V, class Path>
  void apply_option(V& target, const BufferedOption& option, const Path& base) {
    std::visit(
        [&](auto& opts) {
          using Opts = std::decay_t<decltype(opts)>;
          const auto path = [&] { return base() + pointer_token(option.key); };
          const bool known = with_field<Opts>(option.key, [&](const auto& fld, std::size_t) {
            read_value(opts.*fld.member, fld.range, option.scalar(), path, option.value_offset);
          });
          if (!known && full()) {
            ++dropped_;
          } else if (!known) {
            report(path(), IssueCode::unknown_key, unknown_option_message<V>(option.key, opts.kind),
                   option.key_offset);
          }
        },
        target);
  }

  template <class V, class F, std::size_t I = 0>
  static void for_each_alternative(F&& f) {
    if constexpr (I < std::variant_size_v<V>) {
      f(std::variant_alternative_t<I, V>{});
      for_each_alternative<V, F, I + 1>(std::forward<F>(f));
    }
  }

  template <class V, std::size_t I = 0>
  static void owners_of(std::string_view key, std::vector<std::string_view>& owners) {
    if constexpr (I < std::variant_size_v<V>) {
      using Opts = std::variant_alternative_t<I, V>;
      if (with_field<Opts>(key, [](const auto&, std::size_t) {})) {
        owners.push_back(enum_to_string(Opts::kind));
      }
      owners_of<V, I + 1>(key, owners);
    }
  }

  template <class V, class Kind>
  std::string unknown_option_message(const std::string& key, Kind kind) const {
    const std::string owner(enum_to_string(kind));
    std::string message = "unknown option " + quote(key) + " of " + owner;
    std::vector<std::string_view> owners;
    owners_of<V>(key, owners);
    std::vector<std::string_view> names;
    std::visit([&](const auto& opts) { names = field_names<std::decay_t<decltype(opts)>>(); },
               default_alternative<V>(kind));
    if (!owners.empty()) {
      message += "; it is an option of " + join(owners) + " (set \"name\" to use it).";
    } else if (const auto suggestion = closest(key, names)) {
      message += "; did you mean \"" + std::string(*suggestion) + "\"?";
    } else {
      message += '.';
    }
    message += " Options of " + owner + ": name, " + join(names);
    return message;
  }

  HyperParams hp_;
  std::string_view text_;
  const char* const* lexer_position_;
  std::vector<std::string> tokens_;
  std::string prefix_;
  const LoadOptions& limits_;
  bool record_locations_;
  bool stop_at_first_issue_;

  std::size_t cursor_ = 0;
  std::vector<Frame> frames_;
  Slot pending_;
  bool found_ = false;
  bool syntax_error_ = false;
  bool stopped_ = false;
  bool cut_short_ = false;
  std::size_t first_column_ = 1;
  Located syntax_issue_;
  std::vector<Located> located_;
  std::size_t dropped_ = 0;
  std::vector<std::pair<std::string, std::size_t>> locations_;
  std::size_t config_offset_ = no_offset;
  std::size_t seen_[field_count<HyperParams>] = {};
  std::size_t schema_seen_ = no_offset;

  std::vector<std::int32_t> list_;
  std::size_t list_field_ = 0;
  std::size_t list_offset_ = no_offset;
  std::vector<BufferedOption> buffered_;
  std::vector<std::pair<std::string, std::size_t>> unknown_options_; ///< key, offset
  std::size_t options_field_ = 0;
  std::size_t options_offset_ = no_offset;
};

/// A forward iterator over the text that publishes how far the lexer has read, so the reader
/// can tell where each SAX event's token is without a second pass.
class PositionIterator {
public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  PositionIterator() = default;
  explicit PositionIterator(const char** position) : position_(position) {}
  reference operator*() const { return **position_; }
  PositionIterator& operator++() {
    ++*position_;
    return *this;
  }
  PositionIterator operator++(int) {
    PositionIterator copy = *this;
    ++*position_;
    return copy;
  }
  bool operator==(const PositionIterator& other) const { return *position_ == *other.position_; }
  bool operator!=(const PositionIterator& other) const { return !(*this == other); }

private:
  const char** position_ = nullptr;
};

/// Sends a DOM to a SAX handler without recursion (a hostile DOM may be deeper than the stack).
template <class Handler>
bool walk_dom(const nlohmann::json& root, Handler& handler) {
  using json = nlohmann::json;
  struct Level {
    const json* node;
    json::const_iterator it;
  };
  std::vector<Level> stack;
  auto visit = [&](const json& value) -> bool {
    switch (value.type()) {
    case json::value_t::object:
      if (!handler.start_object(value.size())) {
        return false;
      }
      stack.push_back(Level{&value, value.cbegin()});
      return true;
    case json::value_t::array:
      if (!handler.start_array(value.size())) {
        return false;
      }
      stack.push_back(Level{&value, value.cbegin()});
      return true;
    case json::value_t::boolean:
      return handler.boolean(value.get<bool>());
    case json::value_t::number_integer:
      return handler.number_integer(value.get<std::int64_t>());
    case json::value_t::number_unsigned:
      return handler.number_unsigned(value.get<std::uint64_t>());
    case json::value_t::number_float:
      return handler.number_float(value.get<double>(), std::string());
    case json::value_t::string: {
      std::string copy = value.get<std::string>();
      return handler.string(copy);
    }
    default:
      return handler.null();
    }
  };
  if (!visit(root)) {
    return false;
  }
  while (!stack.empty()) {
    Level& top = stack.back();
    if (top.it == top.node->cend()) {
      const bool object = top.node->is_object();
      stack.pop_back();
      if (!(object ? handler.end_object() : handler.end_array())) {
        return false;
      }
      continue;
    }
    const auto it = top.it++;
    if (top.node->is_object()) {
      std::string key = it.key();
      if (!handler.key(key)) {
        return false;
      }
    }
    if (!visit(*it)) {
      return false;
    }
  }
  return true;
}

/// A sink that builds an nlohmann DOM.
class DomSink {
public:
  explicit DomSink(nlohmann::json& root) : root_(root) {}
  void begin_object() { stack_.push_back(&put(nlohmann::json::object())); }
  void begin_array() { stack_.push_back(&put(nlohmann::json::array())); }
  void end_object() { stack_.pop_back(); }
  void end_array() { stack_.pop_back(); }
  void key(std::string_view name) { key_ = std::string(name); }
  void real(double v) { put(v == 0.0 ? 0.0 : v); }
  void integer(std::int64_t v) { put(v); }
  void unsigned_integer(std::uint64_t v) { put(v); }
  void boolean(bool v) { put(v); }
  void string(std::string_view v) { put(std::string(v)); }

private:
  nlohmann::json& put(nlohmann::json value) {
    if (stack_.empty()) {
      root_ = std::move(value);
      return root_;
    }
    nlohmann::json& parent = *stack_.back();
    if (parent.is_object()) {
      return parent[key_] = std::move(value);
    }
    parent.push_back(std::move(value));
    return parent.back();
  }

  nlohmann::json& root_;
  std::vector<nlohmann::json*> stack_;
  std::string key_;
};

[[noreturn]] inline void throw_issue(std::string source, std::string path, IssueCode code,
                                     std::string message) {
  throw ConfigError({Issue{std::move(path), code, std::move(message), 0, 0}}, std::move(source));
}

/// Pointer tokens and the normalised prefix of `options.pointer`; throws on a bad pointer.
inline std::vector<std::string> pointer_tokens(const LoadOptions& options,
                                               std::string_view source) {
  auto tokens = split_pointer(options.pointer);
  if (!tokens) {
    throw_issue(std::string(source), "", IssueCode::invalid_value,
                "invalid JSON pointer " + quote(options.pointer) +
                    ": it must be empty or start with '/'");
  }
  return *tokens;
}

/// `nlohmann::json::sax_parse(first, last, &reader)` for JSON text. `json::sax_parse` takes the
/// input format at run time, so each call also compiles nlohmann's CBOR, MessagePack, UBJSON,
/// BJData and BSON readers; for the nlohmann versions whose parser this is known to match
/// (3.10, 3.11) the JSON parser is called directly instead, which is what `sax_parse` does for
/// JSON. Other versions take the public function.
template <class Iterator>
bool sax_parse_json(Iterator first, Iterator last, ConfigReader& reader) {
#if NLOHMANN_JSON_VERSION_MAJOR == 3 && NLOHMANN_JSON_VERSION_MINOR >= 10 &&                       \
    NLOHMANN_JSON_VERSION_MINOR <= 11
  auto adapter = nlohmann::detail::input_adapter(std::move(first), std::move(last));
  return nlohmann::detail::parser<nlohmann::json, decltype(adapter)>(std::move(adapter), nullptr,
                                                                     true, false)
      .sax_parse(&reader, true);
#else
  return nlohmann::json::sax_parse(std::move(first), std::move(last), &reader,
                                   nlohmann::json::input_format_t::json, true, false);
#endif
}

/// Where a text that is one value stands: at `path` in the config (an override's key,
/// `{"optimizer", "momentum"}`), its first character at `column`. Empty: a whole document.
struct ValueAt {
  std::vector<std::string> path;
  std::size_t column = 1;
};

/// The issues of a pass, and how many more there were than `LoadOptions::max_issues`.
struct ReadResult {
  HyperParams value;
  std::vector<Issue> issues;
  std::size_t unlisted = 0;
  [[nodiscard]] bool failed() const { return !issues.empty() || unlisted > 0; }
};

/// Appends the issue that counts the issues left out of a capped list, if any were.
inline void append_unlisted(std::vector<Issue>& issues, std::size_t unlisted, std::size_t limit) {
  if (unlisted > 0) {
    issues.push_back(Issue{"", IssueCode::limit_exceeded,
                           std::to_string(unlisted) + " more issue" + (unlisted == 1 ? "" : "s") +
                               " not shown (the limit is " + std::to_string(limit) + ")",
                           0, 0});
  }
}

/// One pass of `read_text`. With `record_locations`, the lexer's position is tracked (every
/// issue gets its offset) and the place of every value is recorded; without, the text is read
/// through plain pointers up to the first issue, which has no offset (a syntax error is only
/// flagged). `at`: see `read_text`.
inline ReadResult read_pass(const HyperParams& base, std::string_view text, std::string_view source,
                            const LoadOptions& options, bool validate, bool record_locations,
                            const ValueAt& at) {
  auto tokens = pointer_tokens(options, source);
  const char* position = text.data();
  ConfigReader reader(base, text, record_locations ? &position : nullptr, std::move(tokens),
                      options.pointer, options, record_locations, !record_locations);
  reader.start_at_column(at.column);
  const auto feed = [&](auto first, auto last) {
    // the value at `at`: as if it stood in {"a": {"b": value}}, without that text around it
    for (std::string key : at.path) {
      if (!reader.start_object(1) || !reader.key(key)) {
        return;
      }
    }
    if (sax_parse_json(first, last, reader)) {
      for (std::size_t i = 0; i < at.path.size(); ++i) {
        if (!reader.end_object()) {
          return;
        }
      }
    }
  };
  if (text.size() > options.max_bytes) {
    reader.add_limit_issue(IssueCode::limit_exceeded,
                           "input of " + std::to_string(text.size()) +
                               " bytes is larger than the limit of " +
                               std::to_string(options.max_bytes) + " bytes",
                           no_offset);
  } else if (const void* nul = std::memchr(text.data(), '\0', text.size())) {
    const auto offset = static_cast<std::size_t>(static_cast<const char*>(nul) - text.data());
    reader.add_limit_issue(IssueCode::parse_error,
                           "NUL byte (U+0000) in the input: JSON text cannot contain it", offset);
  } else if (record_locations) {
    const char* end = text.data() + text.size();
    feed(PositionIterator(&position), PositionIterator(&end));
  } else { // plain pointers: nlohmann's fastest input, and nothing to track
    feed(text.data(), text.data() + text.size());
  }
  auto issues = reader.finish(validate);
  return {std::move(reader.result()), std::move(issues), reader.unlisted()};
}

/// Reads `text` into a copy of `base` (the defaults, or a config being overridden) and returns
/// the result with its issues; `validate` false skips the checks of the result as a whole.
/// With `at` (an override's key), `text` is the value at that path of the config, and issues
/// are located in `text`.
/// The first pass tracks and records nothing and stops at its first issue; only when it finds
/// one does a second pass read the whole text again, tracking the lexer's position and recording
/// where each value was, so that every issue, including those found by validation after the
/// text was read, is listed and located.
inline ReadResult read_text(const HyperParams& base, std::string_view text, std::string_view source,
                            const LoadOptions& options, bool validate, const ValueAt& at = {}) {
  auto result = read_pass(base, text, source, options, validate, false, at);
  if (result.failed() && text.size() <= options.max_bytes) {
    return read_pass(base, text, source, options, validate, true, at);
  }
  return result;
}

} // namespace detail

HYPERPARAMS_INLINE HyperParams parse(std::string_view text, std::string_view source,
                                     const LoadOptions& options) {
  auto result = detail::read_text(HyperParams{}, text, source, options, true);
  if (result.failed()) {
    detail::append_unlisted(result.issues, result.unlisted, options.max_issues);
    throw ConfigError(std::move(result.issues), std::string(source));
  }
  return std::move(result.value);
}

namespace detail {

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

} // namespace detail

HYPERPARAMS_INLINE HyperParams load_file(const std::filesystem::path& path,
                                         const LoadOptions& options) {
  const std::string text = detail::read_file(path, options.max_bytes);
  return parse(text, path.string(), options);
}

HYPERPARAMS_INLINE HyperParams load_stream(std::istream& in, std::string_view source,
                                           const LoadOptions& options) {
  const std::string text = detail::read_limited(in, options.max_bytes, std::string(source));
  return parse(text, source, options);
}

HYPERPARAMS_INLINE std::string dump(const HyperParams& hp) {
  check(hp);
  return detail::to_json_text(hp, true);
}

HYPERPARAMS_INLINE void save_file(const std::filesystem::path& path, const HyperParams& hp) {
  check(hp, path.string());
  std::string text = detail::to_json_text(hp, true);
  text += '\n';
  detail::atomic_write(path, text);
}

HYPERPARAMS_INLINE void to_json(nlohmann::json& j, const HyperParams& hp) {
  check(hp);
  detail::DomSink sink(j);
  detail::emit_value(hp, sink);
}

HYPERPARAMS_INLINE void from_json(const nlohmann::json& j, HyperParams& hp) {
  const LoadOptions options;
  detail::ConfigReader reader(HyperParams{}, {}, nullptr, {}, "", options);
  detail::walk_dom(j, reader);
  auto issues = reader.finish();
  if (!issues.empty() || reader.unlisted() > 0) {
    detail::append_unlisted(issues, reader.unlisted(), options.max_issues);
    throw ConfigError(std::move(issues), "<json>");
  }
  hp = std::move(reader.result());
}

} // namespace hyperparams
