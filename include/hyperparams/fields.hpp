// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The field table: one description per field (name, member, bounds, documentation) drives the
/// JSON reader and writer, validation, the JSON Schema, overrides, diff and the docs. Templates
/// and `inline` functions only, so it is header-only in both modes (see `HYPERPARAMS_COMPILED`);
/// `detail::for_each_field<S>` is the entry point for code that walks the fields.

#include "hyperparams/impl/core_api.hpp"

namespace hyperparams {

namespace detail {

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

} // namespace detail

namespace detail {

inline constexpr double infinity = std::numeric_limits<double>::infinity();

/// Bounds of a number (or of each element of a list of numbers). Infinite bounds are open.
struct Range {
  double min = -infinity;
  double max = infinity;
  bool min_exclusive = false;
  bool max_exclusive = false;

  [[nodiscard]] constexpr bool contains(double v) const noexcept {
    return (min_exclusive ? v > min : v >= min) && (max_exclusive ? v < max : v <= max);
  }
};

inline constexpr Range any_number{};
inline constexpr Range positive{0.0, infinity, true, false};
inline constexpr Range non_negative{0.0, infinity, false, false};
inline constexpr Range unit_open{0.0, 1.0, false, true};    // [0, 1)
inline constexpr Range unit_closed{0.0, 1.0, false, false}; // [0, 1]
/// Counts are positive and fit a signed 32-bit int.
inline constexpr Range count{1.0, 2147483647.0, false, false};
inline constexpr Range uint64_range{0.0, 18446744073709551615.0, false, false};

/// One field of struct `S` with member type `T`.
template <class S, class T>
struct Field {
  std::string_view name; ///< JSON key, equal to the C++ member name
  T S::*member;
  Range range;          ///< for numbers, and for each width of `neurons`
  std::string_view doc; ///< one line for the schema, the CLI and the docs
};

template <class S, class T>
constexpr Field<S, T> field(std::string_view name, T S::*member, Range range,
                            std::string_view doc) {
  return {name, member, range, doc};
}

/// Specialised once per struct: `static constexpr auto all = std::make_tuple(field(...), ...)`.
template <class S>
struct Fields;

template <>
struct Fields<SgdOptions> {
  static constexpr auto all = std::make_tuple(
      field("momentum", &SgdOptions::momentum, non_negative, "Momentum factor."),
      field("dampening", &SgdOptions::dampening, unit_closed, "Dampening for momentum."),
      field("nesterov", &SgdOptions::nesterov, any_number,
            "Nesterov momentum (needs momentum > 0 and dampening 0)."),
      field("weight_decay", &SgdOptions::weight_decay, non_negative, "L2 penalty."));
};

/// Adam and AdamW share their options; only weight decay means another thing.
template <class S>
constexpr auto adam_fields(std::string_view weight_decay_doc) {
  return std::make_tuple(
      field("beta1", &S::beta1, unit_open, "Decay rate of the running average of the gradient."),
      field("beta2", &S::beta2, unit_open,
            "Decay rate of the running average of the squared gradient."),
      field("epsilon", &S::epsilon, non_negative,
            "Term added to the denominator for numerical stability."),
      field("weight_decay", &S::weight_decay, non_negative, weight_decay_doc),
      field("amsgrad", &S::amsgrad, any_number, "Use the AMSGrad variant."));
}

template <>
struct Fields<AdamOptions> {
  static constexpr auto all = adam_fields<AdamOptions>("L2 penalty.");
};

template <>
struct Fields<AdamWOptions> {
  static constexpr auto all = adam_fields<AdamWOptions>("Decoupled weight decay coefficient.");
};

template <>
struct Fields<RmspropOptions> {
  static constexpr auto all = std::make_tuple(
      field("alpha", &RmspropOptions::alpha, unit_open, "Smoothing constant."),
      field("epsilon", &RmspropOptions::epsilon, non_negative,
            "Term added to the denominator for numerical stability."),
      field("momentum", &RmspropOptions::momentum, non_negative, "Momentum factor."),
      field("centered", &RmspropOptions::centered, any_number,
            "Normalise by an estimate of the gradient's variance."),
      field("weight_decay", &RmspropOptions::weight_decay, non_negative, "L2 penalty."));
};

template <>
struct Fields<AdagradOptions> {
  static constexpr auto all = std::make_tuple(
      field("lr_decay", &AdagradOptions::lr_decay, non_negative, "Learning-rate decay."),
      field("epsilon", &AdagradOptions::epsilon, non_negative,
            "Term added to the denominator for numerical stability."),
      field("initial_accumulator_value", &AdagradOptions::initial_accumulator_value, non_negative,
            "Initial value of the sum of squared gradients."),
      field("weight_decay", &AdagradOptions::weight_decay, non_negative, "L2 penalty."));
};

inline constexpr Range decay_factor{0.0, 1.0, true, false}; // (0, 1]

/// The warmup every schedule has.
template <class S>
constexpr auto warmup_field() {
  return field("warmup_epochs", &S::warmup_epochs, non_negative,
               "Epochs of linear warmup from 0 (fractional allowed; less than epochs).");
}

template <>
struct Fields<ConstantSchedule> {
  static constexpr auto all = std::make_tuple(warmup_field<ConstantSchedule>());
};

template <>
struct Fields<StepSchedule> {
  static constexpr auto all = std::make_tuple(
      field("step_size", &StepSchedule::step_size, count, "Epochs between two decays."),
      field("gamma", &StepSchedule::gamma, decay_factor, "Factor of each decay, in (0, 1]."),
      warmup_field<StepSchedule>());
};

template <>
struct Fields<ExponentialSchedule> {
  static constexpr auto all =
      std::make_tuple(field("gamma", &ExponentialSchedule::gamma, decay_factor,
                            "Factor applied every epoch, in (0, 1]."),
                      warmup_field<ExponentialSchedule>());
};

template <>
struct Fields<CosineSchedule> {
  static constexpr auto all =
      std::make_tuple(field("min_lr", &CosineSchedule::min_lr, non_negative,
                            "Learning rate at the end of training (at most learning_rate)."),
                      warmup_field<CosineSchedule>());
};

template <>
struct Fields<HyperParams> {
  static constexpr auto all = std::make_tuple(
      field("learning_rate", &HyperParams::learning_rate, positive,
            "Step size of the optimizer (finite, > 0)."),
      field("batch_size", &HyperParams::batch_size, count, "Samples per gradient step."),
      field("epochs", &HyperParams::epochs, count, "Passes over the training set."),
      field("optimizer", &HyperParams::optimizer, any_number,
            "Optimizer name, or an object with \"name\" and its options (PyTorch defaults)."),
      field("lr_schedule", &HyperParams::lr_schedule, any_number,
            "Learning-rate schedule name, or an object with \"name\" and its options."),
      field("layers", &HyperParams::layers, count, "Number of hidden layers."),
      field("neurons", &HyperParams::neurons, count,
            "Width of every hidden layer, or a list with one width per layer."),
      field("dropout", &HyperParams::dropout, unit_open,
            "Probability of zeroing a hidden unit during training, in [0, 1)."),
      field("activation", &HyperParams::activation, any_number, "Hidden-layer activation."),
      field("seed", &HyperParams::seed, uint64_range,
            "Seed of every random number generator, for reproducible runs."));
};

template <class S>
inline constexpr std::size_t field_count = std::tuple_size_v<decltype(Fields<S>::all)>;

template <class S, class F, std::size_t... I>
constexpr void for_each_field_at(F& f, std::index_sequence<I...>) {
  (f(std::get<I>(Fields<S>::all)), ...);
}

/// Calls `f(field)` for every field of `S`, in table order.
template <class S, class F>
constexpr void for_each_field(F&& f) {
  for_each_field_at<S>(f, std::make_index_sequence<field_count<S>>{});
}

template <class S, class F, std::size_t... I>
constexpr bool with_field_at(std::string_view name, F& f, std::index_sequence<I...>) {
  // the length and first character rule out most fields before a full comparison
  return ((std::get<I>(Fields<S>::all).name.size() == name.size() &&
                   std::get<I>(Fields<S>::all).name[0] == name[0] &&
                   std::get<I>(Fields<S>::all).name == name
               ? (f(std::get<I>(Fields<S>::all), I), true)
               : false) ||
          ...);
}

/// Calls `f(field, index)` for the field named `name`; returns false when there is none.
template <class S, class F>
constexpr bool with_field(std::string_view name, F&& f) {
  return !name.empty() && with_field_at<S>(name, f, std::make_index_sequence<field_count<S>>{});
}

template <class T>
struct is_enum_with_names : std::false_type {};
template <>
struct is_enum_with_names<Optimizer> : std::true_type {};
template <>
struct is_enum_with_names<Activation> : std::true_type {};

/// A variant of option structs, each with a `kind` and a field table (the optimizer).
template <class T>
struct is_options_variant : std::false_type {};
template <class... A>
struct is_options_variant<std::variant<A...>> : std::bool_constant<(is_config_struct<A> && ...)> {};

/// The enum that names the alternatives of an options variant.
template <class V>
using options_kind_t = std::remove_const_t<decltype(std::variant_alternative_t<0, V>::kind)>;

template <class V, std::size_t... I>
constexpr bool kinds_follow_index(std::index_sequence<I...>) {
  return ((static_cast<std::size_t>(std::variant_alternative_t<I, V>::kind) == I) && ...);
}
static_assert(kinds_follow_index<OptimizerOptions>(
                  std::make_index_sequence<std::variant_size_v<OptimizerOptions>>{}),
              "OptimizerOptions alternatives must follow the order of enum Optimizer");
static_assert(kinds_follow_index<LrScheduleOptions>(
                  std::make_index_sequence<std::variant_size_v<LrScheduleOptions>>{}),
              "LrScheduleOptions alternatives must follow the order of enum LrSchedule");

/// The default options of the alternative named `kind` of options variant `V`.
template <class V, std::size_t I = 0>
V default_alternative(options_kind_t<V> kind) {
  if constexpr (I + 1 < std::variant_size_v<V>) {
    if (static_cast<std::size_t>(kind) != I) {
      return default_alternative<V, I + 1>(kind);
    }
  }
  return V(std::in_place_index<I>);
}

template <class V>
options_kind_t<V> kind_of(const V& v) noexcept {
  return static_cast<options_kind_t<V>>(v.index());
}

template <class E>
constexpr bool is_valid_enum(E value) noexcept {
  return !enum_to_string(value).empty();
}

// ----- numbers as text ------------------------------------------------------------------------

/// The shortest digits that read back to the same double, laid out as nlohmann::json writes
/// numbers: plain notation when the decimal point falls within -4 < n <= 15 digits ("0.0003",
/// "100000.0"), else "1e-08" / "1.5e+20". Integral values keep ".0", so a real-valued field
/// always looks like one; -0.0 is written as 0.0. Non-finite values (never in a valid config)
/// are written as to_chars spells them.
inline void append_double(std::string& out, double value) {
  if (value == 0.0) {
    out += "0.0"; // also drops the sign of -0.0
    return;
  }
  char buf[40];
  const auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  const std::string_view sci(buf, static_cast<std::size_t>(res.ptr - buf));
  const auto e = sci.find('e');
  if (!std::isfinite(value) || e == std::string_view::npos) {
    out += sci;
    return;
  }
  std::string digits;
  std::size_t p = 0;
  if (sci[0] == '-') {
    out += '-';
    p = 1;
  }
  for (; p < e; ++p) {
    if (sci[p] != '.') {
      digits += sci[p];
    }
  }
  int exponent = 0;
  std::from_chars(sci.data() + e + (sci[e + 1] == '+' ? 2 : 1), sci.data() + sci.size(), exponent);
  const int k = static_cast<int>(digits.size());
  const int n = exponent + 1; // digits "d1 d2 ..." with the point after n of them
  if (k <= n && n <= 15) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
    out += ".0";
  } else if (0 < n && n <= 15) {
    out.append(digits, 0, static_cast<std::size_t>(n));
    out += '.';
    out.append(digits, static_cast<std::size_t>(n), std::string::npos);
  } else if (-4 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out.append(digits, 1, std::string::npos);
    }
    out += 'e';
    out += exponent < 0 ? '-' : '+';
    const int magnitude = exponent < 0 ? -exponent : exponent;
    if (magnitude < 10) {
      out += '0';
    }
    out += std::to_string(magnitude);
  }
}

