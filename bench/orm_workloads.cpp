// bench/orm_workloads.cpp — THE ORM SLOT: the workloads through retort's ORM
// (Session, mapped User/Post with a posts relationship, cascade
// "all, delete-orphan"). Empty until the ORM lands; every workload prints
// "n/a (ORM slot not filled yet)" meanwhile.
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
#include "fixtures.hpp"

namespace bench {

Contender orm_contender() {
  Contender c{"orm", "orm", {Backend::sqlite_file, Backend::sqlite_memory, Backend::postgresql}, {}};
  // c.workloads[W::w1_insert] = orm_w1;   <- the lead fills these in
  return c;
}

}  // namespace bench
