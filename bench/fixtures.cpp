// bench/fixtures.cpp — fresh databases, schema, seed data, digests.
#include "fixtures.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <numeric>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace bench {

// --- names ---

const char* backend_name(Backend b) {
  switch (b) {
    case Backend::sqlite_file: return "sqlite-file";
    case Backend::sqlite_memory: return "sqlite-memory";
    case Backend::postgresql: return "postgresql";
  }
  return "?";
}

const char* workload_name(W w) {
  switch (w) {
    case W::w1_insert: return "W1-insert";
    case W::w2_insert_children: return "W2-insert-children";
    case W::w3_load: return "W3-load";
    case W::w4a_lazy: return "W4a-lazy";
    case W::w4b_selectin: return "W4b-selectin";
    case W::w4c_joined: return "W4c-joined";
    case W::w5a_identity: return "W5a-get-identity-map";
    case W::w5b_pk_query: return "W5b-get-query";
    case W::w6_update: return "W6-update";
    case W::w7_delete_cascade: return "W7-delete-cascade";
  }
  return "?";
}

std::string Target::retort_url() const {
  switch (backend) {
    case Backend::sqlite_file: return "sqlite:///" + sqlite_path;  // absolute path: four slashes
    case Backend::sqlite_memory: return "sqlite:///:memory:";
    case Backend::postgresql: return pg_url;
  }
  return {};
}

Sizes Sizes::scaled(double s) {
  auto sc = [s](std::int64_t n) { return std::max<std::int64_t>(1, std::llround(static_cast<double>(n) * s)); };
  Sizes z;
  z.w1_users = sc(z.w1_users);
  z.w2_users = sc(z.w2_users);
  z.w3_users = sc(z.w3_users);
  z.w4_users = sc(z.w4_users);
  z.w5_users = sc(z.w5_users);
  z.w5_lookups = sc(z.w5_lookups);
  z.w6_users = sc(z.w6_users);
  z.w7_delete_users = sc(z.w7_delete_users);
  z.w7_seed_users = 2 * z.w7_delete_users;
  return z;
}

std::string digest(const std::vector<User>& users) {
  std::int64_t idsum = 0, namelen = 0;
  for (auto& u : users) {
    idsum += u.id;
    namelen += static_cast<std::int64_t>(u.name.size());
  }
  return "users=" + std::to_string(users.size()) + " idsum=" + std::to_string(idsum) +
         " namelen=" + std::to_string(namelen);
}

std::string digest(const std::vector<UserWithPosts>& users) {
  std::int64_t idsum = 0, namelen = 0, posts = 0, postidsum = 0, textlen = 0, nulls = 0, wrong = 0;
  for (auto& u : users) {
    idsum += u.id;
    namelen += static_cast<std::int64_t>(u.name.size());
    for (auto& p : u.posts) {
      ++posts;
      postidsum += p.id;
      textlen += static_cast<std::int64_t>(p.title.size() + (p.content ? p.content->size() : 0));
      nulls += !p.content;
      wrong += p.user_id != u.id;
    }
  }
  return "users=" + std::to_string(users.size()) + " idsum=" + std::to_string(idsum) +
         " namelen=" + std::to_string(namelen) + " posts=" + std::to_string(posts) +
         " postidsum=" + std::to_string(postidsum) + " textlen=" + std::to_string(textlen) +
         " nullcontent=" + std::to_string(nulls) + (wrong ? " MISPLACED=" + std::to_string(wrong) : "");
}

std::string state_digest(std::int64_t users, std::int64_t posts, std::int64_t namelen) {
  return "users=" + std::to_string(users) + " posts=" + std::to_string(posts) + " namelen=" + std::to_string(namelen);
}

// --- data ---

std::string user_name(std::int64_t i) { return "user " + std::to_string(i); }
std::string new_name(std::int64_t id) { return "renamed " + std::to_string(id); }
std::string post_title(std::int64_t user, int j) { return "post " + std::to_string(user) + "." + std::to_string(j); }
bool post_has_content(int j) { return j % 5 != 4; }
std::string post_content(std::int64_t user, int j) {
  return "content of post " + std::to_string(user) + "." + std::to_string(j);
}

std::int64_t lookup_id(std::int64_t k, std::int64_t n) {
  std::int64_t stride = 7919;
  while (std::gcd(stride, n) != 1) stride += 2;
  return (k * stride) % n + 1;
}

std::vector<std::int64_t> w7_ids(std::int64_t count) {
  std::vector<std::int64_t> v;
  for (std::int64_t i = 0; i < count; ++i) v.push_back(2 * i + 1);
  return v;
}

std::string lookup_digest(std::int64_t found, std::int64_t namelen) {
  return "found=" + std::to_string(found) + " namelen=" + std::to_string(namelen);
}

int format_int(char* buf, std::int64_t v) { return static_cast<int>(std::to_chars(buf, buf + 24, v).ptr - buf); }

