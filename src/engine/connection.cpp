// Connection and Transaction: statement execution with echo and statement
// events, transaction control with savepoints.
#include "driver/driver_error.hpp"
#include "engine/engine_state.hpp"
#include "retort/error.hpp"

namespace retort {

namespace detail {

ConnectionState::~ConnectionState() { close(); }

driver::Connection& ConnectionState::live() {
  if (!conn) throw InvalidRequestError("this Connection is closed; get a new one from engine.connect()");
  return *conn;
}

void ConnectionState::control(const std::string& sql) {
  driver::Connection& c = live();
  engine->log(sql);
  try {
    c.execute_simple(sql);
  } catch (const driver::DriverError& e) {
    driver::raise_database_error(e, sql, {});
  }
}

void ConnectionState::close() noexcept {
  if (!conn) return;
  if (!tx_stack.empty()) {
    tx_stack.clear();
    try {
      control("ROLLBACK");
    } catch (...) {
      // The connection is going back to the pool (or away) either way.
    }
  }
  conn.reset();
}

}  // namespace detail

namespace {

void log_params(const detail::EngineState& engine, const driver::Statement& stmt,
                std::span<const Value> params) {
  if (!engine.options.echo) return;
  std::vector<Value> p(params.begin(), params.end());
  // Like SQLAlchemy's "[generated in ...]" / "[cached since ...]" note.
  engine.log(std::string(stmt.uses == 0 ? "[prepared] " : "[cached] ") + to_display(p));
}

// What every single statement goes through before it runs: the counter, the
// statement hook and the echo of its SQL.
void announce(detail::EngineState& engine, const std::string& sql, std::span<const Value> params) {
  engine.statements.fetch_add(1, std::memory_order_relaxed);
  if (engine.options.on_statement) engine.options.on_statement(sql, params);
  engine.log(sql);
}

}  // namespace

Result Connection::execute(const std::string& sql, std::span<const Value> params) {
  auto& st = *state_;
  driver::Connection& c = st.live();
  auto& engine = *st.engine;
  announce(engine, sql, params);
  std::unique_ptr<driver::Statement> scratch;
  driver::Statement* stmt = nullptr;
  try {
    stmt = &c.prepare(sql, scratch);
    log_params(engine, *stmt, params);
    ++stmt->uses;
    stmt->bind(params);
    stmt->busy = true;
    bool has_row = stmt->step();
    return Result(state_, stmt, std::move(scratch), has_row);
  } catch (const driver::DriverError& e) {
    if (stmt) {
      stmt->reset();
      stmt->busy = false;
    }
    driver::raise_database_error(e, sql, params);
  }
}

std::int64_t Connection::execute_write(const std::string& sql, std::span<const Value> params) {
  auto& st = *state_;
  driver::Connection& c = st.live();
  auto& engine = *st.engine;
  announce(engine, sql, params);
  std::unique_ptr<driver::Statement> scratch;
  try {
    driver::Statement& stmt = c.prepare(sql, scratch);
    log_params(engine, stmt, params);
    ++stmt.uses;
    return stmt.execute_once(params);
  } catch (const driver::DriverError& e) {
    driver::raise_database_error(e, sql, params);
  }
}

std::int64_t Connection::execute_many(const std::string& sql, std::span<const std::vector<Value>> rows) {
  auto& st = *state_;
  driver::Connection& c = st.live();
  auto& engine = *st.engine;
  engine.statements.fetch_add(1, std::memory_order_relaxed);
  engine.log(sql);
  if (engine.options.echo) {
    engine.log("[executemany " + std::to_string(rows.size()) + " rows] " +
               (rows.empty() ? std::string("()") : to_display(rows.front())) +
               (rows.size() > 1 ? " ..." : ""));
  }
  if (engine.options.on_statement)
    for (const auto& row : rows) engine.options.on_statement(sql, row);
  std::unique_ptr<driver::Statement> scratch;
  std::size_t failed_row = 0;
  driver::Statement* stmt = nullptr;
  std::int64_t total = 0;
  try {
    stmt = &c.prepare(sql, scratch);
    total = stmt->execute_batch(rows, failed_row);
  } catch (const driver::DriverError& e) {
    driver::raise_database_error(e, sql, rows.empty() ? std::span<const Value>{} : std::span<const Value>(rows[failed_row]));
  }
  ++stmt->uses;
  return total;
}

void Connection::execute_script(const std::string& sql) { state_->control(sql); }

Transaction Connection::begin() {
  auto& st = *state_;
  st.live();
  if (!st.tx_stack.empty())
    throw InvalidRequestError("a transaction is already begun on this Connection; use begin_nested() for a savepoint");
  st.control("BEGIN");
  st.tx_stack.push_back(0);
  return Transaction(state_, {});
}

Transaction Connection::begin_nested() {
  auto& st = *state_;
  st.live();
  if (st.tx_stack.empty())
    throw InvalidRequestError("begin_nested() needs an open transaction; call begin() first");
  unsigned id = st.next_savepoint++;
  std::string name = "sa_savepoint_" + std::to_string(id);
  st.control("SAVEPOINT " + name);
  st.tx_stack.push_back(id);
  return Transaction(state_, name);
}

std::optional<std::int64_t> Connection::last_insert_rowid() const { return state_->live().last_insert_rowid(); }

bool Connection::in_transaction() const { return !state_->tx_stack.empty(); }
const Dialect& Connection::dialect() const { return *state_->engine->dialect; }
const Engine& Connection::engine() const { return state_->engine_handle; }
std::size_t Connection::cached_statements() const { return state_->live().cached_statements(); }
bool Connection::is_alive() const { return state_->conn && state_->conn->is_alive(); }
void Connection::close() { state_->close(); }
bool Connection::closed() const { return !state_->conn; }

// --- Transaction ---

Transaction::Transaction(std::shared_ptr<detail::ConnectionState> conn, std::string savepoint)
    : conn_(std::move(conn)), savepoint_(std::move(savepoint)), active_(true) {}

Transaction::Transaction(Transaction&& o) noexcept
    : conn_(std::move(o.conn_)), savepoint_(std::move(o.savepoint_)), active_(o.active_) {
  o.active_ = false;
}

Transaction& Transaction::operator=(Transaction&& o) noexcept {
  if (this != &o) {
    if (active_) {
      try {
        finish(false);
      } catch (...) {
      }
    }
    conn_ = std::move(o.conn_);
    savepoint_ = std::move(o.savepoint_);
    active_ = o.active_;
    o.active_ = false;
  }
  return *this;
}

Transaction::~Transaction() {
  if (!active_) return;
  try {
    finish(false);
  } catch (...) {
    // Destructors must not throw; the connection's close() rolls back anyway.
  }
}

void Transaction::commit() {
  if (!active_) throw InvalidRequestError("this transaction is inactive (already committed or rolled back)");
  finish(true);
}

void Transaction::rollback() {
  if (!active_) throw InvalidRequestError("this transaction is inactive (already committed or rolled back)");
  finish(false);
}

void Transaction::finish(bool commit) {
  auto& st = *conn_;
  unsigned id = savepoint_.empty() ? 0 : static_cast<unsigned>(std::stoul(savepoint_.substr(13)));
  auto pos = std::find(st.tx_stack.begin(), st.tx_stack.end(), id);
  active_ = false;
  if (pos == st.tx_stack.end() || !st.conn) return;  // an enclosing rollback already ended it
  if (pos + 1 != st.tx_stack.end()) {
    if (commit) {
      active_ = true;
      throw InvalidRequestError("cannot commit while an inner savepoint is still active; finish it first");
    }
  }
  st.tx_stack.erase(pos, st.tx_stack.end());
  if (savepoint_.empty()) {
    if (!commit) {
      st.control("ROLLBACK");
      return;
    }
    try {
      st.control("COMMIT");
    } catch (...) {
      // A failed COMMIT (e.g. a deferred constraint) may leave SQLite's
      // transaction open; end it so the connection is clean.
      try {
        st.live().execute_simple("ROLLBACK");
      } catch (...) {
      }
      throw;
    }
  } else if (commit) {
    st.control("RELEASE SAVEPOINT " + savepoint_);
  } else {
    st.control("ROLLBACK TO SAVEPOINT " + savepoint_);
    st.control("RELEASE SAVEPOINT " + savepoint_);
  }
}

}  // namespace retort
