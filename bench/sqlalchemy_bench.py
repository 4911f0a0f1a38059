#!/usr/bin/python3
"""bench/sqlalchemy_bench.py — retort_bench's workloads in idiomatic SQLAlchemy 1.4,
ORM (contender "sqlalchemy-orm") and Core ("sqlalchemy-core").

Same workloads, sizes (--scale), data, schema and digests as the C++ bench
(bench/workloads.hpp, bench/fixtures.cpp), so that bench/combine.py can show
retort / SQLAlchemy per workload and check that both did the same work.
Each run starts on a fresh, seeded database (seeded untimed, through Core
executemany); one warm-up run, then --reps timed runs; medians are printed as
JSON (stdout, or --json FILE).

Run with Debian's interpreter (python3-sqlalchemy, python3-psycopg2):
    /usr/bin/python3 bench/sqlalchemy_bench.py --scale 0.1 --pg-url postgresql://postgres@/postgres?host=/tmp/pg
"""
import argparse
import gc
import json
import os
import statistics
import sys
import time
from math import floor, gcd

import sqlalchemy
from sqlalchemy import (Column, ForeignKey, Integer, String, bindparam, create_engine, delete, event, insert,
                        select, text, update)
from sqlalchemy.orm import Session, declarative_base, joinedload, relationship, selectinload

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String, nullable=False)
    posts = relationship("Post", back_populates="author", cascade="all, delete-orphan")


class Post(Base):
    __tablename__ = "posts"
    id = Column(Integer, primary_key=True)
    title = Column(String, nullable=False)
    content = Column(String)
    user_id = Column(Integer, ForeignKey("users.id"), index=True)
    author = relationship("User", back_populates="posts")


# --- data, as in bench/fixtures.cpp -------------------------------------------------

def user_name(i): return f"user {i}"
def new_name(i): return f"renamed {i}"
def post_title(u, j): return f"post {u}.{j}"
def post_has_content(j): return j % 5 != 4
def post_content(u, j): return f"content of post {u}.{j}"


def lookup_id(k, n, _stride={}):
    s = _stride.get(n)
    if s is None:
        s = 7919
        while gcd(s, n) != 1:
            s += 2
        _stride[n] = s
    return (k * s) % n + 1


def w7_ids(count): return [2 * i + 1 for i in range(count)]


class Sizes:
    def __init__(self, s):
        sc = lambda n: max(1, int(floor(n * s + 0.5)))  # as C++ llround for positive values
        self.w1_users = sc(100000)
        self.w2_users = sc(10000)
        self.w2_posts_per_user = 10
        self.w3_users = sc(100000)
        self.w4_users = sc(1000)
        self.w4_posts_per_user = 10
        self.w5_users = sc(100000)
        self.w5_lookups = sc(100000)
        self.w6_users = sc(10000)
        self.w7_delete_users = sc(1000)
        self.w7_seed_users = 2 * self.w7_delete_users
        self.w7_posts_per_user = 10


STATE_DIGEST_SQL = ("SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM posts), "
                    "(SELECT coalesce(sum(length(name)), 0) FROM users)")


def users_digest(users):
    return "users=%d idsum=%d namelen=%d" % (len(users), sum(u.id for u in users), sum(len(u.name) for u in users))


def posts_digest(users):
    posts = [p for u in users for p in u.posts]
    wrong = sum(1 for u in users for p in u.posts if p.user_id != u.id)
    d = "users=%d idsum=%d namelen=%d posts=%d postidsum=%d textlen=%d nullcontent=%d" % (
        len(users), sum(u.id for u in users), sum(len(u.name) for u in users), len(posts),
        sum(p.id for p in posts), sum(len(p.title) + len(p.content or "") for p in posts),
        sum(1 for p in posts if p.content is None))
    return d + (" MISPLACED=%d" % wrong if wrong else "")


