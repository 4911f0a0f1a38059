// Many-to-many relationships through an association table (article_tags):
// in-memory sync of both sides, association rows written by a flush, lazy
// loading from both sides with its statement counts, and the collector.
#include <gtest/gtest.h>

#include <algorithm>

#include "fixture.hpp"
#include "retort/orm/metadata.hpp"

namespace m2m_test {

using orm_test::Live;

struct Tag;
struct Article {
  std::int64_t id = 0;
  std::string title{};
  retort::Many<Tag> tags{};
  Live live{};
};
struct Tag {
  std::int64_t id = 0;
  std::string name{};
  retort::Many<Article> articles{};
  Live live{};
};

}  // namespace m2m_test

template <>
struct retort::Mapping<m2m_test::Article> {
  static constexpr auto table = "articles";
  static void define(auto& m) {
    m.column("id", &m2m_test::Article::id, retort::primary_key);
    m.column("title", &m2m_test::Article::title);
    m.many_to_many("tags", &m2m_test::Article::tags, &m2m_test::Tag::articles,
                   retort::secondary("article_tags", "article_id", "tag_id"));
  }
};
template <>
struct retort::Mapping<m2m_test::Tag> {
  static constexpr auto table = "tags";
  static void define(auto& m) {
    m.column("id", &m2m_test::Tag::id, retort::primary_key);
    m.column("name", &m2m_test::Tag::name);
    m.many_to_many("articles", &m2m_test::Tag::articles, &m2m_test::Article::tags,
                   retort::secondary("article_tags", "tag_id", "article_id"));
  }
};

