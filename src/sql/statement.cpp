// Statement handles: copy on write, the compile cache, and the builders of
// select.hpp, insert.hpp, update.hpp, delete.hpp, cte.hpp, text.hpp.
#include <algorithm>

#include "retort/error.hpp"
#include "retort/sql/column.hpp"
#include "retort/sql/cte.hpp"
#include "retort/sql/delete.hpp"
#include "retort/sql/insert.hpp"
#include "retort/sql/select.hpp"
#include "retort/sql/text.hpp"
#include "retort/sql/update.hpp"
#include "sql/ast.hpp"

namespace retort::sql {

// ---- Statement ---------------------------------------------------------------------------------

Statement::Statement(std::shared_ptr<detail::StatementData> data)
    : data_(std::move(data)), cache_(std::make_shared<detail::CompileCache>()) {}

detail::StatementData& Statement::mutable_data() {
  if (data_.use_count() > 1) data_ = data_->clone();
  cache_ = std::make_shared<detail::CompileCache>();
  return *data_;
}

namespace {
const detail::CompiledEntry& cached_entry(detail::CompileCache& cache, const detail::StatementData& data,
                                          const Dialect& dialect) {
  std::lock_guard lock(cache.mutex);
  for (auto& [d, c] : cache.entries) {
    if (d == &dialect) return *c;
  }
  auto e = std::make_unique<detail::CompiledEntry>();
  e->compiled = detail::compile_statement(data, dialect, &e->names);
  cache.entries.emplace_back(&dialect, std::move(e));
  return *cache.entries.back().second;
}
}  // namespace

const CompiledSql& Statement::compile(const Dialect& dialect) const {
  return cached_entry(*cache_, *data_, dialect).compiled;
}

std::vector<Value> Statement::bind(const Dialect& dialect, std::span<const Binding> values) const {
  const auto& e = cached_entry(*cache_, *data_, dialect);
  std::vector<Value> params = e.compiled.params;
  std::vector<bool> used(values.size(), false);
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (e.names[i].empty()) continue;
    bool found = false;
    for (std::size_t k = 0; k < values.size(); ++k) {
      if (values[k].first == e.names[i]) {
        params[i] = values[k].second;
        used[k] = found = true;
        break;
      }
    }
    if (!found) throw ArgumentError("no value given for bindparam \"" + e.names[i] + "\"");
  }
  for (std::size_t k = 0; k < values.size(); ++k) {
    if (!used[k]) throw ArgumentError("the statement has no bindparam \"" + std::string(values[k].first) + "\"");
  }
  return params;
}

std::string to_string(const Statement& stmt, const Dialect& dialect) { return stmt.compile(dialect).sql; }

namespace detail {
std::shared_ptr<StatementData> clone_data(const std::shared_ptr<const StatementData>& d) { return d->clone(); }

std::shared_ptr<StatementData> with_returning(const std::shared_ptr<const StatementData>& stmt,
                                              std::vector<NodePtr> columns) {
  auto d = stmt->clone();
  d->returning = std::move(columns);
  return d;
}
}  // namespace detail

// ---- Select ------------------------------------------------------------------------------------

namespace {
detail::SelectData& sel(detail::StatementData& d) { return static_cast<detail::SelectData&>(d); }
const detail::SelectData& sel_of(const detail::StatementData& d) { return static_cast<const detail::SelectData&>(d); }
}  // namespace

SelectBase::SelectBase(std::vector<detail::NodePtr> columns)
    : Statement([&] {
        auto d = std::make_shared<detail::SelectData>();
        d->columns = std::move(columns);
        return d;
      }()) {}

void SelectBase::add_where(detail::NodePtr cond) { sel(mutable_data()).where.push_back(std::move(cond)); }
void SelectBase::add_having(detail::NodePtr cond) { sel(mutable_data()).having.push_back(std::move(cond)); }
void SelectBase::add_from(detail::NodePtr item) { sel(mutable_data()).from.push_back(std::move(item)); }
void SelectBase::add_join(detail::NodePtr item, detail::NodePtr on, bool outer) {
  sel(mutable_data()).joins.push_back({std::move(item), std::move(on), outer});
}
void SelectBase::add_group_by(detail::NodePtr e) { sel(mutable_data()).group_by.push_back(std::move(e)); }
void SelectBase::add_order_by(detail::NodePtr o) { sel(mutable_data()).order_by.push_back(std::move(o)); }
void SelectBase::set_limit(std::int64_t n) {
  if (n < 0) throw ArgumentError("limit() takes a non-negative row count");
  sel(mutable_data()).limit = n;
}
void SelectBase::set_offset(std::int64_t n) {
  if (n < 0) throw ArgumentError("offset() takes a non-negative row count");
  sel(mutable_data()).offset = n;
}
void SelectBase::set_distinct() { sel(mutable_data()).distinct = true; }
void SelectBase::add_cte(const Cte& cte) {
  auto& ctes = mutable_data().ctes;
  if (std::find(ctes.begin(), ctes.end(), cte.data()) == ctes.end()) ctes.push_back(cte.data());
}

