// retort/error.hpp — the exception hierarchy.
//
// Shaped like SQLAlchemy's (DESIGN §5):
//
//   Error
//   ├── DatabaseError            raised by the database; carries SQL, parameters, driver message
//   │   ├── IntegrityError       unique / foreign-key / not-null / check violation
//   │   ├── OperationalError     lost connection, locked database, I/O
//   │   ├── ProgrammingError     bad SQL, missing table
//   │   └── DataError            value out of range / malformed for its column
//   ├── ArgumentError            bad input to an API call (malformed URL, bad option)
//   ├── ConversionError          a stored value does not fit the C++ type asked for
//   ├── TimeoutError             the pool had no connection within the checkout timeout
//   └── InvalidRequestError      the API was used in a state that forbids the call
//       ├── NoResultFound / MultipleResultsFound
//       └── DetachedInstanceError
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "retort/value.hpp"

namespace retort {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// An error reported by the database while running a statement.
class DatabaseError : public Error {
 public:
  DatabaseError(std::string driver_message, std::string sql, std::vector<Value> params,
                std::string code);
  /// The driver's own message, unchanged.
  const std::string& driver_message() const noexcept { return driver_message_; }
  /// The statement that failed (empty for connection-level failures).
  const std::string& sql() const noexcept { return sql_; }
  /// The bound parameters of the failed statement.
  const std::vector<Value>& params() const noexcept { return params_; }
  /// SQLSTATE on PostgreSQL ("23505"), the extended result code name on SQLite.
  const std::string& code() const noexcept { return code_; }

 private:
  std::string driver_message_, sql_;
  std::vector<Value> params_;
  std::string code_;
};

class IntegrityError : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};
class OperationalError : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};
class ProgrammingError : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};
class DataError : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};

class ArgumentError : public Error {
 public:
  using Error::Error;
};
class ConversionError : public Error {
 public:
  using Error::Error;
};
class TimeoutError : public Error {
 public:
  using Error::Error;
};
class InvalidRequestError : public Error {
 public:
  using Error::Error;
};
class NoResultFound : public InvalidRequestError {
 public:
  NoResultFound() : InvalidRequestError("No row was found when one was required") {}
};
class MultipleResultsFound : public InvalidRequestError {
 public:
  MultipleResultsFound()
      : InvalidRequestError("Multiple rows were found when exactly one was required") {}
};
class DetachedInstanceError : public InvalidRequestError {
 public:
  using InvalidRequestError::InvalidRequestError;
};

}  // namespace retort
