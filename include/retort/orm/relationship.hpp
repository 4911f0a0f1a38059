// retort/orm/relationship.hpp — relationship members of mapped structs:
// One<T> (a scalar: many-to-one, or either side of a one-to-one) and Many<T>
// (one-to-many or many-to-many collection).
//
// Inside an object made by retort::make (or loaded by a Session) these members
// are bound to their owner and relationship: every mutation keeps the other
// side (back_populates) in sync in memory at once, and, when the owner is in a
// Session, applies the save-update cascade. They are non-owning edges for the
// collector (see ptr.hpp).
//
// A persistent object's relationships load lazily on first access: that emits
// a SELECT (after an autoflush) through the owner's Session, and throws
// DetachedInstanceError when the owner has no Session.
//
// Outside a block (a struct on the stack, or the aggregate passed to make)
// they are unbound: they hold their targets strongly, and make() turns them
// into bound edges. Relationship members are movable only while unbound and
// never copyable: copy the column members instead.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <vector>

#include "retort/orm/instance_state.hpp"
#include "retort/orm/ptr.hpp"
#include "retort/value.hpp"

namespace retort::orm::detail {

struct RelInfo;

/// What every bound relationship member knows: its relationship and whether
/// its value is in memory. The owner is not stored: a bound member lives in
/// its owner's block at a fixed distance (RelInfo::owner_at), so owner()
/// computes it, which keeps a Many<T> at 40 bytes and a One<T> at 24
/// (memory per object, issue 5).
struct RelCore {
  const RelInfo* rel_ = nullptr;  ///< set when the member is bound to its owner
  bool loaded_ = true;
  bool raise_ = false;  ///< unloaded and raiseload() by the query that loaded the owner
  bool has_m2m_base_ = false;  ///< ManyCore: holds an entry in the m2m base table
  bool modified_ = false;  ///< OneCore: assigned since the last flush (here: it packs with the flags)

  bool bound() const { return rel_ != nullptr; }
  /// The block holding this member, or nullptr when unbound (internal.hpp).
  InstanceState* owner() const;
};

class OneCore : public RelCore {
 public:
  OneCore() = default;
  OneCore(const OneCore&) = delete;
  OneCore& operator=(const OneCore&) = delete;
  OneCore(OneCore&& o);  ///< throws InvalidRequestError when `o` is bound
  ~OneCore();

  /// The target, loading it first if needed (may autoflush and emit SQL).
  InstanceState* target() const;
  /// target() for user reads: throws InvalidRequestError when the reference is
  /// unloaded and its loader strategy is raise (loader.hpp).
  InstanceState* read_target() const;
  /// Sets the target and syncs the back side (the old and new targets'
  /// collections). May lazy-load the old target first (may emit SQL).
  void assign(InstanceState* t);

  // Internal state, used by the ORM core.
  InstanceState* target_ = nullptr;  ///< unbound: a strong reference

 private:
  void assign_parent_side(InstanceState* t);  ///< one_to_one without the foreign key
};

class ManyCore : public RelCore {
 public:
  ManyCore() = default;
  ManyCore(const ManyCore&) = delete;
  ManyCore& operator=(const ManyCore&) = delete;
  ManyCore(ManyCore&& o);  ///< throws InvalidRequestError when `o` is bound
  ~ManyCore() {
    if (has_m2m_base_) drop_m2m_base();
  }

  /// Loads the collection if needed (may autoflush and emit SQL).
  void ensure_loaded() const;
  /// ensure_loaded() for user reads: throws InvalidRequestError when the
  /// collection is unloaded and its loader strategy is raise (loader.hpp).
  void read_loaded() const;
  /// Bound mutations; each keeps the children's One<> in sync (many-to-many:
  /// the children's Many<>, after loading both collections, which may emit SQL).
  void append(InstanceState* child);
  void remove(InstanceState* child);
  void clear();

  /// ManyToMany: target keys of the association rows known to be in the
  /// database (set by a load or a flush); a flush writes the difference.
  /// Kept in a side table (association.cpp) made on first use, so other
  /// collections pay nothing for it.
  std::vector<Value>& m2m_base();
  /// m2m_base() for reading: an empty list when none was set (makes no entry).
  const std::vector<Value>& m2m_base_or_empty();
  /// Empties m2m_base() (frees its entry).
  void forget_m2m_base() noexcept {
    if (has_m2m_base_) drop_m2m_base();
  }

  /// Entries in the m2m base table of all collections (for tests: each is
  /// freed with its collection).
  static std::size_t m2m_base_entries();

 private:
  void drop_m2m_base() noexcept;
};

}  // namespace retort::orm::detail

