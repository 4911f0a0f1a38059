// Private declarations shared by the ORM's compiled core (src/orm/*.cpp).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "orm/identity_map.hpp"
#include "retort/engine.hpp"
#include "retort/error.hpp"
#include "retort/orm/mapper.hpp"
#include "retort/orm/relationship.hpp"
#include "retort/orm/session.hpp"

namespace retort {
class Dialect;
}

namespace retort::orm::detail {

inline InstanceState* RelCore::owner() const {
  if (!rel_) return nullptr;
  return reinterpret_cast<InstanceState*>(const_cast<char*>(reinterpret_cast<const char*>(this)) - rel_->owner_at);
}
inline OneCore* RelInfo::one(InstanceState* s) const { return one_at(s->object(), offset); }
inline ManyCore* RelInfo::many(InstanceState* s) const { return many_at(s->object(), offset); }
inline RelCore* RelInfo::member(InstanceState* s) const {
  return scalar() ? static_cast<RelCore*>(one(s)) : static_cast<RelCore*>(many(s));
}

/// Calls f(target) for every object linked to s through r, as held in memory
/// (no loading; f must not change the links).
template <class F>
void for_each_linked(const RelInfo& r, InstanceState* s, F&& f) {
  if (r.scalar()) {
    if (InstanceState* t = r.one(s)->target_) f(t);
    return;
  }
  ManyCore* mc = r.many(s);
  for (std::size_t i = 0, n = r.mops.size(mc); i < n; ++i) f(r.mops.at(mc, i));
}

std::size_t hash_value(const Value& v) noexcept;

/// Mapper + primary key values. The first value is stored inline, so that a
/// single-column key costs no allocation.
struct IdentityKey {
  const Mapper* mapper = nullptr;
  Value first;
  std::vector<Value> rest;  ///< further values of a composite key
  std::uint32_t size = 0;

  IdentityKey() = default;
  IdentityKey(const Mapper* m, std::vector<Value> v) : mapper(m) {
    for (auto& x : v) push(std::move(x));
  }
  void push(Value v) {
    if (size++ == 0) {
      first = std::move(v);
    } else {
      rest.push_back(std::move(v));
    }
  }
  const Value& at(std::size_t i) const { return i == 0 ? first : rest[i - 1]; }
  std::vector<Value> values() const {
    std::vector<Value> out;
    out.reserve(size);
    for (std::size_t i = 0; i < size; ++i) out.push_back(at(i));
    return out;
  }
  friend bool operator==(const IdentityKey&, const IdentityKey&) = default;
};
struct IdentityKeyHash {
  std::size_t operator()(const IdentityKey& k) const noexcept {
    std::size_t h = std::hash<const void*>()(k.mapper) ^ hash_value(k.first);
    for (const auto& v : k.rest) h = h * 1000003u ^ hash_value(v);
    return h;
  }
};

/// The identity key of a persistent object (primary key part of its snapshot).
IdentityKey identity_of(const InstanceState* s);

// The snapshot (instance_state.hpp): per column, a copy of the member.
inline const void* snapshot_field(const InstanceState* s, std::size_t col) {
  const Mapper& m = *s->mapper;
  return reinterpret_cast<const char*>(s) + m.snapshot_at + m.columns[col].snapshot_offset;
}
inline void* snapshot_field(InstanceState* s, std::size_t col) {
  return const_cast<void*>(snapshot_field(static_cast<const InstanceState*>(s), col));
}
/// The snapshot's value of a column.
inline Value snapshot_value(const InstanceState* s, std::size_t col) {
  return s->mapper->columns[col].ops->get(snapshot_field(s, col));
}
/// The member still equals its snapshot copy (unchanged since load or flush).
inline bool column_unchanged(const InstanceState* s, std::size_t col) {
  const ColumnInfo& c = s->mapper->columns[col];
  return c.ops->same(c.field(s->object()), snapshot_field(s, col));
}
/// The current primary key values from the object's members.
std::vector<Value> current_key(const InstanceState* s);
/// "User(id=1)" / "transient User" for messages.
std::string describe(const InstanceState* s);

/// Binds the relationship members of a block created by Mapper::create (loaded
/// from a row) to their relationships (hence their owner), not loaded yet.
void bind_loaded_object(InstanceState* s);
/// Unloads the object's relationships (expire): edges to persistent objects
/// are removed on both ends, which then reload on access.
void unload_relationships(InstanceState* s);

class SessionImpl {
 public:
  SessionImpl(Engine engine, SessionOptions options);
  ~SessionImpl();

