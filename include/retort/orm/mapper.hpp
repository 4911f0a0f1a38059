// retort/orm/mapper.hpp — the runtime, type-erased description of one mapped
// type, built once from its Mapping<T> declaration (see mapping.hpp).
//
// Everything in the ORM core (unit of work, loading, relationship sync, the
// collector) works on Mappers and InstanceStates, so that the templates a user
// instantiates stay thin. Columns are reached by byte offset into the object
// and decoded/encoded through per-C++-type function pointers (ColumnOps), so
// loading a row writes straight into the struct members.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <vector>

#include "retort/column_reader.hpp"
#include "retort/orm/cascade.hpp"
#include "retort/orm/instance_state.hpp"
#include "retort/orm/loader.hpp"
#include "retort/schema.hpp"

namespace retort {
class Dialect;
namespace sql::detail {
struct Node;
}
}

namespace retort::orm::detail {

/// Encode/decode one member of C++ type M (chosen per column at mapping time).
struct ColumnOps {
  Value (*get)(const void* field);
  void (*set)(void* field, const Value& v);  ///< throws ConversionError
  void (*read)(const driver::Statement& s, int col, void* field);
  /// The column decoded as M, as a Value: equal to what get(field) gives
  /// after read (a row's key compared with snapshots, loading.cpp).
  Value (*read_value)(const driver::Statement& s, int col);
  bool (*equals)(const void* field, const Value& v);
  bool (*is_unset)(const void* field);  ///< 0 / nullopt: an autoincrement key to generate
  // The snapshot's copy of the member, an M of its own (instance_state.hpp).
  void (*construct)(void* copy);                 ///< default-constructs an M
  void (*destroy)(void* copy);
  void (*assign)(void* copy, const void* field);
  bool (*same)(const void* field, const void* copy);
};

struct ColumnInfo {
  std::string name;
  std::size_t offset = 0;
  std::size_t snapshot_offset = 0;  ///< of the member's copy, from the snapshot's start
  const ColumnOps* ops = nullptr;
  SqlType type;
  bool nullable = false;
  bool primary_key = false;
  std::optional<bool> autoincrement;
  bool unique = false;
  bool index = false;
  // Foreign key: either typed (a member of another mapped type) or textual.
  const Mapper& (*fk_mapper)() = nullptr;
  std::size_t fk_offset = 0;
  std::string fk_table, fk_column;  ///< resolved at configure()
  FkAction on_delete = FkAction::NoAction;

  void* field(void* obj) const { return static_cast<char*>(obj) + offset; }
  const void* field(const void* obj) const { return static_cast<const char*>(obj) + offset; }
};

struct RelCore;
class OneCore;
class ManyCore;

/// ManyToOne: the owner holds the foreign key (a One<T>). OneToMany and
/// OneToOne: the target holds it (a Many<T>, a One<T>); their back side is a
/// ManyToOne. ManyToMany: an association table holds both keys.
enum class RelKind : std::uint8_t { ManyToOne, OneToMany, ManyToMany, OneToOne };

/// Typed helpers for the Many<T> member of a one-to-many relationship.
struct ManyOps {
  void (*push)(ManyCore* m, InstanceState* s);
  void (*erase)(ManyCore* m, InstanceState* s);  ///< no-op when absent
  void (*clear)(ManyCore* m);
  std::size_t (*size)(const ManyCore* m);
  InstanceState* (*at)(const ManyCore* m, std::size_t i);
};

struct RelInfo {
  std::string name;
  RelKind kind = RelKind::ManyToOne;
  std::size_t offset = 0;                   ///< of the One/Many member in the owner
  std::size_t owner_at = 0;                 ///< of the member from its owner's block start
  const Mapper& (*target_fn)() = nullptr;   ///< the related type's mapper
  std::size_t back_offset = 0;              ///< of the back_populates member in the target
  cascade::Flags cascade = cascade::default_;
  LoadStrategy lazy = LoadStrategy::lazy;  ///< the mapping's loader strategy
  bool passive_deletes = false;  ///< OneToMany/OneToOne: the database deletes unloaded children
  /// A read-only OneToMany to the targets matching `filter` (a boolean
  /// expression over the target's table): no back side, never written.
  bool viewonly = false;
  std::shared_ptr<const sql::detail::Node> filter;
  ManyOps mops;                             ///< OneToMany only
  std::vector<std::pair<std::size_t, bool>> order_by;  ///< OneToMany: child offsets, descending
  OneCore* (*one_at)(void* obj, std::size_t off) = nullptr;
  ManyCore* (*many_at)(void* obj, std::size_t off) = nullptr;
  std::vector<std::size_t> explicit_fk;     ///< offsets of FK members given in the mapping
  // ManyToMany: the association table and its two FK columns (local: to the
  // owner's key, remote: to the target's key); empty names get defaults.
  std::string secondary, sec_local, sec_remote;
  // Resolved at configure() (ManyToMany): the association Table, and whether
  // this side writes the association rows at flush (one side of the pair).
  std::shared_ptr<const Table> sec_table;
  bool m2m_writer = false;
  // Resolved at configure():
  const Mapper* owner = nullptr;
  const Mapper* target = nullptr;
  const RelInfo* back = nullptr;
  std::vector<int> fk_cols;   ///< FK columns, in the child (many side) mapper
  std::vector<int> ref_cols;  ///< referenced columns, in the parent mapper (its primary key)

