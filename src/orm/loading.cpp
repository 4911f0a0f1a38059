// Loading: rows → objects through the identity map, get() by primary key,
// and the lazy loaders of One<> and Many<> members.
//
// A row whose key is already in the identity map yields the existing object,
// unchanged unless it was expired. Columns are decoded straight into the
// struct members (ColumnOps::read), then the snapshot is taken from them.
#include <algorithm>

#include "orm/internal.hpp"
#include "retort/dialect.hpp"

namespace retort::orm::detail {

namespace {

/// The primary key of the current row (columns from `first`, in mapper
/// column order), decoded as the key members' types: equal to the snapshot
/// key of the object the row makes (so the identity map finds it), also
/// where the driver's value differs (SQLite returns a DATE as text). A
/// one-column key, the usual case, is not allocated.
class RowKey {
 public:
  RowKey(const Mapper& m, const driver::Statement& st, int first) {
    auto read = [&](int p) { return m.columns[std::size_t(p)].ops->read_value(st, first + p); };
    if (m.pk.size() == 1) {
      one_ = read(m.pk[0]);
    } else {
      for (int p : m.pk) several_.push_back(read(p));
    }
  }
  RowKey(const RowKey&) = delete;
  std::span<const Value> values() const {
    return several_.empty() ? std::span<const Value>(&one_, 1) : std::span<const Value>(several_);
  }

