// The libpq driver.
//
// Parameters travel in text format with server-inferred types (the SQL
// compiler adds CASTs where the server cannot infer), except bytea, which is
// sent in binary so that no escaping is needed.
//
// Results: the first execution of a statement runs unnamed and its results
// come in text format, since the column types are not known before it runs.
// A statement executed again is prepared and described in one round trip;
// when every result column has a type decoded here in binary (integers,
// floats, bool, text types, bytea, date, timestamp[tz]) its executions ask for
// binary results, which skips number parsing and hex-decoding of bytea on both
// sides. libpq takes one result format per execution, so a statement with any
// other column type (numeric, uuid, json, ...) stays in text format.
// Accessors decode by column type OID, and a value read in a way its binary
// form does not support natively goes through the text the text format would
// have given, so a value reads the same whichever format carried it.
#include "driver/pq_driver.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>
#include <vector>

#include "driver/driver_error.hpp"
#include "driver/pq_values.hpp"
#include "driver/statement_cache.hpp"
#include "retort/dialect.hpp"
#include "retort/error.hpp"

namespace retort::driver {

namespace {

using namespace pq;  // type OIDs and value decoding (pq_values.hpp)


ErrorKind classify_sqlstate(const char* state) {
  if (!state || std::strlen(state) < 2) return ErrorKind::Operational;
  std::string_view cls(state, 2);
  if (cls == "23") return ErrorKind::Integrity;
  if (cls == "22") return ErrorKind::Data;
  if (cls == "42" || cls == "2B" || cls == "34" || cls == "26") return ErrorKind::Programming;
  if (std::string_view(state) == "08P01") return ErrorKind::Programming;  // e.g. wrong parameter count
  return ErrorKind::Operational;  // 08 connection, 40 rollback, 53 resources, 57 operator, ...
}

std::string trim_message(const char* msg) {
  std::string s = msg ? msg : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// Raises for a failed PGresult (or a null one, meaning the connection failed).
[[noreturn]] void fail(PGconn* conn, PGresult* res) {
  std::string msg = trim_message(res ? PQresultErrorMessage(res) : PQerrorMessage(conn));
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string code = state ? state : "";
  ErrorKind kind = PQstatus(conn) == CONNECTION_BAD ? ErrorKind::Operational : classify_sqlstate(state);
  if (res) PQclear(res);
  throw DriverError{kind, msg.empty() ? "PostgreSQL connection failed" : msg, code};
}

std::int64_t affected_rows(PGresult* res) {
  const char* n = PQcmdTuples(res);
  return (n && *n) ? std::atoll(n) : 0;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// --- Pipelines ---------------------------------------------------------------

// Pipeline mode for the object's lifetime, left also when an error is thrown.
class Pipeline {
 public:
  explicit Pipeline(PGconn* conn) : conn_(conn) {
    if (!PQenterPipelineMode(conn_)) fail(conn_, nullptr);
  }
  ~Pipeline() { PQexitPipelineMode(conn_); }
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

 private:
  PGconn* conn_;
};

struct PipelineError {
  PGresult* result = nullptr;  ///< the first failed query's result (caller clears it), or null
  std::size_t query = 0;       ///< its position since the last sync point
  bool broken = false;         ///< the connection failed
  bool failed() const { return result || broken; }
};

// Reads the results of the queries sent since the last sync point, up to the
// sync. `on_result(query, result)` sees each successful result, which is
// cleared afterwards. The first error is returned; the server skips the
// queries after it until the sync point (PGRES_PIPELINE_ABORTED).
template <class OnResult>
PipelineError read_to_sync(PGconn* conn, OnResult&& on_result) {
  PipelineError error;
  std::size_t query = 0;
  for (;;) {
    PGresult* res = PQgetResult(conn);
    if (!res) {  // end of one query's results
      if (PQstatus(conn) == CONNECTION_BAD) {
        error.broken = true;
        if (!error.result) error.query = query;
        return error;
      }
      ++query;
      continue;
    }
    auto st = PQresultStatus(res);
    if (st == PGRES_PIPELINE_SYNC) {
      PQclear(res);
      return error;
    }
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
      on_result(query, res);
    } else if (st != PGRES_PIPELINE_ABORTED && !error.result) {
      error.result = res;
      error.query = query;
      continue;
    }
    PQclear(res);
  }
}

// --- Statements --------------------------------------------------------------

class PqStatement final : public Statement {
 public:
  // Nothing is sent to the server yet: the first execution runs unnamed
  // (PQexecParams: parse, bind and execute in one round trip), and only a
  // statement executed again is prepared by name. One-shot SQL therefore
  // costs one round trip, repeated SQL skips parsing and planning.
  PqStatement(PGconn* conn, std::string sql, std::string name)
      : conn_(conn), sql_(std::move(sql)), name_(std::move(name)) {}
  ~PqStatement() override {
    reset();
    // Deallocate server-side so that evicted statements do not accumulate.
    if (prepared_ && PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) != PQTRANS_INERROR) {
      std::string sql = "DEALLOCATE " + name_;
      PQclear(PQexec(conn_, sql.c_str()));
    }
  }

  void bind(std::span<const Value> params) override {
    nparams_ = static_cast<int>(params.size());
    text_.resize(params.size());
    values_.assign(params.size(), nullptr);
    lengths_.assign(params.size(), 0);
    formats_.assign(params.size(), 0);
    for (std::size_t i = 0; i < params.size(); ++i) encode(i, params[i]);
  }

  bool step() override {
    if (!result_) {
      result_ = execute();
      auto st = result_ ? PQresultStatus(result_) : PGRES_FATAL_ERROR;
      if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        PGresult* r = result_;
        result_ = nullptr;
        fail(conn_, r);
      }
      nrows_ = PQntuples(result_);
      row_ = -1;
      describe_columns();
    }
    if (row_ + 1 < nrows_) {
      ++row_;
      return true;
    }
    row_ = nrows_;
    return false;
  }

