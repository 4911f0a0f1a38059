// expect: retort::sql: as<...>() needs one C++ type per selected column
#include "common.hpp"
void f(retort::Connection& conn) {
  Users u;
  auto rows = sql::execute(conn, sql::select(u.id, u.name)).as<std::int64_t>().all();
}
