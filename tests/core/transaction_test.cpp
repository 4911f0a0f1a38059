// Transactions and savepoints on every backend.
#include "retort/engine.hpp"
#include "retort/error.hpp"
#include "support/backend.hpp"

namespace retort {
namespace {

class TransactionTest : public testing::ConnectedTest {
 protected:
  void SetUp() override {
    ConnectedTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    conn_->execute_script("CREATE TABLE acc (v INTEGER)");
  }
  void insert(int v) {
    std::string sql = is_postgres() ? "INSERT INTO acc (v) VALUES ($1)" : "INSERT INTO acc (v) VALUES (?)";
    conn_->execute(sql, {Value(std::int64_t{v})});
  }
  std::int64_t count() { return conn_->execute("SELECT count(*) FROM acc").scalar_one<std::int64_t>(); }
};

TEST_P(TransactionTest, CommitKeepsWork) {
  auto tx = conn_->begin();
  insert(1);
  tx.commit();
  EXPECT_FALSE(tx.is_active());
  EXPECT_EQ(count(), 1);
}

TEST_P(TransactionTest, RollbackDiscardsWork) {
  auto tx = conn_->begin();
  insert(1);
  tx.rollback();
  EXPECT_EQ(count(), 0);
}

TEST_P(TransactionTest, DestructionWithoutCommitRollsBack) {
  {
    auto tx = conn_->begin();
    insert(1);
  }
  EXPECT_FALSE(conn_->in_transaction());
  EXPECT_EQ(count(), 0);
}

TEST_P(TransactionTest, SavepointRollbackKeepsOuterWork) {
  auto tx = conn_->begin();
  insert(1);
  {
    auto sp = conn_->begin_nested();
    EXPECT_TRUE(sp.is_nested());
    insert(2);
    sp.rollback();
  }
  {
    auto sp = conn_->begin_nested();
    insert(3);
    sp.commit();
  }
  tx.commit();
  auto rows = conn_->execute("SELECT v FROM acc ORDER BY v").all<std::int64_t>();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(std::get<0>(rows[0]), 1);
  EXPECT_EQ(std::get<0>(rows[1]), 3);
}

TEST_P(TransactionTest, OuterRollbackEndsInnerSavepoints) {
  auto tx = conn_->begin();
  auto sp = conn_->begin_nested();
  insert(1);
  tx.rollback();
  EXPECT_EQ(count(), 0);
  // The savepoint went with its transaction; destroying it is harmless.
}

TEST_P(TransactionTest, MisuseIsAClearError) {
  auto tx = conn_->begin();
  EXPECT_THROW(conn_->begin(), InvalidRequestError);
  tx.commit();
  EXPECT_THROW(tx.commit(), InvalidRequestError);
  EXPECT_THROW(tx.rollback(), InvalidRequestError);
  EXPECT_THROW(conn_->begin_nested(), InvalidRequestError);
}

TEST_P(TransactionTest, CommitWithActiveInnerSavepointIsRefused) {
  auto tx = conn_->begin();
  auto sp = conn_->begin_nested();
  EXPECT_THROW(tx.commit(), InvalidRequestError);
  sp.commit();
  tx.commit();
}

TEST_P(TransactionTest, ClosingAConnectionRollsBackItsTransaction) {
  auto other = engine_->connect();
  auto tx = other.begin();
  std::string sql = is_postgres() ? "INSERT INTO acc (v) VALUES ($1)" : "INSERT INTO acc (v) VALUES (?)";
  other.execute(sql, {Value(std::int64_t{9})});
  other.close();
  EXPECT_FALSE(tx.is_active() && other.in_transaction());
  EXPECT_EQ(count(), 0);
}

TEST_P(TransactionTest, UncommittedWorkIsInvisibleToOtherConnections) {
  if (!is_postgres()) GTEST_SKIP() << "an in-memory SQLite engine has one connection";
  auto tx = conn_->begin();
  insert(1);
  auto other = engine_->connect();
  EXPECT_EQ(other.execute("SELECT count(*) FROM acc").scalar_one<std::int64_t>(), 0);
  tx.commit();
  EXPECT_EQ(other.execute("SELECT count(*) FROM acc").scalar_one<std::int64_t>(), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, TransactionTest, ::testing::ValuesIn(testing::backends()), testing::BackendName());

}  // namespace
}  // namespace retort
