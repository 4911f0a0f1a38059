// retort/sql/select.hpp — SELECT statements, typed by their select list.
//
//   auto q = sql::select(u.id, u.name).where(u.name.like("A%")).order_by(u.id.desc());
//   for (auto [id, name] : sql::execute(conn, q)) ...      // Rows of (int64_t, std::string)
//
// Select<Ts...> carries the C++ types of its columns; execute() yields rows of
// std::tuple<Ts...> (a single-column select yields plain Ts). The FROM clause
// is inferred from the tables of the selected columns unless select_from() or
// join() give it; tables that only appear in where() are not added, which is
// what makes a subquery correlated with its enclosing query.
//
// where() and having() may be called several times: the conditions are ANDed.
// A UNION (union_, union_all, intersect, except_) is itself a Select; it
// takes order_by/limit/offset but not where (wrap it in subquery()).
#pragma once

#include <cstdint>
#include <string_view>
#include <tuple>
#include <vector>

#include "retort/sql/expression.hpp"
#include "retort/sql/statement.hpp"
#include "retort/sql/table.hpp"

namespace retort::sql {

class Cte;

/// The untyped part of Select: builders compiled once in src/sql.
class SelectBase : public Statement {
 public:
  /// This select as a FROM item: (SELECT ...) AS alias. Columns of it are made
  /// with sql::column<T>(sub, "name").
  TableRef subquery(std::string_view alias) const;

  // ---- For code that extends a select it did not build (the ORM's loaders) ----
  /// A UNION / INTERSECT / EXCEPT: no joins or columns can be added to it.
  bool is_compound() const;
  /// limit() or offset() was given.
  bool is_limited() const;
  /// A JOIN of this select names the (unaliased) table `table`.
  bool joins_table(std::string_view table) const;
  /// What extended() adds.
  struct Extension {
    struct Join {
      detail::NodePtr item, on;
      bool outer = true;
    };
    std::vector<detail::NodePtr> columns;  ///< after the typed ones: read them by index
    std::vector<Join> joins;
    std::vector<detail::NodePtr> order_by;  ///< after this select's own
  };
  /// The statement of a copy of this select with `ext` added; wrap it in a
  /// Select<...> whose types cover the original columns (the typed row does
  /// not include the extra ones). REQUIRES: !is_compound().
  std::shared_ptr<detail::StatementData> extended(const Extension& ext) const;

 protected:
  explicit SelectBase(std::vector<detail::NodePtr> columns);
  explicit SelectBase(std::shared_ptr<detail::StatementData> data) : Statement(std::move(data)) {}
  void add_where(detail::NodePtr cond);
  void add_having(detail::NodePtr cond);
  void add_from(detail::NodePtr item);
  void add_join(detail::NodePtr item, detail::NodePtr on, bool outer);
  void add_group_by(detail::NodePtr e);
  void add_order_by(detail::NodePtr o);
  void set_limit(std::int64_t n);
  void set_offset(std::int64_t n);
  void set_distinct();
  void add_cte(const Cte& cte);
  /// a OP b, OP one of "UNION", "UNION ALL", "INTERSECT", "EXCEPT".
  static std::shared_ptr<detail::StatementData> compound(const char* op, const SelectBase& a,
                                                         const SelectBase& b);
  detail::NodePtr scalar_node(TypeKind type) const;

  template <class X>
  static detail::NodePtr order_node(const X& x) {
    if constexpr (std::is_same_v<X, Ordering>) {
      return x.node();
    } else {
      static_assert(detail::is_expr_v<X>, "retort::sql: order_by() takes expressions or e.asc()/e.desc()");
      return x.node();
    }
  }
};

#define RETORT_SQL_MSG_CONDITION "retort::sql: where(), having() and join(..., on) take a condition (a boolean expression)"

template <SqlValue... Ts>
class Select : public SelectBase {
 public:
  using row_types = std::tuple<Ts...>;
  explicit Select(std::vector<detail::NodePtr> columns) : SelectBase(std::move(columns)) {}
  explicit Select(std::shared_ptr<detail::StatementData> data) : SelectBase(std::move(data)) {}

