// Persistence: emits the INSERT, UPDATE and DELETE statements of a flush and
// copies keys from parents into children's foreign keys (sync). Called only by
// the unit of work (unit_of_work.cpp), which decides the order.
//
// SQL is rendered once per mapper, dialect and column set (SqlCache) and run
// through the connection's prepared-statement cache: one prepared statement
// per table and column set. How inserts are batched: see insert_objects;
// updates: update_objects.
#include <algorithm>
#include <bit>
#include <functional>
#include <map>
#include <mutex>

#include "orm/internal.hpp"
#include "retort/dialect.hpp"

namespace retort::orm::detail {

void UndoLog::set(InstanceState* s, int col, const Value& v) {
  const ColumnInfo& c = s->mapper->columns[std::size_t(col)];
  void* f = c.field(s->object());
  entries.push_back({s, col, c.ops->get(f)});
  c.ops->set(f, v);
}

void UndoLog::undo() {
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    const ColumnInfo& c = it->s->mapper->columns[std::size_t(it->col)];
    try {
      c.ops->set(c.field(it->s->object()), it->old);
    } catch (...) {
    }
  }
  entries.clear();
}

void take_snapshot(InstanceState* s) {
  const Mapper& m = *s->mapper;
  for (std::size_t i = 0; i < m.columns.size(); ++i)
    m.columns[i].ops->assign(snapshot_field(s, i), m.columns[i].field(s->object()));
}

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
        Value v = pc.ops->get(pc.field(t->object()));
        if (!cc.ops->equals(cc.field(s->object()), v)) undo.set(s, r->fk_cols[k], v);
      }
    } else if (oc->modified_ || (t && t->has(kMarkedDeleted))) {
      for (int col : r->fk_cols) {
        const ColumnInfo& cc = m.columns[std::size_t(col)];
        if (cc.ops->equals(cc.field(s->object()), Value{})) continue;
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

namespace {

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

namespace {

// The statements below have a shape fixed by (mapper, dialect, kind, column
// set, row count): each text is rendered once and kept for the life of the
// program (mappers and dialects are static), so the driver's statement cache
// sees the same string every time. Thread-safe: mappers serve every Session.
enum class Shape { InsertRowsReturning, InsertRowsPlain, UpdateRows, DeleteIn };

const std::string& cached_sql(Shape shape, const Mapper& m, const Dialect& d, std::uint64_t mask,
                              std::size_t rows, const std::function<std::string()>& render) {
  struct Key {
    Shape shape;
    const Mapper* m;
    const Dialect* d;
    std::uint64_t mask;
    std::size_t rows;
    auto operator<=>(const Key&) const = default;
  };
  static std::mutex mu;
  static std::map<Key, std::string> cache;  // node-based: references stay valid
  std::lock_guard<std::mutex> lock(mu);
  auto [it, fresh] = cache.try_emplace(Key{shape, &m, &d, mask, rows});
  if (fresh) it->second = render();
  return it->second;
}

// Appends " (a, b, c)" for the columns in `mask`; returns how many.
std::size_t append_column_list(std::string& sql, const Mapper& m, const Dialect& d, std::uint64_t mask) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < m.columns.size(); ++i) {
    if (!(mask & (std::uint64_t(1) << i))) continue;
    sql += n++ ? ", " : " (";
    d.append_identifier(sql, m.columns[i].name);
  }
  if (n) sql += ')';
  return n;
}

// Appends "(?, ?), (?, ?)" for `rows` rows of `n` placeholders.
void append_value_rows(std::string& sql, const Dialect& d, std::size_t n, std::size_t rows) {
  std::size_t p = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    sql += r ? ", (" : "(";
    for (std::size_t k = 0; k < n; ++k) {
      if (k) sql += ", ";
      d.append_placeholder(sql, ++p);
    }
    sql += ')';
  }
}

// Calls run(at, rows) for consecutive chunks of n rows of `width` parameters:
// full chunks of the largest power of two within 512 rows and the dialect's
// parameter limit, then the remainder as descending powers of two (1100 rows:
// 512, 512, 64, 8, 4). Only a few row counts ever occur, so each multi-row
// statement text is rendered and prepared once.
template <class Run>
void for_each_chunk(const Dialect& d, std::size_t n, std::size_t width, Run&& run) {
  const std::size_t cap = std::min<std::size_t>(512, d.max_parameters() / std::max<std::size_t>(width, 1));
  std::size_t chunk = 1;
  while (chunk * 2 <= cap) chunk *= 2;
  std::size_t at = 0;
  for (; n - at >= chunk; at += chunk) run(at, chunk);
  for (std::size_t p = chunk / 2; p >= 1 && at < n; p /= 2) {
    if (n - at >= p) {
      run(at, p);
      at += p;
    }
  }
}

// Multi-row "INSERT ... VALUES (...), (...) RETURNING key" for PostgreSQL.
// Only a few row counts are used (a full chunk, then powers of two), so every
// text is prepared once and reused.
const std::string& insert_rows_returning_sql(const Mapper& m, const Dialect& d, std::uint64_t mask,
                                             std::size_t rows) {
  return cached_sql(Shape::InsertRowsReturning, m, d, mask, rows, [&] {
    std::string sql = "INSERT INTO ";
    d.append_identifier(sql, m.table_name);
    std::size_t n = append_column_list(sql, m, d, mask);
    sql += " VALUES ";
    append_value_rows(sql, d, n, rows);
    sql += " RETURNING ";
    d.append_identifier(sql, m.columns[std::size_t(m.autoinc)].name);
    return sql;
  });
}

// Multi-row "INSERT ... VALUES (...), (...)" without RETURNING, for SQLite:
// the keys come from sqlite3_last_insert_rowid (RETURNING makes SQLite
// allocate ~100 KB per execution). SqlCache::inserts maps a mask to the
// one-row RETURNING form.
const std::string& insert_rows_plain_sql(const Mapper& m, const Dialect& d, std::uint64_t mask,
                                         std::size_t rows) {
  return cached_sql(Shape::InsertRowsPlain, m, d, mask, rows, [&] {
    std::string sql = "INSERT INTO ";
    d.append_identifier(sql, m.table_name);
    std::size_t n = append_column_list(sql, m, d, mask);
    if (n == 0) return sql + " DEFAULT VALUES";
    sql += " VALUES ";
    append_value_rows(sql, d, n, rows);
    return sql;
  });
}

// Multi-row UPDATE by key for dialects with supports_update_from_values():
//   UPDATE t AS t SET a = v.c0, b = v.c1
//   FROM (VALUES ((NULL::t).a, (NULL::t).b, (NULL::t).id), ($1, $2, $3), ...)
//     AS v (c0, c1, k0)
//   WHERE t.id = v.k0
// A row of VALUES holds the SET columns' new values (c0, c1, ...), then the
// key the row had when loaded (k0, k1, ...), which an update may change.
// The target gets the alias t so that a table named "v" cannot clash.
// Why the first row of typed NULLs: parameters in VALUES have no type from
// their context (PostgreSQL would take them as text: "bigint = text" fails,
// and text does not assign to uuid or jsonb). VALUES types each column from
// all its rows, so this row gives every column the table's own type, whatever
// the C++ member is (a std::string over a uuid column works), and a value too
// long for a VARCHAR(n) is rejected rather than cut, as in the one-row UPDATE.
// Its NULL key matches no row.
const std::string& update_rows_sql(const Mapper& m, const Dialect& d, std::uint64_t mask,
                                   std::size_t rows) {
  return cached_sql(Shape::UpdateRows, m, d, mask, rows, [&] {
    std::vector<std::size_t> cols;
    for (std::size_t i = 0; i < m.columns.size(); ++i)
      if (mask & (std::uint64_t(1) << i)) cols.push_back(i);
    const std::size_t set = cols.size();
    for (int p : m.pk) cols.push_back(std::size_t(p));
    auto append_alias = [&](std::string& out, std::size_t j) {
      out += j < set ? 'c' : 'k';
      out += std::to_string(j < set ? j : j - set);
    };

    std::string sql = "UPDATE ";
    d.append_identifier(sql, m.table_name);
    sql += " AS t SET ";
    for (std::size_t j = 0; j < set; ++j) {
      if (j) sql += ", ";
      d.append_identifier(sql, m.columns[cols[j]].name);
      sql += " = v.";
      append_alias(sql, j);
    }
    sql += " FROM (VALUES (";
    for (std::size_t j = 0; j < cols.size(); ++j) {
      sql += j ? ", (NULL::" : "(NULL::";
      d.append_identifier(sql, m.table_name);
      sql += ").";
      d.append_identifier(sql, m.columns[cols[j]].name);
    }
    sql += "), ";
    append_value_rows(sql, d, cols.size(), rows);
    sql += ") AS v (";
    for (std::size_t j = 0; j < cols.size(); ++j) {
      if (j) sql += ", ";
      append_alias(sql, j);
    }
    sql += ')';
    for (std::size_t k = 0; k < m.pk.size(); ++k) {
      sql += k ? " AND t." : " WHERE t.";
      d.append_identifier(sql, m.columns[std::size_t(m.pk[k])].name);
      sql += " = v.";
      append_alias(sql, set + k);
    }
    return sql;
  });
}

// "DELETE FROM t WHERE pk IN (?, ..., ?)" with n placeholders.
const std::string& delete_in_sql(const Mapper& m, const Dialect& d, std::size_t n) {
  return cached_sql(Shape::DeleteIn, m, d, 0, n, [&] {
    std::string sql = "DELETE FROM ";
    d.append_identifier(sql, m.table_name);
    sql += " WHERE ";
    d.append_identifier(sql, m.columns[std::size_t(m.pk[0])].name);
    sql += " IN ";
    append_value_rows(sql, d, n, 1);
    return sql;
  });
}

bool self_referential(const Mapper& m) {
  for (const RelInfo* r : m.m2o_)
    if (r->target == &m) return true;
  for (const auto& c : m.columns)
    if (c.fk_mapper && &c.fk_mapper() == &m) return true;
  return false;
}

}  // namespace

