// retort/sql/returning.hpp — INSERT/UPDATE/DELETE ... RETURNING, typed.
//
// Returning<Ts...> is what dml.returning(e1, e2, ...) gives: the statement
// plus the types of the returned columns, executed like a Select<Ts...>.
// Compiling it on a dialect without RETURNING throws ArgumentError (SQLite has
// it since 3.35, PostgreSQL always).
#pragma once

#include <tuple>
#include <vector>

#include "retort/sql/expression.hpp"
#include "retort/sql/statement.hpp"

namespace retort::sql {

namespace detail {
/// A copy of `stmt`'s data with RETURNING `columns`.
std::shared_ptr<StatementData> with_returning(const std::shared_ptr<const StatementData>& stmt,
                                              std::vector<NodePtr> columns);
}  // namespace detail

template <SqlValue... Ts>
class Returning : public Statement {
 public:
  using row_types = std::tuple<Ts...>;
  explicit Returning(std::shared_ptr<detail::StatementData> data) : Statement(std::move(data)) {}
};

namespace detail {
template <class... Es>
auto make_returning(const Statement& stmt, const Es&... es) {
  static_assert(sizeof...(Es) > 0, "retort::sql: returning() needs at least one column or expression");
  static_assert((is_expr_v<Es> && ...), "retort::sql: returning() takes columns and expressions");
  return Returning<typename Es::value_type...>(with_returning(stmt.data(), {es.node()...}));
}
}  // namespace detail

/// One `column = value` of an INSERT, UPDATE SET or ON CONFLICT DO UPDATE SET.
struct Assignment {
  detail::NodePtr column;
  detail::NodePtr value;
};

#define RETORT_SQL_MSG_ASSIGN \
  "retort::sql: the value assigned to a column must have a compatible type (and a NOT NULL column takes no std::nullopt)"

template <class C, class V>
constexpr void check_assignable() {
  using T = typename C::value_type;
  if constexpr (category_of<V>() == Category::Null) {
    static_assert(nullable_v<T>, RETORT_SQL_MSG_ASSIGN);
  } else {
    static_assert(comparable_v<T, detail::sql_type_t<V>>, RETORT_SQL_MSG_ASSIGN);
  }
}

/// column = value (a plain value binds as a parameter; an expression is used as is).
template <class C, class V>
Assignment assign(const C& column, const V& value) {
  static_assert(detail::is_expr_v<C>, "retort::sql: assign() takes a column first");
  check_assignable<C, V>();
  return Assignment{column.node(), C::operand(value)};
}

}  // namespace retort::sql