namespace retort {

/// A scalar reference: a many-to-one (Post::author) or either side of a
/// one-to-one (User::profile, Profile::user).
template <class T>
class One : public orm::detail::OneCore {
 public:
  One() = default;
  One(std::nullptr_t) {}
  One(const Ptr<T>& p) { hold(p.state()); }  // NOLINT: for designated initializers
  One(const Ref<T>& r) { hold(r.state()); }  // NOLINT
  One(One&&) = default;

  /// Assigning syncs the back side at once: `post->author = user` appends the
  /// post to user->posts and removes it from the previous author's posts.
  One& operator=(const Ptr<T>& p) { return set(p.state()); }
  One& operator=(const Ref<T>& r) { return set(r.state()); }
  One& operator=(std::nullptr_t) { return set(nullptr); }

  /// The target or nullptr. Lazy load on first access (may emit SQL).
  T* get() const {
    auto* s = read_target();
    return s ? static_cast<T*>(s->object()) : nullptr;
  }
  T* operator->() const { return get(); }
  T& operator*() const { return *get(); }
  explicit operator bool() const { return read_target() != nullptr; }
  Ref<T> ref() const { return Ref<T>(read_target()); }
  Ptr<T> ptr() const { return Ptr<T>(read_target()); }
  operator Ref<T>() const { return ref(); }  // NOLINT

  friend bool operator==(const One& a, std::nullptr_t) { return a.read_target() == nullptr; }
  friend bool operator==(const One& a, const Ptr<T>& p) { return a.read_target() == p.state(); }
  friend bool operator==(const One& a, const Ref<T>& p) { return a.read_target() == p.state(); }

 private:
  void hold(orm::detail::InstanceState* s) {
    target_ = s;
    if (s) ++s->external;
  }
  One& set(orm::detail::InstanceState* s) {
    if (bound()) {
      assign(s);
    } else {
      auto* old = target_;
      hold(s);
      if (old && --old->external == 0) orm::detail::release_external(old);
    }
    return *this;
  }
};

/// A one-to-many collection: User::posts. Iterating yields const Ref<T>&.
template <class T>
class Many : public orm::detail::ManyCore {
 public:
  using value_type = Ref<T>;
  using const_iterator = typename std::vector<Ref<T>>::const_iterator;
  using iterator = const_iterator;

  Many() = default;
  Many(std::initializer_list<Ptr<T>> items) {  // unbound: holds items strongly
    for (auto& p : items) push_unbound(p.state());
  }
  Many(Many&& o) : orm::detail::ManyCore(std::move(o)), items_(std::move(o.items_)) {}
  ~Many() {
    if (bound()) return;  // bound: edges were cleared by the collector
    for (auto& r : items_)
      if (--r.state()->external == 0) orm::detail::release_external(r.state());
  }

  // Reading (lazy load on first access; may emit SQL).
  const_iterator begin() const { read_loaded(); return items_.begin(); }
  const_iterator end() const { read_loaded(); return items_.end(); }
  std::size_t size() const { read_loaded(); return items_.size(); }
  bool empty() const { return size() == 0; }
  const Ref<T>& operator[](std::size_t i) const { read_loaded(); return items_[i]; }
  const Ref<T>& front() const { return (*this)[0]; }
  const Ref<T>& back() const { return (*this)[size() - 1]; }
  bool contains(const Ref<T>& r) const {
    for (auto& x : *this)
      if (x == r) return true;
    return false;
  }

  /// Appends (no-op when present); sets child->back_populates to the owner,
  /// removing the child from its previous parent's collection.
  void push_back(const Ref<T>& child) { add(child.state()); }
  void push_back(const Ptr<T>& child) { add(child.state()); }
  /// Removes (no-op when absent); the child's back reference becomes null.
  /// Under delete-orphan cascade the child is deleted at the next flush.
  void remove(const Ref<T>& child) {
    if (bound()) {
      orm::detail::ManyCore::remove(child.state());
    } else {
      erase_unbound(child.state());
    }
  }
  void remove(const Ptr<T>& child) { remove(Ref<T>(child)); }
  /// Removes every child (as remove() does for each).
  void clear() {
    if (bound()) {
      orm::detail::ManyCore::clear();
    } else {
      while (!items_.empty()) erase_unbound(items_.back().state());
    }
  }

  // Used by the type-erased core (ManyOps).
  std::vector<Ref<T>> items_;

 private:
  void add(orm::detail::InstanceState* s) {
    if (!s) return;
    if (bound()) {
      append(s);
    } else {
      for (auto& r : items_)
        if (r.state() == s) return;
      push_unbound(s);
    }
  }
  void push_unbound(orm::detail::InstanceState* s) {
    ++s->external;
    items_.push_back(Ref<T>(s));
  }
  void erase_unbound(orm::detail::InstanceState* s) {
    for (auto it = items_.begin(); it != items_.end(); ++it) {
      if (it->state() == s) {
        items_.erase(it);
        if (--s->external == 0) orm::detail::release_external(s);
        return;
      }
    }
  }
};

}  // namespace retort
