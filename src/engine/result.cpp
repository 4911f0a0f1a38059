#include "retort/result.hpp"

#include "driver/driver_error.hpp"
#include "engine/engine_state.hpp"

namespace retort {

Result::Result(std::shared_ptr<detail::ConnectionState> conn, driver::Statement* stmt,
               std::unique_ptr<driver::Statement> scratch, bool has_first_row)
    : conn_(std::move(conn)), stmt_(stmt), scratch_(std::move(scratch)), pending_first_(has_first_row) {
  // A statement without rows is finished: free it for reuse right away.
  if (!has_first_row) release();
}

Result::Result(Result&& o) noexcept
    : conn_(std::move(o.conn_)),
      stmt_(o.stmt_),
      scratch_(std::move(o.scratch_)),
      pending_first_(o.pending_first_),
      done_(o.done_),
      rows_affected_(o.rows_affected_) {
  o.stmt_ = nullptr;
  o.done_ = true;
}

Result& Result::operator=(Result&& o) noexcept {
  if (this != &o) {
    release();
    conn_ = std::move(o.conn_);
    stmt_ = o.stmt_;
    scratch_ = std::move(o.scratch_);
    pending_first_ = o.pending_first_;
    done_ = o.done_;
    rows_affected_ = o.rows_affected_;
    o.stmt_ = nullptr;
    o.done_ = true;
  }
  return *this;
}

Result::~Result() { release(); }

void Result::release() noexcept {
  if (stmt_ && !done_) {
    rows_affected_ = stmt_->rows_affected();
    stmt_->reset();
    stmt_->busy = false;
  }
  done_ = true;
}

bool Result::next() {
  if (done_) return false;
  if (pending_first_) {
    pending_first_ = false;
    return true;
  }
  bool more = false;
  try {
    more = stmt_->step();
  } catch (const driver::DriverError& e) {
    std::string sql = stmt_->sql();
    release();
    driver::raise_database_error(e, sql, {});
  }
  if (!more) release();
  return more;
}

int Result::column_count() const { return stmt_ ? stmt_->column_count() : 0; }
std::string_view Result::column_name(int i) const { return stmt_->column_name(i); }
std::int64_t Result::rows_affected() const { return done_ ? rows_affected_ : stmt_->rows_affected(); }

const driver::Statement& Result::statement() const {
  if (!stmt_ || done_) throw InvalidRequestError("no current row: call next() and check that it returned true");
  return *stmt_;
}

std::vector<std::vector<Value>> Result::all_values() {
  std::vector<std::vector<Value>> out;
  while (next()) {
    std::vector<Value> row;
    int n = stmt_->column_count();
    row.reserve(n);
    for (int i = 0; i < n; ++i) row.push_back(stmt_->get_value(i));
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace retort
