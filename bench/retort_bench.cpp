// bench/retort_bench.cpp — main: options, targets, the run, the table.
//
//   retort_bench [--scale X] [--reps N] [--filter a,b] [--pg-url URL | --no-pg]
//                [--sqlite-dir DIR] [--json FILE] [--verbose]
//
// --filter keeps the runs whose "workload backend" contains any of
// the comma-separated words (e.g. --filter W3,W4 or --filter sqlite-memory).
// PostgreSQL: --pg-url or env RETORT_PG_URL names a server database the
// bench may connect to; the bench creates its own database retort_bench_<pid>
// there and drops it at the end. Without a URL PostgreSQL is skipped.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "harness.hpp"

namespace {

using namespace bench;

struct Options {
  double scale = 1.0;
  int reps = 5;
  std::vector<std::string> filter;
  std::string pg_url;
  std::string sqlite_dir = "/tmp";
  std::string json;
  bool verbose = false;
};

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "retort_bench: %s\nusage: retort_bench [--scale X] [--reps N] [--filter a,b] [--pg-url URL | --no-pg]\n"
               "                    [--sqlite-dir DIR] [--json FILE] [--verbose]\n",
               why);
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  if (const char* e = std::getenv("RETORT_PG_URL")) o.pg_url = e;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(("missing value for " + a).c_str());
      return argv[++i];
    };
    if (a == "--scale") o.scale = std::atof(value().c_str());
    else if (a == "--reps") o.reps = std::atoi(value().c_str());
    else if (a == "--filter") {
      std::stringstream ss(value());
      for (std::string w; std::getline(ss, w, ',');)
        if (!w.empty()) o.filter.push_back(w);
    } else if (a == "--pg-url") o.pg_url = value();
    else if (a == "--no-pg") o.pg_url.clear();
    else if (a == "--sqlite-dir") o.sqlite_dir = value();
    else if (a == "--json") o.json = value();
    else if (a == "--verbose" || a == "-v") o.verbose = true;
    else if (a == "--help" || a == "-h") usage("help");
    else usage(("unknown argument " + a).c_str());
  }
  if (o.scale <= 0) usage("--scale must be positive");
  if (o.reps < 1) usage("--reps must be at least 1");
  return o;
}

/// The URL with its database (the path after the authority) replaced.
std::string with_database(const std::string& url, const std::string& db) {
  std::size_t scheme = url.find("://");
  if (scheme == std::string::npos) throw std::runtime_error("not a URL: " + url);
  std::size_t path = url.find('/', scheme + 3);
  std::size_t query = url.find('?', scheme + 3);
  if (path == std::string::npos || (query != std::string::npos && path > query)) path = query;
  if (path == std::string::npos) return url + "/" + db;
  std::size_t end = url.find('?', path);
  return url.substr(0, path) + "/" + db + (end == std::string::npos ? "" : url.substr(end));
}

