// retort/sql/expression.hpp — typed SQL expressions: Expr<T> and its operators.
//
// Expr<T> is a handle on an untyped node plus the C++ type T of the value it
// produces (std::optional<T> when it may be NULL). The operators check types
// at compile time with a one-sentence static_assert and build nodes through
// the compiled factories of node.hpp; nothing here knows any SQL syntax.
//
// Values on either side of an operator become bound parameters, never SQL
// text. `e == std::nullopt` compiles to `e IS NULL` and `e != std::nullopt`
// to `e IS NOT NULL`; an empty std::optional value likewise (so comparing with
// an optional that holds no value tests for NULL, as the C++ reads).
#pragma once

#include <initializer_list>
#include <string_view>
#include <type_traits>
#include <vector>

#include "retort/sql/node.hpp"
#include "retort/sql/types.hpp"

namespace retort::sql {

template <SqlValue... Ts>
class Select;

/// The untyped part of every expression: a shared node.
class ExprBase {
 public:
  const detail::NodePtr& node() const { return node_; }

 protected:
  ExprBase() = default;
  explicit ExprBase(detail::NodePtr n) : node_(std::move(n)) {}
  detail::NodePtr node_;
};

namespace detail {
template <class V>
inline constexpr bool is_expr_v = std::is_base_of_v<ExprBase, std::remove_cvref_t<V>>;
template <class V>
concept NotExpr = !is_expr_v<V>;
}  // namespace detail

/// One ORDER BY item: an expression, a direction and a NULLS placement.
class Ordering {
 public:
  Ordering(detail::NodePtr e, bool descending, int nulls = 0)
      : expr_(std::move(e)), desc_(descending), nulls_(nulls) {}
  /// NULLS FIRST / NULLS LAST (both dialects).
  Ordering nulls_first() const { return Ordering(expr_, desc_, 1); }
  Ordering nulls_last() const { return Ordering(expr_, desc_, 2); }
  detail::NodePtr node() const { return detail::make_ordering(expr_, desc_, nulls_); }

 private:
  detail::NodePtr expr_;
  bool desc_;
  int nulls_;
};

#define RETORT_SQL_MSG_COMPARE                                                              \
  "retort::sql: these operands cannot be compared (numbers compare with numbers, strings " \
  "with strings, bool with bool, Date/Timestamp/Bytes with their own type)"

/// A typed SQL expression producing values of C++ type T.
template <SqlValue T>
class Expr : public ExprBase {
 public:
  using value_type = T;
  explicit Expr(detail::NodePtr n) : ExprBase(std::move(n)) {}

  /// `expr AS name` in a select list (a column alias); ORDER BY uses the name.
  Expr label(std::string_view name) const { return Expr(detail::make_label(node_, name)); }
  Ordering asc() const { return Ordering(node_, false); }
  Ordering desc() const { return Ordering(node_, true); }
  Expr<bool> is_null() const { return Expr<bool>(detail::make_is_null(node_, false)); }
  Expr<bool> is_not_null() const { return Expr<bool>(detail::make_is_null(node_, true)); }

  /// `expr IN (v1, v2, ...)`; an empty list is false (NOT IN: true).
  template <class V>
  Expr<bool> in_(std::initializer_list<V> values) const {
    return in_list(values.begin(), values.end(), false);
  }
  template <class V>
  Expr<bool> in_(const std::vector<V>& values) const {
    return in_list(values.begin(), values.end(), false);
  }
  template <class V>
  Expr<bool> not_in(std::initializer_list<V> values) const {
    return in_list(values.begin(), values.end(), true);
  }
  template <class V>
  Expr<bool> not_in(const std::vector<V>& values) const {
    return in_list(values.begin(), values.end(), true);
  }
  /// `expr IN (SELECT ...)`: the subquery selects one comparable column.
  template <class U>
  Expr<bool> in_(const Select<U>& sub) const {
    static_assert(comparable_v<T, U>, RETORT_SQL_MSG_COMPARE);
    return Expr<bool>(detail::make_in_select(node_, sub.data(), false));
  }
  template <class U>
  Expr<bool> not_in(const Select<U>& sub) const {
    static_assert(comparable_v<T, U>, RETORT_SQL_MSG_COMPARE);
    return Expr<bool>(detail::make_in_select(node_, sub.data(), true));
  }

  /// `expr LIKE pattern` (strings only). ILIKE is emulated on SQLite with
  /// lower(expr) LIKE lower(pattern).
  template <class P>
  Expr<bool> like(const P& pattern) const {
    return like_impl(pattern, false, false);
  }
  template <class P>
  Expr<bool> not_like(const P& pattern) const {
    return like_impl(pattern, false, true);
  }
  template <class P>
  Expr<bool> ilike(const P& pattern) const {
    return like_impl(pattern, true, false);
  }

