// A read-only relationship to a subset of rows: a writer's published
// articles (one_to_many_viewonly with a condition on the target's columns).
#include <gtest/gtest.h>

#include "fixture.hpp"

namespace viewonly_test {

using orm_test::Live;

struct Article;
struct Writer {
  std::int64_t id = 0;
  std::string name{};
  retort::Many<Article> articles{};
  retort::Many<Article> published{};  // read-only: the articles with published = true
  Live live{};
};
struct Article {
  std::int64_t id = 0;
  std::int64_t writer_id = 0;
  std::string title{};
  bool published = false;
  retort::One<Writer> writer{};
  Live live{};
};

}  // namespace viewonly_test

template <>
struct retort::Mapping<viewonly_test::Writer> {
  static constexpr auto table = "writers";
  static void define(auto& m) {
    using namespace viewonly_test;
    m.column("id", &Writer::id, retort::primary_key);
    m.column("name", &Writer::name);
    m.one_to_many("articles", &Writer::articles, &Article::writer, retort::cascade::all);
    m.one_to_many_viewonly("published", &Writer::published, retort::col(&Article::published) == true,
                           retort::order_by(&Article::title, true));
  }
};
template <>
struct retort::Mapping<viewonly_test::Article> {
  static constexpr auto table = "articles";
  static void define(auto& m) {
    using namespace viewonly_test;
    m.column("id", &Article::id, retort::primary_key);
    m.column("writer_id", &Article::writer_id, retort::references(&Writer::id));
    m.column("title", &Article::title);
    m.column("published", &Article::published);
    m.many_to_one("writer", &Article::writer, &Writer::articles);
  }
};

namespace viewonly_test {
namespace {

using retort::make;

class Viewonly : public orm_test::LoggedEngineTest {
 protected:
  void SetUp() override {
    LoggedEngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    retort::create_all<Writer, Article>(engine());
    retort::Session s(engine());
    s.add(make<Writer>({.name = "ann",
                        .articles = {make<Article>({.title = "a", .published = true}),
                                     make<Article>({.title = "draft"}),
                                     make<Article>({.title = "b", .published = true})}}));
    s.add(make<Writer>({.name = "ben", .articles = {make<Article>({.title = "c", .published = true})}}));
    s.add(make<Writer>({.name = "cy", .articles = {make<Article>({.title = "d"})}}));
    s.commit();
    statements.clear();
  }
  static std::string titles(const retort::Many<Article>& m) {
    std::string out;
    for (auto& a : m) out += (out.empty() ? "" : ",") + a->title;
    return out;
  }
  retort::Ptr<Writer> named(retort::Session& s, const std::string& n) {
    return s.query<Writer>().filter(retort::col(&Writer::name) == n).one();
  }
};

TEST_P(Viewonly, LazyLoadKeepsOnlyMatchingRowsInItsOrder) {
  retort::Session s(engine());
  auto ann = named(s, "ann");
  statements.clear();
  EXPECT_EQ(titles(ann->published), "b,a");  // order_by title descending
  ASSERT_EQ(statements.size(), 1u);
  EXPECT_NE(statements[0].find("published"), std::string::npos) << statements[0];
  EXPECT_EQ(titles(ann->articles), "a,draft,b");  // the full relationship is unaffected
}

TEST_P(Viewonly, SelectinAndJoinedLoadEveryWriterInOneMoreStatement) {
  for (bool joined : {false, true}) {
    retort::Session s(engine());
    statements.clear();
    auto q = s.query<Writer>().order_by(retort::col(&Writer::name));
    auto writers = joined ? q.options(retort::joinedload(&Writer::published)).all()
                          : q.options(retort::selectinload(&Writer::published)).all();
    ASSERT_EQ(writers.size(), 3u);
    EXPECT_EQ(titles(writers[0]->published), "b,a");
    EXPECT_EQ(titles(writers[1]->published), "c");
    EXPECT_EQ(titles(writers[2]->published), "");
    EXPECT_EQ(statements.size(), 2u) << (joined ? "joined (as selectin)" : "selectin");
  }
}

TEST_P(Viewonly, MutatingItThrowsAndChangesNothing) {
  retort::Session s(engine());
  auto ann = named(s, "ann");
  auto extra = make<Article>({.title = "x", .published = true});
  EXPECT_THROW(ann->published.push_back(extra), retort::InvalidRequestError);
  EXPECT_THROW(ann->published.remove(ann->published[0]), retort::InvalidRequestError);
  EXPECT_THROW(ann->published.clear(), retort::InvalidRequestError);
  s.commit();
  EXPECT_EQ(count("articles"), 5);
  EXPECT_EQ(titles(ann->published), "b,a");
}

TEST_P(Viewonly, ShowsTheDatabaseUntilExpired) {
  retort::Session s(engine());
  auto ann = named(s, "ann");
  EXPECT_EQ(titles(ann->published), "b,a");
  for (auto& a : ann->articles)
    if (a->title == "draft") a->published = true;
  s.commit();
  EXPECT_EQ(titles(ann->published), "b,a");  // as loaded
  s.expire(ann);
  EXPECT_EQ(titles(ann->published), "draft,b,a");
}

TEST_P(Viewonly, QueryJoinAppliesTheCondition) {
  retort::Session s(engine());
  auto with_draft = s.query<Writer>().join(&Writer::published).filter(retort::col(&Article::title) == "draft").all();
  EXPECT_TRUE(with_draft.empty());
  auto with_b = s.query<Writer>().join(&Writer::published).filter(retort::col(&Article::title) == "b").all();
  ASSERT_EQ(with_b.size(), 1u);
  EXPECT_EQ(with_b[0]->name, "ann");
}

TEST_P(Viewonly, AnArticleHeldKeepsItsViewerAliveAndAllIsFreedAfter) {
  ASSERT_EQ(Live::count, 0);
  retort::Ptr<Article> a;
  {
    retort::Session s(engine());
    auto ann = named(s, "ann");
    a = ann->published[0];  // only the read-only collection links a to ann
    s.close();
  }
  EXPECT_EQ(Live::count, 3);  // ann, and the two published articles
  EXPECT_EQ(a->title, "b");
  a.reset();
  EXPECT_EQ(Live::count, 0);
}

RETORT_ORM_SUITE(Viewonly);

}  // namespace
}  // namespace viewonly_test
