#include <gtest/gtest.h>

#include "retort/error.hpp"
#include "retort/url.hpp"

using retort::ArgumentError;
using retort::parse_url;

TEST(Url, SqliteForms) {
  EXPECT_EQ(parse_url("sqlite:///:memory:").database, ":memory:");
  EXPECT_EQ(parse_url("sqlite://").database, ":memory:");
  EXPECT_EQ(parse_url("sqlite:///relative.db").database, "relative.db");
  EXPECT_EQ(parse_url("sqlite:///dir/relative.db").database, "dir/relative.db");
  EXPECT_EQ(parse_url("sqlite:////tmp/absolute.db").database, "/tmp/absolute.db");
  EXPECT_EQ(parse_url("sqlite:///with%20space.db").database, "with space.db");
  EXPECT_EQ(parse_url("sqlite:///:memory:").drivername, "sqlite");
}

TEST(Url, PostgresqlForms) {
  auto u = parse_url("postgresql://scott:ti%40ger@db.example:6543/my%2Fdb");
  EXPECT_EQ(u.drivername, "postgresql");
  EXPECT_EQ(u.username, "scott");
  EXPECT_EQ(u.password, "ti@ger");
  EXPECT_EQ(u.host, "db.example");
  ASSERT_TRUE(u.port.has_value());
  EXPECT_EQ(*u.port, 6543);
  EXPECT_EQ(u.database, "my/db");
  EXPECT_EQ(u.to_display(), "postgresql://scott:***@db.example:6543/my/db");

  auto sock = parse_url("postgresql://postgres@/postgres?host=/tmp/pg%20dir");
  EXPECT_EQ(sock.host, "");
  EXPECT_EQ(sock.query.at("host"), "/tmp/pg dir");
  EXPECT_EQ(sock.username, "postgres");

  auto v6 = parse_url("postgres://u@[::1]:5433/d");
  EXPECT_EQ(v6.drivername, "postgresql");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(*v6.port, 5433);
  EXPECT_EQ(parse_url("postgresql+libpq://u@h/d").drivername, "postgresql");
}

// Each malformed URL is an ArgumentError whose message names the bad part.
TEST(Url, ErrorsNameTheBadPart) {
  auto message = [](const char* url) {
    try {
      parse_url(url);
    } catch (const ArgumentError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("mysql://u@h/d").find("unknown database scheme 'mysql'"), std::string::npos);
  EXPECT_NE(message("just-a-path.db").find("no scheme"), std::string::npos);
  EXPECT_NE(message("postgresql://u@h:port/d").find("bad port 'port'"), std::string::npos);
  EXPECT_NE(message("postgresql://u@h:99999/d").find("bad port"), std::string::npos);
  EXPECT_NE(message("postgresql://u%zz@h/d").find("user name"), std::string::npos);
  EXPECT_NE(message("postgresql://u@h/d?novalue").find("bad query parameter 'novalue'"), std::string::npos);
  EXPECT_NE(message("sqlite://host/file.db").find("names a host"), std::string::npos);
}
