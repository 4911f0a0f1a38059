// retort/driver/driver.hpp — the interface every database driver implements.
//
// A driver is a thin RAII wrapper over a C client library (libsqlite3, libpq).
// The engine talks to drivers only through these two classes, so that nothing
// above this layer includes sqlite3.h or libpq-fe.h.
//
// Thread safety: a driver Connection and its Statements are used by one thread
// at a time; the pool (engine layer) guarantees it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>
#include <span>
#include <string>
#include <string_view>

#include "retort/value.hpp"

namespace retort {
class Dialect;
}

namespace retort::driver {

/// The storage class of one column of the current row.
enum class ColumnKind { Null, Integer, Float, Bool, Text, Blob, Date, Timestamp };

/// A prepared statement. Lifecycle: bind → step (repeatedly) → reset.
/// Owned by its Connection's statement cache.
class Statement {
 public:
  virtual ~Statement() = default;

  /// Binds all parameters, replacing earlier bindings. REQUIRES: reset state.
  virtual void bind(std::span<const Value> params) = 0;
  /// Executes (on the first call) and advances to the next row.
  /// Returns false when there are no more rows. Throws DatabaseError.
  virtual bool step() = 0;
  /// Returns the statement to its unexecuted state; bindings are kept.
  virtual void reset() noexcept = 0;

  virtual int column_count() const = 0;
  virtual std::string_view column_name(int i) const = 0;
  /// The storage class of column i in the current row (Null for SQL NULL).
  virtual ColumnKind column_kind(int i) const = 0;

  // Accessors for the current row. REQUIRES: step() returned true and the
  // column is not NULL. They convert only where no information is lost; the
  // typed layer above checks column_kind before calling.
  virtual std::int64_t get_int64(int i) const = 0;
  virtual double get_double(int i) const = 0;
  virtual bool get_bool(int i) const = 0;
  virtual std::string_view get_text(int i) const = 0;
  virtual Bytes get_bytes(int i) const = 0;
  virtual Date get_date(int i) const = 0;
  virtual Timestamp get_timestamp(int i) const = 0;

  /// Rows changed by the last INSERT/UPDATE/DELETE run by this statement.
  virtual std::int64_t rows_affected() const = 0;
  /// The SQL text this statement was prepared from.
  virtual const std::string& sql() const = 0;

  /// Runs the statement once per parameter set and returns the total rows
  /// affected. Drivers override it with their fastest form (libpq pipelines
  /// the executions). On failure throws DriverError and sets `failed_row`.
  virtual std::int64_t execute_batch(std::span<const std::vector<Value>> rows, std::size_t& failed_row);
  /// Runs the statement once to completion (any rows are discarded) and
  /// returns the rows affected. `params` outlive the call, so drivers may
  /// bind them without copies (SQLite does). Throws DriverError.
  virtual std::int64_t execute_once(std::span<const Value> params);

  /// Reads column i as a Value (untyped access, used for echo and generic rows).
  Value get_value(int i) const;

  /// True while a Result is reading this statement; the cache then hands out
  /// a fresh statement instead (nested queries with the same SQL).
  bool busy = false;
  /// Executions so far (0: freshly prepared), for echo's prepared/cached note.
  std::uint64_t uses = 0;
};

/// An open connection to one database.
class Connection {
 public:
  virtual ~Connection() = default;

  /// Returns a prepared statement for `sql`, from the per-connection cache
  /// when the same text was prepared before. The statement stays owned by the
  /// connection. If the cached statement is in use (a result over it is still
  /// open) a fresh, uncached one is returned through `scratch`.
  virtual Statement& prepare(const std::string& sql, std::unique_ptr<Statement>& scratch) = 0;
  /// Runs SQL that takes no parameters and returns no rows (BEGIN, DDL, ...).
  virtual void execute_simple(const std::string& sql) = 0;
  /// False once the connection is known to be broken (server gone, fatal error).
  virtual bool is_alive() = 0;
  /// The dialect of this connection's database.
  virtual const Dialect& dialect() const = 0;
  /// Number of statements in the prepared-statement cache.
  virtual std::size_t cached_statements() const = 0;
  /// The rowid of the last row inserted on this connection, where the
  /// database tracks it (SQLite); nullopt elsewhere.
  virtual std::optional<std::int64_t> last_insert_rowid() const { return std::nullopt; }
};

}  // namespace retort::driver
