// Golden SQL for a representative set of statements on both dialects.
#include <gtest/gtest.h>

#include "retort/sql.hpp"
#include "sql_tables.hpp"

namespace sql = retort::sql;
using retort::postgresql_dialect;
using retort::sqlite_dialect;
using sqltest::Posts;
using sqltest::Users;

namespace {

std::string lite(const sql::Statement& s) { return sql::to_string(s, sqlite_dialect()); }
std::string pg(const sql::Statement& s) { return sql::to_string(s, postgresql_dialect()); }

TEST(Golden, SimpleSelect) {
  Users u;
  auto q = sql::select(u.id, u.name).where(u.name == "Alice").order_by(u.id.desc()).limit(10).offset(5);
  EXPECT_EQ(lite(q), "SELECT users.id, users.name FROM users WHERE users.name = ? ORDER BY users.id DESC LIMIT 10 OFFSET 5");
  EXPECT_EQ(pg(q), "SELECT users.id, users.name FROM users WHERE users.name = $1 ORDER BY users.id DESC LIMIT 10 OFFSET 5");
  EXPECT_EQ(q.compile(sqlite_dialect()).params.size(), 1u);
}

TEST(Golden, AndOrNotPrecedence) {
  Users u;
  auto q = sql::select(u.id).where((u.id > 1 && u.id < 5) || !(u.name == "x"));
  EXPECT_EQ(lite(q), "SELECT users.id FROM users WHERE users.id > ? AND users.id < ? OR NOT (users.name = ?)");
  auto q2 = sql::select(u.id).where(u.id == 1 && (u.id == 2 || u.id == 3));
  EXPECT_EQ(lite(q2), "SELECT users.id FROM users WHERE users.id = ? AND (users.id = ? OR users.id = ?)");
}

TEST(Golden, JoinGroupHaving) {
  Users u;
  Posts p;
  auto q = sql::select(u.name, sql::count(p.id).label("n"))
               .join(p, p.user_id == u.id)
               .group_by(u.name)
               .having(sql::count(p.id) > 1)
               .order_by(u.name.asc().nulls_last());
  EXPECT_EQ(pg(q),
            "SELECT users.name, count(posts.id) AS n FROM users JOIN posts ON posts.user_id = users.id "
            "GROUP BY users.name HAVING count(posts.id) > $1 ORDER BY users.name NULLS LAST");
}

TEST(Golden, AliasesAndQuoting) {
  Users a("a");
  sql::TableRef weird("Order Items", "o\"i");
  auto c = sql::column<std::int64_t>(weird, "select");
  auto q = sql::select(a.id, c).where(a.id == c);
  EXPECT_EQ(lite(q), "SELECT a.id, \"o\"\"i\".\"select\" FROM users AS a, \"Order Items\" AS \"o\"\"i\" WHERE a.id = \"o\"\"i\".\"select\"");
}

TEST(Golden, PostgresCastsUntypedParameters) {
  Users u;
  auto q = sql::select(sql::literal(1) + sql::literal(2), sql::literal(std::string("a")) + "b",
                       sql::coalesce(u.name, "none"));
  EXPECT_EQ(pg(q), "SELECT CAST($1 AS BIGINT) + CAST($2 AS BIGINT), CAST($3 AS TEXT) || CAST($4 AS TEXT), "
                   "coalesce(users.name, CAST($5 AS TEXT)) FROM users");
  EXPECT_EQ(lite(q), "SELECT ? + ?, ? || ?, coalesce(users.name, ?) FROM users");
  auto s = sql::select(sql::sum(u.id), sql::avg(u.id));
  EXPECT_EQ(pg(s), "SELECT CAST(sum(users.id) AS BIGINT), CAST(avg(users.id) AS DOUBLE PRECISION) FROM users");
  EXPECT_EQ(lite(s), "SELECT sum(users.id), avg(users.id) FROM users");
}

TEST(Golden, IlikeEmulatedOnSqlite) {
  Users u;
  auto q = sql::select(u.id).where(u.name.ilike("a%"));
  EXPECT_EQ(lite(q), "SELECT users.id FROM users WHERE lower(users.name) LIKE lower(?)");
  EXPECT_EQ(pg(q), "SELECT users.id FROM users WHERE users.name ILIKE $1");
}

TEST(Golden, InBetweenNull) {
  Posts p;
  auto q = sql::select(p.id).where(p.id.in_({1, 2, 3}) && p.id.between(0, 9) && p.content == std::nullopt &&
                                   p.user_id.is_not_null());
  EXPECT_EQ(pg(q),
            "SELECT posts.id FROM posts WHERE posts.id IN ($1, $2, $3) AND posts.id BETWEEN $4 AND $5 AND "
            "posts.content IS NULL AND posts.user_id IS NOT NULL");
  auto e = sql::select(p.id).where(p.id.in_(std::vector<int>{}));
  EXPECT_EQ(lite(e), "SELECT posts.id FROM posts WHERE 1 = 0");
}

TEST(Golden, OffsetWithoutLimit) {
  Users u;
  auto q = sql::select(u.id).offset(3);
  EXPECT_EQ(lite(q), "SELECT users.id FROM users LIMIT -1 OFFSET 3");
  EXPECT_EQ(pg(q), "SELECT users.id FROM users OFFSET 3");
}

TEST(Golden, SubqueriesAndExists) {
  Users u;
  Posts p;
  auto n = sql::select(sql::count()).select_from(p).where(p.user_id == u.id).as_scalar();
  auto q = sql::select(u.name, n.label("posts")).where(sql::exists(sql::select(p.id).where(p.user_id == u.id)));
  EXPECT_EQ(lite(q),
            "SELECT users.name, (SELECT count(*) FROM posts WHERE posts.user_id = users.id) AS posts FROM users "
            "WHERE EXISTS (SELECT posts.id FROM posts WHERE posts.user_id = users.id)");
  auto in = sql::select(u.name).where(u.id.in_(sql::select(p.user_id)));
  EXPECT_EQ(lite(in), "SELECT users.name FROM users WHERE users.id IN (SELECT posts.user_id FROM posts)");
}

TEST(Golden, UnionAndCte) {
  Users u;
  auto q = sql::select(u.id).where(u.id < 2).union_all(sql::select(u.id).where(u.id > 5)).order_by(u.id);
  EXPECT_EQ(lite(q), "SELECT users.id FROM users WHERE users.id < ? UNION ALL SELECT users.id FROM users WHERE users.id > ? ORDER BY id");
  sql::Cte t = sql::recursive_cte("t", {"n"});
  auto tn = sql::column<std::int64_t>(t, "n");
  t.define(sql::select(sql::literal(1)).union_all(sql::select(tn + 1).select_from(t).where(tn < 5)));
  auto r = sql::select(tn).select_from(t).with(t);
  EXPECT_EQ(pg(r), "WITH RECURSIVE t(n) AS (SELECT CAST($1 AS BIGINT) UNION ALL SELECT t.n + $2 FROM t WHERE t.n < $3) SELECT t.n FROM t");
}

TEST(Golden, InsertUpdateDelete) {
  Users u;
  auto i = sql::insert(u).set(u.name, "Alice").returning(u.id);
  EXPECT_EQ(pg(i), "INSERT INTO users (name) VALUES ($1) RETURNING id");
  auto m = sql::insert(u).columns(u.id, u.name).values(1, "a").values(2, "b");
  EXPECT_EQ(lite(m), "INSERT INTO users (id, name) VALUES (?, ?), (?, ?)");
  auto c = sql::insert(u).columns(u.id, u.name).values(1, "a").on_conflict_do_update(
      sql::conflict_target(u.id), sql::assign(u.name, sql::excluded(u.name)));
  EXPECT_EQ(pg(c), "INSERT INTO users (id, name) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET name = excluded.name");
  auto n = sql::insert(u).columns(u.id, u.name).values(1, "a").on_conflict_do_nothing();
  EXPECT_EQ(lite(n), "INSERT INTO users (id, name) VALUES (?, ?) ON CONFLICT DO NOTHING");
  auto up = sql::update(u).set(u.name, u.name + "!").where(u.id == 1).returning(u.name);
  EXPECT_EQ(pg(up), "UPDATE users SET name = users.name || $1 WHERE users.id = $2 RETURNING name");
  auto d = sql::delete_(u).where(u.id >= 3);
  EXPECT_EQ(lite(d), "DELETE FROM users WHERE users.id >= ?");
}

TEST(Golden, CaseAndCast) {
  Users u;
  auto k = sql::case_<std::string>().when(u.id < 2, "low").else_(u.name);
  auto q = sql::select(k, sql::cast<std::string>(u.id));
  EXPECT_EQ(pg(q), "SELECT CASE WHEN users.id < $1 THEN CAST($2 AS TEXT) ELSE users.name END, CAST(users.id AS TEXT) FROM users");
}

TEST(Golden, TextParameters) {
  auto t = sql::text("SELECT ':skip', x::text, \"a:b\" FROM t WHERE id = :id OR other = :id -- :c\n").bind("id", 7);
  EXPECT_EQ(pg(t), "SELECT ':skip', x::text, \"a:b\" FROM t WHERE id = $1 OR other = $2 -- :c\n");
  EXPECT_EQ(t.compile(sqlite_dialect()).params.size(), 2u);
  EXPECT_THROW(lite(sql::text("SELECT :nope")), retort::ArgumentError);
}

TEST(Golden, CompiledSqlIsCachedPerStatement) {
  Users u;
  auto q = sql::select(u.id).where(u.id == 1);
  const auto& a = q.compile(sqlite_dialect());
  const auto& b = q.compile(sqlite_dialect());
  EXPECT_EQ(&a, &b);
  auto q2 = q.where(u.id == 2);  // generative: q is unchanged
  EXPECT_EQ(&q.compile(sqlite_dialect()), &a);
  EXPECT_EQ(lite(q), "SELECT users.id FROM users WHERE users.id = ?");
  EXPECT_EQ(lite(q2), "SELECT users.id FROM users WHERE users.id = ? AND users.id = ?");
}

}  // namespace

