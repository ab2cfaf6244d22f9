// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// What the reader (impl/json_reader.hpp) works with: the slot of the next value, the frame of
/// each open container, the events an options object keeps until its "name" is known, and the
/// operations a member type gives the reader (`ValueOps`, `ContainerOps`, `RootOps`). Standard
/// library only. Not for users.

#include "hyperparams/describe.hpp"
#include "hyperparams/detail/scalars.hpp"
#include "hyperparams/impl/core_api.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hyperparams::detail {

inline constexpr std::size_t no_offset = static_cast<std::size_t>(-1);

class ConfigReader;
struct Frame;
struct Slot;

/// How the reader fills a value of one member type.
struct ValueOps {
  void (*scalar)(ConfigReader&, const Slot&, const Scalar&, std::size_t offset);
  void (*open)(ConfigReader&, const Slot&, bool object, std::size_t offset);
};

/// What the next value is, and where it goes.
enum class SlotKind : std::uint8_t { ignore, path, value, schema_key };
struct Slot {
  SlotKind kind = SlotKind::ignore;
  std::size_t n = 0; ///< path: the pointer tokens matched
  void* target = nullptr;
  const ValueOps* ops = nullptr;
  Range range;                   ///< the bounds of its numbers
  const Frame* parent = nullptr; ///< the container it is in (null: the config itself)
  std::string_view key;          ///< its key in the parent...
  std::size_t index = no_offset; ///< ...or its index
};

/// The slot of a value on the way to the config, `matched` pointer tokens in.
inline Slot path_slot(std::size_t matched) {
  Slot slot;
  slot.kind = SlotKind::path;
  slot.n = matched;
  return slot;
}

/// What a container frame does with its keys, elements and end.
struct ContainerOps {
  /// A struct's or a map's key: sets the slot of its value; false when it has none.
  bool (*key)(ConfigReader&, Frame&, const std::string& name, std::size_t offset, Slot& out);
  /// A list's next element.
  void (*element)(ConfigReader&, Frame&, Slot& out);
  /// After the last member (`complete` false: the input was cut short before it).
  void (*end)(ConfigReader&, Frame&, bool complete);
};

/// An event of an options object, kept until its "name" is known.
struct BufferedEvent {
  enum class Kind : std::uint8_t { key, scalar, start_object, start_array, end };
  Kind kind = Kind::scalar;
  Scalar value;
  std::string text; ///< the key, the string, or the number's text
  std::size_t offset = no_offset;
};

enum class FrameKind : std::uint8_t {
  outer_object,
  outer_array,
  skip,
  structure,
  list,
  map,
  choice
};

/// One open container.
struct Frame {
  FrameKind kind = FrameKind::skip;
  bool object = false;
  bool on_path = false;  ///< outer: on the way to the config
  bool matched = false;  ///< outer: its key on the path was seen
  bool root = false;     ///< the config object itself
  bool patch = false;    ///< opened by an override's key: what it does not give stays
  std::size_t level = 0; ///< outer: pointer tokens matched
  std::size_t index = 0; ///< arrays: the next index
  std::string key;       ///< the last key (a map's is its entry's)
  std::string path;      ///< the container's pointer, relative to the config
  void* target = nullptr;
  const ContainerOps* ops = nullptr;
  Range range; ///< a list's or map's: the bounds of its numbers
  std::size_t offset = no_offset;
  std::size_t seen_base = 0; ///< a struct's: where its keys' offsets are in the reader's pool
  std::string (*unknown)(const std::string& key) = nullptr; ///< a struct's unknown-key message
  std::vector<std::pair<std::string, std::size_t>> keys;    ///< a map's keys and offsets
  std::vector<BufferedEvent> events;                        ///< a choice's object
  std::size_t depth = 0; ///< a choice's: containers open inside it
};

/// Where a value read from a text was (its pointer relative to the config, its byte offset), or,
/// with `replaced`, that the value at `path` was replaced whole (what was below it is gone).
struct Place {
  std::string path;
  std::size_t offset = no_offset;
  bool replaced = false;
};

/// Where a value of a layered config was: the file (an index into the layers) and the offset.
struct Supplier {
  std::size_t file = 0;
  std::size_t offset = no_offset;
};

/// What earlier layers gave, by JSON pointer relative to the config (see impl/layered_read.hpp).
using Suppliers = std::map<std::string, Supplier>;

/// The operations on the config's own type: read it, and validate the result.
struct RootOps {
  const ValueOps* value;
  void (*check)(const void* value, std::vector<Issue>& out, bool with_rules);
};

} // namespace hyperparams::detail
