// bench/harness.cpp — see harness.hpp.
#include "harness.hpp"

#include <malloc.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <optional>

// --- allocation counting --------------------------------------------------
//
// malloc, calloc and realloc are interposed here (the executable's symbols
// win over libc's for every shared library too) and forward to glibc's own
// entry points. The bench is single-threaded, so plain counters suffice.
// memalign/posix_memalign/aligned_alloc are not counted (rare here).
extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void __libc_free(void*);
}

namespace {
std::uint64_t g_alloc_bytes = 0;
std::uint64_t g_alloc_calls = 0;
// Live heap bytes (usable sizes) and their high-water mark, for the peak
// heap growth of a run. Blocks from the uncounted aligned allocators make
// g_live drift slightly when freed; it is signed for that reason.
std::int64_t g_live = 0;
std::int64_t g_peak = 0;

inline void grew(void* q) {
  if (!q) return;
  g_live += static_cast<std::int64_t>(malloc_usable_size(q));
  if (g_live > g_peak) g_peak = g_live;
}
}  // namespace

extern "C" void* malloc(std::size_t n) noexcept {
  g_alloc_bytes += n;
  ++g_alloc_calls;
  void* q = __libc_malloc(n);
  grew(q);
  return q;
}
extern "C" void* calloc(std::size_t n, std::size_t m) noexcept {
  g_alloc_bytes += n * m;
  ++g_alloc_calls;
  void* q = __libc_calloc(n, m);
  grew(q);
  return q;
}
extern "C" void* realloc(void* p, std::size_t n) noexcept {
  g_alloc_bytes += n;
  ++g_alloc_calls;
  std::int64_t old = p ? static_cast<std::int64_t>(malloc_usable_size(p)) : 0;
  void* q = __libc_realloc(p, n);
  if (q || n == 0) g_live -= old;  // on failure the old block stays
  grew(q);
  return q;
}
extern "C" void free(void* p) noexcept {
  if (p) g_live -= static_cast<std::int64_t>(malloc_usable_size(p));
  __libc_free(p);
}

namespace bench {

Counters alloc_counters() { return {g_alloc_bytes, g_alloc_calls}; }

void pin_malloc() {
  // Fixed thresholds switch off glibc's dynamic adjustment (which otherwise
  // moves the mmap threshold up after the first large free, changing page
  // fault counts between the first and later repetitions).
  mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);  // glibc's maximum on 64-bit
  mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
  mallopt(M_TOP_PAD, 16 * 1024 * 1024);
  mallopt(M_ARENA_MAX, 1);
}

namespace {

long status_kb(const char* key) {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (!f) return 0;
  char line[256];
  long v = 0;
  std::size_t klen = std::strlen(key);
  while (std::fgets(line, sizeof line, f)) {
    if (std::strncmp(line, key, klen) == 0 && line[klen] == ':') {
      v = std::atol(line + klen + 1);
      break;
    }
  }
  std::fclose(f);
  return v;
}

void reset_peak_rss() {
  if (std::FILE* f = std::fopen("/proc/self/clear_refs", "w")) {
    std::fputs("5", f);
    std::fclose(f);
  }
}

long minflt_now() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_minflt;
}

Sample measure(Prepared& p) {
  Sample s;
  std::uint64_t st0 = p.statements ? p.statements() : 0;
  reset_peak_rss();
  long rss0 = status_kb("VmRSS");
  long flt0 = minflt_now();
  Counters c0 = alloc_counters();
  std::int64_t live0 = g_live;
  g_peak = g_live;
  auto t0 = std::chrono::steady_clock::now();
  p.run();
  auto t1 = std::chrono::steady_clock::now();
  Counters c1 = alloc_counters();
  s.minflt = minflt_now() - flt0;
  s.rss_peak_kb = std::max(0L, status_kb("VmHWM") - rss0);
  s.seconds = std::chrono::duration<double>(t1 - t0).count();
  s.alloc_bytes = c1.alloc_bytes - c0.alloc_bytes;
  s.alloc_calls = c1.alloc_calls - c0.alloc_calls;
  s.heap_peak_bytes = std::max<std::int64_t>(0, g_peak - live0);
  if (p.statements) s.statements = static_cast<long long>(p.statements() - st0);
  return s;
}

template <class T, class F>
T median_of(std::vector<Sample>& v, F get) {
  std::vector<T> xs;
  for (auto& s : v) xs.push_back(get(s));
  std::sort(xs.begin(), xs.end());
  std::size_t n = xs.size();
  if (n == 0) return T{};
  if (n % 2) return xs[n / 2];
  return static_cast<T>((xs[n / 2 - 1] + xs[n / 2]) / 2);
}