  Engine engine;
  SessionOptions options;
  std::optional<Connection> conn;
  std::optional<Transaction> tx;
  IdentityMap identity;                         ///< persistent objects by key
  std::vector<InstanceState*> pending;          ///< new objects, in add order
  std::vector<InstanceState*> deleted;          ///< marked, not flushed
  std::vector<InstanceState*> flushed_deleted;  ///< DELETEd in this transaction
  std::vector<InstanceState*> inserted;         ///< INSERTed in this transaction
  bool flushing = false;
  int no_autoflush = 0;  ///< > 0 while a cascade walk loads collections (NoAutoflush)

  /// The connection, beginning the transaction on first use (emits BEGIN).
  Connection& connection();

  // session.cpp
  void add(InstanceState* s);             ///< plus the save-update cascade
  void add_one(InstanceState* s);         ///< no cascade
  void remove(InstanceState* s);          ///< plus the delete cascade (may load)
  void expunge(InstanceState* s, bool cascade);
  void forget(InstanceState* s);          ///< drop from all lists, no collector work
  void commit();
  /// Rolls back the open transaction (ROLLBACK) and returns the connection.
  void end_transaction() noexcept;
  void rollback();
  void close();
  void expire(InstanceState* s, bool cascade);
  void refresh(InstanceState* s, bool cascade);
  InstanceState* merge(InstanceState* s);

  // unit_of_work.cpp
  void flush();
  /// Before a query or a get() miss: a full flush (dirty columns too).
  void autoflush();
  /// Before a lazy load: flushes only when objects are pending or deleted
  /// (which changes the rows a load finds). Relationship changes are already
  /// in memory on both sides, so the full dirty scan (O(objects in the
  /// Session)) is skipped; otherwise iterating N lazy relationships would be
  /// quadratic.
  void autoflush_for_lazy_load();

  // loading.cpp
  InstanceState* get(const Mapper& m, std::vector<Value> key);
  /// The identity-map entry for a one-column key, without SQL or allocation:
  /// nullopt on a miss (or an expired entry), nullptr for an object marked
  /// deleted. Falls back to nullopt for composite keys.
  std::optional<InstanceState*> find_identity(const Mapper& m, const Value& key) const;  ///< may emit SELECT (after flushing pending inserts/deletes)
  /// Turns the current row (columns from `first`, in mapper column order)
  /// into the identity-mapped object.
  InstanceState* load_row(const Mapper& m, const driver::Statement& st, int first);
  void load_many(ManyCore* mc);
  void load_one(OneCore* oc);
  /// The lazy load of a member whose rows are found by a foreign key in
  /// the target (one-to-many, one-to-one) or an association table.
  void load_children(RelCore* rc);
};

/// While alive, loads through S do not autoflush: for work that is half done
/// when it loads (a delete cascade, a one-to-one assignment).
class NoAutoflush {
 public:
  explicit NoAutoflush(SessionImpl& S) : n_(S.no_autoflush) { ++n_; }
  ~NoAutoflush() { --n_; }
  NoAutoflush(const NoAutoflush&) = delete;
  NoAutoflush& operator=(const NoAutoflush&) = delete;

