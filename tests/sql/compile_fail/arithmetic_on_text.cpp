// expect: retort::sql: arithmetic operators apply to numbers only
#include "common.hpp"
void f() {
  Users u;
  auto e = u.name * 2;
}
