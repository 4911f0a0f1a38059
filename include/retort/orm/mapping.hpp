// retort/orm/mapping.hpp — declaring how a plain struct maps to a table.
//
//   template <> struct retort::Mapping<User> {
//     static constexpr auto table = "users";
//     static void define(auto& m) {
//       m.column("id", &User::id, retort::primary_key);
//       m.column("name", &User::name);
//       m.one_to_many("posts", &User::posts, &Post::author,
//                     retort::cascade::all | retort::cascade::delete_orphan);
//     }
//   };
//
// `define` takes `auto&` so that it is checked when first used, after every
// model is declared. Nullability comes from the member type: T is NOT NULL,
// std::optional<T> is nullable. Mistakes visible to the compiler (a member of
// an unsupported type, a relationship to an unmapped type, back_populates
// naming a member of the wrong kind) are static_asserts with one sentence; a
// mapping without a primary key, or a relationship with no foreign key
// between its tables, throws ArgumentError at first use of the type.
#pragma once

#include <cassert>
#include <concepts>
#include <cstddef>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>

#include "retort/orm/cascade.hpp"
#include "retort/orm/mapper.hpp"
#include "retort/orm/ptr.hpp"
#include "retort/orm/relationship.hpp"
#include "retort/sql/expression.hpp"

namespace retort {

/// Specialize for each mapped struct (see above).
template <class T>
struct Mapping;

/// True for types with a Mapping specialization.
template <class T>
concept Mapped = requires {
  { Mapping<T>::table } -> std::convertible_to<std::string_view>;
};

// ---- column options ---------------------------------------------------------------------

struct PrimaryKeyOpt {};
inline constexpr PrimaryKeyOpt primary_key{};
struct UniqueOpt {};
inline constexpr UniqueOpt unique{};
struct IndexOpt {};
inline constexpr IndexOpt indexed{};
struct AutoincrementOpt {
  bool on = true;
};
constexpr AutoincrementOpt autoincrement(bool on = true) { return {on}; }
struct SqlTypeOpt {
  SqlType type;
};
/// Overrides the column type derived from the member type (e.g. types::Text).
constexpr SqlTypeOpt sql_type(SqlType t) { return {t}; }
struct ForeignKeyOpt {
  const orm::detail::Mapper& (*mapper)() = nullptr;
  std::size_t offset = 0;
  std::string table, column;
  FkAction on_delete = FkAction::NoAction;
};

/// Relationship option (one_to_many, one_to_one): deleting the parent does
/// not load its unloaded children; the database's ON DELETE CASCADE / SET NULL
/// of the child's foreign key acts on their rows (SQLAlchemy's
/// passive_deletes=True). Children already loaded are still deleted (under
/// cascade::remove) or have their key nulled by the flush.
struct PassiveDeletesOpt {};
inline constexpr PassiveDeletesOpt passive_deletes{};

/// The association table of a many-to-many relationship, and optionally its
/// two foreign key columns: `local` references the declaring type's primary
/// key, `remote` the other type's (default "<table>_<pk column>").
struct SecondaryOpt {
  std::string table, local, remote;
};
inline SecondaryOpt secondary(std::string table, std::string local = {}, std::string remote = {}) {
  return {std::move(table), std::move(local), std::move(remote)};
}

namespace orm::detail {
template <class T>
const Mapper& mapper_of();

/// Byte offset of a data member (offsetof for any class type).
template <class C, class M>
std::size_t member_offset(M C::*mp) {
  union U {
    U() {}
    ~U() {}
    C c;
  } u;
  return static_cast<std::size_t>(reinterpret_cast<const char*>(&(u.c.*mp)) -
                                  reinterpret_cast<const char*>(&u.c));
}

template <class M>
concept ColumnMember = ColumnValue<M> || NullableColumnValue<M>;
template <class R>
struct RelTraits : std::false_type {};
template <class U>
struct RelTraits<Many<U>> : std::true_type {
  using target = U;
  static constexpr bool many = true;
};
template <class U>
struct RelTraits<One<U>> : std::true_type {
  using target = U;
  static constexpr bool many = false;
};

template <class U>
OneCore* one_at(void* obj, std::size_t off) {
  return reinterpret_cast<One<U>*>(static_cast<char*>(obj) + off);
}
template <class U>
ManyCore* many_at(void* obj, std::size_t off) {
  return reinterpret_cast<Many<U>*>(static_cast<char*>(obj) + off);
}
template <class U>
struct ManyOpsFor {
  static Many<U>& self(ManyCore* m) { return static_cast<Many<U>&>(*m); }
  static const Many<U>& self(const ManyCore* m) { return static_cast<const Many<U>&>(*m); }
  static void push(ManyCore* m, InstanceState* s) { self(m).items_.push_back(Ref<U>(s)); }
  // From the back: clearing a collection removes its last item each time.
  static void erase(ManyCore* m, InstanceState* s) {
    auto& v = self(m).items_;
    for (std::size_t i = v.size(); i-- > 0;)
      if (v[i].state() == s) {
        v.erase(v.begin() + std::ptrdiff_t(i));
        return;
      }
  }
  static void clear(ManyCore* m) { self(m).items_.clear(); }
  static std::size_t size(const ManyCore* m) { return self(m).items_.size(); }
  static InstanceState* at(const ManyCore* m, std::size_t i) { return self(m).items_[i].state(); }
  static constexpr ManyOps ops{&push, &erase, &clear, &size, &at};
};

template <class O>
concept RelOption = std::same_as<O, cascade::Flags> || std::same_as<O, LoadStrategy> ||
                    std::same_as<O, CollectionOrder> || std::same_as<O, PassiveDeletesOpt>;

/// Builds the runtime Mapper of C from Mapping<C>::define (the `m` it receives).
template <class C>
class Definer {
 public:
  explicit Definer(Mapper& m) : m_(m) {}

