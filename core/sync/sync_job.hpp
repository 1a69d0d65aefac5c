// The pull side of the two-way sync: the provincial platform's changes, page
// by page, each page applied with its cursor in one transaction.
#pragma once

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "store/store_access.hpp"

namespace cg::sync {

Result<nlohmann::json> run_sync(const config::Config& cfg, const config::DestinationConfig& dest,
                                store::StoreAccess& store);

// The destination that is pulled from (pull: true), or nullptr.
const config::DestinationConfig* pull_destination(const config::Config& cfg);

}  // namespace cg::sync
