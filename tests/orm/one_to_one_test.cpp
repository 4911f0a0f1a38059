// One-to-one relationships: a scalar on both sides, a UNIQUE foreign key, and
// replacing the child in one flush (the old row is deleted or its key nulled
// before the new row takes the key — SQLAlchemy 1.4/2.0 raise IntegrityError
// on the same flush).
#include <algorithm>

#include "citizen_models.hpp"
#include "fixture.hpp"

namespace o2o_test {

struct Profile;
struct Person {
  std::int64_t id = 0;
  std::string name{};
  retort::One<Profile> profile{};
};
// The child owns the key: UNIQUE NOT NULL, deleted when it loses its person.
struct Profile {
  std::int64_t id = 0;
  std::int64_t person_id = 0;
  std::string bio{};
  retort::One<Person> person{};
};

using citizen_models::Citizen;
using citizen_models::Passport;

}  // namespace o2o_test

template <>
struct retort::Mapping<o2o_test::Person> {
  static constexpr auto table = "persons";
  static void define(auto& m) {
    using namespace o2o_test;
    m.column("id", &Person::id, retort::primary_key);
    m.column("name", &Person::name);
    m.one_to_one("profile", &Person::profile, &Profile::person,
                 retort::cascade::all | retort::cascade::delete_orphan);
  }
};
template <>
struct retort::Mapping<o2o_test::Profile> {
  static constexpr auto table = "profiles";
  static void define(auto& m) {
    using namespace o2o_test;
    m.column("id", &Profile::id, retort::primary_key);
    m.column("person_id", &Profile::person_id, retort::references(&Person::id), retort::unique);
    m.column("bio", &Profile::bio);
    m.many_to_one("person", &Profile::person, &Person::profile);
  }
};
namespace o2o_test {
namespace {

using retort::make;

class OneToOne : public orm_test::LoggedEngineTest {
 protected:
  void SetUp() override {
    LoggedEngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    retort::create_all<Person, Profile, Citizen, Passport>(engine());
    statements.clear();
  }
  /// Commits Ann (profile "ann's") and Ben (profile "ben's"), Cid (passport
  /// "P1") and Dee (no passport); forgets the statements.
  void seed() {
    retort::Session s(engine());
    s.add(make<Person>({.name = "Ann", .profile = make<Profile>({.bio = "ann's"})}));
    s.add(make<Person>({.name = "Ben", .profile = make<Profile>({.bio = "ben's"})}));
    s.add(make<Citizen>({.number = "C-1", .passport = make<Passport>({.code = "P1"})}));
    s.add(make<Citizen>({.number = "C-2"}));
    s.commit();
    statements.clear();
  }
  retort::Ptr<Person> person(retort::Session& s, const std::string& name) {
    return s.query<Person>().filter(retort::col(&Person::name) == name).one();
  }
  long find(const std::string& prefix) const { return find_prefix(statements, prefix); }
};

TEST_P(OneToOne, TheForeignKeyIsUnique) {
  seed();
  EXPECT_THROW(engine().connect().execute("INSERT INTO profiles (person_id, bio) VALUES (1, 'dup')"),
               retort::IntegrityError);
}

TEST_P(OneToOne, BothSidesAreScalarsKeptInSync) {
  auto ann = make<Person>({.name = "Ann"});
  auto p1 = make<Profile>({.bio = "one"});
  ann->profile = p1;
  EXPECT_EQ(p1->person.get(), ann.get());
  auto p2 = make<Profile>({.bio = "two"});
  p2->person = ann;  // from the child side: Ann's profile moves to p2
  EXPECT_EQ(ann->profile.get(), p2.get());
  EXPECT_FALSE(p1->person);
  ann->profile = nullptr;
  EXPECT_FALSE(p2->person);
  EXPECT_FALSE(ann->profile);
}

TEST_P(OneToOne, SavesAndLoadsBothWays) {
  seed();
  EXPECT_EQ(scalar("SELECT count(*) FROM profiles"), 2);
  EXPECT_EQ(scalar("SELECT person_id FROM profiles WHERE bio = 'ben''s'"),
            scalar("SELECT id FROM persons WHERE name = 'Ben'"));
  retort::Session s(engine());
  auto ben = person(s, "Ben");
  statements.clear();
  ASSERT_TRUE(ben->profile);
  EXPECT_EQ(ben->profile->bio, "ben's");
  EXPECT_EQ(statements.size(), 1u);  // the lazy load
  EXPECT_EQ(ben->profile->person.get(), ben.get());
  EXPECT_EQ(statements.size(), 1u);  // the back reference was set by that load
  auto dee = s.query<Citizen>().filter(retort::col(&Citizen::number) == "C-2").one();
  EXPECT_FALSE(dee->passport);
}

TEST_P(OneToOne, ReplacingTheChildDeletesTheOldRowBeforeInsertingTheNew) {
  seed();
  retort::Session s(engine());
  auto ann = person(s, "Ann");
  auto old = ann->profile.ptr();
  ann->profile = make<Profile>({.bio = "ann's new"});
  EXPECT_FALSE(old->person);
  statements.clear();
  ASSERT_NO_THROW(s.commit());
  long del = find("DELETE FROM profiles"), ins = find("INSERT INTO profiles");
  ASSERT_GE(del, 0);
  ASSERT_GE(ins, 0);
  EXPECT_LT(del, ins);
  EXPECT_EQ(scalar("SELECT count(*) FROM profiles"), 2);
  EXPECT_EQ(scalar("SELECT count(*) FROM profiles WHERE bio = 'ann''s new' AND person_id = " +
                   std::to_string(ann->id)), 1);
  EXPECT_EQ(scalar("SELECT count(*) FROM profiles WHERE bio = 'ann''s'"), 0);
  EXPECT_TRUE(retort::inspect(old).detached());
}

TEST_P(OneToOne, ReplacingFromTheChildSideLoadsTheOldChildFirst) {
  seed();
  retort::Session s(engine());
  auto ann = person(s, "Ann");
  statements.clear();
  // Ann's profile is not loaded: taking her as the new profile's person
  // loads the old one (one SELECT, no autoflush), which becomes an orphan.
  auto fresh = make<Profile>({.bio = "replacement", .person = ann});
  EXPECT_EQ(count_prefix(statements, "SELECT"), 1u);
  EXPECT_EQ(ann->profile.get(), fresh.get());
  s.commit();
  EXPECT_EQ(scalar("SELECT count(*) FROM profiles"), 2);
  EXPECT_EQ(scalar("SELECT count(*) FROM profiles WHERE bio = 'replacement'"), 1);
}

TEST_P(OneToOne, ReplacingWithoutDeleteOrphanNullsTheOldKeyFirst) {
  seed();
  retort::Session s(engine());
  auto cid = s.query<Citizen>().filter(retort::col(&Citizen::number) == "C-1").one();
  auto old = cid->passport.ptr();
  cid->passport = make<Passport>({.code = "P2"});
  statements.clear();
  ASSERT_NO_THROW(s.commit());
  long upd = find("UPDATE passports"), ins = find("INSERT INTO passports");
  ASSERT_GE(upd, 0);
  ASSERT_GE(ins, 0);
  EXPECT_LT(upd, ins);
  EXPECT_EQ(scalar("SELECT count(*) FROM passports"), 2);
  EXPECT_EQ(scalar("SELECT count(*) FROM passports WHERE code = 'P1' AND citizen_id IS NULL"), 1);
  EXPECT_EQ(scalar("SELECT citizen_id FROM passports WHERE code = 'P2'"), cid->id);
  EXPECT_FALSE(old->citizen);
}

TEST_P(OneToOne, MovingAChildToAnotherParentReleasesThatParentsOldChild) {
  seed();
  retort::Session s(engine());
  auto ann = person(s, "Ann");
  auto ben = person(s, "Ben");
  auto bens = ben->profile.ptr();
  ann->profile = bens;  // Ann's old profile is an orphan; Ben has none
  EXPECT_FALSE(ben->profile);
  ASSERT_NO_THROW(s.commit());
  EXPECT_EQ(scalar("SELECT count(*) FROM profiles"), 1);
  EXPECT_EQ(scalar("SELECT person_id FROM profiles WHERE bio = 'ben''s'"), ann->id);
}

TEST_P(OneToOne, DeletingTheParentCascades) {
  seed();
  retort::Session s(engine());
  s.remove(person(s, "Ann"));
  s.commit();
  EXPECT_EQ(scalar("SELECT count(*) FROM persons"), 1);
  EXPECT_EQ(scalar("SELECT count(*) FROM profiles"), 1);
}

TEST_P(OneToOne, DeletingTheParentWithoutCascadeNullsTheChildKey) {
  seed();
  retort::Session s(engine());
  s.remove(s.query<Citizen>().filter(retort::col(&Citizen::number) == "C-1").one());
  s.commit();
  EXPECT_EQ(scalar("SELECT count(*) FROM citizens"), 1);
  EXPECT_EQ(scalar("SELECT count(*) FROM passports WHERE citizen_id IS NULL"), 1);
}

TEST_P(OneToOne, DeletingARowAndReusingItsUniqueValueInOneFlush) {
  seed();
  retort::Session s(engine());
  auto dee = s.query<Citizen>().filter(retort::col(&Citizen::number) == "C-2").one();
  s.remove(dee);
  auto fresh = make<Citizen>({.number = "C-2"});
  s.add(fresh);
  ASSERT_NO_THROW(s.commit());
  EXPECT_EQ(scalar("SELECT count(*) FROM citizens WHERE number = 'C-2'"), 1);
  EXPECT_EQ(scalar("SELECT count(*) FROM citizens"), 2);
  EXPECT_TRUE(retort::inspect(dee).detached());
  // SQLite gives the new row the deleted row's rowid: the identity map must
  // hold the new object under it.
  EXPECT_EQ(s.get<Citizen>(fresh->id).get(), fresh.get());
}

TEST_P(OneToOne, RenamingARowAndReusingItsUniqueValueInOneFlush) {
  seed();
  retort::Session s(engine());
  auto dee = s.query<Citizen>().filter(retort::col(&Citizen::number) == "C-2").one();
  dee->number = "C-3";
  s.add(make<Citizen>({.number = "C-2"}));
  ASSERT_NO_THROW(s.commit());
  EXPECT_EQ(scalar("SELECT count(*) FROM citizens"), 3);
  EXPECT_EQ(scalar("SELECT id FROM citizens WHERE number = 'C-3'"), dee->id);
}

TEST_P(OneToOne, AViolationStillRaisesAndTheSessionStaysUsable) {
  seed();
  retort::Session s(engine());
  auto ann = person(s, "Ann");
  // A second profile for Ann through the column only (no relationship
  // change frees the first): the database refuses it.
  s.add(make<Profile>({.person_id = ann->id, .bio = "dup"}));
  EXPECT_THROW(s.commit(), retort::IntegrityError);
  EXPECT_EQ(scalar("SELECT count(*) FROM profiles"), 2);
  s.rollback();  // expunges the pending duplicate, as SQLAlchemy's does
  ann = person(s, "Ann");
  ann->name = "Ann B.";
  s.commit();
  EXPECT_EQ(scalar("SELECT count(*) FROM persons WHERE name = 'Ann B.'"), 1);
}

TEST_P(OneToOne, LoaderStrategiesAndStatementCounts) {
  seed();
  {
    retort::Session s(engine());
    auto people = s.query<Person>().all();
    statements.clear();
    for (auto& p : people) EXPECT_TRUE(p->profile);
    EXPECT_EQ(statements.size(), 2u);  // lazy: one per person
  }
  {
    retort::Session s(engine());
    statements.clear();
    auto people = s.query<Person>().options(retort::selectinload(&Person::profile)).all();
    for (auto& p : people) EXPECT_EQ(p->profile->person.get(), p.get());
    EXPECT_EQ(statements.size(), 2u);
  }
  {
    retort::Session s(engine());
    statements.clear();
    auto people = s.query<Person>().options(retort::joinedload(&Person::profile)).all();
    ASSERT_EQ(people.size(), 2u);
    for (auto& p : people) EXPECT_EQ(p->profile->person.get(), p.get());
    EXPECT_EQ(statements.size(), 1u);
  }
  {
    retort::Session s(engine());
    auto people = s.query<Citizen>().options(retort::joinedload(&Citizen::passport)).all();
    ASSERT_EQ(people.size(), 2u);
    std::size_t with = 0;
    for (auto& c : people) with += c->passport ? 1 : 0;
    EXPECT_EQ(with, 1u);
  }
  {
    retort::Session s(engine());
    auto people = s.query<Person>().options(retort::raiseload(&Person::profile)).all();
    EXPECT_THROW((void)people[0]->profile.get(), retort::InvalidRequestError);
  }
}

TEST_P(OneToOne, ExpireReloadsTheScalar) {
  seed();
  retort::Session s(engine());
  auto ann = person(s, "Ann");
  ASSERT_TRUE(ann->profile);
  engine().connect().execute("UPDATE profiles SET bio = 'changed' WHERE person_id = " + std::to_string(ann->id));
  s.expire(ann);
  s.refresh(ann->profile.ptr());
  EXPECT_EQ(ann->profile->bio, "changed");
}

RETORT_ORM_SUITE(OneToOne);

}  // namespace
}  // namespace o2o_test
