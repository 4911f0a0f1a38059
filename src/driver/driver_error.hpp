// driver_error.hpp — how drivers report failures to the engine (internal).
//
// Drivers do not know the parameters of a failed statement (they bind them
// and forget them), so they throw a DriverError with the class of failure;
// the engine, which does know them, turns it into the public exception type
// carrying SQL and parameters (raise_database_error).
#pragma once

#include <span>
#include <string>

#include "retort/value.hpp"

namespace retort::driver {

enum class ErrorKind { Integrity, Operational, Programming, Data };

struct DriverError {
  ErrorKind kind;
  std::string message;
  std::string code;  ///< SQLSTATE or SQLite result code name
};

/// Throws the public DatabaseError subclass for `e`.
[[noreturn]] void raise_database_error(const DriverError& e, const std::string& sql,
                                       std::span<const Value> params);

}  // namespace retort::driver
