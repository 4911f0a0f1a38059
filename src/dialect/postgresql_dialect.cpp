// The PostgreSQL dialect.
#include "retort/dialect.hpp"
#include "retort/schema.hpp"

namespace retort {

namespace {

class PostgresqlDialect final : public Dialect {
 public:
  std::string_view name() const override { return "postgresql"; }
  void append_placeholder(std::string& out, std::size_t index) const override {
    out.push_back('$');
    out.append(std::to_string(index));
  }
  std::string type_name(const SqlType& t) const override {
    switch (t.kind) {
      case TypeKind::SmallInteger: return "SMALLINT";
      case TypeKind::Integer: return "INTEGER";
      case TypeKind::BigInteger: return "BIGINT";
      case TypeKind::Float: return "DOUBLE PRECISION";
      case TypeKind::Boolean: return "BOOLEAN";
      case TypeKind::String: return t.length > 0 ? "VARCHAR(" + std::to_string(t.length) + ")" : "VARCHAR";
      case TypeKind::Text: return "TEXT";
      case TypeKind::Binary: return "BYTEA";
      case TypeKind::Date: return "DATE";
      case TypeKind::DateTime: return "TIMESTAMP WITHOUT TIME ZONE";
    }
    return "TEXT";
  }
  std::string autoincrement_type_name(const SqlType& t) const override {
    switch (t.kind) {
      case TypeKind::SmallInteger: return "SMALLSERIAL";
      case TypeKind::Integer: return "SERIAL";
      default: return "BIGSERIAL";
    }
  }
  std::string_view boolean_literal(bool v) const override { return v ? "true" : "false"; }
  bool supports_returning() const override { return true; }
  bool supports_ilike() const override { return true; }
  bool needs_parameter_casts() const override { return true; }
  bool widens_aggregates() const override { return true; }
  bool offset_requires_limit() const override { return false; }
  bool supports_update_from_values() const override { return true; }
  std::size_t max_parameters() const override { return 65535; }
  std::string has_table_sql() const override {
    // to_regclass resolves through search_path, as unqualified DDL does.
    return "SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
           "WHERE c.relname = $1 AND c.relkind IN ('r', 'p') AND n.nspname = ANY (current_schemas(false))";
  }
};

}  // namespace

const Dialect& postgresql_dialect() {
  static const PostgresqlDialect d;
  return d;
}

}  // namespace retort
