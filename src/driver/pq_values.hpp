// Values of the libpq driver: PostgreSQL type OIDs, the column kind of each,
// and decoding of the binary result format (pq_driver.cpp says when it is
// used). Private to src/driver.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <optional>
#include <string>

#include "retort/driver/driver.hpp"

namespace retort::driver::pq {

// Type OIDs from pg_type.h (stable across server versions).
inline constexpr Oid kBool = 16, kBytea = 17, kName = 19, kInt8 = 20, kInt2 = 21, kInt4 = 23, kText = 25,
              kOid = 26, kFloat4 = 700, kFloat8 = 701, kBpchar = 1042, kVarchar = 1043, kNumeric = 1700,
              kDate = 1082, kTimestamp = 1114, kTimestampTz = 1184;

// PostgreSQL's epoch is 2000-01-01.
inline constexpr std::int64_t kMicrosPerDay = 86'400'000'000;
inline constexpr std::int64_t kPgEpochDays = 10'957;  // 1970-01-01 to 2000-01-01
inline constexpr std::int64_t kPgEpochMicros = kPgEpochDays * kMicrosPerDay;

/// The kind of value a column of this type holds.
ColumnKind kind_of(Oid type);
/// 1 (binary) when every column of a described statement has a type decoded
/// here in binary, else 0 (text): libpq takes one format per execution.
int result_format_for(const PGresult* description);

// Binary values (big-endian; dates in days, timestamps in microseconds since
// 2000-01-01).
std::int64_t binary_integer(Oid type, const char* p);
double binary_float(Oid type, const char* p);
/// nullopt for -infinity / infinity.
std::optional<std::int64_t> binary_date_days(const char* p);
std::optional<std::int64_t> binary_timestamp_micros(const char* p);
/// A double as the text format renders it ("NaN", "Infinity", shortest digits).
std::string float_text(double x);
/// A binary value of a decoded type as the text format would render it.
std::string binary_text(Oid type, const char* p, int len);

}  // namespace retort::driver::pq
