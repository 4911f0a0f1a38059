// Differential tests: the same ORM scenarios through retort and through
// SQLAlchemy 1.4 (tests/differential/sqlalchemy_scenarios.py, run with
// Debian's /usr/bin/python3), comparing the final rows of every table.
// Each scenario is written statement for statement like its Python twin.
#include <array>
#include <cstdio>
#include <map>
#include <sstream>

#include "citizen_models.hpp"
#include "models.hpp"
#include "retort/error.hpp"
#include "support/backend.hpp"

// The twins of the script's many-to-many models (its one-to-one twins are
// citizen_models.hpp).
namespace diff_models {
struct Tag;
struct Article {
  std::int64_t id = 0;
  std::string title{};
  retort::Many<Tag> tags{};
};
struct Tag {
  std::int64_t id = 0;
  std::string name{};
  retort::Many<Article> articles{};
};
}  // namespace diff_models

template <>
struct retort::Mapping<diff_models::Article> {
  static constexpr auto table = "articles";
  static void define(auto& m) {
    using namespace diff_models;
    m.column("id", &Article::id, retort::primary_key);
    m.column("title", &Article::title);
    m.many_to_many("tags", &Article::tags, &Tag::articles, retort::secondary("article_tags", "article_id", "tag_id"));
  }
};
template <>
struct retort::Mapping<diff_models::Tag> {
  static constexpr auto table = "tags";
  static void define(auto& m) {
    using namespace diff_models;
    m.column("id", &Tag::id, retort::primary_key);
    m.column("name", &Tag::name);
    m.many_to_many("articles", &Tag::articles, &Article::tags, retort::secondary("article_tags", "tag_id", "article_id"));
  }
};
namespace {

using namespace diff_models;
using citizen_models::Citizen;
using citizen_models::Passport;

using namespace orm_test;
using retort::Ptr;

#ifndef RETORT_SOURCE_DIR
#error "RETORT_SOURCE_DIR must name the source tree"
#endif

// scenario -> its rows as "table\tcol|col|..." lines, in SQLAlchemy's order.
const std::map<std::string, std::vector<std::string>>& reference_rows() {
  static const auto rows = [] {
    std::map<std::string, std::vector<std::string>> out;
    std::string cmd = std::string("/usr/bin/python3 ") + RETORT_SOURCE_DIR +
                      "/tests/differential/sqlalchemy_scenarios.py";
    FILE* pipe = popen(cmd.c_str(), "r");
    if (!pipe) {
      out["<error>"].push_back("cannot start " + cmd);
      return out;
    }
    std::array<char, 4096> buf;
    std::string all;
    while (fgets(buf.data(), buf.size(), pipe)) all += buf.data();
    if (int status = pclose(pipe); status != 0)
      out["<error>"].push_back(cmd + " exited with status " + std::to_string(status));
    std::istringstream lines(all);
    std::string line;
    while (std::getline(lines, line)) {
      auto tab = line.find('\t');
      if (tab == std::string::npos) {
        out["<error>"].push_back(line);
        continue;
      }
      auto& rows = out[line.substr(0, tab)];
      if (line.substr(tab + 1) != "(end)") rows.push_back(line.substr(tab + 1));
    }
    return out;
  }();
  return rows;
}

std::string render(const retort::Value& v) {
  if (retort::is_null(v)) return "NULL";
  if (auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  return retort::to_display(v);
}

// The rows of every table in name order (SQLAlchemy's sorted table order),
// read as the script's TABLE_QUERIES read them.
std::vector<std::string> rows_of(const retort::Engine& engine) {
  std::vector<std::string> out;
  auto conn = engine.connect();
  for (auto [table, sql] : {
           std::pair{"article_tags", "SELECT article_id, tag_id FROM article_tags ORDER BY article_id, tag_id"},
           std::pair{"articles", "SELECT id, title FROM articles ORDER BY id"},
           std::pair{"citizens", "SELECT id, number FROM citizens ORDER BY id"},
           std::pair{"passports", "SELECT id, citizen_id, code FROM passports ORDER BY id"},
           std::pair{"posts", "SELECT id, title, content, user_id FROM posts ORDER BY id"},
           std::pair{"tags", "SELECT id, name FROM tags ORDER BY id"},
           std::pair{"users", "SELECT id, name FROM users ORDER BY id"}}) {
    for (auto& row : conn.execute(sql).all_values()) {
      std::string line = std::string(table) + "\t";
      for (std::size_t i = 0; i < row.size(); ++i) line += (i ? "|" : "") + render(row[i]);
      out.push_back(line);
    }
  }
  return out;
}

Ptr<User> seed(retort::Session& s) {
  auto user1 = retort::make<User>({.name = "Alice"});
  retort::make<Post>({.title = "First Post", .content = "Content of first post", .author = user1});
  retort::make<Post>({.title = "Second Post", .content = "Content of second post", .author = user1});
  s.add(user1);
  s.commit();
  return user1;
}

std::pair<Ptr<User>, Ptr<User>> two_users(retort::Session& s) {
  auto alice = seed(s);
  auto bob = retort::make<User>({.name = "Bob"});
  s.add(bob);
  s.commit();
  return {alice, bob};
}

struct ArticlesAndTags {
  Ptr<Article> a1, a2;
  Ptr<Tag> t1, t2;
};
ArticlesAndTags articles_and_tags(retort::Session& s) {
  auto t1 = retort::make<Tag>({.name = "t1"});
  auto t2 = retort::make<Tag>({.name = "t2"});
  auto a1 = retort::make<Article>({.title = "a1", .tags = {t1, t2}});
  auto a2 = retort::make<Article>({.title = "a2", .tags = {t2}});
  s.add_all(a1, a2);
  s.commit();
  return {a1, a2, t1, t2};
}

using Scenario = void (*)(const retort::Engine&);

const std::map<std::string, Scenario> kScenarios = {
    {"seed", [](const retort::Engine& e) {
       retort::Session s(e);
       seed(s);
     }},
    {"delete_cascade", [](const retort::Engine& e) {
       retort::Session s(e);
       auto alice = seed(s);
       s.remove(alice);
       s.commit();
     }},
    {"delete_orphan", [](const retort::Engine& e) {
       retort::Session s(e);
       auto alice = seed(s);
       alice->posts.remove(alice->posts[0]);
       s.commit();
     }},
    {"move_post_parent_side", [](const retort::Engine& e) {
       retort::Session s(e);
       auto [alice, bob] = two_users(s);
       bob->posts.push_back(alice->posts[0]);
       s.commit();
     }},
    {"move_post_child_side", [](const retort::Engine& e) {
       retort::Session s(e);
       auto [alice, bob] = two_users(s);
       alice->posts[1]->author = bob;
       s.commit();
     }},
    {"null_author", [](const retort::Engine& e) {
       retort::Session s(e);
       auto alice = seed(s);
       alice->posts[0]->author = nullptr;  // an orphan under delete-orphan: deleted
       s.commit();
     }},
    {"rollback_after_integrity_error", [](const retort::Engine& e) {
       retort::Session s(e);
       auto alice = seed(s);
       // title is NOT NULL; retort's std::string cannot be NULL, so the
       // violation is a duplicate primary key instead.
       alice->posts.push_back(retort::make<Post>({.id = 1, .title = "Duplicate", .content = "no title"}));
       try {
         s.commit();
       } catch (const retort::IntegrityError&) {
         s.rollback();
       }
       alice->posts.push_back(retort::make<Post>({.title = "Third Post"}));
       s.commit();
     }},
    {"m2m_link_and_unlink", [](const retort::Engine& e) {
       retort::Session s(e);
       auto [a1, a2, t1, t2] = articles_and_tags(s);
       a1->tags.remove(t1);
       a2->tags.push_back(retort::make<Tag>({.name = "t3"}));
       t1->articles.push_back(a2);  // from the other side
       s.commit();
     }},
    {"m2m_delete_either_side", [](const retort::Engine& e) {
       retort::Session s(e);
       auto [a1, a2, t1, t2] = articles_and_tags(s);
       s.remove(t2);
       s.remove(a1);
       s.commit();
     }},
    {"o2o_replace_child", [](const retort::Engine& e) {
       retort::Session s(e);
       auto c = retort::make<Citizen>({.number = "C-1", .passport = retort::make<Passport>({.code = "P1"})});
       s.add(c);
       s.commit();
       c->passport = retort::make<Passport>({.code = "P2"});
       s.commit();
     }},
    {"o2o_move_child", [](const retort::Engine& e) {
       retort::Session s(e);
       auto c1 = retort::make<Citizen>({.number = "C-1", .passport = retort::make<Passport>({.code = "P1"})});
       auto c2 = retort::make<Citizen>({.number = "C-2", .passport = retort::make<Passport>({.code = "P2"})});
       s.add_all(c1, c2);
       s.commit();
       c2->passport = c1->passport.ptr();  // P2 loses its citizen, c1 its passport
       s.commit();
     }},
    {"second_session_sees_committed", [](const retort::Engine& e) {
       {
         retort::Session s1(e);
         seed(s1);
       }
       retort::Session s2(e);
       auto user = s2.get<User>(retort::Value(std::int64_t{1}));
       ASSERT_TRUE(user);
       user->name = "Alice Updated";
       s2.commit();
     }},
};

class Differential : public retort::testing::BackendTest {};

TEST_P(Differential, FinalRowsMatchSqlAlchemy) {
  const auto& ref = reference_rows();
  ASSERT_EQ(ref.count("<error>"), 0u) << "the SQLAlchemy script failed: " << ref.at("<error>").front();
  ASSERT_EQ(ref.size(), kScenarios.size()) << "scenario lists differ between the script and this test";
  for (const auto& [name, run] : kScenarios) {
    SCOPED_TRACE(name);
    retort::testing::ScratchDatabase scratch(GetParam());
    auto engine = scratch.engine();
    retort::create_all<User, Post, Article, Tag, Citizen, Passport>(engine);
    run(engine);
    EXPECT_EQ(rows_of(engine), ref.at(name));
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, Differential, ::testing::ValuesIn(retort::testing::backends()),
                         retort::testing::BackendName());

}  // namespace
