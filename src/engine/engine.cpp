// Engine: URL → driver factory + pool; echo logging.
#include <cstdio>

#include "driver/pq_driver.hpp"
#include "driver/sqlite_driver.hpp"
#include "engine/engine_state.hpp"
#include "retort/error.hpp"

namespace retort {

namespace detail {

void EngineState::log(std::string_view line) const {
  if (!options.echo) return;
  if (options.log_sink) {
    options.log_sink(line);
  } else {
    std::string out = "[retort.engine] ";
    out.append(line);
    out.push_back('\n');
    std::fputs(out.c_str(), stderr);
  }
}

}  // namespace detail

Engine create_engine(std::string_view text, EngineOptions options) {
  auto state = std::make_shared<detail::EngineState>();
  state->url = parse_url(text);
  state->options = std::move(options);
  detail::PoolSettings settings{state->options.pool_size, state->options.max_overflow,
                                state->options.pool_timeout, state->options.pool_pre_ping, false};
  detail::Pool::Factory factory;
  const Url& url = state->url;
  if (url.drivername == "sqlite") {
    state->dialect = &sqlite_dialect();
    settings.single = url.database == ":memory:";
    for (auto& [k, v] : url.query) {
      (void)v;
      throw ArgumentError("unknown SQLite URL parameter '" + k + "'");
    }
    factory = [path = url.database] { return driver::open_sqlite(path); };
  } else {
    state->dialect = &postgresql_dialect();
    std::map<std::string, std::string> kw;
    if (!url.host.empty()) kw["host"] = url.host;
    if (url.port) kw["port"] = std::to_string(*url.port);
    if (!url.username.empty()) kw["user"] = url.username;
    if (!url.password.empty()) kw["password"] = url.password;
    if (!url.database.empty()) kw["dbname"] = url.database;
    kw["client_encoding"] = "UTF8";
    // Everything in the query string is a libpq keyword (host=/socket/dir,
    // sslmode, options, application_name, connect_timeout, ...).
    for (auto& [k, v] : url.query) kw[k] = v;
    factory = [kw] { return driver::open_postgresql(kw); };
  }
  state->pool = std::make_shared<detail::Pool>(std::move(factory), settings);
  return Engine(std::move(state));
}

Connection Engine::connect() const {
  auto conn = state_->pool->checkout();
  return Connection(std::make_shared<detail::ConnectionState>(state_, std::move(conn)));
}

const Dialect& Engine::dialect() const { return *state_->dialect; }
const Url& Engine::url() const { return state_->url; }
const EngineOptions& Engine::options() const { return state_->options; }
std::uint64_t Engine::statement_count() const { return state_->statements.load(); }
std::size_t Engine::pool_checked_out() const { return state_->pool->checked_out(); }
std::size_t Engine::pool_idle() const { return state_->pool->idle(); }
std::uint64_t Engine::connections_opened() const { return state_->pool->opened(); }
void Engine::dispose() const { state_->pool->dispose(); }
void Engine::log(std::string_view line) const { state_->log(line); }
bool Engine::echo() const { return state_->options.echo; }

}  // namespace retort
