// The joined loader strategy: the query's SELECT gains one aliased LEFT OUTER
// (or INNER) JOIN per joined relationship of the queried type, and each row
// fills the parent's relationship. Private to src/orm.
#pragma once

#include <optional>
#include <unordered_map>
#include <vector>

#include "orm/internal.hpp"
#include "retort/sql.hpp"

namespace retort::orm::detail {

/// One table to join on the way along a relationship.
struct JoinStep {
  sql::detail::NodePtr table;
  sql::detail::NodePtr on;
};
/// The joins that lead from the owner's table (node `owner`) to r's target:
/// one, or two through a many-to-many's association table. A non-empty
/// `suffix` aliases the tables (target "tags_1", association "post_tags_1").
/// The target's table node is the last step's.
std::vector<JoinStep> relationship_joins(const RelInfo& r, const sql::detail::NodePtr& owner,
                                         const std::string& suffix);

class JoinedLoader {
 public:
  /// Plans the joins for the top-level `nodes` whose strategy (or the
  /// mapping's) is joined. A collection under LIMIT/OFFSET is left to
  /// apply_loaders (as selectin): joining it would cut the parent rows.
  JoinedLoader(const Mapper& m, const sql::SelectBase& base, const std::vector<LoadNode>& nodes);
  bool active() const { return select_.has_value(); }
  /// The SELECT to run: the base with the joins added (REQUIRES: active()).
  const sql::SelectBase& statement() const { return *select_; }
  /// Consumes the joined columns of the current row for `parent`. No SQL.
  void row(SessionImpl& S, InstanceState* parent, const driver::Statement& st);
  /// Fills the relationships of the parents seen; returns the targets per
  /// relationship (for the next level's strategies). No SQL.
  std::vector<JoinedTargets> finish();

 private:
  struct Join {
    const RelInfo* rel;
    int first;  ///< result column of the target's first mapped column
    std::vector<InstanceState*> parents;  ///< whose relationship this load fills
    std::unordered_map<InstanceState*, std::vector<InstanceState*>> found;
    std::vector<InstanceState*> targets;
    // The previous row's parent and its found list (nullptr: not filled by
    // this load). A parent's rows usually come together, so most rows skip
    // the hash lookup.
    InstanceState* last_parent = nullptr;
    std::vector<InstanceState*>* last_found = nullptr;
  };
  std::vector<Join> joins_;
  std::optional<sql::Select<std::int64_t>> select_;
};

}  // namespace retort::orm::detail
