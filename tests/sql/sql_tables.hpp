// Tables shared by the sql layer's tests: the seed's users and posts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "retort/sql.hpp"

namespace sqltest {

struct Users : retort::sql::TableRef {
  explicit Users(std::string_view alias = {}) : TableRef("users", alias) {}
  retort::sql::Column<std::int64_t> id{*this, "id"};
  retort::sql::Column<std::string> name{*this, "name"};
};

struct Posts : retort::sql::TableRef {
  explicit Posts(std::string_view alias = {}) : TableRef("posts", alias) {}
  retort::sql::Column<std::int64_t> id{*this, "id"};
  retort::sql::Column<std::string> title{*this, "title"};
  retort::sql::Column<std::optional<std::string>> content{*this, "content"};
  retort::sql::Column<std::optional<std::int64_t>> user_id{*this, "user_id"};
};

}  // namespace sqltest
