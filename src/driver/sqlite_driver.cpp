// The libsqlite3 driver: a connection, its statement cache, and statements.
#include "driver/sqlite_driver.hpp"

#include <sqlite3.h>

#include <cmath>

#include "driver/driver_error.hpp"
#include "driver/statement_cache.hpp"
#include "retort/dialect.hpp"
#include "retort/error.hpp"

namespace retort::driver {

namespace {

const char* result_code_name(int ext) {
  switch (ext) {
    case SQLITE_CONSTRAINT_UNIQUE: return "SQLITE_CONSTRAINT_UNIQUE";
    case SQLITE_CONSTRAINT_PRIMARYKEY: return "SQLITE_CONSTRAINT_PRIMARYKEY";
    case SQLITE_CONSTRAINT_FOREIGNKEY: return "SQLITE_CONSTRAINT_FOREIGNKEY";
    case SQLITE_CONSTRAINT_NOTNULL: return "SQLITE_CONSTRAINT_NOTNULL";
    case SQLITE_CONSTRAINT_CHECK: return "SQLITE_CONSTRAINT_CHECK";
    case SQLITE_BUSY: return "SQLITE_BUSY";
    case SQLITE_LOCKED: return "SQLITE_LOCKED";
    case SQLITE_MISMATCH: return "SQLITE_MISMATCH";
    case SQLITE_TOOBIG: return "SQLITE_TOOBIG";
    default: break;
  }
  return sqlite3_errstr(ext);
}

ErrorKind classify(int ext) {
  switch (ext & 0xff) {
    case SQLITE_CONSTRAINT: return ErrorKind::Integrity;
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
    case SQLITE_RANGE: return ErrorKind::Data;
    case SQLITE_ERROR: return ErrorKind::Programming;  // syntax, missing table or column
    default: return ErrorKind::Operational;           // busy, locked, I/O, corrupt, full
  }
}

[[noreturn]] void fail(sqlite3* db, int rc) {
  int ext = db ? sqlite3_extended_errcode(db) : rc;
  if (ext == SQLITE_OK) ext = rc;
  throw DriverError{classify(ext), db ? sqlite3_errmsg(db) : sqlite3_errstr(rc), result_code_name(ext)};
}

class SqliteStatement final : public Statement {
 public:
  SqliteStatement(sqlite3* db, std::string sql) : db_(db), sql_(std::move(sql)) {
    int rc = sqlite3_prepare_v3(db_, sql_.c_str(), static_cast<int>(sql_.size() + 1),
                                SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
    if (rc != SQLITE_OK) fail(db_, rc);
  }
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }

  void bind(std::span<const Value> params) override {
    int expected = sqlite3_bind_parameter_count(stmt_);
    if (static_cast<int>(params.size()) != expected) {
      throw DriverError{ErrorKind::Programming,
                        "statement expects " + std::to_string(expected) + " parameters, got " +
                            std::to_string(params.size()),
                        "SQLITE_RANGE"};
    }
    for (int i = 0; i < expected; ++i) bind_one(i + 1, params[i]);
  }

  bool step() override {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite3_reset(stmt_);
    fail(db_, rc);
  }
  void reset() noexcept override { sqlite3_reset(stmt_); }

  // The caller's values outlive the execution (or the whole batch), so they
  // are bound without copies (SQLITE_STATIC) and unbound before returning.
  std::int64_t execute_once(std::span<const Value> params) override {
    Borrowed b(*this);
    return run_borrowed(params);
  }
  std::int64_t execute_batch(std::span<const std::vector<Value>> rows, std::size_t& failed_row) override {
    Borrowed b(*this);
    std::int64_t total = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      failed_row = i;
      total += run_borrowed(rows[i]);
    }
    return total;
  }