// How rows are written (SQLAlchemy 2.0's "insertmanyvalues" does the same):
//  - keys known (set by the user): execute_many per column set (pipelined on
//    PostgreSQL; one prepared statement on SQLite);
//  - generated keys: one multi-row INSERT ... VALUES (...), (...) per run of
//    rows with the same column set, up to 512 rows (and the dialect's
//    parameter limit) per statement; a run is cut into a full chunk, then
//    powers of two, so that only a few statement texts exist, each prepared
//    once.
//      PostgreSQL: ... RETURNING key. This relies on PostgreSQL returning the
//      rows of a plain INSERT ... VALUES in VALUES order (true of its
//      executor, and relied on by Django's bulk_create too); the row count is
//      checked.
//      SQLite: no RETURNING; the keys are last_insert_rowid() - n + 1 .. last.
//      SQLite gives each new row max(rowid) + 1, so the rows of one statement
//      get consecutive keys in VALUES order. (It picks random rowids only once
//      a table holds the largest possible rowid, 2^63 - 1; keys that large are
//      not supported.)
//  - one INSERT per row when rows of the table may need keys generated in the
//    same flush (a self-referential table), or a row has no column but the
//    key (DEFAULT VALUES has no multi-row form).
// Foreign keys are synced from parents before a row is written; parents of
// other tables were inserted earlier (the unit of work orders mappers).
void insert_objects(SessionImpl& S, const Mapper& m, const std::vector<InstanceState*>& objs,
                    UndoLog& undo) {
  if (objs.empty()) return;
  Connection& conn = S.connection();
  const Dialect& d = conn.dialect();
  const std::uint64_t all = m.columns.size() == 64 ? ~std::uint64_t(0)
                                                   : (std::uint64_t(1) << m.columns.size()) - 1;
  const bool rowid = d.name() == "sqlite";
  const bool one_by_one = self_referential(m);

  // Rows with known keys.
  std::vector<std::vector<Value>> batch;
  std::uint64_t batch_mask = 0;
  auto run_batch = [&] {
    if (batch.empty()) return;
    conn.execute_many(insert_sql(m, d, batch_mask), batch);
    batch.clear();
  };
  // Rows with generated keys (PostgreSQL, multi-row): flat parameters.
  std::vector<Value> gen_params;
  std::vector<InstanceState*> gen_objs;
  std::uint64_t gen_mask = 0;
  std::size_t gen_width = 0;

  auto set_key_from = [&](InstanceState* s, const auto& write) {
    const ColumnInfo& ac = m.columns[std::size_t(m.autoinc)];
    void* f = ac.field(s->object());
    undo.entries.push_back({s, m.autoinc, ac.ops->get(f)});
    write(ac, f);
  };
  auto run_gen_chunk = [&](std::size_t at, std::size_t rows) {
    std::span<const Value> params(gen_params.data() + at * gen_width, rows * gen_width);
    if (rowid) {
      conn.execute_write(insert_rows_plain_sql(m, d, gen_mask, rows), params);
      auto last = conn.last_insert_rowid();
      if (!last) throw InvalidRequestError("retort: no rowid after INSERT");
      for (std::size_t i = 0; i < rows; ++i) {
        Value key(*last - std::int64_t(rows - 1 - i));
        set_key_from(gen_objs[at + i], [&](const ColumnInfo& ac, void* f) { ac.ops->set(f, key); });
      }
      return;
    }
    Result r = conn.execute(insert_rows_returning_sql(m, d, gen_mask, rows), params);
    for (std::size_t i = 0; i < rows; ++i) {
      if (!r.next()) throw InvalidRequestError("retort: INSERT ... RETURNING returned too few rows");
      set_key_from(gen_objs[at + i], [&](const ColumnInfo& ac, void* f) { ac.ops->read(r.statement(), 0, f); });
    }
  };
  auto run_gen = [&] {
    if (gen_objs.empty()) return;
    for_each_chunk(d, gen_objs.size(), gen_width, run_gen_chunk);
    gen_params.clear();
    gen_objs.clear();
  };

  // Usually every row takes the generated-key path: size the buffers once
  // (growing a 100k-row parameter vector moved every Value several times).
  if (m.autoinc >= 0 && !one_by_one) {
    gen_params.reserve(objs.size() * (m.columns.size() - 1));
    gen_objs.reserve(objs.size());
    undo.entries.reserve(undo.entries.size() + objs.size());
  }
  std::vector<Value> params;
  for (InstanceState* s : objs) {
    sync_foreign_keys(S, s, undo);
    std::uint64_t mask = all;
    bool generated = false;
    if (m.autoinc >= 0) {
      const ColumnInfo& ac = m.columns[std::size_t(m.autoinc)];
      if (ac.ops->is_unset(ac.field(s->object()))) {
        mask &= ~(std::uint64_t(1) << m.autoinc);
        generated = true;
      }
    }
    if (!generated) {
      run_gen();
      if (!batch.empty() && batch_mask != mask) run_batch();
      batch_mask = mask;
      auto& row = batch.emplace_back();
      row.reserve(m.columns.size());
      for (std::size_t i = 0; i < m.columns.size(); ++i)
        if (mask & (std::uint64_t(1) << i)) row.push_back(m.columns[i].ops->get(m.columns[i].field(s->object())));
      continue;
    }
    run_batch();
    const std::size_t width = static_cast<std::size_t>(std::popcount(mask));
    if (!one_by_one && width > 0) {
      if (!gen_objs.empty() && gen_mask != mask) run_gen();
      gen_mask = mask;
      gen_width = width;
      for (std::size_t i = 0; i < m.columns.size(); ++i)
        if (mask & (std::uint64_t(1) << i))
          gen_params.push_back(m.columns[i].ops->get(m.columns[i].field(s->object())));
      gen_objs.push_back(s);
      continue;
    }
    run_gen();
    params.clear();
    for (std::size_t i = 0; i < m.columns.size(); ++i)
      if (mask & (std::uint64_t(1) << i))
        params.push_back(m.columns[i].ops->get(m.columns[i].field(s->object())));
    if (rowid) {
      conn.execute_write(insert_rows_plain_sql(m, d, mask, 1), std::span<const Value>(params));
      auto id = conn.last_insert_rowid();
      if (!id) throw InvalidRequestError("retort: no rowid after INSERT");
      set_key_from(s, [&](const ColumnInfo& ac, void* f) { ac.ops->set(f, Value(*id)); });
      continue;
    }
    Result r = conn.execute(insert_sql(m, d, mask), std::span<const Value>(params));
    if (!r.next()) throw InvalidRequestError("retort: INSERT ... RETURNING returned no row");
    set_key_from(s, [&](const ColumnInfo& ac, void* f) { ac.ops->read(r.statement(), 0, f); });
  }
  run_batch();
  run_gen();
}

