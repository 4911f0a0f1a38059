// The Session's identity map: its persistent objects, found by mapper and
// primary key.
//
// An object's key is the primary-key part of its snapshot (the row as the
// database holds it), so the map keeps no copy of it: the table is an
// open-addressing set of object pointers (linear probing, power-of-two
// capacity, at most 7/8 full) beside a 32-bit hash of each object's key.
// That is 12 bytes a slot, 14–28 per object, where a node of
// unordered_map<IdentityKey, InstanceState*> took ~120 and an allocation. A
// probe compares the stored hash before it reads an object, so a miss
// usually reads no object at all.
// Why 7/8 and not the usual 3/4 of linear probing: the probes scan the
// dense array of hashes (16 to a cache line), so the longer runs cost
// little, and at 100,000 objects the table takes 131,072 slots instead of
// 262,144 (16 bytes less per object; loads and get() hits measured as fast
// or faster, bench W3/W5).
//
// Rules that follow from reading keys from snapshots:
// - a key to look up is given as Values, hashed as Values (hash_value) and
//   compared with the snapshot's copies by ColumnOps::equals: it must be the
//   Value the key member's get() gives, as loading.cpp's RowKey and get()'s
//   normalization make it;
// - an object's snapshot key must not change while it is in the map (a flush
//   that changes a primary key erases the object first and inserts it again
//   after the new snapshot, see unit_of_work.cpp);
// - the map must not change while it is being iterated (as for any hash table
//   that rehashes; backward-shift erasure also moves entries).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "retort/orm/instance_state.hpp"
#include "retort/value.hpp"

namespace retort::orm::detail {

struct Mapper;

class IdentityMap {
 public:
  /// The object of mapper m whose key is `key` (values in m.pk order), or nullptr.
  InstanceState* find(const Mapper& m, std::span<const Value> key) const;
  /// find(), or else make() added: a new object of m whose snapshot key
  /// equals `key`. make() must not change the map; if it throws, nothing is
  /// added. (One probe where find() then insert() would take two.)
  template <class Make>
  InstanceState* find_or_add(const Mapper& m, std::span<const Value> key, Make&& make) {
    if (full()) grow();
    const Probe p = probe(m, key);
    if (slots_[p.slot]) return slots_[p.slot];
    InstanceState* s = make();
    place(p, s);
    return s;
  }
  /// Adds s (REQUIRES: persistent, with a snapshot) unless an object with the
  /// same key is present. Returns the object holding the key: s, or the one
  /// that was there.
  InstanceState* insert(InstanceState* s);
  /// Removes s when it is in the map (another object with its key stays).
  /// REQUIRES: s has a snapshot.
  void erase(InstanceState* s);
  void clear();
  /// Makes room for `n` entries in all, so that adding them does not rehash.
  void reserve(std::size_t n);
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  /// Iteration yields InstanceState*, in table order.
  class iterator {
   public:
    InstanceState* operator*() const { return map_->slots_[i_]; }
    iterator& operator++() {
      ++i_;
      skip_empty();
      return *this;
    }
    bool operator==(const iterator& o) const { return i_ == o.i_; }

   private:
    friend class IdentityMap;
    iterator(const IdentityMap* m, std::size_t i) : map_(m), i_(i) { skip_empty(); }
    void skip_empty() {
      while (i_ < map_->slots_.size() && !map_->slots_[i_]) ++i_;
    }
    const IdentityMap* map_;
    std::size_t i_;
  };
  iterator begin() const { return iterator(this, 0); }
  iterator end() const { return iterator(this, slots_.size()); }

 private:
  /// The slot holding the key, or the empty slot where it would go.
  struct Probe {
    std::size_t slot;
    std::uint32_t hash;
  };
  Probe probe(const Mapper& m, std::span<const Value> key) const;  ///< REQUIRES: capacity
  void place(Probe p, InstanceState* s) {
    slots_[p.slot] = s;
    hashes_[p.slot] = p.hash;
    ++size_;
  }
  bool full() const { return (size_ + 1) * 8 > slots_.size() * 7; }
  std::size_t home(std::uint32_t h) const { return h >> shift_; }
  std::size_t next(std::size_t i) const { return (i + 1) & (slots_.size() - 1); }
  /// Doubles the table (16 slots at first), placing entries by their stored hashes.
  void grow() { rehash(slots_.empty() ? 16 : slots_.size() * 2); }
  void rehash(std::size_t cap);  ///< REQUIRES: a power of two that keeps the table under 7/8 full

  std::vector<InstanceState*> slots_;  ///< nullptr: empty
  std::vector<std::uint32_t> hashes_;  ///< of the slot's key; never 0 when occupied
  std::size_t size_ = 0;
  int shift_ = 32;  ///< 32 - log2(capacity): the hash's top bits pick the home slot
};

}  // namespace retort::orm::detail
