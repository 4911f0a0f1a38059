// retort/sql/update.hpp — UPDATE statements.
//
//   sql::update(users).set(users.name, "Bob").where(users.id == 1)
//   sql::update(users).set(users.name, users.name + "!").returning(users.id, users.name)
//
// Without where() every row is updated, as in SQL.
#pragma once

#include "retort/sql/column.hpp"
#include "retort/sql/dml_clauses.hpp"
#include "retort/sql/returning.hpp"
#include "retort/sql/statement.hpp"

namespace retort::sql {

class Update : public Statement, public DmlClauses<Update> {
 public:
  explicit Update(const TableRef& table);

  /// SET column = value (ANDed where() conditions, several set() calls).
  template <SqlValue T, class V>
  [[nodiscard]] Update set(const Column<T>& column, const V& value) const {
    Update s(*this);
    s.add_set(assign(column, value));
    return s;
  }

 private:
  friend class DmlClauses<Update>;
  void add_set(Assignment a);
  void add_where(detail::NodePtr cond);
};

inline Update update(const TableRef& table) { return Update(table); }

}  // namespace retort::sql
