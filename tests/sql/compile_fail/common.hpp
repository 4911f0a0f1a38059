// Shared declarations for the compile-failure cases (each case is a .cpp file
// that must NOT compile; its first line names the expected message).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "retort/sql.hpp"

namespace sql = retort::sql;

struct Users : sql::TableRef {
  Users() : TableRef("users") {}
  sql::Column<std::int64_t> id{*this, "id"};
  sql::Column<std::string> name{*this, "name"};
  sql::Column<std::optional<std::string>> nickname{*this, "nickname"};
};
