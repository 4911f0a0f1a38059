// Persistence: emits the INSERT, UPDATE and DELETE statements of a flush and
// copies keys from parents into children's foreign keys (sync). Called only by
// the unit of work (unit_of_work.cpp), which decides the order.
//
// SQL is rendered once per mapper, dialect and column set (SqlCache) and run
// through the connection's prepared-statement cache: one prepared statement
// per table and column set. Rows whose key the database generates are run one
// by one with RETURNING; rows with known keys go through execute_many.
#include "orm/internal.hpp"
#include "retort/dialect.hpp"

namespace retort::orm::detail {

void UndoLog::set(InstanceState* s, int col, const Value& v) {
  const ColumnInfo& c = s->mapper->columns[std::size_t(col)];
  void* f = c.field(s->object);
  entries.push_back({s, col, c.ops->get(f)});
  c.ops->set(f, v);
}

void UndoLog::undo() {
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    const ColumnInfo& c = it->s->mapper->columns[std::size_t(it->col)];
    try {
      c.ops->set(c.field(it->s->object), it->old);
    } catch (...) {
    }
  }
  entries.clear();
}

void take_snapshot(InstanceState* s) {
  const Mapper& m = *s->mapper;
  s->snapshot.resize(m.columns.size());
  for (std::size_t i = 0; i < m.columns.size(); ++i)
    s->snapshot[i] = m.columns[i].ops->get(m.columns[i].field(s->object));
}

namespace {

// Copies the parent's key into the child's foreign key columns for every
// many-to-one relationship whose value is known in memory.
void sync_foreign_keys(SessionImpl& S, InstanceState* s, UndoLog& undo) {
  const Mapper& m = *s->mapper;
  for (const RelInfo* r : m.m2o_) {
    OneCore* oc = r->one(s);
    if (!oc->loaded_) continue;
    InstanceState* t = oc->target_;
    if (t && t->session == &S && !t->has(kMarkedDeleted)) {
      const Mapper& pm = *t->mapper;
      for (std::size_t k = 0; k < r->fk_cols.size(); ++k) {
        const ColumnInfo& pc = pm.columns[std::size_t(r->ref_cols[k])];
        const ColumnInfo& cc = m.columns[std::size_t(r->fk_cols[k])];
        Value v = pc.ops->get(pc.field(t->object));
        if (!cc.ops->equals(cc.field(s->object), v)) undo.set(s, r->fk_cols[k], v);
      }
    } else if (oc->modified_ || (t && t->has(kMarkedDeleted))) {
      for (int col : r->fk_cols) {
        const ColumnInfo& cc = m.columns[std::size_t(col)];
        if (cc.ops->equals(cc.field(s->object), Value{})) continue;
        if (!cc.nullable)
          throw InvalidRequestError(
              "Dependency rule tried to set " + m.table_name + "." + cc.name + " of " +
              describe(s) + " to NULL, but the column is NOT NULL (its parent through '" +
              r->name + "' was removed or deleted); give the parent's relationship "
              "cascade::remove or cascade::delete_orphan, or delete the child first");
        undo.set(s, col, Value{});
      }
    }
  }
}

const std::string& insert_sql(const Mapper& m, const Dialect& d, std::uint64_t mask) {
  SqlCache& c = m.sql(d);
  auto it = c.inserts.find(mask);
  if (it != c.inserts.end()) return it->second;
  std::string sql = "INSERT INTO ";
  d.append_identifier(sql, m.table_name);
  std::string values;
  std::size_t n = 0;
  for (std::size_t i = 0; i < m.columns.size(); ++i) {
    if (!(mask & (std::uint64_t(1) << i))) continue;
    sql += n ? ", " : " (";
    values += n ? ", " : "";
    d.append_identifier(sql, m.columns[i].name);
    d.append_placeholder(values, ++n);
  }
  if (n) {
    sql += ") VALUES (" + values + ")";
  } else {
    sql += " DEFAULT VALUES";
  }
  if (m.autoinc >= 0 && !(mask & (std::uint64_t(1) << m.autoinc))) {
    if (!d.supports_returning())
      throw InvalidRequestError("retort: the " + std::string(d.name()) +
                                " dialect has no RETURNING; generated keys need it");
    sql += " RETURNING ";
    d.append_identifier(sql, m.columns[std::size_t(m.autoinc)].name);
  }
  return c.inserts.emplace(mask, std::move(sql)).first->second;
}

const std::string& update_sql(const Mapper& m, const Dialect& d, std::uint64_t mask) {
  SqlCache& c = m.sql(d);
  auto it = c.updates.find(mask);
  if (it != c.updates.end()) return it->second;
  std::string sql = "UPDATE ";
  d.append_identifier(sql, m.table_name);
  std::size_t n = 0;
  for (std::size_t i = 0; i < m.columns.size(); ++i) {
    if (!(mask & (std::uint64_t(1) << i))) continue;
    sql += n ? ", " : " SET ";
    d.append_identifier(sql, m.columns[i].name);
    sql += " = ";
    d.append_placeholder(sql, ++n);
  }
  for (std::size_t k = 0; k < m.pk.size(); ++k) {
    sql += k ? " AND " : " WHERE ";
    d.append_identifier(sql, m.columns[std::size_t(m.pk[k])].name);
    sql += " = ";
    d.append_placeholder(sql, ++n);
  }
  return c.updates.emplace(mask, std::move(sql)).first->second;
}

}  // namespace

