// EXPECT: back_populates of one_to_many must name the child's One<Owner> member
#include "models.hpp"
template <>
struct retort::Mapping<User> {
  static constexpr auto table = "users";
  static void define(auto& m) {
    m.column("id", &User::id, retort::primary_key);
    m.one_to_many("posts", &User::posts, &Post::title);
  }
};
template <>
struct retort::Mapping<Post> {
  static constexpr auto table = "posts";
  static void define(auto& m) {
    m.column("id", &Post::id, retort::primary_key);
    m.column("user_id", &Post::user_id, retort::references(&User::id));
    m.many_to_one("author", &Post::author, &User::posts);
  }
};
int main() { (void)retort::make<User>(); }
