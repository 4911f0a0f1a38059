// Loader strategies (retort/orm/loader.hpp) with the statements each load
// emits, on both databases: lazy is N+1, selectin is 1 + one per level (more
// only when a key list is chunked), joined is 1, raise throws, noload is empty.
#include <gtest/gtest.h>

#include "fixture.hpp"

using namespace orm_test;
using retort::col;
using retort::make;

class Loader : public OrmTest {
 protected:
  void SetUp() override {
    OrmTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    seed_three_users();
  }
  /// SELECTs since the last call; fails on anything else but BEGIN.
  std::size_t selects() {
    auto st = take_statements();
    std::size_t n = count_prefix(st, "SELECT");
    EXPECT_EQ(n + count_prefix(st, "BEGIN"), st.size());
    return n;
  }
  static std::string titles(const User& u) {
    std::string out;
    for (auto& p : u.posts) out += (out.empty() ? "" : ",") + p->title;
    return out;
  }
};

TEST_P(Loader, LazyIsNPlusOne) {
  retort::Session s(engine());
  auto users = s.query<User>().order_by(col(&User::id)).all();
  EXPECT_EQ(selects(), 1u);
  std::size_t n = 0;
  for (auto& u : users) n += u->posts.size();
  EXPECT_EQ(n, 3u);
  EXPECT_EQ(selects(), users.size());  // N
}

TEST_P(Loader, SelectinIsOneMoreSelect) {
  retort::Session s(engine());
  auto users = s.query<User>().options(retort::selectinload(&User::posts)).order_by(col(&User::id)).all();
  EXPECT_EQ(selects(), 2u);
  ASSERT_EQ(users.size(), 3u);
  EXPECT_EQ(titles(*users[0]), "a1,a2");
  EXPECT_EQ(titles(*users[1]), "b1");
  EXPECT_EQ(titles(*users[2]), "");
  for (auto& u : users)
    for (auto& p : u->posts) EXPECT_EQ(p->author.get(), u.get());  // back side set too
  EXPECT_EQ(selects(), 0u);
}

TEST_P(Loader, SelectinManyToOne) {
  {
  retort::Session s(engine());
  auto posts = s.query<Post>().options(retort::selectinload(&Post::author)).all();
  EXPECT_EQ(selects(), 2u);
  ASSERT_EQ(posts.size(), 3u);
  for (auto& p : posts) EXPECT_EQ(p->author->name, p->title[0] == 'a' ? "Alice" : "Bob");
  EXPECT_EQ(selects(), 0u);
  }
  // Authors already in the identity map need no SQL at all.
  retort::Session s2(engine());
  auto users = s2.query<User>().all();
  take_statements();
  auto posts2 = s2.query<Post>().options(retort::selectinload(&Post::author)).all();
  EXPECT_EQ(selects(), 1u);
  for (auto& p : posts2) EXPECT_TRUE(p->author);
  EXPECT_EQ(selects(), 0u);
}

TEST_P(Loader, JoinedIsOneSelect) {
  retort::Session s(engine());
  auto q = s.query<User>().options(retort::joinedload(&User::posts)).order_by(col(&User::id));
  auto users = q.all();
  auto st = take_statements();
  ASSERT_EQ(count_prefix(st, "SELECT"), 1u);
  EXPECT_NE(st.back().find("LEFT OUTER JOIN"), std::string::npos) << st.back();
  ASSERT_EQ(users.size(), 3u);  // one object per user, however many rows
  EXPECT_EQ(titles(*users[0]), "a1,a2");
  EXPECT_EQ(titles(*users[1]), "b1");
  EXPECT_EQ(titles(*users[2]), "");
  EXPECT_EQ(users[0]->posts[0]->author.get(), users[0].get());
  EXPECT_EQ(selects(), 0u);
}

