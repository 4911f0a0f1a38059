// The consumer of an installed retort: opens an in-memory SQLite database,
// creates a table, inserts a row and reads it back. Exit status 0 on success.
// It includes only the umbrella header, as a user would.
#include <retort/retort.hpp>

#include <cstdint>
#include <exception>
#include <iostream>
#include <string>

int main() {
  try {
    retort::Engine engine = retort::create_engine("sqlite:///:memory:");
    retort::Connection conn = engine.connect();
    conn.execute("CREATE TABLE greeting (id INTEGER PRIMARY KEY, text VARCHAR(40) NOT NULL)");
    conn.execute("INSERT INTO greeting (id, text) VALUES (?, ?)",
                 {retort::Value(std::int64_t{1}), retort::Value(std::string("hello, retort"))});
    retort::Result result = conn.execute("SELECT id, text FROM greeting");
    if (!result.next()) {
      std::cerr << "consumer: no row\n";
      return 1;
    }
    auto id = result.get<std::int64_t>(0);
    auto text = result.get<std::string>(1);
    if (id != 1 || text != "hello, retort" || result.next()) {
      std::cerr << "consumer: unexpected result: " << id << " " << text << "\n";
      return 1;
    }
    std::cout << "consumer: " << text << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "consumer: " << e.what() << "\n";
    return 1;
  }
}
