// The mapping declaration yields the schema: names, types, nullability from
// the C++ types, primary keys (also composite), foreign keys. Mistakes the
// compiler cannot see fail clearly at first use.
#include <gtest/gtest.h>

#include "fixture.hpp"

using namespace orm_test;

namespace nokey {
struct Thing {
  std::string name{};
};
struct Parent;
struct Child {
  std::int64_t id = 0;
  retort::One<Parent> parent{};
};
struct Parent {
  std::int64_t id = 0;
  retort::Many<Child> children{};
};
}  // namespace nokey

template <>
struct retort::Mapping<nokey::Thing> {
  static constexpr auto table = "things";
  static void define(auto& m) { m.column("name", &nokey::Thing::name); }
};
template <>
struct retort::Mapping<nokey::Parent> {
  static constexpr auto table = "parents";
  static void define(auto& m) {
    m.column("id", &nokey::Parent::id, retort::primary_key);
    m.one_to_many("children", &nokey::Parent::children, &nokey::Child::parent);
  }
};
template <>
struct retort::Mapping<nokey::Child> {
  static constexpr auto table = "children";
  static void define(auto& m) {
    m.column("id", &nokey::Child::id, retort::primary_key);  // no foreign key column
    m.many_to_one("parent", &nokey::Child::parent, &nokey::Parent::children);
  }
};

TEST(Mapping, TableFromDeclaration) {
  const retort::Table& posts = retort::table_of<Post>();
  EXPECT_EQ(posts.name(), "posts");
  ASSERT_EQ(posts.columns().size(), 4u);
  EXPECT_TRUE(posts.column("id").is_primary_key());
  EXPECT_FALSE(posts.column("title").is_nullable());
  EXPECT_TRUE(posts.column("content").is_nullable());
  EXPECT_EQ(posts.column("title").type().kind, retort::TypeKind::String);
  auto fks = posts.foreign_keys();
  ASSERT_EQ(fks.size(), 1u);
  EXPECT_EQ(fks[0].ref_table, "users");
  EXPECT_EQ(fks[0].ref_columns, std::vector<std::string>{"id"});
  EXPECT_EQ(retort::table_of<Doc>().foreign_keys()[0].ref_table, "folders");
  EXPECT_NE(posts.autoincrement_column(), nullptr);
}

TEST(Mapping, CompositePrimaryKey) {
  const retort::Table& pairs = retort::table_of<Pair>();
  auto pk = pairs.primary_key();
  ASSERT_EQ(pk.size(), 2u);
  EXPECT_EQ(pk[0]->name(), "a");
  EXPECT_EQ(pk[1]->name(), "b");
  EXPECT_EQ(pairs.column("a").type().kind, retort::TypeKind::Integer);
  EXPECT_EQ(pairs.column("weight").type().kind, retort::TypeKind::Float);
}

TEST(Mapping, MetadataOrdersTables) {
  auto md = retort::metadata_of<Post, User>();
  auto sorted = md.sorted_tables();
  ASSERT_EQ(sorted.size(), 2u);
  EXPECT_EQ(sorted[0]->name(), "users");
}

TEST(Mapping, NoPrimaryKeyFailsAtFirstUse) {
  try {
    (void)retort::make<nokey::Thing>();
    FAIL() << "expected ArgumentError";
  } catch (const retort::ArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("declares no primary key"), std::string::npos) << e.what();
  }
}

TEST(Mapping, RelationshipWithoutForeignKeyFailsAtFirstUse) {
  try {
    (void)retort::make<nokey::Parent>();
    FAIL() << "expected ArgumentError";
  } catch (const retort::ArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("needs a foreign key from 'children' to 'parents.id'"),
              std::string::npos)
        << e.what();
  }
}

TEST(Mapping, BoundRelationshipsCannotBeMovedOut) {
  auto u = retort::make<User>({.name = "u"});
  EXPECT_THROW({ User moved = std::move(*u); }, retort::InvalidRequestError);
}