int format_name(char* buf, const char* prefix, std::int64_t v) {
  std::size_t n = std::strlen(prefix);
  std::memcpy(buf, prefix, n);
  return static_cast<int>(n) + format_int(buf + n, v);
}

std::vector<std::string> schema_ddl(const retort::Dialect& d) {
  using namespace retort;
  MetaData md;
  auto& users = md.add_table("users");
  users.add(Column("id", types::Integer).primary_key());
  users.add(Column("name", types::String()).not_null());
  auto& posts = md.add_table("posts");
  posts.add(Column("id", types::Integer).primary_key());
  posts.add(Column("title", types::String()).not_null());
  posts.add(Column("content", types::String()).nullable());
  posts.add(Column("user_id", types::Integer).references("users", "id").index());
  std::vector<std::string> out;
  for (const Table* t : md.sorted_tables())
    for (auto& s : create_table_ddl(*t, d)) out.push_back(s);
  return out;
}

// --- libsqlite3 ---

void sqlite_fail(sqlite3* db, const char* what) {
  throw std::runtime_error(std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "no connection"));
}

void sqlite_exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string m = std::string(sql) + ": " + (err ? err : "?");
    sqlite3_free(err);
    throw std::runtime_error(m);
  }
}

sqlite3_stmt* sqlite_prepare(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v3(db, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &s, nullptr) !=
      SQLITE_OK)
    sqlite_fail(db, sql.c_str());
  return s;
}

sqlite3* sqlite_open_fresh(const Target& t) {
  if (t.backend == Backend::sqlite_file) {
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) std::remove((t.sqlite_path + suffix).c_str());
  }
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(t.sqlite_path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK)
    sqlite_fail(db, "sqlite3_open_v2");
  sqlite_exec(db, "PRAGMA foreign_keys = ON");
  for (auto& s : schema_ddl(retort::sqlite_dialect())) sqlite_exec(db, s.c_str());
  return db;
}

void sqlite_close(sqlite3* db) { sqlite3_close_v2(db); }

void sqlite_seed(sqlite3* db, const Seed& seed) {
  sqlite_exec(db, "BEGIN");
  sqlite3_stmt* u = sqlite_prepare(db, "INSERT INTO users (name) VALUES (?)");
  sqlite3_stmt* p = sqlite_prepare(db, "INSERT INTO posts (title, content, user_id) VALUES (?, ?, ?)");
  for (std::int64_t i = 1; i <= seed.users; ++i) {
    std::string n = user_name(i);
    sqlite3_bind_text(u, 1, n.data(), static_cast<int>(n.size()), SQLITE_STATIC);
    if (sqlite3_step(u) != SQLITE_DONE) sqlite_fail(db, "seed users");
    sqlite3_reset(u);
    for (int j = 0; j < seed.posts_per_user; ++j) {
      std::string title = post_title(i, j), content = post_content(i, j);
      sqlite3_bind_text(p, 1, title.data(), static_cast<int>(title.size()), SQLITE_STATIC);
      if (post_has_content(j))
        sqlite3_bind_text(p, 2, content.data(), static_cast<int>(content.size()), SQLITE_STATIC);
      else
        sqlite3_bind_null(p, 2);
      sqlite3_bind_int64(p, 3, i);
      if (sqlite3_step(p) != SQLITE_DONE) sqlite_fail(db, "seed posts");
      sqlite3_reset(p);
    }
  }
  sqlite3_finalize(u);
  sqlite3_finalize(p);
  sqlite_exec(db, "COMMIT");
}

std::string sqlite_state_digest(sqlite3* db) {
  sqlite3_stmt* s = sqlite_prepare(db, state_digest_sql);
  if (sqlite3_step(s) != SQLITE_ROW) sqlite_fail(db, "digest");
  std::string d = state_digest(sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1), sqlite3_column_int64(s, 2));
  sqlite3_finalize(s);
  return d;
}

// --- libpq ---

PGconn* pq_connect(const std::string& url) {
  PGconn* c = PQconnectdb(url.c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    std::string m = PQerrorMessage(c);
    PQfinish(c);
    throw std::runtime_error("PQconnectdb: " + m);
  }
  return c;
}

void pq_check(PGconn* c, PGresult* r, ExecStatusType want, const char* what) {
  if (PQresultStatus(r) != want) {
    std::string m = std::string(what) + ": " + (r ? PQresultErrorMessage(r) : PQerrorMessage(c));
    PQclear(r);
    throw std::runtime_error(m);
  }
  PQclear(r);
}

void pq_exec(PGconn* c, const char* sql) {
  PGresult* r = PQexec(c, sql);
  ExecStatusType st = PQresultStatus(r);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) pq_check(c, r, PGRES_COMMAND_OK, sql);
  PQclear(r);
}

PGconn* pq_open_fresh(const Target& t) {
  PGconn* c = pq_connect(t.pg_url);
  pq_exec(c, "SET client_min_messages = warning");
  pq_exec(c, "DROP TABLE IF EXISTS posts, users");
  for (auto& s : schema_ddl(retort::postgresql_dialect())) pq_exec(c, s.c_str());
  return c;
}

