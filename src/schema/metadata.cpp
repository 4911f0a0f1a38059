// MetaData: table registry, dependency order, create_all / drop_all.
#include <algorithm>
#include <map>

#include "retort/engine.hpp"
#include "retort/error.hpp"
#include "retort/schema.hpp"

namespace retort {

Table& MetaData::add_table(std::string name) { return add_table(Table(std::move(name))); }

Table& MetaData::add_table(Table table) {
  if (find(table.name())) throw ArgumentError("MetaData already has a table named '" + table.name() + "'");
  tables_.push_back(std::move(table));
  return tables_.back();
}

const Table* MetaData::find(std::string_view name) const {
  for (const auto& t : tables_)
    if (t.name() == name) return &t;
  return nullptr;
}

std::vector<const Table*> MetaData::sorted_tables() const {
  // Depth-first topological sort; ties keep declaration order so the DDL is
  // stable. References to tables outside this MetaData are ignored.
  std::vector<const Table*> out;
  std::map<const Table*, int> state;  // 0 new, 1 visiting, 2 done
  auto visit = [&](auto&& self, const Table* t) -> void {
    int& s = state[t];
    if (s == 2) return;
    if (s == 1) throw ArgumentError("foreign keys form a cycle through table '" + t->name() +
                                    "'; break it with a nullable key added after creation");
    s = 1;
    for (const auto& fk : t->foreign_keys()) {
      if (fk.ref_table == t->name()) continue;  // self-reference
      if (const Table* dep = find(fk.ref_table)) self(self, dep);
    }
    state[t] = 2;
    out.push_back(t);
  };
  for (const auto& t : tables_) visit(visit, &t);
  return out;
}

bool has_table(Connection& conn, std::string_view table) {
  auto r = conn.execute(conn.dialect().has_table_sql(), {Value(std::string(table))});
  return r.next();
}

void MetaData::create_all(Connection& conn, bool checkfirst) const {
  auto tx = conn.begin();
  for (const Table* t : sorted_tables()) {
    if (checkfirst && has_table(conn, t->name())) continue;
    for (const auto& sql : create_table_ddl(*t, conn.dialect())) conn.execute_script(sql);
  }
  tx.commit();
}

void MetaData::drop_all(Connection& conn, bool checkfirst) const {
  auto tables = sorted_tables();
  auto tx = conn.begin();
  for (auto it = tables.rbegin(); it != tables.rend(); ++it) {
    if (checkfirst && !has_table(conn, (*it)->name())) continue;
    conn.execute_script(drop_table_ddl(**it, conn.dialect()));
  }
  tx.commit();
}

void MetaData::create_all(const Engine& engine, bool checkfirst) const {
  auto conn = engine.connect();
  create_all(conn, checkfirst);
}

void MetaData::drop_all(const Engine& engine, bool checkfirst) const {
  auto conn = engine.connect();
  drop_all(conn, checkfirst);
}

}  // namespace retort