  /// A column stored in member `mp`. Options: primary_key, unique, indexed,
  /// autoincrement(bool), sql_type(t), references(&Other::id) / foreign_key("t.c").
  template <class M, class... O>
  void column(std::string name, M C::*mp, const O&... opts) {
    static_assert(ColumnMember<M>,
                  "retort: a column member must be int64_t, int32_t, int16_t, double, float, "
                  "bool, std::string, retort::Bytes, retort::Date, retort::Timestamp or a "
                  "std::optional of one of them");
    ColumnInfo c;
    c.name = std::move(name);
    c.offset = member_offset(mp);
    c.ops = &ColumnOpsFor<M>::ops;
    static_assert(alignof(M) <= 8, "snapshot_at() aligns the snapshot to 8");
    c.snapshot_offset = (m_.snapshot_size + alignof(M) - 1) & ~(alignof(M) - 1);
    m_.snapshot_size = c.snapshot_offset + sizeof(M);
    c.type = default_sql_type<M>();
    c.nullable = NullableColumnValue<M>;
    (apply(c, opts), ...);
    m_.columns.push_back(std::move(c));
  }

  /// A one-to-many collection `mp` (Many<U>), kept in sync with the child's
  /// many-to-one member `back` (One<C>), like relationship(back_populates=).
  /// Options, in any order: cascade flags (default save_update | merge), the
  /// loader strategy used when a query gives none (loader.hpp), the
  /// collection's ORDER BY (retort::order_by), retort::passive_deletes.
  template <class R, class B, class... O>
  void one_to_many(std::string name, R C::*mp, B RelTraits<R>::target::*back, const O&... opts) {
    static_assert(RelTraits<R>::value && RelTraits<R>::many,
                  "retort: one_to_many needs a retort::Many<T> member");
    using U = typename RelTraits<R>::target;
    static_assert(Mapped<U>, "retort: one_to_many target type has no retort::Mapping");
    static_assert(std::is_same_v<B, One<C>>,
                  "retort: back_populates of one_to_many must name the child's One<Owner> member");
    static_assert((RelOption<O> && ...),
                  "retort: a relationship option is cascade flags, a LoadStrategy, "
                  "retort::order_by(...) or retort::passive_deletes");
    RelInfo r = relationship<U>(std::move(name), RelKind::OneToMany, member_offset(mp), member_offset(back));
    r.mops = ManyOpsFor<U>::ops;
    r.many_at = &many_at<U>;
    (apply(r, opts), ...);
    m_.rels.push_back(std::move(r));
  }

