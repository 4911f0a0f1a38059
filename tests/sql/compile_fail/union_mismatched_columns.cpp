// expect: retort::sql: the selects of a UNION/INTERSECT/EXCEPT must have the same column types
#include "common.hpp"
void f() {
  Users u;
  auto q = sql::select(u.id).union_(sql::select(u.name));
}
