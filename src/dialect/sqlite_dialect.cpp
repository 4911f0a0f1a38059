// The SQLite dialect.
#include "retort/dialect.hpp"
#include "retort/schema.hpp"

namespace retort {

namespace {

class SqliteDialect final : public Dialect {
 public:
  std::string_view name() const override { return "sqlite"; }
  void append_placeholder(std::string& out, std::size_t) const override { out.push_back('?'); }

  // SQLite's type affinity accepts any name; these keep values round-tripping
  // (DATE/TIMESTAMP as ISO 8601 text, BOOLEAN as 0/1).
  std::string type_name(const SqlType& t) const override {
    switch (t.kind) {
      case TypeKind::SmallInteger: return "SMALLINT";
      case TypeKind::Integer: return "INTEGER";
      case TypeKind::BigInteger: return "BIGINT";
      case TypeKind::Float: return "FLOAT";
      case TypeKind::Boolean: return "BOOLEAN";
      case TypeKind::String: return t.length > 0 ? "VARCHAR(" + std::to_string(t.length) + ")" : "VARCHAR";
      case TypeKind::Text: return "TEXT";
      case TypeKind::Binary: return "BLOB";
      case TypeKind::Date: return "DATE";
      case TypeKind::DateTime: return "TIMESTAMP";
    }
    return "TEXT";
  }
  // Only the exact spelling "INTEGER PRIMARY KEY" makes the column an alias
  // of the rowid, which is what generates keys in SQLite.
  std::string autoincrement_type_name(const SqlType&) const override { return "INTEGER"; }
  std::string_view boolean_literal(bool v) const override { return v ? "1" : "0"; }
  bool supports_returning() const override { return true; }  // SQLite >= 3.35
  bool supports_ilike() const override { return false; }
  bool needs_parameter_casts() const override { return false; }
  bool widens_aggregates() const override { return false; }
  bool offset_requires_limit() const override { return true; }
  bool supports_update_from_values() const override { return false; }
  std::size_t max_parameters() const override { return 32766; }
  std::string has_table_sql() const override {
    return "SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?";
  }
};

}  // namespace

const Dialect& sqlite_dialect() {
  static const SqliteDialect d;
  return d;
}

}  // namespace retort