  // Pipelined: executions are sent in chunks without waiting for each
  // result, so a batch costs one round trip per chunk instead of per row.
  // Each chunk ends with a sync point; outside an explicit transaction a
  // chunk is one implicit transaction.
  std::int64_t execute_batch(std::span<const std::vector<Value>> rows, std::size_t& failed_row) override {
    if (rows.empty()) return 0;
    reset();
    ensure_prepared();
    constexpr std::size_t kChunk = 256;  // bounds unread results, so socket buffers never fill both ways
    std::int64_t total = 0;
    Pipeline pipeline(conn_);
    for (std::size_t start = 0; start < rows.size(); start += kChunk) {
      std::size_t end = std::min(rows.size(), start + kChunk);
      for (std::size_t i = start; i < end; ++i) {
        bind(rows[i]);
        if (!PQsendQueryPrepared(conn_, name_.c_str(), nparams_, values_.data(), lengths_.data(),
                                 formats_.data(), result_format_)) {
          failed_row = i;
          fail(conn_, nullptr);
        }
      }
      if (!PQpipelineSync(conn_)) fail(conn_, nullptr);
      auto error = read_to_sync(conn_, [&](std::size_t, PGresult* res) { total += affected_rows(res); });
      if (error.failed()) {
        failed_row = start + error.query;
        fail(conn_, error.result);
      }
    }
    executions_ += rows.size();
    return total;
  }

  void reset() noexcept override {
    if (result_) PQclear(result_);
    result_ = nullptr;
    row_ = -1;
    nrows_ = 0;
  }

  int column_count() const override { return result_ ? PQnfields(result_) : 0; }
  std::string_view column_name(int i) const override { return result_ ? PQfname(result_, i) : ""; }
  ColumnKind column_kind(int i) const override {
    return PQgetisnull(result_, row_, i) ? ColumnKind::Null : columns_[i].kind;
  }

