// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The SAX reader: builds a `HyperParams` from nlohmann's SAX events, checking types, bounds,
/// unknown and duplicate keys and limits as it goes, and locating every issue in the text. Not
/// for users.

#include "hyperparams/detail/number_text.hpp"
#include "hyperparams/detail/text.hpp"
#include "hyperparams/fields.hpp"
#include "hyperparams/impl/json_scalars.hpp"
#include "hyperparams/impl/json_syntax.hpp"
#include "hyperparams/json.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hyperparams::detail {

inline constexpr std::size_t no_offset = static_cast<std::size_t>(-1);

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
    auto [message, offset] = syntax_error(text_, ex.what(), position, start);
    syntax_issue_ = Located{Issue{"", IssueCode::parse_error, std::move(message), 0, 0}, offset};
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
    while (p < text_.size() && is_json_separator(text_[p])) {
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
      const auto keys = field_names<HyperParams>();
      report(pointer_token(name), IssueCode::unknown_key,
             "unknown key " + quote(name) +
                 did_you_mean(name, keys, "; the keys are " + join(keys)),
             offset);
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
    return "unknown option " + quote(key) + ": no " +
           std::string(EnumNames<options_kind_t<V>>::what) + " has it" +
           did_you_mean(key, names, ". Options: " + join(names));
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
    message += owners.empty()
                   ? did_you_mean(key, names, ".")
                   : "; it is an option of " + join(owners) + " (set \"name\" to use it).";
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

} // namespace hyperparams::detail
