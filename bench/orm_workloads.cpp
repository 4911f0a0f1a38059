// bench/orm_workloads.cpp — THE ORM SLOT: the workloads through retort's ORM
// (Session, mapped User/Post with a posts relationship, cascade
// "all, delete-orphan"). Results and analysis: bench/RESULTS.md.
//
// How to fill it. For each workload W, register a function
//
//     Prepared fn(const Target& t, const Sizes& z);
//
// in orm_contender() below: c.workloads[W::w1_insert] = w1; and so on. The
// function runs untimed; it builds the starting state and returns:
//   run        — the timed part (a closure; keep state in shared_ptrs);
//   verify     — untimed, after run; must return the same digest string as
//                the raw and Core contenders (see workloads.hpp/fixtures.hpp):
//                digest(vector<User>) for W3, digest(vector<UserWithPosts>)
//                for W4 (copy the loaded objects into those structs inside
//                verify, untimed), lookup_digest(found, namelen) for W5, and
//                retort_state_digest(engine) for W1, W2, W6, W7;
//   statements — [engine] { return engine.statement_count(); }.
// Start from a fresh seeded database with
//     retort::Engine e = retort_open_fresh(t, Seed{users, posts_per_user});
// (users 1..N named user_name(i); posts post_title(i, j) with content
// post_content(i, j) when post_has_content(j), else NULL).
//
// What each workload must do, mirroring sqlalchemy_bench.py:
//   W1  run: N = z.w1_users Users named user_name(i), session.add each (or
//       add_all), session.commit().
//   W2  run: z.w2_users Users, each with z.w2_posts_per_user Posts appended to
//       user.posts (title/content as above); add the users; commit (the
//       save-update cascade inserts the posts after their parent).
//   W3  run: session.query<User>().all() (all z.w3_users) into the result.
//   W4a run: load all z.w4_users users (lazy posts), then touch u->posts for
//       each (one SELECT per user). W4b: the same with a selectin load option
//       (one IN query). W4c: joined load (one LEFT OUTER JOIN).
//   W5a untimed: a Session with all z.w5_users users loaded.
//       run: z.w5_lookups x session.get<User>(lookup_id(k, z.w5_users)),
//       counting found and summing name sizes: no SQL expected.
//   W5b run: a fresh Session; the same lookups, each a miss that SELECTs.
//   W6  untimed: Session with all z.w6_users users loaded.
//       run: u->name = new_name(u->id) for each; session.commit().
//   W7  untimed: Session with users w7_ids(z.w7_delete_users) loaded, their
//       posts loaded too (selectin). run: session.remove(u) for each (cascade
//       deletes the posts); session.commit().
// Destroy the Session in the Prepared's state (untimed), not in run.
#include <memory>
#include <optional>

#include "fixtures.hpp"
#include "retort/orm.hpp"

// The mapped classes: the seed's User/Post (bench::User/Post are the plain
// result structs, so these live in their own namespace).
namespace bench_orm {
struct Post;
struct User {
  std::int64_t id = 0;
  std::string name{};
  retort::Many<Post> posts{};
};
struct Post {
  std::int64_t id = 0;
  std::string title{};
  std::optional<std::string> content{};
  std::optional<std::int64_t> user_id{};
  retort::One<User> author{};
};
}  // namespace bench_orm

template <>
struct retort::Mapping<bench_orm::User> {
  static constexpr auto table = "users";
  static void define(auto& m) {
    m.column("id", &bench_orm::User::id, retort::primary_key);
    m.column("name", &bench_orm::User::name);
    m.one_to_many("posts", &bench_orm::User::posts, &bench_orm::Post::author,
                  retort::cascade::all | retort::cascade::delete_orphan);
  }
};
template <>
struct retort::Mapping<bench_orm::Post> {
  static constexpr auto table = "posts";
  static void define(auto& m) {
    m.column("id", &bench_orm::Post::id, retort::primary_key);
    m.column("title", &bench_orm::Post::title);
    m.column("content", &bench_orm::Post::content);
    m.column("user_id", &bench_orm::Post::user_id, retort::references(&bench_orm::User::id));
    m.many_to_one("author", &bench_orm::Post::author, &bench_orm::User::posts);
  }
};

