// retort/sql/delete.hpp — DELETE statements.
//
//   sql::delete_(users).where(users.id == 1)
//   sql::delete_(users).where(users.name.like("x%")).returning(users.id)
//
// Without where() every row is deleted, as in SQL.
#pragma once

#include "retort/sql/column.hpp"
#include "retort/sql/dml_clauses.hpp"
#include "retort/sql/returning.hpp"
#include "retort/sql/statement.hpp"

namespace retort::sql {

class Delete : public Statement, public DmlClauses<Delete> {
 public:
  explicit Delete(const TableRef& table);

 private:
  friend class DmlClauses<Delete>;
  void add_where(detail::NodePtr cond);
};

/// DELETE FROM table ...
inline Delete delete_(const TableRef& table) { return Delete(table); }

}  // namespace retort::sql
