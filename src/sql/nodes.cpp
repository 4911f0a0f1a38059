// The node factories of retort/sql/node.hpp.
#include "sql/ast.hpp"

namespace retort::sql::detail {

namespace {
std::shared_ptr<Node> node(NodeKind kind) {
  auto n = std::make_shared<Node>();
  n->kind = kind;
  return n;
}
std::shared_ptr<Node> typed_node(NodeKind kind, TypeKind type) {
  auto n = node(kind);
  n->type = type;
  n->typed = true;
  return n;
}
const std::string kEmpty;
}  // namespace

NodePtr make_column(NodePtr table, std::string_view name, TypeKind type, std::string_view qualifier) {
  auto n = typed_node(NodeKind::Column, type);
  n->table = std::move(table);
  n->name = name;
  n->qualifier = qualifier;
  return n;
}

NodePtr make_param(Value value, TypeKind type) {
  auto n = typed_node(NodeKind::Param, type);
  if (type == TypeKind::Float) {
    if (auto* i = std::get_if<std::int64_t>(&value)) value = static_cast<double>(*i);
  }
  n->value = std::move(value);
  return n;
}

NodePtr make_bindparam(std::string_view name, TypeKind type) {
  auto n = typed_node(NodeKind::Param, type);
  n->name = name;
  return n;
}

NodePtr make_bool_literal(bool value) {
  auto n = typed_node(NodeKind::BoolLiteral, TypeKind::Boolean);
  n->flag = value;
  return n;
}

NodePtr make_star() { return node(NodeKind::Star); }

NodePtr make_binary(Op op, NodePtr lhs, NodePtr rhs, TypeKind result) {
  auto n = typed_node(NodeKind::Binary, result);
  n->op = op;
  n->args = {std::move(lhs), std::move(rhs)};
  return n;
}

NodePtr make_not(NodePtr e) {
  auto n = typed_node(NodeKind::Not, TypeKind::Boolean);
  n->args = {std::move(e)};
  return n;
}

NodePtr make_is_null(NodePtr e, bool negate) {
  auto n = typed_node(NodeKind::IsNull, TypeKind::Boolean);
  n->args = {std::move(e)};
  n->negate = negate;
  return n;
}

NodePtr make_function(std::string_view name, std::vector<NodePtr> args, TypeKind result, bool distinct,
                      bool cast_result) {
  auto n = typed_node(NodeKind::Function, result);
  n->name = name;
  n->args = std::move(args);
  n->flag = distinct;
  n->cast_result = cast_result;
  return n;
}

NodePtr make_in_list(NodePtr e, std::vector<NodePtr> items, bool negate) {
  auto n = typed_node(NodeKind::InList, TypeKind::Boolean);
  n->args.push_back(std::move(e));
  for (auto& i : items) n->args.push_back(std::move(i));
  n->negate = negate;
  return n;
}

NodePtr make_in_select(NodePtr e, std::shared_ptr<const StatementData> select, bool negate) {
  auto n = typed_node(NodeKind::InSelect, TypeKind::Boolean);
  n->args = {std::move(e)};
  n->stmt = std::move(select);
  n->negate = negate;
  return n;
}

NodePtr make_between(NodePtr e, NodePtr low, NodePtr high, bool negate) {
  auto n = typed_node(NodeKind::Between, TypeKind::Boolean);
  n->args = {std::move(e), std::move(low), std::move(high)};
  n->negate = negate;
  return n;
}

NodePtr make_like(NodePtr e, NodePtr pattern, bool ilike, bool negate) {
  auto n = typed_node(NodeKind::Like, TypeKind::Boolean);
  n->args = {std::move(e), std::move(pattern)};
  n->flag = ilike;
  n->negate = negate;
  return n;
}

NodePtr make_case(std::vector<NodePtr> whens, NodePtr else_result, TypeKind result) {
  auto n = typed_node(NodeKind::Case, result);
  n->args = std::move(whens);
  n->table = std::move(else_result);  // the ELSE result (nullptr: none)
  return n;
}

NodePtr make_cast(NodePtr e, TypeKind type) {
  auto n = typed_node(NodeKind::Cast, type);
  n->args = {std::move(e)};
  return n;
}

NodePtr make_label(NodePtr e, std::string_view name) {
  auto n = node(NodeKind::Label);
  if (e->typed) {
    n->type = e->type;
    n->typed = true;
  }
  n->name = name;
  n->args = {std::move(e)};
  return n;
}

NodePtr make_ordering(NodePtr e, bool descending, int nulls) {
  auto n = node(NodeKind::Ordering);
  n->args = {std::move(e)};
  n->flag = descending;
  n->nulls = nulls;
  return n;
}

NodePtr make_scalar_select(std::shared_ptr<const StatementData> select, TypeKind type) {
  auto n = typed_node(NodeKind::ScalarSelect, type);
  n->stmt = std::move(select);
  return n;
}

NodePtr make_exists(std::shared_ptr<const StatementData> select, bool negate) {
  auto n = typed_node(NodeKind::Exists, TypeKind::Boolean);
  n->stmt = std::move(select);
  n->negate = negate;
  return n;
}

NodePtr make_table(std::string_view name, std::string_view alias) {
  auto n = node(NodeKind::Table);
  n->name = name;
  n->alias = alias;
  n->qualifier = alias.empty() ? n->name : n->alias;
  return n;
}

NodePtr make_subquery_alias(std::shared_ptr<const StatementData> select, std::string_view alias) {
  auto n = node(NodeKind::SubqueryAlias);
  n->stmt = std::move(select);
  n->name = alias;
  n->alias = alias;
  n->qualifier = n->alias;
  return n;
}

NodePtr make_cte_ref(const std::shared_ptr<CteData>& cte) {
  auto n = node(NodeKind::CteRef);
  n->name = cte->name;
  n->qualifier = cte->name;
  // No reference to the CTE's data: a recursive CTE's query refers to this
  // node, so holding the data here would make a reference cycle.
  return n;
}

const std::string& node_name(const NodePtr& n) { return n ? n->name : kEmpty; }
const std::string& node_alias(const NodePtr& n) { return n ? n->alias : kEmpty; }
const std::string& node_qualifier(const NodePtr& n) {
  if (!n) return kEmpty;
  return n->qualifier;
}
NodePtr column_table(const NodePtr& n) { return n && n->kind == NodeKind::Column ? n->table : nullptr; }

}  // namespace retort::sql::detail
