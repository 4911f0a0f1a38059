// bench/raw_pq.cpp — the workloads written straight on libpq, the fast way:
// prepared statements, binary result format (integers decoded from network
// byte order, no text parsing), pipeline mode for per-row writes, arrays
// (= ANY($1), unnest) instead of long IN lists, COPY for bulk inserts.
//
// Two contenders: "raw" (per-row statements, pipelined where the client does
// not need an answer before sending the next one; lazy loads and W5 lookups
// wait for each answer, as their access pattern implies) and "raw-bulk"
// (COPY FROM STDIN for W1 and W2; only those workloads).
#include <cstring>
#include <memory>
#include <unordered_map>

#include "fixtures.hpp"

namespace bench {
namespace {

/// One run's connection; closed when the Prepared goes.
struct Conn {
  PGconn* c = nullptr;
  explicit Conn(const Target& t, const Seed& seed = {}) : c(pq_open_fresh(t)) {
    if (seed.users) pq_seed(c, seed);
  }
  ~Conn() { PQfinish(c); }
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;
};

/// An owned PGresult that must have status `want`.
struct Res {
  PGresult* r;
  Res(PGconn* c, PGresult* res, ExecStatusType want = PGRES_TUPLES_OK) : r(res) {
    if (PQresultStatus(r) != want) {
      r = nullptr;
      pq_check(c, res, want, "query");
    }
  }
  ~Res() { PQclear(r); }
  Res(const Res&) = delete;
  Res& operator=(const Res&) = delete;
  int rows() const { return PQntuples(r); }
};

/// An integer column in binary format (int2, int4 or int8 by length).
inline std::int64_t bin_int(const PGresult* r, int row, int col) {
  const char* v = PQgetvalue(r, row, col);
  switch (PQgetlength(r, row, col)) {
    case 8: {
      std::uint64_t x;
      std::memcpy(&x, v, 8);
      return static_cast<std::int64_t>(__builtin_bswap64(x));
    }
    case 4: {
      std::uint32_t x;
      std::memcpy(&x, v, 4);
      return static_cast<std::int32_t>(__builtin_bswap32(x));
    }
    default: {
      std::uint16_t x;
      std::memcpy(&x, v, 2);
      return static_cast<std::int16_t>(__builtin_bswap16(x));
    }
  }
}
inline std::string bin_text(const PGresult* r, int row, int col) {
  return std::string(PQgetvalue(r, row, col), static_cast<std::size_t>(PQgetlength(r, row, col)));
}
inline Post bin_post(const PGresult* r, int row, int first) {
  Post p;
  p.id = bin_int(r, row, first);
  p.title = bin_text(r, row, first + 1);
  if (!PQgetisnull(r, row, first + 2)) p.content = bin_text(r, row, first + 2);
  p.user_id = bin_int(r, row, first + 3);
  return p;
}

/// A one-shot query (unnamed statement: one round trip), text parameters, binary results.
PGresult* query(PGconn* c, const char* sql, std::initializer_list<const char*> params = {}) {
  return PQexecParams(c, sql, static_cast<int>(params.size()), nullptr, params.begin(), nullptr, nullptr, 1);
}
void prepare(PGconn* c, const char* name, const char* sql) {
  pq_check(c, PQprepare(c, name, sql, 0, nullptr), PGRES_COMMAND_OK, sql);
}

constexpr std::int64_t kDepth = 500;  // queries in flight between two pipeline syncs

/// Runs `count` queries sent by send(i) (returning PQsend*'s result) in
/// pipeline mode, syncing every kDepth queries; each result goes to on_result(i, r).
template <class Send, class OnResult>
void pipeline(PGconn* c, std::int64_t count, Send send, OnResult on_result) {
  if (PQenterPipelineMode(c) != 1) throw std::runtime_error(PQerrorMessage(c));
  for (std::int64_t at = 0; at < count; at += kDepth) {
    std::int64_t n = std::min(kDepth, count - at);
    for (std::int64_t k = 0; k < n; ++k)
      if (send(at + k) != 1) throw std::runtime_error(std::string("pipeline send: ") + PQerrorMessage(c));
    if (PQpipelineSync(c) != 1) throw std::runtime_error(PQerrorMessage(c));
    for (std::int64_t k = 0; k < n; ++k) {
      PGresult* r = PQgetResult(c);
      ExecStatusType st = PQresultStatus(r);
      if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) pq_check(c, r, PGRES_COMMAND_OK, "pipelined query");
      on_result(at + k, r);
      PQclear(r);
      while (PGresult* more = PQgetResult(c)) PQclear(more);  // the null ending this query's results
    }
    pq_check(c, PQgetResult(c), PGRES_PIPELINE_SYNC, "pipeline sync");
  }
  if (PQexitPipelineMode(c) != 1) throw std::runtime_error(PQerrorMessage(c));
}
constexpr auto ignore_result = [](std::int64_t, PGresult*) {};

Prepared state_run(std::shared_ptr<Conn> conn, std::function<void()> run) {
  return {std::move(run), [conn] { return pq_state_digest(conn->c); }, {}};
}

// W1 -----------------------------------------------------------------------

Prepared w1_pipeline(const Target& t, const Sizes& z) {
  auto conn = std::make_shared<Conn>(t);
  return state_run(conn, [conn, n = z.w1_users] {
    PGconn* c = conn->c;
    pq_exec(c, "BEGIN");
    prepare(c, "w1", "INSERT INTO users (name) VALUES ($1)");
    char buf[48];
    pipeline(
        c, n,
        [&](std::int64_t i) {
          buf[format_name(buf, "user ", i + 1)] = 0;
          const char* v[] = {buf};
          return PQsendQueryPrepared(c, "w1", 1, v, nullptr, nullptr, 0);  // libpq copies the value
        },
        ignore_result);
    pq_exec(c, "COMMIT");
  });
}

Prepared w1_copy(const Target& t, const Sizes& z) {
  auto conn = std::make_shared<Conn>(t);
  return state_run(conn, [conn, n = z.w1_users] {
    PGconn* c = conn->c;
    pq_exec(c, "BEGIN");
    std::string data;
    char buf[48];
    for (std::int64_t i = 1; i <= n; ++i) {
      data.append(buf, static_cast<std::size_t>(format_name(buf, "user ", i)));  // nothing to escape
      data += '\n';
    }
    pq_copy(c, "COPY users (name) FROM STDIN", data);
    pq_exec(c, "COMMIT");
  });
}

// W2 -----------------------------------------------------------------------

/// Appends post j of user uid in COPY text form, or (array) as elements of two arrays.
void post_title_into(std::string& out, std::int64_t uid, int j) {
  char buf[48];
  int tl = format_name(buf, "post ", uid);
  buf[tl++] = '.';
  tl += format_int(buf + tl, j);
  out.append(buf, static_cast<std::size_t>(tl));
}

Prepared w2_pipeline(const Target& t, const Sizes& z) {
  // The parent key is needed before the children: one statement per user
  // inserts the user and its posts (a data-modifying CTE), so the client
  // never waits for a key and the statements can be pipelined.
  auto conn = std::make_shared<Conn>(t);
  return state_run(conn, [conn, n = z.w2_users, ppu = z.w2_posts_per_user] {
    PGconn* c = conn->c;
    pq_exec(c, "BEGIN");
    prepare(c, "w2",
            "WITH u AS (INSERT INTO users (name) VALUES ($1) RETURNING id) "
            "INSERT INTO posts (title, content, user_id) "
            "SELECT x.title, x.content, u.id FROM u, unnest($2::text[], $3::text[]) AS x(title, content)");
    std::string name, titles, contents;
    pipeline(
        c, n,
        [&](std::int64_t k) {
          std::int64_t i = k + 1;
          name.clear();
          name += "user ";
          name += std::to_string(i);
          titles = "{";
          contents = "{";
          for (int j = 0; j < ppu; ++j) {
            if (j) titles += ',', contents += ',';
            titles += '"';
            post_title_into(titles, i, j);
            titles += '"';
            if (post_has_content(j)) {
              contents += "\"content of ";
              post_title_into(contents, i, j);
              contents += '"';
            } else {
              contents += "NULL";
            }
          }
          titles += '}';
          contents += '}';
          const char* v[] = {name.c_str(), titles.c_str(), contents.c_str()};
          return PQsendQueryPrepared(c, "w2", 3, v, nullptr, nullptr, 0);
        },
        ignore_result);
    pq_exec(c, "COMMIT");
  });
}

Prepared w2_copy(const Target& t, const Sizes& z) {
  // Keys drawn from the sequence first (one query), then two COPYs.
  auto conn = std::make_shared<Conn>(t);
  return state_run(conn, [conn, n = z.w2_users, ppu = z.w2_posts_per_user] {
    PGconn* c = conn->c;
    pq_exec(c, "BEGIN");
    char count[24];
    count[format_int(count, n)] = 0;
    Res ids(c, query(c, "SELECT nextval(pg_get_serial_sequence('users', 'id')) FROM generate_series(1, $1::int8)",
                     {count}));
    std::string users, posts;
    char buf[48];
    for (std::int64_t i = 1; i <= n; ++i) {
      std::int64_t id = bin_int(ids.r, static_cast<int>(i - 1), 0);
      users.append(buf, static_cast<std::size_t>(format_int(buf, id)));
      users += '\t';
      users.append(buf, static_cast<std::size_t>(format_name(buf, "user ", i)));
      users += '\n';
      for (int j = 0; j < ppu; ++j) {
        post_title_into(posts, i, j);
        posts += '\t';
        if (post_has_content(j)) {
          posts += "content of ";
          post_title_into(posts, i, j);
        } else {
          posts += "\\N";
        }
        posts += '\t';
        posts.append(buf, static_cast<std::size_t>(format_int(buf, id)));
        posts += '\n';
      }
    }
    pq_copy(c, "COPY users (id, name) FROM STDIN", users);
    pq_copy(c, "COPY posts (title, content, user_id) FROM STDIN", posts);
    pq_exec(c, "COMMIT");
  });
}

// W3, W4 -------------------------------------------------------------------

std::vector<User> load_users(PGconn* c) {
  Res r(c, query(c, "SELECT id, name FROM users"));
  std::vector<User> out;
  for (int i = 0, n = r.rows(); i < n; ++i) out.push_back(User{bin_int(r.r, i, 0), bin_text(r.r, i, 1)});
  return out;
}

Prepared w3(const Target& t, const Sizes& z) {
  auto conn = std::make_shared<Conn>(t, Seed{z.w3_users, 0});
  auto out = std::make_shared<std::vector<User>>();
  return {[conn, out] { *out = load_users(conn->c); }, [out] { return digest(*out); }, {}};
}

Prepared w4(const Target& t, const Sizes& z, W w) {
  auto conn = std::make_shared<Conn>(t, Seed{z.w4_users, z.w4_posts_per_user});
  auto out = std::make_shared<std::vector<UserWithPosts>>();
  auto run = [conn, out, w] {
    PGconn* c = conn->c;
    auto& users = *out;
    if (w == W::w4c_joined) {
      Res r(c, query(c, "SELECT users.id, users.name, posts.id, posts.title, posts.content, posts.user_id "
                        "FROM users LEFT OUTER JOIN posts ON users.id = posts.user_id"));
      std::unordered_map<std::int64_t, std::size_t> at;
      std::int64_t last = -1;
      std::size_t last_at = 0;
      for (int i = 0, n = r.rows(); i < n; ++i) {
        std::int64_t uid = bin_int(r.r, i, 0);
        if (uid != last) {
          auto [it, fresh] = at.try_emplace(uid, users.size());
          if (fresh) users.push_back(UserWithPosts{uid, bin_text(r.r, i, 1), {}});
          last = uid;
          last_at = it->second;
        }
        if (!PQgetisnull(r.r, i, 2)) users[last_at].posts.push_back(bin_post(r.r, i, 2));
      }
      return;
    }
    {
      Res r(c, query(c, "SELECT id, name FROM users"));
      for (int i = 0, n = r.rows(); i < n; ++i) users.push_back(UserWithPosts{bin_int(r.r, i, 0), bin_text(r.r, i, 1), {}});
    }
    if (w == W::w4a_lazy) {
      prepare(c, "w4a", "SELECT id, title, content, user_id FROM posts WHERE $1::int8 = posts.user_id");
      char buf[24];
      const char* v[] = {buf};
      for (auto& u : users) {
        buf[format_int(buf, u.id)] = 0;
        Res r(c, PQexecPrepared(c, "w4a", 1, v, nullptr, nullptr, 1));
        for (int i = 0, n = r.rows(); i < n; ++i) u.posts.push_back(bin_post(r.r, i, 0));
      }
    } else {
      std::string ids = "{";
      std::unordered_map<std::int64_t, std::size_t> at;
      char buf[24];
      for (std::size_t k = 0; k < users.size(); ++k) {
        if (k) ids += ',';
        ids.append(buf, static_cast<std::size_t>(format_int(buf, users[k].id)));
        at.emplace(users[k].id, k);
      }
      ids += '}';
      Res r(c, query(c, "SELECT id, title, content, user_id FROM posts WHERE posts.user_id = ANY($1::int8[])",
                     {ids.c_str()}));
      for (int i = 0, n = r.rows(); i < n; ++i) {
        Post p = bin_post(r.r, i, 0);
        users[at.at(p.user_id)].posts.push_back(std::move(p));
      }
    }
  };
  return {run, [out] { return digest(*out); }, {}};
}

// W5 -----------------------------------------------------------------------

Prepared w5a(const Target& t, const Sizes& z) {
  // The raw form of an identity map hit: a hash map of objects loaded before.
  struct S {
    std::vector<User> users;
    std::unordered_map<std::int64_t, const User*> map;
    std::int64_t found = 0, namelen = 0;
  };
  auto s = std::make_shared<S>();
  {
    Conn conn(t, Seed{z.w5_users, 0});
    s->users = load_users(conn.c);
    for (auto& u : s->users) s->map.emplace(u.id, &u);
  }
  return {[s, n = z.w5_users, l = z.w5_lookups] {
            for (std::int64_t k = 0; k < l; ++k) {
              auto it = s->map.find(lookup_id(k, n));
              if (it == s->map.end()) continue;
              ++s->found;
              s->namelen += static_cast<std::int64_t>(it->second->name.size());
            }
          },
          [s] { return lookup_digest(s->found, s->namelen); }, {}};
}

Prepared w5b(const Target& t, const Sizes& z) {
  auto conn = std::make_shared<Conn>(t, Seed{z.w5_users, 0});
  auto out = std::make_shared<std::vector<User>>();
  out->reserve(static_cast<std::size_t>(z.w5_lookups));
  return {[conn, out, n = z.w5_users, l = z.w5_lookups] {
            PGconn* c = conn->c;
            prepare(c, "w5b", "SELECT id, name FROM users WHERE users.id = $1::int8");
            char buf[24];
            const char* v[] = {buf};
            for (std::int64_t k = 0; k < l; ++k) {
              buf[format_int(buf, lookup_id(k, n))] = 0;
              Res r(c, PQexecPrepared(c, "w5b", 1, v, nullptr, nullptr, 1));
              if (r.rows()) out->push_back(User{bin_int(r.r, 0, 0), bin_text(r.r, 0, 1)});
            }
          },
          [out] {
            std::int64_t len = 0;
            for (auto& u : *out) len += static_cast<std::int64_t>(u.name.size());
            return lookup_digest(static_cast<std::int64_t>(out->size()), len);
          },
          {}};
}

// W6, W7 -------------------------------------------------------------------

Prepared w6(const Target& t, const Sizes& z) {
  // One UPDATE ... FROM unnest(ids, names): all rows in one statement.
  auto conn = std::make_shared<Conn>(t, Seed{z.w6_users, 0});
  auto users = std::make_shared<std::vector<User>>(load_users(conn->c));
  return state_run(conn, [conn, users] {
    PGconn* c = conn->c;
    std::string ids = "{", names = "{";
    char buf[24];
    for (auto& u : *users) {
      u.name = new_name(u.id);
      if (ids.size() > 1) ids += ',', names += ',';
      ids.append(buf, static_cast<std::size_t>(format_int(buf, u.id)));
      array_quote(names, u.name);
    }
    ids += '}';
    names += '}';
    pq_exec(c, "BEGIN");
    Res r(c,
          query(c, "UPDATE users SET name = v.name FROM unnest($1::int8[], $2::text[]) AS v(id, name) WHERE users.id = v.id",
                {ids.c_str(), names.c_str()}),
          PGRES_COMMAND_OK);
    pq_exec(c, "COMMIT");
  });
}

Prepared w7(const Target& t, const Sizes& z) {
  auto conn = std::make_shared<Conn>(t, Seed{z.w7_seed_users, z.w7_posts_per_user});
  auto ids = std::make_shared<std::vector<std::int64_t>>(w7_ids(z.w7_delete_users));
  return state_run(conn, [conn, ids] {
    PGconn* c = conn->c;
    std::string arr = "{";
    char buf[24];
    for (auto id : *ids) {
      if (arr.size() > 1) arr += ',';
      arr.append(buf, static_cast<std::size_t>(format_int(buf, id)));
    }
    arr += '}';
    pq_exec(c, "BEGIN");
    { Res r(c, query(c, "DELETE FROM posts WHERE posts.user_id = ANY($1::int8[])", {arr.c_str()}), PGRES_COMMAND_OK); }
    { Res r(c, query(c, "DELETE FROM users WHERE users.id = ANY($1::int8[])", {arr.c_str()}), PGRES_COMMAND_OK); }
    pq_exec(c, "COMMIT");
  });
}

}  // namespace

std::vector<Contender> raw_pq_contenders() {
  Contender raw{"raw", "raw", {Backend::postgresql}, {}};
  raw.workloads[W::w1_insert] = w1_pipeline;
  raw.workloads[W::w2_insert_children] = w2_pipeline;
  raw.workloads[W::w3_load] = w3;
  for (W w : {W::w4a_lazy, W::w4b_selectin, W::w4c_joined})
    raw.workloads[w] = [w](const Target& t, const Sizes& z) { return w4(t, z, w); };
  raw.workloads[W::w5a_identity] = w5a;
  raw.workloads[W::w5b_pk_query] = w5b;
  raw.workloads[W::w6_update] = w6;
  raw.workloads[W::w7_delete_cascade] = w7;

  Contender bulk{"raw-bulk", "raw", {Backend::postgresql}, {}};
  bulk.workloads[W::w1_insert] = w1_copy;
  bulk.workloads[W::w2_insert_children] = w2_copy;
  return {raw, bulk};
}

}  // namespace bench
