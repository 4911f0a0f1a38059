// retort/orm/metadata.hpp — schema from mappings: the Table of each mapped
// type, collected into a MetaData, and create_all / drop_all over them.
#pragma once

#include "retort/engine.hpp"
#include "retort/orm/mapping.hpp"
#include "retort/schema.hpp"

namespace retort {

/// The schema Table derived from T's mapping (column types from the member
/// types, NOT NULL unless std::optional, keys and foreign keys).
template <Mapped T>
const Table& table_of() {
  return orm::detail::mapper_of<T>().table();
}

namespace orm::detail {
/// Adds the association tables of m's many-to-many relationships (once each).
void add_secondary_tables(MetaData& md, const Mapper& m);
}  // namespace orm::detail

/// A MetaData holding the tables of the given mapped types, plus the
/// association tables of their many-to-many relationships.
template <Mapped... Ts>
MetaData metadata_of() {
  MetaData md;
  (md.add_table(table_of<Ts>()), ...);
  (orm::detail::add_secondary_tables(md, orm::detail::mapper_of<Ts>()), ...);
  return md;
}

/// CREATE TABLE for each mapped type's table that does not exist yet, in
/// foreign-key dependency order, in one transaction.
template <Mapped... Ts>
void create_all(const Engine& engine) {
  metadata_of<Ts...>().create_all(engine);
}

/// DROP TABLE for each existing table of the mapped types, dependents first.
template <Mapped... Ts>
void drop_all(const Engine& engine) {
  metadata_of<Ts...>().drop_all(engine);
}

namespace orm {
using retort::create_all;
using retort::drop_all;
}  // namespace orm

}  // namespace retort
