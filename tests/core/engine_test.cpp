// Engine, Connection, statement cache, echo and pool behaviour on every backend.
#include <atomic>
#include <thread>

#include "retort/engine.hpp"
#include "retort/error.hpp"
#include "support/backend.hpp"

namespace retort {
namespace {

using testing::BackendTest;

class EngineTest : public BackendTest {
 protected:
  // Pool behaviour needs real separate connections: on SQLite that means a
  // database file (an in-memory database lives in its single connection).
  Engine pooled_engine(EngineOptions options) {
    if (is_postgres()) return db().engine(std::move(options));
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& c : name)
      if (c == '/') c = '_';
    path_ = ::testing::TempDir() + "retort_pool_" + name + ".db";
    std::remove(path_.c_str());
    return create_engine("sqlite:///" + path_, std::move(options));
  }
  void TearDown() override {
    if (!path_.empty()) std::remove(path_.c_str());
    BackendTest::TearDown();
  }
  std::string path_;
};

TEST_P(EngineTest, ExecuteBindsAndReadsRows) {
  auto engine = db().engine();
  auto conn = engine.connect();
  conn.execute_script("CREATE TABLE t (id INTEGER PRIMARY KEY, name VARCHAR(20) NOT NULL)");
  std::string ins = is_postgres() ? "INSERT INTO t (id, name) VALUES ($1, $2)" : "INSERT INTO t (id, name) VALUES (?, ?)";
  EXPECT_EQ(conn.execute(ins, {Value(std::int64_t{1}), Value(std::string("one"))}).rows_affected(), 1);
  std::vector<std::vector<Value>> rows{{std::int64_t{2}, std::string("two")}, {std::int64_t{3}, std::string("three")}};
  EXPECT_EQ(conn.execute_many(ins, rows), 2);
  auto r = conn.execute("SELECT id, name FROM t ORDER BY id");
  auto all = r.all<std::int64_t, std::string>();
  ASSERT_EQ(all.size(), 3u);
  auto [id, name] = all[2];
  EXPECT_EQ(id, 3);
  EXPECT_EQ(name, "three");
  EXPECT_EQ(conn.execute("SELECT count(*) FROM t").scalar_one<std::int64_t>(), 3);
}

TEST_P(EngineTest, ExecuteManyReportsTheFailingRowAndKeepsTheConnectionUsable) {
  auto engine = db().engine();
  auto conn = engine.connect();
  conn.execute_script("CREATE TABLE u (id INTEGER PRIMARY KEY, name VARCHAR(20) NOT NULL UNIQUE)");
  std::string ins = is_postgres() ? "INSERT INTO u (id, name) VALUES ($1, $2)" : "INSERT INTO u (id, name) VALUES (?, ?)";
  std::vector<std::vector<Value>> rows;
  for (int i = 0; i < 600; ++i) rows.push_back({std::int64_t{i}, std::string("n") + std::to_string(i)});
  rows[450][1] = std::string("n3");  // duplicate name: fails in the second pipelined chunk
  {
    auto tx = conn.begin();
    try {
      conn.execute_many(ins, rows);
      FAIL() << "duplicate accepted";
    } catch (const IntegrityError& e) {
      ASSERT_EQ(e.params().size(), 2u);
      EXPECT_EQ(std::get<std::int64_t>(e.params()[0]), 450);
    }
    tx.rollback();
  }
  EXPECT_EQ(conn.execute("SELECT count(*) FROM u").scalar_one<std::int64_t>(), 0);
  rows[450][1] = std::string("n450");
  auto tx = conn.begin();
  EXPECT_EQ(conn.execute_many(ins, rows), 600);
  tx.commit();
  EXPECT_EQ(conn.execute("SELECT count(*) FROM u").scalar_one<std::int64_t>(), 600);
  EXPECT_EQ(conn.execute("SELECT name FROM u WHERE id = 599").scalar_one<std::string>(), "n599");
}

// execute_write binds the caller's values without copies (SQLite): the
// strings here are longer than any small-string buffer and die right after
// the call, so a pointer kept past it would read freed memory (ASan).
TEST_P(EngineTest, ExecuteWriteCountsRowsAndKeepsNoPointerToTheValues) {
  auto engine = db().engine();
  auto conn = engine.connect();
  conn.execute_script("CREATE TABLE w (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL UNIQUE)");
  auto p = [&](int n) { return is_postgres() ? "$" + std::to_string(n) : std::string("?"); };
  const std::string ins = "INSERT INTO w (id, name) VALUES (" + p(1) + ", " + p(2) + "), (" + p(3) + ", " + p(4) + ")";
  {
    std::vector<Value> v{std::int64_t{1}, std::string(40, 'a'), std::int64_t{2}, std::string(40, 'b')};
    EXPECT_EQ(conn.execute_write(ins, v), 2);
  }
  {
    std::vector<Value> v{std::string(50, 'c'), std::int64_t{2}};
    EXPECT_EQ(conn.execute_write("UPDATE w SET name = " + p(1) + " WHERE id >= " + p(2), v), 1);
  }
  EXPECT_EQ(conn.execute("SELECT name FROM w WHERE id = 1").scalar_one<std::string>(), std::string(40, 'a'));
  EXPECT_EQ(conn.execute("SELECT name FROM w WHERE id = 2").scalar_one<std::string>(), std::string(50, 'c'));
  // A failure is the typed error with the SQL and the values; the statement
  // is reusable afterwards.
  {
    std::vector<Value> v{std::int64_t{3}, std::string(40, 'a'), std::int64_t{4}, std::string(40, 'd')};
    try {
      conn.execute_write(ins, v);
      FAIL() << "duplicate accepted";
    } catch (const IntegrityError& e) {
      EXPECT_EQ(e.sql(), ins);
      ASSERT_EQ(e.params().size(), 4u);
      EXPECT_EQ(std::get<std::string>(e.params()[3]), std::string(40, 'd'));
    }
  }
  std::vector<Value> v{std::int64_t{3}, std::string(40, 'e'), std::int64_t{4}, std::string(40, 'f')};
  EXPECT_EQ(conn.execute_write(ins, v), 2);
  EXPECT_EQ(conn.execute("SELECT count(*) FROM w").scalar_one<std::int64_t>(), 4);
  EXPECT_EQ(conn.execute_write("DELETE FROM w WHERE id > " + p(1), {Value{std::int64_t{1}}}), 3);
}

TEST_P(EngineTest, LastInsertRowidOnSqliteOnly) {
  auto engine = db().engine();
  auto conn = engine.connect();
  conn.execute_script(is_postgres() ? "CREATE TABLE r (id SERIAL PRIMARY KEY, v INTEGER)"
                                    : "CREATE TABLE r (id INTEGER PRIMARY KEY, v INTEGER)");
  conn.execute_script("INSERT INTO r (v) VALUES (1)");
  conn.execute_script("INSERT INTO r (v) VALUES (2)");
  if (is_postgres()) {
    EXPECT_EQ(conn.last_insert_rowid(), std::nullopt);
  } else {
    EXPECT_EQ(conn.last_insert_rowid(), std::optional<std::int64_t>(2));
  }
}

TEST_P(EngineTest, PostgresqlPreparesOnlyStatementsUsedTwice) {
  if (!is_postgres()) GTEST_SKIP() << "PostgreSQL server-side prepared statements";
  auto engine = db().engine();
  auto conn = engine.connect();
  auto named = [&] {
    return conn.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'SELECT 7%'")
        .scalar_one<std::int64_t>();
  };
  conn.execute("SELECT 7 AS once");
  EXPECT_EQ(named(), 0);
  conn.execute("SELECT 7 AS twice");
  conn.execute("SELECT 7 AS twice");
  EXPECT_EQ(named(), 1);
}

TEST_P(EngineTest, StatementCacheReusesPreparedStatements) {
  auto engine = db().engine();
  auto conn = engine.connect();
  auto before = conn.cached_statements();
  for (int i = 0; i < 5; ++i) conn.execute("SELECT 1").scalar_one<std::int64_t>();
  EXPECT_EQ(conn.cached_statements(), before + 1);
}

TEST_P(EngineTest, NestedResultsOverTheSameSqlDoNotInterfere) {
  auto engine = db().engine();
  auto conn = engine.connect();
  conn.execute_script("CREATE TABLE n (v INTEGER)");
  conn.execute_script("INSERT INTO n (v) VALUES (1)");
  conn.execute_script("INSERT INTO n (v) VALUES (2)");
  auto outer = conn.execute("SELECT v FROM n ORDER BY v");
  int pairs = 0;
  while (outer.next()) {
    auto inner = conn.execute("SELECT v FROM n ORDER BY v");
    while (inner.next()) ++pairs;
  }
  EXPECT_EQ(pairs, 4);
}

TEST_P(EngineTest, EchoLogsStatementsParametersAndTransactions) {
  std::vector<std::string> lines;
  auto engine = db().engine({.echo = true, .log_sink = [&](std::string_view l) { lines.emplace_back(l); }});
  auto conn = engine.connect();
  conn.execute_script("CREATE TABLE e (name TEXT)");
  auto tx = conn.begin();
  std::string ins = is_postgres() ? "INSERT INTO e (name) VALUES ($1)" : "INSERT INTO e (name) VALUES (?)";
  conn.execute(ins, {Value(std::string("Alice"))});
  conn.execute(ins, {Value(std::string("Bob"))});
  tx.commit();
  std::vector<std::string> expected{"CREATE TABLE e (name TEXT)", "BEGIN", ins, "[prepared] ('Alice',)",
                                    ins, "[cached] ('Bob',)", "COMMIT"};
  EXPECT_EQ(lines, expected);
}

TEST_P(EngineTest, StatementHookAndCounterSeeEveryStatement) {
  std::vector<std::string> seen;
  auto engine = db().engine({.on_statement = [&](std::string_view sql, std::span<const Value>) { seen.emplace_back(sql); }});
  auto conn = engine.connect();
  conn.execute("SELECT 1");
  conn.execute("SELECT 2");
  EXPECT_EQ(engine.statement_count(), 2u);
  EXPECT_EQ(seen, (std::vector<std::string>{"SELECT 1", "SELECT 2"}));
}

TEST_P(EngineTest, ClosedConnectionIsAUsageError) {
  auto engine = db().engine();
  auto conn = engine.connect();
  conn.close();
  EXPECT_TRUE(conn.closed());
  EXPECT_THROW(conn.execute("SELECT 1"), InvalidRequestError);
  EXPECT_THROW(conn.begin(), InvalidRequestError);
}

TEST_P(EngineTest, ConnectionsReturnToThePool) {
  auto engine = pooled_engine({.pool_size = 2, .max_overflow = 0});
  {
    auto a = engine.connect();
    auto b = engine.connect();
    EXPECT_EQ(engine.pool_checked_out(), 2u);
  }
  EXPECT_EQ(engine.pool_checked_out(), 0u);
  EXPECT_EQ(engine.pool_idle(), 2u);
  { auto c = engine.connect(); }
  EXPECT_EQ(engine.connections_opened(), 2u);  // reused, not reopened
}

TEST_P(EngineTest, ExhaustedPoolTimesOut) {
  auto engine = pooled_engine({.pool_size = 1, .max_overflow = 1, .pool_timeout = std::chrono::milliseconds(100)});
  auto a = engine.connect();
  auto b = engine.connect();  // overflow
  EXPECT_THROW(engine.connect(), TimeoutError);
}

TEST_P(EngineTest, WaitingCheckoutGetsAReturnedConnection) {
  auto engine = pooled_engine({.pool_size = 1, .max_overflow = 0, .pool_timeout = std::chrono::milliseconds(5000)});
  std::atomic<bool> got{false};
  {
    auto a = engine.connect();
    std::thread t([&] {
      auto b = engine.connect();
      got = b.execute("SELECT 1").scalar_one<std::int64_t>() == 1;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    a.close();
    t.join();
  }
  EXPECT_TRUE(got);
}

TEST_P(EngineTest, PoolIsThreadSafe) {
  auto engine = pooled_engine({.pool_size = 3, .max_overflow = 2});
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        auto c = engine.connect();
        if (c.execute("SELECT 41 + 1").scalar_one<std::int64_t>() == 42) ++ok;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 120);
  EXPECT_LE(engine.connections_opened(), 5u);
}

TEST_P(EngineTest, BrokenConnectionIsReplacedNotReused) {
  if (!is_postgres()) GTEST_SKIP() << "needs a server that can drop a connection";
  auto engine = db().engine({.pool_size = 1, .max_overflow = 0, .pool_pre_ping = true});
  std::int64_t pid = 0;
  {
    auto c = engine.connect();
    pid = c.execute("SELECT pg_backend_pid()").scalar_one<std::int64_t>();
  }
  {
    auto killer = create_engine(db().url()).connect();
    killer.execute("SELECT pg_terminate_backend($1)", {Value(pid)});
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto c = engine.connect();  // pre-ping notices and reconnects
  auto pid2 = c.execute("SELECT pg_backend_pid()").scalar_one<std::int64_t>();
  EXPECT_NE(pid, pid2);
  EXPECT_EQ(engine.connections_opened(), 2u);
}

TEST_P(EngineTest, LostConnectionIsAnOperationalErrorAndIsDiscarded) {
  if (!is_postgres()) GTEST_SKIP() << "needs a server that can drop a connection";
  auto engine = db().engine({.pool_size = 1, .max_overflow = 0});
  {
    auto c = engine.connect();
    auto pid = c.execute("SELECT pg_backend_pid()").scalar_one<std::int64_t>();
    auto killer = create_engine(db().url()).connect();
    killer.execute("SELECT pg_terminate_backend($1)", {Value(pid)});
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_THROW(c.execute("SELECT 1"), OperationalError);
    EXPECT_FALSE(c.is_alive());
  }
  EXPECT_EQ(engine.pool_idle(), 0u);  // not returned to the pool
  auto c = engine.connect();
  EXPECT_EQ(c.execute("SELECT 1").scalar_one<std::int64_t>(), 1);
}

TEST_P(EngineTest, MemoryDatabaseIsSharedByAllConnectionsOfAnEngine) {
  if (is_postgres()) GTEST_SKIP() << "SQLite :memory: behaviour";
  auto engine = db().engine();
  engine.connect().execute_script("CREATE TABLE shared (x INTEGER)");
  engine.connect().execute_script("INSERT INTO shared VALUES (7)");
  EXPECT_EQ(engine.connect().execute("SELECT x FROM shared").scalar_one<std::int64_t>(), 7);
}

TEST(EngineSqliteFile, FileDatabasePersistsAcrossEngines) {
  std::string path = ::testing::TempDir() + "retort_engine_file_test.db";
  std::remove(path.c_str());
  {
    auto engine = create_engine("sqlite:///" + path);
    engine.connect().execute_script("CREATE TABLE f (x INTEGER); INSERT INTO f VALUES (5)");
  }
  auto engine = create_engine("sqlite:///" + path);
  EXPECT_EQ(engine.connect().execute("SELECT x FROM f").scalar_one<std::int64_t>(), 5);
  std::remove(path.c_str());
}

TEST(EngineSqliteFile, ForeignKeysAreEnforced) {
  auto engine = create_engine("sqlite://");
  auto c = engine.connect();
  c.execute_script("CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE ch (pid INTEGER REFERENCES p (id))");
  EXPECT_THROW(c.execute("INSERT INTO ch (pid) VALUES (?)", {Value(std::int64_t{99})}), IntegrityError);
}

TEST(EngineOptions, UnknownSqliteUrlParameterIsAnError) {
  EXPECT_THROW(create_engine("sqlite:///x.db?bogus=1"), ArgumentError);
}

TEST(EngineOptions, UnreachableServerIsAnOperationalError) {
  auto engine = create_engine("postgresql://nobody@/nodb?host=/nonexistent-dir");
  EXPECT_THROW(engine.connect(), OperationalError);
}

INSTANTIATE_TEST_SUITE_P(Backends, EngineTest, ::testing::ValuesIn(testing::backends()), testing::BackendName());

}  // namespace
}  // namespace retort
