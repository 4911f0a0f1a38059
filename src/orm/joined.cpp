// The joined loader strategy (see joined.hpp). The query's SELECT is extended
// (SelectBase::extended) with aliased columns and joins built with the sql
// layer's node factories, so the user's filters, order and joins stay as
// written.
#include "orm/joined.hpp"

#include <algorithm>
#include <string>
#include <unordered_set>

namespace retort::orm::detail {

namespace {

LoadStrategy effective(const RelInfo& r, const std::vector<LoadNode>& nodes) {
  for (const auto& n : nodes)
    if (n.rel == &r && n.strategy != LoadStrategy::default_) return n.strategy;
  return r.lazy;
}

bool inner(const RelInfo& r, const std::vector<LoadNode>& nodes) {
  for (const auto& n : nodes)
    if (n.rel == &r) return n.innerjoin;
  return false;
}

sql::detail::NodePtr equals(const sql::detail::NodePtr& lt, const ColumnInfo& lc,
                            const sql::detail::NodePtr& rt, const std::string& rcol) {
  return sql::detail::make_binary(sql::detail::Op::Eq, sql::detail::make_column(lt, lc.name, lc.type.kind),
                                  sql::detail::make_column(rt, rcol, lc.type.kind), TypeKind::Boolean);
}

sql::detail::NodePtr all_of(sql::detail::NodePtr a, sql::detail::NodePtr b) {
  return a ? sql::detail::make_binary(sql::detail::Op::And, std::move(a), std::move(b), TypeKind::Boolean) : b;
}

sql::detail::NodePtr aliased(const std::string& table, const std::string& suffix) {
  return sql::detail::make_table(table, suffix.empty() ? std::string() : table + suffix);
}

}  // namespace

std::vector<JoinStep> relationship_joins(const RelInfo& r, const sql::detail::NodePtr& owner,
                                         const std::string& suffix) {
  const Mapper& m = *r.owner;
  const Mapper& t = *r.target;
  auto tt = aliased(t.table_name, suffix);
  if (r.kind == RelKind::ManyToMany) {
    // owner.pk = sec.local, then sec.remote = target.pk
    auto st = aliased(r.secondary, suffix);
    const ColumnInfo& opk = m.columns[std::size_t(r.ref_cols.at(0))];
    const ColumnInfo& tpk = t.columns[std::size_t(r.back->ref_cols.at(0))];
    return {JoinStep{st, equals(owner, opk, st, r.sec_local)}, JoinStep{tt, equals(tt, tpk, st, r.sec_remote)}};
  }
  // Owner side columns on the owner's table, target side on the target's.
  const bool m2o = r.kind == RelKind::ManyToOne;
  const std::vector<int>& own = m2o ? r.fk_cols : r.ref_cols;
  const std::vector<int>& tgt = m2o ? r.ref_cols : r.fk_cols;
  sql::detail::NodePtr on;
  for (std::size_t k = 0; k < own.size(); ++k) {
    const ColumnInfo& oc = m.columns[std::size_t(own[k])];
    const ColumnInfo& tc = t.columns[std::size_t(tgt[k])];
    on = all_of(std::move(on), equals(tt, tc, owner, oc.name));
  }
  if (r.filter && suffix.empty()) on = all_of(std::move(on), r.filter);  // written on the unaliased table
  return {JoinStep{tt, on}};
}

JoinedLoader::JoinedLoader(const Mapper& m, const sql::SelectBase& base,
                           const std::vector<LoadNode>& nodes) {
  if (base.is_compound()) return;  // no joins can be added
  const bool limited = base.is_limited();
  sql::SelectBase::Extension ext;
  // The query selects m's columns (select_all); each joined target's follow.
  auto next_column = [&] { return int(m.columns.size() + ext.columns.size()); };
  auto owner_table = sql::detail::make_table(m.table_name, {});
  for (const RelInfo& r : m.rels) {
    const LoadStrategy st = effective(r, nodes);
    const Mapper& t = *r.target;
    if (st == LoadStrategy::contains_eager) {
      // The user's join(&C::rel) already joins the target table (unaliased).
      if (!base.joins_table(t.table_name))
        throw ArgumentError("retort: contains_eager(" + m.type_name + "." + r.name +
                            ") needs the query to join the '" + t.table_name +
                            "' table, e.g. .join(&" + m.type_name + "::" + r.name + ")");
      auto tt = sql::detail::make_table(t.table_name, {});
      joins_.push_back(Join{&r, next_column(), {}, {}, {}});
      for (const auto& c : t.columns) ext.columns.push_back(sql::detail::make_column(tt, c.name, c.type.kind));
      continue;
    }
    if (st != LoadStrategy::joined) continue;
    if (r.viewonly) continue;  // its condition names the unaliased table: selectin
    if (limited && (r.kind == RelKind::OneToMany || r.kind == RelKind::ManyToMany)) continue;
    std::string suffix = "_";  // (not "_" + to_string(): GCC 12 warns -Wrestrict)
    suffix += std::to_string(joins_.size() + 1);
    auto steps = relationship_joins(r, owner_table, suffix);
    const sql::detail::NodePtr& at = steps.back().table;
    joins_.push_back(Join{&r, next_column(), {}, {}, {}});
    for (const auto& c : t.columns) ext.columns.push_back(sql::detail::make_column(at, c.name, c.type.kind));
    for (auto& step : steps) ext.joins.push_back({step.table, step.on, !inner(r, nodes)});
    // The collection's order, after the query's own.
    for (const auto& [off, desc] : r.order_by) {
      int col = t.column_at_offset(off);
      if (col < 0) continue;  // reported by the lazy / selectin loaders
      const ColumnInfo& c = t.columns[std::size_t(col)];
      ext.order_by.push_back(sql::detail::make_ordering(sql::detail::make_column(at, c.name, c.type.kind), desc, 0));
    }
  }
  if (!joins_.empty()) select_.emplace(base.extended(ext));
}

void JoinedLoader::row(SessionImpl& S, InstanceState* parent, const driver::Statement& st) {
  for (Join& j : joins_) {
    const RelInfo& r = *j.rel;
    if (parent != j.last_parent) {
      j.last_parent = parent;
      auto it = j.found.find(parent);
      if (it == j.found.end()) {
        if (r.member(parent)->loaded_) {  // already loaded: keep what is in memory
          j.last_found = nullptr;
          continue;
        }
        it = j.found.emplace(parent, std::vector<InstanceState*>{}).first;
        j.parents.push_back(parent);
      }
      j.last_found = &it->second;  // (stable: map nodes do not move)
    }
    if (!j.last_found) continue;
    const Mapper& t = *r.target;
    bool null_key = false;
    for (int p : t.pk) null_key = null_key || st.column_kind(j.first + p) == driver::ColumnKind::Null;
    if (null_key) continue;  // LEFT OUTER JOIN without a match
    InstanceState* child = S.load_row(t, st, j.first);
    auto& v = *j.last_found;
    if (std::find(v.begin(), v.end(), child) == v.end()) {
      v.push_back(child);
      j.targets.push_back(child);
    }
  }
}

std::vector<JoinedTargets> JoinedLoader::finish() {
  std::vector<JoinedTargets> out;
  for (Join& j : joins_) {
    const RelInfo& r = *j.rel;
    for (InstanceState* p : j.parents) {
      auto& found = j.found[p];
      if (r.kind == RelKind::ManyToMany) {
        if (!r.member(p)->loaded_) set_m2m_collection(r.many(p), found);
      } else if (r.fk_in_target()) {
        if (!r.member(p)->loaded_) set_loaded_children(r, p, found);
      } else {
        OneCore* oc = r.one(p);
        InstanceState* t = found.empty() ? nullptr : found.front();
        if (!oc->loaded_) set_reference(oc, t && !t->has(kMarkedDeleted) ? t : nullptr);
      }
    }
    // Targets can repeat across parents (many-to-one): each once.
    std::unordered_set<InstanceState*> seen;
    std::vector<InstanceState*> unique;
    for (auto* t : j.targets)
      if (seen.insert(t).second) unique.push_back(t);
    out.push_back(JoinedTargets{&r, std::move(unique)});
  }
  return out;
}

}  // namespace retort::orm::detail
