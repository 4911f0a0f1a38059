// The identity map keyed by the objects' snapshots (src/orm/identity_map.hpp):
// many objects, erasures in the middle of probe runs, primary key changes,
// composite keys, expunge / rollback.
#include <gtest/gtest.h>

#include "fixture.hpp"

namespace {
// A DATE primary key: SQLite returns it as text, the member holds a Date.
struct Day {
  retort::Date date{};
  std::string note{};
};
}  // namespace

template <>
struct retort::Mapping<Day> {
  static constexpr auto table = "days";
  static void define(auto& m) {
    m.column("date", &Day::date, retort::primary_key);
    m.column("note", &Day::note);
  }
};

using namespace orm_test;
using retort::make;

class IdentityMap : public OrmTest {};

// Enough objects to grow the table several times; deleting every third one
// leaves holes inside probe runs that the others must still be found across.
TEST_P(IdentityMap, ObjectsStayFindableAcrossGrowthAndErasure) {
  retort::Session s(engine());
  std::vector<retort::Ptr<User>> users;
  for (int i = 0; i < 300; ++i) {
    users.push_back(make<User>({.name = "u" + std::to_string(i)}));
    s.add(users.back());
  }
  s.commit();
  for (std::size_t i = 0; i < users.size(); i += 3) s.remove(users[i]);
  s.commit();
  take_statements();
  for (std::size_t i = 0; i < users.size(); ++i) {
    if (i % 3 == 0) continue;
    EXPECT_EQ(s.get<User>(users[i]->id), users[i]) << i;
  }
  EXPECT_TRUE(take_statements().empty());  // all hits
  EXPECT_EQ(s.size(), 200u);
  EXPECT_FALSE(s.get<User>(users[0]->id));  // deleted: a miss that queries
  EXPECT_EQ(take_statements().size(), 1u);
}

// A flush makes room for its inserted rows in one step (IdentityMap::reserve),
// rehashing the objects already in the map: all of them stay findable.
TEST_P(IdentityMap, FlushesIntoANonEmptyMapKeepEveryObjectFindable) {
  retort::Session s(engine());
  std::vector<retort::Ptr<User>> users;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 100 << round; ++i) {
      users.push_back(make<User>({.name = "r" + std::to_string(round) + "u" + std::to_string(i)}));
      s.add(users.back());
    }
    s.commit();
  }
  take_statements();
  for (std::size_t i = 0; i < users.size(); ++i) EXPECT_EQ(s.get<User>(users[i]->id), users[i]) << i;
  EXPECT_TRUE(take_statements().empty());  // all hits
  EXPECT_EQ(s.size(), 700u);
}

TEST_P(IdentityMap, QueryYieldsTheObjectsAlreadyLoaded) {
  retort::Session s(engine());
  for (int i = 0; i < 50; ++i) s.add(make<User>({.name = "u" + std::to_string(i)}));
  s.commit();
  auto first = s.query<User>().all();
  auto second = s.query<User>().all();
  ASSERT_EQ(first.size(), 50u);
  EXPECT_EQ(first, second);
  EXPECT_EQ(s.size(), 50u);
}

// The map reads keys from snapshots: a flushed primary key change moves the
// entry to the new key.
TEST_P(IdentityMap, PrimaryKeyChangeMovesTheEntry) {
  retort::Session s(engine());
  s.add(make<Pair>({.a = 1, .b = "x", .weight = 1}));
  s.add(make<Pair>({.a = 1, .b = "y", .weight = 2}));
  s.commit();
  auto p = s.get<Pair>({1, "x"});
  ASSERT_TRUE(p);
  p->b = "z";
  s.commit();
  EXPECT_EQ(count("pairs", "b = 'z'"), 1);
  take_statements();
  EXPECT_EQ(s.get<Pair>({1, "z"}), p);  // a hit
  EXPECT_TRUE(take_statements().empty());
  EXPECT_FALSE(s.get<Pair>({1, "x"}));  // gone: queries, finds nothing
  // The old key is free for a new row.
  auto q = make<Pair>({.a = 1, .b = "x", .weight = 3});
  s.add(q);
  s.commit();
  EXPECT_EQ(s.get<Pair>({1, "x"}), q);
  s.expunge(p);  // erased under its new key
  EXPECT_EQ(s.size(), 2u);
  auto again = s.get<Pair>({1, "z"});
  ASSERT_TRUE(again);
  EXPECT_NE(again, p);
  EXPECT_EQ(again->weight, 1);
}

TEST_P(IdentityMap, RollbackRestoresDeletedAndDropsInserted) {
  retort::Session s(engine());
  s.add(make<Pair>({.a = 1, .b = "x", .weight = 1}));
  s.commit();
  auto p = s.get<Pair>({1, "x"});
  s.remove(p);
  s.flush();
  auto q = make<Pair>({.a = 1, .b = "x", .weight = 2});  // takes the deleted row's key
  s.add(q);
  s.flush();
  EXPECT_EQ(s.get<Pair>({1, "x"}), q);
  s.rollback();
  EXPECT_EQ(s.get<Pair>({1, "x"}), p);
  EXPECT_EQ(p->weight, 1);
  EXPECT_TRUE(retort::inspect(q).transient());
}

// Rows are keyed as the key member's type, so a query's objects are the ones
// get() finds, and expunge removes them, whatever the driver returns.
TEST_P(IdentityMap, DateKeyLoadedByQueryIsFoundByGet) {
  retort::create_all<Day>(engine());
  const retort::Date d1 = std::chrono::sys_days(std::chrono::year(2024) / 2 / 29);
  const retort::Date d2 = d1 + std::chrono::days(1);
  {
    retort::Session s(engine());
    s.add(make<Day>({.date = d1, .note = "leap"}));
    s.add(make<Day>({.date = d2, .note = "march"}));
    s.commit();
  }
  retort::Session s(engine());
  auto days = s.query<Day>().all();
  ASSERT_EQ(days.size(), 2u);
  take_statements();
  auto got = s.get<Day>(d1);
  EXPECT_TRUE(take_statements().empty());
  ASSERT_TRUE(got);
  EXPECT_EQ(got->note, "leap");
  EXPECT_TRUE(got == days[0] || got == days[1]);
  s.expunge(got);
  EXPECT_EQ(s.size(), 1u);
  auto again = s.query<Day>().all();
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(s.size(), 2u);
}

RETORT_ORM_SUITE(IdentityMap);
