// Sending the objections raised here to the provincial platform
// (platform-api.md §8), by the sync job before it reads the change feed.
// Each POST carries the objection's id as its Idempotency-Key, so a lost
// answer is sent again without a second objection. Once the platform
// answers `opened`, the record is suspended here at once (a new version,
// pushed, and routed by the catalog to the implementing departments) as the
// platform's own objection_opened would; the platform's later
// objection_resolved closes it as usual.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/result.hpp"
#include "delivery/connector.hpp"
#include "store/store_access.hpp"

namespace cg::objections {

// Sends every pending objection, oldest first, until the platform stops
// answering. Returns {"sent", "opened", "refused", "kept"}.
Result<nlohmann::json> send_pending(delivery::Connector& conn, const std::string& platform, store::StoreAccess& store);

}  // namespace cg::objections
