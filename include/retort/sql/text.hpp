// retort/sql/text.hpp — raw SQL with named bound parameters.
//
//   auto q = sql::text("SELECT name FROM users WHERE id = :id").bind("id", 5);
//   auto t = q.columns<std::string>();        // typed: execute() yields strings
//
// `:name` (letters, digits, underscore) outside quotes is a parameter; each
// occurrence becomes the dialect's placeholder and the bound value a
// parameter — never SQL text. `::` (PostgreSQL casts) is left alone.
// Compiling with a parameter left unbound throws ArgumentError.
#pragma once

#include <string>
#include <string_view>
#include <tuple>

#include "retort/sql/statement.hpp"
#include "retort/sql/types.hpp"

namespace retort::sql {

template <SqlValue... Ts>
class TypedText : public Statement {
 public:
  using row_types = std::tuple<Ts...>;
  explicit TypedText(std::shared_ptr<detail::StatementData> d) : Statement(std::move(d)) {}
};

class Text : public Statement {
 public:
  explicit Text(std::string_view sql);

  /// Binds `value` to :name (replacing an earlier binding).
  template <class V>
  [[nodiscard]] Text bind(std::string_view name, const V& value) const {
    Text t(*this);
    t.bind_value(name, detail::to_param_value(value));
    return t;
  }
  /// The same text, typed by the C++ types of its result columns.
  template <SqlValue... Ts>
  TypedText<Ts...> columns() const {
    return TypedText<Ts...>(copy());
  }

 private:
  void bind_value(std::string_view name, Value v);
  std::shared_ptr<detail::StatementData> copy() const;
};

inline Text text(std::string_view sql) { return Text(sql); }

}  // namespace retort::sql
