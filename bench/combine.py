#!/usr/bin/python3
"""bench/combine.py CPP_JSON [PY_JSON] — one markdown table from retort_bench --json
and sqlalchemy_bench.py --json.

Per workload and backend: the raw forms, retort Core, retort ORM, SQLAlchemy
Core and SQLAlchemy ORM, with "x raw" (median / fastest raw median) and
"/ SQLAlchemy" (retort Core / SQLAlchemy Core, retort ORM / SQLAlchemy ORM).
A SQLAlchemy digest that differs from the C++ raw contender's is flagged: the
two did not do the same work.
"""
import json
import sys


def fmt_ms(s): return "%.2f" % (s * 1e3)


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    cpp = json.load(open(sys.argv[1]))
    py = json.load(open(sys.argv[2])) if len(sys.argv) > 2 else {"rows": [], "meta": {}}
    sqla = {}
    for r in py["rows"]:
        sqla.setdefault((r["workload"], r["backend"]), {})[r.get("kind", "orm")] = r
    order, groups = [], {}
    for r in cpp["rows"]:
        k = (r["workload"], r["backend"])
        if k not in groups:
            order.append(k)
            groups[k] = []
        groups[k].append(r)
    for k in sqla:
        if k not in groups:
            order.append(k)
            groups[k] = []

    m = cpp["meta"]
    print("Scale %s, %s repetitions (median) after one warm-up; retort contenders interleaved; "
          "SQLite %s (file target: %s); SQLAlchemy %s on Python %s; load average at start %s.\n" % (
              m.get("scale"), m.get("reps"), m.get("sqlite"), m.get("sqlite_file_pragmas"),
              py["meta"].get("sqlalchemy", "-"), py["meta"].get("python", "-"), m.get("loadavg")))
    print("| workload | backend | contender | median ms | x raw | / SQLAlchemy (same layer) | alloc MB | allocs | heap +MB "
          "| minflt | peak RSS +MB | statements | note |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for k in order:
        rows = groups[k]
        raw = [r["median_s"] for r in rows if r["kind"] == "raw" and r["reps"]]
        fastest = min(raw) if raw else 0
        ref = next((r["digest"] for r in rows if r["kind"] == "raw" and r.get("digest")), "")
        same = sqla.get(k, {})
        for r in rows:
            s = same.get(r["kind"])
            s_med = s["median_s"] if s and s.get("reps") else 0
            if not r["reps"]:
                print("| %s | %s | %s | n/a | | | | | | | | | %s |" % (k[0], k[1], r["contender"], r["note"]))
                continue
            vs = "%.2f" % (r["median_s"] / s_med) if s_med and r["kind"] in ("core", "orm") else ""
            print("| %s | %s | %s | %s | %.2f | %s | %.2f | %d | %.2f | %d | %.1f | %s | %s |" % (
                k[0], k[1], r["contender"], fmt_ms(r["median_s"]), r["ratio"], vs, r["alloc_bytes"] / 2**20,
                r["alloc_calls"], r.get("heap_peak_bytes", 0) / 2**20, r["minflt"], r["rss_peak_kb"] / 1024,
                r["statements"] if r["statements"] >= 0 else "-", r["note"]))
        for kind in ("core", "orm"):
            s = same.get(kind)
            if not s:
                continue
            s_med = s.get("median_s", 0)
            if not s.get("reps"):
                print("| %s | %s | %s | n/a | | | | | | | | | %s |" % (k[0], k[1], s["contender"], s.get("note", "")))
            else:
                note = s.get("note", "")
                if ref and s.get("digest") != ref:
                    note = ("DIGEST MISMATCH: %s vs %s " % (s.get("digest"), ref)) + note
                ratio = "%.2f" % (s_med / fastest) if fastest else ""
                print("| %s | %s | %s | %s | %s | 1.00 | | | | | | %s | %s |" % (
                    k[0], k[1], s["contender"], fmt_ms(s_med), ratio, s.get("statements", "-"), note))
    print("\nx raw: median / the fastest raw driver form's median (same workload and backend). / SQLAlchemy: "
          "retort Core / SQLAlchemy 1.4 Core, retort ORM / SQLAlchemy 1.4 ORM, medians (below 1: retort is faster). alloc MB, allocs: "
          "malloc/calloc/realloc bytes and calls in the whole process during the timed part. heap +MB: growth of "
          "the live heap at its peak during the run. minflt: minor page "
          "faults. statements: retort's Engine::statement_count() (execute_many counts once); for SQLAlchemy, "
          "cursor executions (executemany counts once).")


if __name__ == "__main__":
    main()