template <class Int>
void append_integer(std::string& out, Int value) {
  char buf[24];
  const auto res = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, static_cast<std::size_t>(res.ptr - buf));
}

/// A number for a message: integral values without ".0".
inline std::string number_text(double value) {
  if (value == 18446744073709551616.0) {
    return "18446744073709551615"; // the bound of unsigned 64-bit fields, rounded up by a double
  }
  std::string out;
  if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e19) {
    if (value < 0) {
      append_integer(out, static_cast<std::int64_t>(value));
    } else {
      append_integer(out, static_cast<std::uint64_t>(value));
    }
    return out;
  }
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, value);
  out.assign(buf, static_cast<std::size_t>(res.ptr - buf));
  return out;
}

/// "in [0, 1)", "> 0", ">= 0".
inline std::string describe(const Range& r) {
  const bool has_min = std::isfinite(r.min);
  const bool has_max = std::isfinite(r.max);
  if (has_min && has_max) {
    return "in " + std::string(r.min_exclusive ? "(" : "[") + number_text(r.min) + ", " +
           number_text(r.max) + (r.max_exclusive ? ")" : "]");
  }
  if (has_min) {
    return (r.min_exclusive ? "> " : ">= ") + number_text(r.min);
  }
  if (has_max) {
    return (r.max_exclusive ? "< " : "<= ") + number_text(r.max);
  }
  return "a finite number";
}

