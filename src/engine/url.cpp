// Parsing of database URLs (see retort/url.hpp for the accepted forms).
#include "retort/url.hpp"

#include "retort/error.hpp"

namespace retort {

namespace {

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string decode(std::string_view s, const char* part) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size() || hex(s[i + 1]) < 0 || hex(s[i + 2]) < 0)
      throw ArgumentError(std::string("bad percent-encoding in the ") + part + " of the database URL");
    out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
    i += 2;
  }
  return out;
}

}  // namespace

std::string Url::to_display() const {
  std::string out = drivername + "://";
  if (drivername == "sqlite") return out + "/" + database;
  if (!username.empty()) {
    out += username;
    if (!password.empty()) out += ":***";
    out += "@";
  }
  out += host;
  if (port) {
    out += ':';
    out += std::to_string(*port);
  }
  out += '/';
  out += database;
  char sep = '?';
  for (auto& [k, v] : query) {
    out += sep + k + "=" + v;
    sep = '&';
  }
  return out;
}

Url parse_url(std::string_view text) {
  Url url;
  auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0)
    throw ArgumentError("database URL '" + std::string(text) +
                        "' has no scheme; expected e.g. sqlite:///file.db or postgresql://user@host/db");
  std::string scheme(text.substr(0, scheme_end));
  // "postgresql+libpq" names a driver after '+': accepted, there is one driver per database.
  if (auto plus = scheme.find('+'); plus != std::string::npos) scheme.resize(plus);
  if (scheme == "postgres") scheme = "postgresql";
  if (scheme != "sqlite" && scheme != "postgresql")
    throw ArgumentError("unknown database scheme '" + scheme + "' in URL; supported: sqlite, postgresql");
  url.drivername = scheme;
  std::string_view rest = text.substr(scheme_end + 3);

  // Query string: key=value pairs after '?'.
  if (auto q = rest.find('?'); q != std::string_view::npos) {
    std::string_view query = rest.substr(q + 1);
    rest = rest.substr(0, q);
    while (!query.empty()) {
      auto amp = query.find('&');
      std::string_view pair = query.substr(0, amp);
      auto eq = pair.find('=');
      if (eq == std::string_view::npos || eq == 0)
        throw ArgumentError("bad query parameter '" + std::string(pair) +
                            "' in database URL; expected key=value");
      url.query[decode(pair.substr(0, eq), "query")] = decode(pair.substr(eq + 1), "query");
      query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    }
  }

  if (scheme == "sqlite") {
    // sqlite:// and sqlite:///:memory: are memory; sqlite:///x is relative, sqlite:////x absolute.
    if (rest.empty()) {
      url.database = ":memory:";
    } else if (rest[0] != '/') {
      throw ArgumentError("SQLite URL '" + std::string(text) +
                          "' names a host; use sqlite:///relative.db or sqlite:////absolute.db");
    } else {
      url.database = decode(rest.substr(1), "path");
      if (url.database.empty()) url.database = ":memory:";
    }
    return url;
  }

  auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) url.database = decode(rest.substr(slash + 1), "database name");
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    auto colon = userinfo.find(':');
    url.username = decode(userinfo.substr(0, colon), "user name");
    if (colon != std::string_view::npos) url.password = decode(userinfo.substr(colon + 1), "password");
  }
  // host[:port]; an IPv6 host is bracketed: [::1]:5432
  std::string_view hostport = authority;
  std::string_view portpart;
  if (!hostport.empty() && hostport[0] == '[') {
    auto close = hostport.find(']');
    if (close == std::string_view::npos) throw ArgumentError("unclosed '[' in the host of the database URL");
    url.host = std::string(hostport.substr(1, close - 1));
    std::string_view after = hostport.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') throw ArgumentError("unexpected text after ']' in the host of the database URL");
      portpart = after.substr(1);
    }
  } else {
    auto colon = hostport.rfind(':');
    url.host = decode(hostport.substr(0, colon), "host");
    if (colon != std::string_view::npos) portpart = hostport.substr(colon + 1);
  }
  if (!portpart.empty() || authority.ends_with(":")) {
    int port = 0;
    for (char c : portpart) {
      if (c < '0' || c > '9' || port > 65535)
        throw ArgumentError("bad port '" + std::string(portpart) + "' in the database URL");
      port = port * 10 + (c - '0');
    }
    if (portpart.empty() || port == 0 || port > 65535)
      throw ArgumentError("bad port '" + std::string(portpart) + "' in the database URL");
    url.port = port;
  }
  return url;
}

}  // namespace retort