 private:
  Value one_;
  std::vector<Value> several_;
};

void populate(InstanceState* s, const driver::Statement& st, int first) {
  const Mapper& m = *s->mapper;
  for (std::size_t i = 0; i < m.columns.size(); ++i)
    m.columns[i].ops->read(st, first + int(i), m.columns[i].field(s->object()));
  take_snapshot(s);
}

const std::string& select_by_cols(const RelInfo& r, const Dialect& d) {
  const Mapper& child = *r.target;
  SqlCache& c = child.sql(d);
  std::vector<int> key = r.fk_cols;  // plus the order: collections can differ in it
  for (const auto& [off, desc] : r.order_by) {
    key.push_back(-1 - int(off));
    key.push_back(desc ? 1 : 0);
  }
  auto it = c.select_by_cols.find(key);
  if (it != c.select_by_cols.end()) return it->second;
  std::string sql = "SELECT " + c.select_columns + " FROM ";
  d.append_identifier(sql, child.table_name);
  for (std::size_t k = 0; k < r.fk_cols.size(); ++k) {
    sql += k ? " AND " : " WHERE ";
    d.append_identifier(sql, child.table_name);
    sql += '.';
    d.append_identifier(sql, child.columns[std::size_t(r.fk_cols[k])].name);
    sql += " = ";
    d.append_placeholder(sql, k + 1);
  }
  if (!r.order_by.empty()) sql += collection_order_sql(r, d, child.table_name);
  return c.select_by_cols.emplace(std::move(key), std::move(sql)).first->second;
}

}  // namespace

std::string collection_order_sql(const RelInfo& r, const Dialect& d, std::string_view qualifier) {
  const Mapper& child = *r.target;
  std::string sql = " ORDER BY ";
  bool first = true;
  auto item = [&](int col, bool desc) {
    if (!first) sql += ", ";
    first = false;
    d.append_identifier(sql, qualifier);
    sql += '.';
    d.append_identifier(sql, child.columns[std::size_t(col)].name);
    if (desc) sql += " DESC";
  };
  for (const auto& [off, desc] : r.order_by) {
    int col = child.column_at_offset(off);
    if (col < 0)
      throw ArgumentError("retort: order_by of '" + r.owner->type_name + "." + r.name +
                          "' names a member that is not a mapped column of '" + child.type_name + "'");
    item(col, desc);
  }
  for (int p : child.pk) item(p, false);
  return sql;
}

InstanceState* SessionImpl::load_row(const Mapper& m, const driver::Statement& st, int first) {
  RowKey key(m, st, first);
  InstanceState* s = identity.find_or_add(m, key.values(), [&] {
    InstanceState* n = m.create();
    bind_loaded_object(n);
    try {
      populate(n, st, first);
    } catch (...) {
      m.destroy(n);
      throw;
    }
    n->set(kHasIdentity);
    n->session = this;
    return n;
  });
  if (s->has(kExpired)) {  // an object already in the map, to reload
    populate(s, st, first);
    s->clear(kExpired);
  }
  return s;
}

std::optional<InstanceState*> SessionImpl::find_identity(const Mapper& m, const Value& key) const {
  if (m.pk.size() != 1 || std::holds_alternative<bool>(key)) return std::nullopt;  // get() normalizes those
  InstanceState* s = identity.find(m, std::span(&key, 1));
  if (!s || s->has(kExpired)) return std::nullopt;
  return s->has(kMarkedDeleted) ? nullptr : s;
}

InstanceState* SessionImpl::get(const Mapper& m, std::vector<Value> key) {
  if (key.size() != m.pk.size())
    throw InvalidRequestError("Session::get on '" + m.table_name + "': expected " +
                              std::to_string(m.pk.size()) + " primary key value(s), got " +
                              std::to_string(key.size()));
  // Normalize the key through the column types (an int literal for a BIGINT key).
  for (std::size_t k = 0; k < key.size(); ++k) {
    if (std::holds_alternative<double>(key[k])) continue;
    if (auto* b = std::get_if<bool>(&key[k])) {
      const ColumnInfo& c = m.columns[std::size_t(m.pk[k])];
      if (c.type.kind != TypeKind::Boolean) key[k] = std::int64_t(*b);
    }
  }
  InstanceState* hit = identity.find(m, key);
  if (hit && !hit->has(kExpired)) return hit->has(kMarkedDeleted) ? nullptr : hit;
  // A miss flushes pending inserts and deletes (either may decide whether the
  // row exists) but does not scan loaded objects for changed columns: that
  // scan is O(objects held), and would make a loop of get() quadratic.
  autoflush_for_lazy_load();
  Connection& c = connection();
  Result r = c.execute(m.sql(c.dialect()).select_by_pk, std::span<const Value>(key));
  if (!r.next()) return nullptr;
  InstanceState* s = load_row(m, r.statement(), 0);
  return s->has(kMarkedDeleted) ? nullptr : s;
}

void SessionImpl::load_one(OneCore* oc) {
  if (oc->rel_->kind == RelKind::OneToOne) return load_children(oc);
  InstanceState* s = oc->owner();
  const RelInfo& r = *oc->rel_;
  const Mapper& m = *s->mapper;
  std::vector<Value> fk;
  for (int col : r.fk_cols) {
    const ColumnInfo& c = m.columns[std::size_t(col)];
    Value v = c.ops->get(c.field(s->object()));
    if (is_null(v)) {
      oc->target_ = nullptr;
      oc->loaded_ = true;
      return;
    }
    fk.push_back(std::move(v));
  }
  InstanceState* t = get(*r.target, std::move(fk));
  if (oc->loaded_) return;  // an autoflush or nested load got there first
  set_reference(oc, t);
}

void SessionImpl::load_many(ManyCore* mc) { load_children(mc); }

void SessionImpl::load_children(RelCore* rc) {
  InstanceState* s = rc->owner();
  autoflush_for_lazy_load();
  if (rc->loaded_) return;
  if (!s->has(kHasIdentity)) {
    rc->loaded_ = true;
    return;
  }
  const RelInfo& r = *rc->rel_;
  if (r.kind == RelKind::ManyToMany) return m2m_load(*this, static_cast<ManyCore*>(rc));  // association.cpp
  const Mapper& pm = *s->mapper;
  std::vector<Value> params;
  for (int p : r.ref_cols) {
    const ColumnInfo& c = pm.columns[std::size_t(p)];
    params.push_back(c.ops->get(c.field(s->object())));
  }
  Connection& c = connection();
  std::vector<InstanceState*> found;
  {
    CompiledSql filtered;
    if (r.viewonly) filtered = viewonly_select(r, std::span(&params, 1), c.dialect());
    Result res = r.viewonly ? c.execute(filtered.sql, std::span<const Value>(filtered.params))
                            : c.execute(select_by_cols(r, c.dialect()), std::span<const Value>(params));
    while (res.next()) found.push_back(load_row(*r.target, res.statement(), 0));
  }
  set_loaded_children(r, s, found);
  apply_default_loaders(*this, *r.target, found);
}

void set_collection(ManyCore* mc, const std::vector<InstanceState*>& found) {
  if (mc->rel_->viewonly) return set_viewonly_collection(mc, found);  // viewonly.cpp
  InstanceState* s = mc->owner();
  const RelInfo& r = *mc->rel_;
  const RelInfo* back = r.back;
  std::vector<InstanceState*> items;
  for (auto* child : found) {
    OneCore* oc = back->one(child);
    if (oc->loaded_ && oc->target_ != s) continue;  // moved elsewhere in memory
    if (child->has(kMarkedDeleted)) continue;
    oc->target_ = s;
    oc->loaded_ = true;
    items.push_back(child);
  }
  // In-memory edges (pending children) the database does not know yet.
  for (std::size_t i = 0, n = r.mops.size(mc); i < n; ++i) {
    InstanceState* x = r.mops.at(mc, i);
    if (std::find(items.begin(), items.end(), x) == items.end()) items.push_back(x);
  }
  r.mops.clear(mc);
  for (auto* x : items) r.mops.push(mc, x);
  mc->loaded_ = true;
}

void set_loaded_children(const RelInfo& r, InstanceState* parent,
                         const std::vector<InstanceState*>& found) {
  if (r.kind == RelKind::OneToMany) return set_collection(r.many(parent), found);
  OneCore* pc = r.one(parent);
  InstanceState* from_db = nullptr;
  for (auto* child : found) {
    OneCore* cr = r.back->one(child);
    if (cr->loaded_ && cr->target_ != parent) continue;  // moved elsewhere in memory
    if (child->has(kMarkedDeleted)) continue;
    if (from_db)
      throw InvalidRequestError("retort: one_to_one '" + r.owner->type_name + "." + r.name +
                                "' of " + describe(parent) + " found more than one row in '" +
                                r.target->table_name + "'; its foreign key needs a UNIQUE constraint");
    from_db = child;
  }
  if (from_db && (!pc->target_ || pc->target_ == from_db)) {  // else the in-memory link wins
    OneCore* cr = r.back->one(from_db);
    cr->target_ = parent;
    cr->loaded_ = true;
    pc->target_ = from_db;
  }
  pc->loaded_ = true;
}

void set_reference(OneCore* oc, InstanceState* t) {
  InstanceState* s = oc->owner();
  const RelInfo& r = *oc->rel_;
  oc->target_ = t;
  oc->loaded_ = true;
  if (t) back_link(r.back, t, s, false);
}

}  // namespace retort::orm::detail