std::string sqlite_pragmas(const std::string& path) {
  sqlite3* db = nullptr;
  std::string out = "?";
  if (sqlite3_open(path.c_str(), &db) == SQLITE_OK) {
    sqlite3_stmt* s = nullptr;
    std::string jm, sy;
    if (sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
      jm = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    if (sqlite3_prepare_v2(db, "PRAGMA synchronous", -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
      sy = std::to_string(sqlite3_column_int(s, 0));
    sqlite3_finalize(s);
    out = "journal_mode=" + jm + " synchronous=" + sy + (sy == "2" ? " (FULL)" : sy == "1" ? " (NORMAL)" : "");
  }
  sqlite3_close(db);
  std::remove(path.c_str());
  return out;
}

std::string loadavg() {
  std::string s;
  if (std::FILE* f = std::fopen("/proc/loadavg", "r")) {
    char buf[128];
    if (std::fgets(buf, sizeof buf, f)) s = buf;
    std::fclose(f);
  }
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

bool wanted(const Options& o, W w, Backend b) {
  if (o.filter.empty()) return true;
  std::string key = std::string(workload_name(w)) + " " + backend_name(b);
  for (auto& f : o.filter)
    if (key.find(f) != std::string::npos) return true;
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  pin_malloc();
  Options opt = parse(argc, argv);
  Sizes sizes = Sizes::scaled(opt.scale);

  std::vector<Contender> contenders;
  for (auto& c : raw_sqlite_contenders()) contenders.push_back(c);
  for (auto& c : raw_pq_contenders()) contenders.push_back(c);
  contenders.push_back(core_contender());
  contenders.push_back(orm_contender());

  std::string pid = std::to_string(getpid());
  std::vector<Target> targets;
  Target file{Backend::sqlite_file, opt.sqlite_dir + "/retort_bench_" + pid + ".db", ""};
  targets.push_back(file);
  targets.push_back(Target{Backend::sqlite_memory, ":memory:", ""});
  std::string pg_db = "retort_bench_" + pid;
  PGconn* admin = nullptr;
  if (!opt.pg_url.empty()) {
    try {
      admin = pq_connect(opt.pg_url);
      pq_exec(admin, ("CREATE DATABASE " + pg_db).c_str());
      targets.push_back(Target{Backend::postgresql, "", with_database(opt.pg_url, pg_db)});
    } catch (const std::exception& e) {
      std::fprintf(stderr, "retort_bench: PostgreSQL skipped: %s\n", e.what());
      if (admin) PQfinish(admin);
      admin = nullptr;
    }
  } else {
    std::fprintf(stderr, "retort_bench: PostgreSQL skipped (no --pg-url, no RETORT_PG_URL)\n");
  }

  std::string pragmas = sqlite_pragmas(file.sqlite_path);
  std::fprintf(stderr, "retort_bench: scale %g, %d repetitions (median reported) after 1 warm-up, load %s\n",
               opt.scale, opt.reps, loadavg().c_str());
  std::fprintf(stderr, "retort_bench: SQLite %s, file %s: %s; PostgreSQL %s\n", sqlite3_libversion(),
               file.sqlite_path.c_str(), pragmas.c_str(), admin ? "yes" : "skipped");

  RunOptions ro{opt.reps, opt.verbose};
  std::vector<Row> rows;
  for (W w : all_workloads) {
    for (auto& t : targets) {
      if (!wanted(opt, w, t.backend)) continue;
      std::fprintf(stderr, "retort_bench: %s on %s\n", workload_name(w), backend_name(t.backend));
      run_workload(w, t, sizes, contenders, ro, rows);
    }
  }
  for (const char* suffix : {"", "-journal", "-wal", "-shm"}) std::remove((file.sqlite_path + suffix).c_str());
  if (admin) {
    pq_exec(admin, ("DROP DATABASE IF EXISTS " + pg_db).c_str());
    PQfinish(admin);
  }

  std::printf("retort_bench — scale %g, %d reps (median; 1 warm-up run each, not counted), contenders interleaved\n",
              opt.scale, opt.reps);
  std::printf("SQLite %s (%s on the file target; foreign_keys=ON everywhere), load average at start: %s\n\n",
              sqlite3_libversion(), pragmas.c_str(), loadavg().c_str());
  print_table(rows, stdout);
  std::printf("\nx raw: median / median of the fastest raw form for that workload and backend. alloc MB / allocs: "
              "bytes and calls through malloc/calloc/realloc in the whole process during the run. minflt: minor "
              "page faults. peakRSS+MB: peak RSS minus RSS at the start of the run. stmts: statements retort "
              "issued (Engine::statement_count(); no BEGIN/COMMIT; execute_many counts once).\n");
  if (!opt.json.empty()) {
    std::ostringstream meta;
    meta << "{\"scale\": " << opt.scale << ", \"reps\": " << opt.reps << ", \"sqlite\": \"" << sqlite3_libversion()
         << "\", \"sqlite_file_pragmas\": \"" << pragmas << "\", \"loadavg\": \"" << loadavg() << "\"}";
    write_json(rows, opt.json, meta.str());
  }
  // A contender that computed a different result, or failed, fails the run
  // (the test suite's bench_smoke relies on this).
  int bad = 0;
  for (const auto& r : rows)
    if (r.note.find("MISMATCH") != std::string::npos || r.note.rfind("error:", 0) == 0) ++bad;
  if (bad) {
    std::fprintf(stderr, "retort_bench: %d result(s) failed verification (see the note column)\n", bad);
    return 1;
  }
  return 0;
}
