// CREATE TABLE / DROP TABLE rendering, per dialect.
#include <cstdint>

#include "retort/dialect.hpp"
#include "retort/error.hpp"
#include "retort/schema.hpp"

namespace retort {

namespace {

const char* action_sql(FkAction a) {
  switch (a) {
    case FkAction::NoAction: return "NO ACTION";
    case FkAction::Restrict: return "RESTRICT";
    case FkAction::Cascade: return "CASCADE";
    case FkAction::SetNull: return "SET NULL";
    case FkAction::SetDefault: return "SET DEFAULT";
  }
  return "NO ACTION";
}

void append_list(std::string& out, const std::vector<std::string>& names, const Dialect& d) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += ", ";
    d.append_identifier(out, names[i]);
  }
}

// Client defaults are bound at insert time, never written into DDL; only a
// server_default (an SQL expression the user wrote) appears here.
// The primary key is always a table constraint, as SQLAlchemy writes it; in
// SQLite "id INTEGER ... PRIMARY KEY (id)" still makes id the rowid alias.
void append_column(std::string& out, const Table& t, const Column& c, const Dialect& d) {
  d.append_identifier(out, c.name());
  out += ' ';
  bool autoinc = t.autoincrement_column() == &c;
  out += autoinc ? d.autoincrement_type_name(c.type()) : d.type_name(c.type());
  if (!c.is_nullable()) out += " NOT NULL";
  if (!c.server_default().empty()) out += " DEFAULT " + c.server_default();
  if (c.is_unique()) out += " UNIQUE";
  if (!c.check().empty()) out += " CHECK (" + c.check() + ")";
}

}  // namespace

std::vector<std::string> create_table_ddl(const Table& t, const Dialect& d) {
  if (t.columns().empty()) throw ArgumentError("table '" + t.name() + "' has no columns");
  auto pk = t.primary_key();
  std::string out = "CREATE TABLE ";
  d.append_identifier(out, t.name());
  out += " (";
  bool first = true;
  auto sep = [&] {
    out += first ? "\n\t" : ",\n\t";
    first = false;
  };
  for (const auto& c : t.columns()) {
    sep();
    append_column(out, t, c, d);
  }
  if (!pk.empty()) {
    sep();
    out += "PRIMARY KEY (";
    std::vector<std::string> names;
    for (auto* c : pk) names.push_back(c->name());
    append_list(out, names, d);
    out += ")";
  }
  for (const auto& u : t.unique_constraints()) {
    sep();
    if (!u.name.empty()) {
      out += "CONSTRAINT ";
      d.append_identifier(out, u.name);
      out += ' ';
    }
    out += "UNIQUE (";
    append_list(out, u.columns, d);
    out += ")";
  }
  for (const auto& fk : t.foreign_keys()) {
    sep();
    if (!fk.name.empty()) {
      out += "CONSTRAINT ";
      d.append_identifier(out, fk.name);
      out += ' ';
    }
    out += "FOREIGN KEY(";
    append_list(out, fk.columns, d);
    out += ") REFERENCES ";
    d.append_identifier(out, fk.ref_table);
    out += " (";
    append_list(out, fk.ref_columns, d);
    out += ")";
    if (fk.on_delete != FkAction::NoAction) out += std::string(" ON DELETE ") + action_sql(fk.on_delete);
    if (fk.on_update != FkAction::NoAction) out += std::string(" ON UPDATE ") + action_sql(fk.on_update);
  }
  for (const auto& ck : t.check_constraints()) {
    sep();
    if (!ck.name.empty()) {
      out += "CONSTRAINT ";
      d.append_identifier(out, ck.name);
      out += ' ';
    }
    out += "CHECK (" + ck.sql + ")";
  }
  out += "\n)";
  std::vector<std::string> stmts{std::move(out)};
  for (const auto& ix : t.indexes()) {
    std::string s = ix.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ";
    d.append_identifier(s, ix.name);
    s += " ON ";
    d.append_identifier(s, t.name());
    s += " (";
    append_list(s, ix.columns, d);
    s += ")";
    stmts.push_back(std::move(s));
  }
  return stmts;
}

std::string drop_table_ddl(const Table& t, const Dialect& d) {
  std::string out = "DROP TABLE ";
  d.append_identifier(out, t.name());
  return out;
}

}  // namespace retort
