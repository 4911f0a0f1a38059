// retort/sql/table.hpp — FROM items: tables (with an optional alias),
// aliased subqueries and common table expressions.
//
// A TableRef is a cheap, copyable handle. Declare a table with typed columns
// by deriving from it:
//
//   struct Users : sql::TableRef {
//     explicit Users(std::string_view alias = {}) : TableRef("users", alias) {}
//     sql::Column<std::int64_t> id{*this, "id"};
//     sql::Column<std::string> name{*this, "name"};
//   };
//   Users u("u");   // FROM "users" AS "u"; u.id renders u.id
//
// or build one at run time: sql::TableRef("users"), sql::table(schema_table).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "retort/schema.hpp"
#include "retort/sql/node.hpp"

namespace retort::sql {

class TableRef {
 public:
  /// The table `name`, rendered `name AS alias` when an alias is given.
  explicit TableRef(std::string_view name, std::string_view alias = {})
      : node_(detail::make_table(name, alias)) {}
  /// Wraps a FROM item node (subquery alias, CTE reference).
  explicit TableRef(detail::NodePtr from_item) : node_(std::move(from_item)) {}

  /// The table (or CTE) name; for a subquery, its alias.
  const std::string& name() const { return detail::node_name(node_); }
  /// The alias, empty when none.
  const std::string& alias() const { return detail::node_alias(node_); }
  /// What columns of this item are qualified with: the alias, else the name.
  const std::string& qualifier() const { return detail::node_qualifier(node_); }
  const detail::NodePtr& node() const { return node_; }

 protected:
  detail::NodePtr node_;
};

/// A TableRef for a schema table, optionally aliased.
inline TableRef table(const retort::Table& t, std::string_view alias = {}) {
  return TableRef(t.name(), alias);
}

}  // namespace retort::sql
