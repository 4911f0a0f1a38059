// Database errors become typed exceptions carrying SQL, parameters and the
// driver's message, on every backend.
#include "retort/engine.hpp"
#include "retort/error.hpp"
#include "support/backend.hpp"

namespace retort {
namespace {

class ErrorsTest : public testing::ConnectedTest {
 protected:
  void SetUp() override {
    ConnectedTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    conn_->execute_script(
        "CREATE TABLE owner (id INTEGER PRIMARY KEY, email VARCHAR(50) NOT NULL UNIQUE, age INTEGER CHECK (age >= 0))");
    conn_->execute_script("CREATE TABLE pet (id INTEGER PRIMARY KEY, owner_id INTEGER REFERENCES owner (id))");
    conn_->execute_script("INSERT INTO owner (id, email, age) VALUES (1, 'a@x', 30)");
  }
  std::string ph(int i) const { return is_postgres() ? "$" + std::to_string(i) : "?"; }

  // Runs an insert expected to violate a constraint; returns the error.
  IntegrityError violation(const std::string& sql, std::vector<Value> params) {
    try {
      conn_->execute(sql, params);
    } catch (const IntegrityError& e) {
      return e;
    }
    ADD_FAILURE() << "no IntegrityError for " << sql;
    return IntegrityError("", "", {}, "");
  }
};

TEST_P(ErrorsTest, UniqueViolationCarriesSqlAndParameters) {
  std::string sql = "INSERT INTO owner (id, email) VALUES (" + ph(1) + ", " + ph(2) + ")";
  auto e = violation(sql, {std::int64_t{2}, std::string("a@x")});
  EXPECT_EQ(e.sql(), sql);
  ASSERT_EQ(e.params().size(), 2u);
  EXPECT_EQ(std::get<std::string>(e.params()[1]), "a@x");
  EXPECT_EQ(e.code(), is_postgres() ? "23505" : "SQLITE_CONSTRAINT_UNIQUE");
  EXPECT_NE(std::string(e.what()).find("'a@x'"), std::string::npos) << e.what();
  EXPECT_FALSE(e.driver_message().empty());
}

// A multi-row INSERT binds many values: the message shows the first 24 and
// the last 3, the error object keeps them all.
TEST_P(ErrorsTest, LongParameterListsAreShortenedInMessagesOnly) {
  std::string sql = "INSERT INTO owner (id, email) VALUES ";
  std::vector<Value> params(200);
  for (int i = 0; i < 100; ++i) {
    sql += (i ? ", (" : "(") + ph(2 * i + 1) + ", " + ph(2 * i + 2) + ")";
    params[std::size_t(2 * i)] = std::int64_t{100 + i};
    params[std::size_t(2 * i + 1)] = i == 99 ? std::string("a@x") : "row" + std::to_string(i) + "@x";
  }
  auto e = violation(sql, params);
  EXPECT_EQ(e.params().size(), 200u);
  std::string what = e.what();
  EXPECT_NE(what.find("(100, 'row0@x', 101,"), std::string::npos) << what;
  EXPECT_NE(what.find(", ... 173 more of 200 parameters ..., 'row98@x', 199, 'a@x')"), std::string::npos) << what;
  EXPECT_EQ(what.find("'row50@x'"), std::string::npos) << what;
}

TEST_P(ErrorsTest, ForeignKeyNotNullAndCheckViolations) {
  auto fk = violation("INSERT INTO pet (id, owner_id) VALUES (1, " + ph(1) + ")", {std::int64_t{42}});
  EXPECT_EQ(fk.code(), is_postgres() ? "23503" : "SQLITE_CONSTRAINT_FOREIGNKEY");
  auto nn = violation("INSERT INTO owner (id, email) VALUES (" + ph(1) + ", NULL)", {std::int64_t{3}});
  EXPECT_EQ(nn.code(), is_postgres() ? "23502" : "SQLITE_CONSTRAINT_NOTNULL");
  auto ck = violation("INSERT INTO owner (id, email, age) VALUES (4, 'b@x', " + ph(1) + ")", {std::int64_t{-1}});
  EXPECT_EQ(ck.code(), is_postgres() ? "23514" : "SQLITE_CONSTRAINT_CHECK");
}

TEST_P(ErrorsTest, FailedStatementInTransactionRollsBackCleanly) {
  {
    auto tx = conn_->begin();
    conn_->execute_script("INSERT INTO owner (id, email) VALUES (5, 'c@x')");
    EXPECT_THROW(conn_->execute_script("INSERT INTO owner (id, email) VALUES (6, 'c@x')"), IntegrityError);
    tx.rollback();
  }
  EXPECT_EQ(conn_->execute("SELECT count(*) FROM owner").scalar_one<std::int64_t>(), 1);
  // The connection stays usable.
  conn_->execute_script("INSERT INTO owner (id, email) VALUES (7, 'd@x')");
  EXPECT_EQ(conn_->execute("SELECT count(*) FROM owner").scalar_one<std::int64_t>(), 2);
}

TEST_P(ErrorsTest, BadSqlIsAProgrammingError) {
  EXPECT_THROW(conn_->execute("SELEC 1"), ProgrammingError);
  try {
    conn_->execute("SELECT * FROM no_such_table");
    FAIL();
  } catch (const ProgrammingError& e) {
    EXPECT_EQ(e.sql(), "SELECT * FROM no_such_table");
    EXPECT_NE(std::string(e.what()).find("no_such_table"), std::string::npos);
  }
}

TEST_P(ErrorsTest, WrongParameterCountIsReported) {
  EXPECT_THROW(conn_->execute("SELECT " + ph(1), {}), DatabaseError);
}

TEST_P(ErrorsTest, ResultAccessorsRequireARow) {
  auto r = conn_->execute("SELECT id FROM owner WHERE id = 999");
  EXPECT_FALSE(r.next());
  EXPECT_THROW((void)r.get<std::int64_t>(0), InvalidRequestError);
  EXPECT_THROW(conn_->execute("SELECT id FROM owner WHERE id = 999").scalar_one<std::int64_t>(), NoResultFound);
  conn_->execute_script("INSERT INTO owner (id, email) VALUES (2, 'z@x')");
  EXPECT_THROW(conn_->execute("SELECT id FROM owner").scalar_one<std::int64_t>(), MultipleResultsFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, ErrorsTest, ::testing::ValuesIn(testing::backends()), testing::BackendName());

}  // namespace
}  // namespace retort
