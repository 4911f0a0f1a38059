// expect: retort::sql: these operands cannot be compared
#include "common.hpp"
void f() {
  Users u;
  auto q = sql::select(u.id).where(u.id.in_({"a", "b"}));
}
