#include "retort/driver/driver.hpp"

namespace retort::driver {

Value Statement::get_value(int i) const {
  switch (column_kind(i)) {
    case ColumnKind::Null: return Null{};
    case ColumnKind::Integer: return get_int64(i);
    case ColumnKind::Float: return get_double(i);
    case ColumnKind::Bool: return get_bool(i);
    case ColumnKind::Text: return std::string(get_text(i));
    case ColumnKind::Blob: return get_bytes(i);
    case ColumnKind::Date: return get_date(i);
    case ColumnKind::Timestamp: return get_timestamp(i);
  }
  return Null{};
}

std::int64_t Statement::execute_once(std::span<const Value> params) {
  bind(params);
  try {
    while (step()) {
    }
  } catch (...) {
    reset();
    throw;
  }
  std::int64_t n = rows_affected();
  reset();
  return n;
}

std::int64_t Statement::execute_batch(std::span<const std::vector<Value>> rows, std::size_t& failed_row) {
  std::int64_t total = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    failed_row = i;
    total += execute_once(rows[i]);
  }
  return total;
}

}  // namespace retort::driver
