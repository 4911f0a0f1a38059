// Relationship members: in-memory sync of both sides (back_populates), the
// save-update cascade along new links, orphan marking, and lazy-load entry
// points. Every edge is stored on both ends: a child's One<> target and the
// parent's Many<> entry; a collection that is not loaded yet is left alone
// records its in-memory edges too and merges them with what its lazy load
// returns (the autoflush before the load writes the foreign keys first).
#include <unordered_set>

#include <cassert>

#include "orm/internal.hpp"

namespace retort::orm::detail {

namespace {

bool many_contains(const RelInfo* r, ManyCore* mc, InstanceState* s) {
  for (std::size_t i = r->mops.size(mc); i-- > 0;)  // from the back, as ManyOps::erase
    if (r->mops.at(mc, i) == s) return true;
  return false;
}

[[noreturn]] void throw_bound_move() {
  throw InvalidRequestError(
      "retort: the relationship members of an object made by retort::make cannot be moved out; "
      "copy its column members instead");
}

[[noreturn]] void throw_viewonly(const RelInfo* r) {
  throw InvalidRequestError("retort: '" + r->owner->type_name + "." + r->name +
                            "' is a viewonly relationship; change the other objects' columns or "
                            "relationships instead");
}

[[noreturn]] void throw_raise(const RelInfo* r) {
  throw InvalidRequestError("retort: '" + r->owner->type_name + "." + r->name +
                            "' is not available due to lazy='raise'; load it with "
                            "selectinload()/joinedload() in the query");
}

/// A self-referential many-to-one must form a tree: making `owner` point at
/// `t` must not make `owner` its own ancestor. Walks the in-memory chain
/// above `t` (no SQL: an unloaded reference ends the walk).
void check_no_cycle(const RelInfo* r, InstanceState* owner, InstanceState* t) {
  std::unordered_set<InstanceState*> seen;  // used past 64 levels only
  std::size_t depth = 0;
  for (InstanceState* x = t; x; ) {
    if (x == owner)
      throw InvalidRequestError("retort: cycle in '" + r->owner->type_name + "." + r->name +
                                "': setting it on " + describe(owner) + " to " + describe(t) +
                                " would make " + describe(owner) +
                                " its own ancestor; a self-referential relationship must form a tree");
    if (++depth > 64 && !seen.insert(x).second) return;  // a cycle already in loaded rows
    OneCore* oc = r->one(x);
    if (!oc->loaded_) return;
    x = oc->target_;
  }
}

/// Before a child takes `oc`'s owner as its one-to-one parent: loads the
/// parent's current child, so that the flush can release it first. No
/// autoflush: the assignment is half made.
void load_for_replace(OneCore* oc) {
  if (oc->loaded_ || !oc->owner()->session) return;
  NoAutoflush guard(*oc->owner()->session);
  oc->target();
}

}  // namespace

void back_link(const RelInfo* back, InstanceState* parent, InstanceState* child, bool displace,
               bool new_link) {
  if (back->kind == RelKind::OneToMany) {
    ManyCore* mc = back->many(parent);
    assert(!new_link || !many_contains(back, mc, child));
    if (new_link || !many_contains(back, mc, child)) back->mops.push(mc, child);
    return;
  }
  OneCore* pc = back->one(parent);
  InstanceState* prev = pc->target_;
  if (prev == child) return;
  if (prev) {
    if (!displace) return;
    OneCore* prev_ref = back->back->one(prev);
    prev_ref->target_ = nullptr;
    prev_ref->loaded_ = true;
    prev_ref->modified_ = true;
    if (cascade::has(back->cascade, cascade::delete_orphan)) prev->set(kOrphanCandidate);
    queue_trial(prev);
  }
  pc->target_ = child;
}

void back_unlink(const RelInfo* back, InstanceState* parent, InstanceState* child) {
  if (back->kind == RelKind::OneToMany) return back->mops.erase(back->many(parent), child);
  OneCore* pc = back->one(parent);
  if (pc->target_ == child) pc->target_ = nullptr;
}

InstanceState* OneCore::read_target() const {
  if (!loaded_ && bound() && (raise_ || rel_->lazy == LoadStrategy::raise)) throw_raise(rel_);
  return target();
}

void ManyCore::read_loaded() const {
  if (!loaded_ && bound() && (raise_ || rel_->lazy == LoadStrategy::raise)) throw_raise(rel_);
  ensure_loaded();
}

OneCore::OneCore(OneCore&& o) {
  if (o.bound()) throw_bound_move();
  target_ = o.target_;
  o.target_ = nullptr;
}

OneCore::~OneCore() {
  if (!bound() && target_ && --target_->external == 0) release_external(target_);
}

InstanceState* OneCore::target() const {
  if (!loaded_) {
    if (!owner()->session)
      throw DetachedInstanceError("Parent instance " + describe(owner()) +
                                  " is not bound to a Session; lazy load operation of attribute '" +
                                  rel_->name + "' cannot proceed");
    owner()->session->load_one(const_cast<OneCore*>(this));
  }
  return target_;
}

void OneCore::assign(InstanceState* t) {
  if (rel_->kind == RelKind::OneToOne) return assign_parent_side(t);
  if (t && t->mapper != rel_->target)
    throw InvalidRequestError("retort: wrong type assigned to relationship '" + rel_->name + "'");
  if (t && rel_->target == rel_->owner) check_no_cycle(rel_, owner(), t);
  InstanceState* old = target();  // may lazy-load the old target
  const RelInfo* back = rel_->back;
  if (t && t != old && back->kind == RelKind::OneToOne) load_for_replace(back->one(t));
  modified_ = true;
  if (old != t) {
    if (old) {
      back_unlink(back, old, owner());
      queue_trial(old);
    }
    target_ = t;
  }
  loaded_ = true;
  if (t) {
    owner()->clear(kOrphanCandidate);
    // Even an unloaded collection records the edge (the collector needs
    // both ends); its lazy load merges what the database returns.
    back_link(back, t, owner(), true, /*new_link=*/old != t);
    cascade_on_link(owner(), rel_, t);
  } else if (old) {
    if (cascade::has(back->cascade, cascade::delete_orphan)) owner()->set(kOrphanCandidate);
    queue_trial(owner());
  }
}

// The side of a one-to-one without the foreign key: the change is made on
// the children's many-to-one references, which keep both sides in sync.
void OneCore::assign_parent_side(InstanceState* t) {
  if (t && t->mapper != rel_->target)
    throw InvalidRequestError("retort: wrong type assigned to relationship '" + rel_->name + "'");
  InstanceState* old = target();  // may lazy-load the current child
  if (old == t) return;
  const RelInfo* back = rel_->back;
  if (old) back->one(old)->assign(nullptr);  // its key is nulled, or it is an orphan
  if (t) back->one(t)->assign(owner());
  loaded_ = true;
}

ManyCore::ManyCore(ManyCore&& o) {
  if (o.bound()) throw_bound_move();
}

void ManyCore::ensure_loaded() const {
  if (loaded_) return;
  if (!owner()->session)
    throw DetachedInstanceError("Parent instance " + describe(owner()) +
                                " is not bound to a Session; lazy load operation of attribute '" +
                                rel_->name + "' cannot proceed");
  owner()->session->load_many(const_cast<ManyCore*>(this));
}

void ManyCore::append(InstanceState* child) {
  if (rel_->viewonly) throw_viewonly(rel_);
  if (rel_->kind == RelKind::ManyToMany) return m2m_link(this, child);  // association.cpp
  if (child->mapper != rel_->target)
    throw InvalidRequestError("retort: wrong type appended to relationship '" + rel_->name + "'");
  rel_->back->one(child)->assign(owner());
}

void ManyCore::remove(InstanceState* child) {
  if (rel_->viewonly) throw_viewonly(rel_);
  if (rel_->kind == RelKind::ManyToMany) return m2m_unlink(this, child);  // association.cpp
  if (!many_contains(rel_, this, child)) return;
  OneCore* oc = rel_->back->one(child);
  if (oc->loaded_ && oc->target_ == owner()) {
    oc->assign(nullptr);
  } else {
    rel_->mops.erase(this, child);
    queue_trial(child);
  }
}

void ManyCore::clear() {
  if (rel_->viewonly) throw_viewonly(rel_);
  ensure_loaded();
  while (rel_->mops.size(this) > 0) {
    std::size_t before = rel_->mops.size(this);
    remove(rel_->mops.at(this, before - 1));
    if (rel_->mops.size(this) == before) rel_->mops.erase(this, rel_->mops.at(this, before - 1));
  }
}

void cascade_on_link(InstanceState* owner, const RelInfo* rel, InstanceState* other) {
  SessionImpl* so = owner->session;
  SessionImpl* st = other->session;
  if (so && so != st && cascade::has(rel->cascade, cascade::save_update)) {
    so->add(other);
    st = other->session;
  }
  if (st && st != so && cascade::has(rel->back->cascade, cascade::save_update)) st->add(owner);
}

void bind_new_object(InstanceState* s) {
  std::vector<InstanceState*> held;
  for (const RelInfo& r : s->mapper->rels) {
    if (r.scalar()) {
      OneCore* oc = r.one(s);
      InstanceState* t = oc->target_;
      oc->target_ = nullptr;
      oc->rel_ = &r;
      assert(oc->owner() == s);
      oc->loaded_ = true;
      if (t) {
        held.push_back(t);
        oc->assign(t);
      }
      oc->modified_ = false;
    } else {
      ManyCore* mc = r.many(s);
      std::vector<InstanceState*> items;
      for (std::size_t i = 0, n = r.mops.size(mc); i < n; ++i) items.push_back(r.mops.at(mc, i));
      r.mops.clear(mc);
      mc->rel_ = &r;
      assert(mc->owner() == s);
      mc->loaded_ = true;
      for (auto* t : items) {
        held.push_back(t);
        mc->append(t);
      }
    }
  }
  // The unbound members held their targets strongly; they are edges now.
  for (auto* t : held)
    if (--t->external == 0) release_external(t);
  drain_trials();
}

void bind_loaded_object(InstanceState* s) {
  for (const RelInfo& r : s->mapper->rels) {
    RelCore* rc = r.member(s);
    rc->rel_ = &r;
    assert(rc->owner() == s);
    rc->loaded_ = r.lazy == LoadStrategy::noload;  // noload: null / empty without SQL
  }
}

}  // namespace retort::orm::detail

