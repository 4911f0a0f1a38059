// expect: retort::sql: a selected column cannot be read into this C++ type
#include "common.hpp"
void f(retort::Connection& conn) {
  Users u;
  auto rows = sql::execute(conn, sql::select(u.id, u.name)).as<std::int64_t, std::int64_t>().all();
}