void copy_escape(std::string& out, std::string_view s) {
  for (char ch : s) {
    switch (ch) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += ch;
    }
  }
}

void array_quote(std::string& out, std::string_view s) {
  out += '"';
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  out += '"';
}

void pq_copy(PGconn* c, const std::string& copy_sql, const std::string& data) {
  PGresult* r = PQexec(c, copy_sql.c_str());
  pq_check(c, r, PGRES_COPY_IN, copy_sql.c_str());
  if (PQputCopyData(c, data.data(), static_cast<int>(data.size())) != 1 || PQputCopyEnd(c, nullptr) != 1)
    throw std::runtime_error(std::string("COPY: ") + PQerrorMessage(c));
  pq_check(c, PQgetResult(c), PGRES_COMMAND_OK, copy_sql.c_str());
  PQclear(PQgetResult(c));  // the terminating null result
}

void pq_seed(PGconn* c, const Seed& seed) {
  pq_exec(c, "BEGIN");
  std::string users, posts;
  for (std::int64_t i = 1; i <= seed.users; ++i) {
    users += std::to_string(i);
    users += '\t';
    copy_escape(users, user_name(i));
    users += '\n';
    for (int j = 0; j < seed.posts_per_user; ++j) {
      copy_escape(posts, post_title(i, j));
      posts += '\t';
      if (post_has_content(j))
        copy_escape(posts, post_content(i, j));
      else
        posts += "\\N";
      posts += '\t';
      posts += std::to_string(i);
      posts += '\n';
    }
  }
  pq_copy(c, "COPY users (id, name) FROM STDIN", users);
  if (!posts.empty()) pq_copy(c, "COPY posts (title, content, user_id) FROM STDIN", posts);
  // COPY with explicit ids does not advance the sequence.
  pq_exec(c, "SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM users), false)");
  pq_exec(c, "COMMIT");
  pq_exec(c, "ANALYZE users");
  pq_exec(c, "ANALYZE posts");
}

std::string pq_state_digest(PGconn* c) {
  PGresult* r = PQexec(c, state_digest_sql);
  if (PQresultStatus(r) != PGRES_TUPLES_OK) pq_check(c, r, PGRES_TUPLES_OK, "digest");
  std::string d = state_digest(std::stoll(PQgetvalue(r, 0, 0)), std::stoll(PQgetvalue(r, 0, 1)),
                               std::stoll(PQgetvalue(r, 0, 2)));
  PQclear(r);
  return d;
}

// --- retort ---

namespace {

// The raw contenders connect and seed before their timer starts, so their
// connection is open and has touched both tables. A retort engine gets the
// same: one pooled connection, opened and used untimed (otherwise the first
// workload statement pays the connection setup and the server's cold caches,
// 2-3 ms on PostgreSQL). The statement counts are differences: unaffected.
retort::Engine warmed(retort::Engine e) {
  {
    auto conn = e.connect();
    conn.execute("SELECT count(*) FROM users").scalar_one<std::int64_t>();
    conn.execute("SELECT count(*) FROM posts").scalar_one<std::int64_t>();
  }
  return e;
}

}  // namespace

retort::Engine retort_open_fresh(const Target& t, const Seed& seed) {
  using namespace retort;
  switch (t.backend) {
    case Backend::sqlite_file: {
      sqlite3* db = sqlite_open_fresh(t);
      sqlite_seed(db, seed);
      sqlite_close(db);
      return warmed(create_engine(t.retort_url()));
    }
    case Backend::postgresql: {
      PGconn* c = pq_open_fresh(t);
      pq_seed(c, seed);
      PQfinish(c);
      return warmed(create_engine(t.retort_url()));
    }
    case Backend::sqlite_memory: break;
  }
  Engine e = create_engine(t.retort_url());
  Connection conn = e.connect();
  for (auto& s : schema_ddl(conn.dialect())) conn.execute_script(s);
  auto tx = conn.begin();
  std::vector<std::vector<Value>> users, posts;
  for (std::int64_t i = 1; i <= seed.users; ++i) {
    users.push_back({user_name(i)});
    for (int j = 0; j < seed.posts_per_user; ++j)
      posts.push_back({post_title(i, j), post_has_content(j) ? Value(post_content(i, j)) : Value(Null{}), i});
  }
  conn.execute_many("INSERT INTO users (name) VALUES (?)", users);
  conn.execute_many("INSERT INTO posts (title, content, user_id) VALUES (?, ?, ?)", posts);
  tx.commit();
  return e;
}

std::string retort_state_digest(const retort::Engine& e) {
  auto conn = e.connect();
  auto r = conn.execute(state_digest_sql);
  r.next();
  return state_digest(r.get<std::int64_t>(0), r.get<std::int64_t>(1), r.get<std::int64_t>(2));
}

}  // namespace bench
