// 对账: the gateway's own count and digest of the records delivered to a
// platform on a day, against the platform's; with --requeue, the records the
// platform lacks (or holds in an older version) are queued again.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "config/config.hpp"
#include "store/store_access.hpp"

namespace cg::delivery {

Result<nlohmann::json> reconcile(const config::Config& cfg, const config::DestinationConfig& dest,
                                 store::StoreAccess& store, const std::string& date, bool requeue,
                                 const std::string& actor);

}  // namespace cg::delivery
