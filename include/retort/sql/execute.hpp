// retort/sql/execute.hpp — running statements and reading typed rows.
//
//   sql::execute(conn, select(u.id, u.name))   -> Rows<std::tuple<int64_t, std::string>>
//   sql::execute(conn, select(u.name))         -> Rows of std::string (single column: scalars)
//   sql::execute(conn, update(u).set(...))     -> retort::Result (rows_affected())
//   sql::execute_many(conn, insert(u).columns(u.id, u.name), rows)
//
// execute() emits the statement's SQL once (compiled SQL is cached per
// statement and dialect, prepared statements per connection). Rows stream
// from the driver: iterate, or collect with all(). Reading a column into a
// C++ type other than its own is a compile error (see Rows::as()).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <iterator>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

#include "retort/engine.hpp"
#include "retort/error.hpp"
#include "retort/result.hpp"
#include "retort/sql/insert.hpp"
#include "retort/sql/types.hpp"

namespace retort::sql {

/// A statement whose result columns have known C++ types.
template <class S>
concept TypedStatement = Executable<S> && requires { typename S::row_types; };

namespace detail {
/// U can receive a column of expression type T.
template <class T, class U>
inline constexpr bool null_safe_v = !nullable_v<T> || nullable_v<U> || std::is_same_v<U, Value>;
template <class T, class U>
inline constexpr bool same_kind_v =
    std::is_same_v<U, Value> || (category_of<T>() == category_of<U>() && Readable<U>);
}  // namespace detail

template <class Row>
class Rows;

/// The rows of a typed statement. Owns its Result (and so its connection
/// checkout) until destroyed. Single pass: each row is read once.
template <Readable... Ts>
class Rows<std::tuple<Ts...>> {
 public:
  /// A row: std::tuple<Ts...>, or the plain value for a one-column result.
  using row_type = std::conditional_t<sizeof...(Ts) == 1, std::tuple_element_t<0, std::tuple<Ts...>>,
                                      std::tuple<Ts...>>;

  explicit Rows(Result result) : result_(std::move(result)) {}

  /// Advances to the next row; false at the end.
  bool next() { return result_.next(); }
  /// The current row. REQUIRES: next() returned true.
  row_type row() const {
    if constexpr (sizeof...(Ts) == 1) {
      return result_.template get<Ts...>(0);
    } else {
      return result_.template row<Ts...>();
    }
  }

  /// All remaining rows.
  std::vector<row_type> all() {
    std::vector<row_type> out;
    while (next()) out.push_back(row());
    return out;
  }
  /// The only row. Throws NoResultFound / MultipleResultsFound.
  row_type one() {
    if (!next()) throw NoResultFound();
    row_type r = row();
    if (next()) throw MultipleResultsFound();
    return r;
  }
  /// The only row, or nullopt. Throws MultipleResultsFound.
  std::optional<row_type> one_or_none() {
    if (!next()) return std::nullopt;
    row_type r = row();
    if (next()) throw MultipleResultsFound();
    return r;
  }
  /// The first row, or nullopt; the rest are discarded.
  std::optional<row_type> first() {
    if (!next()) return std::nullopt;
    return row();
  }
  /// The first column of the first row; nullopt when there is no row or it is NULL.
  std::optional<base_t<std::tuple_element_t<0, std::tuple<Ts...>>>> scalar() {
    using T0 = std::tuple_element_t<0, std::tuple<Ts...>>;
    if (!next()) return std::nullopt;
    return result_.template get<std::optional<base_t<T0>>>(0);
  }
  /// The first column of the only row. Throws NoResultFound / MultipleResultsFound.
  std::tuple_element_t<0, std::tuple<Ts...>> scalar_one() {
    using T0 = std::tuple_element_t<0, std::tuple<Ts...>>;
    return result_.template scalar_one<T0>();
  }

