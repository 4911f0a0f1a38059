// The unit of work: flush = collect (orphans, children of deleted parents) →
// order (mappers by foreign-key dependency; rows of a self-referential table
// by their links) → write (inserts parents first, then updates, then deletes
// children first; persistence.cpp; rows giving up a UNIQUE value that a new
// row takes go before that table's inserts, unique_release.cpp) → mark clean. Any failure undoes the
// flush's in-memory effects, rolls the transaction back and rethrows.
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "orm/internal.hpp"

namespace retort::orm::detail {

namespace {

// Mappers ordered parents first (a many-to-one target before its owner).
std::vector<const Mapper*> dependency_order(const std::vector<const Mapper*>& involved) {
  std::vector<const Mapper*> out;
  std::unordered_map<const Mapper*, int> state;  // 1 visiting, 2 done
  std::vector<const Mapper*> all = involved;
  auto visit = [&](auto&& self, const Mapper* m) -> void {
    int& st = state[m];
    if (st) return;
    st = 1;
    for (const RelInfo* r : m->m2o_)
      if (r->target != m) self(self, r->target);
    for (const auto& c : m->columns)
      if (c.fk_mapper && &c.fk_mapper() != m) self(self, &c.fk_mapper());
    state[m] = 2;
    out.push_back(m);
  };
  for (auto* m : all) visit(visit, m);
  return out;
}

// Within one self-referential table: parents before children.
void order_self_referential(const Mapper& m, std::vector<InstanceState*>& objs) {
  std::vector<const RelInfo*> self;
  for (const RelInfo* r : m.m2o_)
    if (r->target == &m) self.push_back(r);
  if (self.empty() || objs.size() < 2) return;
  std::unordered_set<InstanceState*> in(objs.begin(), objs.end());
  std::unordered_set<InstanceState*> done;
  std::vector<InstanceState*> out;
  auto visit = [&](auto&& rec, InstanceState* s) -> void {
    if (!done.insert(s).second) return;
    for (const RelInfo* r : self) {
      OneCore* oc = r->one(s);
      if (oc->loaded_ && oc->target_ && in.count(oc->target_)) rec(rec, oc->target_);
    }
    out.push_back(s);
  };
  for (auto* s : objs) visit(visit, s);
  objs.swap(out);
}

// The primary key members differ from the snapshot: an UPDATE changes the key.
bool key_changed(const InstanceState* s) {
  for (int p : s->mapper->pk)
    if (!column_unchanged(s, std::size_t(p))) return true;
  return false;
}

bool is_orphan(const InstanceState* s) {
  for (const RelInfo* r : s->mapper->m2o_) {
    if (!cascade::has(r->back->cascade, cascade::delete_orphan)) continue;
    const OneCore* oc = r->one(const_cast<InstanceState*>(s));
    if (oc->loaded_ && !oc->target_) return true;
  }
  return false;
}

}  // namespace

void SessionImpl::autoflush() {
  if (options.autoflush && !flushing && no_autoflush == 0) flush();
}

void SessionImpl::autoflush_for_lazy_load() {
  if (!pending.empty() || !deleted.empty()) autoflush();
}

void SessionImpl::flush() {
  if (flushing) return;
  flushing = true;
  UndoLog undo;
  try {
    // Orphans: pending ones are expunged, persistent ones deleted.
    std::vector<InstanceState*> orphans;
    for (auto* s : pending)
      if (s->has(kOrphanCandidate) && is_orphan(s)) orphans.push_back(s);
    for (InstanceState* s : identity)
      if (s->has(kOrphanCandidate) && !s->has(kMarkedDeleted) && is_orphan(s)) orphans.push_back(s);
    for (auto* s : orphans) {
      s->clear(kOrphanCandidate);
      if (s->has(kHasIdentity)) {
        remove(s);
      } else {
        expunge(s, false);
      }
    }
    // Children of deleted parents without the delete cascade are loaded so
    // that their foreign keys are set to NULL (or the flush fails clearly).
    for (std::size_t i = 0; i < deleted.size(); ++i) {
      InstanceState* s = deleted[i];
      for (const RelInfo& r : s->mapper->rels)
        if (r.fk_in_target() && !r.viewonly && !r.passive_deletes &&
            !cascade::has(r.cascade, cascade::remove)) {
          if (r.scalar()) {
            r.one(s)->target();
          } else {
            r.many(s)->ensure_loaded();
          }
        }
    }

    if (pending.empty() && deleted.empty() && identity.empty()) {
      flushing = false;
      return;
    }
    // Group by mapper.
    FlushGroups ins, upd, del;
    std::vector<const Mapper*> involved;
    auto note = [&](const Mapper* m) {
      if (std::find(involved.begin(), involved.end(), m) == involved.end()) involved.push_back(m);
    };
    // Objects come in runs of one mapper: remember the last group instead
    // of hashing the mapper for every object (this loop runs over the whole
    // identity map at every flush).
    auto grouper = [&](auto& groups) {
      return [&groups, &note, last = static_cast<const Mapper*>(nullptr),
              v = static_cast<std::vector<InstanceState*>*>(nullptr)](InstanceState* s) mutable {
        if (s->mapper != last) {
          last = s->mapper;
          v = &groups[last];
          note(last);
        }
        v->push_back(s);
      };
    };
    {
      auto add_ins = grouper(ins);
      for (auto* s : pending) add_ins(s);
      auto add_upd = grouper(upd);
      for (InstanceState* s : identity)
        if (!s->has(kMarkedDeleted)) add_upd(s);
      auto add_del = grouper(del);
      for (auto* s : deleted) add_del(s);
    }
    std::vector<const Mapper*> order = dependency_order(involved);

    std::vector<InstanceState*> inserted_now, updated_now;
    for (const Mapper* m : order) {
      auto released = release_unique_values(*this, *m, ins, upd, del, undo);  // unique_release.cpp
      updated_now.insert(updated_now.end(), released.begin(), released.end());
      auto it = ins.find(m);
      if (it == ins.end()) continue;
      order_self_referential(*m, it->second);
      insert_objects(*this, *m, it->second, undo);
      inserted_now.insert(inserted_now.end(), it->second.begin(), it->second.end());
    }
    for (const Mapper* m : order) {
      auto it = upd.find(m);
      if (it == upd.end()) continue;
      auto changed = update_objects(*this, *m, it->second, undo);
      updated_now.insert(updated_now.end(), changed.begin(), changed.end());
    }
    // Association rows: after the INSERTs, before the DELETEs. Most flushes
    // involve no many-to-many relationship and skip both passes over the
    // objects.
    const bool any_m2m = std::any_of(involved.begin(), involved.end(),
                                     [](const Mapper* m) { return !m->m2m_.empty(); });
    if (any_m2m) m2m_write(*this);
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
      auto d = del.find(*it);
      if (d == del.end()) continue;
      order_self_referential(**it, d->second);  // parents first...
      std::reverse(d->second.begin(), d->second.end());  // ...so children go first
      delete_objects(*this, **it, d->second);
    }

    // Everything was written: mark clean. Deleted rows leave the identity
    // map first: a new row may have taken a deleted row's key (SQLite reuses
    // the highest rowid once its row is gone). So do updated rows whose key
    // changed (the map reads keys from snapshots, see identity_map.hpp);
    // they re-enter after their new snapshots, all leaving before any
    // enters, since two rows may have swapped keys.
    for (auto* s : deleted) {
      s->clear(kMarkedDeleted);
      s->set(kDeletedFlushed);
      identity.erase(s);
      flushed_deleted.push_back(s);
    }
    deleted.clear();
    std::vector<InstanceState*> rekeyed;
    for (auto* s : updated_now)
      if (key_changed(s)) {
        identity.erase(s);
        rekeyed.push_back(s);
      }
    identity.reserve(identity.size() + inserted_now.size());
    inserted.reserve(inserted.size() + inserted_now.size());
    for (auto* s : inserted_now) {
      take_snapshot(s);
      s->set(kHasIdentity);
      identity.insert(s);
      inserted.push_back(s);
    }
    pending.clear();
    for (auto* s : updated_now) take_snapshot(s);
    for (auto* s : rekeyed) identity.insert(s);
    // The relationships' changes are now in the database. (A flush whose
    // mappers have neither many-to-one nor many-to-many relationships skips
    // the pass over every object.)
    const bool any_m2o = std::any_of(involved.begin(), involved.end(),
                                     [](const Mapper* m) { return !m->m2o_.empty(); });
    if (any_m2o || any_m2m)
      for (InstanceState* s : identity) {
        for (const RelInfo* r : s->mapper->m2o_) r->one(s)->modified_ = false;
        if (any_m2m) m2m_mark_clean(*this, s);
      }
  } catch (...) {
    undo.undo();
    flushing = false;
    rollback();
    throw;
  }
  flushing = false;
}

}  // namespace retort::orm::detail
