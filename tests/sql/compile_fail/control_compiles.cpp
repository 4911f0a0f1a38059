// expect: OK
// The control case: the same harness on valid code must compile cleanly.
#include "common.hpp"
void f(retort::Connection& conn) {
  Users u;
  auto q = sql::select(u.id, u.name, u.nickname).where(u.name == "x" && u.id > 2 && u.nickname == std::nullopt);
  for (auto [id, name, nick] : sql::execute(conn, q)) (void)id, (void)name, (void)nick;
  auto r = sql::execute(conn, sql::select(u.nickname)).as<std::optional<std::string>>().all();
  auto s = sql::insert(u).columns(u.id, u.name).values(1, "a");
  auto t = sql::update(u).set(u.nickname, std::nullopt).where(u.id.in_({1, 2}));
  (void)r, (void)s, (void)t;
}
