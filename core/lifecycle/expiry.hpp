// The daily expiry applied to the store: every active record whose
// valid_until or publish_until is before `today` (YYYY-MM-DD, CST) becomes
// expired, each as a new version with its outbox, feedback and audit, all in
// one transaction.
#pragma once

#include <string>

#include "store/store.hpp"

namespace cg::lifecycle {

// How many records expired.
Result<int64_t> expire_due(store::Store& store, const std::string& today, const std::string& actor);

}  // namespace cg::lifecycle
