// retort/orm/instance_state.hpp — the per-object bookkeeping that lives in the
// same heap block as every mapped object made by retort::make or loaded by a
// Session.
//
// A block is `Block<T>`: an InstanceState header followed by the T, then the
// snapshot. The header holds the object's mapper, the owning Session (if
// any), the number of Ptr handles to it and a few flags. The snapshot holds
// the column values as last read from or written to the database (its
// primary-key part is the identity key): a copy of each column member, as the
// member's own type, laid out by the mapper (Mapper::snapshot_at,
// ColumnInfo::snapshot_offset). It shares the block's allocation and holds no
// Value variants, so it costs the size of the column members and no
// allocation of its own (mapping.hpp makes and frees blocks).
// Relationship members (One/Many) of T point at other blocks' headers.
//
// Thread safety: none. Objects, their handles and their Session are confined
// to one thread at a time (the counts are not atomic).
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>

namespace retort::orm::detail {

struct Mapper;
class SessionImpl;

enum StateFlags : std::uint16_t {
  kHasIdentity = 1u << 0,     ///< the row exists in the database (snapshot valid)
  kMarkedDeleted = 1u << 1,   ///< Session::remove was called; DELETE at next flush
  kDeletedFlushed = 1u << 2,  ///< DELETE was emitted; detached at commit
  kQueued = 1u << 3,          ///< on the collector's pending list (acts as a pin)
  kOrphanCandidate = 1u << 4, ///< removed from a delete-orphan collection
  kExpired = 1u << 5,         ///< column values are reloaded at next load of the row
  kViewed = 1u << 7,          ///< held by a read-only collection (collector.cpp)
};

struct InstanceState {
  const Mapper* mapper = nullptr;
  SessionImpl* session = nullptr;  ///< a Session holding this object strongly
  std::uint32_t external = 0;      ///< Ptr handles
  std::uint32_t mark = 0;          ///< collector epoch
  std::uint16_t flags = 0;
  /// Where the T starts, from the header. An offset rather than a pointer:
  /// it keeps the header at 32 bytes, which moves a small object's block
  /// into a smaller malloc size class (memory per loaded object, issue 5).
  std::uint16_t object_offset = 0;
  /// Fills the header to 32 bytes of data. Without it a derived Block<T>
  /// could place a small-aligned T in the header's tail padding (the Itanium
  /// ABI reuses it), and object_at<T>() would be wrong.
  std::uint32_t reserved_ = 0;

  void* object() { return reinterpret_cast<char*>(this) + object_offset; }
  const void* object() const { return reinterpret_cast<const char*>(this) + object_offset; }

  bool has(StateFlags f) const { return (flags & f) != 0; }
  void set(StateFlags f) { flags = std::uint16_t(flags | f); }
  void clear(StateFlags f) { flags = std::uint16_t(flags & ~f); }
  /// Pinned objects are roots for the collector.
  bool pinned() const { return external > 0 || session != nullptr || has(kQueued); }
};

/// Where a Block<T> places its T: right after the header, aligned for T.
/// Relationship members find their owner by it (RelInfo::owner_at).
template <class T>
constexpr std::size_t object_at() {
  return (sizeof(InstanceState) + alignof(T) - 1) / alignof(T) * alignof(T);
}

/// The heap block behind a Ptr<T> (followed by the snapshot, see above).
template <class T>
struct Block : InstanceState {
  static_assert(alignof(T) <= 4096, "the object's offset in its block must fit in 16 bits");
  T value;
  template <class... A>
  explicit Block(const Mapper* m, A&&... a) : value(static_cast<A&&>(a)...) {
    mapper = m;
    object_offset = static_cast<std::uint16_t>(reinterpret_cast<char*>(&value) -
                                               reinterpret_cast<char*>(static_cast<InstanceState*>(this)));
    assert(object_offset == object_at<T>());
  }
};

// Collector entry points (src/orm/collector.cpp). See ptr.hpp for the rule.
/// Called when a Ptr count drops to zero: frees the object's graph when
/// nothing pins it, then runs queued trials.
void release_external(InstanceState* s) noexcept;
/// Queues a trial for `s` (after an edge to it was removed or a Session let
/// it go); it runs at the next safe point (Ptr release, make, Session call).
void queue_trial(InstanceState* s);
/// Runs queued trials.
void drain_trials() noexcept;

}  // namespace retort::orm::detail
