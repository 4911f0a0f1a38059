// Identifier quoting shared by all dialects: both SQLite and PostgreSQL use
// standard double quotes, fold unquoted names (PostgreSQL to lower case), and
// reject reserved words as bare identifiers.
#include "retort/dialect.hpp"

#include <algorithm>
#include <array>

namespace retort {

namespace {

// The union of SQL-standard, PostgreSQL and SQLite reserved words that can
// appear where an identifier is expected. Sorted, for binary search.
constexpr std::array<std::string_view, 99> kReserved = {
    "abort", "action", "add", "all", "alter", "analyze", "and", "any", "array", "as",
    "asc", "authorization", "between", "binary", "both", "by", "case", "cast", "check",
    "collate", "column", "commit", "constraint", "create", "cross", "current_date",
    "current_time", "current_timestamp", "current_user", "default", "deferrable", "delete",
    "desc", "distinct", "do", "drop", "else", "end", "except", "exists", "false", "fetch",
    "for", "foreign", "from", "full", "grant", "group", "having", "ilike", "in", "index",
    "initially", "inner", "insert", "intersect", "into", "is", "isnull", "join", "key",
    "lateral", "leading", "left", "like", "limit", "natural", "not", "notnull", "null",
    "offset", "on", "only", "or", "order", "outer", "placing", "primary", "references",
    "returning", "right", "select", "session_user", "set", "some", "table", "then", "to",
    "trailing", "true", "union", "unique", "user", "using", "values", "when", "where",
    "window", "with"};

bool needs_quotes(std::string_view name) {
  if (name.empty()) return true;
  if (!(name[0] >= 'a' && name[0] <= 'z') && name[0] != '_') return true;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return true;
  }
  return std::binary_search(kReserved.begin(), kReserved.end(), name);
}

}  // namespace

void Dialect::append_identifier(std::string& out, std::string_view name) const {
  if (!needs_quotes(name)) {
    out.append(name);
    return;
  }
  out.push_back('"');
  for (char c : name) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

std::string Dialect::quote_identifier(std::string_view name) const {
  std::string out;
  append_identifier(out, name);
  return out;
}

}  // namespace retort