namespace {

// SelectBase::extended: how the ORM's joined loader adds columns, joins and
// ordering to a query it did not build, leaving the original as it was.
TEST(Golden, ExtendedSelectKeepsTheOriginal) {
  Users u;
  Posts p;
  auto q = sql::select(u.id, u.name).where(u.name == "Alice").order_by(u.id);
  EXPECT_FALSE(q.is_compound());
  EXPECT_FALSE(q.is_limited());
  EXPECT_TRUE(q.limit(1).is_limited());
  EXPECT_TRUE(sql::union_(q, q).is_compound());
  EXPECT_FALSE(q.joins_table("posts"));
  EXPECT_TRUE(q.join(p, p.user_id == u.id).joins_table("posts"));

  sql::SelectBase::Extension ext;
  sql::TableRef alias("posts", "posts_1");
  auto title = sql::column<std::string>(alias, "title");
  auto user_id = sql::column<std::int64_t>(alias, "user_id");
  ext.columns.push_back(title.node());
  ext.joins.push_back({alias.node(), (user_id == u.id).node(), true});
  ext.order_by.push_back(title.desc().node());
  sql::Select<std::int64_t, std::string> wider(q.extended(ext));
  EXPECT_EQ(lite(wider),
            "SELECT users.id, users.name, posts_1.title FROM users LEFT OUTER JOIN posts AS posts_1 "
            "ON posts_1.user_id = users.id WHERE users.name = ? ORDER BY users.id, posts_1.title DESC");
  EXPECT_EQ(lite(q), "SELECT users.id, users.name FROM users WHERE users.name = ? ORDER BY users.id");
  EXPECT_THROW((void)sql::union_(q, q).extended(ext), retort::ArgumentError);
}

}  // namespace
