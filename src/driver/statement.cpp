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

}  // namespace retort::driver