struct Active {
  const Contender* c;
  const WorkloadFn* fn;
  std::vector<Sample> samples;
  std::string digest;
  std::string note;
  bool failed = false;
  bool not_applicable = false;
};

/// Prepares, runs, verifies one contender once. Returns nullopt on failure
/// (the note says why) or when not applicable.
std::optional<Sample> run_once(Active& a, W w, const Target& t, const Sizes& sizes, const std::string& reference,
                               bool verbose) {
  try {
    Prepared p = (*a.fn)(t, sizes);
    if (!p.run) {
      a.not_applicable = true;
      return std::nullopt;
    }
    Sample s = measure(p);
    std::string d = p.verify ? p.verify() : "";
    if (a.digest.empty()) a.digest = d;
    if (!reference.empty() && d != reference && a.note.find("MISMATCH") == std::string::npos)
      a.note = "DIGEST MISMATCH: " + d + " vs " + reference;
    if (verbose)
      std::fprintf(stderr, "  %-22s %-14s %-9s %9.3f ms  %s\n", workload_name(w), backend_name(t.backend),
                   a.c->name.c_str(), s.seconds * 1e3, d.c_str());
    return s;
  } catch (const std::exception& e) {
    a.failed = true;
    a.note = std::string("error: ") + e.what();
    std::fprintf(stderr, "  %s %s %s: %s\n", workload_name(w), backend_name(t.backend), a.c->name.c_str(), e.what());
    return std::nullopt;
  }
}

Row row_for(W w, const Target& t, const Contender& c) {
  Row r;
  r.workload = workload_name(w);
  r.backend = backend_name(t.backend);
  r.contender = c.name;
  r.kind = c.kind;
  return r;
}

}  // namespace

void run_workload(W w, const Target& target, const Sizes& sizes, const std::vector<Contender>& contenders,
                  const RunOptions& opt, std::vector<Row>& out) {
  std::vector<Active> act;
  std::vector<Row> na;
  for (auto& c : contenders) {
    if (std::find(c.backends.begin(), c.backends.end(), target.backend) == c.backends.end()) continue;
    auto it = c.workloads.find(w);
    if (it == c.workloads.end()) {
      if (c.kind == "raw") continue;  // e.g. raw-bulk exists only for inserts
      Row r = row_for(w, target, c);
      r.note = c.kind == "orm" ? "n/a (ORM slot not filled yet)" : "n/a (no such form)";
      na.push_back(r);
      continue;
    }
    act.push_back(Active{&c, &it->second, {}, {}, {}});
  }
  // The reference digest: the first raw contender's (or the first one's).
  std::string reference;
  auto ref_of = [&] {
    for (auto& a : act)
      if (a.c->kind == "raw" && !a.digest.empty()) return a.digest;
    for (auto& a : act)
      if (!a.digest.empty()) return a.digest;
    return std::string();
  };
  // Warm-up: each once, not recorded.
  for (auto& a : act) run_once(a, w, target, sizes, "", opt.verbose);
  reference = ref_of();
  for (auto& a : act)
    if (!a.digest.empty() && a.digest != reference) a.note = "DIGEST MISMATCH: " + a.digest + " vs " + reference;
  for (int rep = 0; rep < opt.reps; ++rep) {
    for (std::size_t k = 0; k < act.size(); ++k) {
      Active& a = act[(k + static_cast<std::size_t>(rep)) % act.size()];
      if (a.failed || a.not_applicable) continue;
      if (auto s = run_once(a, w, target, sizes, reference, opt.verbose)) a.samples.push_back(*s);
    }
  }
  double fastest_raw = 0;
  for (auto& a : act) {
    if (a.c->kind != "raw" || a.samples.empty()) continue;
    double m = median_of<double>(a.samples, [](const Sample& s) { return s.seconds; });
    if (fastest_raw == 0 || m < fastest_raw) fastest_raw = m;
  }
  for (auto& a : act) {
    Row r = row_for(w, target, *a.c);
    r.note = a.note;
    r.digest = a.digest;
    if (a.not_applicable) r.note = "n/a";
    if (!a.samples.empty()) {
      r.reps = static_cast<int>(a.samples.size());
      r.median_s = median_of<double>(a.samples, [](const Sample& s) { return s.seconds; });
      r.min_s = std::min_element(a.samples.begin(), a.samples.end(), [](auto& x, auto& y) {
                  return x.seconds < y.seconds;
                })->seconds;
      r.ratio = fastest_raw > 0 ? r.median_s / fastest_raw : 0;
      r.alloc_bytes = median_of<std::uint64_t>(a.samples, [](const Sample& s) { return s.alloc_bytes; });
      r.alloc_calls = median_of<std::uint64_t>(a.samples, [](const Sample& s) { return s.alloc_calls; });
      r.minflt = median_of<long>(a.samples, [](const Sample& s) { return s.minflt; });
      r.rss_peak_kb = median_of<long>(a.samples, [](const Sample& s) { return s.rss_peak_kb; });
      r.heap_peak_bytes = median_of<std::int64_t>(a.samples, [](const Sample& s) { return s.heap_peak_bytes; });
      r.statements = median_of<long long>(a.samples, [](const Sample& s) { return s.statements; });
    }
    out.push_back(r);
  }
  for (auto& r : na) out.push_back(r);
}