/// The out_of_range message shared by the loader and `validate()`.
inline std::string range_message(const Range& r, std::string_view got) {
  return "must be " + describe(r) + ", got " + truncate_utf8(got);
}

// ----- emitting: one traversal of the field table, many sinks -----------------------------------

/// Sends `value` to `sink` as JSON events: begin_object(), key(name), end_object(),
/// begin_array(), end_array(), real(double), integer(int64), unsigned_integer(uint64),
/// boolean(bool), string(string_view). Text, DOM and schema writers are sinks.
template <class Sink, class S>
void emit_struct(const S& value, Sink& sink);

template <class Sink, class T>
void emit_value(const T& value, Sink& sink) {
  if constexpr (std::is_same_v<T, double>) {
    sink.real(value);
  } else if constexpr (std::is_same_v<T, bool>) {
    sink.boolean(value);
  } else if constexpr (std::is_same_v<T, std::uint64_t>) {
    sink.unsigned_integer(value);
  } else if constexpr (std::is_integral_v<T>) {
    sink.integer(static_cast<std::int64_t>(value));
  } else if constexpr (is_enum_with_names<T>::value) {
    const auto name = enum_to_string(value);
    sink.string(name.empty() ? std::string_view("<invalid>") : name);
  } else if constexpr (std::is_same_v<T, Neurons>) {
    if (const auto* list = std::get_if<std::vector<std::int32_t>>(&value)) {
      sink.begin_array();
      for (const auto width : *list) {
        sink.integer(width);
      }
      sink.end_array();
    } else {
      sink.integer(std::get<std::int32_t>(value));
    }
  } else if constexpr (is_options_variant<T>::value) {
    std::visit(
        [&](const auto& options) {
          sink.begin_object();
          sink.key("name");
          sink.string(enum_to_string(options.kind));
          for_each_field<std::decay_t<decltype(options)>>([&](const auto& fld) {
            sink.key(fld.name);
            emit_value(options.*fld.member, sink);
          });
          sink.end_object();
        },
        value);
  } else {
    emit_struct(value, sink);
  }
}

