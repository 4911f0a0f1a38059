// The seed program end to end: the echo log shows the CREATE TABLEs, BEGIN,
// the INSERT of the user, the INSERTs of the two posts with user_id filled,
// COMMIT; the titles come back in order; the rows are in the database.
#include <gtest/gtest.h>

#include <cstdio>
#include <sstream>

#include "fixture.hpp"

using namespace orm_test;

class Seed : public retort::testing::BackendTest {};

TEST_P(Seed, EndToEnd) {
  std::vector<std::string> log;
  auto engine = db().engine({.echo = true, .log_sink = [&](std::string_view l) { log.emplace_back(l); }});
  retort::create_all<User, Post>(engine);
  std::ostringstream out;
  {
    retort::Session session(engine);
    auto user1 = retort::make<User>({.name = "Alice"});
    auto post1 = retort::make<Post>({.title = "First Post", .content = "Content of first post"});
    post1->author = user1;
    auto post2 = retort::make<Post>({.title = "Second Post", .content = "Content of second post"});
    post2->author = user1;
    session.add(user1);
    session.commit();
    for (auto& post : user1->posts) out << post->title << '\n';
  }
  EXPECT_EQ(out.str(), "First Post\nSecond Post\n");

  // The log, in order.
  std::vector<std::string> want = {"CREATE TABLE users", "CREATE TABLE posts", "COMMIT", "BEGIN",
                                   "INSERT INTO users (name) VALUES",
                                   // both posts in one statement, as SQLAlchemy 2.0's insertmanyvalues
                                   "INSERT INTO posts (title, content, user_id) VALUES", "COMMIT"};
  std::size_t at = 0;
  std::vector<std::string> params;
  for (std::size_t i = 0; i < log.size() && at < want.size(); ++i) {
    if (log[i].find(want[at]) != std::string::npos) {
      if (want[at].rfind("INSERT", 0) == 0 && i + 1 < log.size()) params.push_back(log[i + 1]);
      ++at;
    }
  }
  std::string all;
  for (auto& l : log) all += l + "\n";
  ASSERT_EQ(at, want.size()) << all;
  EXPECT_NE(params[0].find("'Alice'"), std::string::npos) << params[0];
  EXPECT_NE(params[1].find("'First Post', 'Content of first post', 1, 'Second Post', 'Content of second post', 1"),
            std::string::npos) << params[1];

  auto conn = engine.connect();
  auto rows = conn.execute("SELECT p.title, p.content, u.name FROM posts p JOIN users u ON u.id = p.user_id ORDER BY p.id")
                  .all<std::string, std::optional<std::string>, std::string>();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(std::get<0>(rows[0]), "First Post");
  EXPECT_EQ(std::get<1>(rows[1]), "Content of second post");
  EXPECT_EQ(std::get<2>(rows[1]), "Alice");
  EXPECT_EQ(Live::count, 0);
}

#ifdef RETORT_SEED_EXE
// examples/one_to_many itself, given the scratch database URL as argv[1].
TEST_P(Seed, ExampleProgram) {
  std::string cmd = std::string(RETORT_SEED_EXE) + " '" + db().url() + "' 2>&1";
  FILE* f = popen(cmd.c_str(), "r");
  ASSERT_NE(f, nullptr);
  std::string out;
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, f)) out.append(buf, n);
  ASSERT_EQ(pclose(f), 0) << out;
  auto users = out.find("INSERT INTO users (name)");
  auto posts = out.find("INSERT INTO posts (title, content, user_id)");
  auto commit = out.rfind("COMMIT");
  auto first = out.find("First Post\n");
  auto second = out.find("Second Post\n");
  ASSERT_NE(users, std::string::npos) << out;
  ASSERT_NE(posts, std::string::npos) << out;
  EXPECT_LT(users, posts);
  EXPECT_LT(posts, commit);
  EXPECT_NE(out.find("'First Post', 'Content of first post', 1, 'Second Post', 'Content of second post', 1)"),
            std::string::npos) << out;
  ASSERT_NE(first, std::string::npos) << out;
  EXPECT_LT(first, second);
  if (is_postgres()) {  // the rows outlive the program
    auto engine = db().engine();
    auto conn = engine.connect();
    EXPECT_EQ(conn.execute("SELECT count(*) FROM posts WHERE user_id = 1").scalar_one<std::int64_t>(), 2);
    EXPECT_EQ(conn.execute("SELECT name FROM users").scalar_one<std::string>(), "Alice");
  }
}
#endif

RETORT_ORM_SUITE(Seed);
