// retort/value.hpp — the one runtime representation of an SQL value.
//
// Every value that crosses the driver boundary travels as a retort::Value:
// bound parameters going in, and (where a caller wants untyped access) column
// values coming out. Typed code decodes columns straight into C++ members and
// never builds a Value (see result.hpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace retort {

/// Binary data (BLOB in SQLite, bytea in PostgreSQL). May contain zero bytes.
using Bytes = std::vector<std::uint8_t>;

/// A calendar date (SQL DATE).
using Date = std::chrono::sys_days;

/// A point in time with microsecond precision, without time zone (SQL TIMESTAMP).
/// Stored as UTC wall-clock time on both databases.
using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

/// SQL NULL.
using Null = std::monostate;

/// A dynamically typed SQL value. The alternatives are the storage types the
/// drivers understand; narrower C++ types (int32_t, float) widen into them.
using Value = std::variant<Null, std::int64_t, double, bool, std::string, Bytes, Date, Timestamp>;

/// True when the value is SQL NULL.
inline bool is_null(const Value& v) noexcept { return std::holds_alternative<Null>(v); }

/// Renders a value for logs and error messages (strings quoted, bytes as hex).
/// Never used to build SQL: values are always bound parameters.
std::string to_display(const Value& v);

/// Renders a parameter list as SQLAlchemy's echo does: ('Alice', 1). A list
/// of more than 28 values shows the first 24, "... N more of M parameters
/// ...", and the last 3.
std::string to_display(const std::vector<Value>& params);

/// ISO 8601 text forms, used by both dialects' wire formats.
std::string format_date(Date d);
std::string format_timestamp(Timestamp t);
/// Parse "YYYY-MM-DD"; nullopt on malformed input.
std::optional<Date> parse_date(std::string_view s);
/// Parse "YYYY-MM-DD HH:MM:SS[.ffffff]" (a 'T' separator is accepted too).
std::optional<Timestamp> parse_timestamp(std::string_view s);

}  // namespace retort
