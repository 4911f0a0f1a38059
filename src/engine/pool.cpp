#include "engine/pool.hpp"

#include "retort/error.hpp"

namespace retort::detail {

Pool::Pool(Factory factory, PoolSettings settings) : factory_(std::move(factory)), settings_(settings) {}

Pool::~Pool() = default;

std::shared_ptr<driver::Connection> Pool::wrap(std::unique_ptr<driver::Connection> conn) {
  std::weak_ptr<Pool> weak = weak_from_this();
  return std::shared_ptr<driver::Connection>(conn.release(), [weak](driver::Connection* c) {
    if (auto pool = weak.lock()) pool->checkin(c);
    else delete c;  // the engine is gone: nothing to return to
  });
}

std::shared_ptr<driver::Connection> Pool::checkout() {
  if (settings_.single) {
    std::lock_guard lock(mu_);
    if (!single_ || !single_->is_alive()) {
      single_ = std::shared_ptr<driver::Connection>(factory_());
      ++opened_total_;
    }
    return single_;
  }
  auto deadline = std::chrono::steady_clock::now() + settings_.timeout;
  std::unique_lock lock(mu_);
  for (;;) {
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      ++checked_out_;
      lock.unlock();
      bool ok = conn->is_alive();
      if (ok && settings_.pre_ping) {
        try {
          conn->execute_simple("SELECT 1");
        } catch (...) {
          ok = false;
        }
      }
      if (ok) return wrap(std::move(conn));
      conn.reset();  // broken: close it and try again
      lock.lock();
      --checked_out_;
      --open_;
      continue;
    }
    if (open_ < settings_.size + settings_.max_overflow) {
      ++open_;
      ++checked_out_;
      lock.unlock();
      try {
        auto conn = factory_();
        {
          std::lock_guard relock(mu_);
          ++opened_total_;
        }
        return wrap(std::move(conn));
      } catch (...) {
        std::lock_guard relock(mu_);
        --open_;
        --checked_out_;
        freed_.notify_one();
        throw;
      }
    }
    if (freed_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= settings_.size + settings_.max_overflow) {
      throw TimeoutError("connection pool exhausted: pool_size " + std::to_string(settings_.size) +
                         " and max_overflow " + std::to_string(settings_.max_overflow) +
                         " are all checked out; timed out after " +
                         std::to_string(settings_.timeout.count()) +
                         " ms (return connections sooner or raise pool_size)");
    }
  }
}

void Pool::checkin(driver::Connection* raw) noexcept {
  std::unique_ptr<driver::Connection> conn(raw);
  bool keep = conn->is_alive();
  std::unique_ptr<driver::Connection> to_close;
  {
    std::lock_guard lock(mu_);
    --checked_out_;
    if (keep && idle_.size() < settings_.size) {
      idle_.push_back(std::move(conn));
    } else {
      --open_;  // broken, or overflow beyond pool_size: close
      to_close = std::move(conn);
    }
  }
  freed_.notify_one();
  // to_close is destroyed here, outside the lock.
}

std::size_t Pool::checked_out() const {
  std::lock_guard lock(mu_);
  return settings_.single ? (single_ ? static_cast<std::size_t>(single_.use_count() - 1) : 0)
                          : checked_out_;
}
std::size_t Pool::idle() const {
  std::lock_guard lock(mu_);
  return idle_.size();
}
std::uint64_t Pool::opened() const {
  std::lock_guard lock(mu_);
  return opened_total_;
}
void Pool::dispose() {
  std::vector<std::unique_ptr<driver::Connection>> closing;
  std::lock_guard lock(mu_);
  open_ -= idle_.size();
  closing.swap(idle_);
}

}  // namespace retort::detail