  const Mapper& child() const { return kind == RelKind::ManyToOne ? *owner : *target; }
  const Mapper& parent() const { return kind == RelKind::ManyToOne ? *target : *owner; }
  /// A One<T> member (ManyToOne, OneToOne) rather than a Many<T>.
  bool scalar() const { return kind == RelKind::ManyToOne || kind == RelKind::OneToOne; }
  /// The foreign key is in the target's table (OneToMany, OneToOne).
  bool fk_in_target() const { return kind == RelKind::OneToMany || kind == RelKind::OneToOne; }
  OneCore* one(InstanceState* s) const;    ///< REQUIRES: scalar()
  ManyCore* many(InstanceState* s) const;  ///< REQUIRES: !scalar()
  RelCore* member(InstanceState* s) const;  ///< either kind
};

/// Cached SQL for one dialect, rendered once per mapper.
struct SqlCache {
  std::string select_columns;  ///< "t.a, t.b, ..." in column order
  std::string select_by_pk;    ///< SELECT ... FROM t WHERE pk = ?
  std::string delete_by_pk;
  std::map<std::uint64_t, std::string> inserts;  ///< by column mask
  std::map<std::uint64_t, std::string> updates;  ///< by SET-column mask
  std::map<std::vector<int>, std::string> select_by_cols;  ///< lazy loads of collections
};

struct Mapper {
  std::string type_name;  ///< for messages: the C++ type as the user spelled the table
  std::string table_name;
  std::vector<ColumnInfo> columns;
  std::vector<RelInfo> rels;
  std::vector<int> pk;      ///< primary key column indices
  int autoinc = -1;         ///< the column whose value the database generates
  InstanceState* (*create)() = nullptr;  ///< a default-constructed block (members unbound)
  void (*destroy)(InstanceState*) = nullptr;
  std::size_t snapshot_at = 0;    ///< where a block's snapshot starts (after the Block<T>)
  std::size_t snapshot_size = 0;  ///< the columns' copies, laid out in column order

  /// Resolves relationships and foreign keys against the other mappers and
  /// builds the schema Table. Idempotent; throws ArgumentError on a mapping
  /// mistake that only shows at run time (no primary key, no foreign key
  /// between the two sides of a relationship).
  void configure() const;
  const Table& table() const;
  /// The per-dialect SQL cache (created on first use).
  SqlCache& sql(const Dialect& d) const;
  /// Index of the column called `name`, or -1.
  int find_column(std::string_view name) const;
  int column_at_offset(std::size_t off) const;

