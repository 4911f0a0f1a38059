// Models shared by the ORM tests: the seed's User/Post, plus a parent/child
// pair whose foreign key is NOT NULL and has no delete cascade, and a table
// with a composite primary key.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "retort/orm.hpp"

namespace orm_test {

/// Counts live instances (an unmapped member of the test models), so tests
/// can assert that graphs are freed.
struct Live {
  static inline int count = 0;
  Live() { ++count; }
  Live(const Live&) { ++count; }
  Live(Live&&) noexcept { ++count; }
  Live& operator=(const Live&) = default;
  ~Live() { --count; }
};

struct Post;
struct User {
  std::int64_t id = 0;
  std::string name{};
  retort::Many<Post> posts{};
  Live live{};
};
struct Post {
  std::int64_t id = 0;
  std::string title{};
  std::optional<std::string> content{};
  std::optional<std::int64_t> user_id{};
  retort::One<User> author{};
  Live live{};
};

// Folder 1:n Doc, default cascade (save-update, merge), Doc.folder_id NOT NULL.
struct Doc;
struct Folder {
  std::int64_t id = 0;
  std::string label{};
  retort::Many<Doc> docs{};
};
struct Doc {
  std::int64_t id = 0;
  std::string body{};
  std::int64_t folder_id = 0;
  retort::One<Folder> folder{};
};

// Group 1:n Item with delete cascade only, nullable FK.
struct Item;
struct Group {
  std::int64_t id = 0;
  std::string name{};
  retort::Many<Item> items{};
};
struct Item {
  std::int64_t id = 0;
  std::string name{};
  std::optional<std::int64_t> group_id{};
  retort::One<Group> group{};
};

// Team 1:n Member, default cascade, nullable FK: deleting a team sets NULL.
struct Member;
struct Team {
  std::int64_t id = 0;
  std::string name{};
  retort::Many<Member> members{};
};
struct Member {
  std::int64_t id = 0;
  std::string name{};
  std::optional<std::int64_t> team_id{};
  retort::One<Team> team{};
};

// A self-referential tree: rows of one table ordered by their links.
struct Node {
  std::int64_t id = 0;
  std::string name{};
  std::optional<std::int64_t> parent_id{};
  retort::One<Node> parent{};
  retort::Many<Node> children{};
};

// Composite primary key, no generated key.
struct Pair {
  std::int32_t a = 0;
  std::string b{};
  double weight = 0;
  std::optional<std::string> note{};
};

}  // namespace orm_test

template <>
struct retort::Mapping<orm_test::User> {
  static constexpr auto table = "users";
  static void define(auto& m) {
    using orm_test::User, orm_test::Post;
    m.column("id", &User::id, retort::primary_key);
    m.column("name", &User::name);
    m.one_to_many("posts", &User::posts, &Post::author,
                  retort::cascade::all | retort::cascade::delete_orphan);
  }
};
template <>
struct retort::Mapping<orm_test::Post> {
  static constexpr auto table = "posts";
  static void define(auto& m) {
    using orm_test::User, orm_test::Post;
    m.column("id", &Post::id, retort::primary_key);
    m.column("title", &Post::title);
    m.column("content", &Post::content);
    m.column("user_id", &Post::user_id, retort::references(&User::id));
    m.many_to_one("author", &Post::author, &User::posts);
  }
};
template <>
struct retort::Mapping<orm_test::Folder> {
  static constexpr auto table = "folders";
  static void define(auto& m) {
    using orm_test::Folder, orm_test::Doc;
    m.column("id", &Folder::id, retort::primary_key);
    m.column("label", &Folder::label);
    m.one_to_many("docs", &Folder::docs, &Doc::folder);
  }
};
template <>
struct retort::Mapping<orm_test::Doc> {
  static constexpr auto table = "docs";
  static void define(auto& m) {
    using orm_test::Folder, orm_test::Doc;
    m.column("id", &Doc::id, retort::primary_key);
    m.column("body", &Doc::body);
    m.column("folder_id", &Doc::folder_id, retort::foreign_key("folders.id"));
    m.many_to_one("folder", &Doc::folder, &Folder::docs);
  }
};
template <>
struct retort::Mapping<orm_test::Group> {
  static constexpr auto table = "groups_";
  static void define(auto& m) {
    using orm_test::Group, orm_test::Item;
    m.column("id", &Group::id, retort::primary_key);
    m.column("name", &Group::name);
    m.one_to_many("items", &Group::items, &Item::group,
                  retort::cascade::save_update | retort::cascade::remove);
  }
};
template <>
struct retort::Mapping<orm_test::Item> {
  static constexpr auto table = "items";
  static void define(auto& m) {
    using orm_test::Group, orm_test::Item;
    m.column("id", &Item::id, retort::primary_key);
    m.column("name", &Item::name);
    m.column("group_id", &Item::group_id, retort::references(&Group::id));
    m.many_to_one("group", &Item::group, &Group::items);
  }
};
template <>
struct retort::Mapping<orm_test::Pair> {
  static constexpr auto table = "pairs";
  static void define(auto& m) {
    using orm_test::Pair;
    m.column("a", &Pair::a, retort::primary_key);
    m.column("b", &Pair::b, retort::primary_key);
    m.column("weight", &Pair::weight);
    m.column("note", &Pair::note);
  }
};
template <>
struct retort::Mapping<orm_test::Team> {
  static constexpr auto table = "teams";
  static void define(auto& m) {
    using orm_test::Team, orm_test::Member;
    m.column("id", &Team::id, retort::primary_key);
    m.column("name", &Team::name);
    m.one_to_many("members", &Team::members, &Member::team);
  }
};
template <>
struct retort::Mapping<orm_test::Member> {
  static constexpr auto table = "members";
  static void define(auto& m) {
    using orm_test::Team, orm_test::Member;
    m.column("id", &Member::id, retort::primary_key);
    m.column("name", &Member::name);
    m.column("team_id", &Member::team_id, retort::references(&Team::id));
    m.many_to_one("team", &Member::team, &Team::members);
  }
};
template <>
struct retort::Mapping<orm_test::Node> {
  static constexpr auto table = "nodes";
  static void define(auto& m) {
    using orm_test::Node;
    m.column("id", &Node::id, retort::primary_key);
    m.column("name", &Node::name);
    m.column("parent_id", &Node::parent_id, retort::references(&Node::id));
    m.many_to_one("parent", &Node::parent, &Node::children);
    m.one_to_many("children", &Node::children, &Node::parent,
                  retort::cascade::all | retort::cascade::delete_orphan);
  }
};
