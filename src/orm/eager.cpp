// Loader strategies (retort/orm/loader.hpp): resolving query options into a
// tree, selectin loading (one SELECT ... IN per relationship level, chunked to
// the dialect's parameter limit), and marking raise / noload relationships.
// The joined strategy's SQL and row handling live in joined.cpp.
//
// None of these functions autoflush: they run right after the query that
// loaded the parents (which did).
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "orm/internal.hpp"
#include "retort/dialect.hpp"

namespace retort::orm::detail {

namespace {

const RelInfo* rel_at(const Mapper& m, std::size_t offset) {
  for (const auto& r : m.rels)
    if (r.offset == offset) return &r;
  return nullptr;
}

LoadNode* find_node(std::vector<LoadNode>& v, const RelInfo* r) {
  for (auto& n : v)
    if (n.rel == r) return &n;
  return nullptr;
}
const LoadNode* find_node(const std::vector<LoadNode>& v, const RelInfo* r) {
  for (auto& n : v)
    if (n.rel == r) return &n;
  return nullptr;
}

/// Rows per IN query: at most 500 keys and the dialect's parameter limit.
std::size_t chunk_size(const Dialect& d, std::size_t ncols) {
  std::size_t by_params = d.max_parameters() / std::max<std::size_t>(ncols, 1);
  return std::max<std::size_t>(1, std::min<std::size_t>(500, by_params));
}

/// SELECT <cols of m> FROM m WHERE <cols> IN (<keys>) ORDER BY <the
/// collection's order (when `ordered`), pk of m>.
std::string select_in(const Dialect& d, const Mapper& m, const std::vector<int>& cols,
                      std::size_t nkeys, const RelInfo* ordered) {
  std::string sql = "SELECT " + m.sql(d).select_columns + " FROM ";
  d.append_identifier(sql, m.table_name);
  sql += " WHERE ";
  auto qualified = [&](int c) {
    d.append_identifier(sql, m.table_name);
    sql += '.';
    d.append_identifier(sql, m.columns[std::size_t(c)].name);
  };
  std::size_t p = 0;
  if (cols.size() == 1) {
    qualified(cols[0]);
    sql += " IN (";
    for (std::size_t k = 0; k < nkeys; ++k) {
      if (k) sql += ", ";
      d.append_placeholder(sql, ++p);
    }
    sql += ')';
  } else {
    for (std::size_t k = 0; k < nkeys; ++k) {
      sql += k ? " OR (" : "(";
      for (std::size_t i = 0; i < cols.size(); ++i) {
        if (i) sql += " AND ";
        qualified(cols[i]);
        sql += " = ";
        d.append_placeholder(sql, ++p);
      }
      sql += ')';
    }
  }
  if (ordered) {
    sql += collection_order_sql(*ordered, d, m.table_name);
    return sql;
  }
  sql += " ORDER BY ";
  for (std::size_t i = 0; i < m.pk.size(); ++i) {
    if (i) sql += ", ";
    qualified(m.pk[i]);
  }
  return sql;
}

/// Values of columns `cols` of object s (current members); empty when one is NULL.
std::vector<Value> values_of(const InstanceState* s, const std::vector<int>& cols) {
  std::vector<Value> out;
  const Mapper& m = *s->mapper;
  for (int c : cols) {
    const ColumnInfo& ci = m.columns[std::size_t(c)];
    Value v = ci.ops->get(ci.field(s->object()));
    if (is_null(v)) return {};
    out.push_back(std::move(v));
  }
  return out;
}

/// Runs SELECT ... WHERE cols IN keys in chunks; calls on_row(obj, row key),
/// the row key being the values of `cols` as an IdentityKey of `key_mapper`
/// (one column, the usual case, allocates nothing).
template <class F>
void run_in_chunks(SessionImpl& S, const Mapper& m, const std::vector<int>& cols,
                   const std::vector<std::vector<Value>>& keys, const RelInfo* ordered,
                   const Mapper* key_mapper, F&& on_row) {
  Connection& c = S.connection();
  const Dialect& d = c.dialect();
  std::size_t chunk = chunk_size(d, cols.size());
  for (std::size_t at = 0; at < keys.size(); at += chunk) {
    std::size_t n = std::min(chunk, keys.size() - at);
    std::vector<Value> params;
    params.reserve(n * cols.size());
    for (std::size_t k = at; k < at + n; ++k)
      for (const auto& v : keys[k]) params.push_back(v);
    CompiledSql filtered;  // a viewonly relationship adds its condition
    if (ordered && ordered->viewonly) filtered = viewonly_select(*ordered, std::span(keys).subspan(at, n), d);
    Result res = ordered && ordered->viewonly
                     ? c.execute(filtered.sql, std::span<const Value>(filtered.params))
                     : c.execute(select_in(d, m, cols, n, ordered), std::span<const Value>(params));
    while (res.next()) {
      IdentityKey key;
      key.mapper = key_mapper;
      for (int col : cols) key.push(res.statement().get_value(col));
      on_row(S.load_row(m, res.statement(), 0), key);
    }
  }
}

/// One-to-many, one-to-one: fills the unloaded members of `objs` with one IN
/// query per chunk. Returns the children loaded.
std::vector<InstanceState*> selectin_children(SessionImpl& S, const RelInfo& r,
                                              const std::vector<InstanceState*>& objs) {
  std::unordered_map<IdentityKey, std::size_t, IdentityKeyHash> by_key;  // -> index in parents
  std::vector<std::vector<Value>> keys;
  std::vector<InstanceState*> parents;
  for (auto* o : objs) {
    if (r.member(o)->loaded_ || !o->has(kHasIdentity)) continue;
    auto vals = values_of(o, r.ref_cols);
    if (vals.empty()) continue;
    if (by_key.emplace(IdentityKey(r.owner, vals), parents.size()).second) {
      keys.push_back(std::move(vals));
      parents.push_back(o);
    }
  }
  if (keys.empty()) return {};
  std::vector<std::vector<InstanceState*>> found(parents.size());
  std::vector<InstanceState*> children;
  run_in_chunks(S, *r.target, r.fk_cols, keys, &r, r.owner, [&](InstanceState* child, const IdentityKey& key) {
    auto it = by_key.find(key);
    if (it == by_key.end()) return;
    found[it->second].push_back(child);
    children.push_back(child);
  });
  for (std::size_t i = 0; i < parents.size(); ++i)
    if (!r.member(parents[i])->loaded_) set_loaded_children(r, parents[i], found[i]);
  return children;
}

/// Many-to-one: resolves unloaded references through the identity map, the
/// rest with one IN query per chunk. Returns the targets newly loaded.
std::vector<InstanceState*> selectin_one(SessionImpl& S, const RelInfo& r,
                                         const std::vector<InstanceState*>& objs) {
  const Mapper& t = *r.target;
  // The referenced values, in the target's primary key order.
  std::vector<int> fk_in_pk_order;
  for (int p : t.pk)
    for (std::size_t k = 0; k < r.ref_cols.size(); ++k)
      if (r.ref_cols[k] == p) fk_in_pk_order.push_back(r.fk_cols[k]);
  const bool by_pk = fk_in_pk_order.size() == t.pk.size();
  std::unordered_map<IdentityKey, std::vector<OneCore*>, IdentityKeyHash> want;
  std::vector<std::vector<Value>> keys;
  for (auto* o : objs) {
    OneCore* oc = r.one(o);
    if (oc->loaded_) continue;
    auto vals = values_of(o, by_pk ? fk_in_pk_order : r.fk_cols);
    if (vals.empty()) {
      set_reference(oc, nullptr);
      continue;
    }
    if (by_pk) {
      InstanceState* hit = S.identity.find(t, vals);
      if (hit && !hit->has(kExpired)) {
        set_reference(oc, hit->has(kMarkedDeleted) ? nullptr : hit);
        continue;
      }
    }
    IdentityKey key(&t, vals);
    auto& v = want[key];
    if (v.empty()) keys.push_back(std::move(vals));
    v.push_back(oc);
  }
  if (keys.empty()) return {};
  std::vector<InstanceState*> targets;
  const std::vector<int>& cols = by_pk ? t.pk : r.ref_cols;
  run_in_chunks(S, t, cols, keys, nullptr, &t, [&](InstanceState* obj, const IdentityKey& key) {
    auto it = want.find(key);
    if (it == want.end()) return;
    targets.push_back(obj);
    for (OneCore* oc : it->second)
      if (!oc->loaded_) set_reference(oc, obj->has(kMarkedDeleted) ? nullptr : obj);
  });
  for (auto& [key, ocs] : want)  // a dangling foreign key reads as null
    for (OneCore* oc : ocs)
      if (!oc->loaded_) set_reference(oc, nullptr);
  return targets;
}

void mark_unloaded(const RelInfo& r, const std::vector<InstanceState*>& objs, LoadStrategy st) {
  for (auto* o : objs) {
    RelCore* rc = r.member(o);
    if (rc->loaded_) continue;
    if (st == LoadStrategy::raise) {
      rc->raise_ = true;
    } else {
      if (r.kind == RelKind::ManyToOne) r.one(o)->target_ = nullptr;
      rc->loaded_ = true;  // a collection keeps its in-memory edges only
    }
  }
}

const std::vector<LoadNode> kNoNodes;

}  // namespace

std::vector<LoadNode> resolve_options(const Mapper& root, std::span<const LoaderOption> opts) {
  std::vector<LoadNode> out;
  for (const auto& opt : opts) {
    std::vector<LoadNode>* level = &out;
    const Mapper* cur = &root;
    for (const auto& step : opt.steps) {
      const Mapper& owner = step.owner();
      owner.configure();
      const RelInfo* r = rel_at(owner, step.offset);
      if (!r)
        throw ArgumentError("retort: a loader option names a member that is not a mapped "
                            "relationship of '" + owner.type_name + "'");
      if (&owner != cur)
        throw ArgumentError("retort: loader option '" + owner.type_name + "." + r->name +
                            "' does not follow from '" + cur->type_name +
                            "' (each level must be a relationship of the previous level's target)");
      LoadNode* n = find_node(*level, r);
      if (!n) {
        level->push_back(LoadNode{r, LoadStrategy::default_, false, {}});
        n = &level->back();
      }
      if (step.strategy != LoadStrategy::default_) {
        n->strategy = step.strategy;
        n->innerjoin = step.innerjoin;
      }
      level = &n->children;
      cur = r->target;
    }
  }
  return out;
}

void apply_loaders(SessionImpl& S, const Mapper& m, const std::vector<InstanceState*>& objs,
                   const std::vector<LoadNode>& nodes, const std::vector<JoinedTargets>* joined) {
  if (objs.empty()) return;
  for (const RelInfo& r : m.rels) {
    const LoadNode* n = find_node(nodes, &r);
    LoadStrategy st = n && n->strategy != LoadStrategy::default_ ? n->strategy : r.lazy;
    std::vector<InstanceState*> targets;
    switch (st) {
      case LoadStrategy::joined:
        if (joined) {
          auto it = std::find_if(joined->begin(), joined->end(),
                                 [&](const JoinedTargets& j) { return j.rel == &r; });
          if (it != joined->end()) {
            targets = it->targets;
            break;
          }
        }
        // Below the top level (or under a LIMIT), joined loads as selectin.
        [[fallthrough]];
      case LoadStrategy::selectin:
        targets = r.fk_in_target()                ? selectin_children(S, r, objs)
                  : r.kind == RelKind::ManyToMany ? m2m_selectin(S, r, objs)
                                                  : selectin_one(S, r, objs);
        break;
      case LoadStrategy::contains_eager:  // filled by the query's rows (top level only)
        if (joined) {
          auto it = std::find_if(joined->begin(), joined->end(),
                                 [&](const JoinedTargets& j) { return j.rel == &r; });
          if (it != joined->end()) targets = it->targets;
        }
        break;
      case LoadStrategy::raise:
      case LoadStrategy::noload:
        mark_unloaded(r, objs, st);
        break;
      case LoadStrategy::lazy:
      case LoadStrategy::default_:
        break;
    }
    if (!targets.empty()) apply_loaders(S, *r.target, targets, n ? n->children : kNoNodes, nullptr);
  }
}

void apply_default_loaders(SessionImpl& S, const Mapper& m, const std::vector<InstanceState*>& objs) {
  bool eager = false;
  for (const RelInfo& r : m.rels)
    eager = eager || r.lazy == LoadStrategy::selectin || r.lazy == LoadStrategy::joined;
  if (eager) apply_loaders(S, m, objs, kNoNodes, nullptr);
}

}  // namespace retort::orm::detail
