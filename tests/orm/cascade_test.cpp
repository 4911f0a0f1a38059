// Cascades with SQLAlchemy's meanings: save-update, delete, delete-orphan,
// and what happens to children of a deleted parent without delete cascade.
#include <gtest/gtest.h>

#include "fixture.hpp"

using namespace orm_test;
using retort::make;

class Cascade : public OrmTest {};

TEST_P(Cascade, SaveUpdateReachesChildrenAddedLater) {
  retort::Session s(engine());
  auto u = make<User>({.name = "u"});
  s.add(u);
  s.commit();
  u->posts.push_back(make<Post>({.title = "late"}));
  EXPECT_TRUE(retort::inspect(u->posts[0]).pending());
  s.commit();
  EXPECT_EQ(count("posts"), 1);
}

TEST_P(Cascade, DeleteOrphanDeletesRemovedChild) {
  retort::Session s(engine());
  auto u = make<User>({.name = "u", .posts = {make<Post>({.title = "a"}), make<Post>({.title = "b"})}});
  s.add(u);
  s.commit();
  u->posts.remove(u->posts[0]);
  s.commit();
  EXPECT_EQ(count("posts"), 1);
  EXPECT_EQ(count("posts", "title = 'b'"), 1);
}

TEST_P(Cascade, DeleteOrphanAfterLazyLoad) {
  {
    retort::Session s(engine());
    s.add(make<User>({.name = "u", .posts = {make<Post>({.title = "a"}), make<Post>({.title = "b"})}}));
    s.commit();
  }
  retort::Session s(engine());
  auto u = s.get<User>(1);
  u->posts.clear();  // loads, then orphans both
  s.commit();
  EXPECT_EQ(count("posts"), 0);
  EXPECT_EQ(count("users"), 1);
}

TEST_P(Cascade, MovedChildIsNotAnOrphan) {
  retort::Session s(engine());
  auto a = make<User>({.name = "a", .posts = {make<Post>({.title = "p"})}});
  auto b = make<User>({.name = "b"});
  s.add_all(a, b);
  s.commit();
  a->posts[0]->author = b;
  s.commit();
  EXPECT_EQ(count("posts", "user_id = " + std::to_string(b->id)), 1);
}

TEST_P(Cascade, DeleteCascadeLoadsAndDeletesChildren) {
  {
    retort::Session s(engine());
    s.add(make<Group>({.name = "g", .items = {make<Item>({.name = "i1"}), make<Item>({.name = "i2"})}}));
    s.commit();
  }
  retort::Session s(engine());
  s.remove(s.get<Group>(1));  // loads items (SELECT), marks them
  s.commit();
  EXPECT_EQ(count("items"), 0);
  EXPECT_EQ(count("groups_"), 0);
}

TEST_P(Cascade, WithoutDeleteCascadeNotNullChildKeyFailsClearly) {
  retort::Session s(engine());
  auto f = make<Folder>({.label = "f", .docs = {make<Doc>({.body = "d"})}});
  s.add(f);
  s.commit();
  s.remove(f);
  // Doc.folder_id is NOT NULL and Folder.docs has no delete cascade.
  EXPECT_THROW(s.flush(), retort::InvalidRequestError);
  EXPECT_EQ(count("docs"), 1);
  EXPECT_EQ(count("folders"), 1);
}

TEST_P(Cascade, WithoutDeleteCascadeChildrenGetNull) {
  {
    retort::Session s(engine());
    s.add(make<Team>({.name = "t", .members = {make<Member>({.name = "m1"}), make<Member>({.name = "m2"})}}));
    s.commit();
  }
  retort::Session s(engine());
  s.remove(s.get<Team>(1));
  s.commit();  // UPDATE members SET team_id = NULL, then DELETE the team
  EXPECT_EQ(count("teams"), 0);
  EXPECT_EQ(count("members", "team_id IS NULL"), 2);
}

TEST_P(Cascade, UnlinkedChildWithoutDeleteOrphanKeepsRowWithNullKey) {
  {
    retort::Session s(engine());
    s.add(make<Group>({.name = "g", .items = {make<Item>({.name = "i"})}}));
    s.commit();
  }
  retort::Session s(engine());
  auto g = s.get<Group>(1);
  auto item = g->items[0];
  item->group = nullptr;
  s.commit();
  EXPECT_EQ(count("items", "group_id IS NULL"), 1);
}

RETORT_ORM_SUITE(Cascade);
