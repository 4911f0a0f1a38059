// back_populates keeps both sides in sync in memory on every mutation, for
// transient, pending and persistent objects, before any flush.
#include <gtest/gtest.h>

#include "fixture.hpp"

using namespace orm_test;
using retort::make;

namespace {

template <class P>
bool has(const retort::Many<P>& many, const retort::Ptr<P>& p) {
  return many.contains(p);
}

// The mutation checks, run on objects in any state.
void check_mutations(retort::Ptr<User> u1, retort::Ptr<User> u2, retort::Ptr<Post> p) {
  // assign
  p->author = u1;
  EXPECT_TRUE(has(u1->posts, p));
  EXPECT_EQ(p->author.get(), u1.get());
  // reassign: leaves the old parent's collection
  p->author = u2;
  EXPECT_FALSE(has(u1->posts, p));
  EXPECT_TRUE(has(u2->posts, p));
  // set to null
  p->author = nullptr;
  EXPECT_FALSE(has(u2->posts, p));
  EXPECT_TRUE(p->author == nullptr);
  // append sets the back reference
  u1->posts.push_back(p);
  EXPECT_EQ(p->author.get(), u1.get());
  EXPECT_EQ(u1->posts.size(), 1u);
  // append is idempotent
  u1->posts.push_back(p);
  EXPECT_EQ(u1->posts.size(), 1u);
  // append to another parent moves it
  u2->posts.push_back(p);
  EXPECT_FALSE(has(u1->posts, p));
  EXPECT_EQ(p->author.get(), u2.get());
  // remove clears the back reference
  u2->posts.remove(p);
  EXPECT_TRUE(u2->posts.empty());
  EXPECT_TRUE(p->author == nullptr);
  // clear
  auto q = make<Post>({.title = "q"});
  u1->posts.push_back(p);
  u1->posts.push_back(q);
  EXPECT_EQ(u1->posts.size(), 2u);
  u1->posts.clear();
  EXPECT_TRUE(u1->posts.empty());
  EXPECT_TRUE(p->author == nullptr);
  EXPECT_TRUE(q->author == nullptr);
}

}  // namespace

TEST(BackrefMutations, Transient) {
  check_mutations(make<User>({.name = "a"}), make<User>({.name = "b"}), make<Post>({.title = "p"}));
  EXPECT_EQ(Live::count, 0);
}

TEST(BackrefMutations, DesignatedInitializerBindsBothSides) {
  auto u = make<User>({.name = "a"});
  auto p = make<Post>({.title = "p", .author = u});
  EXPECT_TRUE(u->posts.contains(p));
  EXPECT_EQ(p->author.get(), u.get());
  auto u2 = make<User>({.name = "b", .posts = {p, make<Post>({.title = "q"})}});
  EXPECT_EQ(u2->posts.size(), 2u);
  EXPECT_FALSE(u->posts.contains(p));
  EXPECT_EQ(p->author.get(), u2.get());
  EXPECT_EQ(u2->posts[1]->author.get(), u2.get());
}

TEST(BackrefMutations, UnboundStructHoldsTargetsStrongly) {
  {
    User local{.name = "stack"};
    local.posts.push_back(make<Post>({.title = "held"}));
    EXPECT_EQ(local.posts.size(), 1u);
    EXPECT_EQ(local.posts[0]->title, "held");
    Post lp{.title = "x"};
    lp.author = make<User>({.name = "held too"});
    EXPECT_EQ(lp.author->name, "held too");
  }
  EXPECT_EQ(Live::count, 0);
}

class BackrefMutationsDb : public OrmTest {};

TEST_P(BackrefMutationsDb, Pending) {
  retort::Session s(engine());
  auto u1 = make<User>({.name = "a"});
  auto u2 = make<User>({.name = "b"});
  auto p = make<Post>({.title = "p"});
  s.add_all(u1, u2, p);
  check_mutations(u1, u2, p);
  EXPECT_TRUE(statements.empty());  // nothing flushed
}

TEST_P(BackrefMutationsDb, Persistent) {
  {
    retort::Session s(engine());
    auto u1 = make<User>({.name = "a"});
    auto u2 = make<User>({.name = "b"});
    auto p = make<Post>({.title = "p"});
    s.add_all(u1, u2, p);
    s.commit();
    take_statements();
    check_mutations(u1, u2, p);
    EXPECT_TRUE(retort::inspect(p).persistent());
    s.commit();
  }
  // p ended as an orphan of a delete-orphan collection: deleted; q was
  // cascaded in by u1 and orphaned while pending: expunged, never inserted.
  EXPECT_EQ(count("posts"), 0);
  EXPECT_EQ(count("users"), 2);
}

TEST_P(BackrefMutationsDb, LoadedObjects) {
  {
    retort::Session s(engine());
    s.add(make<User>({.name = "a", .posts = {make<Post>({.title = "p1"}), make<Post>({.title = "p2"})}}));
    s.add(make<User>({.name = "b"}));
    s.commit();
  }
  retort::Session s(engine());
  auto a = s.get<User>(1);
  auto b = s.get<User>(2);
  auto p1 = s.get<Post>(1);
  ASSERT_TRUE(a && b && p1);
  // The collection of a is not loaded yet; the move still shows on both sides.
  p1->author = b;
  EXPECT_TRUE(b->posts.contains(p1));
  EXPECT_EQ(a->posts.size(), 1u);  // lazy load after autoflush: p2 only
  EXPECT_EQ(a->posts[0]->title, "p2");
  s.commit();
  EXPECT_EQ(count("posts", "user_id = 2"), 1);
}

RETORT_ORM_SUITE(BackrefMutationsDb);

// A child is in the collection of the parent its reference names, and only
// there; appends rely on it to skip searching the collection. An expired
// child reassigned to the parent it already has stays in the collection once.
TEST_P(BackrefMutationsDb, ExpiredChildReassignedToItsParentStaysOnce) {
  {
    retort::Session s(engine());
    s.add(make<User>({.name = "a", .posts = {make<Post>({.title = "p1"}), make<Post>({.title = "p2"})}}));
    s.commit();
  }
  retort::Session s(engine());
  auto a = s.get<User>(1);
  ASSERT_TRUE(a);
  ASSERT_EQ(a->posts.size(), 2u);
  auto p1 = retort::Ptr<Post>(a->posts[0]);
  s.expire(p1);
  p1->author = a;
  a->posts.push_back(p1);
  EXPECT_EQ(a->posts.size(), 2u);
  EXPECT_EQ(p1->author.get(), a.get());
  s.commit();
  EXPECT_EQ(count("posts", "user_id = 1"), 2);
}