  // Each accessor decodes the binary forms it reads natively and otherwise
  // parses get_text(), which renders other binary values as text.
  std::int64_t get_int64(int i) const override {
    const ColumnInfo& c = columns_[i];
    if (c.decoded() && c.kind == ColumnKind::Integer) return binary_integer(c.type, value(i));
    std::string_view s = get_text(i);
    std::int64_t v = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec == std::errc() && r.ptr == s.data() + s.size()) return v;
    // a float or numeric (e.g. sum() of bigint) with an integral value
    double d = get_double(i);
    if (std::trunc(d) == d && std::fabs(d) < 9.2e18) return static_cast<std::int64_t>(d);
    throw ConversionError("column '" + std::string(column_name(i)) + "' holds " + std::string(get_text(i)) +
                          ", which is not an integer");
  }
  double get_double(int i) const override {
    const ColumnInfo& c = columns_[i];
    if (c.decoded()) {
      if (c.kind == ColumnKind::Float) return binary_float(c.type, value(i));
      if (c.kind == ColumnKind::Integer) return static_cast<double>(binary_integer(c.type, value(i)));
    }
    std::string_view s = get_text(i);
    if (s == "NaN") return std::nan("");
    if (s == "Infinity") return HUGE_VAL;
    if (s == "-Infinity") return -HUGE_VAL;
    double v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
  }
  bool get_bool(int i) const override {
    if (columns_[i].decoded() && columns_[i].kind == ColumnKind::Bool) return *value(i) != 0;
    return get_text(i).starts_with('t');
  }
  std::string_view get_text(int i) const override {
    const ColumnInfo& c = columns_[i];
    if (c.decoded()) {
      rendered_ = binary_text(c.type, value(i), length(i));
      return rendered_;
    }
    return {value(i), static_cast<std::size_t>(length(i))};
  }
  Bytes get_bytes(int i) const override {
    if (columns_[i].decoded() && columns_[i].type == kBytea) {
      auto p = reinterpret_cast<const std::uint8_t*>(value(i));
      return Bytes(p, p + length(i));
    }
    std::string_view s = get_text(i);
    Bytes out;
    if (s.size() >= 2 && s[0] == '\\' && s[1] == 'x') {  // bytea_output = hex
      out.reserve((s.size() - 2) / 2);
      for (std::size_t k = 2; k + 1 < s.size(); k += 2)
        out.push_back(static_cast<std::uint8_t>(hex_digit(s[k]) * 16 + hex_digit(s[k + 1])));
      return out;
    }
    out.assign(s.begin(), s.end());  // text column read as bytes
    return out;
  }
  Date get_date(int i) const override {
    if (columns_[i].decoded() && columns_[i].type == kDate) {
      if (auto d = binary_date_days(value(i))) return Date{std::chrono::days{*d + kPgEpochDays}};
    } else if (auto d = parse_date(get_text(i))) {
      return *d;
    }
    throw ConversionError("column '" + std::string(column_name(i)) + "' holds '" + std::string(get_text(i)) +
                          "', which is not a date");
  }
  Timestamp get_timestamp(int i) const override {
    const ColumnInfo& c = columns_[i];
    if (c.decoded() && c.kind == ColumnKind::Timestamp) return binary_timestamp(i);
    std::string_view s = get_text(i);
    // timestamptz arrives as "... +00" (the session time zone is UTC).
    if (c.type == kTimestampTz) {
      auto plus = s.find_last_of("+-");
      if (plus != std::string_view::npos && plus > 10) s = s.substr(0, plus);
    }
    auto t = parse_timestamp(s);
    if (!t) throw ConversionError("column '" + std::string(column_name(i)) + "' holds '" +
                                  std::string(s) + "', which is not a timestamp");
    return *t;
  }
  std::int64_t rows_affected() const override { return result_ ? affected_rows(result_) : 0; }
  const std::string& sql() const override { return sql_; }

 private:
  // What step() notes about each column of a new result, so that per-value
  // calls need no libpq lookups but the value itself.
  struct ColumnInfo {
    Oid type = 0;
    ColumnKind kind = ColumnKind::Text;
    bool binary = false;
    /// In binary format and not a text type: the bytes are not the text form.
    bool decoded() const { return binary && kind != ColumnKind::Text; }
  };

  void describe_columns() {
    columns_.resize(static_cast<std::size_t>(PQnfields(result_)));
    for (int i = 0; i < static_cast<int>(columns_.size()); ++i) {
      Oid type = PQftype(result_, i);
      columns_[i] = {type, kind_of(type), PQfformat(result_, i) == 1};
    }
  }

  const char* value(int i) const { return PQgetvalue(result_, row_, i); }
  int length(int i) const { return PQgetlength(result_, row_, i); }

  Timestamp binary_timestamp(int i) const {
    std::int64_t unix_micros = 0;
    auto us = binary_timestamp_micros(value(i));
    if (!us || __builtin_add_overflow(*us, kPgEpochMicros, &unix_micros))
      throw ConversionError("column '" + std::string(column_name(i)) + "' holds '" + std::string(get_text(i)) +
                            "', which is not a timestamp retort::Timestamp can hold");
    return Timestamp{std::chrono::microseconds{unix_micros}};
  }

  // The first execution runs unnamed with text results; later ones run the
  // prepared statement in the format chosen from its description.
  PGresult* execute() {
    if (executions_++ == 0)
      return PQexecParams(conn_, sql_.c_str(), nparams_, nullptr, values_.data(), lengths_.data(),
                          formats_.data(), 0);
    ensure_prepared();
    return PQexecPrepared(conn_, name_.c_str(), nparams_, values_.data(), lengths_.data(), formats_.data(),
                          result_format_);
  }

