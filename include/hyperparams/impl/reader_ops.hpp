// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The operations each member type gives the reader (impl/json_reader.hpp): how a struct takes
/// its keys and reports missing ones, how a list takes elements and a map entries, how a choice
/// of options replays its object into the alternative "name" picks, and how a value is read from
/// a scalar or opens its container; with the messages they report. Not for users.

#include "hyperparams/detail/member_types.hpp"
#include "hyperparams/detail/text.hpp"
#include "hyperparams/impl/json_reader.hpp"
#include "hyperparams/impl/reader_frames.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace hyperparams::detail {

template <class T>
struct ReadOps;

/// "unknown key "x"; did you mean "y"?; the keys are ..." for a struct.
template <class S>
std::string unknown_key_message(const std::string& name) {
  const auto keys = field_names<S>();
  return "unknown key " + quote(name) + did_you_mean(name, keys, "; the keys are " + join(keys));
}

template <class V, std::size_t I = 0>
void owners_of(std::string_view key, std::vector<std::string_view>& owners) {
  if constexpr (I < std::variant_size_v<V>) {
    using Opts = std::variant_alternative_t<I, V>;
    if (with_field<Opts>(key, [](const auto&, std::size_t) {})) {
      owners.push_back(enum_to_string(Opts::kind));
    }
    owners_of<V, I + 1>(key, owners);
  }
}

/// "unknown option "x" of adam; it is an option of sgd ..." for an alternative of an options
/// variant.
template <class V, class Opts>
std::string unknown_option_message(const std::string& key) {
  const std::string owner(enum_to_string(Opts::kind));
  std::string message = "unknown option " + quote(key) + " of " + owner;
  std::vector<std::string_view> owners;
  owners_of<V>(key, owners);
  const auto names = field_names<Opts>();
  message += owners.empty() ? did_you_mean(key, names, ".")
                            : "; it is an option of " + join(owners) + " (set \"name\" to use it).";
  message += " Options of " + owner + ": name, " + join(names);
  return message;
}

/// "unknown option "x": no optimizer has it ...", for when the alternative is not known.
template <class V, std::size_t... I>
std::string option_of_none_message(const std::string& key, std::index_sequence<I...>) {
  std::vector<std::string_view> names{"name"};
  const auto add = [&](std::vector<std::string_view> options) {
    for (const auto option : options) {
      if (std::find(names.begin(), names.end(), option) == names.end()) {
        names.push_back(option);
      }
    }
  };
  (add(field_names<std::variant_alternative_t<I, V>>()), ...);
  return "unknown option " + quote(key) + ": no " +
         std::string(description_of<options_kind_t<V>>.what) + " has it" +
         did_you_mean(key, names, ". Options: " + join(names));
}

/// "missing required key "data_dir" (Training data.)".
template <class F>
std::string missing_key_message(const F& fld) {
  std::string message = "missing required key " + quote(fld.name);
  if (!fld.doc.empty()) {
    message += " (" + std::string(fld.doc) + ")";
  }
  return message;
}

// ----- the operations of each member type ----------------------------------------------------

/// The fields of a struct.
template <class S>
struct StructOps {
  static bool key(ConfigReader& r, Frame& frame, const std::string& name, std::size_t offset,
                  Slot& out) {
    S& value = *static_cast<S*>(frame.target);
    bool usable = false;
    const bool known = with_field<S>(name, [&](const auto& fld, std::size_t index) {
      using T = member_t<decltype(fld)>;
      std::size_t& seen = r.seen(frame, index);
      if (seen != no_offset) {
        r.report(frame.path + pointer_token(name), IssueCode::duplicate_key,
                 r.duplicate_message(name, seen), offset);
        return;
      }
      seen = offset == no_offset ? 0 : offset;
      out.kind = SlotKind::value;
      out.target = &(value.*fld.member);
      out.ops = &ReadOps<T>::ops;
      out.range = effective_range<T>(fld.range);
      out.parent = &frame;
      out.key = fld.name;
      out.index = no_offset;
      usable = true;
    });
    if (!known) {
      if (r.full()) {
        r.count_dropped(); // not worth a message nobody sees
      } else {
        r.report(frame.path + pointer_token(name), IssueCode::unknown_key, frame.unknown(name),
                 offset);
      }
    }
    return usable;
  }

