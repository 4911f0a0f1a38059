// retort/orm/cascade.hpp — cascade flags of a relationship, with SQLAlchemy's meanings.
//
//   save_update    adding the parent to a Session adds the related objects (default)
//   merge          Session::merge follows the relationship (default)
//   remove         Session::remove (SQLAlchemy's "delete") deletes the related objects too
//   delete_orphan  a child removed from its parent's collection is deleted at flush
//   expunge        Session::expunge follows the relationship
//   refresh_expire Session::refresh / expire follow the relationship
//   all            save_update | merge | remove | expunge | refresh_expire (not delete_orphan)
#pragma once

#include <cstdint>

namespace retort::cascade {

enum Flags : std::uint32_t {
  none = 0,
  save_update = 1u << 0,
  merge = 1u << 1,
  remove = 1u << 2,  ///< SQLAlchemy's "delete" (a C++ keyword)
  delete_orphan = 1u << 3,
  expunge = 1u << 4,
  refresh_expire = 1u << 5,
  all = save_update | merge | remove | expunge | refresh_expire,
  default_ = save_update | merge,
};

constexpr Flags operator|(Flags a, Flags b) { return Flags(std::uint32_t(a) | std::uint32_t(b)); }
constexpr bool has(Flags set, Flags f) { return (std::uint32_t(set) & std::uint32_t(f)) != 0; }

}  // namespace retort::cascade