std::shared_ptr<detail::StatementData> SelectBase::compound(const char* op, const SelectBase& a,
                                                            const SelectBase& b) {
  auto d = std::make_shared<detail::SelectData>();
  auto add = [&](const std::shared_ptr<const detail::StatementData>& part) {
    const auto& s = static_cast<const detail::SelectData&>(*part);
    // A compound without its own ORDER BY/LIMIT/WITH is flattened: a UNION b UNION c.
    if (!s.parts.empty() && s.order_by.empty() && s.limit < 0 && s.offset < 0 && s.ctes.empty()) {
      for (std::size_t i = 0; i < s.parts.size(); ++i) {
        if (i > 0) d->ops.push_back(s.ops[i - 1]);
        d->parts.push_back(s.parts[i]);
      }
    } else {
      d->parts.push_back(part);
    }
  };
  add(a.data());
  d->ops.push_back(op);
  add(b.data());
  return d;
}

bool SelectBase::is_compound() const { return !sel_of(const_data()).parts.empty(); }

bool SelectBase::is_limited() const {
  const auto& s = sel_of(const_data());
  return s.limit >= 0 || s.offset >= 0;
}

bool SelectBase::joins_table(std::string_view table) const {
  for (const auto& j : sel_of(const_data()).joins)
    if (detail::node_name(j.item) == table && detail::node_alias(j.item).empty()) return true;
  return false;
}

std::shared_ptr<detail::StatementData> SelectBase::extended(const Extension& ext) const {
  if (is_compound()) throw ArgumentError("a UNION / INTERSECT / EXCEPT cannot be extended with columns or joins");
  auto copy = const_data().clone();
  auto& s = sel(*copy);
  s.columns.insert(s.columns.end(), ext.columns.begin(), ext.columns.end());
  for (const auto& j : ext.joins) s.joins.push_back({j.item, j.on, j.outer});
  s.order_by.insert(s.order_by.end(), ext.order_by.begin(), ext.order_by.end());
  return copy;
}

detail::NodePtr SelectBase::scalar_node(TypeKind type) const { return detail::make_scalar_select(data(), type); }

TableRef SelectBase::subquery(std::string_view alias) const {
  if (alias.empty()) throw ArgumentError("subquery() needs an alias");
  return TableRef(detail::make_subquery_alias(data(), alias));
}

// ---- CTE ---------------------------------------------------------------------------------------

namespace {
std::shared_ptr<detail::CteData> new_cte(std::string_view name, std::vector<std::string> columns, bool recursive) {
  auto d = std::make_shared<detail::CteData>();
  d->name = name;
  d->columns = std::move(columns);
  d->recursive = recursive;
  return d;
}
}  // namespace

Cte::Cte(std::string_view name, std::vector<std::string> columns, bool recursive)
    : Cte(new_cte(name, std::move(columns), recursive)) {}

Cte::Cte(std::shared_ptr<detail::CteData> data) : TableRef(detail::make_cte_ref(data)), data_(std::move(data)) {}

Cte& Cte::define(const SelectBase& query) {
  data_->query = query.data();
  return *this;
}

Cte cte(std::string_view name, const SelectBase& query) {
  Cte c(name);
  c.define(query);
  return c;
}

Cte recursive_cte(std::string_view name, std::vector<std::string> columns) {
  return Cte(name, std::move(columns), true);
}

// ---- Insert ------------------------------------------------------------------------------------

namespace {
detail::InsertData& ins(detail::StatementData& d) { return static_cast<detail::InsertData&>(d); }
}  // namespace

InsertBase::InsertBase(const TableRef& table)
    : Statement([&] {
        auto d = std::make_shared<detail::InsertData>();
        d->table = table.node();
        return d;
      }()) {}

