// The collector: frees a graph of mapped objects when nothing pins it.
//
// A pin is a Ptr handle (external > 0), a Session holding the object, or a
// queued trial. A trial walks the component of the object through
// relationship edges in both directions (every edge is stored on both ends,
// since relationships always have back_populates) and stops at the first pin.
// If none is found, every edge inside the component is cleared first (so no
// destructor can follow one) and then every block is deleted.
//
// Single-thread confined: the pending list is thread_local.
#include <unordered_map>
#include <vector>

#include "orm/internal.hpp"

namespace retort::orm::detail {

namespace {

struct Pending {
  std::vector<InstanceState*> queue;
  bool draining = false;
  // Read-only collections (one_to_many_viewonly) have no back side: their
  // reverse edges live here (viewed -> viewer), so that trials walk them.
  std::unordered_multimap<InstanceState*, InstanceState*> viewers;
  ~Pending() {
    // Thread exit: run what is left so that nothing leaks.
    drain_trials();
  }
};

Pending& pending() {
  thread_local Pending p;
  return p;
}

std::uint32_t next_epoch() {
  thread_local std::uint32_t epoch = 0;
  if (++epoch == 0) epoch = 1;
  return epoch;
}

// Calls f(neighbour) for every relationship edge of s.
template <class F>
void visit_edges(InstanceState* s, F&& f) {
  for (const RelInfo& r : s->mapper->rels) for_each_linked(r, s, f);
  if (!s->has(kViewed)) return;
  auto [from, to] = pending().viewers.equal_range(s);
  for (auto it = from; it != to; ++it) f(it->second);
}

void clear_edges(InstanceState* s) {
  for (const RelInfo& r : s->mapper->rels) {
    if (r.viewonly) {
      for_each_linked(r, s, [&](InstanceState* x) { remove_view_edge(s, x); });
      r.mops.clear(r.many(s));
    } else if (r.scalar()) {
      r.one(s)->target_ = nullptr;
    } else {
      r.mops.clear(r.many(s));
    }
  }
  if (s->has(kViewed)) {  // its viewers are in the same component, being freed too
    pending().viewers.erase(s);
    s->clear(kViewed);
  }
}

void trial(InstanceState* start) {
  if (start->pinned()) return;
  std::uint32_t epoch = next_epoch();
  std::vector<InstanceState*> comp;
  comp.push_back(start);
  start->mark = epoch;
  bool pinned = false;
  for (std::size_t i = 0; i < comp.size() && !pinned; ++i) {
    visit_edges(comp[i], [&](InstanceState* n) {
      if (pinned || n->mark == epoch) return;
      if (n->pinned()) {
        pinned = true;
        return;
      }
      n->mark = epoch;
      comp.push_back(n);
    });
  }
  if (pinned) return;
  for (auto* s : comp) clear_edges(s);
  for (auto* s : comp) s->mapper->destroy(s);
}

}  // namespace

void add_view_edge(InstanceState* viewer, InstanceState* viewed) {
  pending().viewers.emplace(viewed, viewer);
  viewed->set(kViewed);
}

void remove_view_edge(InstanceState* viewer, InstanceState* viewed) {
  auto& v = pending().viewers;
  auto [from, to] = v.equal_range(viewed);
  for (auto it = from; it != to; ++it) {
    if (it->second != viewer) continue;
    v.erase(it);
    break;
  }
  if (v.find(viewed) == v.end()) viewed->clear(kViewed);
}

void queue_trial(InstanceState* s) {
  if (!s || s->has(kQueued)) return;
  s->set(kQueued);
  pending().queue.push_back(s);
}

void drain_trials() noexcept {
  Pending& p = pending();
  if (p.draining) return;
  p.draining = true;
  // Each entry is un-queued just before its trial; still-queued entries pin
  // their component, so a block is never freed while it is on the list.
  for (std::size_t i = 0; i < p.queue.size(); ++i) {
    InstanceState* s = p.queue[i];
    s->clear(kQueued);
    trial(s);
  }
  p.queue.clear();
  p.draining = false;
}

void release_external(InstanceState* s) noexcept {
  if (!pending().draining) {
    trial(s);
    drain_trials();
  } else {
    queue_trial(s);
  }
}

}  // namespace retort::orm::detail
