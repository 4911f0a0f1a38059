// retort/sql/delete.hpp — DELETE statements.
//
//   sql::delete_(users).where(users.id == 1)
//   sql::delete_(users).where(users.name.like("x%")).returning(users.id)
//
// Without where() every row is deleted, as in SQL.
#pragma once

#include "retort/sql/column.hpp"
#include "retort/sql/returning.hpp"
#include "retort/sql/statement.hpp"

namespace retort::sql {

class Delete : public Statement {
 public:
  explicit Delete(const TableRef& table);

  template <class C>
  [[nodiscard]] Delete where(const C& cond) const {
    static_assert(std::is_same_v<base_t<detail::sql_type_t<C>>, bool>,
                  "retort::sql: where() takes a condition (a boolean expression)");
    Delete s(*this);
    s.add_where(cond.node());
    return s;
  }
  template <class... Es>
  auto returning(const Es&... es) const {
    return detail::make_returning(*this, es...);
  }

 private:
  void add_where(detail::NodePtr cond);
};

/// DELETE FROM table ...
inline Delete delete_(const TableRef& table) { return Delete(table); }

}  // namespace retort::sql
