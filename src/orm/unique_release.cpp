// Flush order around UNIQUE columns.
//
// The unit of work writes a flush as INSERTs (parents first), then UPDATEs,
// then DELETEs (children first). That order breaks when a row takes a UNIQUE
// value that another row of the same table gives up in the same flush: the
// old child of a replaced one-to-one (its UNIQUE foreign key is nulled, or the
// row deleted as an orphan — SQLAlchemy 1.4 and 2.0 raise IntegrityError
// there), or a unique name freed by a rename or a delete and reused. Before a
// table's INSERTs, such releasing rows are written first: their DELETEs (with
// the rows that depend on them in the database, children first), then their
// UPDATEs. PostgreSQL and SQLite check UNIQUE per statement, so the order of
// statements is all that matters.
#include <unordered_set>

#include "orm/internal.hpp"

namespace retort::orm::detail {

namespace {

struct ValueHash {
  std::size_t operator()(const Value& v) const noexcept { return hash_value(v); }
};
using ValueSet = std::unordered_set<Value, ValueHash>;

std::vector<int> unique_columns(const Mapper& m) {
  std::vector<int> out;
  for (std::size_t i = 0; i < m.columns.size(); ++i)
    if (m.columns[i].unique && !m.columns[i].primary_key) out.push_back(int(i));
  return out;
}

/// In the database (snapshots), y references x through r.
bool references(const InstanceState* y, const RelInfo* r, const InstanceState* x) {
  for (std::size_t k = 0; k < r->fk_cols.size(); ++k)
    if (snapshot_value(y, std::size_t(r->fk_cols[k])) != snapshot_value(x, std::size_t(r->ref_cols[k])))
      return false;
  return true;
}

/// Calls f(y) for every object of `groups` whose row references x's row.
template <class F>
void for_each_referrer(const FlushGroups& groups, const InstanceState* x, F&& f) {
  for (const auto& [mapper, objs] : groups)
    for (const RelInfo* r : mapper->m2o_)
      if (r->target == x->mapper)
        for (InstanceState* y : objs)
          if (y != x && references(y, r, x)) f(y);
}

class EarlyDeletes {
 public:
  EarlyDeletes(const FlushGroups& upd, const FlushGroups& del) : upd_(upd), del_(del) {}

  /// Adds x and the deleted rows that reference it (children first); false
  /// when x cannot be deleted before the UPDATEs (a row that stays, or is
  /// being moved away, still references it; association rows point at it).
  bool add(InstanceState* x) {
    if (done_.count(x)) return true;
    if (!visiting_.insert(x).second) return false;  // a reference cycle among deleted rows
    bool ok = true;
    for (const RelInfo& r : x->mapper->rels) ok = ok && r.kind != RelKind::ManyToMany;
    for_each_referrer(upd_, x, [&](InstanceState*) { ok = false; });
    std::vector<InstanceState*> kids;
    for_each_referrer(del_, x, [&](InstanceState* y) { kids.push_back(y); });
    for (auto* y : kids) ok = ok && add(y);
    visiting_.erase(x);
    if (ok) {
      done_.insert(x);
      order_.push_back(x);
    }
    return ok;
  }
  const std::vector<InstanceState*>& order() const { return order_; }
  bool contains(InstanceState* x) const { return done_.count(x) != 0; }

 private:
  const FlushGroups& upd_;
  const FlushGroups& del_;
  std::unordered_set<InstanceState*> visiting_, done_;
  std::vector<InstanceState*> order_;
};

template <class Pred>
std::vector<InstanceState*> take_out(std::vector<InstanceState*>& v, Pred&& pred) {
  std::vector<InstanceState*> out, keep;
  for (auto* s : v) (pred(s) ? out : keep).push_back(s);
  v.swap(keep);
  return out;
}

}  // namespace

std::vector<InstanceState*> release_unique_values(SessionImpl& S, const Mapper& m, FlushGroups& ins,
                                                  FlushGroups& upd, FlushGroups& del, UndoLog& undo) {
  auto mi = ins.find(&m), mu = upd.find(&m), md = del.find(&m);
  if (mu == upd.end() && md == del.end()) return {};  // no row of m can give a value up
  const std::vector<int> cols = unique_columns(m);
  if (cols.empty()) return {};

  // The values rows of m take: new rows, and changed unique columns.
  std::vector<ValueSet> taken(cols.size());
  bool any = false;
  auto note_taken = [&](InstanceState* s, bool changed_only) {
    sync_foreign_keys(S, s, undo);  // a one-to-one key comes from the parent
    for (std::size_t k = 0; k < cols.size(); ++k) {
      const ColumnInfo& c = m.columns[std::size_t(cols[k])];
      Value v = c.ops->get(c.field(s->object()));
      if (is_null(v) || (changed_only && column_unchanged(s, std::size_t(cols[k])))) continue;
      taken[k].insert(std::move(v));
      any = true;
    }
  };
  if (mi != ins.end())
    for (auto* s : mi->second) note_taken(s, false);
  if (mu != upd.end())
    for (auto* s : mu->second) note_taken(s, true);
  if (!any) return {};

  auto releases = [&](InstanceState* s, bool updating) {
    for (std::size_t k = 0; k < cols.size(); ++k) {
      const Value old = snapshot_value(s, std::size_t(cols[k]));
      if (is_null(old) || !taken[k].count(old)) continue;
      if (!updating || !column_unchanged(s, std::size_t(cols[k]))) return true;
    }
    return false;
  };
  if (md != del.end()) {
    EarlyDeletes early(upd, del);
    for (auto* x : md->second)
      if (releases(x, false)) early.add(x);
    for (auto& [mapper, objs] : del) take_out(objs, [&](InstanceState* s) { return early.contains(s); });
    for (auto* x : early.order()) delete_objects(S, *x->mapper, {x});
  }
  if (mu == upd.end()) return {};
  std::vector<InstanceState*> early_upd = take_out(mu->second, [&](InstanceState* s) { return releases(s, true); });
  return update_objects(S, m, early_upd, undo);
}

}  // namespace retort::orm::detail
