// bench/core_workloads.cpp — the workloads through retort's Core, written as
// a Core user would: Connection::execute / execute_many with bound Values,
// Result::next() and get<T>(i), one transaction per write workload. SQL text
// is written with '?' and rendered with the dialect's placeholders.
//
// W5a has no Core form (the Core has no identity map): n/a.
#include <memory>
#include <unordered_map>

#include "fixtures.hpp"

namespace bench {
namespace {

using retort::Connection;
using retort::Engine;
using retort::Value;

/// `sql` with each '?' replaced by the dialect's placeholder ($1, $2, ... on PostgreSQL).
std::string render(const retort::Dialect& d, std::string_view sql) {
  std::string out;
  std::size_t n = 0;
  for (char ch : sql) {
    if (ch == '?')
      d.append_placeholder(out, ++n);
    else
      out += ch;
  }
  return out;
}

std::string in_list(std::string_view head, std::size_t n) {
  std::string sql(head);
  sql += " IN (";
  for (std::size_t i = 0; i < n; ++i) sql += i ? ", ?" : "?";
  return sql + ")";
}

/// One run's engine (fresh, seeded database) and the statement counter.
struct Run {
  Engine engine;
  explicit Run(const Target& t, const Seed& seed = {}) : engine(retort_open_fresh(t, seed)) {}
};

Prepared state_run(std::shared_ptr<Run> r, std::function<void()> run) {
  return {std::move(run), [r] { return retort_state_digest(r->engine); },
          [r] { return r->engine.statement_count(); }};
}
std::function<std::uint64_t()> counter(const std::shared_ptr<Run>& r) {
  return [r] { return r->engine.statement_count(); };
}

Post read_post(const retort::Result& res, int first) {
  return Post{res.get<std::int64_t>(first), res.get<std::string>(first + 1),
              res.get<std::optional<std::string>>(first + 2), res.get<std::int64_t>(first + 3)};
}

std::vector<User> load_users(Connection& conn) {
  std::vector<User> out;
  auto res = conn.execute("SELECT id, name FROM users");
  while (res.next()) out.push_back(User{res.get<std::int64_t>(0), res.get<std::string>(1)});
  return out;
}

// W1, W2 -------------------------------------------------------------------

Prepared w1(const Target& t, const Sizes& z) {
  auto r = std::make_shared<Run>(t);
  return state_run(r, [r, n = z.w1_users] {
    auto conn = r->engine.connect();
    auto tx = conn.begin();
    std::vector<std::vector<Value>> rows;
    rows.reserve(static_cast<std::size_t>(n));
    for (std::int64_t i = 1; i <= n; ++i) rows.push_back({user_name(i)});
    conn.execute_many(render(conn.dialect(), "INSERT INTO users (name) VALUES (?)"), rows);
    tx.commit();
  });
}

Prepared w2(const Target& t, const Sizes& z) {
  // Each user's key comes back from INSERT ... RETURNING; the posts, with
  // their keys filled in, go in one execute_many at the end.
  auto r = std::make_shared<Run>(t);
  return state_run(r, [r, n = z.w2_users, ppu = z.w2_posts_per_user] {
    auto conn = r->engine.connect();
    auto tx = conn.begin();
    const std::string user_sql = render(conn.dialect(), "INSERT INTO users (name) VALUES (?) RETURNING id");
    std::vector<std::vector<Value>> posts;
    posts.reserve(static_cast<std::size_t>(n * ppu));
    for (std::int64_t i = 1; i <= n; ++i) {
      std::int64_t id = conn.execute(user_sql, {Value(user_name(i))}).scalar_one<std::int64_t>();
      for (int j = 0; j < ppu; ++j)
        posts.push_back({post_title(i, j), post_has_content(j) ? Value(post_content(i, j)) : Value(), id});
    }
    conn.execute_many(render(conn.dialect(), "INSERT INTO posts (title, content, user_id) VALUES (?, ?, ?)"), posts);
    tx.commit();
  });
}

// W3, W4 -------------------------------------------------------------------

Prepared w3(const Target& t, const Sizes& z) {
  auto r = std::make_shared<Run>(t, Seed{z.w3_users, 0});
  auto out = std::make_shared<std::vector<User>>();
  return {[r, out] {
            auto conn = r->engine.connect();
            *out = load_users(conn);
          },
          [out] { return digest(*out); }, counter(r)};
}

constexpr std::string_view kPostCols = "SELECT id, title, content, user_id FROM posts";

Prepared w4(const Target& t, const Sizes& z, W w) {
  auto r = std::make_shared<Run>(t, Seed{z.w4_users, z.w4_posts_per_user});
  auto out = std::make_shared<std::vector<UserWithPosts>>();
  auto run = [r, out, w] {
    auto conn = r->engine.connect();
    auto& users = *out;
    if (w == W::w4c_joined) {
      auto res = conn.execute(
          "SELECT users.id, users.name, posts.id, posts.title, posts.content, posts.user_id "
          "FROM users LEFT OUTER JOIN posts ON users.id = posts.user_id");
      std::unordered_map<std::int64_t, std::size_t> at;
      std::int64_t last = -1;
      std::size_t last_at = 0;
      while (res.next()) {
        auto uid = res.get<std::int64_t>(0);
        if (uid != last) {
          auto [it, fresh] = at.try_emplace(uid, users.size());
          if (fresh) users.push_back(UserWithPosts{uid, res.get<std::string>(1), {}});
          last = uid;
          last_at = it->second;
        }
        if (res.get<std::optional<std::int64_t>>(2)) users[last_at].posts.push_back(read_post(res, 2));
      }
      return;
    }
    {
      auto res = conn.execute("SELECT id, name FROM users");
      while (res.next()) users.push_back(UserWithPosts{res.get<std::int64_t>(0), res.get<std::string>(1), {}});
    }
    if (w == W::w4a_lazy) {
      const std::string sql = render(conn.dialect(), std::string(kPostCols) + " WHERE ? = posts.user_id");
      for (auto& u : users) {
        auto res = conn.execute(sql, {Value(u.id)});
        while (res.next()) u.posts.push_back(read_post(res, 0));
      }
    } else {
      std::vector<Value> ids;
      std::unordered_map<std::int64_t, std::size_t> at;
      for (std::size_t k = 0; k < users.size(); ++k) {
        ids.emplace_back(users[k].id);
        at.emplace(users[k].id, k);
      }
      auto res = conn.execute(render(conn.dialect(), in_list(std::string(kPostCols) + " WHERE posts.user_id", ids.size())),
                              ids);
      while (res.next()) {
        Post p = read_post(res, 0);
        users[at.at(p.user_id)].posts.push_back(std::move(p));
      }
    }
  };
  return {run, [out] { return digest(*out); }, counter(r)};
}

// W5b ----------------------------------------------------------------------

Prepared w5b(const Target& t, const Sizes& z) {
  auto r = std::make_shared<Run>(t, Seed{z.w5_users, 0});
  auto out = std::make_shared<std::vector<User>>();
  out->reserve(static_cast<std::size_t>(z.w5_lookups));
  return {[r, out, n = z.w5_users, l = z.w5_lookups] {
            auto conn = r->engine.connect();
            const std::string sql = render(conn.dialect(), "SELECT id, name FROM users WHERE users.id = ?");
            for (std::int64_t k = 0; k < l; ++k) {
              auto res = conn.execute(sql, {Value(lookup_id(k, n))});
              if (res.next()) out->push_back(User{res.get<std::int64_t>(0), res.get<std::string>(1)});
            }
          },
          [out] {
            std::int64_t len = 0;
            for (auto& u : *out) len += static_cast<std::int64_t>(u.name.size());
            return lookup_digest(static_cast<std::int64_t>(out->size()), len);
          },
          counter(r)};
}

// W6, W7 -------------------------------------------------------------------

Prepared w6(const Target& t, const Sizes& z) {
  auto r = std::make_shared<Run>(t, Seed{z.w6_users, 0});
  auto users = std::make_shared<std::vector<User>>();
  {
    auto conn = r->engine.connect();
    *users = load_users(conn);
  }
  return state_run(r, [r, users] {
    auto conn = r->engine.connect();
    auto tx = conn.begin();
    std::vector<std::vector<Value>> rows;
    rows.reserve(users->size());
    for (auto& u : *users) {
      u.name = new_name(u.id);
      rows.push_back({u.name, u.id});
    }
    conn.execute_many(render(conn.dialect(), "UPDATE users SET name = ? WHERE users.id = ?"), rows);
    tx.commit();
  });
}

constexpr std::size_t kInChunk = 500;  // as SQLAlchemy's selectin/IN chunking

void delete_in(Connection& conn, std::string_view head, const std::vector<std::int64_t>& ids) {
  for (std::size_t at = 0; at < ids.size(); at += kInChunk) {
    std::size_t n = std::min(kInChunk, ids.size() - at);
    std::vector<Value> params(ids.begin() + static_cast<std::ptrdiff_t>(at),
                              ids.begin() + static_cast<std::ptrdiff_t>(at + n));
    conn.execute(render(conn.dialect(), in_list(head, n)), params);
  }
}

Prepared w7(const Target& t, const Sizes& z) {
  auto r = std::make_shared<Run>(t, Seed{z.w7_seed_users, z.w7_posts_per_user});
  auto ids = std::make_shared<std::vector<std::int64_t>>(w7_ids(z.w7_delete_users));
  return state_run(r, [r, ids] {
    auto conn = r->engine.connect();
    auto tx = conn.begin();
    delete_in(conn, "DELETE FROM posts WHERE posts.user_id", *ids);
    delete_in(conn, "DELETE FROM users WHERE users.id", *ids);
    tx.commit();
  });
}

}  // namespace

Contender core_contender() {
  Contender c{"core", "core", {Backend::sqlite_file, Backend::sqlite_memory, Backend::postgresql}, {}};
  c.workloads[W::w1_insert] = w1;
  c.workloads[W::w2_insert_children] = w2;
  c.workloads[W::w3_load] = w3;
  for (W w : {W::w4a_lazy, W::w4b_selectin, W::w4c_joined})
    c.workloads[w] = [w](const Target& t, const Sizes& z) { return w4(t, z, w); };
  c.workloads[W::w5b_pk_query] = w5b;
  c.workloads[W::w6_update] = w6;
  c.workloads[W::w7_delete_cascade] = w7;
  return c;
}

}  // namespace bench