TEST_P(Loader, JoinedInnerJoinDropsChildless) {
  retort::Session s(engine());
  auto users = s.query<User>().options(retort::joinedload(&User::posts, true)).all();
  auto st = take_statements();
  ASSERT_EQ(count_prefix(st, "SELECT"), 1u);
  EXPECT_EQ(st.back().find("LEFT OUTER"), std::string::npos);
  EXPECT_EQ(users.size(), 2u);  // Carol has no posts
}

TEST_P(Loader, JoinedManyToOneWithFilter) {
  retort::Session s(engine());
  auto posts = s.query<Post>()
                   .options(retort::joinedload(&Post::author))
                   .filter(col(&Post::title).like("a%"))
                   .all();
  EXPECT_EQ(selects(), 1u);
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(posts[0]->author->name, "Alice");
  EXPECT_EQ(posts[0]->author.get(), posts[1]->author.get());
  EXPECT_EQ(selects(), 0u);
}

TEST_P(Loader, JoinedCollectionUnderLimitLoadsAsSelectin) {
  retort::Session s(engine());
  // LIMIT 2 (one()) would cut the joined rows: the collection uses an IN query.
  auto alice = s.query<User>()
                   .options(retort::joinedload(&User::posts))
                   .filter(col(&User::name) == "Alice")
                   .one();
  EXPECT_EQ(selects(), 2u);
  EXPECT_EQ(titles(*alice), "a1,a2");
  EXPECT_EQ(selects(), 0u);
}

