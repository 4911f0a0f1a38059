// retort/sql/insert.hpp — INSERT statements.
//
//   sql::insert(users).set(users.name, "Alice")                          one row
//   sql::insert(users).columns(users.id, users.name).values(1, "A").values(2, "B")   many rows
//   sql::insert(archive).columns(archive.id).from_select(sql::select(users.id))
//   ... .on_conflict_do_nothing(users.id)
//   ... .on_conflict_do_update(sql::conflict_target(users.id), sql::assign(users.name, sql::excluded(users.name)))
//   ... .returning(users.id)                                             -> Returning<int64_t>
//
// columns(...) without values() is a template for execute_many() (see
// execute.hpp): one placeholder per column, bound once per row.
#pragma once

#include <tuple>
#include <vector>

#include "retort/sql/column.hpp"
#include "retort/sql/returning.hpp"
#include "retort/sql/select.hpp"
#include "retort/sql/statement.hpp"

namespace retort::sql {

/// The columns of an ON CONFLICT (...) target.
struct ConflictTarget {
  std::vector<detail::NodePtr> columns;
};
template <SqlValue... Ts>
ConflictTarget conflict_target(const Column<Ts>&... cols) {
  return ConflictTarget{{cols.node()...}};
}

class InsertBase : public Statement {
 protected:
  explicit InsertBase(const TableRef& table);
  explicit InsertBase(std::shared_ptr<detail::StatementData> d) : Statement(std::move(d)) {}
  void add_set(Assignment a);
  void set_columns(std::vector<detail::NodePtr> cols);
  void add_row(std::vector<detail::NodePtr> values);
  void set_from_select(std::shared_ptr<const detail::StatementData> select);
  void set_conflict(std::vector<detail::NodePtr> target, std::vector<Assignment> sets, bool do_update);
  std::size_t column_count() const;
};

template <SqlValue... Ts>
class Insert : public InsertBase {
 public:
  explicit Insert(const TableRef& table) : InsertBase(table) {}
  explicit Insert(std::shared_ptr<detail::StatementData> d) : InsertBase(std::move(d)) {}

  /// column = value for a one-row insert (no columns() given).
  template <SqlValue T, class V>
  [[nodiscard]] Insert set(const Column<T>& column, const V& value) const {
    static_assert(sizeof...(Ts) == 0, "retort::sql: set() and columns()/values() cannot be mixed in one insert");
    Insert s(*this);
    s.add_set(assign(column, value));
    return s;
  }
  /// The column list for values() / from_select() / execute_many().
  template <SqlValue... Us>
  [[nodiscard]] Insert<Us...> columns(const Column<Us>&... cols) const {
    static_assert(sizeof...(Ts) == 0, "retort::sql: columns() may be given once");
    Insert<Us...> s(data_copy());
    s.set_columns_public({cols.node()...});
    return s;
  }
  /// One more row of VALUES, one value per column of columns().
  template <class... Vs>
  [[nodiscard]] Insert values(const Vs&... vs) const {
    static_assert(sizeof...(Ts) > 0, "retort::sql: call columns() before values()");
    static_assert(sizeof...(Vs) == sizeof...(Ts), "retort::sql: values() needs one value per column of columns()");
    static_assert(((category_of<Vs>() == Category::Null ? nullable_v<Ts> : comparable_v<Ts, detail::sql_type_t<Vs>>) && ...),
                  RETORT_SQL_MSG_ASSIGN);
    Insert s(*this);
    s.add_row({Expr<Ts>::operand(vs)...});
    return s;
  }
  /// INSERT INTO t (columns) SELECT ...
  template <SqlValue... Us>
  [[nodiscard]] Insert from_select(const Select<Us...>& q) const {
    static_assert(sizeof...(Us) == sizeof...(Ts) && (comparable_v<Ts, Us> && ...),
                  "retort::sql: from_select() needs a select whose column types match columns()");
    Insert s(*this);
    s.set_from_select(q.data());
    return s;
  }
  /// ON CONFLICT [(cols)] DO NOTHING.
  template <SqlValue... Us>
  [[nodiscard]] Insert on_conflict_do_nothing(const Column<Us>&... target) const {
    Insert s(*this);
    s.set_conflict({target.node()...}, {}, false);
    return s;
  }
  /// ON CONFLICT (target) DO UPDATE SET assignments...
  template <class... As>
  [[nodiscard]] Insert on_conflict_do_update(const ConflictTarget& target, const As&... sets) const {
    static_assert(sizeof...(As) > 0 && (std::is_same_v<As, Assignment> && ...),
                  "retort::sql: on_conflict_do_update() takes sql::assign(column, value) arguments");
    Insert s(*this);
    s.set_conflict(target.columns, {sets...}, true);
    return s;
  }
  /// ... RETURNING e1, e2, ...
  template <class... Es>
  auto returning(const Es&... es) const {
    return detail::make_returning(*this, es...);
  }

  // Internal: used by columns() across instantiations.
  void set_columns_public(std::vector<detail::NodePtr> cols) { set_columns(std::move(cols)); }
  std::shared_ptr<detail::StatementData> data_copy() const;
};

/// INSERT INTO table ...
inline Insert<> insert(const TableRef& table) { return Insert<>(table); }

namespace detail {
std::shared_ptr<StatementData> clone_data(const std::shared_ptr<const StatementData>& d);
}
template <SqlValue... Ts>
std::shared_ptr<detail::StatementData> Insert<Ts...>::data_copy() const {
  return detail::clone_data(data());
}

}  // namespace retort::sql
