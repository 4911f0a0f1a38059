// sqlite_driver.hpp — the libsqlite3 driver (internal).
#pragma once

#include <memory>
#include <string>

#include "retort/driver/driver.hpp"

namespace retort::driver {

/// Opens `path` (":memory:" for an in-memory database) with foreign keys on.
/// Throws OperationalError when it cannot be opened.
std::unique_ptr<Connection> open_sqlite(const std::string& path);

}  // namespace retort::driver