namespace bench {
namespace {

using OUser = bench_orm::User;
using OPost = bench_orm::Post;
using retort::Ptr;

/// One run's engine and Session (created untimed; destroyed with the
/// Prepared, untimed), plus whatever objects the setup keeps alive.
struct Run {
  retort::Engine engine;
  std::optional<retort::Session> session;
  std::vector<Ptr<OUser>> users;
  Run(const Target& t, const Seed& seed) : engine(retort_open_fresh(t, seed)) { session.emplace(engine); }
};

std::shared_ptr<Run> open(const Target& t, const Seed& seed = {}) { return std::make_shared<Run>(t, seed); }

Prepared state_run(std::shared_ptr<Run> r, std::function<void()> run) {
  return {std::move(run), [r] { return retort_state_digest(r->engine); },
          [r] { return r->engine.statement_count(); }};
}
std::function<std::uint64_t()> counter(const std::shared_ptr<Run>& r) {
  return [r] { return r->engine.statement_count(); };
}

// W1, W2 -------------------------------------------------------------------

Prepared w1(const Target& t, const Sizes& z) {
  auto r = open(t);
  return state_run(r, [r, n = z.w1_users] {
    auto& s = *r->session;
    for (std::int64_t i = 1; i <= n; ++i) s.add(retort::make<OUser>({.name = user_name(i)}));
    s.commit();
  });
}

Prepared w2(const Target& t, const Sizes& z) {
  auto r = open(t);
  return state_run(r, [r, n = z.w2_users, ppu = z.w2_posts_per_user] {
    auto& s = *r->session;
    for (std::int64_t i = 1; i <= n; ++i) {
      auto u = retort::make<OUser>({.name = user_name(i)});
      for (int j = 0; j < ppu; ++j)
        u->posts.push_back(retort::make<OPost>(
            {.title = post_title(i, j),
             .content = post_has_content(j) ? std::optional<std::string>(post_content(i, j)) : std::nullopt}));
      s.add(u);  // save-update cascade: the posts are pending too
    }
    s.commit();
  });
}

// W3, W4 -------------------------------------------------------------------

Prepared w3(const Target& t, const Sizes& z) {
  auto r = open(t, Seed{z.w3_users, 0});
  auto out = std::make_shared<std::vector<Ptr<OUser>>>();
  return {[r, out] { *out = r->session->query<OUser>().all(); },
          [out] {
            std::vector<User> v;
            v.reserve(out->size());
            for (auto& u : *out) v.push_back(User{u->id, u->name});
            return digest(v);
          },
          counter(r)};
}

Prepared w4(const Target& t, const Sizes& z, W w) {
  auto r = open(t, Seed{z.w4_users, z.w4_posts_per_user});
  auto out = std::make_shared<std::vector<Ptr<OUser>>>();
  auto run = [r, out, w] {
    auto q = r->session->query<OUser>();
    switch (w) {
      case W::w4b_selectin: q = q.options(retort::selectinload(&OUser::posts)); break;  // 2 statements
      case W::w4c_joined: q = q.options(retort::joinedload(&OUser::posts)); break;      // 1 statement
      default: break;                                                                   // lazy: 1 + N
    }
    *out = q.all();
    std::size_t touched = 0;
    for (auto& u : *out) touched += u->posts.size();
    (void)touched;
  };
  return {run,
          [out] {
            std::vector<UserWithPosts> v;
            v.reserve(out->size());
            for (auto& u : *out) {
              UserWithPosts x{u->id, u->name, {}};
              for (auto& p : u->posts) x.posts.push_back(Post{p->id, p->title, p->content, p->user_id.value_or(0)});
              v.push_back(std::move(x));
            }
            return digest(v);
          },
          counter(r)};
}

// W5 -----------------------------------------------------------------------

struct Found {
  std::int64_t found = 0, namelen = 0;
};

// The timed part of W5a and W5b: z.w5_lookups get() calls by primary key.
Prepared lookups(std::shared_ptr<Run> r, const Sizes& z) {
  auto f = std::make_shared<Found>();
  return {[r, f, n = z.w5_users, l = z.w5_lookups] {
            auto& s = *r->session;
            for (std::int64_t k = 0; k < l; ++k) {
              if (auto u = s.get<OUser>(lookup_id(k, n))) {
                ++f->found;
                f->namelen += static_cast<std::int64_t>(u->name.size());
              }
            }
          },
          [f] { return lookup_digest(f->found, f->namelen); }, counter(r)};
}

Prepared w5a(const Target& t, const Sizes& z) {
  auto r = open(t, Seed{z.w5_users, 0});
  r->users = r->session->query<OUser>().all();  // untimed: every user in the identity map
  return lookups(r, z);
}

Prepared w5b(const Target& t, const Sizes& z) {
  return lookups(open(t, Seed{z.w5_users, 0}), z);  // a fresh Session: every get() misses and SELECTs
}

// W6, W7 -------------------------------------------------------------------

Prepared w6(const Target& t, const Sizes& z) {
  auto r = open(t, Seed{z.w6_users, 0});
  r->users = r->session->query<OUser>().all();
  return state_run(r, [r] {
    for (auto& u : r->users) u->name = new_name(u->id);
    r->session->commit();
  });
}

Prepared w7(const Target& t, const Sizes& z) {
  auto r = open(t, Seed{z.w7_seed_users, z.w7_posts_per_user});
  auto& s = *r->session;
  // Untimed: the users and their posts loaded (lazily for now; selectin once
  // issue 6 lands).
  for (std::int64_t id : w7_ids(z.w7_delete_users)) {
    auto u = s.get<OUser>(id);
    (void)u->posts.size();
    r->users.push_back(std::move(u));
  }
  return state_run(r, [r] {
    auto& s = *r->session;
    for (auto& u : r->users) s.remove(u);  // delete cascade: the posts too
    s.commit();
  });
}

}  // namespace

Contender orm_contender() {
  Contender c{"orm", "orm", {Backend::sqlite_file, Backend::sqlite_memory, Backend::postgresql}, {}};
  c.workloads[W::w1_insert] = w1;
  c.workloads[W::w2_insert_children] = w2;
  c.workloads[W::w3_load] = w3;
  for (W w : {W::w4a_lazy, W::w4b_selectin, W::w4c_joined})
    c.workloads[w] = [w](const Target& t, const Sizes& z) { return w4(t, z, w); };
  c.workloads[W::w5a_identity] = w5a;
  c.workloads[W::w5b_pk_query] = w5b;
  c.workloads[W::w6_update] = w6;
  c.workloads[W::w7_delete_cascade] = w7;
  return c;
}

}  // namespace bench