def lookup_digest(found, namelen): return "found=%d namelen=%d" % (found, namelen)


# --- targets -------------------------------------------------------------------------

class Target:
    def __init__(self, backend, url, sqlite_path=None):
        self.backend, self.url, self.sqlite_path = backend, url, sqlite_path
        self.statements = 0

    def fresh_engine(self, seed_users=0, posts_per_user=0):
        """A new engine on a fresh database with the schema, seeded (untimed)."""
        if self.sqlite_path:
            for suffix in ("", "-journal", "-wal", "-shm"):
                try:
                    os.remove(self.sqlite_path + suffix)
                except FileNotFoundError:
                    pass
        engine = create_engine(self.url)
        if self.backend.startswith("sqlite"):
            @event.listens_for(engine, "connect")
            def _fk(dbapi_conn, _record):  # as retort's driver does
                dbapi_conn.execute("PRAGMA foreign_keys = ON")
        else:
            Base.metadata.drop_all(engine)
        Base.metadata.create_all(engine)
        if seed_users:
            with engine.begin() as conn:
                conn.execute(User.__table__.insert(), [{"name": user_name(i)} for i in range(1, seed_users + 1)])
                if posts_per_user:
                    conn.execute(Post.__table__.insert(), [
                        {"title": post_title(i, j), "content": post_content(i, j) if post_has_content(j) else None,
                         "user_id": i}
                        for i in range(1, seed_users + 1) for j in range(posts_per_user)])
            if self.backend == "postgresql":
                with engine.connect() as conn:
                    conn = conn.execution_options(isolation_level="AUTOCOMMIT")
                    conn.execute(text("ANALYZE users"))
                    conn.execute(text("ANALYZE posts"))

        @event.listens_for(engine, "before_cursor_execute")
        def _count(*_args):
            self.statements += 1
        return engine


def state_digest(engine):
    with engine.connect() as conn:
        u, p, n = conn.execute(text(STATE_DIGEST_SQL)).one()
    return "users=%d posts=%d namelen=%d" % (u, p, n)


# --- workloads: each returns (run, verify, cleanup); only run is timed ----------------

def w1(t, z):
    engine = t.fresh_engine()
    session = Session(engine)

    def run():
        session.add_all([User(name=user_name(i)) for i in range(1, z.w1_users + 1)])
        session.commit()
    return run, lambda: state_digest(engine), lambda: (session.close(), engine.dispose())


def w2(t, z):
    engine = t.fresh_engine()
    session = Session(engine)

    def run():
        users = []
        for i in range(1, z.w2_users + 1):
            u = User(name=user_name(i))
            u.posts = [Post(title=post_title(i, j), content=post_content(i, j) if post_has_content(j) else None)
                       for j in range(z.w2_posts_per_user)]
            users.append(u)
        session.add_all(users)
        session.commit()
    return run, lambda: state_digest(engine), lambda: (session.close(), engine.dispose())


def w3(t, z):
    engine = t.fresh_engine(z.w3_users)
    session = Session(engine)
    out = []

    def run():
        out.extend(session.query(User).all())
    return run, lambda: users_digest(out), lambda: (session.close(), engine.dispose())


def w4(option):
    def w(t, z):
        engine = t.fresh_engine(z.w4_users, z.w4_posts_per_user)
        session = Session(engine)
        out = []

        def run():
            q = session.query(User)
            if option is not None:
                q = q.options(option(User.posts))
            users = q.all()
            for u in users:
                u.posts  # lazy: one SELECT per user; eager: already loaded
            out.extend(users)
        return run, lambda: posts_digest(out), lambda: (session.close(), engine.dispose())
    return w


def w5a(t, z):
    engine = t.fresh_engine(z.w5_users)
    session = Session(engine)
    loaded = session.query(User).all()  # untimed: the identity map holds them all
    acc = [0, 0]

    def run():
        found = namelen = 0
        n = z.w5_users
        for k in range(z.w5_lookups):
            u = session.get(User, lookup_id(k, n))
            if u is not None:
                found += 1
                namelen += len(u.name)
        acc[:] = [found, namelen]
    return run, lambda: lookup_digest(*acc), lambda: (loaded.clear(), session.close(), engine.dispose())


