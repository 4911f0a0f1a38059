// passive_deletes: deleting a parent leaves its unloaded children to the
// database's ON DELETE CASCADE / SET NULL instead of loading them.
#include <algorithm>

#include "fixture.hpp"

namespace passive_test {

struct Book;
struct Author {
  std::int64_t id = 0;
  std::string name{};
  retort::Many<Book> books{};
};
struct Book {
  std::int64_t id = 0;
  std::int64_t author_id = 0;
  std::string title{};
  retort::One<Author> author{};
};

struct Slot;
struct Shelf {
  std::int64_t id = 0;
  std::string label{};
  retort::Many<Slot> slots{};
};
struct Slot {
  std::int64_t id = 0;
  std::optional<std::int64_t> shelf_id{};
  std::string item{};
  retort::One<Shelf> shelf{};
};

// passive_deletes without an ON DELETE rule: a mapping error.
struct Kid;
struct Parent {
  std::int64_t id = 0;
  retort::Many<Kid> kids{};
};
struct Kid {
  std::int64_t id = 0;
  std::int64_t parent_id = 0;
  retort::One<Parent> parent{};
};

}  // namespace passive_test

template <>
struct retort::Mapping<passive_test::Author> {
  static constexpr auto table = "authors";
  static void define(auto& m) {
    using namespace passive_test;
    m.column("id", &Author::id, retort::primary_key);
    m.column("name", &Author::name);
    // Options in any order.
    m.one_to_many("books", &Author::books, &Book::author, retort::order_by(&Book::title),
                  retort::passive_deletes, retort::cascade::all | retort::cascade::delete_orphan);
  }
};
template <>
struct retort::Mapping<passive_test::Book> {
  static constexpr auto table = "books";
  static void define(auto& m) {
    using namespace passive_test;
    m.column("id", &Book::id, retort::primary_key);
    m.column("author_id", &Book::author_id, retort::references(&Author::id, retort::FkAction::Cascade));
    m.column("title", &Book::title);
    m.many_to_one("author", &Book::author, &Author::books);
  }
};
template <>
struct retort::Mapping<passive_test::Shelf> {
  static constexpr auto table = "shelves";
  static void define(auto& m) {
    using namespace passive_test;
    m.column("id", &Shelf::id, retort::primary_key);
    m.column("label", &Shelf::label);
    m.one_to_many("slots", &Shelf::slots, &Slot::shelf, retort::passive_deletes);
  }
};
template <>
struct retort::Mapping<passive_test::Slot> {
  static constexpr auto table = "slots";
  static void define(auto& m) {
    using namespace passive_test;
    m.column("id", &Slot::id, retort::primary_key);
    m.column("shelf_id", &Slot::shelf_id, retort::foreign_key("shelves.id", retort::FkAction::SetNull));
    m.column("item", &Slot::item);
    m.many_to_one("shelf", &Slot::shelf, &Shelf::slots);
  }
};
template <>
struct retort::Mapping<passive_test::Parent> {
  static constexpr auto table = "pd_parents";
  static void define(auto& m) {
    using namespace passive_test;
    m.column("id", &Parent::id, retort::primary_key);
    m.one_to_many("kids", &Parent::kids, &Kid::parent, retort::cascade::all, retort::passive_deletes);
  }
};
template <>
struct retort::Mapping<passive_test::Kid> {
  static constexpr auto table = "pd_kids";
  static void define(auto& m) {
    using namespace passive_test;
    m.column("id", &Kid::id, retort::primary_key);
    m.column("parent_id", &Kid::parent_id, retort::references(&Parent::id));
    m.many_to_one("parent", &Kid::parent, &Parent::kids);
  }
};

namespace passive_test {
namespace {

using retort::make;

class PassiveDeletes : public orm_test::LoggedEngineTest {
 protected:
  void SetUp() override {
    LoggedEngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    retort::create_all<Author, Book, Shelf, Slot>(engine());
    retort::Session s(engine());
    s.add(make<Author>({.name = "Ann", .books = {make<Book>({.title = "b"}), make<Book>({.title = "a"})}}));
    s.add(make<Author>({.name = "Ben", .books = {make<Book>({.title = "c"})}}));
    s.add(make<Shelf>({.label = "top", .slots = {make<Slot>({.item = "x"}), make<Slot>({.item = "y"})}}));
    s.commit();
    statements.clear();
  }
  std::size_t count_containing(const std::string& part) const {
    return std::size_t(std::count_if(statements.begin(), statements.end(),
                                     [&](const std::string& s) { return s.find(part) != std::string::npos; }));
  }
};

TEST_P(PassiveDeletes, UnloadedChildrenAreLeftToOnDeleteCascade) {
  retort::Session s(engine());
  auto ann = s.query<Author>().filter(retort::col(&Author::name) == "Ann").one();
  statements.clear();
  s.remove(ann);
  s.commit();
  EXPECT_EQ(count_containing("FROM books"), 0u);  // neither SELECTed nor DELETEd by the ORM
  EXPECT_EQ(count_containing("DELETE FROM authors"), 1u);
  EXPECT_EQ(scalar("SELECT count(*) FROM books"), 1);  // Ben's
  EXPECT_EQ(scalar("SELECT count(*) FROM authors"), 1);
}

TEST_P(PassiveDeletes, LoadedChildrenAreStillDeletedByTheSession) {
  retort::Session s(engine());
  auto ann = s.query<Author>().filter(retort::col(&Author::name) == "Ann").one();
  ASSERT_EQ(ann->books.size(), 2u);
  EXPECT_EQ(ann->books[0]->title, "a");  // order_by given before the cascade flags
  retort::Ptr<Book> a = ann->books[0];
  statements.clear();
  s.remove(ann);
  s.commit();
  EXPECT_EQ(count_containing("DELETE FROM books"), 1u);
  EXPECT_TRUE(retort::inspect(a).detached());
  EXPECT_EQ(scalar("SELECT count(*) FROM books"), 1);
}

TEST_P(PassiveDeletes, UnloadedChildrenAreLeftToOnDeleteSetNull) {
  retort::Session s(engine());
  auto top = s.query<Shelf>().one();
  statements.clear();
  s.remove(top);
  s.commit();
  EXPECT_EQ(count_containing("slots"), 0u);
  EXPECT_EQ(scalar("SELECT count(*) FROM slots WHERE shelf_id IS NULL"), 2);
}

TEST_P(PassiveDeletes, WithoutAnOnDeleteRuleTheMappingIsRejected) {
  try {
    retort::orm::detail::mapper_of<Parent>().configure();
    FAIL() << "expected ArgumentError";
  } catch (const retort::ArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("pd_kids.parent_id"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("ON DELETE"), std::string::npos) << e.what();
  }
}

RETORT_ORM_SUITE(PassiveDeletes);

}  // namespace
}  // namespace passive_test
