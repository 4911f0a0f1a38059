// retort/sql/column.hpp — typed columns of a FROM item.
//
// Column<T> is an Expr<T> that names a column. It can be declared as a member
// of a TableRef subclass (see table.hpp), built at run time from a TableRef, a
// name and a C++ type (sql::column<T>(ref, "name")), or taken from a schema
// retort::Table with a run-time check of its SQL type and nullability.
#pragma once

#include <string_view>

#include "retort/schema.hpp"
#include "retort/sql/expression.hpp"
#include "retort/sql/table.hpp"

namespace retort::sql {

template <SqlValue T>
class Column : public Expr<T> {
 public:
  /// Column `name` of `table`, of C++ type T (std::optional<T>: nullable).
  Column(const TableRef& table, std::string_view name)
      : Expr<T>(detail::make_column(table.node(), name, type_kind_of<T>())) {}
  explicit Column(detail::NodePtr n) : Expr<T>(std::move(n)) {}

  /// The column name (unquoted).
  const std::string& name() const { return detail::node_name(this->node_); }
  /// The FROM item this column belongs to (nullptr for excluded(...)).
  detail::NodePtr table_node() const { return detail::column_table(this->node_); }
};

/// Column `name` of `table` as C++ type T. No check against any schema.
template <SqlValue T>
Column<T> column(const TableRef& table, std::string_view name) {
  return Column<T>(table, name);
}

namespace detail {
/// Throws ArgumentError unless `table` has column `name` whose SQL type reads
/// into C++ types of kind `kind`, and (when `nullable_ok` is false) is NOT NULL.
void check_schema_column(const retort::Table& table, std::string_view name, TypeKind kind,
                         bool nullable_ok, const char* cpp_type);
}  // namespace detail

/// Column `name` of schema table `schema` as C++ type T, qualified by `ref`
/// (e.g. sql::table(schema) or an aliased TableRef). Throws ArgumentError when
/// the column is missing, its type does not read into T, or it is nullable and
/// T is not std::optional.
template <SqlValue T>
Column<T> column(const TableRef& ref, const retort::Table& schema, std::string_view name) {
  detail::check_schema_column(schema, name, type_kind_of<T>(), nullable_v<T>, "the requested C++ type");
  return Column<T>(ref, name);
}

/// `excluded.name` in ON CONFLICT ... DO UPDATE SET: the value proposed for
/// insertion.
template <SqlValue T>
Expr<T> excluded(const Column<T>& c) {
  return Expr<T>(detail::make_column(nullptr, c.name(), type_kind_of<T>(), "excluded"));
}

}  // namespace retort::sql
