// retort/sql.hpp — the SQL expression language (umbrella header).
//
// A typed layer over an untyped, compiled expression tree (src/sql):
//
//   struct Users : sql::TableRef {                      // a table with typed columns
//     explicit Users(std::string_view alias = {}) : TableRef("users", alias) {}
//     sql::Column<std::int64_t> id{*this, "id"};
//     sql::Column<std::string> name{*this, "name"};
//   };
//   Users u;
//   auto q = sql::select(u.id, u.name).where(u.name == "Alice").order_by(u.id.desc()).limit(10);
//   for (auto [id, name] : sql::execute(conn, q)) { ... }     // typed rows
//   std::string s = sql::to_string(q, conn.dialect());        // the SQL, for debugging
//
// API for the ORM (and other generated code):
//   - sql::TableRef(name, alias)             a FROM item for a mapped table (alias optional)
//   - sql::column<T>(ref, "col")             a typed column at run time (T = member type;
//                                            std::optional<X> for nullable columns)
//   - sql::column<T>(ref, schema_table, "col")  the same, checked against a schema Table
//   - sql::select(cols...)                   Select<Ts...>; .where(cond) .join(ref, on)
//                                            .outerjoin(ref, on) .order_by(...) .limit(n)
//                                            .offset(n) are generative (return a new Select)
//   - sql::insert/update/delete_(ref) ... .returning(cols...)
//   - sql::execute(conn, stmt) -> Rows (typed) or Result; stmt.compile(dialect) -> CompiledSql
//     (cached); conn.execute(stmt) works on any statement (Executable).
//   - The ORM can decode rows itself: Rows::result().statement() is the driver statement.
//
// Safety: every value is a bound parameter; identifiers are quoted by the
// dialect. Type errors (comparing a text column with a number, reading a
// column into a wrong C++ type) are compile errors with a one-line message
// starting "retort::sql:".
#pragma once

#include "retort/sql/column.hpp"
#include "retort/sql/cte.hpp"
#include "retort/sql/delete.hpp"
#include "retort/sql/execute.hpp"
#include "retort/sql/expression.hpp"
#include "retort/sql/functions.hpp"
#include "retort/sql/insert.hpp"
#include "retort/sql/returning.hpp"
#include "retort/sql/select.hpp"
#include "retort/sql/statement.hpp"
#include "retort/sql/table.hpp"
#include "retort/sql/text.hpp"
#include "retort/sql/types.hpp"
#include "retort/sql/update.hpp"
