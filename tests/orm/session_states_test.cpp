// Object states (transient / pending / persistent / deleted / detached), the
// identity map, get(), autoflush, expunge, expire / refresh, merge, rollback.
#include <gtest/gtest.h>

#include "fixture.hpp"

using namespace orm_test;
using retort::make;
using retort::ObjectState;

class SessionStates : public OrmTest {};

TEST_P(SessionStates, Lifecycle) {
  retort::Session s(engine());
  auto u = make<User>({.name = "a"});
  EXPECT_TRUE(retort::inspect(u).transient());
  s.add(u);
  EXPECT_TRUE(retort::inspect(u).pending());
  s.flush();
  EXPECT_TRUE(retort::inspect(u).persistent());
  EXPECT_GT(u->id, 0);
  s.remove(u);
  EXPECT_TRUE(retort::inspect(u).persistent());  // until flushed, as in SQLAlchemy
  s.flush();
  EXPECT_TRUE(retort::inspect(u).deleted());
  s.commit();
  EXPECT_TRUE(retort::inspect(u).detached());
  EXPECT_EQ(count("users"), 0);
}

TEST_P(SessionStates, IdentityMapHitEmitsNoSql) {
  {
    retort::Session s(engine());
    s.add(make<User>({.name = "a"}));
    s.commit();
  }
  retort::Session s(engine());
  take_statements();
  auto a = s.get<User>(1);
  EXPECT_EQ(take_statements().size(), 1u);
  auto b = s.get<User>(1);
  EXPECT_TRUE(take_statements().empty());
  EXPECT_EQ(a, b);
  EXPECT_FALSE(s.get<User>(42));
}

TEST_P(SessionStates, AutoflushBeforeGetMiss) {
  retort::Session s(engine());
  auto u = make<User>({.name = "a"});
  s.add(u);
  take_statements();
  auto got = s.get<User>(1);  // miss: autoflush inserts u first, then finds it
  EXPECT_EQ(got, u);
  auto st = take_statements();
  EXPECT_EQ(count_prefix(st, "INSERT"), 1u);
}

TEST_P(SessionStates, DirtyDetectionWritesOnlyChangedColumns) {
  retort::Session s(engine());
  auto p = make<Post>({.title = "t", .content = "c"});
  auto q = make<Post>({.title = "unchanged"});
  s.add_all(p, q);
  s.flush();
  take_statements();
  s.flush();
  EXPECT_TRUE(take_statements().empty());  // nothing changed: no SQL
  p->content = "new";
  EXPECT_TRUE(retort::inspect(p).modified);
  s.flush();
  auto st = take_statements();
  ASSERT_EQ(st.size(), 1u);
  EXPECT_NE(st[0].find("UPDATE posts SET content = "), std::string::npos) << st[0];
  EXPECT_EQ(st[0].find("title"), std::string::npos) << st[0];
  s.commit();
  EXPECT_EQ(count("posts", "content = 'new'"), 1);
}

TEST_P(SessionStates, ExpungeDetaches) {
  retort::Session s(engine());
  auto u = make<User>({.name = "a", .posts = {make<Post>({.title = "p"})}});
  s.add(u);
  s.flush();
  s.expunge(u);  // cascades to the posts (cascade all includes expunge)
  EXPECT_TRUE(retort::inspect(u).detached());
  EXPECT_TRUE(retort::inspect(u->posts[0]).detached());
  EXPECT_EQ(s.size(), 0u);
  s.add(u);  // re-attach
  EXPECT_TRUE(retort::inspect(u).persistent());
}

TEST_P(SessionStates, RefreshAndExpire) {
  retort::Session s(engine());
  auto u = make<User>({.name = "a"});
  s.add(u);
  s.commit();
  s.connection().execute("UPDATE users SET name = 'changed elsewhere'");
  s.refresh(u);
  EXPECT_EQ(u->name, "changed elsewhere");
  s.connection().execute("UPDATE users SET name = 'again'");
  s.expire(u);
  EXPECT_EQ(u->name, "changed elsewhere");  // plain members reload at next load
  auto same = s.get<User>(1);
  EXPECT_EQ(same, u);
  EXPECT_EQ(u->name, "again");
}

TEST_P(SessionStates, RollbackExpungesNewAndRestoresDeleted) {
  retort::Session s(engine());
  auto keep = make<User>({.name = "keep"});
  s.add(keep);
  s.commit();
  auto fresh = make<User>({.name = "fresh"});
  s.add(fresh);
  s.flush();
  s.remove(keep);
  s.flush();
  EXPECT_TRUE(retort::inspect(keep).deleted());
  s.rollback();
  EXPECT_TRUE(retort::inspect(fresh).transient());
  EXPECT_TRUE(retort::inspect(keep).persistent());
  EXPECT_EQ(count("users"), 1);
}

