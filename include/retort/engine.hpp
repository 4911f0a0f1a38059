// retort/engine.hpp — Engine, Connection, Transaction.
//
// An Engine owns a connection pool for one database URL. A Connection is a
// checked-out pool connection: cheap to copy (copies share it), returned to the
// pool when the last copy goes. Statements run in autocommit mode unless a
// Transaction is open on the Connection.
//
// Thread safety: Engine is thread-safe (share it freely). A Connection, its
// Transactions and Results belong to one thread at a time.
#pragma once

#include <chrono>
#include <concepts>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "retort/dialect.hpp"
#include "retort/result.hpp"
#include "retort/url.hpp"
#include "retort/value.hpp"

namespace retort {

namespace detail {
struct EngineState;
struct ConnectionState;
}  // namespace detail

struct EngineOptions {
  /// Log every statement, its parameters, BEGIN, COMMIT and ROLLBACK.
  bool echo = false;
  /// Where echo lines go (one call per line, without a newline). Default: stderr.
  std::function<void(std::string_view)> log_sink{};
  /// Connections kept open in the pool.
  std::size_t pool_size = 5;
  /// Connections allowed beyond pool_size at peak; closed when returned.
  std::size_t max_overflow = 10;
  /// How long connect() waits for a free connection before TimeoutError.
  std::chrono::milliseconds pool_timeout{30000};
  /// Test each pooled connection with a trivial query before handing it out,
  /// so that one dropped by the server is replaced instead of failing later.
  bool pool_pre_ping = false;
  /// Called before every statement the engine executes (not BEGIN/COMMIT).
  /// Tests use it to count statements; a profiler can use it to trace.
  std::function<void(std::string_view sql, std::span<const Value> params)> on_statement{};
};

class Connection;

/// SQL text with its bound parameters, as produced by a statement compiler.
struct CompiledSql {
  std::string sql;
  std::vector<Value> params;
};

/// Anything that compiles to SQL for a dialect (the sql layer's statements,
/// text()). compile() may cache: it returns a reference valid as long as `s`.
template <class S>
concept Executable = requires(const S& s, const Dialect& d) {
  { s.compile(d) } -> std::convertible_to<const CompiledSql&>;
};

class Engine {
 public:
  /// Checks a connection out of the pool, opening one if needed.
  /// Throws TimeoutError when the pool is exhausted for pool_timeout,
  /// OperationalError when the database cannot be reached.
  Connection connect() const;

  const Dialect& dialect() const;
  const Url& url() const;
  const EngineOptions& options() const;

  /// Statements executed through this engine so far (see on_statement).
  std::uint64_t statement_count() const;

  /// Pool state, for tests and monitoring.
  std::size_t pool_checked_out() const;
  std::size_t pool_idle() const;
  std::uint64_t connections_opened() const;

  /// Closes idle pooled connections; checked-out ones close when returned.
  void dispose() const;

  /// Writes one line to the echo sink (if echo is on).
  void log(std::string_view line) const;
  bool echo() const;

  explicit Engine(std::shared_ptr<detail::EngineState> state) : state_(std::move(state)) {}
  const std::shared_ptr<detail::EngineState>& state() const { return state_; }

 private:
  std::shared_ptr<detail::EngineState> state_;
};

/// Creates an engine. Does not connect until the first connect().
/// Throws ArgumentError for a malformed URL or an unknown scheme.
Engine create_engine(std::string_view url, EngineOptions options = {});

class Transaction;

class Connection {
 public:
  /// Prepares (or reuses from the statement cache), binds and runs `sql`.
  /// Rows are read through the returned Result. Throws DatabaseError.
  Result execute(const std::string& sql, std::span<const Value> params = {});
  Result execute(const std::string& sql, std::initializer_list<Value> params) {
    return execute(sql, std::span<const Value>(params.begin(), params.size()));
  }
  /// Compiles `stmt` for this connection's dialect and executes it.
  template <Executable S>
  Result execute(const S& stmt) {
    const CompiledSql& c = stmt.compile(dialect());
    return execute(c.sql, std::span<const Value>(c.params));
  }
  /// Runs a statement that returns no rows (INSERT, UPDATE or DELETE
  /// without RETURNING; rows it returns are discarded) and returns the
  /// number of rows it changed. Unlike execute(), the statement is finished
  /// before this returns, so drivers bind the values without copying them.
  std::int64_t execute_write(const std::string& sql, std::span<const Value> params = {});
  std::int64_t execute_write(const std::string& sql, std::initializer_list<Value> params) {
    return execute_write(sql, std::span<const Value>(params.begin(), params.size()));
  }
  /// Runs `sql` once per parameter set through one prepared statement
  /// (pipelined on PostgreSQL: one round trip per few hundred rows).
  /// Returns the total number of rows affected. Counts as one statement for
  /// statement_count(); on_statement is called once per parameter set.
  std::int64_t execute_many(const std::string& sql, std::span<const std::vector<Value>> rows);
  /// Runs SQL without parameters or result rows (DDL, several statements
  /// separated by ';' on SQLite and PostgreSQL alike).
  void execute_script(const std::string& sql);

  /// Begins a transaction. REQUIRES: none is open (use begin_nested()).
  /// Emits BEGIN.
  Transaction begin();
  /// Begins a SAVEPOINT inside the open transaction. REQUIRES: a transaction
  /// is open. Rolling it back keeps the work of the enclosing transaction.
  Transaction begin_nested();
  bool in_transaction() const;

  const Dialect& dialect() const;
  const Engine& engine() const;
  /// The rowid of the last row inserted through this connection (SQLite);
  /// nullopt on databases that return keys through RETURNING only.
  std::optional<std::int64_t> last_insert_rowid() const;
  /// Statements in this connection's prepared-statement cache.
  std::size_t cached_statements() const;
  /// False once the underlying connection is known to be broken.
  bool is_alive() const;

  /// Returns the connection to the pool now (rolling back an open
  /// transaction). Any later use throws InvalidRequestError.
  void close();
  bool closed() const;

  explicit Connection(std::shared_ptr<detail::ConnectionState> state) : state_(std::move(state)) {}

 private:
  friend class Transaction;
  std::shared_ptr<detail::ConnectionState> state_;
};

/// A transaction or savepoint. Rolls back on destruction unless commit() or
/// rollback() was called. Holds its connection open while alive.
class Transaction {
 public:
  Transaction(Transaction&&) noexcept;
  Transaction& operator=(Transaction&&) noexcept;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  /// Emits COMMIT (or RELEASE SAVEPOINT). REQUIRES: active; committing
  /// twice, or after rollback, throws InvalidRequestError.
  void commit();
  /// Emits ROLLBACK (or ROLLBACK TO SAVEPOINT). REQUIRES: active.
  void rollback();
  bool is_active() const { return active_; }
  bool is_nested() const { return !savepoint_.empty(); }

 private:
  friend class Connection;
  Transaction(std::shared_ptr<detail::ConnectionState> conn, std::string savepoint);
  void finish(bool commit);

  std::shared_ptr<detail::ConnectionState> conn_;
  std::string savepoint_;  ///< empty for the outermost transaction
  bool active_ = false;
};

}  // namespace retort
