// bench/workloads.hpp — what every contender implements: the workloads, their
// sizes, the objects they produce, and the table a contender fills.
//
// A contender (raw libsqlite3, raw libpq, retort Core, retort ORM) provides,
// per workload, a function that builds a fresh, seeded database for the
// target (untimed) and returns a Prepared: the timed part, a check to run
// afterwards (untimed), and, for retort contenders, the engine's statement
// counter. The harness interleaves contenders and repeats (harness.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace bench {

enum class Backend { sqlite_file, sqlite_memory, postgresql };
const char* backend_name(Backend b);

/// Where a run's fresh database lives.
struct Target {
  Backend backend;
  std::string sqlite_path;  ///< sqlite_file: this file (removed before each run); memory: ":memory:"
  std::string pg_url;       ///< postgresql: URL of the bench database (libpq and retort accept it)
  /// The retort URL for this target.
  std::string retort_url() const;
};

enum class W {
  w1_insert,            ///< insert N users, one transaction
  w2_insert_children,   ///< insert N users with P posts each, one transaction
  w3_load,              ///< load all N users into a vector<User>
  w4a_lazy,             ///< load N users and their posts, one query per user
  w4b_selectin,         ///< ... users, then one IN query for all their posts
  w4c_joined,           ///< ... one LEFT JOIN
  w5a_identity,         ///< L lookups by primary key among objects already loaded
  w5b_pk_query,         ///< L lookups by primary key that must query
  w6_update,            ///< rename N loaded users, commit
  w7_delete_cascade,    ///< delete N users with their posts, one transaction
};
inline constexpr W all_workloads[] = {W::w1_insert,    W::w2_insert_children, W::w3_load,
                                      W::w4a_lazy,     W::w4b_selectin,       W::w4c_joined,
                                      W::w5a_identity, W::w5b_pk_query,       W::w6_update,
                                      W::w7_delete_cascade};
/// Short stable name ("W1-insert"), used by --filter, the JSON and the Python side.
const char* workload_name(W w);

/// Workload sizes; --scale multiplies the defaults (which are the brief's).
struct Sizes {
  std::int64_t w1_users = 100000;
  std::int64_t w2_users = 10000;
  int w2_posts_per_user = 10;
  std::int64_t w3_users = 100000;
  std::int64_t w4_users = 1000;
  int w4_posts_per_user = 10;
  std::int64_t w5_users = 100000;    ///< seeded; also the number of lookups
  std::int64_t w5_lookups = 100000;
  std::int64_t w6_users = 10000;
  std::int64_t w7_seed_users = 2000;  ///< seeded with w7_posts_per_user posts each
  std::int64_t w7_delete_users = 1000;  ///< the odd ids 1, 3, 5, ...
  int w7_posts_per_user = 10;
  static Sizes scaled(double s);
};

// The objects workloads load into. Data are deterministic (see fixtures.hpp).
struct User {
  std::int64_t id = 0;
  std::string name;
};
struct Post {
  std::int64_t id = 0;
  std::string title;
  std::optional<std::string> content;
  std::int64_t user_id = 0;
};
struct UserWithPosts {
  std::int64_t id = 0;
  std::string name;
  std::vector<Post> posts;
};

/// Checksums that all contenders of one workload must agree on.
std::string digest(const std::vector<User>& users);
std::string digest(const std::vector<UserWithPosts>& users);

/// One prepared run of a workload: the database is fresh and seeded.
struct Prepared {
  std::function<void()> run;             ///< timed
  std::function<std::string()> verify;   ///< untimed, after run: a digest (see above)
  std::function<std::uint64_t()> statements;  ///< retort contenders: Engine::statement_count()
};
/// Builds a Prepared (untimed). Returning an empty `run` means "not applicable".
using WorkloadFn = std::function<Prepared(const Target&, const Sizes&)>;

/// A contender: a name as printed, its kind, and its workloads.
struct Contender {
  std::string name;   ///< "raw", "raw-bulk", "core", "orm"
  std::string kind;   ///< "raw", "core" or "orm"; ratios are to the fastest "raw"
  std::vector<Backend> backends;  ///< where it runs
  std::map<W, WorkloadFn> workloads;  ///< a missing workload prints as n/a
};

// Registration, one per file.
std::vector<Contender> raw_sqlite_contenders();  // raw_sqlite.cpp
std::vector<Contender> raw_pq_contenders();      // raw_pq.cpp
Contender core_contender();                      // core_workloads.cpp
Contender orm_contender();                       // orm_workloads.cpp — THE ORM SLOT

}  // namespace bench
