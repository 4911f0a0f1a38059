// Backend-parameterized fixtures for ORM tests: an engine on a scratch
// database with a statement log and helpers to count rows (LoggedEngineTest),
// plus every shared test model's table (OrmTest).
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "models.hpp"
#include "support/backend.hpp"

namespace orm_test {

/// An engine on a scratch database that logs every statement (SQL text) and
/// echo line, with row-count helpers; no tables.
class LoggedEngineTest : public retort::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    retort::EngineOptions o;
    o.on_statement = [this](std::string_view sql, std::span<const retort::Value>) {
      statements.emplace_back(sql);
    };
    o.log_sink = [this](std::string_view line) { echo.emplace_back(line); };
    engine_.emplace(db().engine(std::move(o)));
  }
  void TearDown() override {
    engine_.reset();
    BackendTest::TearDown();
  }
  retort::Engine& engine() { return *engine_; }

  /// SELECT count(*) on a fresh connection (sees only committed rows).
  std::int64_t count(const std::string& table, const std::string& where = "") {
    return scalar("SELECT count(*) FROM " + table + (where.empty() ? "" : " WHERE " + where));
  }
  /// The one integer a query returns, on a fresh connection.
  std::int64_t scalar(const std::string& sql) {
    auto conn = engine_->connect();
    return conn.execute(sql).scalar_one<std::int64_t>();
  }
  /// Statements run since the last call (and clears the list).
  std::vector<std::string> take_statements() {
    auto out = std::move(statements);
    statements.clear();
    return out;
  }
  static std::size_t count_prefix(const std::vector<std::string>& v, const std::string& prefix) {
    std::size_t n = 0;
    for (auto& s : v)
      if (s.rfind(prefix, 0) == 0) ++n;
    return n;
  }
  /// Index of the first statement starting with `prefix` in `v`, or -1.
  static long find_prefix(const std::vector<std::string>& v, const std::string& prefix) {
    for (std::size_t i = 0; i < v.size(); ++i)
      if (v[i].rfind(prefix, 0) == 0) return long(i);
    return -1;
  }

  std::vector<std::string> statements;
  std::vector<std::string> echo;
  std::optional<retort::Engine> engine_;
};

/// LoggedEngineTest with the tables of every model of models.hpp.
class OrmTest : public LoggedEngineTest {
 protected:
  void SetUp() override {
    LoggedEngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    retort::create_all<User, Post, Folder, Doc, Group, Item, Team, Member, Node, Pair>(engine());
    statements.clear();
  }

  /// Commits Alice (posts a1, a2), Bob (post b1 with content) and Carol (no
  /// posts), then forgets the statements that took.
  void seed_three_users() {
    retort::Session s(engine());
    s.add(retort::make<User>({.name = "Alice", .posts = {retort::make<Post>({.title = "a1"}), retort::make<Post>({.title = "a2"})}}));
    s.add(retort::make<User>({.name = "Bob", .posts = {retort::make<Post>({.title = "b1", .content = "x"})}}));
    s.add(retort::make<User>({.name = "Carol"}));
    s.commit();
    take_statements();
  }
};

#define RETORT_ORM_SUITE(Fixture)                                                      \
  INSTANTIATE_TEST_SUITE_P(Backends, Fixture,                                         \
                           ::testing::ValuesIn(::retort::testing::backends()),        \
                           ::retort::testing::BackendName())

}  // namespace orm_test
