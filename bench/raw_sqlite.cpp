// bench/raw_sqlite.cpp — the workloads written straight on libsqlite3, the
// fast way: prepared statements (prepared once per run), bind/step/reset,
// columns by index, text bound SQLITE_STATIC from stack buffers.
//
// Two contenders: "raw" (one row per statement execution) and "raw-bulk"
// (multi-row VALUES for the inserts of W1 and W2; only those workloads).
#include <cstring>
#include <memory>
#include <unordered_map>

#include "fixtures.hpp"

namespace bench {
namespace {

std::vector<Backend> sqlite_backends() { return {Backend::sqlite_file, Backend::sqlite_memory}; }

/// One run's connection; closed when the Prepared goes.
struct Db {
  sqlite3* db = nullptr;
  explicit Db(const Target& t, const Seed& seed = {}) : db(sqlite_open_fresh(t)) {
    if (seed.users) sqlite_seed(db, seed);
  }
  ~Db() { sqlite_close(db); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
};

/// RAII for a statement prepared inside the timed part.
struct Stmt {
  sqlite3_stmt* s;
  Stmt(sqlite3* db, const std::string& sql) : s(sqlite_prepare(db, sql)) {}
  ~Stmt() { sqlite3_finalize(s); }
  operator sqlite3_stmt*() const { return s; }
};

inline void step_done(sqlite3* db, sqlite3_stmt* s) {
  if (sqlite3_step(s) != SQLITE_DONE) sqlite_fail(db, sqlite3_sql(s));
  sqlite3_reset(s);
}

inline std::string col_text(sqlite3_stmt* s, int i) {
  return std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, i)),
                     static_cast<std::size_t>(sqlite3_column_bytes(s, i)));
}

inline Post read_post(sqlite3_stmt* s, int first) {
  Post p;
  p.id = sqlite3_column_int64(s, first);
  p.title = col_text(s, first + 1);
  if (sqlite3_column_type(s, first + 2) != SQLITE_NULL) p.content = col_text(s, first + 2);
  p.user_id = sqlite3_column_int64(s, first + 3);
  return p;
}

std::string values_rows(const char* head, int rows, const char* tuple) {
  std::string sql = head;
  for (int i = 0; i < rows; ++i) {
    if (i) sql += ", ";
    sql += tuple;
  }
  return sql;
}

std::string in_list(const char* head, std::size_t n) {
  std::string sql = head;
  sql += " IN (";
  for (std::size_t i = 0; i < n; ++i) sql += i ? ",?" : "?";
  return sql + ")";
}

Prepared state_run(std::shared_ptr<Db> db, std::function<void()> run) {
  return {std::move(run), [db] { return sqlite_state_digest(db->db); }, {}};
}

// W1 -----------------------------------------------------------------------

Prepared w1_rows(const Target& t, const Sizes& z) {
  auto db = std::make_shared<Db>(t);
  return state_run(db, [db, n = z.w1_users] {
    sqlite3* c = db->db;
    sqlite_exec(c, "BEGIN");
    Stmt ins(c, "INSERT INTO users (name) VALUES (?)");
    char buf[48];
    for (std::int64_t i = 1; i <= n; ++i) {
      sqlite3_bind_text(ins, 1, buf, format_name(buf, "user ", i), SQLITE_STATIC);
      step_done(c, ins);
    }
    sqlite_exec(c, "COMMIT");
  });
}

constexpr int kBulkRows = 100;  // rows per multi-row INSERT

Prepared w1_bulk(const Target& t, const Sizes& z) {
  auto db = std::make_shared<Db>(t);
  return state_run(db, [db, n = z.w1_users] {
    sqlite3* c = db->db;
    sqlite_exec(c, "BEGIN");
    Stmt full(c, values_rows("INSERT INTO users (name) VALUES ", kBulkRows, "(?)"));
    char bufs[kBulkRows][48];
    std::int64_t i = 1;
    for (; i + kBulkRows - 1 <= n; i += kBulkRows) {
      for (int k = 0; k < kBulkRows; ++k)
        sqlite3_bind_text(full, k + 1, bufs[k], format_name(bufs[k], "user ", i + k), SQLITE_STATIC);
      step_done(c, full);
    }
    if (i <= n) {
      int rest = static_cast<int>(n - i + 1);
      Stmt tail(c, values_rows("INSERT INTO users (name) VALUES ", rest, "(?)"));
      for (int k = 0; k < rest; ++k)
        sqlite3_bind_text(tail, k + 1, bufs[k], format_name(bufs[k], "user ", i + k), SQLITE_STATIC);
      step_done(c, tail);
    }
    sqlite_exec(c, "COMMIT");
  });
}

