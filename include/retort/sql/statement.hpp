// retort/sql/statement.hpp — the base of every statement of the sql layer.
//
// A Statement is a cheap handle on shared, immutable-once-shared data. Builder
// methods (where(), order_by(), ...) are generative: they return a new
// statement and leave the one they are called on unchanged (copy on write).
//
// compile(dialect) renders SQL and parameters once per statement and dialect
// and caches the result, so executing the same statement object again neither
// re-compiles nor (thanks to the Connection's statement cache) re-prepares.
// compile() is thread-safe.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "retort/dialect.hpp"
#include "retort/engine.hpp"
#include "retort/sql/node.hpp"

namespace retort::sql {

namespace detail {
struct CompileCache;
}

class Statement {
 public:
  /// The SQL text and bound parameters for `dialect`, compiled on first use.
  /// The reference stays valid as long as this statement (or a copy) lives.
  /// Throws ArgumentError for a statement that cannot be rendered (e.g. an
  /// unbound text() parameter, RETURNING on a dialect without it).
  const CompiledSql& compile(const Dialect& dialect) const;
  /// One value for a bindparam(name) of the statement.
  using Binding = std::pair<std::string_view, Value>;
  /// The parameters of compile(dialect) with bindparam values filled in from
  /// `values`. Throws ArgumentError when a bindparam has no value or a value
  /// names no bindparam.
  std::vector<Value> bind(const Dialect& dialect, std::span<const Binding> values) const;
  /// The shared untyped data (to embed this statement as a subquery).
  std::shared_ptr<const detail::StatementData> data() const { return data_; }

 protected:
  explicit Statement(std::shared_ptr<detail::StatementData> data);
  /// The data for modification: cloned first when shared, cache reset.
  detail::StatementData& mutable_data();
  const detail::StatementData& const_data() const { return *data_; }

 private:
  std::shared_ptr<detail::StatementData> data_;
  std::shared_ptr<detail::CompileCache> cache_;
};

/// The SQL `stmt` compiles to on `dialect` (for debugging and logs).
std::string to_string(const Statement& stmt, const Dialect& dialect);

}  // namespace retort::sql
