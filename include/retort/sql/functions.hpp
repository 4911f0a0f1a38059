// retort/sql/functions.hpp — SQL functions and special forms: aggregates,
// coalesce, cast, case/when, exists, string functions.
//
// Result types follow SQL: aggregates other than count may return NULL (no
// rows), so sum/min/max/avg are std::optional. On PostgreSQL sum() of
// integers returns numeric and avg() numeric; the compiler casts them back to
// BIGINT / DOUBLE PRECISION so they read into the declared C++ types.
#pragma once

#include <utility>
#include <vector>

#include "retort/sql/expression.hpp"

namespace retort::sql {

template <SqlValue... Ts>
class Select;

/// count(*).
inline Expr<std::int64_t> count() {
  return Expr<std::int64_t>(detail::make_function("count", {detail::make_star()}, TypeKind::BigInteger));
}
/// count(e): the rows where e is not NULL.
template <SqlValue T>
Expr<std::int64_t> count(const Expr<T>& e) {
  return Expr<std::int64_t>(detail::make_function("count", {e.node()}, TypeKind::BigInteger));
}
/// count(DISTINCT e).
template <SqlValue T>
Expr<std::int64_t> count_distinct(const Expr<T>& e) {
  return Expr<std::int64_t>(detail::make_function("count", {e.node()}, TypeKind::BigInteger, true));
}

template <SqlValue T>
auto sum(const Expr<T>& e) {
  static_assert(category_of<T>() == Category::Numeric, "retort::sql: sum() takes a numeric expression");
  using R = std::optional<typename detail::arithmetic_result<T, T>::B>;
  return Expr<R>(detail::make_function("sum", {e.node()}, type_kind_of<R>(), false, true));
}
template <SqlValue T>
Expr<std::optional<double>> avg(const Expr<T>& e) {
  static_assert(category_of<T>() == Category::Numeric, "retort::sql: avg() takes a numeric expression");
  return Expr<std::optional<double>>(detail::make_function("avg", {e.node()}, TypeKind::Float, false, true));
}
template <SqlValue T>
Expr<std::optional<base_t<T>>> min(const Expr<T>& e) {
  return Expr<std::optional<base_t<T>>>(detail::make_function("min", {e.node()}, type_kind_of<T>()));
}
template <SqlValue T>
Expr<std::optional<base_t<T>>> max(const Expr<T>& e) {
  return Expr<std::optional<base_t<T>>>(detail::make_function("max", {e.node()}, type_kind_of<T>()));
}

template <SqlValue T>
Expr<T> lower(const Expr<T>& e) {
  static_assert(category_of<T>() == Category::Text, "retort::sql: lower() takes a string expression");
  return Expr<T>(detail::make_function("lower", {e.node()}, TypeKind::Text));
}
template <SqlValue T>
Expr<T> upper(const Expr<T>& e) {
  static_assert(category_of<T>() == Category::Text, "retort::sql: upper() takes a string expression");
  return Expr<T>(detail::make_function("upper", {e.node()}, TypeKind::Text));
}
/// length(e) in characters.
template <SqlValue T>
Expr<detail::nullable_if_t<std::int64_t, T, T>> length(const Expr<T>& e) {
  static_assert(category_of<T>() == Category::Text, "retort::sql: length() takes a string expression");
  return Expr<detail::nullable_if_t<std::int64_t, T, T>>(
      detail::make_function("length", {e.node()}, TypeKind::BigInteger, false, true));
}

/// coalesce(e, alt, ...): the first non-NULL argument. Not nullable when the
/// last argument is not.
template <SqlValue T, class... As>
auto coalesce(const Expr<T>& e, const As&... alts) {
  static_assert(sizeof...(As) > 0, "retort::sql: coalesce() needs at least two arguments");
  static_assert((comparable_v<T, detail::sql_type_t<As>> && ...),
                "retort::sql: coalesce() arguments must all have the same kind of type");
  using Last = detail::sql_type_t<std::tuple_element_t<sizeof...(As) - 1, std::tuple<As...>>>;
  using R = std::conditional_t<nullable_v<Last>, std::optional<base_t<T>>, base_t<T>>;
  std::vector<detail::NodePtr> args{e.node(), Expr<T>::operand(alts)...};
  return Expr<R>(detail::make_function("coalesce", std::move(args), type_kind_of<T>()));
}

/// CAST(e AS <type of U>). U may be std::optional (a nullable result).
template <SqlValue U, SqlValue T>
Expr<U> cast(const Expr<T>& e) {
  return Expr<U>(detail::make_cast(e.node(), type_kind_of<U>()));
}

/// EXISTS (subquery) / NOT EXISTS (subquery).
template <SqlValue... Ts>
Expr<bool> exists(const Select<Ts...>& sub) {
  return Expr<bool>(detail::make_exists(sub.data(), false));
}
template <SqlValue... Ts>
Expr<bool> not_exists(const Select<Ts...>& sub) {
  return Expr<bool>(detail::make_exists(sub.data(), true));
}

/// CASE WHEN ... THEN ... [ELSE ...] END producing values of type T:
///   case_<std::string>().when(u.id < 10, "low").when(u.id < 100, u.name).else_("high")
/// else_() finishes with type T; end() finishes without ELSE, as std::optional<T>.
template <SqlValue T>
class Case {
 public:
  template <class C, class V>
  Case when(const C& condition, const V& result) const {
    static_assert(std::is_same_v<base_t<detail::sql_type_t<C>>, bool>,
                  "retort::sql: case_().when() takes a condition (a boolean expression)");
    static_assert(comparable_v<T, detail::sql_type_t<V>>,
                  "retort::sql: every case_() result must have the type given to case_<T>()");
    Case c = *this;
    c.whens_.push_back(condition.node());
    c.whens_.push_back(Expr<T>::operand(result));
    return c;
  }
  template <class V>
  Expr<T> else_(const V& result) const {
    static_assert(comparable_v<T, detail::sql_type_t<V>>,
                  "retort::sql: every case_() result must have the type given to case_<T>()");
    return Expr<T>(detail::make_case(whens_, Expr<T>::operand(result), type_kind_of<T>()));
  }
  Expr<std::optional<base_t<T>>> end() const {
    return Expr<std::optional<base_t<T>>>(detail::make_case(whens_, nullptr, type_kind_of<T>()));
  }

 private:
  std::vector<detail::NodePtr> whens_;
};
template <SqlValue T>
Case<T> case_() {
  return Case<T>();
}

}  // namespace retort::sql
