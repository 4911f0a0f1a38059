// Checked decoding of one column into a C++ type (retort/column_reader.hpp).
#include "retort/column_reader.hpp"

#include <cmath>

#include "retort/error.hpp"

namespace retort::detail {

namespace {

const char* kind_name(driver::ColumnKind k) {
  switch (k) {
    case driver::ColumnKind::Null: return "NULL";
    case driver::ColumnKind::Integer: return "an integer";
    case driver::ColumnKind::Float: return "a floating-point number";
    case driver::ColumnKind::Bool: return "a boolean";
    case driver::ColumnKind::Text: return "text";
    case driver::ColumnKind::Blob: return "binary data";
    case driver::ColumnKind::Date: return "a date";
    case driver::ColumnKind::Timestamp: return "a timestamp";
  }
  return "?";
}

[[noreturn]] void mismatch(const driver::Statement& s, int i, const char* cpp_type) {
  auto k = s.column_kind(i);
  if (k == driver::ColumnKind::Null) throw_null_column(s, i, cpp_type);
  throw ConversionError("column " + std::to_string(i) + " ('" + std::string(s.column_name(i)) + "') holds " +
                        kind_name(k) + ", which cannot be read as " + cpp_type);
}

}  // namespace

void throw_null_column(const driver::Statement& s, int i, const char* cpp_type) {
  throw ConversionError("column " + std::to_string(i) + " ('" + std::string(s.column_name(i)) +
                        "') is NULL, which cannot be read as " + cpp_type +
                        "; read it as std::optional<" + cpp_type + ">");
}

std::int64_t read_int64(const driver::Statement& s, int i, std::int64_t min, std::int64_t max,
                        const char* cpp_type) {
  std::int64_t v = 0;
  switch (s.column_kind(i)) {
    case driver::ColumnKind::Integer: v = s.get_int64(i); break;
    case driver::ColumnKind::Bool: v = s.get_bool(i) ? 1 : 0; break;
    case driver::ColumnKind::Float: {
      // Accept integral values (PostgreSQL's numeric sum(), SQLite's REAL 3.0).
      double d = s.get_double(i);
      if (std::trunc(d) != d || d < -9.2233720368547758e18 || d >= 9.2233720368547758e18) mismatch(s, i, cpp_type);
      v = s.get_int64(i);  // exact on PostgreSQL (numeric is parsed from its text), integral on SQLite
      break;
    }
    default: mismatch(s, i, cpp_type);
  }
  if (v < min || v > max)
    throw ConversionError("column " + std::to_string(i) + " ('" + std::string(s.column_name(i)) + "') holds " +
                          std::to_string(v) + ", which does not fit in " + cpp_type);
  return v;
}

double read_double(const driver::Statement& s, int i) {
  switch (s.column_kind(i)) {
    case driver::ColumnKind::Float: return s.get_double(i);
    case driver::ColumnKind::Integer: return static_cast<double>(s.get_int64(i));
    default: mismatch(s, i, "double");
  }
}

bool read_bool(const driver::Statement& s, int i) {
  switch (s.column_kind(i)) {
    case driver::ColumnKind::Bool: return s.get_bool(i);
    case driver::ColumnKind::Integer: {  // SQLite stores BOOLEAN as 0/1
      auto v = s.get_int64(i);
      if (v == 0 || v == 1) return v == 1;
      throw ConversionError("column " + std::to_string(i) + " ('" + std::string(s.column_name(i)) + "') holds " +
                            std::to_string(v) + ", which is not a boolean (0 or 1)");
    }
    default: mismatch(s, i, "bool");
  }
}

std::string_view read_text_view(const driver::Statement& s, int i) {
  switch (s.column_kind(i)) {
    case driver::ColumnKind::Text:
    case driver::ColumnKind::Date:       // PostgreSQL's text form (also for binary
    case driver::ColumnKind::Timestamp:  // results, rendered alike): lossless
      return s.get_text(i);
    default: mismatch(s, i, "std::string");
  }
}

std::string read_text(const driver::Statement& s, int i) { return std::string(read_text_view(s, i)); }

Bytes read_bytes(const driver::Statement& s, int i) {
  if (s.column_kind(i) != driver::ColumnKind::Blob) mismatch(s, i, "retort::Bytes");
  return s.get_bytes(i);
}

Date read_date(const driver::Statement& s, int i) {
  auto k = s.column_kind(i);
  if (k != driver::ColumnKind::Date && k != driver::ColumnKind::Text) mismatch(s, i, "retort::Date");
  return s.get_date(i);
}

Timestamp read_timestamp(const driver::Statement& s, int i) {
  auto k = s.column_kind(i);
  if (k != driver::ColumnKind::Timestamp && k != driver::ColumnKind::Text) mismatch(s, i, "retort::Timestamp");
  return s.get_timestamp(i);
}

}  // namespace retort::detail
