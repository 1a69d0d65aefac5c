#include "lifecycle/expiry.hpp"

#include "common/clock.hpp"
#include "lifecycle/lifecycle.hpp"

namespace cg::lifecycle {

using nlohmann::json;

Result<int64_t> expire_due(store::Store& store, const std::string& today, const std::string& actor) {
  return store.transact([&](store::Store& s) -> Result<int64_t> {
    auto due = s.records().active_ending_before(today);
    if (!due.ok()) return due.error();
    const std::string now = now_rfc3339_cst();
    int64_t n = 0;
    for (const auto& [rec, origin] : *due) {
      auto next = expire(rec, today, now);
      if (!next) continue;
      json event = {
          {"type", "status_changed"}, {"change_type", "expiry"}, {"from", rec.status}, {"to", "expired"}, {"at", now}};
      store::VersionWrite w{actor, "expiry " + today, origin, "status:" + next->status, event, false};
      if (auto st = s.records().write_version(*next, w); !st) return st.error();
      ++n;
    }
    return n;
  });
}

}  // namespace cg::lifecycle
