// retort/sql/dml_clauses.hpp — where() and returning() shared by UPDATE and DELETE.
//
// A CRTP base: Derived (Update, Delete) supplies add_where(NodePtr) and is
// copyable; each call returns a new statement and leaves the original as it was.
#pragma once

#include <type_traits>

#include "retort/sql/returning.hpp"
#include "retort/sql/types.hpp"

namespace retort::sql {

template <class Derived>
class DmlClauses {
 public:
  /// WHERE cond (ANDed with earlier where() conditions).
  template <class C>
  [[nodiscard]] Derived where(const C& cond) const {
    static_assert(std::is_same_v<base_t<detail::sql_type_t<C>>, bool>,
                  "retort::sql: where() takes a condition (a boolean expression)");
    Derived s(self());
    s.add_where(cond.node());
    return s;
  }
  /// RETURNING the given expressions (both dialects support it).
  template <class... Es>
  auto returning(const Es&... es) const {
    return detail::make_returning(self(), es...);
  }

 private:
  const Derived& self() const { return static_cast<const Derived&>(*this); }
};

}  // namespace retort::sql