// Consecutive rows with the same changed-column set form a batch; each row's
// parameters are the new values, then the key from the snapshot (the row's
// key in the database, even when the update changes it).
//  - supports_update_from_values() (PostgreSQL): multi-row UPDATE ... FROM
//    (VALUES ...) statements, chunked like the multi-row INSERTs
//    (for_each_chunk); a chunk of one row uses the one-row UPDATE.
//  - otherwise (SQLite), or a batch of one row: one execute_many of the
//    one-row UPDATE (one prepared statement; pipelined on PostgreSQL).
std::vector<InstanceState*> update_objects(SessionImpl& S, const Mapper& m,
                                           const std::vector<InstanceState*>& objs, UndoLog& undo) {
  std::vector<InstanceState*> changed;
  Connection* conn = nullptr;
  bool multi_row = false;  // the connection's dialect supports_update_from_values()
  // The batch's rows: flat for the multi-row statements (no allocation per
  // row), else one vector per row for execute_many.
  std::vector<Value> flat;
  std::vector<std::vector<Value>> batch;
  std::size_t rows = 0;
  std::uint64_t batch_mask = 0;
  auto run_batch = [&] {
    if (!rows) return;
    const Dialect& d = conn->dialect();
    if (multi_row && rows > 1) {
      const std::size_t width = flat.size() / rows;
      for_each_chunk(d, rows, width, [&](std::size_t at, std::size_t n) {
        std::span<const Value> chunk(flat.data() + at * width, n * width);
        conn->execute_write(n == 1 ? update_sql(m, d, batch_mask) : update_rows_sql(m, d, batch_mask, n), chunk);
      });
    } else {
      if (multi_row) batch.push_back(std::move(flat));  // the one row
      conn->execute_many(update_sql(m, d, batch_mask), batch);
    }
    flat.clear();
    batch.clear();
    rows = 0;
  };
  for (InstanceState* s : objs) {
    sync_foreign_keys(S, s, undo);
    std::uint64_t mask = 0;
    for (std::size_t i = 0; i < m.columns.size(); ++i)
      if (!column_unchanged(s, i)) mask |= std::uint64_t(1) << i;
    if (!mask) continue;
    if (!conn) {
      conn = &S.connection();
      multi_row = conn->dialect().supports_update_from_values();
    }
    if (rows && mask != batch_mask) run_batch();
    batch_mask = mask;
    std::vector<Value>& params = multi_row ? flat : batch.emplace_back();
    if (!multi_row) params.reserve(static_cast<std::size_t>(std::popcount(mask)) + m.pk.size());
    for (std::size_t i = 0; i < m.columns.size(); ++i)
      if (mask & (std::uint64_t(1) << i))
        params.push_back(m.columns[i].ops->get(m.columns[i].field(s->object())));
    for (int p : m.pk) params.push_back(snapshot_value(s, std::size_t(p)));
    ++rows;
    changed.push_back(s);
  }
  if (conn) run_batch();
  return changed;
}

