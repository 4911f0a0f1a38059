// retort/schema.hpp — MetaData, Table, Column, constraints; DDL in dependency order.
//
// Tables are described at run time (the ORM derives them from mappings). A
// MetaData owns its tables; references to them stay valid for its lifetime.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "retort/value.hpp"

namespace retort {

class Engine;
class Connection;
class Dialect;

enum class TypeKind {
  SmallInteger, Integer, BigInteger, Float, Boolean, String, Text, Binary, Date, DateTime
};

/// An SQL column type; `length` is used by String (VARCHAR(n); 0 = unbounded).
struct SqlType {
  TypeKind kind = TypeKind::Integer;
  int length = 0;
  friend bool operator==(const SqlType&, const SqlType&) = default;
};

namespace types {
inline constexpr SqlType SmallInteger{TypeKind::SmallInteger};
inline constexpr SqlType Integer{TypeKind::Integer};
inline constexpr SqlType BigInteger{TypeKind::BigInteger};
inline constexpr SqlType Float{TypeKind::Float};
inline constexpr SqlType Boolean{TypeKind::Boolean};
inline constexpr SqlType Text{TypeKind::Text};
inline constexpr SqlType Binary{TypeKind::Binary};
inline constexpr SqlType Date{TypeKind::Date};
inline constexpr SqlType DateTime{TypeKind::DateTime};
constexpr SqlType String(int length = 0) { return {TypeKind::String, length}; }
}  // namespace types

/// Referential actions for ON DELETE / ON UPDATE.
enum class FkAction { NoAction, Restrict, Cascade, SetNull, SetDefault };

/// A foreign key, on one column or on several (composite).
struct ForeignKey {
  std::vector<std::string> columns;          ///< in the referencing table
  std::string ref_table;
  std::vector<std::string> ref_columns;      ///< in the referenced table
  FkAction on_delete = FkAction::NoAction;
  FkAction on_update = FkAction::NoAction;
  std::string name;                          ///< optional constraint name
};

class Column {
 public:
  Column(std::string name, SqlType type) : name_(std::move(name)), type_(type) {}

  // Builder setters, chainable on temporaries: Column("id", types::Integer).primary_key()
  Column&& primary_key(bool v = true) && { primary_key_ = v; if (v) nullable_ = false; return std::move(*this); }
  Column&& nullable(bool v = true) && { nullable_ = v; return std::move(*this); }
  Column&& not_null() && { nullable_ = false; return std::move(*this); }
  /// Autoincrement defaults to "auto": on for a single integer primary key.
  Column&& autoincrement(bool v) && { autoincrement_ = v; return std::move(*this); }
  Column&& unique(bool v = true) && { unique_ = v; return std::move(*this); }
  Column&& index(bool v = true) && { index_ = v; return std::move(*this); }
  /// A client-side default: bound as a parameter when an insert omits the column.
  Column&& default_value(Value v) && { default_ = std::move(v); return std::move(*this); }
  /// A server-side default, written into the DDL verbatim (an SQL expression).
  Column&& server_default(std::string sql) && { server_default_ = std::move(sql); return std::move(*this); }
  /// A CHECK constraint on this column (SQL expression, verbatim).
  Column&& check(std::string sql) && { check_ = std::move(sql); return std::move(*this); }
  Column&& references(std::string table, std::string column, FkAction on_delete = FkAction::NoAction,
                      FkAction on_update = FkAction::NoAction) && {
    references_ = ForeignKey{{name_}, std::move(table), {std::move(column)}, on_delete, on_update, {}};
    return std::move(*this);
  }

  const std::string& name() const { return name_; }
  const SqlType& type() const { return type_; }
  bool is_primary_key() const { return primary_key_; }
  bool is_nullable() const { return nullable_; }
  std::optional<bool> autoincrement_setting() const { return autoincrement_; }
  bool is_unique() const { return unique_; }
  bool is_indexed() const { return index_; }
  const std::optional<Value>& default_value() const { return default_; }
  const std::string& server_default() const { return server_default_; }
  const std::string& check() const { return check_; }
  const std::optional<ForeignKey>& foreign_key() const { return references_; }

 private:
  std::string name_;
  SqlType type_;
  bool primary_key_ = false;
  bool nullable_ = true;
  std::optional<bool> autoincrement_;
  bool unique_ = false;
  bool index_ = false;
  std::optional<Value> default_;
  std::string server_default_;
  std::string check_;
  std::optional<ForeignKey> references_;
};

struct UniqueConstraint {
  std::vector<std::string> columns;
  std::string name;
};
struct CheckConstraint {
  std::string sql;
  std::string name;
};
struct Index {
  std::string name;
  std::vector<std::string> columns;
  bool unique = false;
};

class Table {
 public:
  explicit Table(std::string name) : name_(std::move(name)) {}

  /// Adds a column. Throws ArgumentError on a duplicate name.
  Table& add(Column column);
  Table& add(ForeignKey fk);
  Table& add(UniqueConstraint uc);
  Table& add(CheckConstraint cc);
  Table& add(Index index);

  const std::string& name() const { return name_; }
  const std::vector<Column>& columns() const { return columns_; }
  /// The column called `name`, or nullptr.
  const Column* find(std::string_view name) const;
  /// The column called `name`. Throws ArgumentError when missing.
  const Column& column(std::string_view name) const;
  /// Primary key columns, in declaration order (several: composite key).
  std::vector<const Column*> primary_key() const;
  /// The column that takes a generated key: the single integer primary key
  /// column unless autoincrement(false) was given; nullptr otherwise.
  const Column* autoincrement_column() const;
  /// Column-level and table-level foreign keys together.
  std::vector<ForeignKey> foreign_keys() const;
  const std::vector<UniqueConstraint>& unique_constraints() const { return uniques_; }
  const std::vector<CheckConstraint>& check_constraints() const { return checks_; }
  std::vector<Index> indexes() const;

 private:
  std::string name_;
  std::vector<Column> columns_;
  std::vector<ForeignKey> fks_;
  std::vector<UniqueConstraint> uniques_;
  std::vector<CheckConstraint> checks_;
  std::vector<Index> indexes_;
};

class MetaData {
 public:
  /// Creates and owns a table. Throws ArgumentError when the name is taken.
  Table& add_table(std::string name);
  /// Takes ownership of a table built elsewhere (the ORM's mapped tables).
  Table& add_table(Table table);
  const Table* find(std::string_view name) const;
  const std::deque<Table>& tables() const { return tables_; }

  /// Tables ordered so that every table comes after the tables it references
  /// (self-references ignored). Throws ArgumentError on a cycle.
  std::vector<const Table*> sorted_tables() const;

  /// CREATE TABLE (and indexes) for each table that does not exist yet, in
  /// dependency order, in one transaction. Emits has_table queries first.
  void create_all(const Engine& engine, bool checkfirst = true) const;
  void create_all(Connection& conn, bool checkfirst = true) const;
  /// DROP TABLE for each existing table, dependents first.
  void drop_all(const Engine& engine, bool checkfirst = true) const;
  void drop_all(Connection& conn, bool checkfirst = true) const;

 private:
  std::deque<Table> tables_;
};

/// The DDL for one table: CREATE TABLE plus one CREATE INDEX per index.
std::vector<std::string> create_table_ddl(const Table& table, const Dialect& dialect);
std::string drop_table_ddl(const Table& table, const Dialect& dialect);
/// True when `table` exists in the connection's database (one query).
bool has_table(Connection& conn, std::string_view table);

}  // namespace retort
