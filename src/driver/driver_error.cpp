#include "driver/driver_error.hpp"

#include <vector>

#include "retort/error.hpp"

namespace retort::driver {

void raise_database_error(const DriverError& e, const std::string& sql, std::span<const Value> params) {
  std::vector<Value> p(params.begin(), params.end());
  switch (e.kind) {
    case ErrorKind::Integrity: throw IntegrityError(e.message, sql, std::move(p), e.code);
    case ErrorKind::Operational: throw OperationalError(e.message, sql, std::move(p), e.code);
    case ErrorKind::Programming: throw ProgrammingError(e.message, sql, std::move(p), e.code);
    case ErrorKind::Data: throw DataError(e.message, sql, std::move(p), e.code);
  }
  throw DatabaseError(e.message, sql, std::move(p), e.code);
}

}  // namespace retort::driver
