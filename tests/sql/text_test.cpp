// text(): raw SQL with named bound parameters, on every backend.
#include "sql_fixture.hpp"

namespace sql = retort::sql;
using sqltest::SqlTest;

namespace {

class TextTest : public SqlTest {};
SQL_INSTANTIATE(TextTest);

TEST_P(TextTest, NamedParametersAreBound) {
  seed();
  auto q = sql::text("SELECT name FROM users WHERE id = :id OR name = :name ORDER BY id").bind("id", 1).bind("name", "carol");
  EXPECT_EQ(sql::execute(conn(), q.columns<std::string>()).all(), (std::vector<std::string>{"Alice", "carol"}));
  auto r = sql::execute(conn(), q);  // untyped
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r.get<std::string>(0), "Alice");
}

TEST_P(TextTest, RepeatedNameAndRebinding) {
  seed();
  auto q = sql::text("SELECT count(*) FROM users WHERE id >= :n AND id <= :n").bind("n", 5).bind("n", 2);
  EXPECT_EQ(sql::execute(conn(), q.columns<std::int64_t>()).scalar_one(), 1);
}

TEST_P(TextTest, ColonsInsideQuotesAreText) {
  auto q = sql::text("SELECT ':not_a_param' || :v").bind("v", "!");
  EXPECT_EQ(sql::execute(conn(), q.columns<std::string>()).scalar_one(), ":not_a_param!");
}

TEST_P(TextTest, UnboundParameterFailsBeforeExecution) {
  auto before = engine().statement_count();
  EXPECT_THROW(sql::execute(conn(), sql::text("SELECT :missing")), retort::ArgumentError);
  EXPECT_EQ(engine().statement_count(), before);
}

TEST_P(TextTest, DmlThroughText) {
  auto r = sql::execute(conn(), sql::text("INSERT INTO users (id, name) VALUES (:id, :name)").bind("id", 9).bind("name", "T"));
  EXPECT_EQ(r.rows_affected(), 1);
  EXPECT_EQ(sql::execute(conn(), sql::select(u.name).where(u.id == 9)).scalar_one(), "T");
}

}  // namespace