void insert_objects(SessionImpl& S, const Mapper& m, const std::vector<InstanceState*>& objs,
                    UndoLog& undo) {
  Connection& conn = S.connection();
  const Dialect& d = conn.dialect();
  const std::uint64_t all = m.columns.size() == 64 ? ~std::uint64_t(0)
                                                   : (std::uint64_t(1) << m.columns.size()) - 1;
  std::vector<std::vector<Value>> batch;
  std::uint64_t batch_mask = 0;
  auto run_batch = [&] {
    if (batch.empty()) return;
    conn.execute_many(insert_sql(m, d, batch_mask), batch);
    batch.clear();
  };
  std::vector<Value> params;
  for (InstanceState* s : objs) {
    sync_foreign_keys(S, s, undo);
    std::uint64_t mask = all;
    bool generated = false;
    if (m.autoinc >= 0) {
      const ColumnInfo& ac = m.columns[std::size_t(m.autoinc)];
      if (ac.ops->is_unset(ac.field(s->object))) {
        mask &= ~(std::uint64_t(1) << m.autoinc);
        generated = true;
      }
    }
    params.clear();
    for (std::size_t i = 0; i < m.columns.size(); ++i)
      if (mask & (std::uint64_t(1) << i))
        params.push_back(m.columns[i].ops->get(m.columns[i].field(s->object)));
    if (!generated) {
      if (!batch.empty() && batch_mask != mask) run_batch();
      batch_mask = mask;
      batch.push_back(params);
      continue;
    }
    run_batch();
    Result r = conn.execute(insert_sql(m, d, mask), std::span<const Value>(params));
    if (!r.next()) throw InvalidRequestError("retort: INSERT ... RETURNING returned no row");
    const ColumnInfo& ac = m.columns[std::size_t(m.autoinc)];
    void* f = ac.field(s->object);
    undo.entries.push_back({s, m.autoinc, ac.ops->get(f)});
    ac.ops->read(r.statement(), 0, f);
  }
  run_batch();
}

std::vector<InstanceState*> update_objects(SessionImpl& S, const Mapper& m,
                                           const std::vector<InstanceState*>& objs, UndoLog& undo) {
  std::vector<InstanceState*> changed;
  Connection* conn = nullptr;
  std::vector<Value> params;
  for (InstanceState* s : objs) {
    sync_foreign_keys(S, s, undo);
    std::uint64_t mask = 0;
    for (std::size_t i = 0; i < m.columns.size(); ++i)
      if (!m.columns[i].ops->equals(m.columns[i].field(s->object), s->snapshot[i]))
        mask |= std::uint64_t(1) << i;
    if (!mask) continue;
    if (!conn) conn = &S.connection();
    params.clear();
    for (std::size_t i = 0; i < m.columns.size(); ++i)
      if (mask & (std::uint64_t(1) << i))
        params.push_back(m.columns[i].ops->get(m.columns[i].field(s->object)));
    for (int p : m.pk) params.push_back(s->snapshot[std::size_t(p)]);
    conn->execute(update_sql(m, conn->dialect(), mask), std::span<const Value>(params));
    changed.push_back(s);
  }
  return changed;
}

void delete_objects(SessionImpl& S, const Mapper& m, const std::vector<InstanceState*>& objs) {
  if (objs.empty()) return;
  Connection& conn = S.connection();
  std::vector<std::vector<Value>> rows;
  rows.reserve(objs.size());
  for (InstanceState* s : objs) rows.push_back(identity_of(s).values());
  conn.execute_many(m.sql(conn.dialect()).delete_by_pk, rows);
}

}  // namespace retort::orm::detail
