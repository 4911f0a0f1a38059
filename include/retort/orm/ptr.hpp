// retort/orm/ptr.hpp — handles to mapped objects: Ptr<T> (owning) and Ref<T>
// (non-owning, what relationship collections hand out).
//
// Liveness rule: a connected graph of mapped objects (connected through One /
// Many relationship members) lives as long as any object in it is held by a
// Ptr you own or by a Session; when neither is true the whole graph is freed.
//
// How: every block counts its Ptr handles and knows whether a Session holds
// it. Relationship members are non-owning edges. When a count drops to zero,
// a Session lets an object go, or an edge is removed, a trial walks the
// component reachable through relationship edges (both directions) and stops
// at the first pinned object; if there is none, it clears the component's
// edges and frees every block in it. The block itself is checked first, so
// dropping a Ptr to a Session-held object costs O(1). Trials caused by edge
// removal are queued and run at the next safe point (a Ptr release, make, a
// Session call), so an object you still reach through a Ref stays valid
// until your next retort call.
//
// A Ref<T> is like a raw pointer: valid while its object is alive under the
// rule above. Convert it to a Ptr<T> to keep the object.
//
// Thread safety: none; single-thread confined (non-atomic counts).
#pragma once

#include <cassert>
#include <compare>
#include <cstddef>
#include <functional>

#include "retort/orm/instance_state.hpp"

namespace retort {

template <class T>
class Ref {
 public:
  Ref() = default;
  Ref(std::nullptr_t) {}
  explicit Ref(orm::detail::InstanceState* s) : s_(s) {}

  /// The object; nullptr for an empty Ref.
  T* get() const { return s_ ? static_cast<T*>(s_->object()) : nullptr; }
  /// REQUIRES: non-empty.
  T* operator->() const {
    assert(s_ && "dereferencing an empty retort::Ref");
    return get();
  }
  T& operator*() const { return *operator->(); }
  explicit operator bool() const { return s_ != nullptr; }
  orm::detail::InstanceState* state() const { return s_; }

  friend bool operator==(const Ref& a, const Ref& b) { return a.s_ == b.s_; }
  friend bool operator==(const Ref& a, std::nullptr_t) { return a.s_ == nullptr; }

 protected:
  orm::detail::InstanceState* s_ = nullptr;
};

/// An owning handle: keeps its object (and the graph connected to it) alive.
template <class T>
class Ptr {
 public:
  Ptr() = default;
  Ptr(std::nullptr_t) {}
  /// Takes a new reference to the object behind `s` (may be null).
  explicit Ptr(orm::detail::InstanceState* s) : s_(s) { acquire(); }
  Ptr(const Ref<T>& r) : s_(r.state()) { acquire(); }  // NOLINT: implicit by design
  Ptr(const Ptr& o) : s_(o.s_) { acquire(); }
  Ptr(Ptr&& o) noexcept : s_(o.s_) { o.s_ = nullptr; }
  Ptr& operator=(Ptr o) noexcept {
    std::swap(s_, o.s_);
    return *this;
  }
  ~Ptr() { reset(); }

  /// Drops this handle; may free the object's graph (see the rule above).
  void reset() noexcept {
    if (auto* s = s_) {
      s_ = nullptr;
      if (--s->external == 0) orm::detail::release_external(s);
    }
  }

  T* get() const { return s_ ? static_cast<T*>(s_->object()) : nullptr; }
  /// REQUIRES: non-empty.
  T* operator->() const {
    assert(s_ && "dereferencing an empty retort::Ptr");
    return get();
  }
  T& operator*() const { return *operator->(); }
  explicit operator bool() const { return s_ != nullptr; }
  operator Ref<T>() const { return Ref<T>(s_); }  // NOLINT
  orm::detail::InstanceState* state() const { return s_; }
  /// Ptr handles to this object (for tests and diagnostics).
  std::uint32_t use_count() const { return s_ ? s_->external : 0; }

  friend bool operator==(const Ptr& a, const Ptr& b) { return a.s_ == b.s_; }
  friend bool operator==(const Ptr& a, std::nullptr_t) { return a.s_ == nullptr; }
  friend bool operator==(const Ptr& a, const Ref<T>& b) { return a.s_ == b.state(); }

 private:
  void acquire() {
    if (s_) ++s_->external;
  }
  orm::detail::InstanceState* s_ = nullptr;
};

}  // namespace retort

template <class T>
struct std::hash<retort::Ptr<T>> {
  std::size_t operator()(const retort::Ptr<T>& p) const noexcept {
    return std::hash<const void*>()(p.state());
  }
};
