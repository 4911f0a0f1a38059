// Loader strategies on a small blog: users with a profile (one-to-one), their
// posts, the posts' tags (many-to-many) and a comment tree per post, loaded
// in a fixed number of queries whatever the row counts.
// Prints the SQL of each load and the statement count.
// Usage: blog [database-url]   (default sqlite:///:memory:)
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>

#include "retort/orm.hpp"

struct Post;
struct Comment;
struct Profile;
struct Tag;

struct User {
  std::int64_t id = 0;
  std::string name{};
  retort::One<Profile> profile{};
  retort::Many<Post> posts{};
};
struct Profile {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string bio{};
  retort::One<User> user{};
};
struct Post {
  std::int64_t id = 0;
  std::string title{};
  std::optional<std::int64_t> user_id{};
  retort::One<User> author{};
  retort::Many<Comment> comments{};
  retort::Many<Tag> tags{};
};
struct Tag {
  std::int64_t id = 0;
  std::string name{};
  retort::Many<Post> posts{};
};
struct Comment {  // a tree: replies point at their parent comment
  std::int64_t id = 0;
  std::string text{};
  std::optional<std::int64_t> post_id{};
  std::optional<std::int64_t> parent_id{};
  retort::One<Post> post{};
  retort::One<Comment> parent{};
  retort::Many<Comment> replies{};
};

template <>
struct retort::Mapping<User> {
  static constexpr auto table = "users";
  static void define(auto& m) {
    m.column("id", &User::id, retort::primary_key);
    m.column("name", &User::name);
    m.one_to_one("profile", &User::profile, &Profile::user,
                 retort::cascade::all | retort::cascade::delete_orphan);
    m.one_to_many("posts", &User::posts, &Post::author, retort::cascade::all);
  }
};
template <>
struct retort::Mapping<Profile> {
  static constexpr auto table = "profiles";
  static void define(auto& m) {
    m.column("id", &Profile::id, retort::primary_key);
    m.column("user_id", &Profile::user_id, retort::references(&User::id), retort::unique);
    m.column("bio", &Profile::bio);
    m.many_to_one("user", &Profile::user, &User::profile);
  }
};
template <>
struct retort::Mapping<Tag> {
  static constexpr auto table = "tags";
  static void define(auto& m) {
    m.column("id", &Tag::id, retort::primary_key);
    m.column("name", &Tag::name, retort::unique);
    m.many_to_many("posts", &Tag::posts, &Post::tags, retort::secondary("post_tags", "tag_id", "post_id"));
  }
};
template <>
struct retort::Mapping<Post> {
  static constexpr auto table = "posts";
  static void define(auto& m) {
    m.column("id", &Post::id, retort::primary_key);
    m.column("title", &Post::title);
    m.column("user_id", &Post::user_id, retort::references(&User::id));
    m.many_to_one("author", &Post::author, &User::posts);
    m.one_to_many("comments", &Post::comments, &Comment::post, retort::cascade::all);
    m.many_to_many("tags", &Post::tags, &Tag::posts, retort::secondary("post_tags", "post_id", "tag_id"));
  }
};
template <>
struct retort::Mapping<Comment> {
  static constexpr auto table = "comments";
  static void define(auto& m) {
    m.column("id", &Comment::id, retort::primary_key);
    m.column("text", &Comment::text);
    m.column("post_id", &Comment::post_id, retort::references(&Post::id));
    m.column("parent_id", &Comment::parent_id, retort::references(&Comment::id));
    m.many_to_one("post", &Comment::post, &Post::comments);
    m.many_to_one("parent", &Comment::parent, &Comment::replies);
    m.one_to_many("replies", &Comment::replies, &Comment::parent, retort::cascade::all);
  }
};

namespace {

void print_tree(const Comment& c, int depth) {
  std::cout << std::string(std::size_t(depth) * 2 + 4, ' ') << c.text << '\n';
  for (auto& r : c.replies) print_tree(*r, depth + 1);
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t statements = 0;
  retort::EngineOptions opts;
  opts.on_statement = [&](std::string_view sql, std::span<const retort::Value>) {
    ++statements;
    std::cout << "  SQL: " << sql << '\n';
  };
  auto engine = retort::create_engine(argc > 1 ? argv[1] : "sqlite:///:memory:", std::move(opts));
  retort::create_all<User, Profile, Post, Comment, Tag>(engine);
  {
    retort::Session session(engine);
    auto cpp = retort::make<Tag>({.name = "c++"});
    auto orm = retort::make<Tag>({.name = "orm"});
    for (std::string name : {"Alice", "Bob"}) {
      auto user = retort::make<User>({.name = name, .profile = retort::make<Profile>({.bio = name + " writes"})});
      for (int p = 1; p <= 2; ++p) {
        auto post = retort::make<Post>({.title = name + "'s post " + std::to_string(p), .author = user});
        post->tags.push_back(cpp);
        if (p == 2) post->tags.push_back(orm);
        auto top = retort::make<Comment>({.text = "first!", .post = post});
        auto reply = retort::make<Comment>({.text = "reply", .parent = top});
        retort::make<Comment>({.text = "reply to the reply", .parent = reply});
      }
      session.add(user);
    }
    session.commit();
  }

  std::cout << "\n-- users with profiles, posts, tags and three comment levels\n";
  statements = 0;
  retort::Session session(engine);
  using retort::selectinload;
  auto users = session.query<User>()
                   .options(retort::joinedload(&User::profile),
                            selectinload(&User::posts).selectinload(&Post::tags),
                            selectinload(&User::posts)
                                .selectinload(&Post::comments)
                                .selectinload(&Comment::replies)
                                .selectinload(&Comment::replies)
                                .selectinload(&Comment::replies))
                   .order_by(retort::col(&User::id))
                   .all();
  std::cout << "statements: " << statements
            << " (1 query with the profiles joined + posts + tags + comments + 3 reply levels)\n";
  statements = 0;
  for (auto& u : users) {
    std::cout << u->name << " (" << u->profile->bio << ")\n";
    for (auto& p : u->posts) {
      std::cout << "  " << p->title << "  [";
      for (auto& t : p->tags) std::cout << ' ' << t->name;
      std::cout << " ]\n";
      for (auto& c : p->comments)
        print_tree(*c, 0);
    }
  }
  std::cout << "statements while printing: " << statements << '\n';

  session.close();  // (one SQLite :memory: connection: one Session at a time)

  std::cout << "\n-- posts with their authors: joined, one statement\n";
  statements = 0;
  retort::Session s2(engine);
  auto posts = s2.query<Post>().options(retort::joinedload(&Post::author)).all();
  for (auto& p : posts) std::cout << "  " << p->title << " by " << p->author->name << '\n';
  std::cout << "statements: " << statements << " (1 query)\n";
  return 0;
}
