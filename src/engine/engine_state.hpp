// engine_state.hpp — what Engine and Connection handles point to (internal).
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "engine/pool.hpp"
#include "retort/engine.hpp"

namespace retort::detail {

struct EngineState {
  Url url;
  EngineOptions options;
  const Dialect* dialect = nullptr;
  std::shared_ptr<Pool> pool;
  std::atomic<std::uint64_t> statements{0};

  void log(std::string_view line) const;
};

struct ConnectionState {
  std::shared_ptr<EngineState> engine;
  Engine engine_handle;
  std::shared_ptr<driver::Connection> conn;  ///< null once closed
  /// Open transaction ids, outermost first: 0 is the real transaction, n > 0
  /// the savepoint "sa_savepoint_n".
  std::vector<unsigned> tx_stack;
  unsigned next_savepoint = 1;

  ConnectionState(std::shared_ptr<EngineState> e, std::shared_ptr<driver::Connection> c)
      : engine(e), engine_handle(std::move(e)), conn(std::move(c)) {}
  ~ConnectionState();

  driver::Connection& live();  ///< throws InvalidRequestError when closed
  /// Runs transaction-control SQL, logging it under echo.
  void control(const std::string& sql);
  void close() noexcept;
};

}  // namespace retort::detail
