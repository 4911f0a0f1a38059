// Values of the libpq driver: column kinds by type OID and decoding of the
// binary result format (pq_values.hpp).
#include "driver/pq_values.hpp"

#include <bit>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "retort/error.hpp"

namespace retort::driver::pq {

// --- Column types ------------------------------------------------------------

ColumnKind kind_of(Oid type) {
  switch (type) {
    case kInt2:
    case kInt4:
    case kInt8:
    case kOid: return ColumnKind::Integer;
    case kFloat4:
    case kFloat8:
    case kNumeric: return ColumnKind::Float;
    case kBool: return ColumnKind::Bool;
    case kBytea: return ColumnKind::Blob;
    case kDate: return ColumnKind::Date;
    case kTimestamp:
    case kTimestampTz: return ColumnKind::Timestamp;
    default: return ColumnKind::Text;
  }
}

// Types read in binary format. For the text types the binary format is the
// text itself; the others are decoded below.
static bool decodes_binary(Oid type) {
  switch (type) {
    case kBool:
    case kBytea:
    case kName:
    case kInt8:
    case kInt2:
    case kInt4:
    case kText:
    case kOid:
    case kFloat4:
    case kFloat8:
    case kBpchar:
    case kVarchar:
    case kDate:
    case kTimestamp:
    case kTimestampTz: return true;
    default: return false;
  }
}

// The result format for a prepared statement, from its description.
int result_format_for(const PGresult* description) {
  for (int i = 0, n = PQnfields(description); i < n; ++i)
    if (!decodes_binary(PQftype(description, i))) return 0;
  return 1;
}

// --- Binary format ------------------------------------------------------------
//
// Numbers are big-endian; dates count days and timestamps microseconds from
// 2000-01-01, PostgreSQL's epoch, with the extreme values for -infinity and
// infinity.


template <class U>  // an unsigned integer type
static U load_be(const char* p) {
  U v = 0;
  for (std::size_t k = 0; k < sizeof(U); ++k) v = static_cast<U>(v << 8 | static_cast<unsigned char>(p[k]));
  return v;
}

std::int64_t binary_integer(Oid type, const char* p) {
  switch (type) {
    case kInt2: return static_cast<std::int16_t>(load_be<std::uint16_t>(p));
    case kInt4: return static_cast<std::int32_t>(load_be<std::uint32_t>(p));
    case kOid: return load_be<std::uint32_t>(p);  // unsigned
    default: return static_cast<std::int64_t>(load_be<std::uint64_t>(p));
  }
}

// A float4 widens as its text form would read (0.1 rather than
// 0.100000001490116...): the shortest decimal that round-trips the float, read
// as a double. So a REAL reads the same in both formats.
static double widen_as_text(float f) {
  if (!std::isfinite(f)) return f;
  char buf[32];
  auto end = std::to_chars(buf, buf + sizeof buf, f).ptr;
  double d = 0;
  std::from_chars(buf, end, d);
  return d;
}

double binary_float(Oid type, const char* p) {
  if (type == kFloat4) return widen_as_text(std::bit_cast<float>(load_be<std::uint32_t>(p)));
  return std::bit_cast<double>(load_be<std::uint64_t>(p));
}

// Days (date) or microseconds (timestamp) since 2000-01-01; nullopt for ±infinity.
std::optional<std::int64_t> binary_date_days(const char* p) {
  auto d = static_cast<std::int32_t>(load_be<std::uint32_t>(p));
  if (d == INT32_MIN || d == INT32_MAX) return std::nullopt;
  return d;
}
std::optional<std::int64_t> binary_timestamp_micros(const char* p) {
  auto us = static_cast<std::int64_t>(load_be<std::uint64_t>(p));
  if (us == INT64_MIN || us == INT64_MAX) return std::nullopt;
  return us;
}

// Year, month, day of a day count since 1970-01-01, for any day PostgreSQL
// stores (std::chrono::year stops at 32767): the Gregorian calendar repeats
// every 400 years (146,097 days), so whole cycles are taken out and
// std::chrono converts the rest, which falls in 1970-2369.
struct Civil {
  std::int64_t year;
  unsigned month, day;
};
static Civil civil_from_days(std::int64_t z) {
  constexpr std::int64_t kCycleDays = 146'097;
  const std::int64_t cycles = z / kCycleDays - (z % kCycleDays < 0);  // floor
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{z - cycles * kCycleDays}}};
  return {static_cast<int>(ymd.year()) + cycles * 400, static_cast<unsigned>(ymd.month()),
          static_cast<unsigned>(ymd.day())};
}

