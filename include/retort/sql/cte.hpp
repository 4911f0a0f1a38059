// retort/sql/cte.hpp — common table expressions (WITH, WITH RECURSIVE).
//
//   auto c = sql::cte("post_counts", sql::select(p.user_id, sql::count().label("n")).group_by(p.user_id));
//   auto n = sql::column<std::int64_t>(c, "n");
//   sql::select(u.name, n).select_from(u).join(c, sql::column<std::int64_t>(c, "user_id") == u.id).with(c);
//
// A recursive CTE is declared first (so that its own columns can be used in
// its definition) and defined afterwards:
//
//   sql::Cte t = sql::recursive_cte("t", {"n"});
//   auto n = sql::column<std::int64_t>(t, "n");
//   t.define(sql::select(sql::literal(1)).union_all(sql::select(n + 1).select_from(t).where(n < 5)));
//   sql::select(n).select_from(t).with(t);
//
// REQUIRES: define() before any statement using the CTE is compiled.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "retort/sql/select.hpp"
#include "retort/sql/table.hpp"

namespace retort::sql {

class Cte : public TableRef {
 public:
  /// Declares a CTE; `columns` become the (name, ...) list after its name.
  explicit Cte(std::string_view name, std::vector<std::string> columns = {}, bool recursive = false);
  /// Sets the CTE's query. Returns *this.
  Cte& define(const SelectBase& query);
  const std::shared_ptr<detail::CteData>& data() const { return data_; }

 private:
  explicit Cte(std::shared_ptr<detail::CteData> data);
  std::shared_ptr<detail::CteData> data_;
};

/// WITH name AS (query).
Cte cte(std::string_view name, const SelectBase& query);
/// WITH RECURSIVE name(columns...) AS (...): call define() on the result.
Cte recursive_cte(std::string_view name, std::vector<std::string> columns);

}  // namespace retort::sql
