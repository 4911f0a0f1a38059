// retort/dialect.hpp — what differs between databases.
//
// One Dialect object per database kind, stateless and shared. Everything
// above the driver that must render SQL asks the dialect for the pieces that
// differ: placeholders, identifier quoting, type names, RETURNING, booleans.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace retort {

struct SqlType;

class Dialect {
 public:
  virtual ~Dialect() = default;

  /// "sqlite" or "postgresql".
  virtual std::string_view name() const = 0;

  /// Appends the placeholder for the 1-based parameter `index` ("?" or "$3").
  virtual void append_placeholder(std::string& out, std::size_t index) const = 0;

  /// Appends `name` as an identifier, quoted when it is a reserved word, is
  /// not all lower case, or contains anything but [a-z0-9_]; embedded quotes
  /// are doubled. Identifiers can therefore never break out of their quotes.
  void append_identifier(std::string& out, std::string_view name) const;
  std::string quote_identifier(std::string_view name) const;

  /// The column type as written in CREATE TABLE.
  virtual std::string type_name(const SqlType& type) const = 0;
  /// The full column type for an auto-incrementing integer primary key
  /// ("INTEGER" in SQLite, whose rowid alias needs exactly that spelling;
  /// "BIGSERIAL"/"SERIAL" in PostgreSQL).
  virtual std::string autoincrement_type_name(const SqlType& type) const = 0;

  /// SQL for a boolean literal.
  virtual std::string_view boolean_literal(bool value) const = 0;

  /// Whether INSERT/UPDATE/DELETE ... RETURNING is available.
  virtual bool supports_returning() const = 0;
  /// Whether ILIKE exists natively (otherwise it is emulated with lower()).
  virtual bool supports_ilike() const = 0;
  /// Whether a parameter the server cannot type from its context needs an
  /// explicit CAST (PostgreSQL infers; "SELECT $1" alone is text).
  virtual bool needs_parameter_casts() const = 0;
  /// Whether sum()/avg() widen to a type that must be cast back to the
  /// expression's type (PostgreSQL: numeric).
  virtual bool widens_aggregates() const = 0;
  /// Whether OFFSET needs a LIMIT before it (SQLite: LIMIT -1 OFFSET n).
  virtual bool offset_requires_limit() const = 0;
  /// Whether many rows can be updated by key in one statement,
  /// "UPDATE t SET a = v.c0 FROM (VALUES (...), (...)) AS v (c0, k0) WHERE
  /// t.id = v.k0" (PostgreSQL). SQLite's VALUES cannot name its columns, and
  /// its per-row prepared UPDATE is cheap.
  virtual bool supports_update_from_values() const = 0;
  /// Largest number of bound parameters in one statement.
  virtual std::size_t max_parameters() const = 0;

  /// A query with one parameter (the table name) returning a row when the
  /// table exists.
  virtual std::string has_table_sql() const = 0;
};

/// The shared dialect objects.
const Dialect& sqlite_dialect();
const Dialect& postgresql_dialect();

}  // namespace retort
