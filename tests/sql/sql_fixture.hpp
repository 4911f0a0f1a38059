// A backend-parameterised fixture with the seed's users/posts tables and a
// few rows: users 1 Alice, 2 Bob, 3 carol; posts 1..4 (see seed()).
#pragma once

#include <gtest/gtest.h>

#include "retort/engine.hpp"
#include "retort/schema.hpp"
#include "retort/sql.hpp"
#include "sql_tables.hpp"
#include "support/backend.hpp"

namespace sqltest {

class SqlTest : public retort::testing::ConnectedTest {
 protected:
  void SetUp() override {
    ConnectedTest::SetUp();
    if (IsSkipped() || HasFailure()) return;
    using namespace retort;
    auto& users = meta_.add_table("users");
    users.add(Column("id", types::BigInteger).primary_key());
    users.add(Column("name", types::Text).not_null());
    auto& posts = meta_.add_table("posts");
    posts.add(Column("id", types::BigInteger).primary_key());
    posts.add(Column("title", types::String(200)).not_null());
    posts.add(Column("content", types::Text));
    posts.add(Column("user_id", types::BigInteger).references("users", "id"));
    meta_.create_all(*conn_);
  }

  /// users: (1 Alice) (2 Bob) (3 carol); posts: (1 "First Post" "c1" 1)
  /// (2 "Second" NULL 1) (3 "Bob's" "hi" 2) (4 "Orphan" NULL NULL).
  void seed() {
    namespace sql = retort::sql;
    sql::execute(conn(), sql::insert(u).columns(u.id, u.name).values(1, "Alice").values(2, "Bob").values(3, "carol"));
    std::optional<std::int64_t> none;
    sql::execute(conn(), sql::insert(p)
                             .columns(p.id, p.title, p.content, p.user_id)
                             .values(1, "First Post", "c1", 1)
                             .values(2, "Second", std::nullopt, 1)
                             .values(3, "Bob's", "hi", 2)
                             .values(4, "Orphan", std::nullopt, none));
  }

  retort::Connection& conn() { return *conn_; }
  retort::Engine& engine() { return *engine_; }

  Users u;
  Posts p;
  retort::MetaData meta_;
};

#define SQL_INSTANTIATE(Fixture)                                                                   \
  INSTANTIATE_TEST_SUITE_P(Backends, Fixture, ::testing::ValuesIn(retort::testing::backends()), \
                           retort::testing::BackendName())

}  // namespace sqltest
