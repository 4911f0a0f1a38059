// Schema objects, DDL per dialect, create_all / drop_all in dependency order.
#include "retort/engine.hpp"
#include "retort/error.hpp"
#include "retort/schema.hpp"
#include "support/backend.hpp"

namespace retort {
namespace {

// The seed's tables, declared in the "wrong" order to exercise sorting.
MetaData seed_metadata() {
  MetaData md;
  auto& posts = md.add_table("posts");
  posts.add(Column("id", types::Integer).primary_key());
  posts.add(Column("title", types::String()).not_null());
  posts.add(Column("content", types::String()));
  posts.add(Column("user_id", types::Integer).references("users", "id"));
  auto& users = md.add_table("users");
  users.add(Column("id", types::Integer).primary_key());
  users.add(Column("name", types::String()).not_null());
  return md;
}

TEST(Schema, SortedTablesPutReferencedTablesFirst) {
  auto md = seed_metadata();
  auto sorted = md.sorted_tables();
  ASSERT_EQ(sorted.size(), 2u);
  EXPECT_EQ(sorted[0]->name(), "users");
  EXPECT_EQ(sorted[1]->name(), "posts");
}

TEST(Schema, ForeignKeyCycleIsReported) {
  MetaData md;
  md.add_table("a").add(Column("id", types::Integer).primary_key()).add(Column("b_id", types::Integer).references("b", "id"));
  md.add_table("b").add(Column("id", types::Integer).primary_key()).add(Column("a_id", types::Integer).references("a", "id"));
  EXPECT_THROW(md.sorted_tables(), ArgumentError);
}

TEST(Schema, DuplicateNamesAreRejected) {
  MetaData md;
  auto& t = md.add_table("t");
  t.add(Column("x", types::Integer));
  EXPECT_THROW(t.add(Column("x", types::Text)), ArgumentError);
  EXPECT_THROW(md.add_table("t"), ArgumentError);
  EXPECT_THROW((void)t.column("nope"), ArgumentError);
}

TEST(Schema, SeedDdlMatchesSqlAlchemyOnSqlite) {
  auto md = seed_metadata();
  auto ddl = create_table_ddl(*md.find("posts"), sqlite_dialect());
  ASSERT_EQ(ddl.size(), 1u);
  EXPECT_EQ(ddl[0],
            "CREATE TABLE posts (\n\tid INTEGER NOT NULL,\n\ttitle VARCHAR NOT NULL,\n\tcontent VARCHAR,\n\t"
            "user_id INTEGER,\n\tPRIMARY KEY (id),\n\tFOREIGN KEY(user_id) REFERENCES users (id)\n)");
}

TEST(Schema, DdlOnPostgresqlUsesSerialAndQuotesReservedNames) {
  MetaData md;
  auto& t = md.add_table("user");
  t.add(Column("id", types::BigInteger).primary_key());
  t.add(Column("Order", types::String(20)).not_null().unique());
  t.add(Column("group", types::Boolean).server_default("false"));
  t.add(Column("amount", types::Float).check("amount >= 0").index());
  auto ddl = create_table_ddl(t, postgresql_dialect());
  ASSERT_EQ(ddl.size(), 2u);
  EXPECT_EQ(ddl[0],
            "CREATE TABLE \"user\" (\n\tid BIGSERIAL NOT NULL,\n\t\"Order\" VARCHAR(20) NOT NULL UNIQUE,\n\t"
            "\"group\" BOOLEAN DEFAULT false,\n\tamount DOUBLE PRECISION CHECK (amount >= 0),\n\tPRIMARY KEY (id)\n)");
  EXPECT_EQ(ddl[1], "CREATE INDEX ix_user_amount ON \"user\" (amount)");
}

TEST(Schema, IdentifierQuotingEscapesEmbeddedQuotes) {
  EXPECT_EQ(sqlite_dialect().quote_identifier("we\"ird"), "\"we\"\"ird\"");
  EXPECT_EQ(postgresql_dialect().quote_identifier("plain_name1"), "plain_name1");
  EXPECT_EQ(postgresql_dialect().quote_identifier("select"), "\"select\"");
  EXPECT_EQ(postgresql_dialect().quote_identifier("MixedCase"), "\"MixedCase\"");
  EXPECT_EQ(postgresql_dialect().quote_identifier("1abc"), "\"1abc\"");
}

TEST(Schema, AutoincrementOnlyForASingleIntegerKey) {
  Table t("t");
  t.add(Column("a", types::Integer).primary_key());
  t.add(Column("b", types::Integer).primary_key());
  EXPECT_EQ(t.autoincrement_column(), nullptr);
  Table s("s");
  s.add(Column("code", types::String(3)).primary_key());
  EXPECT_EQ(s.autoincrement_column(), nullptr);
  Table u("u");
  u.add(Column("id", types::Integer).primary_key().autoincrement(false));
  EXPECT_EQ(u.autoincrement_column(), nullptr);
}

class SchemaDbTest : public testing::BackendTest {};

TEST_P(SchemaDbTest, CreateAllIsIdempotentAndDropAllRemovesEverything) {
  auto engine = db().engine();
  auto md = seed_metadata();
  md.create_all(engine);
  md.create_all(engine);  // checkfirst: existing tables are skipped
  auto conn = engine.connect();
  EXPECT_TRUE(has_table(conn, "users"));
  EXPECT_TRUE(has_table(conn, "posts"));
  md.drop_all(engine);
  md.drop_all(engine);  // checkfirst: missing tables are skipped
  EXPECT_FALSE(has_table(conn, "users"));
  EXPECT_FALSE(has_table(conn, "posts"));
}

TEST_P(SchemaDbTest, CreateAllWithoutCheckfirstFailsOnExistingTable) {
  auto engine = db().engine();
  auto md = seed_metadata();
  md.create_all(engine);
  auto conn = engine.connect();
  EXPECT_THROW(md.create_all(conn, false), DatabaseError);
  EXPECT_FALSE(conn.in_transaction());
}

TEST_P(SchemaDbTest, AutoincrementGeneratesKeys) {
  auto engine = db().engine();
  auto md = seed_metadata();
  md.create_all(engine);
  auto conn = engine.connect();
  auto id1 = conn.execute("INSERT INTO users (name) VALUES ('a') RETURNING id").scalar_one<std::int64_t>();
  auto id2 = conn.execute("INSERT INTO users (name) VALUES ('b') RETURNING id").scalar_one<std::int64_t>();
  EXPECT_EQ(id2, id1 + 1);
}

TEST_P(SchemaDbTest, CompositePrimaryKeyAndForeignKeyActions) {
  auto engine = db().engine();
  MetaData md;
  auto& parent = md.add_table("parent");
  parent.add(Column("a", types::Integer).primary_key());
  parent.add(Column("b", types::String(10)).primary_key());
  auto& child = md.add_table("child");
  child.add(Column("id", types::Integer).primary_key());
  child.add(Column("pa", types::Integer));
  child.add(Column("pb", types::String(10)));
  child.add(ForeignKey{{"pa", "pb"}, "parent", {"a", "b"}, FkAction::Cascade, FkAction::Cascade, "fk_child_parent"});
  md.create_all(engine);
  auto conn = engine.connect();
  conn.execute_script("INSERT INTO parent (a, b) VALUES (1, 'x')");
  conn.execute_script("INSERT INTO child (id, pa, pb) VALUES (10, 1, 'x')");
  EXPECT_THROW(conn.execute_script("INSERT INTO parent (a, b) VALUES (1, 'x')"), IntegrityError);
  conn.execute_script("UPDATE parent SET a = 2");
  EXPECT_EQ(conn.execute("SELECT pa FROM child").scalar_one<std::int64_t>(), 2);  // ON UPDATE CASCADE
  conn.execute_script("DELETE FROM parent");
  EXPECT_EQ(conn.execute("SELECT count(*) FROM child").scalar_one<std::int64_t>(), 0);  // ON DELETE CASCADE
}

TEST_P(SchemaDbTest, SetNullAction) {
  auto engine = db().engine();
  MetaData md;
  md.add_table("p").add(Column("id", types::Integer).primary_key());
  md.add_table("c").add(Column("id", types::Integer).primary_key())
      .add(Column("pid", types::Integer).references("p", "id", FkAction::SetNull));
  md.create_all(engine);
  auto conn = engine.connect();
  conn.execute_script("INSERT INTO p (id) VALUES (1)");
  conn.execute_script("INSERT INTO c (id, pid) VALUES (1, 1)");
  conn.execute_script("DELETE FROM p");
  auto r = conn.execute("SELECT pid FROM c");
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r.get<std::optional<std::int64_t>>(0), std::nullopt);
}

TEST_P(SchemaDbTest, DefaultsUniqueCheckAndIndexes) {
  auto engine = db().engine();
  MetaData md;
  auto& t = md.add_table("items");
  t.add(Column("id", types::Integer).primary_key());
  t.add(Column("sku", types::String(20)).not_null().unique());
  t.add(Column("qty", types::Integer).not_null().server_default("0").check("qty >= 0"));
  t.add(Column("label", types::String(20)).index());
  t.add(UniqueConstraint{{"label", "qty"}, "uq_label_qty"});
  t.add(CheckConstraint{"length(sku) > 1", "ck_sku_len"});
  md.create_all(engine);
  auto conn = engine.connect();
  conn.execute_script("INSERT INTO items (sku) VALUES ('ab')");
  EXPECT_EQ(conn.execute("SELECT qty FROM items").scalar_one<std::int64_t>(), 0);  // server default
  EXPECT_THROW(conn.execute_script("INSERT INTO items (sku) VALUES ('ab')"), IntegrityError);
  EXPECT_THROW(conn.execute_script("INSERT INTO items (sku, qty) VALUES ('cd', -1)"), IntegrityError);
  EXPECT_THROW(conn.execute_script("INSERT INTO items (sku) VALUES ('x')"), IntegrityError);
  std::string index_query = is_postgres() ? "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_items_label'"
                                          : "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'ix_items_label'";
  EXPECT_EQ(conn.execute(index_query).scalar_one<std::int64_t>(), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, SchemaDbTest, ::testing::ValuesIn(testing::backends()), testing::BackendName());

}  // namespace
}  // namespace retort
