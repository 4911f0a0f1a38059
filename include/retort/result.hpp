// retort/result.hpp — rows coming back from a statement.
//
// A Result reads rows straight from the driver's prepared statement: nothing
// is copied until a column is read. It keeps its connection checked out until
// it is destroyed; the statement is reset (and back in the cache) then.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "retort/column_reader.hpp"
#include "retort/error.hpp"

namespace retort {

namespace detail {
struct ConnectionState;
}

class Result {
 public:
  Result(Result&&) noexcept;
  Result& operator=(Result&&) noexcept;
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  ~Result();

  /// Advances to the next row; false at the end. The first call moves to the
  /// first row (the statement already ran when execute() returned).
  bool next();

  int column_count() const;
  std::string_view column_name(int i) const;
  /// Rows changed by an INSERT/UPDATE/DELETE.
  std::int64_t rows_affected() const;

  /// Column i of the current row as T. REQUIRES: next() returned true.
  template <Readable T>
  T get(int i) const {
    return read_column<T>(statement(), i);
  }
  /// The current row as a tuple of the given types, one per column.
  template <Readable... Ts>
  std::tuple<Ts...> row() const {
    return row_impl<Ts...>(std::index_sequence_for<Ts...>{});
  }

  /// All remaining rows as tuples.
  template <Readable... Ts>
  std::vector<std::tuple<Ts...>> all() {
    std::vector<std::tuple<Ts...>> out;
    while (next()) out.push_back(row<Ts...>());
    return out;
  }
  /// All remaining rows as untyped values.
  std::vector<std::vector<Value>> all_values();

  /// The first column of the only row. Throws NoResultFound / MultipleResultsFound.
  template <Readable T>
  T scalar_one() {
    if (!next()) throw NoResultFound();
    T v = get<T>(0);
    if (next()) throw MultipleResultsFound();
    return v;
  }
  /// The first column of the first row, or nullopt when there is no row.
  template <Readable T>
  std::optional<T> scalar() {
    if (!next()) return std::nullopt;
    return get<T>(0);
  }

  /// The driver statement, for decoders in upper layers (ORM loading).
  const driver::Statement& statement() const;

 private:
  friend class Connection;
  Result(std::shared_ptr<detail::ConnectionState> conn, driver::Statement* stmt,
         std::unique_ptr<driver::Statement> scratch, bool has_first_row);
  template <Readable... Ts, std::size_t... I>
  std::tuple<Ts...> row_impl(std::index_sequence<I...>) const {
    return std::tuple<Ts...>(get<Ts>(static_cast<int>(I))...);
  }
  void release() noexcept;

  std::shared_ptr<detail::ConnectionState> conn_;
  driver::Statement* stmt_ = nullptr;
  std::unique_ptr<driver::Statement> scratch_;
  bool pending_first_ = false;  ///< execute() stepped onto a first row not yet seen by next()
  bool done_ = false;
  std::int64_t rows_affected_ = 0;
};

}  // namespace retort
