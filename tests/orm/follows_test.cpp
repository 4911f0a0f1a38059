// A self-referential many-to-many: accounts follow accounts through one
// association table, seen from both ends (following / followers).
#include <gtest/gtest.h>

#include <algorithm>

#include "fixture.hpp"

namespace follows_test {

struct Account {
  std::int64_t id = 0;
  std::string name{};
  retort::Many<Account> following{};
  retort::Many<Account> followers{};
};

}  // namespace follows_test

template <>
struct retort::Mapping<follows_test::Account> {
  static constexpr auto table = "accounts";
  static void define(auto& m) {
    using follows_test::Account;
    m.column("id", &Account::id, retort::primary_key);
    m.column("name", &Account::name);
    m.many_to_many("following", &Account::following, &Account::followers,
                   retort::secondary("follows", "follower_id", "followed_id"));
    m.many_to_many("followers", &Account::followers, &Account::following,
                   retort::secondary("follows", "followed_id", "follower_id"));
  }
};

namespace follows_test {
namespace {

using retort::make;

class Follows : public orm_test::LoggedEngineTest {
 protected:
  void SetUp() override {
    LoggedEngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    retort::create_all<Account>(engine());
    // ann follows bob and cid; bob follows ann.
    retort::Session s(engine());
    auto ann = make<Account>({.name = "ann"});
    auto bob = make<Account>({.name = "bob"});
    auto cid = make<Account>({.name = "cid"});
    ann->following.push_back(bob);
    ann->following.push_back(cid);
    bob->following.push_back(ann);
    s.add_all(ann, bob, cid);
    s.commit();
    statements.clear();
  }
  static std::string names(const retort::Many<Account>& m) {
    std::vector<std::string> v;
    for (auto& a : m) v.push_back(a->name);
    std::sort(v.begin(), v.end());
    std::string out;
    for (auto& n : v) out += (out.empty() ? "" : ",") + n;
    return out;
  }
  retort::Ptr<Account> named(retort::Session& s, const std::string& n) {
    return s.query<Account>().filter(retort::col(&Account::name) == n).one();
  }
};

TEST_P(Follows, OneRowPerLinkBothEndsInSync) {
  EXPECT_EQ(scalar("SELECT count(*) FROM follows"), 3);
  EXPECT_EQ(scalar("SELECT count(*) FROM follows f JOIN accounts a ON a.id = f.follower_id "
                   "WHERE a.name = 'ann'"), 2);
  auto x = make<Account>({.name = "x"});
  auto y = make<Account>({.name = "y"});
  x->following.push_back(y);
  EXPECT_EQ(names(y->followers), "x");
  y->followers.remove(x);
  EXPECT_TRUE(x->following.empty());
}

TEST_P(Follows, LoadsBothDirections) {
  retort::Session s(engine());
  auto ann = named(s, "ann");
  EXPECT_EQ(names(ann->following), "bob,cid");
  EXPECT_EQ(names(ann->followers), "bob");
  auto cid = named(s, "cid");
  EXPECT_EQ(names(cid->followers), "ann");
  EXPECT_EQ(names(cid->following), "");
}

TEST_P(Follows, SelectinAndJoinedLoadAWholeLevel) {
  {
    retort::Session s(engine());
    statements.clear();
    auto all = s.query<Account>()
                   .options(retort::selectinload(&Account::following), retort::selectinload(&Account::followers))
                   .order_by(retort::col(&Account::name))
                   .all();
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(names(all[0]->following), "bob,cid");
    EXPECT_EQ(names(all[1]->followers), "ann");
    EXPECT_EQ(names(all[2]->following), "");
    EXPECT_EQ(statements.size(), 3u);
  }
  retort::Session s(engine());
  statements.clear();
  auto all = s.query<Account>().options(retort::joinedload(&Account::followers)).order_by(retort::col(&Account::name)).all();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(names(all[0]->followers), "bob");
  EXPECT_EQ(names(all[2]->followers), "ann");
  EXPECT_EQ(statements.size(), 1u);
}

TEST_P(Follows, UnfollowingAndDeletingRemoveTheRows) {
  {
    retort::Session s(engine());
    auto ann = named(s, "ann");
    auto cid = named(s, "cid");
    cid->followers.remove(ann);
    s.commit();
  }
  EXPECT_EQ(scalar("SELECT count(*) FROM follows"), 2);
  {
    retort::Session s(engine());
    s.remove(named(s, "bob"));
    s.commit();
  }
  EXPECT_EQ(scalar("SELECT count(*) FROM follows"), 0);
  EXPECT_EQ(scalar("SELECT count(*) FROM accounts"), 2);
}

RETORT_ORM_SUITE(Follows);

}  // namespace
}  // namespace follows_test