  /// A read-only collection `mp` (Many<U>) of the rows of U whose foreign key
  /// references C and that match `where`, a condition on U's columns:
  ///   m.one_to_many_viewonly("published", &User::published,
  ///                          retort::col(&Post::published) == true);
  /// (SQLAlchemy's relationship(primaryjoin=..., viewonly=True).) It has no
  /// back side and is never written: mutating it throws InvalidRequestError.
  /// It shows the database as of its last load: changes in memory appear
  /// after a flush and an expire. Options: a LoadStrategy (joined loads as
  /// selectin), retort::order_by.
  template <class R, class W, class... O>
  void one_to_many_viewonly(std::string name, R C::*mp, const W& where, const O&... opts) {
    static_assert(RelTraits<R>::value && RelTraits<R>::many,
                  "retort: one_to_many_viewonly needs a retort::Many<T> member");
    using U = typename RelTraits<R>::target;
    static_assert(Mapped<U>, "retort: one_to_many_viewonly target type has no retort::Mapping");
    static_assert(std::is_same_v<sql::base_t<sql::detail::sql_type_t<W>>, bool>,
                  "retort: the condition of one_to_many_viewonly is a boolean expression over the "
                  "target's columns, e.g. retort::col(&Post::published) == true");
    static_assert(((std::same_as<O, LoadStrategy> || std::same_as<O, CollectionOrder>) && ...),
                  "retort: a one_to_many_viewonly option is a LoadStrategy or retort::order_by(...)");
    RelInfo r = relationship<U>(std::move(name), RelKind::OneToMany, member_offset(mp), 0);
    r.viewonly = true;
    r.filter = where.node();
    r.cascade = cascade::none;
    r.mops = ManyOpsFor<U>::ops;
    r.many_at = &many_at<U>;
    (apply(r, opts), ...);
    m_.rels.push_back(std::move(r));
  }

  /// A many-to-many collection `mp` (Many<U>) through the association table
  /// `sec`, kept in sync with the target's collection `back` (Many<C>), which
  /// must be declared with many_to_many and the same table. Both sides need a
  /// one-column primary key. Options: cascade flags, a LoadStrategy (lazy,
  /// selectin, noload or raise).
  template <class R, class B, class... O>
  void many_to_many(std::string name, R C::*mp, B RelTraits<R>::target::*back, SecondaryOpt sec,
                    const O&... opts) {
    static_assert(RelTraits<R>::value && RelTraits<R>::many,
                  "retort: many_to_many needs a retort::Many<T> member");
    using U = typename RelTraits<R>::target;
    static_assert(Mapped<U>, "retort: many_to_many target type has no retort::Mapping");
    static_assert(std::is_same_v<B, Many<C>>,
                  "retort: back_populates of many_to_many must name the target's Many<Owner> member");
    static_assert(((std::same_as<O, cascade::Flags> || std::same_as<O, LoadStrategy>) && ...),
                  "retort: a many_to_many option is cascade flags or a LoadStrategy");
    RelInfo r = relationship<U>(std::move(name), RelKind::ManyToMany, member_offset(mp), member_offset(back));
    r.mops = ManyOpsFor<U>::ops;
    r.many_at = &many_at<U>;
    r.secondary = std::move(sec.table);
    r.sec_local = std::move(sec.local);
    r.sec_remote = std::move(sec.remote);
    (apply(r, opts), ...);
    m_.rels.push_back(std::move(r));
  }

  /// The side of a one-to-one without the foreign key: a scalar `mp`
  /// (One<U>) kept in sync with the child's reference `back` (One<C>), which
  /// must be declared with many_to_one (SQLAlchemy's uselist=False). Give
  /// the child's foreign key retort::unique so that the database holds the
  /// rule too. Replacing the child (`user->profile = other`) nulls the old
  /// child's key, or deletes it under delete_orphan, before the new row is
  /// inserted in the same flush.
  template <class R, class B, class... O>
  void one_to_one(std::string name, R C::*mp, B RelTraits<R>::target::*back, const O&... opts) {
    static_assert(RelTraits<R>::value && !RelTraits<R>::many,
                  "retort: one_to_one needs a retort::One<T> member");
    using U = typename RelTraits<R>::target;
    static_assert(Mapped<U>, "retort: one_to_one target type has no retort::Mapping");
    static_assert(std::is_same_v<B, One<C>>,
                  "retort: back_populates of one_to_one must name the child's One<Owner> member");
    static_assert(((RelOption<O> && !std::same_as<O, CollectionOrder>) && ...),
                  "retort: a one_to_one option is cascade flags, a LoadStrategy or "
                  "retort::passive_deletes");
    RelInfo r = relationship<U>(std::move(name), RelKind::OneToOne, member_offset(mp), member_offset(back));
    r.one_at = &one_at<U>;
    (apply(r, opts), ...);
    m_.rels.push_back(std::move(r));
  }

