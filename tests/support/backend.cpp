#include "support/backend.hpp"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <random>
#include <string>

namespace retort::testing {

bool backend_required() {
  const char* ci = std::getenv("CI");
  const char* req = std::getenv("RETORT_REQUIRE_PG");
  return (ci && std::string(ci) == "true") || (req && std::string(req) == "1");
}

std::vector<Backend> backends() {
  std::vector<Backend> out{{"sqlite", "sqlite:///:memory:"}};
  const char* pg = std::getenv("RETORT_PG_URL");
  out.push_back({"postgresql", pg ? pg : ""});
  return out;
}

namespace {
std::string unique_schema_name() {
  static std::atomic<unsigned> counter{0};
  std::random_device rd;
  return "t_" + std::to_string(rd()) + "_" + std::to_string(counter++);
}
}  // namespace

ScratchDatabase::ScratchDatabase(const Backend& backend) : backend_(backend) {
  if (backend_.url.empty()) return;
  if (backend_.name != "postgresql") {
    url_ = backend_.url;
    return;
  }
  schema_ = unique_schema_name();
  {
    auto engine = create_engine(backend_.url, {.pool_size = 1});
    auto conn = engine.connect();
    conn.execute_script("CREATE SCHEMA " + schema_);
  }
  // libpq's "options" keyword sets search_path on every pooled connection.
  url_ = backend_.url + (backend_.url.find('?') == std::string::npos ? "?" : "&") +
         "options=-csearch_path%3D" + schema_;
}

ScratchDatabase::~ScratchDatabase() {
  if (schema_.empty()) return;
  try {
    auto engine = create_engine(backend_.url, {.pool_size = 1});
    auto conn = engine.connect();
    conn.execute_script("DROP SCHEMA " + schema_ + " CASCADE");
  } catch (...) {
    // A failed cleanup must not mask the test's own result.
  }
}

Engine ScratchDatabase::engine(EngineOptions options) const { return create_engine(url_, std::move(options)); }

}  // namespace retort::testing
