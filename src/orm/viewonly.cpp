// Read-only relationships to a subset of rows (Definer::one_to_many_viewonly):
// the SELECT that loads them, with the user's condition, and their
// collections, which have no back side.
//
// The SELECT is built with the expression language (the condition is an
// expression, with its own parameters) and compiled at each load; these
// relationships trade a compile per load for the generality.
#include "orm/internal.hpp"
#include "retort/orm/query.hpp"

namespace retort::orm::detail {

namespace {

[[noreturn]] void throw_bad_order(const RelInfo& r) {
  throw ArgumentError("retort: an order_by member of '" + r.owner->type_name + "." + r.name +
                      "' is not a mapped column of '" + r.target->table_name + "'");
}

}  // namespace

CompiledSql viewonly_select(const RelInfo& r, std::span<const std::vector<Value>> keys, const Dialect& d) {
  namespace sd = sql::detail;
  const Mapper& t = *r.target;
  auto table = sd::make_table(t.table_name, {});
  auto column = [&](int c) {
    const ColumnInfo& ci = t.columns[std::size_t(c)];
    return sd::make_column(table, ci.name, ci.type.kind);
  };
  auto param = [&](int c, const Value& v) { return sd::make_param(v, t.columns[std::size_t(c)].type.kind); };
  sd::NodePtr match;
  if (r.fk_cols.size() == 1) {
    std::vector<sd::NodePtr> items;
    items.reserve(keys.size());
    for (const auto& k : keys) items.push_back(param(r.fk_cols[0], k[0]));
    match = sd::make_in_list(column(r.fk_cols[0]), std::move(items), false);
  } else {  // (a = ? AND b = ?) OR ...
    for (const auto& k : keys) {
      sd::NodePtr row;
      for (std::size_t i = 0; i < r.fk_cols.size(); ++i) {
        auto eq = sd::make_binary(sd::Op::Eq, column(r.fk_cols[i]), param(r.fk_cols[i], k[i]), TypeKind::Boolean);
        row = row ? sd::make_binary(sd::Op::And, row, eq, TypeKind::Boolean) : eq;
      }
      match = match ? sd::make_binary(sd::Op::Or, match, row, TypeKind::Boolean) : row;
    }
  }
  auto sel = select_all(t).where(sql::Expr<bool>(match)).where(sql::Expr<bool>(r.filter));
  for (const auto& [off, desc] : r.order_by) {
    int c = t.column_at_offset(off);
    if (c < 0) throw_bad_order(r);
    sql::Expr<std::int64_t> e(column(c));  // (the type only shapes the C++ API)
    sel = desc ? sel.order_by(e.desc()) : sel.order_by(e.asc());
  }
  for (int p : t.pk) sel = sel.order_by(sql::Expr<std::int64_t>(column(p)));
  return sel.compile(d);
}

void set_viewonly_collection(ManyCore* mc, const std::vector<InstanceState*>& found) {
  InstanceState* s = mc->owner();
  const RelInfo& r = *mc->rel_;
  for (std::size_t i = 0, n = r.mops.size(mc); i < n; ++i) {
    InstanceState* x = r.mops.at(mc, i);
    remove_view_edge(s, x);
    queue_trial(x);
  }
  r.mops.clear(mc);
  for (auto* x : found) {
    if (x->has(kMarkedDeleted)) continue;
    r.mops.push(mc, x);
    add_view_edge(s, x);
  }
  mc->loaded_ = true;
}

void unload_viewonly(InstanceState* s, const RelInfo& r) {
  ManyCore* mc = r.many(s);
  set_viewonly_collection(mc, {});
  mc->loaded_ = false;
  mc->raise_ = false;
}

}  // namespace retort::orm::detail