  /// WHERE cond (ANDed with earlier where() conditions).
  template <class C>
  [[nodiscard]] Select where(const C& cond) const {
    static_assert(std::is_same_v<base_t<detail::sql_type_t<C>>, bool>, RETORT_SQL_MSG_CONDITION);
    Select s(*this);
    s.add_where(cond.node());
    return s;
  }
  /// Adds a FROM item explicitly.
  [[nodiscard]] Select select_from(const TableRef& t) const {
    Select s(*this);
    s.add_from(t.node());
    return s;
  }
  /// [INNER] JOIN t ON on, appended after the first FROM item.
  template <class C>
  [[nodiscard]] Select join(const TableRef& t, const C& on) const {
    static_assert(std::is_same_v<base_t<detail::sql_type_t<C>>, bool>, RETORT_SQL_MSG_CONDITION);
    Select s(*this);
    s.add_join(t.node(), on.node(), false);
    return s;
  }
  /// LEFT OUTER JOIN t ON on.
  template <class C>
  [[nodiscard]] Select outerjoin(const TableRef& t, const C& on) const {
    static_assert(std::is_same_v<base_t<detail::sql_type_t<C>>, bool>, RETORT_SQL_MSG_CONDITION);
    Select s(*this);
    s.add_join(t.node(), on.node(), true);
    return s;
  }
  template <class... Es>
  [[nodiscard]] Select group_by(const Es&... es) const {
    static_assert((detail::is_expr_v<Es> && ...), "retort::sql: group_by() takes expressions");
    Select s(*this);
    (s.add_group_by(es.node()), ...);
    return s;
  }
  template <class C>
  [[nodiscard]] Select having(const C& cond) const {
    static_assert(std::is_same_v<base_t<detail::sql_type_t<C>>, bool>, RETORT_SQL_MSG_CONDITION);
    Select s(*this);
    s.add_having(cond.node());
    return s;
  }
  /// ORDER BY items: expressions (ascending) or e.asc() / e.desc() [.nulls_first()].
  template <class... Os>
  [[nodiscard]] Select order_by(const Os&... os) const {
    Select s(*this);
    (s.add_order_by(order_node(os)), ...);
    return s;
  }
  [[nodiscard]] Select limit(std::int64_t n) const {
    Select s(*this);
    s.set_limit(n);
    return s;
  }
  [[nodiscard]] Select offset(std::int64_t n) const {
    Select s(*this);
    s.set_offset(n);
    return s;
  }
  [[nodiscard]] Select distinct() const {
    Select s(*this);
    s.set_distinct();
    return s;
  }
  /// WITH [RECURSIVE] cte, ...: the CTEs this select uses.
  template <class... Cs>
  [[nodiscard]] Select with(const Cs&... ctes) const {
    Select s(*this);
    (s.add_cte(ctes), ...);
    return s;
  }

  /// (SELECT ...) as a value: a scalar subquery. REQUIRES: one column.
  auto as_scalar() const {
    static_assert(sizeof...(Ts) == 1, "retort::sql: as_scalar() needs a select of exactly one column");
    using T = std::tuple_element_t<0, row_types>;
    return Expr<T>(scalar_node(type_kind_of<T>()));
  }

  template <SqlValue... Us>
  [[nodiscard]] Select union_(const Select<Us...>& other) const {
    return combine("UNION", other);
  }
  template <SqlValue... Us>
  [[nodiscard]] Select union_all(const Select<Us...>& other) const {
    return combine("UNION ALL", other);
  }
  template <SqlValue... Us>
  [[nodiscard]] Select intersect(const Select<Us...>& other) const {
    return combine("INTERSECT", other);
  }
  template <SqlValue... Us>
  [[nodiscard]] Select except_(const Select<Us...>& other) const {
    return combine("EXCEPT", other);
  }

 private:
  template <SqlValue... Us>
  Select combine(const char* op, const Select<Us...>& other) const {
    static_assert(sizeof...(Us) == sizeof...(Ts) && (comparable_v<Ts, Us> && ...),
                  "retort::sql: the selects of a UNION/INTERSECT/EXCEPT must have the same column types");
    return Select(compound(op, *this, other));
  }
};

/// SELECT e1, e2, ...: columns or expressions.
template <class... Es>
auto select(const Es&... es) {
  static_assert(sizeof...(Es) > 0, "retort::sql: select() needs at least one column or expression");
  static_assert((detail::is_expr_v<Es> && ...),
                "retort::sql: select() takes columns and expressions (wrap plain values in sql::literal())");
  return Select<typename Es::value_type...>(std::vector<detail::NodePtr>{es.node()...});
}

/// Free forms of the set operations: union_(a, b), union_all(a, b).
template <SqlValue... Ts, SqlValue... Us>
Select<Ts...> union_(const Select<Ts...>& a, const Select<Us...>& b) {
  return a.union_(b);
}
template <SqlValue... Ts, SqlValue... Us>
Select<Ts...> union_all(const Select<Ts...>& a, const Select<Us...>& b) {
  return a.union_all(b);
}

}  // namespace retort::sql