  /// The same rows read as other C++ types (e.g. int32_t for an int64_t
  /// column, std::optional for a NOT NULL one). Compile error when a type
  /// cannot hold its column.
  template <class... Us>
  Rows<std::tuple<Us...>> as() && {
    static_assert(sizeof...(Us) == sizeof...(Ts),
                  "retort::sql: as<...>() needs one C++ type per selected column");
    static_assert((detail::null_safe_v<Ts, Us> && ...),
                  "retort::sql: a nullable column must be read into std::optional<T>");
    static_assert((detail::same_kind_v<Ts, Us> && ...),
                  "retort::sql: a selected column cannot be read into this C++ type (use the column's own type)");
    return Rows<std::tuple<Us...>>(std::move(result_));
  }

  /// Rows changed by an INSERT/UPDATE/DELETE ... RETURNING.
  std::int64_t rows_affected() const { return result_.rows_affected(); }
  Result& result() { return result_; }

  /// Input iteration: for (auto [id, name] : rows).
  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = row_type;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = row_type;
    iterator() = default;
    explicit iterator(Rows* rows) : rows_(rows) { advance(); }
    row_type operator*() const { return rows_->row(); }
    iterator& operator++() {
      advance();
      return *this;
    }
    void operator++(int) { advance(); }
    friend bool operator==(const iterator& a, const iterator& b) { return a.rows_ == b.rows_; }

   private:
    void advance() {
      if (rows_ && !rows_->next()) rows_ = nullptr;
    }
    Rows* rows_ = nullptr;
  };
  iterator begin() { return iterator(this); }
  iterator end() { return iterator(); }

 private:
  Result result_;
};

/// Executes a typed statement (Select, Returning, TypedText): typed rows.
template <TypedStatement S>
Rows<typename S::row_types> execute(Connection& conn, const S& stmt) {
  return Rows<typename S::row_types>(conn.execute(stmt));
}
/// Executes an untyped statement (insert/update/delete, text): the raw Result.
template <class S>
  requires(Executable<S> && !TypedStatement<S>)
Result execute(Connection& conn, const S& stmt) {
  return conn.execute(stmt);
}

/// Executes a statement with bindparam() values:
///   sql::execute(conn, q, {{"id", 5}, {"name", "x"}})
/// Same SQL text for every set of values: compiled once, prepared once.
template <class S>
  requires std::is_base_of_v<Statement, S>
auto execute(Connection& conn, const S& stmt, std::initializer_list<Statement::Binding> values) {
  std::vector<Value> params =
      stmt.bind(conn.dialect(), std::span<const Statement::Binding>(values.begin(), values.size()));
  Result r = conn.execute(stmt.compile(conn.dialect()).sql, std::span<const Value>(params));
  if constexpr (TypedStatement<S>) {
    return Rows<typename S::row_types>(std::move(r));
  } else {
    return r;
  }
}

namespace detail {
/// The INSERT text of a columns()-only insert for `dialect`.
const std::string& insert_template_sql(const Statement& insert, const Dialect& dialect);
template <class Tuple, std::size_t... I>
std::vector<Value> tuple_values(const Tuple& t, std::index_sequence<I...>) {
  return {to_param_value(std::get<I>(t))...};
}
}  // namespace detail

/// Inserts every row of `rows` (a range of tuples, one value per column of
/// insert.columns(...)) through one prepared statement, bound once per row.
/// Returns the number of rows inserted. REQUIRES: no values() on `insert`.
template <SqlValue... Ts, class Range>
std::int64_t execute_many(Connection& conn, const Insert<Ts...>& insert, const Range& rows) {
  static_assert(sizeof...(Ts) > 0, "retort::sql: execute_many() needs an insert with columns(...)");
  std::vector<std::vector<Value>> params;
  for (const auto& row : rows) {
    using R = std::remove_cvref_t<decltype(row)>;
    static_assert(std::tuple_size_v<R> == sizeof...(Ts),
                  "retort::sql: execute_many() rows need one value per column of columns()");
    params.push_back(detail::tuple_values(row, std::make_index_sequence<sizeof...(Ts)>{}));
  }
  return conn.execute_many(detail::insert_template_sql(insert, conn.dialect()), params);
}

}  // namespace retort::sql
