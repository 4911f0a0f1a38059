// expect: retort::sql: where(), having() and join(..., on) take a condition
#include "common.hpp"
void f() {
  Users u;
  auto q = sql::select(u.id).where(u.id);
}
