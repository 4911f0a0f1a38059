// Models for the compile-fail cases: each case defines one broken mapping.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "retort/orm.hpp"

struct Post;
struct User {
  std::int64_t id = 0;
  std::string name{};
  retort::Many<Post> posts{};
};
struct Post {
  std::int64_t id = 0;
  std::string title{};
  std::optional<std::int64_t> user_id{};
  retort::One<User> author{};
};
struct Unmapped {
  std::int64_t id = 0;
};
