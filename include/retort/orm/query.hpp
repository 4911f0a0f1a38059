// retort/orm/query.hpp — queries returning mapped objects, built on the sql
// expression language.
//
//   auto alice = session.query<User>().filter(retort::col(&User::name) == "Alice").one();
//   auto posts = session.query<Post>()
//                    .join(&Post::author)                       // along a relationship
//                    .filter(retort::col(&User::name).like("A%"))
//                    .order_by(retort::col(&Post::id).desc())
//                    .limit(10)
//                    .all();
//
// Every terminal call (all, first, one, one_or_none, scalars) autoflushes and
// emits one SELECT; rows become objects through the identity map (a row
// already loaded yields the same object, unchanged unless expired). A join
// that repeats a row yields its object once, in first-seen order.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "retort/orm/loader.hpp"
#include "retort/orm/mapping.hpp"
#include "retort/orm/session.hpp"
#include "retort/sql.hpp"

namespace retort {

namespace orm::detail {
/// The mapped column stored at `offset` of the type mapped by `m`.
/// Throws ArgumentError when that member is not a mapped column.
const ColumnInfo& column_at(const Mapper& m, std::size_t offset);
/// SELECT <all mapped columns> FROM <table>.
sql::Select<std::int64_t> select_all(const Mapper& m);
/// `sel` joined along the relationship stored at `offset` of `m` to its
/// target's table (a many-to-many: through its association table too).
sql::Select<std::int64_t> join_relationship(const sql::Select<std::int64_t>& sel, const Mapper& m,
                                            std::size_t offset);
/// Autoflushes, runs `sel` and loads its rows as `m` objects (each object
/// once when `dedupe`: joins can repeat a row), then applies the loader
/// strategies of `opts` and of the mapping (joined: in the same SELECT;
/// selectin: one more SELECT per relationship level).
std::vector<InstanceState*> run_query(Session& s, const Mapper& m, const sql::SelectBase& sel,
                                      bool dedupe, std::span<const LoaderOption> opts);
}  // namespace orm::detail

/// The typed column of a mapped member, for filters and ordering:
/// col(&User::name) is a sql::Column<std::string> of table "users".
template <class C, class M>
sql::Column<M> col(M C::*mp) {
  static_assert(Mapped<C>, "retort::col() needs a member of a mapped type");
  const auto& m = orm::detail::mapper_of<C>();
  return sql::Column<M>(sql::TableRef(m.table_name), orm::detail::column_at(m, orm::detail::member_offset(mp)).name);
}

/// The FROM item of a mapped type's table (for explicit joins).
template <Mapped C>
sql::TableRef table_ref() {
  return sql::TableRef(orm::detail::mapper_of<C>().table_name);
}

template <class T>
class Query {
 public:
  explicit Query(Session& s) : s_(&s), sel_(orm::detail::select_all(orm::detail::mapper_of<T>())) {}

  /// WHERE cond (ANDed with earlier filters); cond is a boolean sql expression.
  template <class C>
  [[nodiscard]] Query filter(const C& cond) const {
    return with(sel_.where(cond));
  }
  template <class... O>
  [[nodiscard]] Query order_by(const O&... o) const {
    return with(sel_.order_by(o...));
  }
  [[nodiscard]] Query limit(std::int64_t n) const { return with(sel_.limit(n)); }
  [[nodiscard]] Query offset(std::int64_t n) const { return with(sel_.offset(n)); }
  /// JOIN another table on a condition.
  template <class C>
  [[nodiscard]] Query join(const sql::TableRef& t, const C& on) const {
    return with(sel_.join(t, on), true);
  }
  /// JOIN along a relationship of T: join(&Post::author), join(&User::posts),
  /// join(&Post::tags) (a many-to-many joins its association table too).
  template <class R>
  [[nodiscard]] Query join(R T::*rel) const {
    return with(orm::detail::join_relationship(sel_, orm::detail::mapper_of<T>(),
                                               orm::detail::member_offset(rel)),
                true);
  }

  /// Loader strategies for this query's relationships (loader.hpp):
  ///   .options(retort::selectinload(&User::posts), retort::raiseload(&User::group))
  /// Several calls add up. No SQL until a terminal call.
  template <class... O>
  [[nodiscard]] Query options(const O&... opts) const {
    Query q = *this;
    (q.opts_.push_back(opts), ...);
    return q;
  }

  /// Every matching object (SELECT, plus one SELECT per selectin level).
  std::vector<Ptr<T>> all() const { return wrap(run(sel_)); }
  /// Same as all(): SQLAlchemy's session.scalars(select(T)).all().
  std::vector<Ptr<T>> scalars() const { return all(); }
  /// The first object or an empty Ptr (SELECT ... LIMIT 1).
  Ptr<T> first() const {
    auto v = run(sel_.limit(1));
    return v.empty() ? Ptr<T>() : Ptr<T>(v[0]);
  }
  /// Exactly one object: NoResultFound / MultipleResultsFound otherwise.
  Ptr<T> one() const {
    auto p = one_or_none();
    if (!p) throw NoResultFound();
    return p;
  }
  /// One object or an empty Ptr; MultipleResultsFound when there are more.
  Ptr<T> one_or_none() const {
    auto v = run(sel_.limit(2));
    if (v.size() > 1) throw MultipleResultsFound();
    return v.empty() ? Ptr<T>() : Ptr<T>(v[0]);
  }

  /// The statement this query runs (for to_string / debugging).
  const sql::Select<std::int64_t>& statement() const { return sel_; }

 private:
  Query(Session* s, sql::Select<std::int64_t> sel, bool joined, std::vector<LoaderOption> opts)
      : s_(s), sel_(std::move(sel)), joined_(joined), opts_(std::move(opts)) {}
  Query with(sql::Select<std::int64_t> sel, bool join = false) const {
    return Query(s_, std::move(sel), joined_ || join, opts_);
  }
  std::vector<orm::detail::InstanceState*> run(const sql::Select<std::int64_t>& sel) const {
    return orm::detail::run_query(*s_, orm::detail::mapper_of<T>(), sel, joined_, opts_);
  }
  static std::vector<Ptr<T>> wrap(const std::vector<orm::detail::InstanceState*>& v) {
    std::vector<Ptr<T>> out;
    out.reserve(v.size());
    for (auto* s : v) out.emplace_back(s);
    return out;
  }

  Session* s_;
  sql::Select<std::int64_t> sel_;
  bool joined_ = false;
  std::vector<LoaderOption> opts_;
};

template <Mapped T>
Query<T> Session::query() {
  orm::detail::mapper_of<T>().configure();
  return Query<T>(*this);
}

}  // namespace retort
