// The identity map's hash table (identity_map.hpp): keys are read from the
// objects' snapshots, one stored 32-bit hash per slot.
#include "orm/identity_map.hpp"

#include <bit>
#include <functional>

#include "orm/internal.hpp"

namespace retort::orm::detail {

namespace {

/// The hash of mapper m's key whose values are at(0), at(1), ... Multiplying
/// by a 64-bit odd constant and keeping the top bits spreads the small,
/// consecutive integers typical of keys (std::hash of an integer is the
/// integer). Never 0, which marks an empty slot.
template <class At>
std::uint32_t key_hash(const Mapper& m, At&& at) {
  std::size_t h = std::hash<const void*>()(&m);
  for (std::size_t k = 0; k < m.pk.size(); ++k) h = (h ^ hash_value(at(k))) * 0x9E3779B97F4A7C15ull;
  return std::uint32_t(h >> 32) | 1u;
}

/// s is of mapper m and its key is `key`.
bool has_key(const InstanceState* s, const Mapper& m, std::span<const Value> key) {
  if (s->mapper != &m) return false;
  for (std::size_t k = 0; k < key.size(); ++k) {
    const ColumnInfo& c = m.columns[std::size_t(m.pk[k])];
    if (!c.ops->equals(snapshot_field(s, std::size_t(m.pk[k])), key[k])) return false;
  }
  return true;
}

/// a and b have the same key (their snapshots' copies compared as the members' type).
bool same_key(const InstanceState* a, const InstanceState* b) {
  if (a->mapper != b->mapper) return false;
  for (int p : a->mapper->pk) {
    const ColumnInfo& c = a->mapper->columns[std::size_t(p)];
    if (!c.ops->same(snapshot_field(a, std::size_t(p)), snapshot_field(b, std::size_t(p)))) return false;
  }
  return true;
}

/// The hash of an object's key, equal to that of the same key as Values.
std::uint32_t hash_of(const InstanceState* s) {
  const Mapper& m = *s->mapper;
  return key_hash(m, [s, &m](std::size_t k) { return snapshot_value(s, std::size_t(m.pk[k])); });
}

}  // namespace

IdentityMap::Probe IdentityMap::probe(const Mapper& m, std::span<const Value> key) const {
  const std::uint32_t h = key_hash(m, [key](std::size_t k) -> const Value& { return key[k]; });
  std::size_t i = home(h);
  for (; hashes_[i] != 0; i = next(i))
    if (hashes_[i] == h && has_key(slots_[i], m, key)) break;
  return {i, h};
}

InstanceState* IdentityMap::find(const Mapper& m, std::span<const Value> key) const {
  if (size_ == 0 || key.size() != m.pk.size()) return nullptr;
  return slots_[probe(m, key).slot];
}

InstanceState* IdentityMap::insert(InstanceState* s) {
  if (full()) grow();
  const std::uint32_t h = hash_of(s);
  std::size_t i = home(h);
  for (; hashes_[i] != 0; i = next(i))
    if (hashes_[i] == h && same_key(slots_[i], s)) return slots_[i];
  place({i, h}, s);
  return s;
}

void IdentityMap::erase(InstanceState* s) {
  if (size_ == 0) return;
  std::size_t hole = home(hash_of(s));
  for (; slots_[hole] != s; hole = next(hole))
    if (hashes_[hole] == 0) return;
  // Backward-shift deletion (no tombstones): each later entry of the probe
  // run moves into the hole unless its home slot lies after the hole.
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t j = next(hole); hashes_[j] != 0; j = next(j)) {
    if (((j - home(hashes_[j])) & mask) >= ((j - hole) & mask)) {
      slots_[hole] = slots_[j];
      hashes_[hole] = hashes_[j];
      hole = j;
    }
  }
  slots_[hole] = nullptr;
  hashes_[hole] = 0;
  --size_;
}

void IdentityMap::clear() {
  slots_.clear();
  hashes_.clear();
  size_ = 0;
  shift_ = 32;
}

void IdentityMap::reserve(std::size_t n) {
  std::size_t cap = slots_.empty() ? 16 : slots_.size();
  while (n * 8 > cap * 7) cap *= 2;
  if (cap != slots_.size()) rehash(cap);
}

void IdentityMap::rehash(std::size_t cap) {
  std::vector<InstanceState*> old_slots(cap, nullptr);
  std::vector<std::uint32_t> old_hashes(cap, 0);
  old_slots.swap(slots_);
  old_hashes.swap(hashes_);
  shift_ = 32 - std::countr_zero(cap);
  for (std::size_t j = 0; j < old_slots.size(); ++j) {
    if (!old_slots[j]) continue;
    std::size_t i = home(old_hashes[j]);
    while (hashes_[i] != 0) i = next(i);
    slots_[i] = old_slots[j];
    hashes_[i] = old_hashes[j];
  }
}

}  // namespace retort::orm::detail
