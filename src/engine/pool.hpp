// pool.hpp — the connection pool (internal).
//
// Thread-safe. Hands out driver connections as shared_ptrs whose deleter
// checks them back in, so a connection returns to the pool exactly when its
// last user lets go. A connection known to be broken is closed on checkin
// instead of being handed out again; with pre-ping, idle connections are
// tested before checkout.
//
// An in-memory SQLite database exists only inside its one connection, so for
// it the pool runs in "single" mode: every checkout shares that connection
// (SQLAlchemy's StaticPool). Such an engine is for one thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "retort/driver/driver.hpp"

namespace retort::detail {

struct PoolSettings {
  std::size_t size = 5;
  std::size_t max_overflow = 10;
  std::chrono::milliseconds timeout{30000};
  bool pre_ping = false;
  bool single = false;
};

class Pool : public std::enable_shared_from_this<Pool> {
 public:
  using Factory = std::function<std::unique_ptr<driver::Connection>()>;
  Pool(Factory factory, PoolSettings settings);
  ~Pool();

  /// An open connection. Throws TimeoutError when none is free in time,
  /// OperationalError when a new one cannot be opened.
  std::shared_ptr<driver::Connection> checkout();

  std::size_t checked_out() const;
  std::size_t idle() const;
  std::uint64_t opened() const;
  /// Closes idle connections.
  void dispose();

 private:
  void checkin(driver::Connection* conn) noexcept;
  std::shared_ptr<driver::Connection> wrap(std::unique_ptr<driver::Connection> conn);

  Factory factory_;
  PoolSettings settings_;
  mutable std::mutex mu_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<driver::Connection>> idle_;
  std::size_t open_ = 0;         ///< idle + checked out
  std::size_t checked_out_ = 0;
  std::uint64_t opened_total_ = 0;
  std::shared_ptr<driver::Connection> single_;  ///< single mode's shared connection
};

}  // namespace retort::detail
