// expect: retort::sql: a nullable column must be read into std::optional<T>
#include "common.hpp"
void f(retort::Connection& conn) {
  Users u;
  auto rows = sql::execute(conn, sql::select(u.nickname)).as<std::string>().all();
}
