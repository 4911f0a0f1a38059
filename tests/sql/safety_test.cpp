// Hostile input as values and as identifiers: it round-trips, or fails with
// a clean error and no side effect. Values are never spliced into SQL.
#include "sql_fixture.hpp"

namespace sql = retort::sql;
using sqltest::SqlTest;

namespace {

class SafetyTest : public SqlTest {
 protected:
  std::int64_t user_count() { return sql::execute(conn(), sql::select(sql::count()).select_from(u)).scalar_one(); }
};
SQL_INSTANTIATE(SafetyTest);

std::vector<std::string> hostile_strings() {
  return {
      "O'Brien",
      "'; DROP TABLE users; --",
      "\"; DROP TABLE users; --",
      "Robert'); DELETE FROM users WHERE ('1' = '1",
      "$1 ? :id %s \\ \\' ''",
      "\xF0\x9F\x92\xA5 na\xC3\xAFve \xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E \xD7\xA2\xD7\x91\xD7\xA8\xD7\x99\xD7\xAA",
      std::string(100000, 'x') + "'",
      "",
  };
}

TEST_P(SafetyTest, HostileValuesRoundTrip) {
  seed();
  std::int64_t id = 100;
  for (const auto& s : hostile_strings()) {
    sql::execute(conn(), sql::insert(u).columns(u.id, u.name).values(id, s));
    EXPECT_EQ(sql::execute(conn(), sql::select(u.name).where(u.id == id)).scalar_one(), s);
    EXPECT_EQ(sql::execute(conn(), sql::select(u.id).where(u.name == s)).scalar_one(), id);
    EXPECT_EQ(sql::execute(conn(), sql::select(u.name + s).where(u.id == id)).scalar_one(), s + s);
    auto t = sql::text("SELECT id FROM users WHERE name = :n").bind("n", s).columns<std::int64_t>();
    EXPECT_EQ(sql::execute(conn(), t).scalar_one(), id);
    auto upd = sql::execute(conn(), sql::update(u).set(u.name, s + "2").where(u.name == s).returning(u.name));
    EXPECT_EQ(upd.scalar_one(), s + "2");
    ++id;
  }
  EXPECT_EQ(user_count(), 3 + static_cast<std::int64_t>(hostile_strings().size()));
  EXPECT_EQ(sql::execute(conn(), sql::select(u.id).where(u.name.like("%'%2"))).all().size(), 5u);
}

TEST_P(SafetyTest, TooLongValueFailsCleanlyOnPostgres) {
  seed();
  std::string longer(300, 'y');  // posts.title is VARCHAR(200)
  auto ins = sql::insert(p).columns(p.id, p.title).values(9, longer);
  if (is_postgres()) {
    EXPECT_THROW(sql::execute(conn(), ins), retort::DataError);
    EXPECT_EQ(sql::execute(conn(), sql::select(sql::count()).select_from(p)).scalar_one(), 4);
  } else {
    sql::execute(conn(), ins);  // SQLite does not enforce VARCHAR lengths
    EXPECT_EQ(sql::execute(conn(), sql::select(p.title).where(p.id == 9)).scalar_one(), longer);
  }
}

TEST_P(SafetyTest, NulBytesRoundTripOrFailCleanly) {
  seed();
  std::string nul("a\0b'; DROP TABLE users; --", 26);
  try {
    sql::execute(conn(), sql::insert(u).columns(u.id, u.name).values(50, nul));
    // SQLite stores the bytes as given.
    EXPECT_EQ(sql::execute(conn(), sql::select(u.name).where(u.id == 50)).scalar_one(), nul);
  } catch (const retort::Error& e) {
    // PostgreSQL text cannot hold NUL: a clean error.
    EXPECT_TRUE(is_postgres()) << e.what();
  }
  EXPECT_GE(user_count(), 3);
  // Bytes carry NUL everywhere.
  retort::Bytes b{0, 39, 0, 255, 59};
  auto q = sql::select(sql::literal(b));
  EXPECT_EQ(sql::execute(conn(), q).scalar_one(), b);
}

TEST_P(SafetyTest, HostileIdentifiersAreQuoted) {
  // A table and columns whose names try to break out of their quotes.
  const std::string tname = "t\"; DROP TABLE users; --";
  const std::string cname = "c'\" OR 1=1 --";
  retort::MetaData m;
  auto& t = m.add_table(tname);
  t.add(retort::Column("id", retort::types::BigInteger).primary_key());
  t.add(retort::Column(cname, retort::types::Text));
  m.create_all(conn());
  sql::TableRef ref(tname, "a\"lias");
  auto id = sql::column<std::int64_t>(ref, "id");
  auto c = sql::column<std::optional<std::string>>(ref, cname);
  sql::execute(conn(), sql::insert(ref).columns(id, c).values(1, "v"));
  EXPECT_EQ(sql::execute(conn(), sql::select(c).where(id == 1)).scalar_one(), "v");
  EXPECT_EQ(sql::execute(conn(), sql::update(sql::TableRef(tname)).set(sql::column<std::optional<std::string>>(sql::TableRef(tname), cname), "w")).rows_affected(), 1);
  seed();
  EXPECT_EQ(user_count(), 3);
  // A name that does not exist fails with a database error, nothing else.
  sql::TableRef ghost("users; DROP TABLE posts");
  EXPECT_THROW(sql::execute(conn(), sql::select(sql::column<std::int64_t>(ghost, "id"))), retort::DatabaseError);
  EXPECT_EQ(sql::execute(conn(), sql::select(sql::count()).select_from(p)).scalar_one(), 4);
}

TEST_P(SafetyTest, ParametersNeverAppearInSql) {
  auto s = std::string("'; DROP TABLE users; --");
  auto q = sql::select(u.id).where(u.name == s || u.name.like(s) || u.name.in_({s, s}));
  const auto& c = q.compile(conn().dialect());
  EXPECT_EQ(c.sql.find("DROP"), std::string::npos);
  EXPECT_EQ(c.params.size(), 4u);
}

TEST_P(SafetyTest, ValueTypesRoundTrip) {
  using namespace std::chrono;
  retort::Date d = sys_days(year{2024} / February / 29);
  retort::Timestamp ts = time_point_cast<microseconds>(sys_days(year{2001} / 9 / 9) + 1h + 46min + 40s + 123456us);
  EXPECT_EQ(sql::execute(conn(), sql::select(sql::literal(d))).scalar_one(), d);
  EXPECT_EQ(sql::execute(conn(), sql::select(sql::literal(ts))).scalar_one(), ts);
  EXPECT_EQ(sql::execute(conn(), sql::select(sql::literal(false))).scalar_one(), false);
  EXPECT_DOUBLE_EQ(sql::execute(conn(), sql::select(sql::literal(-0.125))).scalar_one(), -0.125);
  EXPECT_EQ(sql::execute(conn(), sql::select(sql::literal(std::int64_t{INT64_MIN}))).scalar_one(), INT64_MIN);
  EXPECT_EQ(sql::execute(conn(), sql::select(sql::literal(d) == d)).scalar_one(), true);
}

}  // namespace
