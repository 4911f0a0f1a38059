// The statement compiler (see compiler.hpp).
#include "sql/compiler.hpp"

#include <algorithm>

#include "retort/error.hpp"
#include "retort/schema.hpp"

namespace retort::sql::detail {

namespace {

int precedence(const Node& n) {
  switch (n.kind) {
    case NodeKind::Binary:
      switch (n.op) {
        case Op::Or: return 1;
        case Op::And: return 2;
        case Op::Eq: case Op::Ne: case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge: return 4;
        case Op::Concat: return 5;
        case Op::Add: case Op::Sub: return 6;
        case Op::Mul: case Op::Div: case Op::Mod: return 7;
      }
      return 0;
    case NodeKind::Not: return 3;
    case NodeKind::IsNull: case NodeKind::Like: case NodeKind::InList: case NodeKind::InSelect:
    case NodeKind::Between: return 4;
    default: return 10;
  }
}

const char* op_text(Op op) {
  switch (op) {
    case Op::Eq: return " = ";
    case Op::Ne: return " <> ";
    case Op::Lt: return " < ";
    case Op::Le: return " <= ";
    case Op::Gt: return " > ";
    case Op::Ge: return " >= ";
    case Op::And: return " AND ";
    case Op::Or: return " OR ";
    case Op::Add: return " + ";
    case Op::Sub: return " - ";
    case Op::Mul: return " * ";
    case Op::Div: return " / ";
    case Op::Mod: return " % ";
    case Op::Concat: return " || ";
  }
  return " ";
}

bool associative(Op op) { return op == Op::And || op == Op::Or || op == Op::Add || op == Op::Mul || op == Op::Concat; }

/// Types the server treats alike for parameter inference.
int family(TypeKind k) {
  switch (k) {
    case TypeKind::String: case TypeKind::Text: return 1;
    default: return static_cast<int>(k) + 10;
  }
}

/// Collects the FROM items of the columns under `n` (not inside subqueries).
void collect_tables(const NodePtr& n, std::vector<NodePtr>& out) {
  if (!n) return;
  if (n->kind == NodeKind::Column) {
    if (n->table) out.push_back(n->table);
    return;
  }
  if (n->kind == NodeKind::Case && n->table) collect_tables(n->table, out);
  for (const auto& a : n->args) collect_tables(a, out);
}

}  // namespace

Compiler::Compiler(const Dialect& dialect)
    : d_(dialect), casts_(dialect.needs_parameter_casts()), out_(result.sql) {}

void Compiler::ident(std::string_view name) { d_.append_identifier(out_, name); }

void Compiler::type_name(TypeKind kind) { out_ += d_.type_name(SqlType{kind, 0}); }

void Compiler::placeholder() { d_.append_placeholder(out_, result.params.size()); }

void Compiler::param(const Value& v, TypeKind type, bool cast, const std::string& name) {
  result.params.push_back(v);
  names.resize(result.params.size());
  names.back() = name;
  if (cast) {
    out_ += "CAST(";
    placeholder();
    out_ += " AS ";
    type_name(type);
    out_ += ')';
  } else {
    placeholder();
  }
}

void Compiler::operand(const NodePtr& n, int parent, const Node* sibling, bool left_of_same_op, Op parent_op) {
  int p = precedence(*n);
  bool wrap = p < parent;
  if (p == parent && p < 10) {
    bool same_assoc = n->kind == NodeKind::Binary && n->op == parent_op && associative(parent_op) && left_of_same_op;
    wrap = !same_assoc;
  }
  // || and arithmetic rank differently in SQLite and PostgreSQL: always group.
  if (n->kind == NodeKind::Binary && parent >= 5 && parent <= 7 && p >= 5 && p <= 7 &&
      ((n->op == Op::Concat) != (parent == 5))) {
    wrap = true;
  }
  if (wrap) out_ += '(';
  expr(n, sibling);
  if (wrap) out_ += ')';
}

void Compiler::expr(const NodePtr& np, const Node* sibling, Ctx ctx, bool assigned) {
  const Node& n = *np;
  switch (n.kind) {
    case NodeKind::Column:
      if (!unqualified_) {
        if (n.table) {
          ident(n.table->qualifier);
          out_ += '.';
        } else if (!n.qualifier.empty()) {
          ident(n.qualifier);
          out_ += '.';
        }
      }
      ident(n.name);
      return;
    case NodeKind::Param: {
      bool inferred = assigned || (sibling && sibling->kind != NodeKind::Param && sibling->typed &&
                                   family(sibling->type) == family(n.type));
      param(n.value, n.type, casts_ && !inferred, n.name);
      return;
    }
    case NodeKind::BoolLiteral:
      out_ += d_.boolean_literal(n.flag);
      return;
    case NodeKind::Star:
      out_ += '*';
      return;
    case NodeKind::Binary: {
      int p = precedence(n);
      const Node* l = n.args[0].get();
      const Node* r = n.args[1].get();
      operand(n.args[0], p, r, true, n.op);
      out_ += op_text(n.op);
      operand(n.args[1], p, l, false, n.op);
      return;
    }
    case NodeKind::Not:
      out_ += "NOT ";
      operand(n.args[0], 4, nullptr);
      return;
    case NodeKind::IsNull:
      operand(n.args[0], 5, nullptr);
      out_ += n.negate ? " IS NOT NULL" : " IS NULL";
      return;
    case NodeKind::Function:
      if (n.cast_result && d_.widens_aggregates()) out_ += "CAST(";
      out_ += n.name;
      out_ += '(';
      if (n.flag) out_ += "DISTINCT ";
      for (std::size_t i = 0; i < n.args.size(); ++i) {
        if (i) out_ += ", ";
        expr(n.args[i]);
      }
      out_ += ')';
      if (n.cast_result && d_.widens_aggregates()) {
        out_ += " AS ";
        type_name(n.type);
        out_ += ')';
      }
      return;
    case NodeKind::InList:
      if (n.args.size() == 1) {  // empty list: IN () is false, NOT IN () true
        out_ += n.negate ? "1 = 1" : "1 = 0";
        return;
      }
      operand(n.args[0], 5, nullptr);
      out_ += n.negate ? " NOT IN (" : " IN (";
      for (std::size_t i = 1; i < n.args.size(); ++i) {
        if (i > 1) out_ += ", ";
        expr(n.args[i], n.args[0].get());
      }
      out_ += ')';
      return;
    case NodeKind::InSelect:
      operand(n.args[0], 5, nullptr);
      out_ += n.negate ? " NOT IN " : " IN ";
      subquery(*n.stmt);
      return;
    case NodeKind::Between:
      operand(n.args[0], 5, nullptr);
      out_ += n.negate ? " NOT BETWEEN " : " BETWEEN ";
      operand(n.args[1], 5, n.args[0].get());
      out_ += " AND ";
      operand(n.args[2], 5, n.args[0].get());
      return;
    case NodeKind::Like:
      if (n.flag && !d_.supports_ilike()) {
        out_ += "lower(";
        expr(n.args[0]);
        out_ += n.negate ? ") NOT LIKE lower(" : ") LIKE lower(";
        expr(n.args[1], n.args[0].get());
        out_ += ')';
        return;
      }
      operand(n.args[0], 5, nullptr);
      out_ += n.negate ? " NOT" : "";
      out_ += n.flag ? " ILIKE " : " LIKE ";
      operand(n.args[1], 5, n.args[0].get());
      return;
    case NodeKind::Case:
      out_ += "CASE";
      for (std::size_t i = 0; i + 1 < n.args.size(); i += 2) {
        out_ += " WHEN ";
        expr(n.args[i]);
        out_ += " THEN ";
        expr(n.args[i + 1]);
      }
      if (n.table) {
        out_ += " ELSE ";
        expr(n.table);
      }
      out_ += " END";
      return;
    case NodeKind::Cast:
      out_ += "CAST(";
      expr(n.args[0], n.args[0]->kind == NodeKind::Param ? &n : nullptr, Ctx::Normal,
           n.args[0]->kind == NodeKind::Param);
      out_ += " AS ";
      type_name(n.type);
      out_ += ')';
      return;
    case NodeKind::Label:
      if (ctx == Ctx::OrderBy) {
        ident(n.name);
        return;
      }
      expr(n.args[0], sibling);
      if (ctx == Ctx::SelectList) {
        out_ += " AS ";
        ident(n.name);
      }
      return;
    case NodeKind::Ordering:
      expr(n.args[0], nullptr, Ctx::OrderBy);
      if (n.flag) out_ += " DESC";
      if (n.nulls == 1) out_ += " NULLS FIRST";
      if (n.nulls == 2) out_ += " NULLS LAST";
      return;
    case NodeKind::ScalarSelect:
      subquery(*n.stmt);
      return;
    case NodeKind::Exists:
      out_ += n.negate ? "NOT EXISTS " : "EXISTS ";
      subquery(*n.stmt);
      return;
    case NodeKind::Table:
    case NodeKind::SubqueryAlias:
    case NodeKind::CteRef:
      from_item(np);
      return;
  }
}

void Compiler::subquery(const StatementData& s) {
  bool saved = unqualified_;
  unqualified_ = false;
  out_ += '(';
  s.compile(*this);
  out_ += ')';
  unqualified_ = saved;
}

void Compiler::from_item(const NodePtr& item) {
  switch (item->kind) {
    case NodeKind::Table:
      ident(item->name);
      if (!item->alias.empty()) {
        out_ += " AS ";
        ident(item->alias);
      }
      return;
    case NodeKind::SubqueryAlias:
      subquery(*item->stmt);
      out_ += " AS ";
      ident(item->alias);
      return;
    case NodeKind::CteRef:
      ident(item->name);
      return;
    default:
      throw ArgumentError("not a FROM item");
  }
}

void Compiler::with_clause(const StatementData& s) {
  if (s.ctes.empty()) return;
  bool recursive = std::any_of(s.ctes.begin(), s.ctes.end(), [](const auto& c) { return c->recursive; });
  out_ += recursive ? "WITH RECURSIVE " : "WITH ";
  for (std::size_t i = 0; i < s.ctes.size(); ++i) {
    const CteData& c = *s.ctes[i];
    if (!c.query) throw ArgumentError("CTE " + c.name + " is used before define() gave it a query");
    if (i) out_ += ", ";
    ident(c.name);
    if (!c.columns.empty()) {
      out_ += '(';
      for (std::size_t k = 0; k < c.columns.size(); ++k) {
        if (k) out_ += ", ";
        ident(c.columns[k]);
      }
      out_ += ')';
    }
    out_ += " AS ";
    subquery(*c.query);
  }
  out_ += ' ';
}

void Compiler::where_clause(const char* keyword, const std::vector<NodePtr>& conds) {
  if (conds.empty()) return;
  out_ += keyword;
  for (std::size_t i = 0; i < conds.size(); ++i) {
    if (i) out_ += " AND ";
    operand(conds[i], conds.size() > 1 ? 2 : 0, nullptr, true, Op::And);
  }
}

void Compiler::select(const SelectData& s) {
  with_clause(s);
  if (!s.parts.empty()) {
    for (std::size_t i = 0; i < s.parts.size(); ++i) {
      const auto& part = static_cast<const SelectData&>(*s.parts[i]);
      if (!part.order_by.empty() || part.limit >= 0 || part.offset >= 0 || !part.ctes.empty()) {
        throw ArgumentError(
            "a select inside UNION/INTERSECT/EXCEPT cannot have its own order_by/limit/offset/with: "
            "apply them to the compound, or wrap the select in subquery()");
      }
      if (i) {
        out_ += ' ';
        out_ += s.ops[i - 1];
        out_ += ' ';
      }
      part.compile(*this);
    }
  } else {
    select_body(s);
  }
  if (!s.order_by.empty()) {
    // A compound's ORDER BY names output columns: render columns unqualified.
    bool saved = unqualified_;
    unqualified_ = unqualified_ || !s.parts.empty();
    out_ += " ORDER BY ";
    for (std::size_t i = 0; i < s.order_by.size(); ++i) {
      if (i) out_ += ", ";
      expr(s.order_by[i], nullptr, Ctx::OrderBy);
    }
    unqualified_ = saved;
  }
  if (s.limit >= 0) {
    out_ += " LIMIT " + std::to_string(s.limit);
  } else if (s.offset >= 0 && d_.offset_requires_limit()) {
    out_ += " LIMIT -1";
  }
  if (s.offset >= 0) out_ += " OFFSET " + std::to_string(s.offset);
}

void Compiler::select_body(const SelectData& s) {
  out_ += s.distinct ? "SELECT DISTINCT " : "SELECT ";
  for (std::size_t i = 0; i < s.columns.size(); ++i) {
    if (i) out_ += ", ";
    expr(s.columns[i], nullptr, Ctx::SelectList);
  }

  // FROM: explicit items, then the tables of the selected columns.
  std::vector<NodePtr> from = s.from;
  std::vector<std::string> seen;
  for (const auto& f : from) seen.push_back(f->qualifier);
  for (const auto& j : s.joins) seen.push_back(j.item->qualifier);
  std::vector<NodePtr> inferred;
  for (const auto& c : s.columns) collect_tables(c, inferred);
  for (const auto& t : inferred) {
    if (std::find(seen.begin(), seen.end(), t->qualifier) != seen.end()) continue;
    seen.push_back(t->qualifier);
    from.push_back(t);
  }
  if (from.empty() && !s.joins.empty()) {
    throw ArgumentError("join() needs a FROM item to join to: add select_from(table)");
  }
  if (!from.empty()) {
    out_ += " FROM ";
    for (std::size_t i = 0; i < from.size(); ++i) {
      if (i) out_ += ", ";
      from_item(from[i]);
      if (i == 0) {
        for (const auto& j : s.joins) {
          out_ += j.outer ? " LEFT OUTER JOIN " : " JOIN ";
          from_item(j.item);
          out_ += " ON ";
          expr(j.on);
        }
      }
    }
  }
  where_clause(" WHERE ", s.where);
  if (!s.group_by.empty()) {
    out_ += " GROUP BY ";
    for (std::size_t i = 0; i < s.group_by.size(); ++i) {
      if (i) out_ += ", ";
      expr(s.group_by[i], nullptr, Ctx::GroupBy);
    }
  }
  where_clause(" HAVING ", s.having);
}

void Compiler::returning(const StatementData& s) {
  if (s.returning.empty()) return;
  if (!d_.supports_returning()) {
    throw ArgumentError(std::string("RETURNING is not supported by the ") + std::string(d_.name()) + " dialect");
  }
  out_ += " RETURNING ";
  bool saved = unqualified_;
  unqualified_ = true;
  for (std::size_t i = 0; i < s.returning.size(); ++i) {
    if (i) out_ += ", ";
    expr(s.returning[i], nullptr, Ctx::SelectList);
  }
  unqualified_ = saved;
}

void Compiler::insert(const InsertData& s) {
  with_clause(s);
  out_ += "INSERT INTO ";
  ident(s.table->name);
  if (!s.columns.empty()) {
    out_ += " (";
    for (std::size_t i = 0; i < s.columns.size(); ++i) {
      if (i) out_ += ", ";
      ident(s.columns[i]->name);
    }
    out_ += ')';
  }
  if (s.template_mode) {
    out_ += " VALUES (";
    for (std::size_t i = 0; i < s.columns.size(); ++i) {
      if (i) out_ += ", ";
      result.params.emplace_back();
      placeholder();
    }
    out_ += ')';
    result.params.clear();
  } else if (s.from_select) {
    out_ += ' ';
    s.from_select->compile(*this);
  } else if (s.rows.empty() || s.columns.empty()) {
    out_ += " DEFAULT VALUES";
  } else {
    out_ += " VALUES ";
    for (std::size_t r = 0; r < s.rows.size(); ++r) {
      if (r) out_ += ", ";
      out_ += '(';
      for (std::size_t i = 0; i < s.rows[r].size(); ++i) {
        if (i) out_ += ", ";
        expr(s.rows[r][i], nullptr, Ctx::Normal, true);
      }
      out_ += ')';
    }
  }
  if (s.has_conflict) {
    out_ += " ON CONFLICT";
    if (!s.conflict_target.empty()) {
      out_ += " (";
      for (std::size_t i = 0; i < s.conflict_target.size(); ++i) {
        if (i) out_ += ", ";
        ident(s.conflict_target[i]->name);
      }
      out_ += ')';
    }
    if (!s.conflict_update) {
      out_ += " DO NOTHING";
    } else {
      out_ += " DO UPDATE SET ";
      for (std::size_t i = 0; i < s.conflict_sets.size(); ++i) {
        if (i) out_ += ", ";
        ident(s.conflict_sets[i].column->name);
        out_ += " = ";
        expr(s.conflict_sets[i].value, nullptr, Ctx::Normal, true);
      }
    }
  }
  returning(s);
}

void Compiler::update(const UpdateData& s) {
  with_clause(s);
  out_ += "UPDATE ";
  from_item(s.table);
  if (s.sets.empty()) throw ArgumentError("update() needs at least one set(column, value)");
  out_ += " SET ";
  for (std::size_t i = 0; i < s.sets.size(); ++i) {
    if (i) out_ += ", ";
    ident(s.sets[i].column->name);
    out_ += " = ";
    expr(s.sets[i].value, nullptr, Ctx::Normal, true);
  }
  where_clause(" WHERE ", s.where);
  returning(s);
}

void Compiler::delete_(const DeleteData& s) {
  with_clause(s);
  out_ += "DELETE FROM ";
  from_item(s.table);
  where_clause(" WHERE ", s.where);
  returning(s);
}

void Compiler::text(const TextData& s) {
  const std::string& q = s.sql;
  std::size_t i = 0;
  auto is_start = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  auto is_part = [&](char c) { return is_start(c) || (c >= '0' && c <= '9'); };
  while (i < q.size()) {
    char c = q[i];
    if (c == '\'' || c == '"') {  // copy a quoted string or identifier verbatim
      std::size_t j = i + 1;
      while (j < q.size()) {
        if (q[j] == c) {
          if (j + 1 < q.size() && q[j + 1] == c) {
            j += 2;
            continue;
          }
          break;
        }
        ++j;
      }
      out_.append(q, i, j + 1 - i);
      i = j + 1;
    } else if (c == '-' && i + 1 < q.size() && q[i + 1] == '-') {  // line comment
      std::size_t j = q.find('\n', i);
      if (j == std::string::npos) j = q.size();
      out_.append(q, i, j - i);
      i = j;
    } else if (c == ':' && i + 1 < q.size() && q[i + 1] == ':') {  // PostgreSQL cast
      out_ += "::";
      i += 2;
    } else if (c == ':' && i + 1 < q.size() && is_start(q[i + 1])) {
      std::size_t j = i + 1;
      while (j < q.size() && is_part(q[j])) ++j;
      std::string name = q.substr(i + 1, j - i - 1);
      auto it = std::find_if(s.binds.begin(), s.binds.end(), [&](const auto& b) { return b.first == name; });
      if (it == s.binds.end()) throw ArgumentError("text(): no value bound for :" + name + " (call bind(\"" + name + "\", value))");
      result.params.push_back(it->second);
      placeholder();
      i = j;
    } else {
      out_ += c;
      ++i;
    }
  }
}

// ---- dispatch ----------------------------------------------------------------------------------

void SelectData::compile(Compiler& c) const { c.select(*this); }
void InsertData::compile(Compiler& c) const { c.insert(*this); }
void UpdateData::compile(Compiler& c) const { c.update(*this); }
void DeleteData::compile(Compiler& c) const { c.delete_(*this); }
void TextData::compile(Compiler& c) const { c.text(*this); }

CompiledSql compile_statement(const StatementData& data, const Dialect& dialect, std::vector<std::string>* names) {
  Compiler c(dialect);
  data.compile(c);
  if (names) {
    c.names.resize(c.result.params.size());
    *names = std::move(c.names);
  }
  return std::move(c.result);
}

}  // namespace retort::sql::detail
