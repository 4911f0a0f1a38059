// bench/harness.hpp — timing, repetition, interleaving, resource counters and
// the result table.
//
// For each (workload, backend) the harness prepares and runs every contender
// once as a warm-up (not recorded), then `reps` rounds; in round r the
// contenders run in an order rotated by r, so no contender always goes first
// (cache, page cache, server state). Each run starts from a fresh, seeded
// database built untimed. Reported per contender: the median and min of the
// wall times, and medians of: bytes and calls through malloc/calloc/realloc
// (the whole process: libsqlite3, libpq and C++ alike, counted by an
// interposed malloc), the peak growth of the live heap (usable sizes of
// blocks not yet freed; its high-water mark during the run minus its size at
// the start), minor page faults (getrusage ru_minflt), peak RSS
// growth over the run (VmHWM after the run, reset through
// /proc/self/clear_refs before it, minus VmRSS before), and the number of
// statements retort issued (Engine::statement_count(); BEGIN/COMMIT are not
// counted, execute_many counts once).
//
// Thread safety: single-threaded, like the whole bench.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "workloads.hpp"

namespace bench {

/// Pins glibc malloc (no dynamic mmap/trim thresholds, one arena) so that
/// allocator policy changes do not move from run to run. Call first in main.
void pin_malloc();

struct Counters {
  std::uint64_t alloc_bytes = 0;
  std::uint64_t alloc_calls = 0;
};
/// Totals since process start (see the interposed malloc in harness.cpp).
Counters alloc_counters();

/// One timed run.
struct Sample {
  double seconds = 0;
  std::uint64_t alloc_bytes = 0;
  std::uint64_t alloc_calls = 0;
  long minflt = 0;
  long rss_peak_kb = 0;
  std::int64_t heap_peak_bytes = 0;  ///< live heap high-water mark minus live heap at the start
  long long statements = -1;  ///< -1: not a retort contender
};

/// A result row: one contender on one workload and backend.
struct Row {
  std::string workload, backend, contender, kind;
  int reps = 0;           ///< 0: n/a
  double median_s = 0, min_s = 0;
  double ratio = 0;       ///< median / fastest raw median of this workload and backend
  std::uint64_t alloc_bytes = 0, alloc_calls = 0;
  long minflt = 0, rss_peak_kb = 0;
  std::int64_t heap_peak_bytes = 0;
  long long statements = -1;
  std::string digest;     ///< from verify(), to compare contenders
  std::string note;
};

struct RunOptions {
  int reps = 5;
  bool verbose = false;
};

/// Runs one workload on one backend for all contenders that run there;
/// appends one row per contender (n/a rows for missing workloads).
void run_workload(W w, const Target& target, const Sizes& sizes, const std::vector<Contender>& contenders,
                  const RunOptions& opt, std::vector<Row>& out);

/// Prints the rows as a fixed-width table (markdown-compatible).
void print_table(const std::vector<Row>& rows, std::FILE* f);
/// Writes the rows as a JSON array.
void write_json(const std::vector<Row>& rows, const std::string& path, const std::string& meta_json);

}  // namespace bench
