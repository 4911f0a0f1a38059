// INSERT / UPDATE / DELETE, RETURNING, ON CONFLICT and executemany on every backend.
#include "sql_fixture.hpp"

namespace sql = retort::sql;
using sqltest::SqlTest;
using Ids = std::vector<std::int64_t>;

namespace {

class DmlTest : public SqlTest {
 protected:
  std::vector<std::string> names() { return sql::execute(conn(), sql::select(u.name).order_by(u.id)).all(); }
};
SQL_INSTANTIATE(DmlTest);

TEST_P(DmlTest, InsertOneRowWithGeneratedKey) {
  auto r = sql::execute(conn(), sql::insert(u).set(u.name, "Alice"));
  EXPECT_EQ(r.rows_affected(), 1);
  auto id = sql::execute(conn(), sql::insert(u).set(u.name, "Bob").returning(u.id)).scalar_one();
  EXPECT_EQ(id, 2);
  EXPECT_EQ(names(), (std::vector<std::string>{"Alice", "Bob"}));
}

TEST_P(DmlTest, InsertManyRowsAndReturning) {
  auto ins = sql::insert(u).columns(u.id, u.name).values(10, "a").values(11, "b").values(12, "c");
  auto back = sql::execute(conn(), ins.returning(u.id, u.name + "!")).all();
  std::sort(back.begin(), back.end());
  EXPECT_EQ(back, (std::vector<std::tuple<std::int64_t, std::string>>{{10, "a!"}, {11, "b!"}, {12, "c!"}}));
}

TEST_P(DmlTest, InsertFromSelect) {
  seed();
  sqltest::Users u2;
  auto copy = sql::insert(p).columns(p.id, p.title, p.user_id).from_select(
      sql::select(u2.id + 100, u2.name + " (copy)", sql::cast<std::optional<std::int64_t>>(u2.id)).where(u2.id < 3));
  EXPECT_EQ(sql::execute(conn(), copy).rows_affected(), 2);
  auto titles = sql::execute(conn(), sql::select(p.title).where(p.id > 100).order_by(p.id)).all();
  EXPECT_EQ(titles, (std::vector<std::string>{"Alice (copy)", "Bob (copy)"}));
}

TEST_P(DmlTest, UpdateWithWhereAndReturning) {
  seed();
  auto r = sql::execute(conn(), sql::update(u).set(u.name, u.name + "?").where(u.id >= 2));
  EXPECT_EQ(r.rows_affected(), 2);
  EXPECT_EQ(names(), (std::vector<std::string>{"Alice", "Bob?", "carol?"}));
  auto ret = sql::execute(conn(), sql::update(p).set(p.content, std::nullopt).set(p.title, "T").where(p.id == 1)
                                      .returning(p.id, p.content));
  auto [id, content] = ret.one();
  EXPECT_EQ(id, 1);
  EXPECT_EQ(content, std::nullopt);
  auto all = sql::execute(conn(), sql::update(u).set(u.name, "same"));
  EXPECT_EQ(all.rows_affected(), 3);
}

TEST_P(DmlTest, DeleteWithWhereAndReturning) {
  seed();
  auto gone = sql::execute(conn(), sql::delete_(p).where(p.user_id == 1).returning(p.id)).all();
  std::sort(gone.begin(), gone.end());
  EXPECT_EQ(gone, (Ids{1, 2}));
  EXPECT_EQ(sql::execute(conn(), sql::delete_(p).where(p.id > 100)).rows_affected(), 0);
  EXPECT_EQ(sql::execute(conn(), sql::delete_(p)).rows_affected(), 2);
  EXPECT_EQ(sql::execute(conn(), sql::select(sql::count()).select_from(p)).scalar_one(), 0);
}

TEST_P(DmlTest, OnConflictDoNothingAndDoUpdate) {
  seed();
  auto dup = sql::insert(u).columns(u.id, u.name).values(1, "Again").values(4, "dave");
  EXPECT_THROW(sql::execute(conn(), dup), retort::IntegrityError);
  EXPECT_EQ(sql::execute(conn(), dup.on_conflict_do_nothing(u.id)).rows_affected(), 1);
  EXPECT_EQ(names(), (std::vector<std::string>{"Alice", "Bob", "carol", "dave"}));
  auto up = sql::insert(u).columns(u.id, u.name).values(2, "Robert").values(5, "eve").on_conflict_do_update(
      sql::conflict_target(u.id), sql::assign(u.name, sql::excluded(u.name) + " (was " + u.name + ")"));
  sql::execute(conn(), up);
  EXPECT_EQ(names(), (std::vector<std::string>{"Alice", "Robert (was Bob)", "carol", "dave", "eve"}));
  auto ret = sql::execute(conn(), sql::insert(u).set(u.id, 1).set(u.name, "x").on_conflict_do_nothing().returning(u.id)).all();
  EXPECT_TRUE(ret.empty());
}

TEST_P(DmlTest, ExecuteManyBindsOnePreparedStatementPerRow) {
  std::vector<std::tuple<int, std::string>> rows;
  for (int i = 1; i <= 50; ++i) rows.emplace_back(i, "user" + std::to_string(i));
  auto ins = sql::insert(u).columns(u.id, u.name);
  std::size_t before = conn().cached_statements();
  EXPECT_EQ(sql::execute_many(conn(), ins, rows), 50);
  EXPECT_EQ(conn().cached_statements(), before + 1);
  std::vector<std::tuple<std::int64_t, const char*>> more{{51, "x"}, {52, "y"}};
  EXPECT_EQ(sql::execute_many(conn(), ins, more), 2);
  EXPECT_EQ(conn().cached_statements(), before + 1);
  EXPECT_EQ(sql::execute(conn(), sql::select(sql::count()).select_from(u)).scalar_one(), 52);
  EXPECT_EQ(sql::execute(conn(), sql::select(u.name).where(u.id == 37)).scalar_one(), "user37");
  EXPECT_THROW(sql::execute_many(conn(), ins.values(1, "z"), more), retort::ArgumentError);
}

TEST_P(DmlTest, TransactionsApplyToStatements) {
  {
    auto tx = conn().begin();
    sql::execute(conn(), sql::insert(u).set(u.name, "temp"));
    tx.rollback();
  }
  EXPECT_EQ(sql::execute(conn(), sql::select(sql::count()).select_from(u)).scalar_one(), 0);
}

}  // namespace
