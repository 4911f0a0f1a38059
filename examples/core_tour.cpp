// core_tour — a walk through retort's Core: schema, the typed SQL expression
// language, and execution, on the seed's users/posts tables.
//
//   core_tour                         runs on an in-memory SQLite database
//   core_tour postgresql://...        runs on PostgreSQL (creates users/posts if
//                                     missing and REPLACES their rows)
//
// Every statement is echoed with its bound parameters, so the SQL each
// expression compiles to can be read next to the C++ that built it.
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "retort/engine.hpp"
#include "retort/schema.hpp"
#include "retort/sql.hpp"

namespace sql = retort::sql;

// The tables as the expression language sees them: typed columns.
struct Users : sql::TableRef {
  explicit Users(std::string_view alias = {}) : TableRef("users", alias) {}
  sql::Column<std::int64_t> id{*this, "id"};
  sql::Column<std::string> name{*this, "name"};
};
struct Posts : sql::TableRef {
  explicit Posts(std::string_view alias = {}) : TableRef("posts", alias) {}
  sql::Column<std::int64_t> id{*this, "id"};
  sql::Column<std::string> title{*this, "title"};
  sql::Column<std::optional<std::string>> content{*this, "content"};
  sql::Column<std::optional<std::int64_t>> user_id{*this, "user_id"};
};

int main(int argc, char** argv) {
  const std::string url = argc > 1 ? argv[1] : "sqlite:///:memory:";
  auto engine = retort::create_engine(url, {.echo = true, .log_sink = [](std::string_view line) {
                                              std::cout << "  -- " << line << '\n';
                                            }});
  auto conn = engine.connect();

  // The schema: CREATE TABLE in dependency order.
  retort::MetaData meta;
  auto& users_table = meta.add_table("users");
  users_table.add(retort::Column("id", retort::types::BigInteger).primary_key());
  users_table.add(retort::Column("name", retort::types::String(50)).not_null());
  auto& posts_table = meta.add_table("posts");
  posts_table.add(retort::Column("id", retort::types::BigInteger).primary_key());
  posts_table.add(retort::Column("title", retort::types::String(200)).not_null());
  posts_table.add(retort::Column("content", retort::types::Text));
  posts_table.add(retort::Column("user_id", retort::types::BigInteger).references("users", "id"));
  meta.create_all(conn);

  Users u;
  Posts p;
  {
    auto tx = conn.begin();
    sql::execute(conn, sql::delete_(p));
    sql::execute(conn, sql::delete_(u));
    // Many rows in one INSERT; RETURNING hands back generated keys.
    sql::execute(conn, sql::insert(u).columns(u.id, u.name).values(1, "Alice").values(2, "Bob"));
    auto carol = sql::execute(conn, sql::insert(u).set(u.id, 3).set(u.name, "Carol").returning(u.id)).scalar_one();
    // executemany: one prepared statement, bound once per row.
    std::vector<std::tuple<int, std::string, std::optional<std::string>, std::optional<std::int64_t>>> posts{
        {1, "First Post", "Content of first post", 1},
        {2, "Second Post", "Content of second post", 1},
        {3, "Bob writes", std::nullopt, 2},
        {4, "Carol too", "hello", carol},
        {5, "Carol again", std::nullopt, carol},
        {6, "Carol, thrice", "!", carol}};
    sql::execute_many(conn, sql::insert(p).columns(p.id, p.title, p.content, p.user_id), posts);
    tx.commit();
  }

  std::cout << "\n1. A join: every post with its author\n";
  auto by_author = sql::select(u.name, p.title).join(p, p.user_id == u.id).order_by(u.name, p.id);
  for (auto [name, title] : sql::execute(conn, by_author)) std::cout << "   " << name << ": " << title << '\n';

  std::cout << "\n2. group_by with having: authors with at least two posts\n";
  auto n_posts = sql::count(p.id).label("n_posts");
  auto prolific = sql::select(u.name, n_posts)
                      .join(p, p.user_id == u.id)
                      .group_by(u.name)
                      .having(sql::count(p.id) >= 2)
                      .order_by(n_posts.desc());
  for (auto [name, n] : sql::execute(conn, prolific)) std::cout << "   " << name << " wrote " << n << '\n';

  std::cout << "\n3. Subqueries: a correlated count, and IN (SELECT ...)\n";
  auto count_of_user = sql::select(sql::count()).select_from(p).where(p.user_id == u.id).as_scalar();
  for (auto [name, n] : sql::execute(conn, sql::select(u.name, count_of_user.label("posts")).order_by(u.id))) {
    std::cout << "   " << name << " has " << n << " post(s)\n";
  }
  auto silent = sql::select(p.user_id).where(p.content == std::nullopt);
  for (const std::string& name : sql::execute(conn, sql::select(u.name).where(u.id.in_(silent)).order_by(u.name))) {
    std::cout << "   " << name << " has a post without content\n";
  }

  std::cout << "\n4. A CTE: average title length per author, above the overall average\n";
  auto lengths = sql::cte("lengths", sql::select(p.user_id, sql::length(p.title).label("len")));
  auto l_user = sql::column<std::optional<std::int64_t>>(lengths, "user_id");
  auto l_len = sql::column<std::int64_t>(lengths, "len");
  auto overall = sql::select(sql::avg(l_len)).select_from(lengths).as_scalar();
  auto q = sql::select(u.name, sql::avg(l_len))
               .select_from(u)
               .join(lengths, l_user == u.id)
               .group_by(u.name)
               .having(sql::avg(l_len) > overall)
               .order_by(u.name)
               .with(lengths);
  for (auto [name, avg] : sql::execute(conn, q)) std::cout << "   " << name << ": " << avg.value_or(0) << '\n';

  std::cout << "\n5. A recursive CTE: counting to five\n";
  sql::Cte t = sql::recursive_cte("t", {"n"});
  auto n = sql::column<std::int64_t>(t, "n");
  t.define(sql::select(sql::literal(1)).union_all(sql::select(n + 1).select_from(t).where(n < 5)));
  std::vector<std::int64_t> numbers = sql::execute(conn, sql::select(n).select_from(t).with(t)).all();
  std::cout << "   ";
  for (std::int64_t i : numbers) std::cout << i << ' ';
  std::cout << "\n\nThe SQL of step 2 on the other dialect:\n   "
            << sql::to_string(prolific, conn.dialect().name() == "sqlite" ? retort::postgresql_dialect()
                                                                          : retort::sqlite_dialect())
            << '\n';
  return 0;
}
