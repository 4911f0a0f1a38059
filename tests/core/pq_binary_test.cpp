// PostgreSQL result formats: the first execution of a statement reads text
// results, later executions run it prepared and read binary results when every
// column's type is decoded in binary. Each test runs its SQL three times on one
// connection and checks that every execution reads the same values, so both
// formats are covered, with the edge values of each type.
#include <cmath>
#include <functional>
#include <limits>

#include "retort/engine.hpp"
#include "retort/error.hpp"
#include "support/backend.hpp"

namespace retort {
namespace {

using namespace std::chrono;

std::vector<testing::Backend> postgresql_only() {
  std::vector<testing::Backend> out;
  for (auto& b : testing::backends())
    if (b.name == "postgresql") out.push_back(b);
  return out;
}

class PqBinaryTest : public testing::ConnectedTest {
 protected:
  // Runs `sql` (one row) kExecutions times and calls check(row, execution)
  // on each row. Execution 0 reads text; 1 prepares, then 1 and 2 read binary
  // (unless a column's type keeps the statement in text).
  static constexpr int kExecutions = 3;
  void each_execution(const std::string& sql, const std::function<void(const Result&, int)>& check,
                      std::initializer_list<Value> params = {}) {
    for (int e = 0; e < kExecutions; ++e) {
      SCOPED_TRACE("execution " + std::to_string(e) + " of " + sql);
      auto r = conn_->execute(sql, params);
      ASSERT_TRUE(r.next());
      check(r, e);
      EXPECT_FALSE(r.next());
    }
  }
  // The value of column 0 read as T in every execution (compared with the first).
  template <class T>
  T same_in_each_execution(const std::string& sql, std::initializer_list<Value> params = {}) {
    std::vector<T> seen;
    each_execution(sql, [&](const Result& r, int) { seen.push_back(r.get<T>(0)); }, params);
    for (std::size_t k = 1; k < seen.size(); ++k) EXPECT_EQ(seen[k], seen[0]) << sql << ", execution " << k;
    return seen.empty() ? T{} : seen[0];
  }
  // Column 0 read as T throws ConversionError in every execution.
  template <class T>
  void throws_in_each_execution(const std::string& sql) {
    each_execution(sql, [](const Result& r, int) { EXPECT_THROW((void)r.get<T>(0), ConversionError); });
  }

};

TEST_P(PqBinaryTest, IntegerLimitsAndSigns) {
  each_execution(
      "SELECT (-32768)::int2, 32767::int2, (-2147483648)::int4, 2147483647::int4, "
      "(-9223372036854775808)::int8, 9223372036854775807::int8, (-1)::int8, 0::int4, 4294967295::oid",
      [](const Result& r, int) {
        EXPECT_EQ(r.get<std::int16_t>(0), std::numeric_limits<std::int16_t>::min());
        EXPECT_EQ(r.get<std::int16_t>(1), std::numeric_limits<std::int16_t>::max());
        EXPECT_EQ(r.get<std::int32_t>(2), std::numeric_limits<std::int32_t>::min());
        EXPECT_EQ(r.get<std::int32_t>(3), std::numeric_limits<std::int32_t>::max());
        EXPECT_EQ(r.get<std::int64_t>(4), std::numeric_limits<std::int64_t>::min());
        EXPECT_EQ(r.get<std::int64_t>(5), std::numeric_limits<std::int64_t>::max());
        EXPECT_EQ(r.get<std::int64_t>(6), -1);
        EXPECT_EQ(r.get<std::int64_t>(7), 0);
        EXPECT_EQ(r.get<std::int64_t>(8), 4294967295LL);  // oid is unsigned
        EXPECT_EQ(r.get<double>(2), -2147483648.0);
        EXPECT_EQ(std::get<std::int64_t>(r.get<Value>(0)), -32768);
      });
}

TEST_P(PqBinaryTest, IntegersThatDoNotFitAreErrors) {
  each_execution("SELECT 32768::int4, (-2147483649)::int8, 5::int2", [](const Result& r, int) {
    EXPECT_THROW((void)r.get<std::int16_t>(0), ConversionError);
    EXPECT_THROW((void)r.get<std::int32_t>(1), ConversionError);
    EXPECT_THROW((void)r.get<bool>(2), ConversionError);
    EXPECT_THROW((void)r.get<std::string>(2), ConversionError);
    EXPECT_THROW((void)r.get<Date>(2), ConversionError);
  });
}

TEST_P(PqBinaryTest, FloatsAndTheirSpecialValues) {
  each_execution(
      "SELECT 'NaN'::float8, 'Infinity'::float8, '-Infinity'::float8, '-0'::float8, 4.9406564584124654e-324::float8, "
      "1.7976931348623157e308::float8, 0.1::float4, (-2.5)::float4, 'NaN'::float4, '-Infinity'::float4, "
      "3::float8, 2.5::float8, (-1e15)::float8",
      [](const Result& r, int) {
        EXPECT_TRUE(std::isnan(r.get<double>(0)));
        EXPECT_EQ(r.get<double>(1), std::numeric_limits<double>::infinity());
        EXPECT_EQ(r.get<double>(2), -std::numeric_limits<double>::infinity());
        EXPECT_EQ(r.get<double>(3), 0.0);
        EXPECT_TRUE(std::signbit(r.get<double>(3)));
        EXPECT_EQ(r.get<double>(4), std::numeric_limits<double>::denorm_min());
        EXPECT_EQ(r.get<double>(5), std::numeric_limits<double>::max());
        EXPECT_EQ(r.get<double>(6), 0.1);  // a REAL widens as its text reads, in both formats
        EXPECT_EQ(r.get<float>(6), 0.1f);
        EXPECT_EQ(r.get<float>(7), -2.5f);
        EXPECT_TRUE(std::isnan(r.get<float>(8)));
        EXPECT_EQ(r.get<float>(9), -std::numeric_limits<float>::infinity());
        EXPECT_EQ(r.get<std::int64_t>(10), 3);  // integral floats read as integers
        EXPECT_THROW((void)r.get<std::int64_t>(11), ConversionError);
        EXPECT_EQ(r.get<std::int64_t>(12), -1'000'000'000'000'000);
        EXPECT_THROW((void)r.get<std::int64_t>(0), ConversionError);
      });
}

TEST_P(PqBinaryTest, Booleans) {
  each_execution("SELECT true, false", [](const Result& r, int) {
    EXPECT_TRUE(r.get<bool>(0));
    EXPECT_FALSE(r.get<bool>(1));
    EXPECT_EQ(r.get<std::int64_t>(0), 1);
    EXPECT_EQ(r.get<std::int64_t>(1), 0);
    EXPECT_EQ(std::get<bool>(r.get<Value>(0)), true);
    EXPECT_THROW((void)r.get<std::string>(0), ConversionError);
  });
}

TEST_P(PqBinaryTest, TextTypes) {
  const std::string unicode = "Grüße, 世界, \xF0\x9F\x98\x80";
  each_execution(
      "SELECT ''::text, ''::varchar, 'ab'::char(4), $1::text, 'pg_class'::name, repeat('x', 100000), '\\x41'::text",
      [&](const Result& r, int) {
        EXPECT_EQ(r.get<std::string>(0), "");
        EXPECT_EQ(r.get<std::string>(1), "");
        EXPECT_EQ(r.get<std::string>(2), "ab  ");
        EXPECT_EQ(r.get<std::string>(3), unicode);
        EXPECT_EQ(r.get<std::string>(4), "pg_class");
        EXPECT_EQ(r.get<std::string>(5), std::string(100000, 'x'));
        EXPECT_EQ(r.get<std::string>(6), "\\x41");
        EXPECT_EQ(std::get<std::string>(r.get<Value>(3)), unicode);
        EXPECT_THROW((void)r.get<std::int64_t>(0), ConversionError);
        EXPECT_THROW((void)r.get<Bytes>(3), ConversionError);
        EXPECT_THROW((void)r.get<Date>(3), ConversionError);
      },
      {Value(unicode)});
}

TEST_P(PqBinaryTest, ByteaWithZeroBytes) {
  Bytes all(256);
  for (int i = 0; i < 256; ++i) all[i] = static_cast<std::uint8_t>(i);
  each_execution(
      "SELECT '\\x00ff00'::bytea, ''::bytea, $1::bytea",
      [&](const Result& r, int) {
        EXPECT_EQ(r.get<Bytes>(0), (Bytes{0x00, 0xff, 0x00}));
        EXPECT_EQ(r.get<Bytes>(1), Bytes{});
        EXPECT_EQ(r.get<Bytes>(2), all);
        EXPECT_EQ(std::get<Bytes>(r.get<Value>(0)), (Bytes{0x00, 0xff, 0x00}));
        EXPECT_THROW((void)r.get<std::string>(0), ConversionError);
        EXPECT_THROW((void)r.get<std::int64_t>(0), ConversionError);
      },
      {Value(all)});
}

TEST_P(PqBinaryTest, DatesAroundTheEpochsAndFarOut) {
  EXPECT_EQ(same_in_each_execution<Date>("SELECT '2000-01-01'::date"), sys_days{year{2000} / January / 1});
  EXPECT_EQ(same_in_each_execution<Date>("SELECT '1999-12-31'::date"), sys_days{year{1999} / December / 31});
  EXPECT_EQ(same_in_each_execution<Date>("SELECT '1970-01-01'::date"), sys_days{year{1970} / January / 1});
  EXPECT_EQ(same_in_each_execution<Date>("SELECT '1900-03-01'::date"), sys_days{year{1900} / March / 1});
  EXPECT_EQ(same_in_each_execution<Date>("SELECT '2024-02-29'::date"), sys_days{year{2024} / February / 29});
  EXPECT_EQ(same_in_each_execution<Date>("SELECT '9999-12-31'::date"), sys_days{year{9999} / December / 31});
  // As strings, binary values render as the text format does.
  EXPECT_EQ(same_in_each_execution<std::string>("SELECT '1999-12-31'::date"), "1999-12-31");
  EXPECT_EQ(same_in_each_execution<std::string>("SELECT '0044-03-15 BC'::date"), "0044-03-15 BC");
  EXPECT_EQ(same_in_each_execution<std::string>("SELECT '5874897-12-31'::date"), "5874897-12-31");
  EXPECT_EQ(same_in_each_execution<std::string>("SELECT 'infinity'::date"), "infinity");
  EXPECT_EQ(same_in_each_execution<std::string>("SELECT '-infinity'::date"), "-infinity");
  throws_in_each_execution<Date>("SELECT 'infinity'::date");
  throws_in_each_execution<Date>("SELECT '-infinity'::date");
}

TEST_P(PqBinaryTest, TimestampsAroundTheEpochsAndFarOut) {
  auto at = [](year_month_day d, long long micros) { return Timestamp{sys_days{d}} + microseconds{micros}; };
  EXPECT_EQ(same_in_each_execution<Timestamp>("SELECT '2026-11-28 19:37:05.123456'::timestamp"),
            at(year{2026} / November / 28, ((19 * 60 + 37) * 60 + 5) * 1'000'000LL + 123456));
  EXPECT_EQ(same_in_each_execution<Timestamp>("SELECT '2000-01-01 00:00:00'::timestamp"), at(year{2000} / January / 1, 0));
  EXPECT_EQ(same_in_each_execution<Timestamp>("SELECT '1999-12-31 23:59:59.999999'::timestamp"),
            at(year{2000} / January / 1, -1));
  EXPECT_EQ(same_in_each_execution<Timestamp>("SELECT '1969-12-31 23:59:59.5'::timestamp"),
            at(year{1970} / January / 1, -500'000));
  EXPECT_EQ(same_in_each_execution<Timestamp>("SELECT '1900-01-01 00:00:01'::timestamp"),
            at(year{1900} / January / 1, 1'000'000));
  EXPECT_EQ(same_in_each_execution<Timestamp>("SELECT '9999-12-31 23:59:59.999999'::timestamp"),
            at(year{10000} / January / 1, -1));
  // timestamptz reads as UTC (the session time zone).
  EXPECT_EQ(same_in_each_execution<Timestamp>("SELECT '2024-01-02 03:04:05.12+02'::timestamptz"),
            at(year{2024} / January / 2, ((1 * 60 + 4) * 60 + 5) * 1'000'000LL + 120'000));
  // As strings, binary values render as the text format does.
  EXPECT_EQ(same_in_each_execution<std::string>("SELECT '1999-12-31 23:59:59.5'::timestamp"), "1999-12-31 23:59:59.5");
  EXPECT_EQ(same_in_each_execution<std::string>("SELECT '2024-01-02 03:04:05'::timestamp"), "2024-01-02 03:04:05");
  EXPECT_EQ(same_in_each_execution<std::string>("SELECT '2024-01-02 03:04:05.000001'::timestamptz"),
            "2024-01-02 03:04:05.000001+00");
  EXPECT_EQ(same_in_each_execution<std::string>("SELECT '0044-03-15 12:00:00.25 BC'::timestamptz"),
            "0044-03-15 12:00:00.25+00 BC");
  EXPECT_EQ(same_in_each_execution<std::string>("SELECT '-infinity'::timestamp"), "-infinity");
  throws_in_each_execution<Timestamp>("SELECT 'infinity'::timestamp");
  throws_in_each_execution<Timestamp>("SELECT '-infinity'::timestamptz");
  // Beyond what Timestamp (int64 microseconds since 1970) holds.
  throws_in_each_execution<Timestamp>("SELECT '294276-12-31 23:59:59'::timestamp");
}

TEST_P(PqBinaryTest, ValuesOnlyTheBinaryFormatCarriesDecodeFromTheSecondExecution) {
  // The text parser takes four-digit years after Christ only, so these show
  // that executions after the first really read binary results.
  each_execution("SELECT '10000-01-01'::date, '0044-03-15 BC'::date, '5874897-12-31'::date, "
                 "'10000-01-01 00:00:00.5'::timestamp",
                 [](const Result& r, int execution) {
                   if (execution == 0) return;
                   EXPECT_EQ(r.get<Date>(0), sys_days{year{10000} / January / 1});
                   EXPECT_EQ(r.get<Date>(1), sys_days{year{-43} / March / 15});  // 1 BC is year 0
                   EXPECT_EQ(r.get<Date>(2), Date{days{2145042905}});  // PostgreSQL's last date
                   EXPECT_EQ(r.get<Timestamp>(3), Timestamp{sys_days{year{10000} / January / 1}} + microseconds{500'000});
                 });
}

TEST_P(PqBinaryTest, NullsOfEveryType) {
  each_execution(
      "SELECT NULL::int2, NULL::int4, NULL::int8, NULL::oid, NULL::float4, NULL::float8, NULL::bool, NULL::text, "
      "NULL::varchar, NULL::bytea, NULL::date, NULL::timestamp, NULL::timestamptz",
      [](const Result& r, int) {
        for (int i = 0; i < r.column_count(); ++i) {
          EXPECT_EQ(r.get<std::optional<std::int64_t>>(i), std::nullopt) << i;
          EXPECT_EQ(r.get<std::optional<std::string>>(i), std::nullopt) << i;
          EXPECT_TRUE(is_null(r.get<Value>(i))) << i;
          EXPECT_THROW((void)r.get<std::int64_t>(i), ConversionError) << i;
        }
        EXPECT_EQ(r.get<std::optional<Bytes>>(9), std::nullopt);
        EXPECT_EQ(r.get<std::optional<Date>>(10), std::nullopt);
        EXPECT_EQ(r.get<std::optional<Timestamp>>(11), std::nullopt);
      });
}

TEST_P(PqBinaryTest, UntypedValuesAreTheSameInBothFormats) {
  std::vector<std::vector<Value>> rows;
  for (int e = 0; e < kExecutions; ++e)
    rows.push_back(conn_->execute("SELECT 1::int2, 2::int4, 3::int8, 1.5::float4, 2.5::float8, true, 'x'::text, "
                                  "'\\x0001'::bytea, '2024-02-29'::date, '2024-02-29 12:00:00.5'::timestamp, "
                                  "'2024-02-29 12:00:00.5+00'::timestamptz, NULL::int4")
                       .all_values()
                       .at(0));
  Timestamp noon = Timestamp{sys_days{year{2024} / February / 29}} + hours{12} + milliseconds{500};
  std::vector<Value> want{std::int64_t{1}, std::int64_t{2}, std::int64_t{3}, 1.5, 2.5, true, std::string("x"),
                          Bytes{0, 1}, Date{sys_days{year{2024} / February / 29}}, noon, noon, Null{}};
  for (auto& row : rows) EXPECT_EQ(row, want);
}

TEST_P(PqBinaryTest, TypesWithoutBinaryDecodingKeepTheStatementInText) {
  each_execution(
      "SELECT 12345.678::numeric, 42::int4, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, '{\"a\": 1}'::jsonb, "
      "(SELECT sum(x) FROM (VALUES (9007199254740993::int8)) v(x)), '1 day'::interval, ARRAY[1, 2]",
      [](const Result& r, int) {
        EXPECT_DOUBLE_EQ(r.get<double>(0), 12345.678);
        EXPECT_EQ(r.get<std::int32_t>(1), 42);
        EXPECT_EQ(r.get<std::string>(2), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        EXPECT_EQ(r.get<std::string>(3), "{\"a\": 1}");
        EXPECT_EQ(r.get<std::int64_t>(4), 9007199254740993LL);  // numeric sum, exact
        EXPECT_EQ(r.get<std::string>(5), "1 day");
        EXPECT_EQ(r.get<std::string>(6), "{1,2}");
        EXPECT_THROW((void)r.get<std::int64_t>(2), ConversionError);
      });
}

TEST_P(PqBinaryTest, ManyRowsWithParametersAndNulls) {
  conn_->execute_script("CREATE TABLE t (id INTEGER PRIMARY KEY, name VARCHAR NOT NULL, score FLOAT, day DATE)");
  conn_->execute_script(
      "INSERT INTO t SELECT g, 'name ' || g, CASE WHEN g % 3 = 0 THEN NULL ELSE g * 0.5 END, "
      "DATE '1999-12-01' + g FROM generate_series(1, 1000) g");
  for (std::int64_t from : {0, 10, 500, 990, 1000}) {
    auto r = conn_->execute("SELECT id, name, score, day FROM t WHERE id > $1 ORDER BY id", {Value(from)});
    std::int64_t want = from;
    while (r.next()) {
      ++want;
      ASSERT_EQ(r.get<std::int32_t>(0), want);
      ASSERT_EQ(r.get<std::string>(1), "name " + std::to_string(want));
      auto score = r.get<std::optional<double>>(2);
      ASSERT_EQ(score, want % 3 == 0 ? std::nullopt : std::optional<double>(want * 0.5));
      ASSERT_EQ(r.get<Date>(3), sys_days{year{1999} / December / 1} + days{want});
    }
    EXPECT_EQ(want, 1000);
  }
}

TEST_P(PqBinaryTest, PrepareErrorsAreReportedAndTheConnectionStaysUsable) {
  for (int e = 0; e < kExecutions; ++e) {
    EXPECT_THROW(conn_->execute("SELEC 1"), ProgrammingError) << e;  // the second one fails while preparing
    EXPECT_EQ(conn_->execute("SELECT 7::int8").scalar_one<std::int64_t>(), 7);
  }
  std::vector<std::vector<Value>> rows{{std::int64_t{1}}};
  EXPECT_THROW(conn_->execute_many("INSERT INTO missing_table VALUES ($1)", rows), ProgrammingError);
  EXPECT_EQ(conn_->execute("SELECT 8::int8").scalar_one<std::int64_t>(), 8);
}

INSTANTIATE_TEST_SUITE_P(Backends, PqBinaryTest, ::testing::ValuesIn(postgresql_only()), testing::BackendName());

}  // namespace
}  // namespace retort