  /// A many-to-one reference `mp` (One<U>), kept in sync with the parent's
  /// collection `back` (Many<C>), or the parent's scalar (One<C>) of a
  /// one_to_one. The foreign key columns are the columns of C that reference
  /// U's primary key (see references()).
  template <class R, class B, class... O>
  void many_to_one(std::string name, R C::*mp, B RelTraits<R>::target::*back, const O&... opts) {
    static_assert(RelTraits<R>::value && !RelTraits<R>::many,
                  "retort: many_to_one needs a retort::One<T> member");
    using U = typename RelTraits<R>::target;
    static_assert(Mapped<U>, "retort: many_to_one target type has no retort::Mapping");
    static_assert(std::is_same_v<B, Many<C>> || std::is_same_v<B, One<C>>,
                  "retort: back_populates of many_to_one must name the parent's Many<Owner> "
                  "(or, for a one_to_one, One<Owner>) member");
    static_assert(((std::same_as<O, cascade::Flags> || std::same_as<O, LoadStrategy>) && ...),
                  "retort: a many_to_one option is cascade flags or a LoadStrategy");
    RelInfo r = relationship<U>(std::move(name), RelKind::ManyToOne, member_offset(mp), member_offset(back));
    r.one_at = &one_at<U>;
    (apply(r, opts), ...);
    m_.rels.push_back(std::move(r));
  }