void InsertBase::add_set(Assignment a) {
  auto& d = ins(mutable_data());
  d.columns.push_back(std::move(a.column));
  if (d.rows.empty()) d.rows.emplace_back();
  d.rows[0].push_back(std::move(a.value));
}
void InsertBase::set_columns(std::vector<detail::NodePtr> cols) { ins(mutable_data()).columns = std::move(cols); }
void InsertBase::add_row(std::vector<detail::NodePtr> values) { ins(mutable_data()).rows.push_back(std::move(values)); }
void InsertBase::set_from_select(std::shared_ptr<const detail::StatementData> select) {
  ins(mutable_data()).from_select = std::move(select);
}
void InsertBase::set_conflict(std::vector<detail::NodePtr> target, std::vector<Assignment> sets, bool do_update) {
  auto& d = ins(mutable_data());
  d.has_conflict = true;
  d.conflict_update = do_update;
  d.conflict_target = std::move(target);
  d.conflict_sets.clear();
  for (auto& s : sets) d.conflict_sets.push_back({std::move(s.column), std::move(s.value)});
}
std::size_t InsertBase::column_count() const {
  return static_cast<const detail::InsertData&>(const_data()).columns.size();
}

namespace detail {
const std::string& insert_template_sql(const Statement& insert, const Dialect& dialect) {
  // The template is a distinct statement (placeholders only), cached in a
  // per-thread map keyed by the insert's data so that repeated execute_many()
  // calls with the same Insert object compile once.
  auto d = std::static_pointer_cast<const InsertData>(insert.data());
  if (!d->rows.empty() || d->from_select) {
    throw ArgumentError("execute_many() takes an insert with columns(...) and no values()/from_select()");
  }
  if (d->columns.empty()) throw ArgumentError("execute_many() needs insert(...).columns(...)");
  thread_local std::vector<std::pair<std::weak_ptr<const StatementData>, std::pair<const Dialect*, std::string>>> cache;
  for (auto it = cache.begin(); it != cache.end();) {
    if (it->first.expired()) {
      it = cache.erase(it);
    } else {
      if (it->first.lock() == insert.data() && it->second.first == &dialect) return it->second.second;
      ++it;
    }
  }
  auto t = std::make_shared<InsertData>(*d);
  t->template_mode = true;
  cache.push_back({insert.data(), {&dialect, compile_statement(*t, dialect).sql}});
  return cache.back().second.second;
}
}  // namespace detail

// ---- Update / Delete ---------------------------------------------------------------------------

Update::Update(const TableRef& table)
    : Statement([&] {
        auto d = std::make_shared<detail::UpdateData>();
        d->table = table.node();
        return d;
      }()) {}
void Update::add_set(Assignment a) {
  static_cast<detail::UpdateData&>(mutable_data()).sets.push_back({std::move(a.column), std::move(a.value)});
}
void Update::add_where(detail::NodePtr cond) {
  static_cast<detail::UpdateData&>(mutable_data()).where.push_back(std::move(cond));
}

Delete::Delete(const TableRef& table)
    : Statement([&] {
        auto d = std::make_shared<detail::DeleteData>();
        d->table = table.node();
        return d;
      }()) {}
void Delete::add_where(detail::NodePtr cond) {
  static_cast<detail::DeleteData&>(mutable_data()).where.push_back(std::move(cond));
}

// ---- Text --------------------------------------------------------------------------------------

Text::Text(std::string_view sql)
    : Statement([&] {
        auto d = std::make_shared<detail::TextData>();
        d->sql = sql;
        return d;
      }()) {}

void Text::bind_value(std::string_view name, Value v) {
  auto& d = static_cast<detail::TextData&>(mutable_data());
  for (auto& [n, value] : d.binds) {
    if (n == name) {
      value = std::move(v);
      return;
    }
  }
  d.binds.emplace_back(std::string(name), std::move(v));
}

std::shared_ptr<detail::StatementData> Text::copy() const { return const_data().clone(); }

// ---- schema bridge -----------------------------------------------------------------------------

namespace detail {
namespace {
bool kind_reads_into(TypeKind column, TypeKind cpp) {
  auto integer = [](TypeKind k) {
    return k == TypeKind::SmallInteger || k == TypeKind::Integer || k == TypeKind::BigInteger;
  };
  auto text = [](TypeKind k) { return k == TypeKind::String || k == TypeKind::Text; };
  if (integer(column)) return integer(cpp);
  if (text(column)) return text(cpp);
  return column == cpp;
}
}  // namespace

void check_schema_column(const retort::Table& table, std::string_view name, TypeKind kind, bool nullable_ok,
                         const char* cpp_type) {
  const retort::Column& c = table.column(name);
  if (!kind_reads_into(c.type().kind, kind)) {
    throw ArgumentError("column " + table.name() + "." + std::string(name) + " does not read into " + cpp_type +
                        " (its SQL type differs)");
  }
  if (c.is_nullable() && !nullable_ok) {
    throw ArgumentError("column " + table.name() + "." + std::string(name) +
                        " is nullable: use std::optional<T> for it");
  }
}
}  // namespace detail

}  // namespace retort::sql