// Objects inserted in the transaction and then deleted (one flushed, one
// only marked) are transient after a rollback, and the Session can add
// them again.
TEST_P(SessionStates, RollbackOfInsertedThenDeletedObjects) {
  retort::Session s(engine());
  auto a = make<User>({.name = "a"});
  auto b = make<User>({.name = "b"});
  auto c = make<User>({.name = "c"});
  s.add(a);
  s.add(b);
  s.add(c);
  s.flush();
  s.remove(a);
  s.flush();  // a: DELETE emitted
  s.remove(b);  // b: marked only
  EXPECT_TRUE(retort::inspect(a).deleted());
  s.rollback();
  for (auto* u : {&a, &b, &c}) EXPECT_TRUE(retort::inspect(*u).transient()) << (*u)->name;
  EXPECT_EQ(s.size(), 0u);
  a->id = 0;
  b->id = 0;
  c->id = 0;
  s.add(a);
  s.add(b);
  s.commit();
  EXPECT_TRUE(retort::inspect(a).persistent());
  EXPECT_EQ(count("users"), 2);
}

// close() with a transaction open rolls its work back: an object it
// inserted is transient, one it deleted is detached and can be deleted by
// another Session.
TEST_P(SessionStates, CloseWithAnOpenTransactionUndoesItsWork) {
  auto kept = make<User>({.name = "kept"});
  {
    retort::Session s(engine());
    s.add(kept);
    s.commit();
  }
  auto fresh = make<User>({.name = "fresh"});
  {
    retort::Session s(engine());
    s.add(fresh);
    s.add(kept);
    s.remove(kept);
    s.flush();
    EXPECT_TRUE(retort::inspect(kept).deleted());
    EXPECT_TRUE(retort::inspect(fresh).persistent());
    s.close();
  }
  EXPECT_TRUE(retort::inspect(fresh).transient());
  EXPECT_TRUE(retort::inspect(kept).detached());
  EXPECT_EQ(count("users"), 1);
  retort::Session s(engine());
  s.add(kept);
  EXPECT_TRUE(retort::inspect(kept).persistent());
  s.remove(kept);
  s.commit();
  EXPECT_EQ(count("users"), 0);
}

// A large delete leaves the Session in one pass at commit.
TEST_P(SessionStates, CommitOfManyDeletesDetachesThem) {
  std::vector<retort::Ptr<User>> users;
  retort::Session s(engine());
  for (int i = 0; i < 2000; ++i) {
    users.push_back(make<User>({.name = "u" + std::to_string(i)}));
    s.add(users.back());
  }
  s.commit();
  for (std::size_t i = 0; i < users.size(); i += 2) s.remove(users[i]);
  s.commit();
  EXPECT_EQ(s.size(), 1000u);
  EXPECT_EQ(count("users"), 1000);
  for (std::size_t i = 0; i < users.size(); ++i)
    EXPECT_EQ(retort::inspect(users[i]).persistent(), i % 2 == 1) << i;
}

TEST_P(SessionStates, MergeCopiesOntoPersistent) {
  {
    retort::Session s(engine());
    s.add(make<User>({.name = "a"}));
    s.commit();
  }
  retort::Session s(engine());
  auto detached = make<User>({.id = 1, .name = "merged"});
  auto merged = s.merge(detached);
  EXPECT_NE(merged, detached);
  EXPECT_TRUE(retort::inspect(merged).persistent());
  EXPECT_TRUE(retort::inspect(detached).transient());
  EXPECT_EQ(merged->name, "merged");
  auto fresh = s.merge(make<User>({.name = "new one"}));
  EXPECT_TRUE(retort::inspect(fresh).pending());
  s.commit();
  EXPECT_EQ(count("users", "name = 'merged'"), 1);
  EXPECT_EQ(count("users"), 2);
}

TEST_P(SessionStates, ObjectInAnotherSessionIsRejected) {
  retort::Session s1(engine()), s2(engine());
  auto u = make<User>({.name = "a"});
  s1.add(u);
  EXPECT_THROW(s2.add(u), retort::InvalidRequestError);
}

TEST_P(SessionStates, CompositeKey) {
  retort::Session s(engine());
  s.add(make<Pair>({.a = 1, .b = "x", .weight = 1.5}));
  s.add(make<Pair>({.a = 1, .b = "y", .weight = 2.5, .note = "n"}));
  s.commit();
  auto p = s.get<Pair>({1, "y"});
  ASSERT_TRUE(p);
  EXPECT_EQ(p->weight, 2.5);
  p->weight = 3;
  s.commit();
  EXPECT_EQ(count("pairs", "weight = 3"), 1);
  retort::Session s2(engine());
  EXPECT_EQ(s2.get<Pair>({1, "y"})->note, "n");
}

RETORT_ORM_SUITE(SessionStates);