namespace retort::orm::detail {

void unload_relationships(InstanceState* s) {
  for (const RelInfo& r : s->mapper->rels) {
    if (r.kind == RelKind::ManyToOne) {
      OneCore* oc = r.one(s);
      if (InstanceState* t = oc->target_) {
        back_unlink(r.back, t, s);
        r.back->member(t)->loaded_ = false;
        queue_trial(t);
      }
      oc->target_ = nullptr;
      oc->loaded_ = false;
      oc->modified_ = false;
      oc->raise_ = false;
    } else if (r.kind == RelKind::OneToOne) {
      OneCore* oc = r.one(s);
      InstanceState* c = oc->target_;
      if (c && c->has(kHasIdentity)) {  // a pending child keeps its link
        OneCore* cr = r.back->one(c);
        cr->target_ = nullptr;
        cr->loaded_ = false;
        oc->target_ = nullptr;
        queue_trial(c);
      }
      oc->loaded_ = false;
      oc->raise_ = false;
    } else if (r.kind == RelKind::ManyToMany) {
      m2m_unload(s, r);
    } else if (r.viewonly) {
      unload_viewonly(s, r);
    } else {
      ManyCore* mc = r.many(s);
      std::vector<InstanceState*> keep;
      for (std::size_t i = 0, n = r.mops.size(mc); i < n; ++i) {
        InstanceState* c = r.mops.at(mc, i);
        if (!c->has(kHasIdentity)) {  // a pending child keeps its link
          keep.push_back(c);
          continue;
        }
        OneCore* oc = r.back->one(c);
        oc->target_ = nullptr;
        oc->loaded_ = false;
        queue_trial(c);
      }
      r.mops.clear(mc);
      for (auto* c : keep) r.mops.push(mc, c);
      mc->loaded_ = false;
      mc->raise_ = false;
    }
  }
  queue_trial(s);
}

}  // namespace retort::orm::detail