// W2 -----------------------------------------------------------------------

/// Binds post j of user `uid` at parameters first..first+2 (title and
/// content written into the caller's buffers, which outlive the step).
inline void bind_post(sqlite3_stmt* s, int first, char* title, char* content, std::int64_t uid, int j) {
  int tl = format_name(title, "post ", uid);
  title[tl++] = '.';
  tl += format_int(title + tl, j);
  sqlite3_bind_text(s, first, title, tl, SQLITE_STATIC);
  if (post_has_content(j)) {
    std::memcpy(content, "content of ", 11);
    std::memcpy(content + 11, title, static_cast<std::size_t>(tl));
    sqlite3_bind_text(s, first + 1, content, 11 + tl, SQLITE_STATIC);
  } else {
    sqlite3_bind_null(s, first + 1);
  }
  sqlite3_bind_int64(s, first + 2, uid);
}

Prepared w2(const Target& t, const Sizes& z, bool bulk) {
  auto db = std::make_shared<Db>(t);
  return state_run(db, [db, n = z.w2_users, ppu = z.w2_posts_per_user, bulk] {
    sqlite3* c = db->db;
    sqlite_exec(c, "BEGIN");
    Stmt user(c, "INSERT INTO users (name) VALUES (?)");
    Stmt post(c, bulk ? values_rows("INSERT INTO posts (title, content, user_id) VALUES ", ppu, "(?, ?, ?)")
                      : std::string("INSERT INTO posts (title, content, user_id) VALUES (?, ?, ?)"));
    char name[48];
    std::vector<char> titles(static_cast<std::size_t>(ppu) * 48), contents(static_cast<std::size_t>(ppu) * 64);
    for (std::int64_t i = 1; i <= n; ++i) {
      sqlite3_bind_text(user, 1, name, format_name(name, "user ", i), SQLITE_STATIC);
      step_done(c, user);
      std::int64_t uid = sqlite3_last_insert_rowid(c);
      for (int j = 0; j < ppu; ++j) {
        bind_post(post, bulk ? 3 * j + 1 : 1, &titles[static_cast<std::size_t>(j) * 48],
                  &contents[static_cast<std::size_t>(j) * 64], uid, j);
        if (!bulk) step_done(c, post);
      }
      if (bulk) step_done(c, post);
    }
    sqlite_exec(c, "COMMIT");
  });
}

// W3, W4 -------------------------------------------------------------------

std::vector<User> load_users(sqlite3* c) {
  std::vector<User> out;
  Stmt s(c, "SELECT id, name FROM users");
  while (sqlite3_step(s) == SQLITE_ROW) out.push_back(User{sqlite3_column_int64(s, 0), col_text(s, 1)});
  return out;
}

Prepared w3(const Target& t, const Sizes& z) {
  auto db = std::make_shared<Db>(t, Seed{z.w3_users, 0});
  auto out = std::make_shared<std::vector<User>>();
  return {[db, out] { *out = load_users(db->db); }, [out] { return digest(*out); }, {}};
}

constexpr const char* kPostCols = "SELECT id, title, content, user_id FROM posts";