std::string float_text(double x) {
  if (std::isnan(x)) return "NaN";
  if (std::isinf(x)) return x > 0 ? "Infinity" : "-Infinity";
  char buf[32];
  return {buf, std::to_chars(buf, buf + sizeof buf, x).ptr};
}

// A binary date, timestamp or timestamptz as the text format renders it
// (DateStyle ISO, session time zone UTC): "2024-02-29", "1999-12-31
// 23:59:59.5", "... 12:00:00+00", "0044-03-15 BC", "infinity".
static std::string datetime_text(Oid type, const char* p) {
  std::int64_t days = 0, micros = 0;  // since 2000-01-01; microseconds into the day
  if (type == kDate) {
    auto d = binary_date_days(p);
    if (!d) return static_cast<std::int32_t>(load_be<std::uint32_t>(p)) > 0 ? "infinity" : "-infinity";
    days = *d;
  } else {
    auto us = binary_timestamp_micros(p);
    if (!us) return static_cast<std::int64_t>(load_be<std::uint64_t>(p)) > 0 ? "infinity" : "-infinity";
    days = *us / kMicrosPerDay - (*us % kMicrosPerDay < 0);  // floor
    micros = *us - days * kMicrosPerDay;
  }
  Civil c = civil_from_days(days + kPgEpochDays);
  bool bc = c.year <= 0;  // year 0 is 1 BC
  char buf[80];
  int n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(bc ? 1 - c.year : c.year),
                        c.month, c.day);
  if (type != kDate) {
    std::int64_t secs = micros / 1'000'000, frac = micros % 1'000'000;
    n += std::snprintf(buf + n, sizeof buf - n, " %02d:%02d:%02d", static_cast<int>(secs / 3600),
                       static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
    if (frac) {
      int digits = 6;
      for (; frac % 10 == 0; frac /= 10) --digits;  // the text format drops trailing zeros
      n += std::snprintf(buf + n, sizeof buf - n, ".%0*lld", digits, static_cast<long long>(frac));
    }
    if (type == kTimestampTz) n += std::snprintf(buf + n, sizeof buf - n, "+00");
  }
  if (bc) n += std::snprintf(buf + n, sizeof buf - n, " BC");
  return {buf, static_cast<std::size_t>(n)};
}

// A binary value of a decoded (non-text) type as the text format renders it.
std::string binary_text(Oid type, const char* p, int len) {
  switch (kind_of(type)) {
    case ColumnKind::Integer: return std::to_string(binary_integer(type, p));
    case ColumnKind::Float: return float_text(binary_float(type, p));
    case ColumnKind::Bool: return *p ? "t" : "f";
    case ColumnKind::Date:
    case ColumnKind::Timestamp: return datetime_text(type, p);
    case ColumnKind::Blob: {
      static constexpr char kHex[] = "0123456789abcdef";
      std::string out = "\\x";
      for (int k = 0; k < len; ++k) {
        auto b = static_cast<unsigned char>(p[k]);
        out += kHex[b >> 4];
        out += kHex[b & 15];
      }
      return out;
    }
    default: return std::string(p, static_cast<std::size_t>(len));
  }
}

}  // namespace retort::driver::pq
