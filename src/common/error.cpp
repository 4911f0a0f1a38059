#include "retort/error.hpp"

namespace retort {

namespace {
// what() carries everything needed to act: the driver's message, then the
// statement and its parameters, as SQLAlchemy's StatementError does.
std::string compose(const std::string& msg, const std::string& sql, const std::vector<Value>& params,
                    const std::string& code) {
  std::string out = msg;
  if (!code.empty()) out += " [" + code + "]";
  if (!sql.empty()) {
    out += "\n[SQL: " + sql + "]";
    if (!params.empty()) out += "\n[parameters: " + to_display(params) + "]";
  }
  return out;
}
}  // namespace

DatabaseError::DatabaseError(std::string driver_message, std::string sql, std::vector<Value> params,
                             std::string code)
    : Error(compose(driver_message, sql, params, code)),
      driver_message_(std::move(driver_message)),
      sql_(std::move(sql)),
      params_(std::move(params)),
      code_(std::move(code)) {}

}  // namespace retort