  mutable std::atomic<bool> configured_{false};
  mutable bool configuring_ = false;
  mutable std::unique_ptr<Table> table_;
  mutable std::mutex sql_mutex_;
  mutable std::map<const Dialect*, std::unique_ptr<SqlCache>> sql_;
  mutable std::vector<const RelInfo*> m2o_;  ///< many-to-one rels (FK sync), after configure
  /// Many-to-many rels, either side (association.cpp), after configure.
  /// Empty for most mappers: a flush then skips the association passes.
  mutable std::vector<const RelInfo*> m2m_;
};

// ---- column ops per C++ type -----------------------------------------------------------

template <class M>
struct ColumnOpsFor {
  static Value get(const void* f) { return to_value(*static_cast<const M*>(f)); }
  static void set(void* f, const Value& v);
  static void read(const driver::Statement& s, int col, void* f) {
    read_column_into(s, col, *static_cast<M*>(f));
  }
  static Value read_value(const driver::Statement& s, int col) { return to_value(read_column<M>(s, col)); }
  static bool equals(const void* f, const Value& v);
  static bool is_unset(const void* f) {
    const M& m = *static_cast<const M*>(f);
    if constexpr (NullableColumnValue<M>) {
      return !m.has_value();
    } else if constexpr (std::is_integral_v<M>) {
      return m == 0;
    } else {
      return false;
    }
  }
  static void construct(void* c) { new (c) M(); }
  static void destroy(void* c) { static_cast<M*>(c)->~M(); }
  static void assign(void* c, const void* f) { *static_cast<M*>(c) = *static_cast<const M*>(f); }
  static bool same(const void* f, const void* c) {
    return *static_cast<const M*>(f) == *static_cast<const M*>(c);
  }
  static constexpr ColumnOps ops{&get, &set, &read, &read_value, &equals, &is_unset,
                                 &construct, &destroy, &assign, &same};
};

[[noreturn]] void throw_value_mismatch(const Value& v, const char* want);

template <class V>
V value_as(const Value& v) {
  if constexpr (std::is_integral_v<V> && !std::is_same_v<V, bool>) {
    if (auto* i = std::get_if<std::int64_t>(&v)) return static_cast<V>(*i);
    throw_value_mismatch(v, "integer");
  } else if constexpr (std::is_floating_point_v<V>) {
    if (auto* d = std::get_if<double>(&v)) return static_cast<V>(*d);
    if (auto* i = std::get_if<std::int64_t>(&v)) return static_cast<V>(*i);
    throw_value_mismatch(v, "floating point");
  } else if constexpr (std::is_same_v<V, bool>) {
    if (auto* b = std::get_if<bool>(&v)) return *b;
    if (auto* i = std::get_if<std::int64_t>(&v)) return *i != 0;
    throw_value_mismatch(v, "bool");
  } else {
    if (auto* x = std::get_if<V>(&v)) return *x;
    throw_value_mismatch(v, "the member's type");
  }
}

template <class M>
void ColumnOpsFor<M>::set(void* f, const Value& v) {
  M& m = *static_cast<M*>(f);
  if constexpr (NullableColumnValue<M>) {
    if (is_null(v)) {
      m.reset();
    } else {
      m = value_as<typename M::value_type>(v);
    }
  } else {
    if (is_null(v)) throw_value_mismatch(v, "a NOT NULL member");
    m = value_as<M>(v);
  }
}

template <class M>
bool ColumnOpsFor<M>::equals(const void* f, const Value& v) {
  const M& m = *static_cast<const M*>(f);
  if constexpr (NullableColumnValue<M>) {
    if (!m.has_value()) return is_null(v);
    if (is_null(v)) return false;
    return ColumnOpsFor<typename M::value_type>::equals(&*m, v);
  } else if constexpr (std::is_integral_v<M> && !std::is_same_v<M, bool>) {
    auto* i = std::get_if<std::int64_t>(&v);
    return i && *i == static_cast<std::int64_t>(m);
  } else if constexpr (std::is_same_v<M, float>) {
    auto* d = std::get_if<double>(&v);
    return d && *d == static_cast<double>(m);
  } else {
    auto* x = std::get_if<M>(&v);
    return x && *x == m;
  }
}

template <class M>
constexpr SqlType default_sql_type() {
  if constexpr (NullableColumnValue<M>) {
    return default_sql_type<typename M::value_type>();
  } else if constexpr (std::is_same_v<M, std::int64_t>) {
    return types::BigInteger;
  } else if constexpr (std::is_same_v<M, std::int32_t>) {
    return types::Integer;
  } else if constexpr (std::is_same_v<M, std::int16_t>) {
    return types::SmallInteger;
  } else if constexpr (std::is_same_v<M, double> || std::is_same_v<M, float>) {
    return types::Float;
  } else if constexpr (std::is_same_v<M, bool>) {
    return types::Boolean;
  } else if constexpr (std::is_same_v<M, std::string>) {
    return types::String();
  } else if constexpr (std::is_same_v<M, Bytes>) {
    return types::Binary;
  } else if constexpr (std::is_same_v<M, Date>) {
    return types::Date;
  } else {
    return types::DateTime;
  }
}

}  // namespace retort::orm::detail
