// Round trips of every supported C++ type through each database, and the
// errors for values that do not fit the C++ type asked for.
#include <limits>

#include "retort/engine.hpp"
#include "retort/error.hpp"
#include "retort/schema.hpp"
#include "support/backend.hpp"

namespace retort {
namespace {

using namespace std::chrono;

class TypesTest : public testing::ConnectedTest {
 protected:
  void SetUp() override {
    ConnectedTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    MetaData md;
    auto& t = md.add_table("vals");
    t.add(Column("id", types::Integer).primary_key());
    t.add(Column("i32", types::Integer));
    t.add(Column("i64", types::BigInteger));
    t.add(Column("dbl", types::Float));
    t.add(Column("flag", types::Boolean));
    t.add(Column("short_text", types::String(50)));
    t.add(Column("long_text", types::Text));
    t.add(Column("bin", types::Binary));
    t.add(Column("day", types::Date));
    t.add(Column("at", types::DateTime));
    md.create_all(*conn_);
  }
  std::string ph(int i) const { return is_postgres() ? "$" + std::to_string(i) : "?"; }

  // Stores `v` in `column` of a fresh row and reads it back as T.
  template <class T>
  T round_trip(const std::string& column, const Value& v) {
    conn_->execute_script("DELETE FROM vals");
    conn_->execute("INSERT INTO vals (id, " + column + ") VALUES (1, " + ph(1) + ")", {v});
    auto r = conn_->execute("SELECT " + column + " FROM vals WHERE id = 1");
    EXPECT_TRUE(r.next());
    return r.get<T>(0);
  }
};

TEST_P(TypesTest, Integers) {
  constexpr auto min64 = std::numeric_limits<std::int64_t>::min();
  constexpr auto max64 = std::numeric_limits<std::int64_t>::max();
  EXPECT_EQ(round_trip<std::int64_t>("i64", min64), min64);
  EXPECT_EQ(round_trip<std::int64_t>("i64", max64), max64);
  EXPECT_EQ(round_trip<std::int32_t>("i32", std::int64_t{-2147483648LL}), -2147483647 - 1);
  EXPECT_EQ(round_trip<std::int32_t>("i32", std::int64_t{2147483647}), 2147483647);
  EXPECT_EQ(round_trip<std::int64_t>("i64", std::int64_t{0}), 0);
}

TEST_P(TypesTest, FloatingPoint) {
  EXPECT_DOUBLE_EQ(round_trip<double>("dbl", 3.141592653589793), 3.141592653589793);
  EXPECT_DOUBLE_EQ(round_trip<double>("dbl", -1e-300), -1e-300);
  EXPECT_FLOAT_EQ(round_trip<float>("dbl", 2.5), 2.5f);
}

TEST_P(TypesTest, Booleans) {
  EXPECT_TRUE(round_trip<bool>("flag", true));
  EXPECT_FALSE(round_trip<bool>("flag", false));
}

TEST_P(TypesTest, Strings) {
  EXPECT_EQ(round_trip<std::string>("short_text", std::string()), "");
  EXPECT_EQ(round_trip<std::string>("short_text", std::string("O'Brien \"quoted\"")), "O'Brien \"quoted\"");
  std::string unicode = "Grüße, 世界, emoji \xF0\x9F\x98\x80";
  EXPECT_EQ(round_trip<std::string>("long_text", unicode), unicode);
  std::string big(100000, 'x');
  EXPECT_EQ(round_trip<std::string>("long_text", big), big);
}

TEST_P(TypesTest, BytesWithEmbeddedZeros) {
  Bytes b{0x00, 0x01, 0xff, 0x00, 0x7f, 0x80, 0x00};
  EXPECT_EQ(round_trip<Bytes>("bin", b), b);
  EXPECT_EQ(round_trip<Bytes>("bin", Bytes{}), Bytes{});
  Bytes all(256);
  for (int i = 0; i < 256; ++i) all[i] = static_cast<std::uint8_t>(i);
  EXPECT_EQ(round_trip<Bytes>("bin", all), all);
}

TEST_P(TypesTest, DatesAndTimestamps) {
  Date d = sys_days{year{2024} / February / 29};
  EXPECT_EQ(round_trip<Date>("day", d), d);
  Date early = sys_days{year{1900} / January / 1};
  EXPECT_EQ(round_trip<Date>("day", early), early);
  Timestamp t = sys_days{year{2026} / November / 28} + hours{19} + minutes{37} + seconds{5} + microseconds{123456};
  EXPECT_EQ(round_trip<Timestamp>("at", t), t);
  Timestamp whole = sys_days{year{1999} / December / 31} + hours{23} + minutes{59} + seconds{59};
  EXPECT_EQ(round_trip<Timestamp>("at", whole), whole);
}

TEST_P(TypesTest, NullReadsAsNulloptAndOnlyAsOptional) {
  for (const char* col : {"i32", "i64", "dbl", "flag", "short_text", "long_text", "bin", "day", "at"}) {
    conn_->execute_script("DELETE FROM vals");
    conn_->execute_script("INSERT INTO vals (id) VALUES (1)");
    auto r = conn_->execute(std::string("SELECT ") + col + " FROM vals");
    ASSERT_TRUE(r.next());
    EXPECT_EQ(r.get<std::optional<std::string>>(0), std::nullopt) << col;
    EXPECT_EQ(r.get<std::optional<std::int64_t>>(0), std::nullopt) << col;
    EXPECT_TRUE(is_null(r.get<Value>(0))) << col;
  }
  auto r = conn_->execute("SELECT i64 FROM vals");
  ASSERT_TRUE(r.next());
  try {
    (void)r.get<std::int64_t>(0);
    FAIL() << "NULL read into int64_t";
  } catch (const ConversionError& e) {
    EXPECT_NE(std::string(e.what()).find("is NULL"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("std::optional"), std::string::npos) << e.what();
  }
}

TEST_P(TypesTest, OptionalRoundTrip) {
  EXPECT_EQ(round_trip<std::optional<std::string>>("short_text", std::string("x")), std::optional<std::string>("x"));
  EXPECT_EQ(round_trip<std::optional<std::int64_t>>("i64", Null{}), std::nullopt);
}

TEST_P(TypesTest, ValueThatDoesNotFitIsAClearError) {
  round_trip<std::int64_t>("i64", std::int64_t{5000000000LL});
  auto r = conn_->execute("SELECT i64 FROM vals");
  ASSERT_TRUE(r.next());
  try {
    (void)r.get<std::int32_t>(0);
    FAIL() << "5000000000 read into int32_t";
  } catch (const ConversionError& e) {
    EXPECT_NE(std::string(e.what()).find("does not fit in int32_t"), std::string::npos) << e.what();
  }
  round_trip<std::string>("short_text", std::string("not a number"));
  auto r2 = conn_->execute("SELECT short_text FROM vals");
  ASSERT_TRUE(r2.next());
  EXPECT_THROW((void)r2.get<std::int64_t>(0), ConversionError);
  EXPECT_THROW((void)r2.get<Bytes>(0), ConversionError);
  EXPECT_THROW((void)r2.get<Date>(0), ConversionError);
  round_trip<double>("dbl", 2.5);
  auto r3 = conn_->execute("SELECT dbl FROM vals");
  ASSERT_TRUE(r3.next());
  EXPECT_THROW((void)r3.get<std::int64_t>(0), ConversionError);  // 2.5 is not integral
}

INSTANTIATE_TEST_SUITE_P(Backends, TypesTest, ::testing::ValuesIn(testing::backends()), testing::BackendName());

}  // namespace
}  // namespace retort