def w5b(t, z):
    engine = t.fresh_engine(z.w5_users)
    session = Session(engine)
    out = []  # keep the objects (the identity map is weak), as the C++ side keeps them

    def run():
        n = z.w5_users
        for k in range(z.w5_lookups):
            u = session.get(User, lookup_id(k, n))
            if u is not None:
                out.append(u)
    return (run, lambda: lookup_digest(len(out), sum(len(u.name) for u in out)),
            lambda: (session.close(), engine.dispose()))


def w6(t, z):
    engine = t.fresh_engine(z.w6_users)
    session = Session(engine)
    users = session.query(User).all()

    def run():
        for u in users:
            u.name = new_name(u.id)
        session.commit()
    return run, lambda: state_digest(engine), lambda: (session.close(), engine.dispose())


def w7(t, z):
    engine = t.fresh_engine(z.w7_seed_users, z.w7_posts_per_user)
    session = Session(engine)
    users = session.query(User).filter(User.id.in_(w7_ids(z.w7_delete_users))).options(
        selectinload(User.posts)).all()

    def run():
        for u in users:
            session.delete(u)
        session.commit()
    return run, lambda: state_digest(engine), lambda: (users.clear(), session.close(), engine.dispose())


WORKLOADS = [
    ("W1-insert", w1),
    ("W2-insert-children", w2),
    ("W3-load", w3),
    ("W4a-lazy", w4(None)),
    ("W4b-selectin", w4(selectinload)),
    ("W4c-joined", w4(joinedload)),
    ("W5a-get-identity-map", w5a),
    ("W5b-get-query", w5b),
    ("W6-update", w6),
    ("W7-delete-cascade", w7),
]


# --- the same workloads through SQLAlchemy Core (Connection.execute) -------------------

users_t, posts_t = User.__table__, Post.__table__


class Loaded:
    """A user with its posts, for the Core W4 digests (Core rows are tuples)."""
    __slots__ = ("id", "name", "posts")

    def __init__(self, id, name):
        self.id, self.name, self.posts = id, name, []


def core_w1(t, z):
    engine = t.fresh_engine()

    def run():
        with engine.begin() as conn:
            conn.execute(insert(users_t), [{"name": user_name(i)} for i in range(1, z.w1_users + 1)])
    return run, lambda: state_digest(engine), engine.dispose


def core_w2(t, z):
    engine = t.fresh_engine()

    def run():
        with engine.begin() as conn:
            posts = []
            for i in range(1, z.w2_users + 1):
                uid = conn.execute(insert(users_t), {"name": user_name(i)}).inserted_primary_key[0]
                posts.extend({"title": post_title(i, j),
                              "content": post_content(i, j) if post_has_content(j) else None, "user_id": uid}
                             for j in range(z.w2_posts_per_user))
            conn.execute(insert(posts_t), posts)
    return run, lambda: state_digest(engine), engine.dispose


def core_w3(t, z):
    engine = t.fresh_engine(z.w3_users)
    out = []

    def run():
        with engine.connect() as conn:
            out.extend(conn.execute(select(users_t.c.id, users_t.c.name)).all())
    return run, lambda: users_digest(out), engine.dispose


POST_COLS = (posts_t.c.id, posts_t.c.title, posts_t.c.content, posts_t.c.user_id)


