// expect: retort::sql: these operands cannot be compared
#include "common.hpp"
void f() {
  Users u;
  auto c = u.id < u.name;
}
