// pq_driver.hpp — the libpq driver (internal).
#pragma once

#include <map>
#include <memory>
#include <string>

#include "retort/driver/driver.hpp"

namespace retort::driver {

/// Connects with libpq connection keywords (host, port, user, password,
/// dbname, options, ...). Throws OperationalError when the server cannot be
/// reached or refuses the login.
std::unique_ptr<Connection> open_postgresql(const std::map<std::string, std::string>& keywords);

}  // namespace retort::driver
