// src/sql/ast.hpp — the untyped expression tree and statement data.
//
// Built only through the factories of retort/sql/node.hpp and the statement
// builders; read only by the compiler (compiler.cpp). Nodes are immutable
// after construction; statement data is copied on write (statement.cpp).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "retort/engine.hpp"
#include "retort/sql/node.hpp"
#include "retort/value.hpp"

namespace retort::sql::detail {

class Compiler;

enum class NodeKind {
  Column, Param, BoolLiteral, Star, Binary, Not, IsNull, Function, InList, InSelect, Between,
  Like, Case, Cast, Label, Ordering, ScalarSelect, Exists, Table, SubqueryAlias, CteRef
};

struct Node {
  NodeKind kind;
  TypeKind type = TypeKind::Text;  ///< C++-derived SQL type of the value (where meaningful)
  bool typed = false;              ///< whether `type` is known
  Op op = Op::Eq;                  ///< Binary
  std::string name;                ///< column / function / label / table name
  std::string alias;               ///< table alias
  std::string qualifier;           ///< Column with no table: explicit qualifier ("excluded")
  NodePtr table;                   ///< Column: its FROM item
  std::vector<NodePtr> args;       ///< operands
  Value value;                     ///< Param
  bool negate = false;             ///< IsNull (NOT NULL), InList, InSelect, Between, Like, Exists
  bool flag = false;               ///< Function: DISTINCT; Like: ILIKE; Ordering: DESC; BoolLiteral value
  bool cast_result = false;        ///< Function: CAST(... AS type) on dialects that need it
  int nulls = 0;                   ///< Ordering: 0 default, 1 first, 2 last
  std::shared_ptr<const StatementData> stmt;  ///< subquery kinds
};

struct CteData {
  std::string name;
  std::vector<std::string> columns;
  std::shared_ptr<const StatementData> query;
  bool recursive = false;
};

/// The common part of all statement data: the CTEs of its WITH clause.
struct StatementData {
  virtual ~StatementData() = default;
  virtual std::shared_ptr<StatementData> clone() const = 0;
  /// Renders the statement. Defined in compiler.cpp.
  virtual void compile(Compiler& c) const = 0;
  std::vector<std::shared_ptr<CteData>> ctes;
  std::vector<NodePtr> returning;  ///< DML only
};

struct JoinData {
  NodePtr item;
  NodePtr on;
  bool outer = false;
};

struct SelectData final : StatementData {
  std::vector<NodePtr> columns;
  std::vector<NodePtr> from;
  std::vector<JoinData> joins;
  std::vector<NodePtr> where;
  std::vector<NodePtr> group_by;
  std::vector<NodePtr> having;
  std::vector<NodePtr> order_by;
  std::int64_t limit = -1;
  std::int64_t offset = -1;
  bool distinct = false;
  /// Compound select: parts[0] op[0] parts[1] ... (columns/from/... unused).
  std::vector<std::shared_ptr<const StatementData>> parts;
  std::vector<std::string> ops;

  std::shared_ptr<StatementData> clone() const override { return std::make_shared<SelectData>(*this); }
  void compile(Compiler& c) const override;
};

struct AssignmentData {
  NodePtr column;
  NodePtr value;
};

struct InsertData final : StatementData {
  NodePtr table;
  std::vector<NodePtr> columns;
  std::vector<std::vector<NodePtr>> rows;
  std::shared_ptr<const StatementData> from_select;
  bool has_conflict = false;
  bool conflict_update = false;
  std::vector<NodePtr> conflict_target;
  std::vector<AssignmentData> conflict_sets;
  /// Render VALUES with bare placeholders (execute_many template).
  bool template_mode = false;

  std::shared_ptr<StatementData> clone() const override { return std::make_shared<InsertData>(*this); }
  void compile(Compiler& c) const override;
};

struct UpdateData final : StatementData {
  NodePtr table;
  std::vector<AssignmentData> sets;
  std::vector<NodePtr> where;
  std::shared_ptr<StatementData> clone() const override { return std::make_shared<UpdateData>(*this); }
  void compile(Compiler& c) const override;
};

struct DeleteData final : StatementData {
  NodePtr table;
  std::vector<NodePtr> where;
  std::shared_ptr<StatementData> clone() const override { return std::make_shared<DeleteData>(*this); }
  void compile(Compiler& c) const override;
};

struct TextData final : StatementData {
  std::string sql;
  std::vector<std::pair<std::string, Value>> binds;
  std::shared_ptr<StatementData> clone() const override { return std::make_shared<TextData>(*this); }
  void compile(Compiler& c) const override;
};

/// Compiled SQL per dialect for one statement's data. Entries never move, so
/// references handed out by Statement::compile stay valid.
struct CompiledEntry {
  CompiledSql compiled;
  std::vector<std::string> names;  ///< bindparam name per parameter ("" for fixed values)
};
struct CompileCache {
  std::mutex mutex;
  std::vector<std::pair<const Dialect*, std::unique_ptr<CompiledEntry>>> entries;
};

/// Renders `data` for `dialect` (uncached). `names` receives the bindparam
/// name of each parameter (empty for fixed values) when not null.
CompiledSql compile_statement(const StatementData& data, const Dialect& dialect,
                              std::vector<std::string>* names = nullptr);

}  // namespace retort::sql::detail
