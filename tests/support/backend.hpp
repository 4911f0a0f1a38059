// tests/support/backend.hpp — run each database test on every backend.
//
// backends() lists SQLite (always) and PostgreSQL (the server named by the
// RETORT_PG_URL environment variable, which scripts/test.sh sets after
// starting a throwaway server). When RETORT_PG_URL is unset, PostgreSQL tests
// are skipped locally but fail under CI=true or RETORT_REQUIRE_PG=1, so that CI
// can never pass by silently testing one database.
//
// ScratchDatabase gives a test its own empty database: a fresh :memory: engine
// on SQLite, a fresh schema (dropped afterwards) on PostgreSQL, so tests can run
// in parallel against one server.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "retort/engine.hpp"

namespace retort::testing {

struct Backend {
  std::string name;  ///< "sqlite" or "postgresql"
  std::string url;   ///< empty: not configured on this machine
};

std::vector<Backend> backends();

/// How GoogleTest prints a Backend parameter in failure messages.
inline void PrintTo(const Backend& b, std::ostream* os) { *os << b.name; }

/// For INSTANTIATE_TEST_SUITE_P(..., ValuesIn(backends()), BackendName()).
struct BackendName {
  std::string operator()(const ::testing::TestParamInfo<Backend>& info) const {
    return info.param.name;
  }
};

class ScratchDatabase {
 public:
  /// Calls GTEST_SKIP-equivalent logic through ready(): check it first.
  explicit ScratchDatabase(const Backend& backend);
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  /// False when the backend is not configured (the test should skip).
  bool ready() const { return !url_.empty(); }
  /// A URL whose connections all see this scratch database only.
  const std::string& url() const { return url_; }
  /// A new engine on the scratch database. On SQLite the URL is
  /// sqlite:///:memory:, so each engine() is a separate empty database:
  /// create one engine per test and share it.
  Engine engine(EngineOptions options = {}) const;
  const Backend& backend() const { return backend_; }
  bool is_postgres() const { return backend_.name == "postgresql"; }

 private:
  Backend backend_;
  std::string url_;
  std::string schema_;  ///< PostgreSQL schema to drop at the end
};

/// Skips (or, under CI, fails) the current test when `db` is not usable.
/// Use at the top of a test: RETORT_REQUIRE_BACKEND(db);
#define RETORT_REQUIRE_BACKEND(db)                                                        \
  do {                                                                                    \
    if (!(db).ready()) {                                                                  \
      if (::retort::testing::backend_required()) FAIL() << "RETORT_PG_URL is not set";    \
      GTEST_SKIP() << (db).backend().name << " is not configured (set RETORT_PG_URL)";    \
    }                                                                                     \
  } while (0)

bool backend_required();

/// A fixture parameterised by backend with a ready scratch database.
class BackendTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<ScratchDatabase>(GetParam());
    RETORT_REQUIRE_BACKEND(*db_);
  }
  void TearDown() override { db_.reset(); }
  ScratchDatabase& db() { return *db_; }
  bool is_postgres() const { return db_->is_postgres(); }

 private:
  std::unique_ptr<ScratchDatabase> db_;
};

/// BackendTest with an engine and one connection on the scratch database
/// (engine_, conn_), closed before the database goes away.
class ConnectedTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    engine_.emplace(db().engine());
    conn_.emplace(engine_->connect());
  }
  void TearDown() override {
    conn_.reset();
    engine_.reset();
    BackendTest::TearDown();
  }
  std::optional<Engine> engine_;
  std::optional<Connection> conn_;
};

}  // namespace retort::testing
