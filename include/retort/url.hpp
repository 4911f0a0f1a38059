// retort/url.hpp — database URLs in SQLAlchemy's form.
//
//   sqlite:///:memory:            in-memory database (also "sqlite://")
//   sqlite:///relative/path.db    path relative to the working directory
//   sqlite:////absolute/path.db   absolute path
//   postgresql://user:pass@host:port/dbname?host=/unix/socket/dir
//
// User, password, host and database may be percent-encoded.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace retort {

struct Url {
  std::string drivername;  ///< "sqlite" or "postgresql"
  std::string username;
  std::string password;
  std::string host;
  std::optional<int> port;
  std::string database;  ///< for SQLite the file path, ":memory:" for memory
  std::map<std::string, std::string> query;

  /// The URL with the password masked, for logs and error messages.
  std::string to_display() const;
};

/// Parses a URL. Throws ArgumentError naming the malformed part.
Url parse_url(std::string_view text);

}  // namespace retort
