// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The SAX reader: builds any described struct from nlohmann's SAX events, checking types,
/// bounds, unknown, duplicate and missing keys and limits as it goes, and locating every issue in
/// the text. It is a stack of frames, one per open container: a struct (its own set of keys
/// seen), a list, a map, or a variant of option structs (its own buffer of events, replayed into
/// the alternative its "name" chooses, which may come last). What a frame does with a key or a
/// value comes from the member type's operations (impl/reader_ops.hpp), instantiated once per
/// type. Not for users.

#include "hyperparams/detail/member_types.hpp"
#include "hyperparams/detail/number_text.hpp"
#include "hyperparams/detail/text.hpp"
#include "hyperparams/fields.hpp"
#include "hyperparams/impl/json_syntax.hpp"
#include "hyperparams/impl/load_options.hpp"
#include "hyperparams/impl/reader_frames.hpp"

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

/// Builds a described struct from SAX events (nlohmann's interface), checking as it goes. Fed by
/// `nlohmann::json::sax_parse` over text (with byte offsets) or by `walk_dom` (without).
class ConfigReader {
public:
  /// Reads into `*target`, of the type `root` describes. `stop_at_first_issue`: end the pass at
  /// the first issue, skipping validation (a first pass only needs to know whether there is
  /// one; see `read_text`).
  ConfigReader(void* target, const RootOps& root, std::string_view text,
               const char* const* lexer_position, std::vector<std::string> tokens,
               std::string prefix, const LoadOptions& options, bool record_locations = false,
               bool stop_at_first_issue = false)
      : target_(target), root_(root), text_(text), lexer_position_(lexer_position),
        tokens_(std::move(tokens)), prefix_(std::move(prefix)), limits_(options),
        record_locations_(record_locations), stop_at_first_issue_(stop_at_first_issue) {
    frames_.reserve(8);
    seen_.reserve(32);
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
  bool null() { return scalar_event(Scalar{}, false); }
  bool boolean(bool value) {
    Scalar s;
    s.kind = Scalar::Kind::boolean;
    s.b = value;
    return scalar_event(s, false);
  }
  bool number_integer(std::int64_t value) {
    Scalar s;
    s.kind = Scalar::Kind::integer;
    s.i = value;
    return scalar_event(s, true);
  }
  bool number_unsigned(std::uint64_t value) {
    Scalar s;
    s.kind = Scalar::Kind::unsigned_integer;
    s.u = value;
    return scalar_event(s, true);
  }
  bool number_float(double value, const std::string& text) {
    Scalar s;
    s.kind = Scalar::Kind::real;
    s.d = value;
    s.text = text;
    return scalar_event(s, true);
  }
  bool string(std::string& value) {
    Scalar s;
    s.kind = Scalar::Kind::string;
    s.text = value;
    return scalar_event(s, false);
  }
  bool binary(std::vector<std::uint8_t>&) { return scalar_event(Scalar{}, false); }
  bool start_object(std::size_t) { return start_event(true); }
  bool start_array(std::size_t) { return start_event(false); }
  bool end_object() { return end_event(); }
  bool end_array() { return end_event(); }

  bool key(std::string& name) {
    const std::size_t offset = token_start();
    advance_past_token(false);
    on_key(name, offset);
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
      if (slot.kind == SlotKind::value || slot.kind == SlotKind::schema_key) {
        report(slot_path(slot), IssueCode::out_of_range, message, start);
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

  /// Events that an override's key stands for (`{"optimizer": {` before its value): the
  /// containers they open are patched, not replaced.
  void begin_synthetic() { synthetic_ = true; }
  void end_synthetic() { synthetic_ = false; }

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
        while (!frames_.empty()) {
          Frame frame = std::move(frames_.back());
          frames_.pop_back();
          if (frame.kind == FrameKind::choice) {
            frame.ops->end(*this, frame, false);
          }
        }
      }
      if (!found_ && !cut_short_) {
        report_abs(prefix_, IssueCode::invalid_value,
                   "the document has no value at JSON pointer " + quote(prefix_), no_offset);
      } else if (found_ && validate) {
        std::vector<Issue> found;
        // rules between fields only once all fields are valid and the document was read whole;
        // a layer's values only against their bounds (the rules hold for the result)
        const bool layer = earlier_ != nullptr;
        root_.check(target_, found, !layer && located_.empty() && !cut_short_);
        for (auto& issue : found) {
          if (layer && !gave(issue.path)) {
            continue; // a value of another layer, or a default another layer may give
          }
          // a value that could not be read is reported once (a bad list element stays as a
          // placeholder, which validation would report again)
          const bool unread = std::any_of(unread_.begin(), unread_.end(), [&](const auto& u) {
            return issue.path.compare(0, u.size(), u) == 0 &&
                   (issue.path.size() == u.size() || issue.path[u.size()] == '/');
          });
          if (!unread) {
            const std::size_t offset = location_of(issue.path);
            report(issue.path, issue.code, std::move(issue.message), offset);
          }
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

  /// The column of the text's first character (an override's value starts after its key).
  void start_at_column(std::size_t column) { first_column_ = column; }

  /// Takes the config's `"$extends"` (the files it builds on, impl/layers.hpp resolves them) as a
  /// reserved key that it skips, and says whether it was there (`extends_given`). Without this,
  /// `"$extends"` is an unknown key (a DOM, an override).
  void accept_extends() { accept_extends_ = true; }
  [[nodiscard]] bool extends_given() const { return extends_seen_ != no_offset; }

  /// Reads the text as one layer of a config over the value the layers before it made, which
  /// gave the values in `earlier`: a struct that is not inside a list merges key by key (a
  /// missing required key is not reported: another layer may give it), and so does a map an
  /// earlier layer gave (one only the defaults gave is replaced, as in a file). Everything read
  /// is recorded in `take_places()`, with the values replaced whole (a choice of other options,
  /// a new list), for the origin of every value.
  void read_as_layer(const Suppliers& earlier) { earlier_ = &earlier; }

  /// Where each value read was, in order, and what it replaced whole (recorded passes only).
  [[nodiscard]] std::vector<Place> take_places() { return std::move(locations_); }
  /// How many issues `finish` left out of its list (the limit is `LoadOptions::max_issues`).
  [[nodiscard]] std::size_t unlisted() const { return dropped_; }

  // ----- for the operations of the member types ----------------------------------------------

  /// `path` relative to the config.
  void report(const std::string& path, IssueCode code, std::string message, std::size_t offset) {
    report_abs(prefix_ + path, code, std::move(message), offset);
  }
  /// An issue about a value that could not be read (or was not given): validation, which sees
  /// what stands in for it, does not report it again.
  void report_unread(const std::string& path, IssueCode code, std::string message,
                     std::size_t offset) {
    unread_.push_back(path);
    report(path, code, std::move(message), offset);
  }
  [[nodiscard]] bool full() const { return located_.size() >= limits_.max_issues; }
  void count_dropped() { ++dropped_; }

  /// Relative path of a slot's value.
  static std::string slot_path(const Slot& slot) {
    if (slot.kind == SlotKind::schema_key) {
      return "/$schema";
    }
    if (slot.parent == nullptr) {
      return {};
    }
    if (slot.index != no_offset) {
      return slot.parent->path + "/" + std::to_string(slot.index);
    }
    return slot.parent->path + pointer_token(slot.key);
  }

  /// Records where a value was, for issues found later by `validate`. Only the second pass
  /// over a text with issues records (see `read_text`): a valid config costs nothing here.
  void remember(const Slot& slot, std::size_t offset) {
    if (record_locations_ && offset != no_offset) {
      locations_.push_back(Place{slot_path(slot), offset, false});
    }
  }
  void remember(const std::string& path, std::size_t offset) {
    if (record_locations_ && offset != no_offset) {
      locations_.push_back(Place{path, offset, false});
    }
  }
  /// Records that the value at `path` (relative) was replaced whole: what was at and below it
  /// before comes from no earlier layer (a choice of other options, a new list, a null).
  void forget(const std::string& path) {
    if (record_locations_) {
      locations_.push_back(Place{path, no_offset, true});
    }
  }

  /// Reads scalar `s` into the slot's member. Returns whether it was read (else its issue is
  /// reported).
  template <class T>
  bool read_scalar(const Slot& slot, const Scalar& s, std::size_t offset) {
    Problem problem;
    T& target = *static_cast<T*>(slot.target);
    if constexpr (MemberType<T>::shape == Shape::choice) {
      // a name, which is the value at "name": the alternative's options stay when it stays
      const auto before = kind_of(target);
      if (MemberType<T>::read(s, target, slot.range, problem)) {
        if (record_locations_) {
          const std::string path = slot_path(slot);
          if (kind_of(target) != before) {
            forget(path);
          }
          remember(path, offset); // where issues of the choice are located
          remember(path + "/name", offset);
        }
        return true;
      }
    } else if (MemberType<T>::read(s, target, slot.range, problem)) {
      if (record_locations_) {
        forget(slot_path(slot)); // a null replaces an optional's object
        remember(slot, offset);
      }
      return true;
    }
    report_unread(slot_path(slot), problem.code, std::move(problem.message), offset);
    return false;
  }

  /// "expected X, got an object": the container is skipped.
  void mismatch(const Slot& slot, const std::string& expected, bool object, std::size_t offset) {
    report_unread(slot_path(slot), IssueCode::type_error,
                  "expected " + expected + ", got " + (object ? "an object" : "an array"), offset);
    Frame skip;
    skip.object = object;
    push(std::move(skip));
  }

  /// Opens a container frame for the slot's value.
  Frame& open_frame(FrameKind kind, const Slot& slot, const ContainerOps& ops, void* target,
                    std::size_t offset) {
    return open_frame_at(kind, slot_path(slot), slot.parent == nullptr, slot.range, ops, target,
                         offset);
  }
  Frame& open_frame_at(FrameKind kind, std::string path, bool root, const Range& range,
                       const ContainerOps& ops, void* target, std::size_t offset) {
    if (kind == FrameKind::list) {
      forget(path); // a list is replaced whole
    }
    remember(path, offset);
    // in a layer, what is not inside a list merges (a list, and what it holds, is new)
    const bool merges = earlier_ != nullptr &&
                        std::none_of(frames_.begin(), frames_.end(),
                                     [](const Frame& f) { return f.kind == FrameKind::list; }) &&
                        (kind != FrameKind::map || earlier_->count(path) != 0);
    Frame& frame = frames_.emplace_back();
    frame.kind = kind;
    frame.object = kind != FrameKind::list;
    frame.root = root;
    frame.patch = synthetic_ || (merges && kind != FrameKind::list);
    frame.path = std::move(path);
    frame.target = target;
    frame.ops = &ops;
    frame.range = range;
    frame.offset = offset;
    return frame;
  }

  /// A struct frame at `path`: its keys' offsets start out unseen.
  Frame& open_struct(std::string path, bool root, const ContainerOps& ops, void* target,
                     std::size_t fields, std::string (*unknown)(const std::string&),
                     std::size_t offset) {
    Frame& frame =
        open_frame_at(FrameKind::structure, std::move(path), root, Range{}, ops, target, offset);
    frame.seen_base = seen_.size();
    frame.unknown = unknown;
    seen_.resize(seen_.size() + fields, no_offset);
    return frame;
  }
  std::size_t& seen(const Frame& frame, std::size_t index) {
    return seen_[frame.seen_base + index];
  }
  void release_seen(const Frame& frame) { seen_.resize(frame.seen_base); }

  /// "duplicate key ... (first at line L, column C)". Empty once the issue list is full, so
  /// that thousands of duplicates do not each scan the text for a line number.
  std::string duplicate_message(const std::string& name, std::size_t first) const {
    if (full()) {
      return {};
    }
    std::string message = "duplicate key " + quote(name);
    if (lexer_position_ != nullptr && first != no_offset) {
      const auto [line, column] = line_column(text_, first, first_column_);
      message +=
          " (first at line " + std::to_string(line) + ", column " + std::to_string(column) + ")";
    }
    return message;
  }

  /// Feeds buffered events again, as if they came from the text (an options object, once its
  /// alternative is known).
  void replay(const std::vector<BufferedEvent>& events, const std::vector<bool>& skip) {
    for (std::size_t i = 0; i < events.size(); ++i) {
      if (skip[i]) {
        continue;
      }
      const BufferedEvent& event = events[i];
      switch (event.kind) {
      case BufferedEvent::Kind::key:
        on_key(event.text, event.offset);
        break;
      case BufferedEvent::Kind::scalar: {
        Scalar s = event.value;
        s.text = event.text;
        on_scalar(s, event.offset);
        break;
      }
      case BufferedEvent::Kind::start_object:
      case BufferedEvent::Kind::start_array:
        on_start(event.kind == BufferedEvent::Kind::start_object, event.offset);
        break;
      case BufferedEvent::Kind::end:
        on_end();
        break;
      }
    }
  }

  /// Ends the frame on top (after a replay, the alternative's).
  void close_top() { on_end(); }

private:
  struct Located {
    Issue issue;
    std::size_t offset = no_offset;
  };

  Frame& push(Frame frame) {
    frames_.push_back(std::move(frame));
    return frames_.back();
  }

  // ----- positions ----------------------------------------------------------------------------
  /// Offset where the token of the current event starts: after the previous token, past
  /// whitespace, ',' and ':' (nothing else can stand between two SAX events).
  std::size_t token_start() {
    if (lexer_position_ == nullptr) {
      return no_offset;
    }
    cursor_ = next_token_start(text_, cursor_);
    return cursor_;
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

  std::string pointer_prefix(std::size_t level) const {
    std::string out;
    for (std::size_t i = 0; i < level; ++i) {
      out += pointer_token(tokens_[i]);
    }
    return out;
  }

  /// Whether this text gave the value at `path` (relative).
  bool gave(const std::string& path) const {
    return std::any_of(locations_.begin(), locations_.end(),
                       [&](const Place& p) { return !p.replaced && p.path == path; });
  }

  /// Offset of `path` (relative), or of its nearest ancestor that came from the text.
  std::size_t location_of(std::string path) const {
    while (true) {
      for (const auto& entry : locations_) {
        if (!entry.replaced && entry.path == path) {
          return entry.offset;
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
      return path_slot(0);
    }
    const Frame& top = frames_.back();
    switch (top.kind) {
    case FrameKind::outer_object:
    case FrameKind::structure:
    case FrameKind::map:
      return pending_;
    case FrameKind::outer_array:
      if (top.on_path && std::to_string(top.index) == tokens_[top.level]) {
        return path_slot(top.level + 1);
      }
      return {};
    case FrameKind::list: {
      Slot slot;
      slot.kind = SlotKind::value;
      slot.parent = &top;
      slot.index = top.index;
      return slot;
    }
    case FrameKind::choice:
      if (top.depth == 0 && !top.key.empty()) {
        Slot slot;
        slot.kind = SlotKind::value;
        slot.parent = &top;
        slot.key = top.key;
        return slot;
      }
      return {};
    case FrameKind::skip:
      break;
    }
    return {};
  }

  Slot take_slot() {
    if (frames_.empty()) {
      return path_slot(0);
    }
    Frame& top = frames_.back();
    if (top.kind == FrameKind::list) {
      Slot slot;
      top.ops->element(*this, top, slot);
      slot.parent = &top;
      slot.index = top.index++;
      return slot;
    }
    if (top.kind == FrameKind::structure || top.kind == FrameKind::map) {
      return pending_;
    }
    const Slot slot = peek_slot();
    if (!top.object) {
      ++top.index;
    }
    return slot;
  }

  // ----- events -------------------------------------------------------------------------------
  bool scalar_event(const Scalar& s, bool number) {
    const std::size_t offset = token_start();
    advance_past_token(number);
    on_scalar(s, offset);
    return go_on();
  }

  bool start_event(bool object) {
    const std::size_t offset = token_start();
    advance_past_token(false);
    const std::size_t depth = frames_.size() + (buffering() ? frames_.back().depth : 0);
    if (depth + 1 > limits_.max_depth) {
      add_limit_issue(IssueCode::limit_exceeded,
                      "nesting deeper than " + std::to_string(limits_.max_depth) + " levels",
                      offset);
      return false;
    }
    on_start(object, offset);
    return go_on();
  }

  bool end_event() {
    token_start();
    advance_past_token(false);
    on_end();
    return go_on();
  }

  [[nodiscard]] bool buffering() const {
    return !frames_.empty() && frames_.back().kind == FrameKind::choice;
  }

  void buffer(BufferedEvent::Kind kind, std::string text, const Scalar& value, std::size_t offset) {
    Frame& top = frames_.back();
    if (kind == BufferedEvent::Kind::key && top.depth == 0) {
      top.key = text; // for the path of a number out of range (see parse_error)
    }
    BufferedEvent event;
    event.kind = kind;
    event.value = value;
    event.value.text = {};
    event.text = std::move(text);
    event.offset = offset;
    top.events.push_back(std::move(event));
  }

  void on_key(const std::string& name, std::size_t offset) {
    if (buffering()) {
      buffer(BufferedEvent::Kind::key, name, Scalar{}, offset);
      return;
    }
    Frame& top = frames_.back();
    if (lexer_position_ != nullptr || top.kind == FrameKind::map) {
      top.key = name; // for the path of a value the reader does not read (see value_path)
    }
    pending_ = {};
    switch (top.kind) {
    case FrameKind::outer_object:
      if (top.on_path && name == tokens_[top.level]) {
        if (top.matched) {
          report_abs(pointer_prefix(top.level + 1), IssueCode::duplicate_key,
                     "duplicate key " + quote(name) + " on the path to the config", offset);
        } else {
          top.matched = true;
          pending_ = path_slot(top.level + 1);
        }
      }
      break;
    case FrameKind::structure:
      if (top.root && accept_extends_ && name == "$extends") {
        if (extends_seen_ != no_offset) {
          report("/$extends", IssueCode::duplicate_key, duplicate_message(name, extends_seen_),
                 offset);
        } else {
          extends_seen_ = offset == no_offset ? 0 : offset;
        }
        break; // its value is skipped: the layers' resolver reads it
      }
      if (top.root && name.size() == 7 && std::string_view(name) == "$schema") {
        if (schema_seen_ != no_offset) {
          report("/$schema", IssueCode::duplicate_key, duplicate_message(name, schema_seen_),
                 offset);
        } else {
          schema_seen_ = offset == no_offset ? 0 : offset;
          pending_.kind = SlotKind::schema_key;
        }
        break;
      }
      [[fallthrough]];
    case FrameKind::map:
      if (!top.ops->key(*this, top, name, offset, pending_)) {
        pending_ = {};
      }
      break;
    default:
      break;
    }
  }

  void on_scalar(const Scalar& s, std::size_t offset) {
    if (buffering()) {
      buffer(BufferedEvent::Kind::scalar, std::string(s.text), s, offset);
      return;
    }
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
    case SlotKind::value:
      slot.ops->scalar(*this, slot, s, offset);
      break;
    case SlotKind::schema_key:
      if (s.kind != Scalar::Kind::string) {
        report("/$schema", IssueCode::type_error, "expected a URI (a string), got " + describe(s),
               offset);
      }
      break;
    case SlotKind::ignore:
      break;
    }
  }

  void on_start(bool object, std::size_t offset) {
    if (buffering()) {
      buffer(object ? BufferedEvent::Kind::start_object : BufferedEvent::Kind::start_array, {},
             Scalar{}, offset);
      ++frames_.back().depth;
      return;
    }
    const Slot slot = take_slot();
    const char* got = object ? "an object" : "an array";
    switch (slot.kind) {
    case SlotKind::path:
      if (slot.n == tokens_.size()) {
        found_ = true;
        config_offset_ = offset;
        if (object) {
          Slot config;
          config.kind = SlotKind::value;
          config.target = target_;
          config.ops = root_.value;
          root_.value->open(*this, config, true, offset);
          return;
        }
        report_abs(prefix_, IssueCode::type_error,
                   std::string("expected an object of hyperparameters, got ") + got, offset);
      } else {
        Frame frame;
        frame.kind = object ? FrameKind::outer_object : FrameKind::outer_array;
        frame.object = object;
        frame.on_path = true;
        frame.level = slot.n;
        push(std::move(frame));
        return;
      }
      break;
    case SlotKind::value:
      slot.ops->open(*this, slot, object, offset);
      return;
    case SlotKind::schema_key:
      report("/$schema", IssueCode::type_error,
             std::string("expected a URI (a string), got ") + got, offset);
      break;
    case SlotKind::ignore:
      break;
    }
    Frame skip;
    skip.object = object;
    push(std::move(skip));
  }

  void on_end() {
    if (buffering() && frames_.back().depth > 0) {
      buffer(BufferedEvent::Kind::end, {}, Scalar{}, no_offset);
      --frames_.back().depth;
      return;
    }
    if (frames_.back().kind == FrameKind::choice) {
      // its end replays into frames it pushes: it must not be in the stack it pushes onto
      Frame frame = std::move(frames_.back());
      frames_.pop_back();
      frame.ops->end(*this, frame, true);
      return;
    }
    Frame& frame = frames_.back();
    if (frame.ops != nullptr && frame.ops->end != nullptr) {
      frame.ops->end(*this, frame, true);
    }
    frames_.pop_back();
  }

  void* target_;
  RootOps root_;
  std::string_view text_;
  const char* const* lexer_position_;
  std::vector<std::string> tokens_;
  std::string prefix_;
  const LoadOptions& limits_;
  bool record_locations_;
  bool stop_at_first_issue_;

  std::size_t cursor_ = 0;
  std::vector<Frame> frames_;
  std::vector<std::size_t> seen_; ///< per struct frame: the offset of each field's key
  Slot pending_;
  bool found_ = false;
  bool syntax_error_ = false;
  bool stopped_ = false;
  bool cut_short_ = false;
  bool synthetic_ = false;
  std::size_t first_column_ = 1;
  Located syntax_issue_;
  std::vector<Located> located_;
  std::size_t dropped_ = 0;
  std::vector<Place> locations_;
  std::vector<std::string> unread_; ///< the paths of values that could not be read
  std::size_t config_offset_ = no_offset;
  std::size_t schema_seen_ = no_offset;
  std::size_t extends_seen_ = no_offset;
  bool accept_extends_ = false;
  const Suppliers* earlier_ = nullptr; ///< a layer's: what the layers before it gave
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

/// `nlohmann::json::sax_parse(first, last, &reader)` for JSON text (`reader`: a ConfigReader, or
/// any SAX handler). `json::sax_parse` takes the
/// input format at run time, so each call also compiles nlohmann's CBOR, MessagePack, UBJSON,
/// BJData and BSON readers; for the nlohmann versions whose parser this is known to match
/// (3.10, 3.11) the JSON parser is called directly instead, which is what `sax_parse` does for
/// JSON. Other versions take the public function.
template <class Iterator, class Handler>
bool sax_parse_json(Iterator first, Iterator last, Handler& reader) {
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
