// EXPECT: a column member must be
#include "models.hpp"
template <>
struct retort::Mapping<User> {
  static constexpr auto table = "users";
  static void define(auto& m) {
    m.column("id", &User::id, retort::primary_key);
    m.column("posts", &User::posts);
  }
};
int main() { (void)retort::make<User>(); }
