// UPDATEs of many objects in one flush (src/orm/persistence.cpp,
// update_objects): on PostgreSQL, rows with the same changed columns go in
// multi-row "UPDATE ... FROM (VALUES ...)" statements, chunked like the
// multi-row INSERTs; on SQLite, one prepared UPDATE executed per row. Either
// way the rows must end up right: NULLs, every column type, composite keys
// and keys that the update itself changes.
#include <gtest/gtest.h>

#include <map>

#include "fixture.hpp"

namespace {
// One column of each type, to check how the VALUES rows are typed.
struct Gadget {
  std::int64_t id = 0;
  std::int16_t small = 0;
  std::int32_t medium = 0;
  double ratio = 0;
  bool on = false;
  std::string code{};  // VARCHAR(8)
  std::optional<std::string> note{};
  retort::Bytes blob{};
  retort::Date day{};
  retort::Timestamp at{};
};
}  // namespace

template <>
struct retort::Mapping<Gadget> {
  static constexpr auto table = "gadgets";
  static void define(auto& m) {
    m.column("id", &Gadget::id, retort::primary_key);
    m.column("small", &Gadget::small);
    m.column("medium", &Gadget::medium);
    m.column("ratio", &Gadget::ratio);
    m.column("on", &Gadget::on);  // a reserved word: quoted
    m.column("code", &Gadget::code, retort::sql_type(retort::types::String(8)));
    m.column("note", &Gadget::note);
    m.column("blob", &Gadget::blob);
    m.column("day", &Gadget::day);
    m.column("at", &Gadget::at);
  }
};

using namespace orm_test;
using retort::make;

class BatchedUpdate : public OrmTest {
 protected:
  /// Commits users u0..u{n-1}, then forgets the statements.
  void seed_users(int n) {
    retort::Session s(engine());
    for (int i = 0; i < n; ++i) s.add(make<User>({.name = "u" + std::to_string(i)}));
    s.commit();
    take_statements();
  }
  /// Every row of `table` as key -> value (text), read on a fresh connection.
  std::map<std::int64_t, std::optional<std::string>> rows(const std::string& sql) {
    std::map<std::int64_t, std::optional<std::string>> out;
    auto conn = engine().connect();
    for (auto [k, v] : conn.execute(sql).all<std::int64_t, std::optional<std::string>>()) out[k] = v;
    return out;
  }
};

// 1,100 rows: 512 + 512 + 64 + 8 + 4 on PostgreSQL, one statement text per
// chunk size; SQLite runs the one-row UPDATE 1,100 times (on_statement is
// called once per row of an execute_many).
TEST_P(BatchedUpdate, ManyRowsGoInFewStatements) {
  seed_users(1100);
  retort::Session s(engine());
  auto users = s.query<User>().all();
  ASSERT_EQ(users.size(), 1100u);
  for (auto& u : users) u->name = "renamed " + std::to_string(u->id);
  s.commit();
  auto st = take_statements();
  if (is_postgres()) {
    // A first row of typed NULLs types the VALUES columns as the table's.
    ASSERT_EQ(count_prefix(st, "UPDATE users AS t SET name = v.c0 FROM (VALUES ((NULL::users).name, "
                               "(NULL::users).id), ($1, $2), ($3, $4)"),
              5u);
    for (auto& x : st) {
      if (x.rfind("UPDATE", 0) == 0) {
        EXPECT_NE(x.find(") AS v (c0, k0) WHERE t.id = v.k0"), std::string::npos) << x.substr(x.size() - 80);
      }
    }
  } else {
    EXPECT_EQ(count_prefix(st, "UPDATE users SET name = ? WHERE id = ?"), 1100u);
  }
  EXPECT_EQ(count_prefix(st, "UPDATE"), is_postgres() ? 5u : 1100u);
  auto names = rows("SELECT id, name FROM users");
  ASSERT_EQ(names.size(), 1100u);
  for (auto& [id, name] : names) EXPECT_EQ(name, "renamed " + std::to_string(id));
  // The Session's snapshots were taken: nothing left to flush.
  take_statements();
  s.flush();
  EXPECT_TRUE(take_statements().empty());
}

// One changed object keeps the plain one-row UPDATE; so does the last chunk
// of a batch when it is a single row (3 rows: 2 in one statement, then 1).
TEST_P(BatchedUpdate, SingleRowsUseThePlainUpdate) {
  seed_users(3);
  retort::Session s(engine());
  auto users = s.query<User>().order_by(retort::col(&User::id)).all();
  users[0]->name = "only";
  s.commit();
  auto st = take_statements();
  const std::string plain = is_postgres() ? "UPDATE users SET name = $1 WHERE id = $2"
                                          : "UPDATE users SET name = ? WHERE id = ?";
  ASSERT_EQ(count_prefix(st, "UPDATE"), 1u);
  EXPECT_EQ(st[std::size_t(find_prefix(st, "UPDATE"))], plain);

  for (auto& u : users) u->name = "all " + std::to_string(u->id);
  s.commit();
  st = take_statements();
  if (is_postgres()) {
    ASSERT_EQ(count_prefix(st, "UPDATE"), 2u);
    EXPECT_EQ(count_prefix(st, "UPDATE users AS t SET name = v.c0 FROM (VALUES "), 1u);
    EXPECT_EQ(count_prefix(st, plain), 1u);
  } else {
    EXPECT_EQ(count_prefix(st, plain), 3u);
  }
  for (auto& [id, name] : rows("SELECT id, name FROM users")) EXPECT_EQ(name, "all " + std::to_string(id));
}