  static void end(ConfigReader& r, Frame& frame, bool complete) {
    if constexpr (has_required()) {
      if (complete && !frame.patch) {
        report_missing(r, frame, frame.path, frame.offset, static_cast<const S*>(frame.target));
      }
    }
    r.release_seen(frame);
  }

  /// Whether `S`, a struct member of it or an alternative of a choice in it has a required
  /// field.
  static constexpr bool has_required() {
    return required_in(std::make_index_sequence<field_count<S>>{});
  }
  template <std::size_t... I>
  static constexpr bool required_in(std::index_sequence<I...>) {
    return ((std::get<I>(description_of<S>.all).is_required ||
             nested_required<member_t<decltype(std::get<I>(description_of<S>.all))>>()) ||
            ...);
  }
  template <class T>
  static constexpr bool nested_required() {
    if constexpr (MemberType<T>::shape == Shape::structure) {
      return StructOps<T>::has_required();
    } else if constexpr (MemberType<T>::shape == Shape::choice) {
      return alternative_required<T>(std::make_index_sequence<std::variant_size_v<T>>{});
    } else {
      return false;
    }
  }
  template <class V, std::size_t... I>
  static constexpr bool alternative_required(std::index_sequence<I...>) {
    return (StructOps<std::variant_alternative_t<I, V>>::has_required() || ...);
  }

  /// `missing_key` for each required field not given, and for the required fields of a struct
  /// member, or of a choice member's alternative (in `value`), not given at all.
  static void report_missing(ConfigReader& r, const Frame& frame, const std::string& path,
                             std::size_t offset, const S* value) {
    std::size_t index = 0;
    for_each_field<S>([&](const auto& fld) {
      using T = member_t<decltype(fld)>;
      const bool given = frame.ops != nullptr && r.seen(frame, index) != no_offset;
      ++index;
      if (given) {
        return;
      }
      if (fld.is_required) {
        r.report_unread(path + pointer_token(fld.name), IssueCode::missing_key,
                        missing_key_message(fld), offset);
      }
      if constexpr (MemberType<T>::shape == Shape::structure) {
        StructOps<T>::report_missing(r, Frame{}, path + pointer_token(fld.name), offset,
                                     value != nullptr ? &(value->*fld.member) : nullptr);
      } else if constexpr (MemberType<T>::shape == Shape::choice) {
        if (value != nullptr) {
          std::visit(
              [&](const auto& options) {
                using Opts = std::decay_t<decltype(options)>;
                StructOps<Opts>::report_missing(r, Frame{}, path + pointer_token(fld.name), offset,
                                                &options);
              },
              value->*fld.member);
        }
      }
    });
  }

  static constexpr ContainerOps ops{&key, nullptr, &end};
};

/// The elements of a list.
template <class L>
struct ListOps {
  using U = typename L::value_type;
  static void element(ConfigReader&, Frame& frame, Slot& out) {
    L& list = *static_cast<L*>(frame.target);
    list.emplace_back(); // a bad element stays as a placeholder, so the count stays right
    out.kind = SlotKind::value;
    out.target = &list.back();
    out.ops = &ReadOps<U>::ops;
    out.range = frame.range;
  }
  static constexpr ContainerOps ops{nullptr, &element, nullptr};
};

/// The entries of a map: its keys are data.
template <class M>
struct MapOps {
  using U = typename M::mapped_type;
  static bool key(ConfigReader& r, Frame& frame, const std::string& name, std::size_t offset,
                  Slot& out) {
    M& map = *static_cast<M*>(frame.target);
    const bool duplicate = frame.patch
                               ? std::any_of(frame.keys.begin(), frame.keys.end(),
                                             [&](const auto& k) { return k.first == name; })
                               : map.count(name) > 0; // the map was emptied when the object began
    if (duplicate) {
      std::size_t first = no_offset;
      if (!r.full()) {
        for (const auto& [k, at] : frame.keys) {
          if (k == name) {
            first = at;
            break;
          }
        }
      }
      r.report(frame.path + pointer_token(name), IssueCode::duplicate_key,
               r.duplicate_message(name, first), offset);
      return false;
    }
    frame.keys.emplace_back(name, offset);
    out.kind = SlotKind::value;
    out.target = &map[name];
    out.ops = &ReadOps<U>::ops;
    out.range = frame.range;
    out.parent = &frame;
    out.key = frame.key;
    out.index = no_offset;
    return true;
  }
  static constexpr ContainerOps ops{&key, nullptr, nullptr};
};

