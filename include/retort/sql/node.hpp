// retort/sql/node.hpp — the untyped expression tree, as seen from the headers.
//
// Every typed wrapper of the sql layer (Expr<T>, Column<T>, Select<Ts...>, ...)
// holds a NodePtr into an immutable, untyped tree whose definition lives in
// src/sql. The factories below are the only way templates build nodes, so a
// user's translation unit instantiates thin wrappers and nothing else.
//
// Nodes are immutable and shared: building `a == b` never copies `a` or `b`.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "retort/schema.hpp"
#include "retort/value.hpp"

namespace retort::sql::detail {

struct Node;
using NodePtr = std::shared_ptr<const Node>;
struct StatementData;
struct CteData;

/// Binary operators of the expression language.
enum class Op { Eq, Ne, Lt, Le, Gt, Ge, And, Or, Add, Sub, Mul, Div, Mod, Concat };

/// A column of the FROM item `table` (nullptr: the column is rendered with
/// `qualifier` only, e.g. "excluded"; empty qualifier: unqualified).
NodePtr make_column(NodePtr table, std::string_view name, TypeKind type,
                    std::string_view qualifier = {});
/// A bound parameter. `type` is the SQL type the compiler casts to where the
/// database could not infer it (PostgreSQL). Never spliced into the SQL text.
NodePtr make_param(Value value, TypeKind type);
/// A named parameter whose value is given at execution (execute(conn, stmt,
/// {{"name", value}})); the compiled SQL is the same for every value.
NodePtr make_bindparam(std::string_view name, TypeKind type);
NodePtr make_bool_literal(bool value);
/// `*` as in count(*).
NodePtr make_star();
NodePtr make_binary(Op op, NodePtr lhs, NodePtr rhs, TypeKind result);
NodePtr make_not(NodePtr e);
NodePtr make_is_null(NodePtr e, bool negate);
/// name(args...); `distinct` renders name(DISTINCT args); `cast_result` wraps
/// the call in CAST(... AS result) where the dialect needs it (sum/avg on
/// PostgreSQL return numeric).
NodePtr make_function(std::string_view name, std::vector<NodePtr> args, TypeKind result,
                      bool distinct = false, bool cast_result = false);
NodePtr make_in_list(NodePtr e, std::vector<NodePtr> items, bool negate);
NodePtr make_in_select(NodePtr e, std::shared_ptr<const StatementData> select, bool negate);
NodePtr make_between(NodePtr e, NodePtr low, NodePtr high, bool negate);
NodePtr make_like(NodePtr e, NodePtr pattern, bool ilike, bool negate);
/// CASE WHEN c1 THEN r1 ... [ELSE e] END; `whens` alternates condition, result.
NodePtr make_case(std::vector<NodePtr> whens, NodePtr else_result, TypeKind result);
NodePtr make_cast(NodePtr e, TypeKind type);
NodePtr make_label(NodePtr e, std::string_view name);
/// nulls: 0 = database default, 1 = NULLS FIRST, 2 = NULLS LAST.
NodePtr make_ordering(NodePtr e, bool descending, int nulls);
NodePtr make_scalar_select(std::shared_ptr<const StatementData> select, TypeKind type);
NodePtr make_exists(std::shared_ptr<const StatementData> select, bool negate);

/// FROM items.
NodePtr make_table(std::string_view name, std::string_view alias);
NodePtr make_subquery_alias(std::shared_ptr<const StatementData> select, std::string_view alias);
/// A reference to a CTE by name (the node keeps no reference to `cte`).
NodePtr make_cte_ref(const std::shared_ptr<CteData>& cte);

/// Name, alias and qualifier (alias, else name) of a FROM item; column name
/// of a column node. Empty for other nodes.
const std::string& node_name(const NodePtr& n);
const std::string& node_alias(const NodePtr& n);
const std::string& node_qualifier(const NodePtr& n);
/// The FROM item a column node belongs to (nullptr for other nodes).
NodePtr column_table(const NodePtr& n);

}  // namespace retort::sql::detail