template <class Sink, class S>
void emit_struct(const S& value, Sink& sink) {
  sink.begin_object();
  for_each_field<S>([&](const auto& fld) {
    sink.key(fld.name);
    emit_value(value.*fld.member, sink);
  });
  sink.end_object();
}

/// A sink that writes JSON text: pretty (2-space indent, one member per line, as
/// `nlohmann::json::dump(2)`) or on one line (`{"a": 1, "b": [1, 2]}`).
class TextSink {
public:
  TextSink(std::string& out, bool pretty) : out_(out), pretty_(pretty) {}

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  void key(std::string_view name) {
    separate();
    out_ += '"';
    out_ += name; // keys are field names: plain ASCII, nothing to escape
    out_ += "\": ";
    after_key_ = true;
  }
  void real(double v) {
    separate();
    append_double(out_, v);
  }
  void integer(std::int64_t v) {
    separate();
    append_integer(out_, v);
  }
  void unsigned_integer(std::uint64_t v) {
    separate();
    append_integer(out_, v);
  }
  void boolean(bool v) {
    separate();
    out_ += v ? "true" : "false";
  }
  void string(std::string_view v) {
    separate();
    out_ += '"';
    out_ += v; // enum names: plain ASCII
    out_ += '"';
  }

private:
  void separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (!first_.empty()) {
      if (!first_.back()) {
        out_ += ',';
        if (!pretty_) {
          out_ += ' ';
        }
      }
      first_.back() = false;
      newline();
    }
  }
  void open(char c) {
    separate();
    out_ += c;
    first_.push_back(true);
  }
  void close(char c) {
    const bool empty = first_.back();
    first_.pop_back();
    if (!empty) {
      newline();
    }
    out_ += c;
  }
  void newline() {
    if (pretty_) {
      out_ += '\n';
      out_.append(2 * first_.size(), ' ');
    }
  }

  std::string& out_;
  bool pretty_;
  bool after_key_ = false;
  std::vector<bool> first_;
};

