// retort/orm/session.hpp — the Session: identity map and unit of work.
//
// A Session holds the objects added to it or loaded through it, strongly,
// until close(), expunge() or (for deleted objects) commit(). It begins a
// transaction on first use (BEGIN) and keeps it until commit() or rollback().
// Two loads of the same row return the same object (the identity map).
// Changes are found at flush by comparing members with the loaded snapshot;
// only changed columns are written.
//
// Differences from SQLAlchemy, deliberate: the identity map is strong (loaded
// objects stay until close/expunge); commit() does not expire objects, so
// loaded values stay readable without SQL; expire() marks an object so that
// its columns are overwritten the next time its row is loaded (plain members
// cannot intercept reads), relationships reload on next access.
//
// Thread safety: a Session and its objects are confined to one thread.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <vector>

#include "retort/engine.hpp"
#include "retort/orm/mapping.hpp"
#include "retort/orm/ptr.hpp"

namespace retort {

namespace orm::detail {
class SessionImpl;
}

struct SessionOptions {
  /// Flush before every query, get() miss and lazy load.
  bool autoflush = true;
};

/// SQLAlchemy's object states (inspect(obj)).
enum class ObjectState { transient, pending, persistent, deleted, detached };

template <class T>
class Query;

class Session {
 public:
  /// No SQL until first use.
  explicit Session(Engine engine, SessionOptions options = {});
  /// close()
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// Places a transient object (pending: INSERT at next flush) or a detached
  /// one (persistent again) in the Session, with the save-update cascade.
  /// No SQL. Throws InvalidRequestError when the object belongs to another Session.
  template <Mapped T>
  void add(const Ref<T>& obj) { add_state(obj.state()); }
  template <Mapped T>
  void add(const Ptr<T>& obj) { add_state(obj.state()); }
  template <class... P>
  void add_all(const P&... objs) { (add(objs), ...); }
  template <Mapped T>
  void add_all(const std::vector<Ptr<T>>& objs) {
    for (auto& o : objs) add(o);
  }

  /// SQLAlchemy's session.delete(obj): DELETE at next flush, with the delete
  /// cascade (which may load collections: SELECT). A pending object is
  /// simply expunged.
  template <Mapped T>
  void remove(const Ref<T>& obj) { remove_state(obj.state()); }
  template <Mapped T>
  void remove(const Ptr<T>& obj) { remove_state(obj.state()); }

  /// The object with this primary key: from the identity map (no SQL) or by
  /// SELECT. Before the SELECT, pending inserts and deletes are flushed (with
  /// autoflush on); changed columns of loaded objects are not, so a loop of
  /// get() stays linear. Empty Ptr when there is no such row.
  template <Mapped T>
  Ptr<T> get(const Value& key) {
    return Ptr<T>(get_state_one(orm::detail::mapper_of<T>(), key));
  }
  /// Composite primary key, in declaration order.
  template <Mapped T>
  Ptr<T> get(std::initializer_list<Value> key) {
    return Ptr<T>(get_state(orm::detail::mapper_of<T>(), std::vector<Value>(key)));
  }

  /// Writes pending changes: INSERT / UPDATE / DELETE in dependency order.
  /// On failure the transaction is rolled back, the in-memory effects of the
  /// flush are undone and the exception is rethrown; the Session stays usable.
  void flush();
  /// Flushes, then COMMIT. Deleted objects become detached.
  void commit();
  /// ROLLBACK. Pending objects and objects inserted in the transaction are
  /// expunged (transient again), objects
  /// deleted in it are restored, the others are expired.
  void rollback();
  /// Rolls back an open transaction and releases every object (detached,
  /// still readable through your Ptrs; objects whose INSERT the rollback
  /// undid are transient). The Session can be used again.
  void close();

  /// Reloads the object's columns now (SELECT; refresh-expire cascade).
  template <Mapped T>
  void refresh(const Ref<T>& obj) { refresh_state(obj.state()); }
  template <Mapped T>
  void refresh(const Ptr<T>& obj) { refresh_state(obj.state()); }
  /// Marks the object: columns are overwritten at its next load, unloaded
  /// relationships reload on access. No SQL.
  template <Mapped T>
  void expire(const Ptr<T>& obj) { expire_state(obj.state()); }
  void expire_all();
  /// Removes the object (expunge cascade) from the Session: it becomes
  /// detached (or transient if pending). No SQL.
  template <Mapped T>
  void expunge(const Ptr<T>& obj) { expunge_state(obj.state()); }
  void expunge_all();
  /// Copies the state of `obj` onto the persistent object with the same key
  /// (loaded by get(): may SELECT) or a new pending one; merge cascade.
  /// Returns the Session's object; `obj` itself is not added.
  template <Mapped T>
  Ptr<T> merge(const Ptr<T>& obj) { return Ptr<T>(merge_state(obj.state())); }

  /// A query returning mapped objects (see query.hpp).
  template <Mapped T>
  Query<T> query();

  /// The Session's connection, beginning its transaction (BEGIN) if needed.
  Connection& connection();
  const Engine& engine() const;
  /// Objects held: pending + persistent + deleted-not-committed.
  std::size_t size() const;
  bool in_transaction() const;

  orm::detail::SessionImpl& impl() { return *impl_; }

 private:
  void add_state(orm::detail::InstanceState* s);
  void remove_state(orm::detail::InstanceState* s);
  orm::detail::InstanceState* get_state(const orm::detail::Mapper& m, std::vector<Value> key);
  /// get_state for a one-value key: an identity-map hit allocates nothing.
  orm::detail::InstanceState* get_state_one(const orm::detail::Mapper& m, const Value& key);
  void refresh_state(orm::detail::InstanceState* s);
  void expire_state(orm::detail::InstanceState* s);
  void expunge_state(orm::detail::InstanceState* s);
  orm::detail::InstanceState* merge_state(orm::detail::InstanceState* s);

  std::unique_ptr<orm::detail::SessionImpl> impl_;
};

namespace orm::detail {
ObjectState state_of(const InstanceState* s);
bool is_modified(const InstanceState* s);
}  // namespace orm::detail

/// What SQLAlchemy's inspect(obj) tells about an object.
struct InstanceInfo {
  ObjectState state;
  bool modified;  ///< a column differs from the loaded snapshot
  bool transient() const { return state == ObjectState::transient; }
  bool pending() const { return state == ObjectState::pending; }
  bool persistent() const { return state == ObjectState::persistent; }
  bool deleted() const { return state == ObjectState::deleted; }
  bool detached() const { return state == ObjectState::detached; }
};
template <class P>
InstanceInfo inspect(const P& obj) {
  return {orm::detail::state_of(obj.state()), orm::detail::is_modified(obj.state())};
}

}  // namespace retort
