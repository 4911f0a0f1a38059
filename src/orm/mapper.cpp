// Mapper configuration: resolves relationships and foreign keys between
// mappers, builds the schema Table and renders the per-dialect SQL used by
// the unit of work and the loaders (once per mapper and dialect).
#include <mutex>

#include "orm/internal.hpp"
#include "retort/dialect.hpp"

namespace retort {

ForeignKeyOpt foreign_key(std::string_view table_dot_column, FkAction on_delete) {
  auto dot = table_dot_column.find('.');
  if (dot == std::string_view::npos)
    throw ArgumentError("retort::foreign_key expects \"table.column\", got \"" +
                        std::string(table_dot_column) + "\"");
  ForeignKeyOpt f;
  f.table = std::string(table_dot_column.substr(0, dot));
  f.column = std::string(table_dot_column.substr(dot + 1));
  f.on_delete = on_delete;
  return f;
}

namespace orm::detail {

namespace {

std::recursive_mutex& configure_mutex() {
  static std::recursive_mutex m;
  return m;
}

// Names the target of a column's foreign key (typed references resolved here).
// passive_deletes leaves unloaded children to the database: their foreign
// key must say what happens to them.
void check_passive_deletes(const Mapper& m, const RelInfo& r, const Mapper& child) {
  for (int col : r.fk_cols) {
    const ColumnInfo& c = child.columns[std::size_t(col)];
    if (c.on_delete == FkAction::Cascade || c.on_delete == FkAction::SetNull) continue;
    throw ArgumentError("retort: relationship '" + m.table_name + "." + r.name +
                        "' has passive_deletes, which leaves unloaded children to the database, but '" +
                        child.table_name + "." + c.name +
                        "' has no ON DELETE CASCADE or SET NULL; declare it with "
                        "retort::references(..., FkAction::Cascade)");
  }
}

void resolve_fk(ColumnInfo& c) {
  if (!c.fk_mapper || !c.fk_table.empty()) return;
  const Mapper& t = c.fk_mapper();
  int i = t.column_at_offset(c.fk_offset);
  if (i < 0)
    throw ArgumentError("retort: references() names a member of table '" + t.table_name +
                        "' that its mapping does not declare as a column");
  c.fk_table = t.table_name;
  c.fk_column = t.columns[std::size_t(i)].name;
}

bool is_integer(const SqlType& t) {
  return t.kind == TypeKind::Integer || t.kind == TypeKind::BigInteger ||
         t.kind == TypeKind::SmallInteger;
}

void configure_self(Mapper& m) {
  m.pk.clear();
  for (std::size_t i = 0; i < m.columns.size(); ++i)
    if (m.columns[i].primary_key) m.pk.push_back(int(i));
  if (m.pk.empty())
    throw ArgumentError("retort: the mapping of table '" + m.table_name +
                        "' declares no primary key column; mark one with retort::primary_key");
  if (m.columns.size() > 64)
    throw ArgumentError("retort: table '" + m.table_name + "' maps more than 64 columns");
  m.autoinc = -1;
  if (m.pk.size() == 1) {
    const ColumnInfo& c = m.columns[std::size_t(m.pk[0])];
    if (is_integer(c.type) && c.autoincrement.value_or(true)) m.autoinc = m.pk[0];
  }
  for (auto& c : m.columns) resolve_fk(c);
  m.m2o_.clear();
  m.m2m_.clear();
  for (RelInfo& r : m.rels) {
    r.owner = &m;
    r.target = &r.target_fn();
    Mapper& t = const_cast<Mapper&>(*r.target);
    for (auto& c : t.columns) resolve_fk(c);
    r.back = nullptr;
    for (const RelInfo& b : t.rels)
      if (!r.viewonly && !b.viewonly && b.offset == r.back_offset) r.back = &b;
    if (r.kind == RelKind::ManyToMany) {
      configure_many_to_many(m, r);  // association.cpp
      m.m2m_.push_back(&r);
      continue;
    }
    const bool m2o = r.kind == RelKind::ManyToOne;
    const bool back_ok = r.viewonly ||  // read-only: no back side
                         (r.back && (m2o ? r.back->fk_in_target() : r.back->kind == RelKind::ManyToOne));
    if (!back_ok)
      throw ArgumentError("retort: relationship '" + m.table_name + "." + r.name +
                          "' has back_populates naming a member that the mapping of '" +
                          t.table_name + "' does not declare with " +
                          (m2o ? "one_to_many or one_to_one" : "many_to_one"));
    const Mapper& child = r.kind == RelKind::ManyToOne ? m : t;
    const Mapper& parent = r.kind == RelKind::ManyToOne ? t : m;
    r.fk_cols.clear();
    r.ref_cols.clear();
    // The parent may not be configured yet: find its key columns here.
    std::vector<int> parent_pk;
    for (std::size_t i = 0; i < parent.columns.size(); ++i)
      if (parent.columns[i].primary_key) parent_pk.push_back(int(i));
    for (int p : parent_pk) {
      const std::string& pname = parent.columns[std::size_t(p)].name;
      int found = -1;
      for (std::size_t i = 0; i < child.columns.size(); ++i) {
        const ColumnInfo& c = child.columns[i];
        if (c.fk_table == parent.table_name && c.fk_column == pname) found = int(i);
      }
      if (found < 0)
        throw ArgumentError("retort: relationship '" + m.table_name + "." + r.name +
                            "' needs a foreign key from '" + child.table_name + "' to '" +
                            parent.table_name + "." + pname +
                            "'; add retort::references(...) to a column of '" +
                            child.table_name + "'");
      r.fk_cols.push_back(found);
      r.ref_cols.push_back(p);
    }
    if (r.passive_deletes) check_passive_deletes(m, r, child);
    if (r.kind == RelKind::ManyToOne) m.m2o_.push_back(&r);
  }
  auto table = std::make_unique<Table>(m.table_name);
  for (const auto& c : m.columns) {
    Column col(c.name, c.type);
    // The builder setters modify `col` in place and return it.
    (void)std::move(col).nullable(c.nullable);
    if (c.primary_key) (void)std::move(col).primary_key();
    if (c.autoincrement) (void)std::move(col).autoincrement(*c.autoincrement);
    if (c.unique) (void)std::move(col).unique();
    if (c.index) (void)std::move(col).index();
    if (!c.fk_table.empty()) (void)std::move(col).references(c.fk_table, c.fk_column, c.on_delete);
    table->add(std::move(col));
  }
  m.table_ = std::move(table);
}

}  // namespace

void Mapper::configure() const {
  if (configured_.load(std::memory_order_acquire)) return;
  // Configuring one mapper configures every mapper reachable through its
  // relationships; they are all published together at the end.
  std::lock_guard<std::recursive_mutex> lock(configure_mutex());
  if (configured_.load(std::memory_order_relaxed) || configuring_) return;
  thread_local std::vector<const Mapper*>* round = nullptr;
  std::vector<const Mapper*> mine;
  bool outer = round == nullptr;
  if (outer) round = &mine;
  configuring_ = true;
  try {
    configure_self(const_cast<Mapper&>(*this));
    round->push_back(this);
    for (const RelInfo& r : rels) r.target->configure();
    for (const auto& c : columns)
      if (c.fk_mapper) c.fk_mapper().configure();
  } catch (...) {
    for (auto* m : *round) m->configuring_ = false;
    configuring_ = false;
    if (outer) round = nullptr;
    throw;
  }
  if (outer) {
    for (auto* m : mine) {
      m->configuring_ = false;
      m->configured_.store(true, std::memory_order_release);
    }
    round = nullptr;
  }
}

const Table& Mapper::table() const {
  configure();
  return *table_;
}

int Mapper::find_column(std::string_view name) const {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i].name == name) return int(i);
  return -1;
}