 private:
  template <class U>
  static RelInfo relationship(std::string name, RelKind kind, std::size_t offset, std::size_t back) {
    RelInfo r;
    r.name = std::move(name);
    r.kind = kind;
    r.offset = offset;
    r.owner_at = object_at<C>() + offset;
    r.target_fn = &mapper_of<U>;
    r.back_offset = back;
    return r;
  }
  static void apply(RelInfo& r, cascade::Flags f) { r.cascade = f; }
  static void apply(RelInfo& r, LoadStrategy s) {
    // contains_eager is a query option only; default_ keeps lazy.
    r.lazy = s == LoadStrategy::default_ || s == LoadStrategy::contains_eager ? LoadStrategy::lazy : s;
  }
  static void apply(RelInfo& r, const CollectionOrder& o) { r.order_by = o.items; }
  static void apply(RelInfo& r, PassiveDeletesOpt) { r.passive_deletes = true; }
  static void apply(ColumnInfo& c, PrimaryKeyOpt) {
    c.primary_key = true;
    c.nullable = false;
  }
  static void apply(ColumnInfo& c, UniqueOpt) { c.unique = true; }
  static void apply(ColumnInfo& c, IndexOpt) { c.index = true; }
  static void apply(ColumnInfo& c, AutoincrementOpt a) { c.autoincrement = a.on; }
  static void apply(ColumnInfo& c, SqlTypeOpt t) { c.type = t.type; }
  static void apply(ColumnInfo& c, const ForeignKeyOpt& f) {
    c.fk_mapper = f.mapper;
    c.fk_offset = f.offset;
    c.fk_table = f.table;
    c.fk_column = f.column;
    c.on_delete = f.on_delete;
  }
  Mapper& m_;
};

// A block and its snapshot share one allocation (instance_state.hpp): the
// Block<T>, then the columns' copies from snapshot_at<T>() on, measured
// from the InstanceState (the block's only base, at its start).
template <class T>
constexpr std::size_t snapshot_at() {
  return (sizeof(Block<T>) + 7) & ~std::size_t(7);  // Definer::column: no copy needs more
}
template <class T>
constexpr bool overaligned_block = alignof(Block<T>) > __STDCPP_DEFAULT_NEW_ALIGNMENT__;

template <class T>
void free_block_memory(void* mem, std::size_t size) {
  if constexpr (overaligned_block<T>) {
    ::operator delete(mem, size, std::align_val_t(alignof(Block<T>)));
  } else {
    ::operator delete(mem, size);
  }
}

/// A Block<T>(&m, a...) with its snapshot's copies default-constructed.
template <class T, class... A>
Block<T>* new_block(const Mapper& m, A&&... a) {
  const std::size_t size = snapshot_at<T>() + m.snapshot_size;
  void* mem;
  if constexpr (overaligned_block<T>) {
    mem = ::operator new(size, std::align_val_t(alignof(Block<T>)));
  } else {
    mem = ::operator new(size);
  }
  Block<T>* b;
  try {
    b = new (mem) Block<T>(&m, static_cast<A&&>(a)...);
  } catch (...) {
    free_block_memory<T>(mem, size);
    throw;
  }
  assert(static_cast<void*>(static_cast<InstanceState*>(b)) == mem);  // see snapshot_field
  char* snapshot = static_cast<char*>(mem) + snapshot_at<T>();
  for (const ColumnInfo& c : m.columns) c.ops->construct(snapshot + c.snapshot_offset);
  return b;
}

template <class T>
InstanceState* create_block() {
  return new_block<T>(mapper_of<T>());
}
template <class T>
void destroy_block(InstanceState* s) {
  const Mapper& m = *s->mapper;
  auto* b = static_cast<Block<T>*>(s);
  char* snapshot = reinterpret_cast<char*>(b) + snapshot_at<T>();
  for (const ColumnInfo& c : m.columns) c.ops->destroy(snapshot + c.snapshot_offset);
  b->~Block<T>();
  free_block_memory<T>(b, snapshot_at<T>() + m.snapshot_size);
}

/// The runtime mapper of T, built on first use (thread-safe).
template <class T>
const Mapper& mapper_of() {
  static_assert(Mapped<T>,
                "retort: this type is not mapped; declare template <> struct retort::Mapping<T> "
                "{ static constexpr auto table = \"...\"; static void define(auto& m) { ... } };");
  // Never destroyed: objects (a Ptr in a static) may outlive static destructors.
  static Mapper& m = *new Mapper;
  if constexpr (Mapped<T>) {  // (avoids follow-up errors after the static_assert)
    static const bool built = [] {
      m.table_name = Mapping<T>::table;
      m.type_name = m.table_name;
      m.create = &create_block<T>;
      m.destroy = &destroy_block<T>;
      m.snapshot_at = snapshot_at<T>();
      Definer<T> d(m);
      Mapping<T>::define(d);
      return true;
    }();
    (void)built;
  }
  return m;
}

/// Binds the relationship members of a freshly made block and turns their
/// unbound (strong) targets into synced edges (src/orm/relationship.cpp).
void bind_new_object(InstanceState* s);
}  // namespace orm::detail

/// A foreign key to a column of another mapped type: references(&User::id).
template <class U, class M>
ForeignKeyOpt references(M U::*mp, FkAction on_delete = FkAction::NoAction) {
  static_assert(Mapped<U>, "retort: references() must name a member of a mapped type");
  ForeignKeyOpt f;
  f.mapper = &orm::detail::mapper_of<U>;
  f.offset = orm::detail::member_offset(mp);
  f.on_delete = on_delete;
  return f;
}
/// A foreign key given as "table.column", as in SQLAlchemy's ForeignKey('users.id').
ForeignKeyOpt foreign_key(std::string_view table_dot_column, FkAction on_delete = FkAction::NoAction);

/// Makes a new (transient) mapped object and returns the owning handle.
///   auto user = retort::make<User>({.name = "Alice"});
/// Relationship members given in the initializer are bound and synced.
template <Mapped T>
Ptr<T> make(T value = T{}) {
  const auto& m = orm::detail::mapper_of<T>();
  m.configure();
  auto* b = orm::detail::new_block<T>(m, std::move(value));
  Ptr<T> p(static_cast<orm::detail::InstanceState*>(b));
  orm::detail::bind_new_object(b);
  return p;
}

}  // namespace retort
