#include "retort/error.hpp"
#include "retort/schema.hpp"

namespace retort {

Table& Table::add(Column column) {
  if (find(column.name()))
    throw ArgumentError("table '" + name_ + "' already has a column named '" + column.name() + "'");
  columns_.push_back(std::move(column));
  return *this;
}
Table& Table::add(ForeignKey fk) {
  if (fk.columns.empty() || fk.columns.size() != fk.ref_columns.size())
    throw ArgumentError("foreign key on table '" + name_ + "' must list as many columns as it references");
  fks_.push_back(std::move(fk));
  return *this;
}
Table& Table::add(UniqueConstraint uc) {
  uniques_.push_back(std::move(uc));
  return *this;
}
Table& Table::add(CheckConstraint cc) {
  checks_.push_back(std::move(cc));
  return *this;
}
Table& Table::add(Index index) {
  indexes_.push_back(std::move(index));
  return *this;
}

const Column* Table::find(std::string_view name) const {
  for (const auto& c : columns_)
    if (c.name() == name) return &c;
  return nullptr;
}

const Column& Table::column(std::string_view name) const {
  if (auto* c = find(name)) return *c;
  throw ArgumentError("table '" + name_ + "' has no column named '" + std::string(name) + "'");
}

std::vector<const Column*> Table::primary_key() const {
  std::vector<const Column*> out;
  for (const auto& c : columns_)
    if (c.is_primary_key()) out.push_back(&c);
  return out;
}

const Column* Table::autoincrement_column() const {
  auto pk = primary_key();
  if (pk.size() != 1) {
    for (auto* c : pk)  // an explicit autoincrement(true) on a composite key is honoured by neither database
      if (c->autoincrement_setting().value_or(false))
        throw ArgumentError("table '" + name_ + "': autoincrement needs a single-column primary key");
    return nullptr;
  }
  const Column* c = pk.front();
  auto k = c->type().kind;
  bool integer = k == TypeKind::Integer || k == TypeKind::BigInteger || k == TypeKind::SmallInteger;
  if (!integer || c->foreign_key()) return c->autoincrement_setting().value_or(false) ? c : nullptr;
  return c->autoincrement_setting().value_or(true) ? c : nullptr;
}

std::vector<ForeignKey> Table::foreign_keys() const {
  std::vector<ForeignKey> out;
  for (const auto& c : columns_)
    if (c.foreign_key()) out.push_back(*c.foreign_key());
  out.insert(out.end(), fks_.begin(), fks_.end());
  return out;
}

std::vector<Index> Table::indexes() const {
  std::vector<Index> out;
  for (const auto& c : columns_)
    if (c.is_indexed()) out.push_back(Index{"ix_" + name_ + "_" + c.name(), {c.name()}, false});
  out.insert(out.end(), indexes_.begin(), indexes_.end());
  return out;
}

}  // namespace retort