def core_w4(mode):
    def w(t, z):
        engine = t.fresh_engine(z.w4_users, z.w4_posts_per_user)
        out = []

        def run():
            with engine.connect() as conn:
                if mode == "joined":
                    by_id = {}
                    q = select(users_t.c.id, users_t.c.name, *POST_COLS).select_from(
                        users_t.outerjoin(posts_t, users_t.c.id == posts_t.c.user_id))
                    for r in conn.execute(q):
                        u = by_id.get(r[0])
                        if u is None:
                            u = by_id[r[0]] = Loaded(r[0], r[1])
                        if r[2] is not None:
                            u.posts.append(r[2:])
                    out.extend(by_id.values())
                    return
                users = [Loaded(i, n) for i, n in conn.execute(select(users_t.c.id, users_t.c.name))]
                if mode == "lazy":
                    for u in users:
                        u.posts = conn.execute(select(*POST_COLS).where(posts_t.c.user_id == u.id)).all()
                else:
                    by_id = {u.id: u for u in users}
                    for p in conn.execute(select(*POST_COLS).where(posts_t.c.user_id.in_(list(by_id)))):
                        by_id[p.user_id].posts.append(p)
                out.extend(users)
        return run, lambda: posts_digest([_as_objects(u) for u in out]), engine.dispose
    return w


class _P:
    __slots__ = ("id", "title", "content", "user_id")


def _as_objects(u):
    """Core rows (tuples) of posts -> attribute objects for posts_digest."""
    ps = []
    for r in u.posts:
        p = _P()
        p.id, p.title, p.content, p.user_id = r[0], r[1], r[2], r[3]
        ps.append(p)
    v = Loaded(u.id, u.name)
    v.posts = ps
    return v


def core_w5b(t, z):
    engine = t.fresh_engine(z.w5_users)
    out = []

    def run():
        n = z.w5_users
        q = select(users_t.c.id, users_t.c.name).where(users_t.c.id == bindparam("id"))
        with engine.connect() as conn:
            for k in range(z.w5_lookups):
                r = conn.execute(q, {"id": lookup_id(k, n)}).first()
                if r is not None:
                    out.append(r)
    return (run, lambda: lookup_digest(len(out), sum(len(u.name) for u in out)), engine.dispose)


def core_w6(t, z):
    engine = t.fresh_engine(z.w6_users)
    with engine.connect() as conn:
        users = [[i, n] for i, n in conn.execute(select(users_t.c.id, users_t.c.name))]

    def run():
        params = []
        for u in users:
            u[1] = new_name(u[0])
            params.append({"uid": u[0], "newname": u[1]})
        with engine.begin() as conn:
            conn.execute(update(users_t).where(users_t.c.id == bindparam("uid")).values(name=bindparam("newname")),
                         params)
    return run, lambda: state_digest(engine), engine.dispose


def core_w7(t, z):
    engine = t.fresh_engine(z.w7_seed_users, z.w7_posts_per_user)
    ids = w7_ids(z.w7_delete_users)

    def run():
        with engine.begin() as conn:
            for at in range(0, len(ids), 500):
                conn.execute(delete(posts_t).where(posts_t.c.user_id.in_(ids[at:at + 500])))
            for at in range(0, len(ids), 500):
                conn.execute(delete(users_t).where(users_t.c.id.in_(ids[at:at + 500])))
    return run, lambda: state_digest(engine), engine.dispose


CORE_WORKLOADS = {
    "W1-insert": core_w1,
    "W2-insert-children": core_w2,
    "W3-load": core_w3,
    "W4a-lazy": core_w4("lazy"),
    "W4b-selectin": core_w4("selectin"),
    "W4c-joined": core_w4("joined"),
    "W5b-get-query": core_w5b,
    "W6-update": core_w6,
    "W7-delete-cascade": core_w7,
}


def run_once(fn, t, z):
    run, verify, cleanup = fn(t, z)
    gc.collect()
    s0 = t.statements
    t0 = time.perf_counter()
    run()
    t1 = time.perf_counter()
    stmts = t.statements - s0
    d = verify()
    cleanup()
    return t1 - t0, stmts, d