  /// `expr BETWEEN low AND high`.
  template <class L, class H>
  Expr<bool> between(const L& low, const H& high) const {
    static_assert(comparable_v<T, L> && comparable_v<T, H>, RETORT_SQL_MSG_COMPARE);
    return Expr<bool>(
        detail::make_between(node_, operand<L>(low), operand<H>(high), false));
  }

  /// The node for `v` as the other operand of this expression: its node when
  /// v is an expression, else a bound parameter typed after T.
  template <class V>
  static detail::NodePtr operand(const V& v) {
    if constexpr (detail::is_expr_v<V>) {
      return v.node();
    } else {
      return detail::make_param(detail::to_param_value(v), detail::param_kind<T, V>());
    }
  }

 private:
  template <class It>
  Expr<bool> in_list(It first, It last, bool negate) const {
    using V = std::remove_cvref_t<decltype(*first)>;
    static_assert(comparable_v<T, V>, RETORT_SQL_MSG_COMPARE);
    std::vector<detail::NodePtr> items;
    for (; first != last; ++first) items.push_back(operand<V>(*first));
    return Expr<bool>(detail::make_in_list(node_, std::move(items), negate));
  }
  template <class P>
  Expr<bool> like_impl(const P& pattern, bool ilike, bool negate) const {
    static_assert(category_of<T>() == Category::Text && category_of<P>() == Category::Text,
                  "retort::sql: LIKE and ILIKE apply to strings only");
    return Expr<bool>(detail::make_like(node_, operand<P>(pattern), ilike, negate));
  }
};

namespace detail {

template <class X>
struct sql_type_of {
  using type = typename value_sql_type<X>::type;
};
template <class X>
  requires is_expr_v<X>
struct sql_type_of<X> {
  using type = typename std::remove_cvref_t<X>::value_type;
};
/// The C++ expression type of an operand: Expr<T>::value_type, or the type
/// a plain value binds as.
template <class X>
using sql_type_t = typename sql_type_of<X>::type;

template <class Self, class Other>
NodePtr operand_node(const Self& x) {
  if constexpr (is_expr_v<Self>) {
    return x.node();
  } else {
    return make_param(to_param_value(x), param_kind<sql_type_t<Other>, Self>());
  }
}

/// a OP b for comparisons; at least one of L, R is an expression.
template <Op O, class L, class R>
Expr<bool> compare(const L& l, const R& r) {
  constexpr bool l_null = category_of<L>() == Category::Null && !is_expr_v<L>;
  constexpr bool r_null = category_of<R>() == Category::Null && !is_expr_v<R>;
  if constexpr (l_null || r_null) {
    static_assert(O == Op::Eq || O == Op::Ne,
                  "retort::sql: only == and != apply to std::nullopt (they mean IS NULL / IS NOT NULL)");
    if constexpr (l_null) {
      return Expr<bool>(make_is_null(r.node(), O == Op::Ne));
    } else {
      return Expr<bool>(make_is_null(l.node(), O == Op::Ne));
    }
  } else {
    static_assert(comparable_v<sql_type_t<L>, sql_type_t<R>>, RETORT_SQL_MSG_COMPARE);
    if constexpr (!is_expr_v<L> && nullable_v<std::remove_cvref_t<L>>) {
      if (!l) return Expr<bool>(make_is_null(r.node(), O == Op::Ne));
    }
    if constexpr (!is_expr_v<R> && nullable_v<std::remove_cvref_t<R>>) {
      if (!r) return Expr<bool>(make_is_null(l.node(), O == Op::Ne));
    }
    return Expr<bool>(make_binary(O, operand_node<L, R>(l), operand_node<R, L>(r), TypeKind::Boolean));
  }
}

/// a OP b for + - * / %; `+` on two strings is concatenation (||).
template <Op O, class L, class R>
auto arithmetic(const L& l, const R& r) {
  using T = sql_type_t<L>;
  using U = sql_type_t<R>;
  if constexpr (O == Op::Add && category_of<T>() == Category::Text) {
    static_assert(category_of<U>() == Category::Text,
                  "retort::sql: + joins a string only with another string (use cast<std::string>() first)");
    using Res = nullable_if_t<std::string, T, U>;
    return Expr<Res>(make_binary(Op::Concat, operand_node<L, R>(l), operand_node<R, L>(r), TypeKind::Text));
  } else {
    static_assert(category_of<T>() == Category::Numeric && category_of<U>() == Category::Numeric,
                  "retort::sql: arithmetic operators apply to numbers only (and + to two strings)");
    using Res = typename arithmetic_result<T, U>::type;
    return Expr<Res>(make_binary(O, operand_node<L, R>(l), operand_node<R, L>(r), type_kind_of<Res>()));
  }
}

template <Op O, class L, class R>
Expr<bool> logical(const L& l, const R& r) {
  static_assert(std::is_same_v<base_t<sql_type_t<L>>, bool> && std::is_same_v<base_t<sql_type_t<R>>, bool>,
                "retort::sql: && and || combine conditions (boolean expressions) only");
  return Expr<bool>(make_binary(O, operand_node<L, R>(l), operand_node<R, L>(r), TypeKind::Boolean));
}

}  // namespace detail

// Each operator comes in three forms: expr OP expr, expr OP value, value OP expr.
// Comparisons and logical operators spell out their return type (Expr<bool>):
// deducing it would make every C++20 rewritten `==` candidate instantiate a
// body, which clang 14 handles very slowly.
#define RETORT_SQL_BINARY(OP, FN, CODE, RET)                                         \
  template <SqlValue T, SqlValue U>                                                  \
  RET operator OP(const Expr<T>& a, const Expr<U>& b) {                              \
    return detail::FN<detail::Op::CODE>(a, b);                                       \
  }                                                                                  \
  template <SqlValue T, detail::NotExpr V>                                           \
  RET operator OP(const Expr<T>& a, const V& b) {                                    \
    return detail::FN<detail::Op::CODE>(a, b);                                       \
  }                                                                                  \
  template <detail::NotExpr V, SqlValue T>                                           \
  RET operator OP(const V& a, const Expr<T>& b) {                                    \
    return detail::FN<detail::Op::CODE>(a, b);                                       \
  }

RETORT_SQL_BINARY(==, compare, Eq, Expr<bool>)
RETORT_SQL_BINARY(!=, compare, Ne, Expr<bool>)
RETORT_SQL_BINARY(<, compare, Lt, Expr<bool>)
RETORT_SQL_BINARY(<=, compare, Le, Expr<bool>)
RETORT_SQL_BINARY(>, compare, Gt, Expr<bool>)
RETORT_SQL_BINARY(>=, compare, Ge, Expr<bool>)
RETORT_SQL_BINARY(+, arithmetic, Add, auto)
RETORT_SQL_BINARY(-, arithmetic, Sub, auto)
RETORT_SQL_BINARY(*, arithmetic, Mul, auto)
RETORT_SQL_BINARY(/, arithmetic, Div, auto)
RETORT_SQL_BINARY(%, arithmetic, Mod, auto)
RETORT_SQL_BINARY(&&, logical, And, Expr<bool>)
RETORT_SQL_BINARY(||, logical, Or, Expr<bool>)
#undef RETORT_SQL_BINARY

/// NOT condition.
template <SqlValue T>
Expr<bool> operator!(const Expr<T>& e) {
  static_assert(std::is_same_v<base_t<T>, bool>, "retort::sql: ! negates a condition (a boolean expression) only");
  return Expr<bool>(detail::make_not(e.node()));
}

/// and_(c1, c2, ...) / or_(c1, c2, ...): the conditions joined; with one
/// argument, that condition.
template <class C, class... Cs>
Expr<bool> and_(const C& c, const Cs&... cs) {
  static_assert(std::is_same_v<base_t<detail::sql_type_t<C>>, bool>,
                "retort::sql: and_() combines conditions (boolean expressions) only");
  return (Expr<bool>(c.node()) && ... && cs);
}
template <class C, class... Cs>
Expr<bool> or_(const C& c, const Cs&... cs) {
  static_assert(std::is_same_v<base_t<detail::sql_type_t<C>>, bool>,
                "retort::sql: or_() combines conditions (boolean expressions) only");
  return (Expr<bool>(c.node()) || ... || cs);
}

/// A bound parameter as an expression: literal(5), literal(std::string("x")).
/// Needed where no column gives the value a type (SELECT literal(1)).
template <class V>
auto literal(const V& v) {
  using T = typename detail::value_sql_type<V>::type;
  static_assert(SqlValue<T>, "retort::sql: literal() takes a value of a column type (number, string, bool, Bytes, Date, Timestamp)");
  return Expr<T>(detail::make_param(detail::to_param_value(v), type_kind_of<T>()));
}

/// A named parameter of type T whose value is supplied at execution:
///   auto q = select(u.name).where(u.id == sql::bindparam<std::int64_t>("id"));
///   sql::execute(conn, q, {{"id", 5}});   // compiled once, prepared once, bound per call
template <SqlValue T>
Expr<T> bindparam(std::string_view name) {
  return Expr<T>(detail::make_bindparam(name, type_kind_of<T>()));
}

/// The dialect's boolean literals (TRUE/FALSE, 1/0 on SQLite).
inline Expr<bool> true_() { return Expr<bool>(detail::make_bool_literal(true)); }
inline Expr<bool> false_() { return Expr<bool>(detail::make_bool_literal(false)); }

}  // namespace retort::sql