 private:
  int& n_;
};

// loading.cpp: filling relationships from loaded rows (no SQL).
/// Sets an unloaded collection from the children a load found (merged with
/// in-memory edges); the children's back references point at the owner.
void set_collection(ManyCore* mc, const std::vector<InstanceState*>& found);
/// Sets an unloaded reference; the target's collection records the edge.
void set_reference(OneCore* oc, InstanceState* t);
/// For a relationship whose foreign key is in the target (OneToMany,
/// OneToOne): sets the parent's unloaded member from the children a load
/// found (set_collection, or the one child of a one-to-one).
void set_loaded_children(const RelInfo& r, InstanceState* parent,
                         const std::vector<InstanceState*>& found);

// relationship.cpp: the parent side of a many-to-one (a collection, or the
// scalar of a one-to-one), seen from the child.
/// Records that `child` now points at `parent` through back->back. A
/// one-to-one parent that pointed at another child drops it (that child's
/// reference becomes null, an orphan under delete-orphan) when `displace`;
/// otherwise (a load) the in-memory link wins. `new_link`: the child pointed
/// at another parent (or none) until now, so a collection cannot hold it
/// yet and is not searched (a child is only in the collection of the parent
/// its reference names); appending n children then costs O(n), not O(n^2).
void back_link(const RelInfo* back, InstanceState* parent, InstanceState* child, bool displace,
               bool new_link = false);
/// Forgets that `child` pointed at `parent`.
void back_unlink(const RelInfo* back, InstanceState* parent, InstanceState* child);

/// " ORDER BY ..." for a collection's child table: the relationship's
/// order_by, then the child's primary key (qualified by `qualifier`).
/// Throws ArgumentError when an order_by member is not a mapped column.
std::string collection_order_sql(const RelInfo& r, const Dialect& d, std::string_view qualifier);

// eager.cpp: loader strategies (loader.hpp).
/// A relationship with the strategy a query (or the mapping) gives it, and
/// the options for the next level.
struct LoadNode {
  const RelInfo* rel = nullptr;
  LoadStrategy strategy = LoadStrategy::default_;
  bool innerjoin = false;
  std::vector<LoadNode> children;
};
/// Resolves query options into a tree rooted at `root`. Throws ArgumentError
/// for a chain level that is not a relationship of the previous target.
std::vector<LoadNode> resolve_options(const Mapper& root, std::span<const LoaderOption> opts);
/// The relationships of `objs` (all of mapper m, just loaded) get their
/// strategies: selectin emits one SELECT ... IN per relationship level (may
/// emit SQL, no autoflush); raise/noload mark unloaded members; levels below
/// recurse on the newly loaded targets. `joined` holds the targets a joined
/// query already loaded, per top-level relationship.
struct JoinedTargets {
  const RelInfo* rel;
  std::vector<InstanceState*> targets;
};
void apply_loaders(SessionImpl& S, const Mapper& m, const std::vector<InstanceState*>& objs,
                   const std::vector<LoadNode>& nodes, const std::vector<JoinedTargets>* joined);
/// apply_loaders with the mapping's strategies only (after a lazy load);
/// O(1) when every relationship of m is lazy.
void apply_default_loaders(SessionImpl& S, const Mapper& m, const std::vector<InstanceState*>& objs);

/// Called when `child` was linked to `parent` through `rel` (either side):
/// applies the save-update cascade of both sides.
void cascade_on_link(InstanceState* owner, const RelInfo* rel, InstanceState* other);

// association.cpp: many-to-many relationships through an association table.
/// Resolves r (ManyToMany, r.back already found) and builds its Table.
/// Throws ArgumentError on a mapping mistake.
void configure_many_to_many(const Mapper& m, RelInfo& r);
/// Links / unlinks owner and child on both sides, loading both collections
/// first (may emit SQL); link applies the save-update cascade.
void m2m_link(ManyCore* mc, InstanceState* child);
void m2m_unlink(ManyCore* mc, InstanceState* child);
/// Lazy load of a many-to-many collection (one SELECT joining the table).
void m2m_load(SessionImpl& S, ManyCore* mc);
/// Sets an unloaded collection from the targets a load found (merged with
/// in-memory links); the targets' collections record the link (no SQL).
void set_m2m_collection(ManyCore* mc, const std::vector<InstanceState*>& found);
/// selectin: fills the unloaded collections of `objs` with one SELECT ... IN
/// per chunk of keys (emits SQL); returns the targets loaded.
std::vector<InstanceState*> m2m_selectin(SessionImpl& S, const RelInfo& r,
                                         const std::vector<InstanceState*>& objs);
/// Unflushed association changes: DELETEs for removed links and deleted
/// owners, then INSERTs for new links (emits SQL). Runs after the object
/// INSERTs/UPDATEs and before the object DELETEs.
void m2m_write(SessionImpl& S);
/// After a successful flush: the known rows of x's collections become current.
void m2m_mark_clean(SessionImpl& S, InstanceState* x);
/// expire: drops the edges to persistent targets on both sides.
void m2m_unload(InstanceState* s, const RelInfo& r);

// viewonly.cpp: read-only relationships to a subset of rows.
/// SELECT <target> WHERE <foreign key> IN (keys) AND <r.filter> ORDER BY
/// <r.order_by>, <target pk>, compiled for d (REQUIRES: r.viewonly).
CompiledSql viewonly_select(const RelInfo& r, std::span<const std::vector<Value>> keys, const Dialect& d);
/// Sets the collection to `found` (no back references: the collector learns
/// the links from add_view_edge).
void set_viewonly_collection(ManyCore* mc, const std::vector<InstanceState*>& found);
/// expire: empties the collection and marks it unloaded.
void unload_viewonly(InstanceState* s, const RelInfo& r);

// collector.cpp: the reverse edges of read-only collections, which have no
// back side, so that a trial reaching `viewed` also reaches `viewer`.
void add_view_edge(InstanceState* viewer, InstanceState* viewed);
void remove_view_edge(InstanceState* viewer, InstanceState* viewed);

// persistence.cpp (called only by the unit of work)
struct UndoLog {
  struct Entry {
    InstanceState* s;
    int col;
    Value old;
  };
  std::vector<Entry> entries;
  void set(InstanceState* s, int col, const Value& v);
  void undo();
};
/// Copies parents' keys into the object's foreign key members (or NULL for a
/// removed or deleted parent); idempotent. Throws InvalidRequestError when a
/// NOT NULL foreign key would become NULL.
void sync_foreign_keys(SessionImpl& S, InstanceState* s, UndoLog& undo);
void insert_objects(SessionImpl& S, const Mapper& m, const std::vector<InstanceState*>& objs,
                    UndoLog& undo);
/// Syncs foreign keys, writes changed columns; returns the objects updated.
std::vector<InstanceState*> update_objects(SessionImpl& S, const Mapper& m,
                                           const std::vector<InstanceState*>& objs, UndoLog& undo);
void delete_objects(SessionImpl& S, const Mapper& m, const std::vector<InstanceState*>& objs);
void take_snapshot(InstanceState* s);

// unique_release.cpp (called only by the unit of work)
/// The objects of one flush, by mapper.
using FlushGroups = std::unordered_map<const Mapper*, std::vector<InstanceState*>>;
/// Before the INSERTs of mapper m: rows of m that give up a UNIQUE value that
/// another row of m takes in this flush (the old child of a replaced
/// one-to-one, a renamed or deleted row whose unique name is reused) are
/// written first — their UPDATEs, then their DELETEs with the rows that
/// depend on them, children first — and leave `upd` / `del`. Returns the
/// objects updated. A release that cannot move earlier (a row being moved
/// away from the deleted one still references it) stays in place.
std::vector<InstanceState*> release_unique_values(SessionImpl& S, const Mapper& m, FlushGroups& ins,
                                                  FlushGroups& upd, FlushGroups& del, UndoLog& undo);

}  // namespace retort::orm::detail
