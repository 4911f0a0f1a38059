// Display and ISO 8601 conversions for retort::Value.
#include "retort/value.hpp"

#include <charconv>
#include <cstdio>

namespace retort {

namespace {

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

std::string double_text(double d) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, r.ptr);
}

// Reads exactly `n` digits at s[pos], advancing pos; -1 when they are not digits.
int digits(std::string_view s, std::size_t& pos, std::size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  pos += n;
  return v;
}

// Appends rather than `"'" + s + "'"`, which trips GCC 12's -Wrestrict false positive.
std::string quoted(const std::string& s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('\'');
  out += s;
  out.push_back('\'');
  return out;
}

}  // namespace

std::string to_display(const Value& v) {
  return std::visit(
      Overloaded{
          [](Null) -> std::string { return "None"; },
          [](std::int64_t i) { return std::to_string(i); },
          [](double d) { return double_text(d); },
          [](bool b) -> std::string { return b ? "True" : "False"; },
          [](const std::string& s) {
            // Long values are shortened: the log is for people.
            constexpr std::size_t kMax = 200;
            std::string out = "'";
            out.append(s, 0, std::min(s.size(), kMax));
            if (s.size() > kMax) out += "...";
            return out + "'";
          },
          [](const Bytes& b) {
            static const char* hex = "0123456789abcdef";
            std::string out = "<bytes x'";
            for (std::size_t i = 0; i < b.size() && i < 64; ++i) {
              out += hex[b[i] >> 4];
              out += hex[b[i] & 15];
            }
            if (b.size() > 64) out += "...";
            return out + "'>";
          },
          [](Date d) { return quoted(format_date(d)); },
          [](Timestamp t) { return quoted(format_timestamp(t)); },
      },
      v);
}

std::string to_display(const std::vector<Value>& params) {
  // A multi-row INSERT binds thousands of values: show the head and the
  // tail, as SQLAlchemy's "... displaying 10 of N ..." does, so that an echo
  // line or an error message stays readable. (The error object keeps them all.)
  constexpr std::size_t kHead = 24, kTail = 3;
  const bool cut = params.size() > kHead + kTail + 1;
  std::string out = "(";
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (cut && i == kHead) {
      out += ", ... " + std::to_string(params.size() - kHead - kTail) + " more of " +
             std::to_string(params.size()) + " parameters ...";
      i = params.size() - kTail - 1;
      continue;
    }
    if (i) out += ", ";
    out += to_display(params[i]);
  }
  if (params.size() == 1) out += ",";
  return out + ")";
}

std::string format_date(Date d) {
  std::chrono::year_month_day ymd{d};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

std::string format_timestamp(Timestamp t) {
  auto day = std::chrono::floor<std::chrono::days>(t);
  std::chrono::hh_mm_ss<std::chrono::microseconds> tod{t - day};
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s %02d:%02d:%02d.%06lld", format_date(day).c_str(),
                static_cast<int>(tod.hours().count()), static_cast<int>(tod.minutes().count()),
                static_cast<int>(tod.seconds().count()),
                static_cast<long long>(tod.subseconds().count()));
  return buf;
}

std::optional<Date> parse_date(std::string_view s) {
  std::size_t pos = 0;
  int y = digits(s, pos, 4);
  if (y < 0 || pos >= s.size() || s[pos++] != '-') return std::nullopt;
  int m = digits(s, pos, 2);
  if (m < 0 || pos >= s.size() || s[pos++] != '-') return std::nullopt;
  int d = digits(s, pos, 2);
  if (d < 0) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                  std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  if (pos != s.size()) return std::nullopt;
  return std::chrono::sys_days{ymd};
}

std::optional<Timestamp> parse_timestamp(std::string_view s) {
  if (s.size() < 19) return std::nullopt;
  auto date = parse_date(s.substr(0, 10));
  if (!date || (s[10] != ' ' && s[10] != 'T')) return std::nullopt;
  std::size_t pos = 11;
  int h = digits(s, pos, 2);
  if (h < 0 || pos >= s.size() || s[pos++] != ':') return std::nullopt;
  int mi = digits(s, pos, 2);
  if (mi < 0 || pos >= s.size() || s[pos++] != ':') return std::nullopt;
  int sec = digits(s, pos, 2);
  if (sec < 0 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  long long micros = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int n = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (n < 6) micros = micros * 10 + (s[pos] - '0');
      ++n;
      ++pos;
    }
    if (n == 0) return std::nullopt;
    for (; n < 6; ++n) micros *= 10;
  }
  if (pos != s.size()) return std::nullopt;
  using namespace std::chrono;
  return Timestamp{*date} + hours{h} + minutes{mi} + seconds{sec} + microseconds{micros};
}

}  // namespace retort
