// A page of a platform's change feed applied to the store, in one
// transaction: each change_id at most once (the sync ledger), every status
// change a new record version by the lifecycle rules (with its outbox,
// feedback and audit), each change's outcome audited, and the cursor saved.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "store/store.hpp"

namespace cg::sync {

// `source`: the platform (destination name); `changes`: the page's list;
// `next_cursor`: saved with it (empty: kept). A change about a record not
// held yet is kept (waiting) and applied, in the order the changes came,
// once the record is held: first thing in a later page, when a change about
// the record comes, or when the record comes from the platform. Returns
// {"counts": {applied, repeated, no_change, invalid, waiting},
//  "changes": [{change_id, outcome, record_id, version}]}.
Result<nlohmann::json> apply_changes(store::Store& store, const std::string& source, const nlohmann::json& changes,
                                     const std::string& next_cursor, const std::string& actor);

}  // namespace cg::sync