// A nullable column set to NULL and to values in the same batch: the typed
// NULL in VALUES must reach the row.
TEST_P(BatchedUpdate, NullAndValuesInOneBatch) {
  {
    retort::Session s(engine());
    for (int i = 0; i < 40; ++i) {
      auto content = i % 3 ? std::optional<std::string>("old") : std::nullopt;
      s.add(make<Post>({.title = "p" + std::to_string(i), .content = content}));
    }
    s.commit();
  }
  retort::Session s(engine());
  auto posts = s.query<Post>().all();
  ASSERT_EQ(posts.size(), 40u);
  for (auto& p : posts) {
    if (p->id % 2) {
      p->content = std::nullopt;
    } else {
      p->content = "new " + std::to_string(p->id);
    }
  }
  s.commit();
  // Posts whose content was already NULL and stays NULL are unchanged: the
  // 20 even ids and 13 odd ones change, 32 + 1 rows.
  auto st = take_statements();
  EXPECT_EQ(count_prefix(st, "UPDATE posts"), is_postgres() ? 2u : 33u);
  for (auto& [id, c] : rows("SELECT id, content FROM posts")) {
    if (id % 2) {
      EXPECT_EQ(c, std::nullopt) << id;
    } else {
      EXPECT_EQ(c, "new " + std::to_string(id)) << id;
    }
  }
  EXPECT_EQ(count("posts", "content IS NULL"), 20);
}

// A composite key: the WHERE joins on both columns. Then the key itself
// changes: each row is found by the key it had (from the snapshot), and the
// identity map finds the objects under their new keys.
TEST_P(BatchedUpdate, CompositeKeyAndChangedKeys) {
  {
    retort::Session s(engine());
    for (int i = 0; i < 20; ++i) {
      s.add(make<Pair>({.a = i % 4, .b = "b" + std::to_string(i), .weight = 1, .note = "n"}));
    }
    s.commit();
  }
  retort::Session s(engine());
  auto pairs = s.query<Pair>().all();
  ASSERT_EQ(pairs.size(), 20u);
  for (auto& p : pairs) {
    p->weight = p->a * 100 + 0.5;
    if (p->a == 1) p->note = std::nullopt;
  }
  s.commit();
  auto st = take_statements();
  if (is_postgres()) {
    // note changed on 5 rows, not on the others: runs of two column sets.
    for (auto& x : st) {
      if (x.rfind("UPDATE pairs AS t", 0) == 0) {
        EXPECT_NE(x.find("WHERE t.a = v.k0 AND t.b = v.k1"), std::string::npos) << x;
        EXPECT_NE(x.find("(NULL::pairs).weight"), std::string::npos) << x;
      }
    }
  }
  EXPECT_EQ(count("pairs", "weight = a * 100 + 0.5"), 20);
  EXPECT_EQ(count("pairs", "note IS NULL"), 5);
  EXPECT_EQ(count("pairs", "a = 1 AND note IS NOT NULL"), 0);

  // Every key changes (b), with the weight: one batch.
  for (auto& p : pairs) {
    p->b = "c" + p->b.substr(1);
    p->weight = -1;
  }
  s.commit();
  st = take_statements();
  if (is_postgres()) {
    EXPECT_EQ(count_prefix(st, "UPDATE pairs AS t SET b = v.c0, weight = v.c1 FROM (VALUES"), 2u);  // 16 + 4
  }
  EXPECT_EQ(count("pairs", "b LIKE 'c%' AND weight = -1"), 20);
  EXPECT_EQ(count("pairs", "b LIKE 'b%'"), 0);
  take_statements();
  for (int i = 0; i < 20; ++i) {
    auto p = s.get<Pair>({i % 4, "c" + std::to_string(i)});
    ASSERT_TRUE(p) << i;
    EXPECT_EQ(p->weight, -1);
  }
  EXPECT_TRUE(take_statements().empty());  // identity-map hits
}

