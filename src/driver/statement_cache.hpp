// statement_cache.hpp — per-connection cache of prepared statements (internal).
//
// Keyed by SQL text. A statement that is busy (a Result is still reading it)
// is not handed out twice: the caller gets a fresh one to own instead.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include "retort/driver/driver.hpp"

namespace retort::driver {

template <class Stmt>
class StatementCache {
 public:
  /// The cached statement for `sql`, creating it with `make(sql)` on a miss.
  template <class Make>
  Statement& get(const std::string& sql, std::unique_ptr<Statement>& scratch, Make&& make) {
    auto it = map_.find(sql);
    if (it != map_.end()) {
      if (!it->second->busy) return *it->second;
      scratch = make(sql);
      return *scratch;
    }
    if (map_.size() >= kCapacity) evict_idle();
    auto stmt = make(sql);
    Statement& ref = *stmt;
    map_.emplace(sql, std::move(stmt));
    return ref;
  }
  std::size_t size() const { return map_.size(); }
  void clear() { map_.clear(); }

 private:
  // A bound on memory for programs that generate unbounded distinct SQL.
  static constexpr std::size_t kCapacity = 512;
  void evict_idle() {
    for (auto it = map_.begin(); it != map_.end();) {
      if (it->second->busy) ++it;
      else it = map_.erase(it);
    }
  }
  std::unordered_map<std::string, std::unique_ptr<Stmt>> map_;
};

}  // namespace retort::driver