  int column_count() const override { return sqlite3_column_count(stmt_); }
  std::string_view column_name(int i) const override { return sqlite3_column_name(stmt_, i); }
  ColumnKind column_kind(int i) const override {
    switch (sqlite3_column_type(stmt_, i)) {
      case SQLITE_INTEGER: return ColumnKind::Integer;
      case SQLITE_FLOAT: return ColumnKind::Float;
      case SQLITE_TEXT: return ColumnKind::Text;
      case SQLITE_BLOB: return ColumnKind::Blob;
      default: return ColumnKind::Null;
    }
  }
  std::int64_t get_int64(int i) const override { return sqlite3_column_int64(stmt_, i); }
  double get_double(int i) const override { return sqlite3_column_double(stmt_, i); }
  bool get_bool(int i) const override { return sqlite3_column_int64(stmt_, i) != 0; }
  std::string_view get_text(int i) const override {
    auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
    return {p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i))};
  }
  Bytes get_bytes(int i) const override {
    auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, i));
    auto n = static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i));
    return p ? Bytes(p, p + n) : Bytes{};
  }
  // SQLite has no date types: dates and timestamps are stored as ISO 8601 text.
  Date get_date(int i) const override {
    auto d = parse_date(get_text(i));
    if (!d) throw ConversionError("column '" + std::string(column_name(i)) + "' holds '" +
                                  std::string(get_text(i)) + "', which is not a date (YYYY-MM-DD)");
    return *d;
  }
  Timestamp get_timestamp(int i) const override {
    auto t = parse_timestamp(get_text(i));
    if (!t) throw ConversionError("column '" + std::string(column_name(i)) + "' holds '" +
                                  std::string(get_text(i)) + "', which is not a timestamp");
    return *t;
  }
  std::int64_t rows_affected() const override { return sqlite3_changes64(db_); }
  const std::string& sql() const override { return sql_; }

 private:
  void bind_one(int idx, const Value& v) {
    int rc = std::visit(
        [&](const auto& x) -> int {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, Null>) {
            return sqlite3_bind_null(stmt_, idx);
          } else if constexpr (std::is_same_v<T, std::int64_t>) {
            return sqlite3_bind_int64(stmt_, idx, x);
          } else if constexpr (std::is_same_v<T, double>) {
            return sqlite3_bind_double(stmt_, idx, x);
          } else if constexpr (std::is_same_v<T, bool>) {
            return sqlite3_bind_int64(stmt_, idx, x ? 1 : 0);
          } else if constexpr (std::is_same_v<T, std::string>) {
            // TRANSIENT (the default): SQLite copies, since rows may be read
            // after the caller's parameters are gone; STATIC inside a batch.
            return sqlite3_bind_text64(stmt_, idx, x.data(), x.size(), destructor_, SQLITE_UTF8);
          } else if constexpr (std::is_same_v<T, Bytes>) {
            // A null data pointer would bind NULL, so empty blobs use zeroblob.
            if (x.empty()) return sqlite3_bind_zeroblob(stmt_, idx, 0);
            return sqlite3_bind_blob64(stmt_, idx, x.data(), x.size(), destructor_);
          } else if constexpr (std::is_same_v<T, Date>) {
            std::string s = format_date(x);
            return sqlite3_bind_text64(stmt_, idx, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
          } else {
            std::string s = format_timestamp(x);
            return sqlite3_bind_text64(stmt_, idx, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
          }
        },
        v);
    if (rc != SQLITE_OK) fail(db_, rc);
  }

  // Binds STATIC while alive; then resets the statement and drops the
  // bindings, so no pointer into the caller's values remains.
  struct Borrowed {
    SqliteStatement& st;
    explicit Borrowed(SqliteStatement& s) : st(s) { st.destructor_ = SQLITE_STATIC; }
    ~Borrowed() {
      sqlite3_reset(st.stmt_);
      sqlite3_clear_bindings(st.stmt_);
      st.destructor_ = SQLITE_TRANSIENT;
    }
  };
  // One execution to completion with the rows discarded; the rows changed.
  std::int64_t run_borrowed(std::span<const Value> params) {
    bind(params);
    int rc;
    while ((rc = sqlite3_step(stmt_)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) fail(db_, rc);
    std::int64_t n = sqlite3_changes64(db_);
    sqlite3_reset(stmt_);
    return n;
  }

  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::string sql_;
  sqlite3_destructor_type destructor_ = SQLITE_TRANSIENT;
};

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(const std::string& path) {
    int rc = sqlite3_open_v2(path.c_str(), &db_,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close(db_);
      db_ = nullptr;
      throw OperationalError("unable to open SQLite database '" + path + "': " + msg, "", {},
                             sqlite3_errstr(rc));
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, 5000);
    // SQLite leaves foreign keys unenforced unless asked, per connection.
    execute_simple("PRAGMA foreign_keys = ON");
  }
  ~SqliteConnection() override {
    cache_.clear();  // statements must be finalized before the database closes
    sqlite3_close(db_);
  }

  Statement& prepare(const std::string& sql, std::unique_ptr<Statement>& scratch) override {
    return cache_.get(sql, scratch,
                      [this](const std::string& s) { return std::make_unique<SqliteStatement>(db_, s); });
  }
  void execute_simple(const std::string& sql) override {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    if (err) sqlite3_free(err);
    if (rc != SQLITE_OK) fail(db_, rc);
  }
  bool is_alive() override { return db_ != nullptr; }
  const Dialect& dialect() const override { return sqlite_dialect(); }
  std::size_t cached_statements() const override { return cache_.size(); }
  std::optional<std::int64_t> last_insert_rowid() const override { return sqlite3_last_insert_rowid(db_); }

 private:
  sqlite3* db_ = nullptr;
  StatementCache<SqliteStatement> cache_;
};

}  // namespace

std::unique_ptr<Connection> open_sqlite(const std::string& path) {
  return std::make_unique<SqliteConnection>(path);
}

}  // namespace retort::driver
