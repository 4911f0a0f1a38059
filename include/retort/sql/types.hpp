// retort/sql/types.hpp — the C++ types of SQL expressions and the rules
// between them (which types compare, what arithmetic yields, SQL type kinds).
//
// An expression of C++ type T is NOT NULL; std::optional<T> is nullable.
// Comparable categories: numbers with numbers, strings with strings (also
// const char* and std::string_view values), bool with bool, Date with Date,
// Timestamp with Timestamp, Bytes with Bytes. std::optional<T> behaves as T.
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "retort/column_reader.hpp"
#include "retort/schema.hpp"
#include "retort/value.hpp"

namespace retort::sql {

/// The C++ types an SQL expression can have: the types a column can be read
/// into, plain (NOT NULL) or std::optional (nullable).
/// (Defined through a bool so that the concept is one atomic constraint:
/// clang's subsumption check would otherwise expand the disjunction
/// exponentially when ordering the operator templates.)
template <class T>
inline constexpr bool is_sql_value_v = ColumnValue<T> || NullableColumnValue<T>;
template <class T>
concept SqlValue = is_sql_value_v<T>;

namespace detail {
template <class T>
struct strip_optional {
  using type = T;
};
template <class T>
struct strip_optional<std::optional<T>> {
  using type = T;
};
}  // namespace detail

/// T without std::optional.
template <class T>
using base_t = typename detail::strip_optional<T>::type;
/// True for std::optional<...>.
template <class T>
inline constexpr bool nullable_v = retort::detail::is_optional<T>::value;

enum class Category { None, Numeric, Text, Bool, Bytes, Date, Timestamp, Null };

/// The comparison category of an expression type or of a C++ value type.
template <class V>
constexpr Category category_of() {
  using D = base_t<std::remove_cvref_t<std::decay_t<V>>>;
  if constexpr (std::is_same_v<D, std::nullopt_t> || std::is_same_v<D, Null>) {
    return Category::Null;
  } else if constexpr (std::is_same_v<D, bool>) {
    return Category::Bool;
  } else if constexpr (std::is_same_v<D, char> || std::is_same_v<D, wchar_t> ||
                       std::is_same_v<D, char8_t> || std::is_same_v<D, char16_t> ||
                       std::is_same_v<D, char32_t>) {
    return Category::None;
  } else if constexpr (std::is_arithmetic_v<D>) {
    return Category::Numeric;
  } else if constexpr (std::is_same_v<D, std::string> || std::is_same_v<D, std::string_view> ||
                       std::is_same_v<D, const char*> || std::is_same_v<D, char*>) {
    return Category::Text;
  } else if constexpr (std::is_same_v<D, Bytes>) {
    return Category::Bytes;
  } else if constexpr (std::is_same_v<D, Date>) {
    return Category::Date;
  } else if constexpr (std::is_same_v<D, Timestamp>) {
    return Category::Timestamp;
  } else {
    return Category::None;
  }
}

/// T and U may be compared in SQL.
template <class T, class U>
inline constexpr bool comparable_v = category_of<T>() == category_of<U>() &&
                                     category_of<T>() != Category::None && category_of<T>() != Category::Null;
template <class T, class U>
concept Comparable = comparable_v<T, U>;

/// The SQL type kind used for a C++ expression type (casts, parameters).
template <class T>
constexpr TypeKind type_kind_of() {
  using B = base_t<T>;
  if constexpr (std::is_same_v<B, std::int16_t>) return TypeKind::SmallInteger;
  else if constexpr (std::is_same_v<B, std::int32_t>) return TypeKind::Integer;
  else if constexpr (std::is_same_v<B, bool>) return TypeKind::Boolean;
  else if constexpr (std::is_integral_v<B>) return TypeKind::BigInteger;
  else if constexpr (std::is_floating_point_v<B>) return TypeKind::Float;
  else if constexpr (std::is_same_v<B, Bytes>) return TypeKind::Binary;
  else if constexpr (std::is_same_v<B, Date>) return TypeKind::Date;
  else if constexpr (std::is_same_v<B, Timestamp>) return TypeKind::DateTime;
  else return TypeKind::Text;
}

namespace detail {

/// The expression type a plain C++ value takes when it becomes a parameter.
template <class V, class D = std::remove_cvref_t<std::decay_t<V>>>
struct value_sql_type {
  using type = D;  // std::string, Bytes, Date, Timestamp, optional<...>
};
template <class V>
struct value_sql_type<V, const char*> {
  using type = std::string;
};
template <class V>
struct value_sql_type<V, char*> {
  using type = std::string;
};
template <class V>
struct value_sql_type<V, std::string_view> {
  using type = std::string;
};
template <class V>
  requires(std::is_integral_v<V> && !std::is_same_v<V, bool>)
struct value_sql_type<V, V> {
  using type = std::int64_t;
};

/// Binds a plain C++ value (std::optional allowed: nullopt binds NULL).
template <class V>
Value to_param_value(const V& v) {
  using D = std::remove_cvref_t<std::decay_t<V>>;
  if constexpr (retort::detail::is_optional<D>::value) {
    if (!v) return Null{};
    return to_param_value(*v);
  } else if constexpr (std::is_same_v<D, std::nullopt_t> || std::is_same_v<D, Null>) {
    return Null{};
  } else if constexpr (std::is_same_v<D, const char*> || std::is_same_v<D, char*> ||
                       std::is_same_v<D, std::string_view>) {
    return std::string(v);
  } else if constexpr (std::is_same_v<D, bool>) {
    return v;
  } else if constexpr (std::is_integral_v<D>) {
    return static_cast<std::int64_t>(v);
  } else if constexpr (std::is_floating_point_v<D>) {
    return static_cast<double>(v);
  } else {
    return Value(v);
  }
}

/// The type of a + b (numbers): int64 for integers, double when either is
/// floating; nullable when either is.
template <class T, class U>
struct arithmetic_result {
  using B = std::conditional_t<std::is_floating_point_v<base_t<T>> || std::is_floating_point_v<base_t<U>>,
                               double, std::int64_t>;
  using type = std::conditional_t<nullable_v<T> || nullable_v<U>, std::optional<B>, B>;
};

/// std::optional<T> when either input is nullable, else T.
template <class R, class T, class U>
using nullable_if_t = std::conditional_t<nullable_v<T> || nullable_v<U>, std::optional<base_t<R>>, base_t<R>>;

/// The parameter type kind for value type V compared/combined with type T.
template <class T, class V>
constexpr TypeKind param_kind() {
  if constexpr (category_of<T>() == Category::Numeric && category_of<V>() == Category::Numeric) {
    using BV = base_t<std::remove_cvref_t<std::decay_t<V>>>;
    if constexpr (std::is_floating_point_v<base_t<T>> || std::is_floating_point_v<BV>) {
      return TypeKind::Float;
    } else {
      return type_kind_of<T>();
    }
  } else {
    return type_kind_of<T>();
  }
}

}  // namespace detail
}  // namespace retort::sql