int Mapper::column_at_offset(std::size_t off) const {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i].offset == off) return int(i);
  return -1;
}

SqlCache& Mapper::sql(const Dialect& d) const {
  std::lock_guard<std::mutex> lock(sql_mutex_);
  auto& slot = sql_[&d];
  if (slot) return *slot;
  slot = std::make_unique<SqlCache>();
  SqlCache& c = *slot;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i) c.select_columns += ", ";
    d.append_identifier(c.select_columns, table_name);
    c.select_columns += '.';
    d.append_identifier(c.select_columns, columns[i].name);
  }
  std::string where;
  for (std::size_t k = 0; k < pk.size(); ++k) {
    where += k ? " AND " : " WHERE ";
    d.append_identifier(where, columns[std::size_t(pk[k])].name);
    where += " = ";
    d.append_placeholder(where, k + 1);
  }
  c.select_by_pk = "SELECT " + c.select_columns + " FROM ";
  d.append_identifier(c.select_by_pk, table_name);
  c.select_by_pk += where;
  c.delete_by_pk = "DELETE FROM ";
  d.append_identifier(c.delete_by_pk, table_name);
  c.delete_by_pk += where;
  return c;
}

}  // namespace orm::detail
}  // namespace retort

namespace retort::orm::detail {

void throw_value_mismatch(const Value& v, const char* want) {
  throw ConversionError("retort: cannot store " + to_display(v) + " in " + want);
}

}  // namespace retort::orm::detail