// Every column type through the batched form (the typed first row types the
// other rows' parameters, NULL and binary ones too), with a reserved word as
// a column name.
TEST_P(BatchedUpdate, EveryColumnTypeRoundTrips) {
  retort::create_all<Gadget>(engine());
  using namespace std::chrono;
  {
    retort::Session s(engine());
    for (int i = 0; i < 10; ++i) s.add(make<Gadget>({.code = "c", .note = "n"}));
    s.commit();
  }
  const retort::Date day = sys_days(year(2024) / 2 / 29);
  const retort::Timestamp at = sys_days(year(2001) / 9 / 9) + hours(1) + microseconds(46'000'123);
  {
    retort::Session s(engine());
    auto gadgets = s.query<Gadget>().all();
    ASSERT_EQ(gadgets.size(), 10u);
    for (auto& g : gadgets) {
      g->small = std::int16_t(-g->id);
      g->medium = std::int32_t(g->id * 100000);
      g->ratio = double(g->id) / 4;
      g->on = g->id % 2 == 1;
      g->code = "code" + std::to_string(g->id);
      g->note = g->id % 2 ? std::optional<std::string>() : "it's \"quoted\"";
      g->blob = {std::uint8_t(g->id), 0, 255};
      g->day = day + days(g->id);
      g->at = at + seconds(g->id);
    }
    s.commit();
  }
  retort::Session s(engine());
  auto gadgets = s.query<Gadget>().all();
  ASSERT_EQ(gadgets.size(), 10u);
  for (auto& g : gadgets) {
    SCOPED_TRACE(g->id);
    EXPECT_EQ(g->small, -g->id);
    EXPECT_EQ(g->medium, g->id * 100000);
    EXPECT_EQ(g->ratio, double(g->id) / 4);
    EXPECT_EQ(g->on, g->id % 2 == 1);
    EXPECT_EQ(g->code, "code" + std::to_string(g->id));
    EXPECT_EQ(g->note, g->id % 2 ? std::optional<std::string>() : "it's \"quoted\"");
    EXPECT_EQ(g->blob, (retort::Bytes{std::uint8_t(g->id), 0, 255}));
    EXPECT_EQ(g->day, day + days(g->id));
    EXPECT_EQ(g->at, at + seconds(g->id));
  }
}

// A value too long for VARCHAR(n) is rejected, as by the one-row UPDATE, not
// cut (an explicit cast to VARCHAR(n) would cut it silently). (SQLite does
// not enforce lengths.)
TEST_P(BatchedUpdate, TooLongStringIsRejectedNotTruncated) {
  if (!is_postgres()) GTEST_SKIP() << "SQLite does not enforce VARCHAR(n)";
  retort::create_all<Gadget>(engine());
  {
    retort::Session s(engine());
    for (int i = 0; i < 4; ++i) s.add(make<Gadget>({.code = "c"}));
    s.commit();
  }
  retort::Session s(engine());
  auto gadgets = s.query<Gadget>().all();
  for (auto& g : gadgets) g->code = "123456789";  // 9 > 8
  EXPECT_THROW(s.commit(), retort::DataError);
  EXPECT_EQ(count("gadgets", "code = 'c'"), 4);
}

namespace {
// A table made outside the mapping, whose columns have types the C++
// members do not name: uuid and jsonb as std::string, numeric as double.
struct Token {
  std::int64_t id = 0;
  std::string uid{};
  std::string doc{};
  double amount = 0;
};
}  // namespace

template <>
struct retort::Mapping<Token> {
  static constexpr auto table = "tokens";
  static void define(auto& m) {
    m.column("id", &Token::id, retort::primary_key);
    m.column("uid", &Token::uid);
    m.column("doc", &Token::doc);
    m.column("amount", &Token::amount);
  }
};

// The batched form takes each column's type from the table, as the one-row
// UPDATE does: a std::string member over a uuid or jsonb column updates.
TEST_P(BatchedUpdate, ColumnsOfTypesTheMembersDoNotName) {
  if (!is_postgres()) GTEST_SKIP() << "uuid and jsonb are PostgreSQL types";
  {
    auto conn = engine().connect();
    conn.execute_script(
        "CREATE TABLE tokens (id BIGINT PRIMARY KEY, uid UUID NOT NULL, doc JSONB NOT NULL, amount NUMERIC NOT NULL);"
        "INSERT INTO tokens SELECT i, gen_random_uuid(), '{}', 0 FROM generate_series(1, 6) AS i");
  }
  {
    retort::Session s(engine());
    auto tokens = s.query<Token>().all();
    ASSERT_EQ(tokens.size(), 6u);
    for (auto& t : tokens) {
      t->uid = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd38000" + std::to_string(t->id);
      t->doc = "{\"n\": " + std::to_string(t->id) + "}";
      t->amount = double(t->id) + 0.25;
    }
    take_statements();
    s.commit();
    EXPECT_EQ(count_prefix(take_statements(), "UPDATE tokens AS t"), 2u);  // 4 + 2 rows
  }
  EXPECT_EQ(count("tokens", "uid = ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd38000' || id)::uuid"), 6);
  EXPECT_EQ(count("tokens", "(doc->>'n')::bigint = id"), 6);
  EXPECT_EQ(count("tokens", "amount = id + 0.25"), 6);
}

RETORT_ORM_SUITE(BatchedUpdate);
