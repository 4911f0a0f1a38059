// expect: retort::sql: the value assigned to a column must have a compatible type
#include "common.hpp"
void f() {
  Users u;
  auto q = sql::update(u).set(u.name, std::nullopt);
}
