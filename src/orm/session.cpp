// The Session's bookkeeping: adding, deleting, expunging, merging, object
// states, commit / rollback / close. Flushing is in unit_of_work.cpp, loading
// in loading.cpp.
#include <algorithm>
#include <sstream>
#include <unordered_set>

#include "orm/internal.hpp"

namespace retort {

namespace orm::detail {

std::size_t hash_value(const Value& v) noexcept {
  switch (v.index()) {
    case 1: return std::hash<std::int64_t>()(std::get<std::int64_t>(v));
    case 2: return std::hash<double>()(std::get<double>(v));
    case 3: return std::get<bool>(v) ? 1 : 2;
    case 4: return std::hash<std::string>()(std::get<std::string>(v));
    case 5: {
      const auto& b = std::get<Bytes>(v);
      return std::hash<std::string_view>()(
          std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
    }
    case 6: return std::hash<long>()(std::get<Date>(v).time_since_epoch().count());
    case 7: return std::hash<long long>()(std::get<Timestamp>(v).time_since_epoch().count());
    default: return 0;
  }
}

IdentityKey identity_of(const InstanceState* s) {
  IdentityKey k;
  k.mapper = s->mapper;
  for (int p : s->mapper->pk) k.push(snapshot_value(s, std::size_t(p)));
  return k;
}

std::vector<Value> current_key(const InstanceState* s) {
  std::vector<Value> out;
  for (int p : s->mapper->pk) {
    const ColumnInfo& c = s->mapper->columns[std::size_t(p)];
    out.push_back(c.ops->get(c.field(s->object())));
  }
  return out;
}

std::string describe(const InstanceState* s) {
  std::ostringstream o;
  o << '<' << s->mapper->table_name;
  if (s->has(kHasIdentity)) {
    o << ' ';
    auto k = identity_of(s);
    for (std::size_t i = 0; i < k.size; ++i)
      o << (i ? ", " : "") << s->mapper->columns[std::size_t(s->mapper->pk[i])].name << '='
        << to_display(k.at(i));
  } else {
    o << " (transient or pending)";
  }
  o << " at " << static_cast<const void*>(s->object()) << '>';
  return o.str();
}

ObjectState state_of(const InstanceState* s) {
  if (!s) return ObjectState::transient;
  if (s->has(kDeletedFlushed)) return s->session ? ObjectState::deleted : ObjectState::detached;
  if (!s->has(kHasIdentity)) return s->session ? ObjectState::pending : ObjectState::transient;
  return s->session ? ObjectState::persistent : ObjectState::detached;
}

bool is_modified(const InstanceState* s) {
  if (!s || !s->has(kHasIdentity)) return false;
  const Mapper& m = *s->mapper;
  for (std::size_t i = 0; i < m.columns.size(); ++i)
    if (!column_unchanged(s, i)) return true;
  return false;
}

SessionImpl::SessionImpl(Engine e, SessionOptions o) : engine(std::move(e)), options(o) {}
SessionImpl::~SessionImpl() = default;

Connection& SessionImpl::connection() {
  if (!conn) conn.emplace(engine.connect());
  if (!tx) tx.emplace(conn->begin());
  return *conn;
}

namespace {
// From the back: the objects removed are most often the latest added, and
// a loop that removes every object goes from the back too (rollback).
void erase_from(std::vector<InstanceState*>& v, InstanceState* s) {
  auto it = std::find(v.rbegin(), v.rend(), s);
  if (it != v.rend()) v.erase(std::next(it).base());
}
}  // namespace

void SessionImpl::forget(InstanceState* s) {
  // The flags say which lists can hold s, so only those are scanned.
  if (s->has(kHasIdentity)) {
    identity.erase(s);
  } else {
    erase_from(pending, s);
  }
  if (s->has(kMarkedDeleted)) erase_from(deleted, s);
  if (s->has(kDeletedFlushed)) erase_from(flushed_deleted, s);
  erase_from(inserted, s);
}

void SessionImpl::add_one(InstanceState* s) {
  if (s->session == this) return;
  if (s->session)
    throw InvalidRequestError("Object " + describe(s) +
                              " is already attached to another Session; expunge it there first");
  s->mapper->configure();
  if (s->has(kHasIdentity)) {
    if (identity.insert(s) != s)
      throw InvalidRequestError("Can't attach instance " + describe(s) +
                                "; another instance with the same key is already in this Session");
  } else {
    pending.push_back(s);
  }
  s->session = this;
}

void SessionImpl::add(InstanceState* s) {
  if (s->session == this) return;
  // Walk the save-update cascade from the newly added object; objects already
  // in the Session were cascaded when they were added or linked.
  // Breadth first, so that objects are inserted in the order they are reached.
  // Most adds of a bulk load reach nothing else: then no work list is made.
  bool reaches_others = false;
  for (const RelInfo& r : s->mapper->rels)
    if (cascade::has(r.cascade, cascade::save_update))
      for_each_linked(r, s, [&](InstanceState*) { reaches_others = true; });
  if (!reaches_others) return add_one(s);
  std::vector<InstanceState*> work{s};
  for (std::size_t i = 0; i < work.size(); ++i) {
    InstanceState* x = work[i];
    if (x->session == this) continue;
    add_one(x);
    for (const RelInfo& r : x->mapper->rels) {
      if (!cascade::has(r.cascade, cascade::save_update)) continue;
      for_each_linked(r, x, [&](InstanceState* t) { work.push_back(t); });
    }
  }
}

void SessionImpl::remove(InstanceState* s) {
  if (s->session != this) {
    if (!s->has(kHasIdentity) || s->session)
      throw InvalidRequestError("Instance " + describe(s) + " is not persisted");
    add_one(s);
  }
  if (!s->has(kHasIdentity))
    throw InvalidRequestError("Instance " + describe(s) + " is not persisted");
  if (s->has(kMarkedDeleted) || s->has(kDeletedFlushed)) return;
  s->set(kMarkedDeleted);
  deleted.push_back(s);
  // The delete cascade (loads collections that are not loaded: SELECT),
  // without autoflush: the deletion is only half registered until it ends.
  NoAutoflush guard(*this);
  for (const RelInfo& r : s->mapper->rels) {
    if (!cascade::has(r.cascade, cascade::remove)) continue;
    // passive_deletes: the database deletes the rows not loaded; the
    // children in memory are deleted here.
    if (r.passive_deletes) {
    } else if (r.scalar()) {
      r.one(s)->target();  // loads it
    } else {
      r.many(s)->ensure_loaded();
    }
    std::vector<InstanceState*> kids;
    for_each_linked(r, s, [&](InstanceState* c) { kids.push_back(c); });
    for (auto* c : kids) {
      if (c->has(kHasIdentity)) {
        remove(c);
      } else if (c->session == this) {
        expunge(c, true);
      }
    }
  }
}

void SessionImpl::expunge(InstanceState* s, bool cascade_too) {
  if (s->session != this)
    throw InvalidRequestError("Instance " + describe(s) + " is not present in this Session");
  std::vector<InstanceState*> work{s};
  while (!work.empty()) {
    InstanceState* x = work.back();
    work.pop_back();
    if (x->session != this) continue;
    forget(x);
    x->session = nullptr;
    x->clear(kMarkedDeleted);
    queue_trial(x);
    if (!cascade_too) break;
    for (const RelInfo& r : x->mapper->rels) {
      if (!cascade::has(r.cascade, cascade::expunge)) continue;
      for_each_linked(r, x, [&](InstanceState* t) { work.push_back(t); });
    }
  }
}

void SessionImpl::commit() {
  flush();
  if (tx) {
    tx->commit();
    tx.reset();
  }
  conn.reset();
  // The deleted rows leave the Session. The flush took them out of the
  // identity map, and the only other list that can hold them is `inserted`,
  // emptied here too. (forget() for each would scan the lists: quadratic in
  // the size of a large delete.)
  std::vector<InstanceState*> gone;
  gone.swap(flushed_deleted);
  inserted.clear();
  for (auto* s : gone) {
    s->session = nullptr;
    queue_trial(s);
  }
  drain_trials();
}

void SessionImpl::end_transaction() noexcept {
  if (tx) {
    try {
      tx->rollback();
    } catch (...) {
      // The connection may be broken; it is released below either way.
    }
    tx.reset();
  }
  conn.reset();
}

void SessionImpl::rollback() {
  end_transaction();
  // Objects INSERTed in the transaction become transient again. They leave
  // the lists in one pass each (forget() per object would be quadratic for
  // a large transaction).
  std::vector<InstanceState*> gone;
  gone.swap(inserted);
  std::unordered_set<InstanceState*> was_inserted(gone.begin(), gone.end());
  auto inserted_in_tx = [&](InstanceState* s) { return was_inserted.count(s) != 0; };
  std::erase_if(pending, inserted_in_tx);  // (a flush that failed while marking them clean)
  std::erase_if(deleted, inserted_in_tx);
  std::erase_if(flushed_deleted, inserted_in_tx);
  for (auto* s : gone) {
    identity.erase(s);
    s->clear(kHasIdentity);
    s->clear(kMarkedDeleted);
    s->clear(kDeletedFlushed);
    s->session = nullptr;
    for (const RelInfo& r : s->mapper->rels)  // its association rows are gone too
      if (r.kind == RelKind::ManyToMany) r.many(s)->forget_m2m_base();
    queue_trial(s);
  }
  // Objects DELETEd or marked in it are persistent again.
  for (auto* s : flushed_deleted) {
    s->clear(kDeletedFlushed);
    identity.insert(s);
  }
  flushed_deleted.clear();
  for (auto* s : deleted) s->clear(kMarkedDeleted);
  deleted.clear();
  // Everything else is expired: reloaded from the database on next access.
  for (InstanceState* s : identity) {
    s->set(kExpired);
    unload_relationships(s);
  }
  drain_trials();
}

void SessionImpl::close() {
  end_transaction();
  // An open transaction's work is rolled back: the rows it inserted are gone
  // (their objects become transient, as after rollback(); SQLAlchemy leaves
  // them detached with keys that name no row) and the rows it deleted are
  // back (their objects are detached, and a later Session can delete them).
  for (auto* s : inserted) s->clear(kHasIdentity);
  for (auto* s : flushed_deleted) s->clear(kDeletedFlushed);
  std::vector<InstanceState*> all;
  all.reserve(identity.size() + pending.size());
  for (InstanceState* s : identity) all.push_back(s);
  for (auto* s : pending) all.push_back(s);
  for (auto* s : flushed_deleted) all.push_back(s);
  identity.clear();
  pending.clear();
  deleted.clear();
  flushed_deleted.clear();
  inserted.clear();
  for (auto* s : all) {
    s->session = nullptr;
    s->clear(kMarkedDeleted);
    queue_trial(s);
  }
  drain_trials();
}

void SessionImpl::expire(InstanceState* s, bool cascade_too) {
  if (s->session != this)
    throw InvalidRequestError("Instance " + describe(s) + " is not present in this Session");
  std::vector<InstanceState*> work{s};
  std::unordered_set<InstanceState*> seen;
  while (!work.empty()) {
    InstanceState* x = work.back();
    work.pop_back();
    if (x->session != this || !seen.insert(x).second || !x->has(kHasIdentity)) continue;
    if (cascade_too) {
      for (const RelInfo& r : x->mapper->rels) {
        if (!cascade::has(r.cascade, cascade::refresh_expire)) continue;
        for_each_linked(r, x, [&](InstanceState* t) { work.push_back(t); });
      }
    }
    x->set(kExpired);
    unload_relationships(x);
  }
}

void SessionImpl::refresh(InstanceState* s, bool cascade_too) {
  if (s->session != this || !s->has(kHasIdentity))
    throw InvalidRequestError("Instance " + describe(s) + " is not persistent within this Session");
  std::vector<InstanceState*> objs;
  expire(s, cascade_too);
  for (InstanceState* x : identity)
    if (x->has(kExpired)) objs.push_back(x);
  for (auto* x : objs) {
    if (!x->has(kExpired)) continue;
    auto key = identity_of(x);
    if (!get(*x->mapper, key.values()) || x->has(kExpired))
      throw InvalidRequestError("Could not refresh instance " + describe(x) +
                                ": its row no longer exists");
  }
}

InstanceState* SessionImpl::merge(InstanceState* src) {
  if (src->session == this) return src;
  const Mapper& m = *src->mapper;
  m.configure();
  InstanceState* dst = nullptr;
  auto key = current_key(src);
  bool has_key = true;
  for (int p : m.pk) {
    const ColumnInfo& c = m.columns[std::size_t(p)];
    if (p == m.autoinc && c.ops->is_unset(c.field(src->object()))) has_key = false;
  }
  if (has_key) dst = get(m, key);
  if (!dst) {
    dst = m.create();
    bind_new_object(dst);
    for (auto& r : m.rels) r.member(dst)->loaded_ = true;
    add(dst);
  }
  for (const auto& c : m.columns) c.ops->set(c.field(dst->object()), c.ops->get(c.field(src->object())));
  // The merge cascade: related objects are merged and linked to dst.
  for (const RelInfo& r : m.rels) {
    if (!cascade::has(r.cascade, cascade::merge)) continue;
    if (r.scalar()) {
      OneCore* so = r.one(src);
      if (!so->loaded_) continue;
      InstanceState* t = so->target_ ? merge(so->target_) : nullptr;
      r.one(dst)->assign(t);
    } else {
      ManyCore* sm = r.many(src);
      if (!sm->loaded_) continue;
      std::vector<InstanceState*> kids;
      for (std::size_t i = 0, n = r.mops.size(sm); i < n; ++i) kids.push_back(r.mops.at(sm, i));
      for (auto* k : kids) r.many(dst)->append(merge(k));
    }
  }
  return dst;
}

}  // namespace orm::detail

using orm::detail::InstanceState;

Session::Session(Engine engine, SessionOptions options)
    : impl_(std::make_unique<orm::detail::SessionImpl>(std::move(engine), options)) {}

Session::~Session() {
  try {
    impl_->close();
  } catch (...) {
  }
}

void Session::add_state(InstanceState* s) {
  if (!s) throw InvalidRequestError("Session::add: empty handle");
  impl_->add(s);
  orm::detail::drain_trials();
}
void Session::remove_state(InstanceState* s) {
  if (!s) throw InvalidRequestError("Session::remove: empty handle");
  impl_->remove(s);
}
InstanceState* Session::get_state(const orm::detail::Mapper& m, std::vector<Value> key) {
  m.configure();
  return impl_->get(m, std::move(key));
}
InstanceState* Session::get_state_one(const orm::detail::Mapper& m, const Value& key) {
  m.configure();
  if (auto hit = impl_->find_identity(m, key)) return *hit;
  return impl_->get(m, std::vector<Value>{key});
}
void Session::flush() { impl_->flush(); }
void Session::commit() { impl_->commit(); }
void Session::rollback() {
  impl_->rollback();
  // Objects still pending were added in this transaction: expunged, as
  // SQLAlchemy does, so a failed flush's objects are not retried by the
  // next commit. (A failed flush itself keeps them pending, so the caller
  // can fix the problem and flush again.)
  const std::vector<orm::detail::InstanceState*> pending = impl_->pending;
  for (auto it = pending.rbegin(); it != pending.rend(); ++it) impl_->expunge(*it, false);  // (see erase_from)
  orm::detail::drain_trials();
}
void Session::close() { impl_->close(); }
void Session::refresh_state(InstanceState* s) { impl_->refresh(s, true); }
void Session::expire_state(InstanceState* s) { impl_->expire(s, true); }
void Session::expire_all() {
  for (InstanceState* s : impl_->identity) {
    s->set(orm::detail::kExpired);
    orm::detail::unload_relationships(s);
  }
  orm::detail::drain_trials();
}
void Session::expunge_state(InstanceState* s) {
  impl_->expunge(s, true);
  orm::detail::drain_trials();
}
void Session::expunge_all() {
  std::vector<InstanceState*> all;
  for (InstanceState* s : impl_->identity) all.push_back(s);
  for (auto* s : impl_->pending) all.push_back(s);
  for (auto* s : all)
    if (s->session == impl_.get()) impl_->expunge(s, false);
  orm::detail::drain_trials();
}
InstanceState* Session::merge_state(InstanceState* s) { return impl_->merge(s); }
Connection& Session::connection() { return impl_->connection(); }
const Engine& Session::engine() const { return impl_->engine; }
std::size_t Session::size() const {
  return impl_->identity.size() + impl_->pending.size() + impl_->flushed_deleted.size();
}
bool Session::in_transaction() const { return impl_->tx.has_value(); }

}  // namespace retort
