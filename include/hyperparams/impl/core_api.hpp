// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The declarations of `<hyperparams/hyperparams.hpp>` (which see): types, enums, the functions
/// the library defines. Include `<hyperparams/hyperparams.hpp>` instead.

#include "hyperparams/describe.hpp"
#include "hyperparams/version.hpp"

/// `inline` for the functions the headers define (header-only); empty in compiled mode, where the
/// headers declare them and the compiled library defines them once.
#ifdef HYPERPARAMS_COMPILED
#define HYPERPARAMS_INLINE
#else
#define HYPERPARAMS_INLINE inline
#endif

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace hyperparams {

// ---------------------------------------------------------------------------------------------
// Enums and their name tables
// ---------------------------------------------------------------------------------------------

/// The optimizers, named as in `torch.optim` (lower case).
enum class Optimizer { sgd, adam, adamw, rmsprop, adagrad };

/// Hidden-layer activation functions.
enum class Activation {
  relu,
  leaky_relu,
  elu,
  selu,
  gelu,
  silu,
  sigmoid,
  tanh,
  softplus,
  mish,
  linear
};

/// How the learning rate changes over training (see `learning_rate_at`).
enum class LrSchedule { constant, step, exponential, cosine };

/// Stable codes of `Issue`s: tools may switch on them.
enum class IssueCode {
  parse_error,    ///< the text is not JSON
  type_error,     ///< a value of the wrong JSON type (a string where a number belongs, ...)
  out_of_range,   ///< a number outside its field's bounds, or not representable
  unknown_key,    ///< a key that is not a hyperparameter (or not an option of this optimizer)
  duplicate_key,  ///< the same key twice in one object
  invalid_value,  ///< a name that is not one of the allowed names
  inconsistent,   ///< fields that are valid alone but contradict each other
  io_error,       ///< a file that cannot be read or written
  limit_exceeded, ///< input too large or too deep, or too many issues to list
  missing_key     ///< a key the config must give (a `required()` field) is not there
};

/// The names of the optimizers (`torch.optim`'s, lower case).
constexpr auto describe(type<Optimizer>) {
  return names<Optimizer>("optimizer", {{"sgd", Optimizer::sgd},
                                        {"adam", Optimizer::adam},
                                        {"adamw", Optimizer::adamw},
                                        {"rmsprop", Optimizer::rmsprop},
                                        {"adagrad", Optimizer::adagrad}});
}

/// The names of the activations, with the aliases `swish` and `identity`.
constexpr auto describe(type<Activation>) {
  return names<Activation>("activation", {{"relu", Activation::relu},
                                          {"leaky_relu", Activation::leaky_relu},
                                          {"elu", Activation::elu},
                                          {"selu", Activation::selu},
                                          {"gelu", Activation::gelu},
                                          {"silu", Activation::silu},
                                          {"sigmoid", Activation::sigmoid},
                                          {"tanh", Activation::tanh},
                                          {"softplus", Activation::softplus},
                                          {"mish", Activation::mish},
                                          {"linear", Activation::linear},
                                          {"swish", Activation::silu},
                                          {"identity", Activation::linear}});
}

/// The names of the learning-rate schedules.
constexpr auto describe(type<LrSchedule>) {
  return names<LrSchedule>("learning-rate schedule", {{"constant", LrSchedule::constant},
                                                      {"step", LrSchedule::step},
                                                      {"exponential", LrSchedule::exponential},
                                                      {"cosine", LrSchedule::cosine}});
}

/// The names of the issue codes.
constexpr auto describe(type<IssueCode>) {
  return names<IssueCode>("issue code", {{"parse_error", IssueCode::parse_error},
                                         {"type_error", IssueCode::type_error},
                                         {"out_of_range", IssueCode::out_of_range},
                                         {"unknown_key", IssueCode::unknown_key},
                                         {"duplicate_key", IssueCode::duplicate_key},
                                         {"invalid_value", IssueCode::invalid_value},
                                         {"inconsistent", IssueCode::inconsistent},
                                         {"io_error", IssueCode::io_error},
                                         {"limit_exceeded", IssueCode::limit_exceeded},
                                         {"missing_key", IssueCode::missing_key}});
}

namespace detail {

template <class E>
constexpr std::string_view enum_to_string(E value) noexcept {
  for (const auto& entry : description_of<E>.entries) {
    if (entry.value == value) {
      return entry.name;
    }
  }
  return {};
}

} // namespace detail

/// The canonical (lower-case) name of an enumerator of a named enum (`Optimizer`, `Activation`,
/// `LrSchedule`, `IssueCode`, or one of yours described with `names`); empty for a value outside
/// the enum.
template <class E, std::enable_if_t<detail::is_named_enum<E>, int> = 0>
constexpr std::string_view to_string(E value) noexcept {
  return detail::enum_to_string(value);
}

/// Parses a name of `E` (case-insensitive ASCII; aliases such as `swish` are accepted).
/// \return the enumerator, or `std::nullopt` for an unknown name.
/// Example: `from_string<Activation>("GELU") == Activation::gelu`.
template <class E>
[[nodiscard]] constexpr std::optional<E> from_string(std::string_view name) noexcept {
  for (const auto& entry : detail::description_of<E>.entries) {
    if (detail::iequals(entry.name, name)) {
      return entry.value;
    }
  }
  return std::nullopt;
}

/// `from_string<Optimizer>`.
[[nodiscard]] constexpr std::optional<Optimizer> parse_optimizer(std::string_view name) noexcept {
  return from_string<Optimizer>(name);
}
/// `from_string<Activation>`: also accepts the aliases `swish` (silu) and `identity` (linear).
[[nodiscard]] constexpr std::optional<Activation> parse_activation(std::string_view name) noexcept {
  return from_string<Activation>(name);
}

/// Writes the canonical name of a named enum.
template <class E, std::enable_if_t<detail::is_named_enum<E>, int> = 0>
std::ostream& operator<<(std::ostream& os, E value) {
  return os << to_string(value);
}

// ---------------------------------------------------------------------------------------------
// Optimizer options: one struct per optimizer, defaults are PyTorch's (torch.optim, 2.x)
// ---------------------------------------------------------------------------------------------

/// `torch.optim.SGD`.
struct SgdOptions {
  static constexpr Optimizer kind = Optimizer::sgd;
  double momentum = 0.0;
  double dampening = 0.0;
  bool nesterov = false;
  double weight_decay = 0.0;
};

/// `torch.optim.Adam` (`betas` are `beta1`, `beta2`; `eps` is `epsilon`).
struct AdamOptions {
  static constexpr Optimizer kind = Optimizer::adam;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-8;
  double weight_decay = 0.0;
  bool amsgrad = false;
};

/// `torch.optim.AdamW`: Adam with decoupled weight decay (default 0.01).
struct AdamWOptions {
  static constexpr Optimizer kind = Optimizer::adamw;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-8;
  double weight_decay = 0.01;
  bool amsgrad = false;
};

/// `torch.optim.RMSprop`.
struct RmspropOptions {
  static constexpr Optimizer kind = Optimizer::rmsprop;
  double alpha = 0.99;
  double epsilon = 1e-8;
  double momentum = 0.0;
  bool centered = false;
  double weight_decay = 0.0;
};

/// `torch.optim.Adagrad`.
struct AdagradOptions {
  static constexpr Optimizer kind = Optimizer::adagrad;
  double lr_decay = 0.0;
  double epsilon = 1e-10;
  double initial_accumulator_value = 0.0;
  double weight_decay = 0.0;
};

/// The chosen optimizer with its options; the alternative's index is its `Optimizer` value, so
/// an option of another optimizer cannot exist. Use `std::visit` or `std::get_if`.
using OptimizerOptions =
    std::variant<SgdOptions, AdamOptions, AdamWOptions, RmspropOptions, AdagradOptions>;

// ---------------------------------------------------------------------------------------------
// Learning-rate schedules: each with an optional linear warmup from 0 over `warmup_epochs`
// ---------------------------------------------------------------------------------------------

/// The learning rate stays `learning_rate` (after the warmup).
struct ConstantSchedule {
  static constexpr LrSchedule kind = LrSchedule::constant;
  double warmup_epochs = 0.0;
};

/// Every `step_size` epochs the learning rate is multiplied by `gamma` (torch's StepLR).
struct StepSchedule {
  static constexpr LrSchedule kind = LrSchedule::step;
  std::int32_t step_size = 10;
  double gamma = 0.1;
  double warmup_epochs = 0.0;
};

/// Every epoch the learning rate is multiplied by `gamma` (torch's ExponentialLR).
struct ExponentialSchedule {
  static constexpr LrSchedule kind = LrSchedule::exponential;
  double gamma = 0.95;
  double warmup_epochs = 0.0;
};

/// Half a cosine from `learning_rate` down to `min_lr` at the end of training (torch's
/// CosineAnnealingLR with T_max = the epochs after the warmup).
struct CosineSchedule {
  static constexpr LrSchedule kind = LrSchedule::cosine;
  double min_lr = 0.0;
  double warmup_epochs = 0.0;
};

/// The chosen schedule with its options; the alternative's index is its `LrSchedule` value.
using LrScheduleOptions =
    std::variant<ConstantSchedule, StepSchedule, ExponentialSchedule, CosineSchedule>;

/// `neurons`: one width for every hidden layer, or one width per layer.
using Neurons = std::variant<std::int32_t, std::vector<std::int32_t>>;

// ---------------------------------------------------------------------------------------------
// HyperParams
// ---------------------------------------------------------------------------------------------

/// The hyperparameters of a training run. Members are named exactly as the JSON keys; the
/// member initialisers are the defaults (a missing JSON key takes them).
struct HyperParams {
  double learning_rate = 0.001;
  std::int32_t batch_size = 32;
  std::int32_t epochs = 10;
  OptimizerOptions optimizer = AdamOptions{};
  LrScheduleOptions lr_schedule = ConstantSchedule{};
  std::int32_t layers = 2;
  Neurons neurons = 64;
  double dropout = 0.0;
  Activation activation = Activation::relu;
  std::uint64_t seed = 42;

  /// One width per hidden layer: `layers` copies of a single width, or the list as given (a
  /// valid config lists exactly `layers` widths). Empty when `layers < 1`.
  [[nodiscard]] std::vector<std::int32_t> layer_widths() const {
    if (const auto* list = std::get_if<std::vector<std::int32_t>>(&neurons)) {
      return *list;
    }
    if (layers < 1) {
      return {};
    }
    return std::vector<std::int32_t>(static_cast<std::size_t>(layers),
                                     std::get<std::int32_t>(neurons));
  }

  /// Which optimizer `optimizer` holds.
  [[nodiscard]] Optimizer optimizer_name() const noexcept {
    return static_cast<Optimizer>(optimizer.index());
  }

  /// Which schedule `lr_schedule` holds.
  [[nodiscard]] LrSchedule lr_schedule_name() const noexcept {
    return static_cast<LrSchedule>(lr_schedule.index());
  }
};

/// The default options of an optimizer (PyTorch's).
[[nodiscard]] inline OptimizerOptions default_options(Optimizer name) {
  switch (name) {
  case Optimizer::sgd:
    return SgdOptions{};
  case Optimizer::adamw:
    return AdamWOptions{};
  case Optimizer::rmsprop:
    return RmspropOptions{};
  case Optimizer::adagrad:
    return AdagradOptions{};
  case Optimizer::adam:
    break;
  }
  return AdamOptions{};
}

// ---------------------------------------------------------------------------------------------
// Issues and errors
// ---------------------------------------------------------------------------------------------

/// One problem with a config. `path` is a JSON pointer (RFC 6901) to the offending value or key
/// ("" is the whole document); `line` and `column` are 1-based (columns count Unicode code
/// points, a tab is one) and 0 when the problem did not come from text.
struct Issue {
  std::string path;
  IssueCode code = IssueCode::invalid_value;
  std::string message;
  std::size_t line = 0;
  std::size_t column = 0;
  /// The file the issue is in, where a config came from several (a base it builds on, an
  /// override); empty: the `ConfigError`'s source.
  std::string source = {};
};

inline bool operator==(const Issue& a, const Issue& b) {
  return a.path == b.path && a.code == b.code && a.message == b.message && a.line == b.line &&
         a.column == b.column && a.source == b.source;
}
inline bool operator!=(const Issue& a, const Issue& b) {
  return !(a == b);
}

/// One diagnostic line in the format compilers use, so editors and CI annotate it:
/// `SOURCE:LINE:COL: error: POINTER: MESSAGE [code]`. `:LINE:COL` is left out when the line is
/// unknown, and `POINTER: ` when the issue is about the whole document. SOURCE is the issue's
/// own `source` when it has one, else `source`.
[[nodiscard]] HYPERPARAMS_INLINE std::string format_issue(const Issue& issue,
                                                          std::string_view source);

/// The one exception type of the library: it carries every issue found. `what()` lists them,
/// one diagnostic line each (see `format_issue`).
class ConfigError : public std::runtime_error {
public:
  ConfigError(std::vector<Issue> issues, std::string source)
      : std::runtime_error(render(issues, source)), issues_(std::move(issues)),
        source_(std::move(source)) {}

  /// Every issue, in document order where they came from text.
  [[nodiscard]] const std::vector<Issue>& issues() const noexcept { return issues_; }
  /// Where the config came from: a path, "<input>", "<json>", ...
  [[nodiscard]] const std::string& source() const noexcept { return source_; }

private:
  static std::string render(const std::vector<Issue>& issues, const std::string& source);

  std::vector<Issue> issues_;
  std::string source_;
};

/// What the rules between the fields of a struct report (see `Fields::rules`): each call adds an
/// issue about the value at `path`, a JSON pointer relative to the struct ("/neurons").
class Rules {
public:
  Rules(std::string prefix, std::vector<Issue>& out) : prefix_(std::move(prefix)), out_(out) {}

  /// Fields that are valid alone but contradict each other (`inconsistent`).
  void fail(std::string_view path, std::string message) {
    fail(path, IssueCode::inconsistent, std::move(message));
  }
  void fail(std::string_view path, IssueCode code, std::string message) {
    out_.push_back(Issue{prefix_ + std::string(path), code, std::move(message), 0, 0});
  }

private:
  std::string prefix_;
  std::vector<Issue>& out_;
};

// ---------------------------------------------------------------------------------------------
// Validation, schedules, comparison and printing (defined in hyperparams/impl/core.hpp)
// ---------------------------------------------------------------------------------------------

/// Every problem of `hp`, with JSON-pointer paths; empty when `hp` is valid. Never throws
/// (except `std::bad_alloc`). Each field is checked against its bounds; the rules between fields
/// (`neurons` has `layers` widths, SGD's nesterov needs momentum > 0 and dampening 0) are checked
/// once every field is valid on its own, so that one bad value does not cause a second report.
[[nodiscard]] HYPERPARAMS_INLINE std::vector<Issue> validate(const HyperParams& hp);

/// Throws `ConfigError` listing every problem of `hp`; does nothing when it is valid.
HYPERPARAMS_INLINE void check(const HyperParams& hp, std::string_view source = "<config>");

/// The learning rate at a (fractional) `epoch` of training, 0 at its start: a linear warmup from
/// 0 over `warmup_epochs`, then the schedule, counted from the end of the warmup. Like PyTorch's
/// StepLR and ExponentialLR, `step` and `exponential` hold each rate from the epoch it starts at
/// (epoch 3 of step_size 3 already has the decayed rate). Epochs since the warmup within 1e-9
/// (relative) of a whole number count as that number, so that rounding in `epoch` does not move
/// a decay by one step. An epoch before 0 (or NaN) counts as 0.
/// Example: cosine from 0.1 to 0 over 10 epochs gives 0.05 at epoch 5.
/// Trainers that update per batch call `learning_rate_at_step`.
[[nodiscard]] HYPERPARAMS_INLINE double learning_rate_at(const HyperParams& hp, double epoch);

/// The learning rate of step `step` (0-based) of epoch `epoch_index` (0-based), of
/// `steps_per_epoch` steps: the rate at the step's start, `learning_rate_at(hp, epoch_index +
/// step / steps_per_epoch)`, except during the warmup, which takes the rate at the step's end, so
/// that the first step does not get 0 and the warmup's last step gets the full rate. A step never
/// runs at the next epoch's rate, and a cosine schedule's last step stays above `min_lr` (as in
/// PyTorch, where the schedulers step after each epoch).
/// \throws std::invalid_argument when `steps_per_epoch` is 0 or `step` is not below it.
[[nodiscard]] HYPERPARAMS_INLINE double learning_rate_at_step(const HyperParams& hp,
                                                              std::uint64_t epoch_index,
                                                              std::uint64_t step,
                                                              std::uint64_t steps_per_epoch);

namespace detail {
/// The structs a description of `fields(...)` describes: `HyperParams`, its option structs, and
/// yours.
template <class S>
inline constexpr bool is_config_struct = is_described_struct<S>;
} // namespace detail

/// Every problem of `value`, a struct described with `fields(...)` (see `validate(HyperParams)`).
template <class T, std::enable_if_t<detail::is_config_struct<T>, int> = 0>
[[nodiscard]] std::vector<Issue> validate(const T& value);

/// Throws `ConfigError` listing every problem of `value`; does nothing when it is valid.
template <class T, std::enable_if_t<detail::is_config_struct<T>, int> = 0>
void check(const T& value, std::string_view source = "<config>");

/// The one-line JSON form of any described struct (see `operator<<`).
template <class T, std::enable_if_t<detail::is_config_struct<T>, int> = 0>
[[nodiscard]] std::string to_string(const T& value);

/// Field-by-field equality, generated from the field table (also for the option structs).
template <class S, std::enable_if_t<detail::is_config_struct<S>, int> = 0>
bool operator==(const S& a, const S& b);
template <class S, std::enable_if_t<detail::is_config_struct<S>, int> = 0>
bool operator!=(const S& a, const S& b);

/// One readable line, in JSON: `{"learning_rate": 0.001, "batch_size": 32, ...}`. Never throws
/// on invalid values (a failing test prints them as they are).
template <class S, std::enable_if_t<detail::is_config_struct<S>, int> = 0>
std::ostream& operator<<(std::ostream& os, const S& value);

/// The one-line form of `operator<<`, as a string.
[[nodiscard]] HYPERPARAMS_INLINE std::string to_string(const HyperParams& hp);

} // namespace hyperparams