// A single-column key: DELETE ... WHERE key IN (...), up to 512 keys per
// statement. The list is padded to a power of two by repeating the last key
// (harmless in IN), so only ten statement texts ever exist per table and
// each is prepared once. Composite keys: execute_many of DELETE by key.
void delete_objects(SessionImpl& S, const Mapper& m, const std::vector<InstanceState*>& objs) {
  if (objs.empty()) return;
  Connection& conn = S.connection();
  const Dialect& d = conn.dialect();
  if (m.pk.size() != 1 || objs.size() == 1) {
    std::vector<std::vector<Value>> rows;
    rows.reserve(objs.size());
    for (InstanceState* s : objs) rows.push_back(identity_of(s).values());
    conn.execute_many(m.sql(d).delete_by_pk, rows);
    return;
  }
  const std::size_t cap = std::min<std::size_t>(512, d.max_parameters());
  std::vector<Value> keys;
  for (std::size_t at = 0; at < objs.size(); at += cap) {
    const std::size_t n = std::min(cap, objs.size() - at);
    std::size_t width = 1;
    while (width < n) width *= 2;
    keys.clear();
    keys.reserve(width);
    for (std::size_t i = 0; i < n; ++i)
      keys.push_back(snapshot_value(objs[at + i], std::size_t(m.pk[0])));
    while (keys.size() < width) keys.push_back(keys.back());
    conn.execute_write(delete_in_sql(m, d, width), std::span<const Value>(keys));
  }
}

}  // namespace retort::orm::detail
