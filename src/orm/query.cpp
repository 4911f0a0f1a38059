// The untyped half of Query<T>: the base SELECT of a mapper, relationship
// join conditions, and running a query into identity-mapped objects.
#include <unordered_set>

#include "orm/internal.hpp"
#include "orm/joined.hpp"
#include "retort/orm/query.hpp"

namespace retort::orm::detail {

const ColumnInfo& column_at(const Mapper& m, std::size_t offset) {
  int i = m.column_at_offset(offset);
  if (i < 0)
    throw ArgumentError("retort::col(): the member is not a mapped column of '" + m.table_name + "'");
  return m.columns[std::size_t(i)];
}

sql::Select<std::int64_t> select_all(const Mapper& m) {
  m.configure();
  auto table = sql::detail::make_table(m.table_name, {});
  std::vector<sql::detail::NodePtr> cols;
  cols.reserve(m.columns.size());
  for (const auto& c : m.columns) cols.push_back(sql::detail::make_column(table, c.name, c.type.kind));
  return sql::Select<std::int64_t>(std::move(cols));
}

sql::Select<std::int64_t> join_relationship(const sql::Select<std::int64_t>& sel, const Mapper& m,
                                            std::size_t offset) {
  m.configure();
  const RelInfo* rel = nullptr;
  for (const auto& r : m.rels)
    if (r.offset == offset) rel = &r;
  if (!rel)
    throw ArgumentError("Query::join(): the member is not a mapped relationship of '" +
                        m.table_name + "'");
  sql::Select<std::int64_t> out = sel;
  for (const JoinStep& step : relationship_joins(*rel, sql::detail::make_table(m.table_name, {}), ""))
    out = out.join(sql::TableRef(sql::detail::node_name(step.table)), sql::Expr<bool>(step.on));
  return out;
}

std::vector<InstanceState*> run_query(Session& session, const Mapper& m, const sql::SelectBase& sel,
                                      bool dedupe, std::span<const LoaderOption> opts) {
  SessionImpl& s = session.impl();
  s.autoflush();
  std::vector<LoadNode> nodes = resolve_options(m, opts);
  JoinedLoader joined(m, sel, nodes);
  Connection& conn = s.connection();
  const CompiledSql& c = (joined.active() ? joined.statement() : sel).compile(conn.dialect());
  std::vector<InstanceState*> out;
  std::unordered_set<InstanceState*> seen;
  dedupe = dedupe || joined.active();
  {
    Result r = conn.execute(c.sql, std::span<const Value>(c.params));
    while (r.next()) {
      InstanceState* x = s.load_row(m, r.statement(), 0);
      if (joined.active()) joined.row(s, x, r.statement());
      if (x->has(kMarkedDeleted) || x->has(kDeletedFlushed)) continue;
      if (!dedupe || seen.insert(x).second) out.push_back(x);
    }
  }
  std::vector<JoinedTargets> targets = joined.finish();
  apply_loaders(s, m, out, nodes, &targets);
  return out;
}

}  // namespace retort::orm::detail