/// A variant of option structs: the object is buffered until its end, then "name" chooses the
/// alternative (its defaults, when it changes) and the rest is replayed into it.
template <class V>
struct ChoiceOps {
  using Kind = options_kind_t<V>;

  static void end(ConfigReader& r, Frame& frame, bool complete) {
    V& target = *static_cast<V*>(frame.target);
    const auto& events = frame.events;
    std::vector<bool> skip(events.size(), false);
    bool named = false;
    bool known = true;
    std::size_t name_key = no_offset;
    const std::vector<std::size_t> keys = own_keys(events);
    for (const std::size_t i : keys) {
      if (events[i].text != "name") {
        continue;
      }
      const std::size_t last = value_end(events, i + 1);
      for (std::size_t k = i; k <= last && k < events.size(); ++k) {
        skip[k] = true;
      }
      const std::string path = frame.path + "/name";
      if (named) {
        r.report(path, IssueCode::duplicate_key, r.duplicate_message("name", name_key),
                 events[i].offset);
      } else if (i + 1 < events.size()) {
        named = true;
        name_key = events[i].offset;
        const BufferedEvent& value = events[i + 1];
        if (value.kind == BufferedEvent::Kind::scalar) {
          Scalar s = value.value;
          s.text = value.text;
          Kind chosen = kind_of(target);
          Problem problem;
          known = read_name(s, chosen, problem);
          if (known) {
            if (kind_of(target) != chosen) {
              r.forget(frame.path); // the options of the old alternative are gone
            }
            r.remember(path, value.offset);
            choose_alternative(target, chosen);
          } else {
            r.report(path, problem.code, std::move(problem.message), value.offset);
          }
        } else {
          known = false;
          r.report(path, IssueCode::type_error,
                   std::string("expected a name (a string), got ") +
                       (value.kind == BufferedEvent::Kind::start_object ? "an object" : "an array"),
                   value.offset);
        }
      }
    }
    if (known && (named || complete)) {
      std::visit(
          [&](auto& options) {
            using Opts = std::decay_t<decltype(options)>;
            Frame& alternative =
                r.open_struct(frame.path, false, StructOps<Opts>::ops, &options, field_count<Opts>,
                              &unknown_option_message<V, Opts>, frame.offset);
            alternative.patch = frame.patch || !complete;
            r.replay(events, skip);
            r.close_top();
          },
          target);
      return;
    }
    // which alternative is meant is not known: only what is wrong for every one is reported
    for (const std::size_t i : keys) {
      if (!skip[i]) {
        std::vector<std::string_view> owners;
        owners_of<V>(events[i].text, owners);
        if (!owners.empty()) {
          continue;
        }
        if (r.full()) {
          r.count_dropped();
        } else {
          r.report(frame.path + pointer_token(events[i].text), IssueCode::unknown_key,
                   option_of_none_message<V>(events[i].text,
                                             std::make_index_sequence<std::variant_size_v<V>>{}),
                   events[i].offset);
        }
      }
    }
  }

  /// The indices of the keys of the buffered object itself (not of the objects inside it).
  static std::vector<std::size_t> own_keys(const std::vector<BufferedEvent>& events) {
    std::vector<std::size_t> keys;
    std::size_t depth = 0;
    for (std::size_t i = 0; i < events.size(); ++i) {
      const auto kind = events[i].kind;
      if (kind == BufferedEvent::Kind::start_object || kind == BufferedEvent::Kind::start_array) {
        ++depth;
      } else if (kind == BufferedEvent::Kind::end) {
        --depth;
      } else if (depth == 0 && kind == BufferedEvent::Kind::key) {
        keys.push_back(i);
      }
    }
    return keys;
  }

