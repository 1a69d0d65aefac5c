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
// `next_cursor`: saved with it (empty: kept). Returns
// {"counts": {applied, repeated, no_change, invalid, unknown_record},
//  "changes": [{change_id, outcome, record_id, version}]}.
Result<nlohmann::json> apply_changes(store::Store& store, const std::string& source, const nlohmann::json& changes,
                                     const std::string& next_cursor, const std::string& actor);

}  // namespace cg::sync
