// retort/orm/loader.hpp — loader strategies: how a relationship of loaded
// objects gets its value.
//
//   lazy      (default) one SELECT per object, on first access
//   selectin  after the query, one SELECT ... WHERE fk IN (...) per
//             relationship level for every object the query loaded (chunked
//             to the dialect's parameter limit)
//   joined    the query itself LEFT OUTER JOINs the related table (INNER JOIN
//             with innerjoin = true); rows are de-duplicated into parents
//   raise     reading the unloaded relationship throws InvalidRequestError
//   noload    the relationship reads as empty / null without SQL
//   contains_eager  (query option) the query already joins the relationship's
//             table with join(&User::posts): its columns fill the relationship
//             (with only the rows the query's filters keep)
//
// Per relationship in the mapping (the last argument of one_to_many /
// many_to_one) or per query:
//
//   session.query<User>().options(retort::selectinload(&User::posts)
//                                     .selectinload(&Post::tags)).all();
//
// A chain names one relationship per level; each level takes the strategy of
// its call (defaultload keeps the mapping's). Objects already loaded keep
// their loaded relationships (no SQL for them).
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace retort {

/// contains_eager is a query option only (a mapping treats it as lazy).
enum class LoadStrategy : std::uint8_t { lazy, selectin, joined, raise, noload, default_, contains_eager };

namespace orm::detail {
struct Mapper;
template <class T>
const Mapper& mapper_of();
template <class C, class M>
std::size_t member_offset(M C::*mp);

/// One level of a loader option: the relationship member at `offset` of the
/// type whose mapper `owner` returns.
struct LoadStep {
  const Mapper& (*owner)() = nullptr;
  std::size_t offset = 0;
  LoadStrategy strategy = LoadStrategy::default_;
  bool innerjoin = false;
};
}  // namespace orm::detail

/// A chain of relationships with a strategy per level (see above). Checked
/// when the query runs: a level that is not a relationship of the previous
/// level's target throws ArgumentError.
class LoaderOption {
 public:
  template <class C, class R>
  [[nodiscard]] LoaderOption selectinload(R C::*rel) const { return then(rel, LoadStrategy::selectin); }
  template <class C, class R>
  [[nodiscard]] LoaderOption joinedload(R C::*rel, bool innerjoin = false) const {
    return then(rel, LoadStrategy::joined, innerjoin);
  }
  template <class C, class R>
  [[nodiscard]] LoaderOption lazyload(R C::*rel) const { return then(rel, LoadStrategy::lazy); }
  template <class C, class R>
  [[nodiscard]] LoaderOption raiseload(R C::*rel) const { return then(rel, LoadStrategy::raise); }
  template <class C, class R>
  [[nodiscard]] LoaderOption noload(R C::*rel) const { return then(rel, LoadStrategy::noload); }
  template <class C, class R>
  [[nodiscard]] LoaderOption defaultload(R C::*rel) const { return then(rel, LoadStrategy::default_); }
  template <class C, class R>
  [[nodiscard]] LoaderOption contains_eager(R C::*rel) const { return then(rel, LoadStrategy::contains_eager); }

  std::vector<orm::detail::LoadStep> steps;

 private:
  template <class C, class R>
  LoaderOption then(R C::*rel, LoadStrategy s, bool inner = false) const {
    LoaderOption o = *this;
    o.steps.push_back({&orm::detail::mapper_of<C>, orm::detail::member_offset(rel), s, inner});
    return o;
  }
};

template <class C, class R>
LoaderOption selectinload(R C::*rel) { return LoaderOption{}.selectinload(rel); }
/// innerjoin = true: INNER JOIN (parents without related rows are not returned).
template <class C, class R>
LoaderOption joinedload(R C::*rel, bool innerjoin = false) { return LoaderOption{}.joinedload(rel, innerjoin); }
template <class C, class R>
LoaderOption lazyload(R C::*rel) { return LoaderOption{}.lazyload(rel); }
template <class C, class R>
LoaderOption raiseload(R C::*rel) { return LoaderOption{}.raiseload(rel); }
template <class C, class R>
LoaderOption noload(R C::*rel) { return LoaderOption{}.noload(rel); }
template <class C, class R>
LoaderOption defaultload(R C::*rel) { return LoaderOption{}.defaultload(rel); }
/// Fills the relationship from the query's own join(&C::rel) (top level only;
/// ArgumentError when the query does not join that table).
template <class C, class R>
LoaderOption contains_eager(R C::*rel) { return LoaderOption{}.contains_eager(rel); }

/// The order of a one-to-many collection when it is loaded (lazy, selectin
/// or joined), given as the last argument of one_to_many:
///   m.one_to_many("posts", &User::posts, &Post::author, cascade::all,
///                 LoadStrategy::lazy, retort::order_by(&Post::title).then(&Post::id, true));
/// In-memory appends go at the end until the collection is loaded again.
struct CollectionOrder {
  std::vector<std::pair<std::size_t, bool>> items;  ///< member offset in the child, descending
  template <class C, class M>
  [[nodiscard]] CollectionOrder then(M C::*mp, bool descending = false) const {
    CollectionOrder o = *this;
    o.items.emplace_back(orm::detail::member_offset(mp), descending);
    return o;
  }
};
template <class C, class M>
CollectionOrder order_by(M C::*mp, bool descending = false) { return CollectionOrder{}.then(mp, descending); }

}  // namespace retort
