// core_basics — the Core without the ORM: an engine, a schema, inserts and a
// query, on SQLite in memory by default or on the database named by argv[1]
// (e.g. postgresql://postgres@/postgres?host=/tmp/pg).
#include <iostream>

#include "retort/retort.hpp"

int main(int argc, char** argv) {
  using namespace retort;
  std::string url = argc > 1 ? argv[1] : "sqlite:///:memory:";
  auto engine = create_engine(url, {.echo = true});

  MetaData metadata;
  auto& users = metadata.add_table("users");
  users.add(Column("id", types::Integer).primary_key());
  users.add(Column("name", types::String(50)).not_null());
  auto& posts = metadata.add_table("posts");
  posts.add(Column("id", types::Integer).primary_key());
  posts.add(Column("title", types::String(200)).not_null());
  posts.add(Column("user_id", types::Integer).references("users", "id", FkAction::Cascade));
  metadata.drop_all(engine);
  metadata.create_all(engine);

  auto conn = engine.connect();
  const Dialect& d = conn.dialect();
  std::string p1, p2;
  d.append_placeholder(p1, 1);
  d.append_placeholder(p2, 2);
  {
    auto tx = conn.begin();
    auto alice = conn.execute("INSERT INTO users (name) VALUES (" + p1 + ") RETURNING id", {Value(std::string("Alice"))})
                     .scalar_one<std::int64_t>();
    std::vector<std::vector<Value>> rows{{std::string("First Post"), alice}, {std::string("Second Post"), alice}};
    conn.execute_many("INSERT INTO posts (title, user_id) VALUES (" + p1 + ", " + p2 + ")", rows);
    tx.commit();
  }
  auto result = conn.execute(
      "SELECT u.name, p.title FROM users u JOIN posts p ON p.user_id = u.id ORDER BY p.id");
  for (auto& [name, title] : result.all<std::string, std::string>()) std::cout << name << ": " << title << '\n';
  metadata.drop_all(engine);
  return 0;
}