  void encode(std::size_t i, const Value& v) {
    std::string& t = text_[i];
    std::visit(
        [&](const auto& x) {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, Null>) {
            return;  // values_[i] stays null: SQL NULL
          } else if constexpr (std::is_same_v<T, std::int64_t>) {
            t = std::to_string(x);
          } else if constexpr (std::is_same_v<T, double>) {
            t = float_text(x);
          } else if constexpr (std::is_same_v<T, bool>) {
            t = x ? "true" : "false";
          } else if constexpr (std::is_same_v<T, std::string>) {
            // Text format ends at a NUL; PostgreSQL text cannot hold one either,
            // so the server reports it (invalid byte sequence) instead of
            // silently truncating.
            if (x.find('\0') != std::string::npos) {
              throw DriverError{ErrorKind::Data,
                                "PostgreSQL text cannot contain NUL (0x00) characters; use Bytes",
                                "22021"};
            }
            values_[i] = x.c_str();
            return;
          } else if constexpr (std::is_same_v<T, Bytes>) {
            static const char empty = 0;
            values_[i] = x.empty() ? &empty : reinterpret_cast<const char*>(x.data());
            lengths_[i] = static_cast<int>(x.size());
            formats_[i] = 1;  // binary: raw bytes, no escaping
            return;
          } else if constexpr (std::is_same_v<T, Date>) {
            t = format_date(x);
          } else {
            t = format_timestamp(x);
          }
          values_[i] = t.c_str();
        },
        v);
  }

  // Prepares by name and describes the statement in one round trip
  // (pipelined), to choose the result format before the first prepared
  // execution. The description is authoritative: the server refuses to run a
  // prepared statement whose result types have changed since.
  void ensure_prepared() {
    if (prepared_) return;
    Pipeline pipeline(conn_);
    if (!PQsendPrepare(conn_, name_.c_str(), sql_.c_str(), 0, nullptr) ||
        !PQsendDescribePrepared(conn_, name_.c_str()) || !PQpipelineSync(conn_))
      fail(conn_, nullptr);
    auto error = read_to_sync(conn_, [this](std::size_t query, PGresult* res) {
      if (query == 1) result_format_ = result_format_for(res);
    });
    if (error.failed()) fail(conn_, error.result);
    prepared_ = true;
  }

  PGconn* conn_;
  std::string sql_, name_;
  int nparams_ = 0;
  bool prepared_ = false;
  int result_format_ = 0;  ///< of prepared executions: 1 (binary) when every column decodes in binary
  std::uint64_t executions_ = 0;
  PGresult* result_ = nullptr;
  int row_ = -1, nrows_ = 0;
  std::vector<ColumnInfo> columns_;   ///< of result_
  mutable std::string rendered_;  ///< get_text() of a binary value that is not text (until the next call)
  // Parameter buffers, reused across executions. Strings point into the
  // caller's Values, which live until execution (PQexecPrepared copies).
  std::vector<std::string> text_;
  std::vector<const char*> values_;
  std::vector<int> lengths_, formats_;
};

void ignore_notice(void*, const char*) {}

class PqConnection final : public Connection {
 public:
  explicit PqConnection(const std::map<std::string, std::string>& keywords) {
    std::vector<const char*> keys, values;
    for (auto& [k, v] : keywords) {
      keys.push_back(k.c_str());
      values.push_back(v.c_str());
    }
    keys.push_back(nullptr);
    values.push_back(nullptr);
    conn_ = PQconnectdbParams(keys.data(), values.data(), 0);
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
      std::string msg = trim_message(conn_ ? PQerrorMessage(conn_) : "out of memory");
      PQfinish(conn_);
      conn_ = nullptr;
      throw OperationalError("could not connect to PostgreSQL: " + msg, "", {}, "08001");
    }
    // Notices ("table does not exist, skipping") are not errors; keep stderr clean.
    PQsetNoticeProcessor(conn_, ignore_notice, nullptr);
    execute_simple("SET TIME ZONE 'UTC'");
  }
  ~PqConnection() override {
    cache_.clear();
    PQfinish(conn_);
  }

  Statement& prepare(const std::string& sql, std::unique_ptr<Statement>& scratch) override {
    return cache_.get(sql, scratch, [this](const std::string& s) {
      return std::make_unique<PqStatement>(conn_, s, "retort_" + std::to_string(++counter_));
    });
  }
  void execute_simple(const std::string& sql) override {
    PGresult* res = PQexec(conn_, sql.c_str());
    auto st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) fail(conn_, res);
    PQclear(res);
  }
  bool is_alive() override { return conn_ && PQstatus(conn_) == CONNECTION_OK; }
  const Dialect& dialect() const override { return postgresql_dialect(); }
  std::size_t cached_statements() const override { return cache_.size(); }

 private:
  PGconn* conn_ = nullptr;
  unsigned long counter_ = 0;
  StatementCache<PqStatement> cache_;
};

}  // namespace

std::unique_ptr<Connection> open_postgresql(const std::map<std::string, std::string>& keywords) {
  return std::make_unique<PqConnection>(keywords);
}

}  // namespace retort::driver
