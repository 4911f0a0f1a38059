// retort/column_reader.hpp — decoding one column of the current row into a C++ type.
//
// read_column<T>(stmt, i) is the single place where database values become
// C++ values. It checks the column's storage class, so a TEXT value is never
// silently read as 0 and an int64 that does not fit an int32 is an error,
// not a truncation. NULL reads only into std::optional.
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "retort/driver/driver.hpp"
#include "retort/value.hpp"

namespace retort {

namespace detail {
template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
}  // namespace detail

/// The C++ types a column can be read into (and bound from).
template <class T>
concept ColumnValue =
    std::same_as<T, std::int64_t> || std::same_as<T, std::int32_t> ||
    std::same_as<T, std::int16_t> || std::same_as<T, double> || std::same_as<T, float> ||
    std::same_as<T, bool> || std::same_as<T, std::string> || std::same_as<T, Bytes> ||
    std::same_as<T, Date> || std::same_as<T, Timestamp>;

template <class T>
concept NullableColumnValue = detail::is_optional<T>::value && ColumnValue<typename T::value_type>;

template <class T>
concept Readable = ColumnValue<T> || NullableColumnValue<T> || std::same_as<T, Value>;

namespace detail {
// Out-of-line readers; each throws ConversionError naming the column and the
// stored kind when the value does not fit.
std::int64_t read_int64(const driver::Statement& s, int i, std::int64_t min, std::int64_t max,
                        const char* cpp_type);
double read_double(const driver::Statement& s, int i);
bool read_bool(const driver::Statement& s, int i);
std::string read_text(const driver::Statement& s, int i);
/// read_text without the copy: valid until the statement moves on or, for a
/// value the driver renders as text (a PostgreSQL binary date), until the
/// next read of a column.
std::string_view read_text_view(const driver::Statement& s, int i);
Bytes read_bytes(const driver::Statement& s, int i);
Date read_date(const driver::Statement& s, int i);
Timestamp read_timestamp(const driver::Statement& s, int i);
[[noreturn]] void throw_null_column(const driver::Statement& s, int i, const char* cpp_type);
}  // namespace detail

template <Readable T>
T read_column(const driver::Statement& s, int i) {
  if constexpr (std::same_as<T, Value>) {
    return s.get_value(i);
  } else if constexpr (NullableColumnValue<T>) {
    if (s.column_kind(i) == driver::ColumnKind::Null) return std::nullopt;
    return read_column<typename T::value_type>(s, i);
  } else {
    if constexpr (std::same_as<T, std::int64_t>) {
      return detail::read_int64(s, i, INT64_MIN, INT64_MAX, "int64_t");
    } else if constexpr (std::same_as<T, std::int32_t>) {
      return static_cast<std::int32_t>(detail::read_int64(s, i, INT32_MIN, INT32_MAX, "int32_t"));
    } else if constexpr (std::same_as<T, std::int16_t>) {
      return static_cast<std::int16_t>(detail::read_int64(s, i, INT16_MIN, INT16_MAX, "int16_t"));
    } else if constexpr (std::same_as<T, double>) {
      return detail::read_double(s, i);
    } else if constexpr (std::same_as<T, float>) {
      return static_cast<float>(detail::read_double(s, i));
    } else if constexpr (std::same_as<T, bool>) {
      return detail::read_bool(s, i);
    } else if constexpr (std::same_as<T, std::string>) {
      return detail::read_text(s, i);
    } else if constexpr (std::same_as<T, Bytes>) {
      return detail::read_bytes(s, i);
    } else if constexpr (std::same_as<T, Date>) {
      return detail::read_date(s, i);
    } else {
      return detail::read_timestamp(s, i);
    }
  }
}

/// read_column into an existing object. A string is assigned in place, so
/// its buffer is reused and no temporary is made (the ORM loads rows so).
template <Readable T>
void read_column_into(const driver::Statement& s, int i, T& out) {
  if constexpr (std::same_as<T, std::string>) {
    out.assign(detail::read_text_view(s, i));
  } else if constexpr (std::same_as<T, std::optional<std::string>>) {
    if (s.column_kind(i) == driver::ColumnKind::Null) {
      out.reset();
    } else if (out) {
      out->assign(detail::read_text_view(s, i));
    } else {
      out.emplace(detail::read_text_view(s, i));
    }
  } else {
    out = read_column<T>(s, i);
  }
}

/// Converts a C++ value to the Value bound as a parameter.
template <Readable T>
Value to_value(const T& v) {
  if constexpr (std::same_as<T, Value>) {
    return v;
  } else if constexpr (NullableColumnValue<T>) {
    if (!v) return Null{};
    return to_value(*v);
  } else if constexpr (std::integral<T> && !std::same_as<T, bool>) {
    return static_cast<std::int64_t>(v);
  } else if constexpr (std::same_as<T, float>) {
    return static_cast<double>(v);
  } else {
    return v;
  }
}

}  // namespace retort