TEST_P(Loader, RaiseNamesTheRelationship) {
  retort::Session s(engine());
  auto users = s.query<User>().options(retort::raiseload(&User::posts)).all();
  EXPECT_EQ(selects(), 1u);
  try {
    (void)users[0]->posts.size();
    FAIL() << "expected InvalidRequestError";
  } catch (const retort::InvalidRequestError& e) {
    EXPECT_NE(std::string(e.what()).find("users.posts"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("raise"), std::string::npos) << e.what();
  }
  auto posts = s.query<Post>().options(retort::raiseload(&Post::author)).all();
  EXPECT_THROW((void)posts[0]->author.get(), retort::InvalidRequestError);
  EXPECT_EQ(selects(), 1u);
  // Another query that loads the relationship makes it readable.
  s.query<User>().options(retort::selectinload(&User::posts)).all();
  EXPECT_EQ(users[0]->posts.size() + users[1]->posts.size() + users[2]->posts.size(), 3u);
}

TEST_P(Loader, NoloadIsEmptyWithoutSql) {
  retort::Session s(engine());
  auto users = s.query<User>().options(retort::noload(&User::posts)).all();
  for (auto& u : users) EXPECT_TRUE(u->posts.empty());
  auto posts = s.query<Post>().options(retort::noload(&Post::author)).all();
  for (auto& p : posts) EXPECT_FALSE(p->author);
  EXPECT_EQ(selects(), 2u);
}

TEST_P(Loader, ChainedLevelsInBoundedQueries) {
  {
    retort::Session s(engine());
    auto root = make<Node>({.name = "root"});
    for (int i = 0; i < 3; ++i) {
      auto c = make<Node>({.name = "c" + std::to_string(i), .parent = root});
      for (int j = 0; j < 2; ++j) make<Node>({.name = "g", .parent = c});
    }
    s.add(root);
    s.commit();
  }
  take_statements();
  {
  retort::Session s(engine());
  auto roots = s.query<Node>()
                   .filter(col(&Node::parent_id).is_null())
                   .options(retort::selectinload(&Node::children).selectinload(&Node::children))
                   .all();
  EXPECT_EQ(selects(), 3u);  // roots, children, grandchildren
  ASSERT_EQ(roots.size(), 1u);
  std::size_t g = 0;
  for (auto& c : roots[0]->children) {
    EXPECT_EQ(c->parent.get(), roots[0].get());
    g += c->children.size();
  }
  EXPECT_EQ(g, 6u);
  EXPECT_EQ(selects(), 0u);
  }
  // joined at the top, selectin below: 2 statements.
  retort::Session s2(engine());
  auto roots2 = s2.query<Node>()
                    .filter(col(&Node::parent_id).is_null())
                    .options(retort::joinedload(&Node::children).selectinload(&Node::children))
                    .all();
  EXPECT_EQ(selects(), 2u);
  std::size_t g2 = 0;
  for (auto& c : roots2[0]->children) g2 += c->children.size();
  EXPECT_EQ(g2, 6u);
  EXPECT_EQ(selects(), 0u);
}

TEST_P(Loader, SelectinChunksLargeKeyLists) {
  {
    retort::Session s(engine());
    for (int i = 0; i < 1100; ++i)
      s.add(make<User>({.name = "u" + std::to_string(i), .posts = {make<Post>({.title = "t"})}}));
    s.commit();
  }
  take_statements();
  retort::Session s(engine());
  auto users = s.query<User>().options(retort::selectinload(&User::posts)).all();
  EXPECT_EQ(users.size(), 1103u);
  EXPECT_EQ(selects(), 1u + 3u);  // 1103 keys in chunks of at most 500
  std::size_t n = 0;
  for (auto& u : users) n += u->posts.size();
  EXPECT_EQ(n, 1103u);
  EXPECT_EQ(selects(), 0u);
}

TEST_P(Loader, MisplacedChainIsArgumentError) {
  retort::Session s(engine());
  EXPECT_THROW(s.query<User>().options(retort::selectinload(&Post::author)).all(), retort::ArgumentError);
}

TEST_P(Loader, LoadedCollectionsAreKept) {
  retort::Session s(engine());
  auto alice = s.query<User>().filter(col(&User::name) == "Alice").one();
  auto extra = make<Post>({.title = "pending"});
  alice->posts.push_back(extra);  // loads (1 SELECT), then appends in memory
  take_statements();
  s.query<User>().options(retort::selectinload(&User::posts)).all();  // autoflush INSERT, then 2 SELECTs
  EXPECT_EQ(alice->posts.size(), 3u);
}

RETORT_ORM_SUITE(Loader);

// Self-referential: loading a few levels with selectin is covered above; a
// cycle the user builds is an error naming the objects, not a hang at flush.
TEST_P(Loader, SelfReferentialCycleIsReported) {
  auto a = make<Node>({.name = "a"});
  auto b = make<Node>({.name = "b", .parent = a});
  auto c = make<Node>({.name = "c", .parent = b});
  try {
    a->parent = c;
    FAIL() << "expected InvalidRequestError";
  } catch (const retort::InvalidRequestError& e) {
    std::string w = e.what();
    EXPECT_NE(w.find("cycle in 'nodes.parent'"), std::string::npos) << w;
    EXPECT_NE(w.find("<nodes"), std::string::npos) << w;
  }
  EXPECT_FALSE(a->parent);  // unchanged
  EXPECT_THROW(a->children.push_back(a), retort::InvalidRequestError);
  retort::Session s(engine());
  s.add(a);
  s.commit();  // parents inserted first
  EXPECT_EQ(count("nodes", "parent_id IS NULL"), 1);
  EXPECT_EQ(count("nodes"), 3);
}

// Strategies given in the mapping: Shelf.books is joined and ordered by
// title descending, Book.shelf raises.
namespace loader_models {
struct Book;
struct Shelf {
  std::int64_t id = 0;
  std::string name{};
  retort::Many<Book> books{};
};
struct Book {
  std::int64_t id = 0;
  std::string title{};
  std::optional<std::int64_t> shelf_id{};
  retort::One<Shelf> shelf{};
};
}  // namespace loader_models

template <>
struct retort::Mapping<loader_models::Shelf> {
  static constexpr auto table = "shelves";
  static void define(auto& m) {
    using loader_models::Shelf, loader_models::Book;
    m.column("id", &Shelf::id, retort::primary_key);
    m.column("name", &Shelf::name);
    m.one_to_many("books", &Shelf::books, &Book::shelf, retort::cascade::all, retort::LoadStrategy::joined,
                  retort::order_by(&Book::title, true));
  }
};
template <>
struct retort::Mapping<loader_models::Book> {
  static constexpr auto table = "books";
  static void define(auto& m) {
    using loader_models::Shelf, loader_models::Book;
    m.column("id", &Book::id, retort::primary_key);
    m.column("title", &Book::title);
    m.column("shelf_id", &Book::shelf_id, retort::references(&Shelf::id));
    m.many_to_one("shelf", &Book::shelf, &Shelf::books, retort::cascade::default_,
                  retort::LoadStrategy::raise);
  }
};

TEST_P(Loader, StrategiesFromTheMapping) {
  using loader_models::Book, loader_models::Shelf;
  retort::create_all<Shelf, Book>(engine());
  {
    retort::Session s(engine());
    s.add(make<Shelf>({.name = "s1", .books = {make<Book>({.title = "x"}), make<Book>({.title = "y"})}}));
    s.add(make<Shelf>({.name = "s2"}));
    s.commit();
  }
  take_statements();
  {
    retort::Session s(engine());
    auto shelves = s.query<Shelf>().order_by(col(&Shelf::id)).all();
    EXPECT_EQ(selects(), 1u);  // joined
    ASSERT_EQ(shelves.size(), 2u);
    ASSERT_EQ(shelves[0]->books.size(), 2u);
    EXPECT_EQ(shelves[0]->books[0]->title, "y");  // order_by title DESC
    EXPECT_TRUE(shelves[1]->books.empty());
    EXPECT_EQ(shelves[0]->books[0]->shelf.get(), shelves[0].get());  // set by the load
    EXPECT_EQ(selects(), 0u);
  }
  {
    retort::Session s(engine());
    auto books = s.query<Book>().all();
    EXPECT_THROW((void)books[0]->shelf.get(), retort::InvalidRequestError);
    // A query option overrides the mapping.
    auto books2 = s.query<Book>().options(retort::selectinload(&Book::shelf)).all();
    EXPECT_EQ(books2[0]->shelf->name, "s1");
    take_statements();
    auto shelves = s.query<Shelf>().options(retort::lazyload(&Shelf::books)).all();
    EXPECT_EQ(selects(), 1u);
    EXPECT_EQ(shelves.size(), 2u);
  }
  for (auto strategy : {retort::LoadStrategy::lazy, retort::LoadStrategy::selectin}) {
    retort::Session s(engine());
    auto q = s.query<Shelf>().filter(col(&Shelf::name) == "s1");
    auto shelf = (strategy == retort::LoadStrategy::lazy ? q.options(retort::lazyload(&Shelf::books))
                                                          : q.options(retort::selectinload(&Shelf::books)))
                     .one();
    ASSERT_EQ(shelf->books.size(), 2u);
    EXPECT_EQ(shelf->books[0]->title, "y");
    EXPECT_EQ(shelf->books[1]->title, "x");
    auto st = take_statements();
    ASSERT_EQ(st.size(), 2u);
    EXPECT_NE(st.back().find("DESC"), std::string::npos) << st.back();
  }
}

TEST_P(Loader, ContainsEagerFillsFromTheQuerysJoin) {
  retort::Session s(engine());
  auto users = s.query<User>()
                   .join(&User::posts)
                   .filter(col(&Post::title) != "a2")
                   .options(retort::contains_eager(&User::posts))
                   .order_by(col(&User::id))
                   .all();
  EXPECT_EQ(selects(), 1u);
  ASSERT_EQ(users.size(), 2u);  // inner join: Carol has no posts
  EXPECT_EQ(titles(*users[0]), "a1");  // only the rows the filter kept
  EXPECT_EQ(titles(*users[1]), "b1");
  EXPECT_EQ(selects(), 0u);
  EXPECT_THROW(s.query<User>().options(retort::contains_eager(&User::posts)).all(), retort::ArgumentError);
}