/// JSON text of any value the field table describes.
template <class T>
std::string to_json_text(const T& value, bool pretty) {
  std::string out;
  out.reserve(512);
  TextSink sink(out, pretty);
  emit_value(value, sink);
  return out;
}

// ----- equality --------------------------------------------------------------------------------

template <class S>
bool fields_equal(const S& a, const S& b) {
  bool equal = true;
  for_each_field<S>([&](const auto& fld) { equal = equal && a.*fld.member == b.*fld.member; });
  return equal;
}

// ----- validation ------------------------------------------------------------------------------

inline void add_issue(std::vector<Issue>& out, std::string path, IssueCode code,
                      std::string message) {
  out.push_back(Issue{std::move(path), code, std::move(message), 0, 0});
}

// Paths are passed as callables that build the JSON pointer only when an issue needs it: a
// valid config is checked without a single allocation.

template <class Path>
void check_number(double value, const Range& range, const Path& path, std::vector<Issue>& out) {
  if (!std::isfinite(value)) {
    add_issue(out, path(), IssueCode::out_of_range,
              "must be a finite number, got " + number_text(value));
  } else if (!range.contains(value)) {
    add_issue(out, path(), IssueCode::out_of_range, range_message(range, number_text(value)));
  }
}

template <class T, class Path>
void check_value(const T& value, const Range& range, const Path& path, std::vector<Issue>& out);

/// Every field of `value` against its bounds; `prefix()` builds the path of `value`.
template <class S, class Path>
void check_fields_at(const S& value, const Path& prefix, std::vector<Issue>& out) {
  for_each_field<S>([&](const auto& fld) {
    check_value(
        value.*fld.member, fld.range, [&] { return prefix() + "/" + std::string(fld.name); }, out);
  });
}

/// Every field of `value` against its bounds, with paths below `prefix`.
template <class S>
void check_fields(const S& value, const std::string& prefix, std::vector<Issue>& out) {
  check_fields_at(
      value, [&] { return prefix; }, out);
}