void print_table(const std::vector<Row>& rows, std::FILE* f) {
  std::fprintf(f, "| %-20s | %-13s | %-9s | %4s | %10s | %10s | %8s | %9s | %9s | %9s | %8s | %8s | %8s | %s\n",
               "workload", "backend", "contender", "reps", "median ms", "min ms", "x raw", "alloc MB", "allocs",
               "heap+MB", "minflt", "peakRSS+MB", "stmts", "note |");
  std::fprintf(f, "|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n", "----------------------", "---------------",
               "-----------", "-----:", "-----------:", "-----------:", "---------:", "----------:", "----------:",
               "----------:", "---------:", "----------:", "---------:", "------|");
  for (auto& r : rows) {
    if (r.reps == 0) {
      std::fprintf(f, "| %-20s | %-13s | %-9s | %4s | %10s | %10s | %8s | %9s | %9s | %9s | %8s | %10s | %8s | %s |\n",
                   r.workload.c_str(), r.backend.c_str(), r.contender.c_str(), "-", "n/a", "", "", "", "", "", "", "", "",
                   r.note.c_str());
      continue;
    }
    char stmts[32] = "-";
    if (r.statements >= 0) std::snprintf(stmts, sizeof stmts, "%lld", r.statements);
    std::fprintf(f, "| %-20s | %-13s | %-9s | %4d | %10.2f | %10.2f | %8.2f | %9.2f | %9llu | %9.2f | %8ld | %10.1f | %8s | %s |\n",
                 r.workload.c_str(), r.backend.c_str(), r.contender.c_str(), r.reps, r.median_s * 1e3, r.min_s * 1e3,
                 r.ratio, static_cast<double>(r.alloc_bytes) / (1024.0 * 1024.0),
                 static_cast<unsigned long long>(r.alloc_calls), static_cast<double>(r.heap_peak_bytes) / (1024.0 * 1024.0),
                 r.minflt, static_cast<double>(r.rss_peak_kb) / 1024.0,
                 stmts, r.note.c_str());
  }
}

namespace {
std::string json_str(const std::string& s) {
  std::string o = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') {
      o += '\\';
      o += ch;
    } else if (static_cast<unsigned char>(ch) < 0x20) {
      char b[8];
      std::snprintf(b, sizeof b, "\\u%04x", ch);
      o += b;
    } else {
      o += ch;
    }
  }
  return o + "\"";
}
}  // namespace

void write_json(const std::vector<Row>& rows, const std::string& path, const std::string& meta_json) {
  std::ofstream f(path);
  f << "{\"meta\": " << meta_json << ",\n \"rows\": [\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    auto& r = rows[i];
    f << "  {\"workload\": " << json_str(r.workload) << ", \"backend\": " << json_str(r.backend)
      << ", \"contender\": " << json_str(r.contender) << ", \"kind\": " << json_str(r.kind) << ", \"reps\": " << r.reps
      << ", \"median_s\": " << r.median_s << ", \"min_s\": " << r.min_s << ", \"ratio\": " << r.ratio
      << ", \"alloc_bytes\": " << r.alloc_bytes << ", \"alloc_calls\": " << r.alloc_calls
      << ", \"minflt\": " << r.minflt << ", \"rss_peak_kb\": " << r.rss_peak_kb
      << ", \"heap_peak_bytes\": " << r.heap_peak_bytes
      << ", \"statements\": " << r.statements << ", \"digest\": " << json_str(r.digest)
      << ", \"note\": " << json_str(r.note) << "}" << (i + 1 < rows.size() ? ",\n" : "\n");
  }
  f << " ]}\n";
}

}  // namespace bench