Prepared w4(const Target& t, const Sizes& z, W w) {
  auto db = std::make_shared<Db>(t, Seed{z.w4_users, z.w4_posts_per_user});
  auto out = std::make_shared<std::vector<UserWithPosts>>();
  auto run = [db, out, w] {
    sqlite3* c = db->db;
    auto& users = *out;
    if (w == W::w4c_joined) {
      Stmt s(c, "SELECT users.id, users.name, posts.id, posts.title, posts.content, posts.user_id "
                "FROM users LEFT OUTER JOIN posts ON users.id = posts.user_id");
      std::unordered_map<std::int64_t, std::size_t> at;
      std::int64_t last = -1;
      std::size_t last_at = 0;
      while (sqlite3_step(s) == SQLITE_ROW) {
        std::int64_t uid = sqlite3_column_int64(s, 0);
        if (uid != last) {
          auto [it, fresh] = at.try_emplace(uid, users.size());
          if (fresh) users.push_back(UserWithPosts{uid, col_text(s, 1), {}});
          last = uid;
          last_at = it->second;
        }
        if (sqlite3_column_type(s, 2) != SQLITE_NULL) users[last_at].posts.push_back(read_post(s, 2));
      }
      return;
    }
    {
      Stmt s(c, "SELECT id, name FROM users");
      while (sqlite3_step(s) == SQLITE_ROW) users.push_back(UserWithPosts{sqlite3_column_int64(s, 0), col_text(s, 1), {}});
    }
    if (w == W::w4a_lazy) {
      Stmt s(c, std::string(kPostCols) + " WHERE ? = posts.user_id");
      for (auto& u : users) {
        sqlite3_bind_int64(s, 1, u.id);
        while (sqlite3_step(s) == SQLITE_ROW) u.posts.push_back(read_post(s, 0));
        sqlite3_reset(s);
      }
    } else {
      Stmt s(c, in_list((std::string(kPostCols) + " WHERE posts.user_id").c_str(), users.size()));
      std::unordered_map<std::int64_t, std::size_t> at;
      for (std::size_t k = 0; k < users.size(); ++k) {
        sqlite3_bind_int64(s, static_cast<int>(k + 1), users[k].id);
        at.emplace(users[k].id, k);
      }
      while (sqlite3_step(s) == SQLITE_ROW) {
        Post p = read_post(s, 0);
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
    Db db(t, Seed{z.w5_users, 0});
    s->users = load_users(db.db);
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
  auto db = std::make_shared<Db>(t, Seed{z.w5_users, 0});
  auto out = std::make_shared<std::vector<User>>();
  out->reserve(static_cast<std::size_t>(z.w5_lookups));
  return {[db, out, n = z.w5_users, l = z.w5_lookups] {
            Stmt s(db->db, "SELECT id, name FROM users WHERE id = ?");
            for (std::int64_t k = 0; k < l; ++k) {
              sqlite3_bind_int64(s, 1, lookup_id(k, n));
              if (sqlite3_step(s) == SQLITE_ROW) out->push_back(User{sqlite3_column_int64(s, 0), col_text(s, 1)});
              sqlite3_reset(s);
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
  auto db = std::make_shared<Db>(t, Seed{z.w6_users, 0});
  auto users = std::make_shared<std::vector<User>>(load_users(db->db));
  return state_run(db, [db, users] {
    sqlite3* c = db->db;
    sqlite_exec(c, "BEGIN");
    Stmt s(c, "UPDATE users SET name = ? WHERE users.id = ?");
    for (auto& u : *users) {
      u.name = new_name(u.id);
      sqlite3_bind_text(s, 1, u.name.data(), static_cast<int>(u.name.size()), SQLITE_STATIC);
      sqlite3_bind_int64(s, 2, u.id);
      step_done(c, s);
    }
    sqlite_exec(c, "COMMIT");
  });
}

constexpr std::size_t kInChunk = 500;

void delete_in(sqlite3* c, const char* head, const std::vector<std::int64_t>& ids) {
  for (std::size_t at = 0; at < ids.size(); at += kInChunk) {
    std::size_t n = std::min(kInChunk, ids.size() - at);
    Stmt s(c, in_list(head, n));
    for (std::size_t k = 0; k < n; ++k) sqlite3_bind_int64(s, static_cast<int>(k + 1), ids[at + k]);
    step_done(c, s);
  }
}

Prepared w7(const Target& t, const Sizes& z) {
  auto db = std::make_shared<Db>(t, Seed{z.w7_seed_users, z.w7_posts_per_user});
  auto ids = std::make_shared<std::vector<std::int64_t>>(w7_ids(z.w7_delete_users));
  return state_run(db, [db, ids] {
    sqlite3* c = db->db;
    sqlite_exec(c, "BEGIN");
    delete_in(c, "DELETE FROM posts WHERE posts.user_id", *ids);
    delete_in(c, "DELETE FROM users WHERE users.id", *ids);
    sqlite_exec(c, "COMMIT");
  });
}

}  // namespace

std::vector<Contender> raw_sqlite_contenders() {
  Contender raw{"raw", "raw", sqlite_backends(), {}};
  raw.workloads[W::w1_insert] = w1_rows;
  raw.workloads[W::w2_insert_children] = [](const Target& t, const Sizes& z) { return w2(t, z, false); };
  raw.workloads[W::w3_load] = w3;
  for (W w : {W::w4a_lazy, W::w4b_selectin, W::w4c_joined})
    raw.workloads[w] = [w](const Target& t, const Sizes& z) { return w4(t, z, w); };
  raw.workloads[W::w5a_identity] = w5a;
  raw.workloads[W::w5b_pk_query] = w5b;
  raw.workloads[W::w6_update] = w6;
  raw.workloads[W::w7_delete_cascade] = w7;

  Contender bulk{"raw-bulk", "raw", sqlite_backends(), {}};
  bulk.workloads[W::w1_insert] = w1_bulk;
  bulk.workloads[W::w2_insert_children] = [](const Target& t, const Sizes& z) { return w2(t, z, true); };
  return {raw, bulk};
}

}  // namespace bench
