// A one-to-one without delete-orphan, shared by one_to_one_test.cpp and the
// differential tests: a Citizen has at most one Passport, whose foreign key
// is UNIQUE and nullable (a replaced passport keeps its row, its key nulled).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "retort/orm.hpp"

namespace citizen_models {

struct Passport;
struct Citizen {
  std::int64_t id = 0;
  std::string number{};  // UNIQUE too: reused by a new row in one_to_one_test
  retort::One<Passport> passport{};
};
struct Passport {
  std::int64_t id = 0;
  std::optional<std::int64_t> citizen_id{};
  std::string code{};
  retort::One<Citizen> citizen{};
};

}  // namespace citizen_models

template <>
struct retort::Mapping<citizen_models::Citizen> {
  static constexpr auto table = "citizens";
  static void define(auto& m) {
    using namespace citizen_models;
    m.column("id", &Citizen::id, retort::primary_key);
    m.column("number", &Citizen::number, retort::unique);
    m.one_to_one("passport", &Citizen::passport, &Passport::citizen);
  }
};
template <>
struct retort::Mapping<citizen_models::Passport> {
  static constexpr auto table = "passports";
  static void define(auto& m) {
    using namespace citizen_models;
    m.column("id", &Passport::id, retort::primary_key);
    m.column("citizen_id", &Passport::citizen_id, retort::references(&Citizen::id), retort::unique);
    m.column("code", &Passport::code);
    m.many_to_one("citizen", &Passport::citizen, &Citizen::passport);
  }
};
