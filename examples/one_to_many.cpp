// The seed program (SQLAlchemy ORM 1:n, User has many Post) in retort,
// statement for statement. Usage: one_to_many [database-url]
//   (default sqlite:///:memory:; e.g. postgresql://postgres@/db?host=/tmp)
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>

#include "retort/orm.hpp"

// Models: plain structs.
struct Post;

struct User {
  std::int64_t id = 0;
  std::string name{};            // NOT NULL
  retort::Many<Post> posts{};    // one user has many posts
};

struct Post {
  std::int64_t id = 0;
  std::string title{};                    // NOT NULL
  std::optional<std::string> content{};   // nullable
  std::optional<std::int64_t> user_id{};  // ForeignKey('users.id')
  retort::One<User> author{};             // each post belongs to one user
};

// Mappings: one declaration per model.
template <>
struct retort::Mapping<User> {
  static constexpr auto table = "users";
  static void define(auto& m) {
    m.column("id", &User::id, retort::primary_key);
    m.column("name", &User::name);
    // back_populates links both sides; cascade="all, delete-orphan".
    m.one_to_many("posts", &User::posts, &Post::author,
                  retort::cascade::all | retort::cascade::delete_orphan);
  }
};

template <>
struct retort::Mapping<Post> {
  static constexpr auto table = "posts";
  static void define(auto& m) {
    m.column("id", &Post::id, retort::primary_key);
    m.column("title", &Post::title);
    m.column("content", &Post::content);
    m.column("user_id", &Post::user_id, retort::references(&User::id));
    m.many_to_one("author", &Post::author, &User::posts);
  }
};

int main(int argc, char** argv) {
  // The engine (SQLite in memory by default) and the tables.
  auto engine = retort::create_engine(argc > 1 ? argv[1] : "sqlite:///:memory:", {.echo = true});
  retort::create_all<User, Post>(engine);

  // The session.
  retort::Session session(engine);

  // Adding data.
  auto user1 = retort::make<User>({.name = "Alice"});
  auto post1 = retort::make<Post>({.title = "First Post", .content = "Content of first post"});
  post1->author = user1;
  auto post2 = retort::make<Post>({.title = "Second Post", .content = "Content of second post"});
  post2->author = user1;

  session.add(user1);
  session.commit();

  // Print the titles of all of Alice's posts.
  for (auto& post : user1->posts) std::cout << post->title << '\n';
}
