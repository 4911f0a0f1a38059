// The unit of work: dependency order, key sync, batching through one
// prepared statement, and a failed flush that leaves nothing half-written.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "fixture.hpp"

using namespace orm_test;
using retort::make;

class UnitOfWork : public OrmTest {};

TEST_P(UnitOfWork, ParentsInsertedBeforeChildrenWhateverTheAddOrder) {
  retort::Session s(engine());
  auto p = make<Post>({.title = "p"});
  s.add(p);  // the child first
  auto u = make<User>({.name = "u"});
  p->author = u;  // cascaded in through the back reference
  s.flush();
  auto st = take_statements();
  ASSERT_EQ(st.size(), 2u);
  EXPECT_EQ(st[0].rfind("INSERT INTO users", 0), 0u);
  EXPECT_EQ(st[1].rfind("INSERT INTO posts", 0), 0u);
  EXPECT_EQ(p->user_id, u->id);
}

TEST_P(UnitOfWork, ChildrenDeletedBeforeParents) {
  retort::Session s(engine());
  auto u = make<User>({.name = "u", .posts = {make<Post>({.title = "a"}), make<Post>({.title = "b"})}});
  s.add(u);
  s.commit();
  take_statements();
  s.remove(u);
  s.commit();
  auto st = take_statements();
  std::size_t posts = 0, users = 0;
  for (std::size_t i = 0; i < st.size(); ++i) {
    if (st[i].rfind("DELETE FROM posts", 0) == 0) posts = i + 1;
    if (st[i].rfind("DELETE FROM users", 0) == 0) users = i + 1;
  }
  ASSERT_TRUE(posts && users);
  EXPECT_LT(posts, users);
  EXPECT_EQ(count("posts"), 0);
  EXPECT_EQ(count("users"), 0);
}

// Rows with generated keys go in multi-row INSERTs (SQLAlchemy 2.0's
// "insertmanyvalues"): a full chunk of 512 rows, then powers of two. Each
// object must get the key of its own row.
TEST_P(UnitOfWork, InsertsOfManyRowsAreBatchedAndEachObjectGetsItsKey) {
  retort::Session s(engine());
  auto u = make<User>({.name = "u"});
  for (int i = 0; i < 1100; ++i) u->posts.push_back(make<Post>({.title = "t" + std::to_string(i)}));
  s.add(u);
  s.commit();
  auto st = take_statements();
  EXPECT_EQ(count_prefix(st, "INSERT INTO posts"), 5u);  // 512 + 512 + 64 + 8 + 4
  EXPECT_EQ(count("posts", "user_id = " + std::to_string(u->id)), 1100);
  std::map<std::int64_t, std::string> by_id;
  {
    auto conn = engine().connect();
    for (auto [id, title] : conn.execute("SELECT id, title FROM posts").all<std::int64_t, std::string>())
      by_id[id] = title;
  }
  std::set<std::int64_t> ids;
  for (auto& p : u->posts) {
    ids.insert(p->id);
    EXPECT_EQ(by_id[p->id], p->title) << "post " << p->id;
  }
  EXPECT_EQ(ids.size(), 1100u);
  // Explicit keys go through execute_many: no RETURNING.
  retort::Session s2(engine());
  for (int i = 0; i < 10; ++i) s2.add(make<Pair>({.a = i, .b = "k"}));
  s2.commit();
  for (auto& x : take_statements()) {
    if (x.rfind("INSERT", 0) == 0) {
      EXPECT_EQ(x.find("RETURNING"), std::string::npos);
    }
  }
  EXPECT_EQ(count("pairs"), 10);
}

TEST_P(UnitOfWork, FailedFlushRollsBackAndSessionStaysUsable) {
  retort::Session s(engine());
  s.add(make<Pair>({.a = 1, .b = "dup"}));
  s.commit();
  auto u = make<User>({.name = "u", .posts = {make<Post>({.title = "p"})}});
  auto dup = make<Pair>({.a = 1, .b = "dup"});
  s.add(u);
  s.add(dup);
  EXPECT_THROW(s.flush(), retort::IntegrityError);
  // Nothing half-written, in the database or in memory.
  EXPECT_EQ(count("users"), 0);
  EXPECT_EQ(count("posts"), 0);
  EXPECT_EQ(u->id, 0);
  EXPECT_EQ(u->posts[0]->user_id, std::nullopt);
  EXPECT_TRUE(retort::inspect(u).pending());
  // Fix the problem and flush again.
  s.expunge(dup);
  s.commit();
  EXPECT_EQ(count("users"), 1);
  EXPECT_EQ(count("posts", "user_id IS NOT NULL"), 1);
}

TEST_P(UnitOfWork, GeneratedKeyReachesPersistentChildMovedToNewParent) {
  retort::Session s(engine());
  auto p = make<Post>({.title = "p"});
  s.add(p);
  s.commit();
  auto u = make<User>({.name = "new parent"});
  u->posts.push_back(p);
  s.commit();
  EXPECT_EQ(count("posts", "user_id = " + std::to_string(u->id)), 1);
}

TEST_P(UnitOfWork, SelfReferentialRowsInDependencyOrder) {
  {
    retort::Session s(engine());
    auto leaf = make<Node>({.name = "leaf"});
    s.add(leaf);  // the deepest node is added first
    auto mid = make<Node>({.name = "mid"});
    leaf->parent = mid;
    auto root = make<Node>({.name = "root"});
    root->children.push_back(mid);
    s.commit();
    EXPECT_EQ(leaf->parent_id, mid->id);
    EXPECT_EQ(mid->parent_id, root->id);
  }
  EXPECT_EQ(count("nodes", "parent_id IS NULL"), 1);
  retort::Session s(engine());
  auto root = s.query<Node>().filter(retort::col(&Node::parent_id) == std::nullopt).one();
  EXPECT_EQ(root->children[0]->children[0]->name, "leaf");
  s.remove(root);  // cascades down the tree; children deleted first
  s.commit();
  EXPECT_EQ(count("nodes"), 0);
  EXPECT_EQ(Live::count, 0);
}

RETORT_ORM_SUITE(UnitOfWork);
