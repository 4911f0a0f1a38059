// Many-to-many relationships through an association table: configuration,
// in-memory links on both sides, lazy loading and the association rows
// written by a flush. Every link is stored on both ends (both Many<>), so the
// collector sees it. The writer side of each pair (m2m_writer) keeps the
// target keys of the rows known to be in the database (ManyCore::m2m_base);
// a flush writes the difference between that and the loaded collection.
#include <algorithm>
#include <mutex>
#include <tuple>
#include <unordered_map>

#include "orm/internal.hpp"
#include "retort/dialect.hpp"

namespace retort::orm::detail {

namespace {

bool contains(const RelInfo* r, ManyCore* mc, InstanceState* s) {
  for (std::size_t i = 0, n = r->mops.size(mc); i < n; ++i)
    if (r->mops.at(mc, i) == s) return true;
  return false;
}

int single_pk(const Mapper& m, const RelInfo& r) {
  int pk = -1;
  for (std::size_t i = 0; i < m.columns.size(); ++i) {
    if (!m.columns[i].primary_key) continue;
    if (pk >= 0)
      throw ArgumentError("retort: many_to_many '" + r.owner->table_name + "." + r.name +
                          "' needs a one-column primary key in '" + m.table_name + "'");
    pk = int(i);
  }
  if (pk < 0)
    throw ArgumentError("retort: many_to_many '" + r.owner->table_name + "." + r.name +
                        "': '" + m.table_name + "' has no primary key");
  return pk;
}

Value key_of(const InstanceState* s) { return current_key(s).front(); }

bool live_in(const InstanceState* s, const SessionImpl& S) {
  return s->session == &S && !s->has(kMarkedDeleted) && !s->has(kDeletedFlushed);
}

// Runs `sql` with `params` (emits SQL).
void run(SessionImpl& S, const std::string& sql, std::vector<Value> params) {
  S.connection().execute_write(sql, std::span<const Value>(params));
}

}  // namespace

void configure_many_to_many(const Mapper& m, RelInfo& r) {
  const Mapper& t = *r.target;
  if (!r.back || r.back->kind != RelKind::ManyToMany || r.back->secondary != r.secondary)
    throw ArgumentError("retort: relationship '" + m.table_name + "." + r.name +
                        "' has back_populates naming a member that the mapping of '" +
                        t.table_name + "' does not declare with many_to_many through '" +
                        r.secondary + "'");
  int op = single_pk(m, r), tp = single_pk(t, r);
  const ColumnInfo& oc = m.columns[std::size_t(op)];
  const ColumnInfo& tc = t.columns[std::size_t(tp)];
  if (r.sec_local.empty()) r.sec_local = m.table_name + "_" + oc.name;
  if (r.sec_remote.empty()) r.sec_remote = t.table_name + "_" + tc.name;
  if (r.back == &r)
    throw ArgumentError("retort: many_to_many '" + m.table_name + "." + r.name +
                        "' cannot be its own back_populates; declare two members");
  if (r.sec_local == r.sec_remote)
    throw ArgumentError("retort: many_to_many '" + m.table_name + "." + r.name +
                        "': give the two column names of '" + r.secondary + "' in secondary()");
  // The other side names the same two columns the other way round.
  const std::string back_local = r.back->sec_local.empty() ? t.table_name + "_" + tc.name : r.back->sec_local;
  const std::string back_remote = r.back->sec_remote.empty() ? m.table_name + "_" + oc.name : r.back->sec_remote;
  if (back_local != r.sec_remote || back_remote != r.sec_local)
    throw ArgumentError("retort: many_to_many '" + m.table_name + "." + r.name + "' and '" +
                        t.table_name + "." + r.back->name + "' name different columns of '" +
                        r.secondary + "'");
  r.fk_cols.clear();
  r.ref_cols = {op};
  r.m2m_writer = std::tie(m.table_name, r.offset) < std::tie(t.table_name, r.back_offset);
  Table tab(r.secondary);
  auto add = [&](const std::string& name, const ColumnInfo& ref, const Mapper& rm) {
    Column c(name, ref.type);
    (void)std::move(c).primary_key();
    (void)std::move(c).autoincrement(false);
    (void)std::move(c).references(rm.table_name, ref.name);
    tab.add(std::move(c));
  };
  if (r.m2m_writer) {
    add(r.sec_local, oc, m);
    add(r.sec_remote, tc, t);
  } else {
    add(r.sec_remote, tc, t);
    add(r.sec_local, oc, m);
  }
  r.sec_table = std::make_shared<const Table>(std::move(tab));
}

void add_secondary_tables(MetaData& md, const Mapper& m) {
  m.configure();
  for (const RelInfo& r : m.rels)
    if (r.kind == RelKind::ManyToMany && !md.find(r.secondary)) md.add_table(*r.sec_table);
}

namespace {

// ManyCore::m2m_base lives here, keyed by the collection, rather than in
// every Many<T> (most are not many-to-many). An entry is made on first use
// and erased by the ManyCore's destructor (has_m2m_base_), so an address
// reused by a later collection never finds a stale one. Sessions on
// different threads share the table: the mutex guards its structure; an
// entry is only touched by its collection's thread (nodes do not move).
struct M2mBaseTable {
  std::mutex mu;
  std::unordered_map<const ManyCore*, std::vector<Value>> bases;
};
M2mBaseTable& m2m_base_table() {
  static M2mBaseTable& t = *new M2mBaseTable;  // objects may outlive static destructors
  return t;
}

}  // namespace

std::vector<Value>& ManyCore::m2m_base() {
  M2mBaseTable& t = m2m_base_table();
  std::lock_guard<std::mutex> lock(t.mu);
  has_m2m_base_ = true;
  return t.bases[this];
}

std::size_t ManyCore::m2m_base_entries() {
  M2mBaseTable& t = m2m_base_table();
  std::lock_guard<std::mutex> lock(t.mu);
  return t.bases.size();
}

const std::vector<Value>& ManyCore::m2m_base_or_empty() {
  static const std::vector<Value> none;
  return has_m2m_base_ ? m2m_base() : none;
}

void ManyCore::drop_m2m_base() noexcept {
  M2mBaseTable& t = m2m_base_table();
  std::lock_guard<std::mutex> lock(t.mu);
  t.bases.erase(this);
  has_m2m_base_ = false;
}

void m2m_link(ManyCore* mc, InstanceState* child) {
  const RelInfo* r = mc->rel_;
  const RelInfo* b = r->back;
  InstanceState* owner = mc->owner();
  if (child->mapper != r->target)
    throw InvalidRequestError("retort: wrong type appended to relationship '" + r->name + "'");
  mc->ensure_loaded();  // may emit SQL
  ManyCore* bc = b->many(child);
  bc->ensure_loaded();  // may emit SQL
  if (!contains(r, mc, child)) r->mops.push(mc, child);
  if (!contains(b, bc, owner)) b->mops.push(bc, owner);
  cascade_on_link(owner, r, child);
}

void m2m_unlink(ManyCore* mc, InstanceState* child) {
  const RelInfo* r = mc->rel_;
  const RelInfo* b = r->back;
  InstanceState* owner = mc->owner();
  mc->ensure_loaded();  // may emit SQL; an unloaded collection knows only in-memory links
  if (!contains(r, mc, child)) return;
  ManyCore* bc = b->many(child);
  bc->ensure_loaded();
  r->mops.erase(mc, child);
  b->mops.erase(bc, owner);
  queue_trial(child);
  queue_trial(owner);
}

void m2m_load(SessionImpl& S, ManyCore* mc) {
  // The selectin query for one owner: one SELECT, and the collection set.
  const RelInfo& r = *mc->rel_;
  std::vector<InstanceState*> found = m2m_selectin(S, r, {mc->owner()});
  apply_default_loaders(S, *r.target, found);
}

void set_m2m_collection(ManyCore* mc, const std::vector<InstanceState*>& found) {
  InstanceState* s = mc->owner();
  const RelInfo& r = *mc->rel_;
  std::vector<InstanceState*> items;
  std::vector<Value>& base = mc->m2m_base();
  base.clear();
  for (auto* x : found) {
    base.push_back(key_of(x));
    if (x->has(kMarkedDeleted)) continue;
    items.push_back(x);
    ManyCore* bc = r.back->many(x);
    if (!contains(r.back, bc, s)) r.back->mops.push(bc, s);
  }
  for (std::size_t i = 0, n = r.mops.size(mc); i < n; ++i) {  // in-memory links
    InstanceState* x = r.mops.at(mc, i);
    if (std::find(items.begin(), items.end(), x) == items.end()) items.push_back(x);
  }
  r.mops.clear(mc);
  for (auto* x : items) r.mops.push(mc, x);
  mc->loaded_ = true;
}

std::vector<InstanceState*> m2m_selectin(SessionImpl& S, const RelInfo& r,
                                         const std::vector<InstanceState*>& objs) {
  std::vector<InstanceState*> parents;
  std::vector<Value> keys;
  std::unordered_map<IdentityKey, std::size_t, IdentityKeyHash> index;  // key -> parents[i]
  for (auto* o : objs) {
    if (r.many(o)->loaded_ || !o->has(kHasIdentity)) continue;
    Value k = key_of(o);
    if (!index.emplace(IdentityKey(r.owner, {k}), parents.size()).second) continue;
    keys.push_back(std::move(k));
    parents.push_back(o);
  }
  if (keys.empty()) return {};
  const Mapper& t = *r.target;
  Connection& c = S.connection();
  const Dialect& d = c.dialect();
  const std::string& tpk = t.columns[std::size_t(r.back->ref_cols.at(0))].name;
  auto qual = [&](std::string& sql, const std::string& table, const std::string& col) {
    d.append_identifier(sql, table);
    sql += '.';
    d.append_identifier(sql, col);
  };
  std::vector<std::vector<InstanceState*>> found(parents.size());
  std::vector<InstanceState*> all;
  const std::size_t chunk = std::max<std::size_t>(1, std::min<std::size_t>(500, d.max_parameters()));
  for (std::size_t at = 0; at < keys.size(); at += chunk) {
    std::size_t n = std::min(chunk, keys.size() - at);
    // SELECT <target>, sec.local FROM t JOIN sec ON sec.remote = t.pk
    //   WHERE sec.local IN (...) ORDER BY sec.local, t.pk
    std::string sql = "SELECT " + t.sql(d).select_columns + ", ";
    qual(sql, r.secondary, r.sec_local);
    sql += " FROM ";
    d.append_identifier(sql, t.table_name);
    sql += " JOIN ";
    d.append_identifier(sql, r.secondary);
    sql += " ON ";
    qual(sql, r.secondary, r.sec_remote);
    sql += " = ";
    qual(sql, t.table_name, tpk);
    sql += " WHERE ";
    qual(sql, r.secondary, r.sec_local);
    sql += " IN (";
    for (std::size_t k = 0; k < n; ++k) {
      if (k) sql += ", ";
      d.append_placeholder(sql, k + 1);
    }
    sql += ") ORDER BY ";
    qual(sql, r.secondary, r.sec_local);
    sql += ", ";
    qual(sql, t.table_name, tpk);
    std::vector<Value> params(keys.begin() + std::ptrdiff_t(at), keys.begin() + std::ptrdiff_t(at + n));
    Result res = c.execute(sql, std::span<const Value>(params));
    while (res.next()) {
      Value k = res.statement().get_value(int(t.columns.size()));  // the parent's key
      InstanceState* x = S.load_row(t, res.statement(), 0);
      auto it = index.find(IdentityKey(r.owner, {std::move(k)}));
      if (it == index.end()) continue;
      found[it->second].push_back(x);
      all.push_back(x);
    }
  }
  for (std::size_t i = 0; i < parents.size(); ++i) {
    ManyCore* mc = r.many(parents[i]);
    if (!mc->loaded_) set_m2m_collection(mc, found[i]);
  }
  return all;
}

void m2m_write(SessionImpl& S) {
  // The connection (BEGIN) is taken only when there is a row to write.
  const Dialect* dp = nullptr;
  auto dialect = [&]() -> const Dialect& {
    if (!dp) dp = &S.connection().dialect();
    return *dp;
  };
  auto where = [&](const RelInfo& r, bool both) {
    const Dialect& d = dialect();
    std::string sql;
    d.append_identifier(sql, r.sec_local);
    sql += " = ";
    d.append_placeholder(sql, 1);
    if (both) {
      sql += " AND ";
      d.append_identifier(sql, r.sec_remote);
      sql += " = ";
      d.append_placeholder(sql, 2);
    }
    return sql;
  };
  auto del = [&](const RelInfo& r, bool both) {
    const Dialect& d = dialect();
    std::string sql = "DELETE FROM ";
    d.append_identifier(sql, r.secondary);
    return sql + " WHERE " + where(r, both);
  };
  // Rows of deleted objects (before their DELETE).
  for (auto* s : S.deleted)
    for (const RelInfo* r : s->mapper->m2m_) run(S, del(*r, false), {key_of(s)});
  auto visit = [&](InstanceState* x) {
    if (x->has(kMarkedDeleted)) return;
    for (const RelInfo* rp : x->mapper->m2m_) {
      const RelInfo& r = *rp;
      if (!r.m2m_writer) continue;
      ManyCore* mc = r.many(x);
      if (!mc->loaded_) continue;  // links change only through loaded collections
      std::vector<Value> cur;
      for (std::size_t i = 0, n = r.mops.size(mc); i < n; ++i) {
        InstanceState* c = r.mops.at(mc, i);
        if (live_in(c, S)) cur.push_back(key_of(c));
      }
      Value own = key_of(x);
      const std::vector<Value>& base = mc->m2m_base_or_empty();
      for (const Value& k : base)
        if (std::find(cur.begin(), cur.end(), k) == cur.end()) run(S, del(r, true), {own, k});
      for (const Value& k : cur) {
        if (std::find(base.begin(), base.end(), k) != base.end()) continue;
        const Dialect& d = dialect();
        std::string sql = "INSERT INTO ";
        d.append_identifier(sql, r.secondary);
        sql += " (";
        d.append_identifier(sql, r.sec_local);
        sql += ", ";
        d.append_identifier(sql, r.sec_remote);
        sql += ") VALUES (";
        d.append_placeholder(sql, 1);
        sql += ", ";
        d.append_placeholder(sql, 2);
        sql += ")";
        run(S, sql, {own, k});
      }
    }
  };
  for (auto* x : S.pending) visit(x);
  for (InstanceState* x : S.identity) visit(x);
}

void m2m_mark_clean(SessionImpl& S, InstanceState* x) {
  for (const RelInfo* rp : x->mapper->m2m_) {
    const RelInfo& r = *rp;
    if (!r.m2m_writer) continue;
    ManyCore* mc = r.many(x);
    if (!mc->loaded_) continue;
    if (r.mops.size(mc) == 0) {  // no rows: no entry in the table (nor its lock)
      mc->forget_m2m_base();
      continue;
    }
    std::vector<Value>& base = mc->m2m_base();
    base.clear();
    for (std::size_t i = 0, n = r.mops.size(mc); i < n; ++i) {
      InstanceState* c = r.mops.at(mc, i);
      if (live_in(c, S) && c->has(kHasIdentity)) base.push_back(key_of(c));
    }
  }
}

void m2m_unload(InstanceState* s, const RelInfo& r) {
  ManyCore* mc = r.many(s);
  std::vector<InstanceState*> keep;
  for (std::size_t i = 0, n = r.mops.size(mc); i < n; ++i) {
    InstanceState* c = r.mops.at(mc, i);
    if (!c->has(kHasIdentity)) {  // a pending target keeps its link
      keep.push_back(c);
      continue;
    }
    ManyCore* bc = r.back->many(c);
    r.back->mops.erase(bc, s);
    bc->loaded_ = false;
    bc->forget_m2m_base();
    queue_trial(c);
  }
  r.mops.clear(mc);
  for (auto* c : keep) r.mops.push(mc, c);
  mc->loaded_ = false;
  mc->raise_ = false;
  mc->forget_m2m_base();
}

}  // namespace retort::orm::detail