template <class T, class Path>
void check_value(const T& value, const Range& range, const Path& path, std::vector<Issue>& out) {
  if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, std::uint64_t>) {
    // every value is valid
  } else if constexpr (std::is_arithmetic_v<T>) {
    check_number(static_cast<double>(value), range, path, out);
  } else if constexpr (is_enum_with_names<T>::value) {
    if (!is_valid_enum(value)) {
      add_issue(out, path(), IssueCode::invalid_value,
                "is not a valid " + std::string(EnumNames<T>::what) + " (value " +
                    std::to_string(static_cast<long long>(value)) + ")");
    }
  } else if constexpr (std::is_same_v<T, Neurons>) {
    if (const auto* list = std::get_if<std::vector<std::int32_t>>(&value)) {
      if (list->empty()) {
        add_issue(out, path(), IssueCode::out_of_range,
                  "must list at least one width (or be one width for every layer)");
      }
      for (std::size_t i = 0; i < list->size(); ++i) {
        check_number((*list)[i], range, [&] { return path() + "/" + std::to_string(i); }, out);
      }
    } else {
      check_number(std::get<std::int32_t>(value), range, path, out);
    }
  } else if constexpr (is_options_variant<T>::value) {
    std::visit([&](const auto& options) { check_fields_at(options, path, out); }, value);
  }
}

/// Rules between fields, checked once every field is valid on its own.
inline void check_rules(const SgdOptions& o, const std::string& prefix, std::vector<Issue>& out) {
  if (o.nesterov && (o.momentum <= 0.0 || o.dampening != 0.0)) {
    add_issue(out, prefix + "/nesterov", IssueCode::inconsistent,
              "Nesterov momentum needs momentum > 0 and dampening = 0, got momentum " +
                  number_text(o.momentum) + " and dampening " + number_text(o.dampening));
  }
}
template <class Options>
void check_rules(const Options&, const std::string&, std::vector<Issue>&) {}

inline void check_rules(const HyperParams& hp, const std::string& prefix, std::vector<Issue>& out) {
  if (const auto* list = std::get_if<std::vector<std::int32_t>>(&hp.neurons)) {
    if (list->size() != static_cast<std::size_t>(hp.layers)) {
      add_issue(out, prefix + "/neurons", IssueCode::inconsistent,
                "lists " + std::to_string(list->size()) + " width" +
                    (list->size() == 1 ? "" : "s") + " but layers is " + std::to_string(hp.layers) +
                    "; give one width per layer, or one number for every layer");
    }
  }
  std::visit([&](const auto& options) { check_rules(options, prefix + "/optimizer", out); },
             hp.optimizer);
  std::visit(
      [&](const auto& schedule) {
        if (schedule.warmup_epochs >= hp.epochs) {
          add_issue(out, prefix + "/lr_schedule/warmup_epochs", IssueCode::inconsistent,
                    "must be less than epochs (" + std::to_string(hp.epochs) + "), got " +
                        number_text(schedule.warmup_epochs));
        }
        if constexpr (std::is_same_v<std::decay_t<decltype(schedule)>, CosineSchedule>) {
          if (schedule.min_lr > hp.learning_rate) {
            add_issue(out, prefix + "/lr_schedule/min_lr", IssueCode::inconsistent,
                      "must be at most learning_rate (" + number_text(hp.learning_rate) +
                          "), got " + number_text(schedule.min_lr));
          }
        }
      },
      hp.lr_schedule);
}

/// `validate()` with a path prefix (the JSON pointer of the config inside its document).
inline void validate_into(const HyperParams& hp, const std::string& prefix,
                          std::vector<Issue>& out) {
  const std::size_t before = out.size();
  check_fields(hp, prefix, out);
  if (out.size() == before) {
    check_rules(hp, prefix, out);
  }
}

} // namespace detail

} // namespace hyperparams

// The definitions that use the table (header-only mode); after it, so they can use it.
#include "hyperparams/hyperparams.hpp"
