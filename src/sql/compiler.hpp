// src/sql/compiler.hpp — renders statement data to SQL text and parameters.
//
// One compiler for every dialect; what differs is asked of the Dialect:
// placeholders, identifier quoting, boolean literals, RETURNING, ILIKE, type
// names for casts. On PostgreSQL, where parameters travel as untyped text, a
// parameter is wrapped in CAST($n AS type) unless the other operand of a
// comparison or arithmetic operator (a non-parameter of the same type) or the
// target column of an INSERT/UPDATE gives the server its type.
//
// Called only by compile_statement() (statement.cpp's cache and
// execute_many's template).
#pragma once

#include <string>
#include <vector>

#include "sql/ast.hpp"

namespace retort::sql::detail {

class Compiler {
 public:
  explicit Compiler(const Dialect& dialect);

  CompiledSql result;
  /// bindparam name per parameter ("" for fixed values).
  std::vector<std::string> names;

  void select(const SelectData& s);
  void insert(const InsertData& s);
  void update(const UpdateData& s);
  void delete_(const DeleteData& s);
  void text(const TextData& s);

 private:
  enum class Ctx { Normal, SelectList, OrderBy, GroupBy };

  void with_clause(const StatementData& s);
  void select_body(const SelectData& s);
  void returning(const StatementData& s);
  void where_clause(const char* keyword, const std::vector<NodePtr>& conds);
  void subquery(const StatementData& s);
  void from_item(const NodePtr& item);
  /// Renders `n`; `sibling` is the other operand of an enclosing binary
  /// operator (decides parameter casts); `assigned` marks an INSERT/SET value.
  void expr(const NodePtr& n, const Node* sibling = nullptr, Ctx ctx = Ctx::Normal, bool assigned = false);
  /// Renders `n` as an operand of an operator of precedence `parent`.
  void operand(const NodePtr& n, int parent, const Node* sibling, bool left_of_same_op = false,
               Op parent_op = Op::Eq);
  void param(const Value& v, TypeKind type, bool cast, const std::string& name = {});
  void placeholder();
  void ident(std::string_view name);
  void type_name(TypeKind kind);

  const Dialect& d_;
  bool casts_;  ///< the dialect needs CASTs on parameters it cannot type (PostgreSQL)
  bool unqualified_ = false;
  std::string& out_;
};

}  // namespace retort::sql::detail