namespace m2m_test {

using retort::make;

class ManyToMany : public orm_test::OrmTest {
 protected:
  void SetUp() override {
    OrmTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    retort::create_all<Article, Tag>(engine());
    take_statements();
  }
  std::size_t selects() { return count_prefix(take_statements(), "SELECT"); }
  /// Seeds a1{t1,t2}, a2{t2}, t3{}; returns nothing (committed).
  void seed() {
    retort::Session s(engine());
    auto t1 = make<Tag>({.name = "t1"});
    auto t2 = make<Tag>({.name = "t2"});
    s.add(make<Article>({.title = "a1", .tags = {t1, t2}}));
    s.add(make<Article>({.title = "a2", .tags = {t2}}));
    s.add(make<Tag>({.name = "t3"}));
    s.commit();
    take_statements();
  }
  static std::string names(const Article& a) {
    std::string out;
    for (auto& t : a.tags) out += (out.empty() ? "" : ",") + t->name;
    return out;
  }
};

TEST(ManyToManyMapping, AssociationTableInMetadata) {
  auto md = retort::metadata_of<Article, Tag>();
  const retort::Table* t = md.find("article_tags");
  ASSERT_NE(t, nullptr);
  ASSERT_EQ(t->primary_key().size(), 2u);
  EXPECT_EQ(t->foreign_keys().size(), 2u);
  EXPECT_NE(t->find("article_id"), nullptr);
  EXPECT_NE(t->find("tag_id"), nullptr);
}

TEST(ManyToManyMemory, LinkAndUnlinkSyncBothSides) {
  auto a = make<Article>({.title = "a"});
  auto t = make<Tag>({.name = "t"});
  a->tags.push_back(t);
  ASSERT_EQ(t->articles.size(), 1u);
  EXPECT_EQ(t->articles[0].get(), a.get());
  a->tags.push_back(t);  // no-op when present
  EXPECT_EQ(a->tags.size(), 1u);
  t->articles.remove(a);
  EXPECT_EQ(a->tags.size(), 0u);
  EXPECT_EQ(t->articles.size(), 0u);
  t->articles.push_back(a);
  EXPECT_EQ(a->tags.size(), 1u);
}

TEST(ManyToManyMemory, TransientGraphIsFreed) {
  ASSERT_EQ(Live::count, 0);
  {
    auto t1 = make<Tag>({.name = "t1"});
    auto a = make<Article>({.title = "a", .tags = {t1, make<Tag>({.name = "t2"})}});
    auto b = make<Article>({.title = "b", .tags = {t1}});
    EXPECT_EQ(Live::count, 4);
  }
  EXPECT_EQ(Live::count, 0);
  {
    retort::Ref<Tag> t;
    {
      auto a = make<Article>({.title = "a", .tags = {make<Tag>({.name = "t"})}});
      t = a->tags[0];
      auto keep = retort::Ptr<Tag>(a->tags[0]);
      a->tags.remove(keep);
      EXPECT_EQ(Live::count, 2);
    }
    EXPECT_EQ(Live::count, 0);  // both dropped after the unlink
  }
}

TEST_P(ManyToMany, FlushInsertsAssociationRows) {
  seed();
  EXPECT_EQ(count("article_tags"), 3);
  EXPECT_EQ(count("tags"), 3);
  EXPECT_EQ(count("article_tags", "article_id = (SELECT id FROM articles WHERE title = 'a1')"), 2);
}

TEST_P(ManyToMany, SaveUpdateCascadeAddsNewTags) {
  retort::Session s(engine());
  auto a = make<Article>({.title = "a"});
  s.add(a);
  a->tags.push_back(make<Tag>({.name = "new"}));
  s.commit();
  EXPECT_EQ(count("tags"), 1);
  EXPECT_EQ(count("article_tags"), 1);
}

TEST_P(ManyToMany, LazyLoadFromBothSides) {
  seed();
  retort::Session s(engine());
  auto arts = s.query<Article>().order_by(retort::col(&Article::id)).all();
  EXPECT_EQ(selects(), 1u);
  ASSERT_EQ(arts.size(), 2u);
  EXPECT_EQ(names(*arts[0]), "t1,t2");
  EXPECT_EQ(names(*arts[1]), "t2");
  EXPECT_EQ(selects(), 2u);  // one per collection
  auto t2 = arts[0]->tags[1];
  ASSERT_EQ(t2->articles.size(), 2u);
  EXPECT_EQ(selects(), 1u);
  EXPECT_EQ(t2->articles[0].get(), arts[0].get());  // identity map
  EXPECT_EQ(t2->articles[1].get(), arts[1].get());
  s.commit();  // loading is not a change: nothing written
  auto st = take_statements();
  EXPECT_EQ(count_prefix(st, "INSERT") + count_prefix(st, "DELETE"), 0u);
}

TEST_P(ManyToMany, SelectinIsOneQueryPerLevel) {
  seed();
  retort::Session s(engine());
  auto arts = s.query<Article>()
                  .options(retort::selectinload(&Article::tags).selectinload(&Tag::articles))
                  .order_by(retort::col(&Article::id))
                  .all();
  EXPECT_EQ(selects(), 3u);  // articles, their tags, the tags' articles
  ASSERT_EQ(arts.size(), 2u);
  EXPECT_EQ(names(*arts[0]), "t1,t2");
  EXPECT_EQ(names(*arts[1]), "t2");
  auto t2 = arts[1]->tags[0];
  ASSERT_EQ(t2->articles.size(), 2u);
  EXPECT_EQ(t2->articles[0].get(), arts[0].get());
  EXPECT_EQ(selects(), 0u);
}

TEST_P(ManyToMany, LinkingPersistentObjectsLoadsBothSidesOnce) {
  seed();
  retort::Session s(engine());
  auto a2 = s.query<Article>().filter(retort::col(&Article::title) == "a2").one();
  auto t1 = s.query<Tag>().filter(retort::col(&Tag::name) == "t1").one();
  take_statements();
  a2->tags.push_back(t1);  // lazy loads a2.tags and t1.articles
  EXPECT_EQ(selects(), 2u);
  a2->tags.remove(t1);
  a2->tags.push_back(t1);
  EXPECT_EQ(selects(), 0u);
  s.commit();
  auto st = take_statements();
  EXPECT_EQ(count_prefix(st, "INSERT INTO"), 1u);
  EXPECT_EQ(count_prefix(st, "DELETE FROM"), 0u);
  EXPECT_EQ(count("article_tags"), 4);
}

TEST_P(ManyToMany, RolledBackLinksAreWrittenAgain) {
  retort::Session s(engine());
  auto a = make<Article>({.title = "a", .tags = {make<Tag>({.name = "t"})}});
  s.add(a);
  s.flush();
  s.rollback();
  s.add(a);
  s.commit();
  EXPECT_EQ(count("article_tags"), 1);
}

TEST_P(ManyToMany, SessionGraphIsFreedAfterClose) {
  seed();
  ASSERT_EQ(Live::count, 0);
  const std::size_t bases = retort::orm::detail::ManyCore::m2m_base_entries();
  {
    retort::Session s(engine());
    auto arts = s.query<Article>().all();
    for (auto& a : arts) (void)a->tags.size();
    EXPECT_EQ(Live::count, 4);  // 2 articles, t1, t2
    EXPECT_GT(retort::orm::detail::ManyCore::m2m_base_entries(), bases);
  }
  EXPECT_EQ(Live::count, 0);
  // The collections' known association rows went with them.
  EXPECT_EQ(retort::orm::detail::ManyCore::m2m_base_entries(), bases);
}

TEST_P(ManyToMany, UnlinkDeletesRow) {
  seed();
  retort::Session s(engine());
  auto a1 = s.query<Article>().filter(retort::col(&Article::title) == "a1").one();
  auto t1 = retort::Ptr<Tag>(a1->tags[0]);
  a1->tags.remove(t1);
  EXPECT_EQ(t1->articles.size(), 0u);
  take_statements();
  s.commit();
  auto st = take_statements();
  EXPECT_EQ(count_prefix(st, "DELETE FROM"), 1u);
  EXPECT_EQ(count("article_tags"), 2);
  EXPECT_EQ(count("tags"), 3);
}

TEST_P(ManyToMany, LinkPersistentObjects) {
  seed();
  retort::Session s(engine());
  auto a2 = s.query<Article>().filter(retort::col(&Article::title) == "a2").one();
  auto t3 = s.query<Tag>().filter(retort::col(&Tag::name) == "t3").one();
  t3->articles.push_back(a2);
  EXPECT_EQ(names(*a2), "t2,t3");
  s.commit();
  EXPECT_EQ(count("article_tags"), 4);
}

TEST_P(ManyToMany, DeletingArticleDeletesItsRowsKeepsTags) {
  seed();
  retort::Session s(engine());
  auto a1 = s.query<Article>().filter(retort::col(&Article::title) == "a1").one();
  s.remove(a1);
  s.commit();
  EXPECT_EQ(count("articles"), 1);
  EXPECT_EQ(count("article_tags"), 1);
  EXPECT_EQ(count("tags"), 3);
}

TEST_P(ManyToMany, DeletingTagDeletesItsRows) {
  seed();
  retort::Session s(engine());
  auto t2 = s.query<Tag>().filter(retort::col(&Tag::name) == "t2").one();
  s.remove(t2);
  s.commit();
  EXPECT_EQ(count("tags"), 2);
  EXPECT_EQ(count("article_tags"), 1);
}

TEST_P(ManyToMany, NoloadAndRaiseOptions) {
  seed();
  {
    retort::Session s(engine());
    auto a = s.query<Article>().options(retort::noload(&Article::tags)).first();
    EXPECT_EQ(a->tags.size(), 0u);
  }
  retort::Session s2(engine());
  auto b = s2.query<Article>().options(retort::raiseload(&Article::tags)).first();
  EXPECT_THROW((void)b->tags.size(), retort::InvalidRequestError);
}

std::string sorted_names(const Article& a) {
  std::vector<std::string> v;
  for (auto& t : a.tags) v.push_back(t->name);
  std::sort(v.begin(), v.end());
  std::string out;
  for (auto& n : v) out += (out.empty() ? "" : ",") + n;
  return out;
}

TEST_P(ManyToMany, JoinedLoadsEveryCollectionInOneStatement) {
  seed();
  retort::Session s(engine());
  auto arts = s.query<Article>()
                  .options(retort::joinedload(&Article::tags))
                  .order_by(retort::col(&Article::title))
                  .all();
  ASSERT_EQ(arts.size(), 2u);  // a1's two rows give one object
  EXPECT_EQ(sorted_names(*arts[0]), "t1,t2");
  EXPECT_EQ(sorted_names(*arts[1]), "t2");
  EXPECT_EQ(selects(), 1u);
}

TEST_P(ManyToMany, JoinedIsAnOuterJoinUnlessInnerjoin) {
  seed();
  {
    retort::Session s(engine());
    auto tags = s.query<Tag>().options(retort::joinedload(&Tag::articles)).all();
    ASSERT_EQ(tags.size(), 3u);
    std::size_t links = 0;
    for (auto& t : tags) links += t->articles.size();
    EXPECT_EQ(links, 3u);
    EXPECT_EQ(selects(), 1u);  // t3's empty collection is loaded too
  }
  retort::Session s(engine());
  auto tags = s.query<Tag>().options(retort::joinedload(&Tag::articles, true)).all();
  EXPECT_EQ(tags.size(), 2u);  // t3 has no article
}

TEST_P(ManyToMany, QueryJoinsThroughTheAssociationTable) {
  seed();
  {
    retort::Session s(engine());
    auto with_t1 = s.query<Article>().join(&Article::tags).filter(retort::col(&Tag::name) == "t1").all();
    ASSERT_EQ(with_t1.size(), 1u);
    EXPECT_EQ(with_t1[0]->title, "a1");
  }
  // contains_eager: the collections hold only the rows the filter kept.
  retort::Session s2(engine());
  take_statements();
  auto with_t2 = s2.query<Article>()
                     .join(&Article::tags)
                     .filter(retort::col(&Tag::name) == "t2")
                     .options(retort::contains_eager(&Article::tags))
                     .all();
  ASSERT_EQ(with_t2.size(), 2u);
  for (auto& a : with_t2) EXPECT_EQ(sorted_names(*a), "t2");
  EXPECT_EQ(selects(), 1u);
}

RETORT_ORM_SUITE(ManyToMany);

}  // namespace m2m_test

namespace m2m_test {

struct BadA;
struct BadB {
  std::int64_t id = 0;
  retort::Many<BadA> as{};
};
struct BadA {
  std::int64_t id = 0;
  retort::Many<BadB> bs{};
};

}  // namespace m2m_test

template <>
struct retort::Mapping<m2m_test::BadA> {
  static constexpr auto table = "bad_a";
  static void define(auto& m) {
    m.column("id", &m2m_test::BadA::id, retort::primary_key);
    m.many_to_many("bs", &m2m_test::BadA::bs, &m2m_test::BadB::as, retort::secondary("ab", "a_id", "b_id"));
  }
};
template <>
struct retort::Mapping<m2m_test::BadB> {
  static constexpr auto table = "bad_b";
  static void define(auto& m) {
    m.column("id", &m2m_test::BadB::id, retort::primary_key);
    m.many_to_many("as", &m2m_test::BadB::as, &m2m_test::BadA::bs, retort::secondary("ab", "b_id", "x_id"));
  }
};

namespace m2m_test {

TEST(ManyToManyMapping, MismatchedColumnNamesThrow) {
  EXPECT_THROW((void)retort::table_of<BadA>(), retort::ArgumentError);
}

}  // namespace m2m_test