def pg_urls(url, pid):
    """(SQLAlchemy URL of the bench database, admin libpq URL, database name)."""
    db = "retort_bench_py_%d" % pid
    scheme, rest = url.split("://", 1)
    slash, q = rest.find("/"), rest.find("?")
    if slash < 0 or (0 <= q < slash):
        slash = q
    if slash < 0:
        bench = rest + "/" + db
    else:
        bench = rest[:slash] + "/" + db + (rest[q:] if q >= 0 else "")
    return "postgresql+psycopg2://" + bench, url, db


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--filter", default="")
    ap.add_argument("--pg-url", default=os.environ.get("RETORT_PG_URL", ""))
    ap.add_argument("--no-pg", action="store_true")
    ap.add_argument("--sqlite-dir", default="/tmp")
    ap.add_argument("--json", default="")
    ap.add_argument("--verbose", "-v", action="store_true")
    a = ap.parse_args()
    z = Sizes(a.scale)
    pid = os.getpid()
    filters = [f for f in a.filter.split(",") if f]

    targets = [Target("sqlite-file", "sqlite:///%s/retort_bench_py_%d.db" % (a.sqlite_dir, pid),
                      "%s/retort_bench_py_%d.db" % (a.sqlite_dir, pid)),
               Target("sqlite-memory", "sqlite://")]
    admin = None
    if a.pg_url and not a.no_pg:
        import psycopg2
        sa_url, admin_url, dbname = pg_urls(a.pg_url, pid)
        try:
            admin = psycopg2.connect(admin_url)
            admin.autocommit = True
            admin.cursor().execute("CREATE DATABASE " + dbname)
            targets.append(Target("postgresql", sa_url))
        except Exception as e:  # noqa: BLE001 — report and go on without PostgreSQL
            print("sqlalchemy_bench: PostgreSQL skipped: %s" % e, file=sys.stderr)
            admin = None
    else:
        print("sqlalchemy_bench: PostgreSQL skipped (no --pg-url, no RETORT_PG_URL)", file=sys.stderr)

    rows = []
    try:
        for name, fn in WORKLOADS:
            for t in targets:
                key = name + " " + t.backend
                if filters and not any(f in key for f in filters):
                    continue
                print("sqlalchemy_bench: %s on %s" % (name, t.backend), file=sys.stderr)
                for contender, f in (("sqlalchemy-core", CORE_WORKLOADS.get(name)), ("sqlalchemy-orm", fn)):
                    if f is None:
                        continue
                    row = {"workload": name, "backend": t.backend, "contender": contender,
                           "kind": contender.split("-")[1]}
                    try:
                        run_once(f, t, z)  # warm-up
                        samples = [run_once(f, t, z) for _ in range(a.reps)]
                        times = [s[0] for s in samples]
                        row.update(reps=len(times), median_s=statistics.median(times), min_s=min(times),
                                   statements=int(statistics.median(s[1] for s in samples)), digest=samples[0][2],
                                   note="")
                        if a.verbose:
                            print("  %s %.3f ms  %s" % (contender, row["median_s"] * 1e3, row["digest"]),
                                  file=sys.stderr)
                    except Exception as e:  # noqa: BLE001 — one failing workload does not end the run
                        row.update(reps=0, note="error: %s" % e)
                        print("  %s error: %s" % (contender, e), file=sys.stderr)
                    rows.append(row)
    finally:
        for t in targets:
            if t.sqlite_path:
                for suffix in ("", "-journal"):
                    try:
                        os.remove(t.sqlite_path + suffix)
                    except FileNotFoundError:
                        pass
        if admin is not None:
            admin.cursor().execute("DROP DATABASE IF EXISTS " + dbname)
            admin.close()

    out = {"meta": {"sqlalchemy": sqlalchemy.__version__, "python": sys.version.split()[0], "scale": a.scale,
                    "reps": a.reps},
           "rows": rows}
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1)
    else:
        json.dump(out, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