  /// The index of the last event of the value that starts at `first`.
  static std::size_t value_end(const std::vector<BufferedEvent>& events, std::size_t first) {
    std::size_t depth = 0;
    for (std::size_t i = first; i < events.size(); ++i) {
      const auto kind = events[i].kind;
      if (kind == BufferedEvent::Kind::start_object || kind == BufferedEvent::Kind::start_array) {
        ++depth;
      } else if (kind == BufferedEvent::Kind::end) {
        --depth;
      }
      if (depth == 0) {
        return i;
      }
    }
    return events.size();
  }

  static constexpr ContainerOps ops{nullptr, nullptr, &end};
};

/// How a value of type `T` is read: from a scalar, or by opening the frame of its container.
template <class T>
struct ReadOps {
  static void scalar(ConfigReader& r, const Slot& slot, const Scalar& s, std::size_t offset) {
    const bool read = r.read_scalar<T>(slot, s, offset);
    if constexpr (MemberType<T>::shape == Shape::choice) {
      // a name alone in a file gives none of the alternative's options: its required ones are
      // missing (layers and overrides, which patch, check them on their result)
      if (read && (slot.parent == nullptr || !slot.parent->patch)) {
        std::visit(
            [&](const auto& options) {
              using Opts = std::decay_t<decltype(options)>;
              if constexpr (StructOps<Opts>::has_required()) {
                StructOps<Opts>::report_missing(r, Frame{}, ConfigReader::slot_path(slot), offset,
                                                &options);
              }
            },
            *static_cast<const T*>(slot.target));
      }
    }
  }

  static void open(ConfigReader& r, const Slot& slot, bool object, std::size_t offset) {
    constexpr Shape shape = MemberType<T>::shape;
    T& value = *static_cast<T*>(slot.target);
    if constexpr (shape == Shape::structure) {
      if (object) {
        r.open_struct(ConfigReader::slot_path(slot), slot.parent == nullptr, StructOps<T>::ops,
                      &value, field_count<T>, &unknown_key_message<T>, offset);
        return;
      }
    } else if constexpr (shape == Shape::list) {
      if (!object) {
        value.clear();
        r.open_frame(FrameKind::list, slot, ListOps<T>::ops, &value, offset);
        return;
      }
    } else if constexpr (shape == Shape::map) {
      if (object) {
        Frame& frame = r.open_frame(FrameKind::map, slot, MapOps<T>::ops, &value, offset);
        if (!frame.patch) {
          value.clear(); // a map in a file is the whole map
        }
        return;
      }
    } else if constexpr (shape == Shape::choice) {
      if (object) {
        r.open_frame(FrameKind::choice, slot, ChoiceOps<T>::ops, &value, offset)
            .events.reserve(16); // an options object: a name and a few options
        return;
      }
    } else if constexpr (shape == Shape::one_or_list) {
      if (!object) {
        using L = std::vector<typename MemberType<T>::element>;
        auto& list = value.template emplace<L>();
        r.open_frame(FrameKind::list, slot, ListOps<L>::ops, &list, offset);
        return;
      }
    } else if constexpr (shape == Shape::optional) {
      using U = typename MemberType<T>::element;
      if constexpr (MemberType<U>::shape != Shape::scalar) {
        if (!value) {
          value.emplace();
        }
        Slot inner = slot;
        inner.target = &*value;
        inner.ops = &ReadOps<U>::ops;
        ReadOps<U>::open(r, inner, object, offset);
        return;
      }
    }
    r.mismatch(slot, MemberType<T>::expected(), object, offset);
  }

  static constexpr ValueOps ops{&scalar, &open};
};

template <class T>
void check_root(const void* value, std::vector<Issue>& out, bool with_rules) {
  if (with_rules) {
    validate_into(*static_cast<const T*>(value), "", out);
  } else {
    check_fields(*static_cast<const T*>(value), "", out);
  }
}

template <class T>
inline constexpr RootOps root_ops{&ReadOps<T>::ops, &check_root<T>};

} // namespace hyperparams::detail
