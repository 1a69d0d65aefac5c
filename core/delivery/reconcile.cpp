#include "delivery/reconcile.hpp"

#include <thread>

#include "common/log.hpp"
#include "delivery/connector.hpp"

namespace cg::delivery {

using nlohmann::json;

Result<json> reconcile(const config::Config& cfg, const config::DestinationConfig& dest, store::StoreAccess& store,
                       const std::string& date, bool requeue, const std::string& actor) {
  auto local = store.call([&](store::Store& s) { return s.outbox().delivered_on(dest.name, date); });
  if (!local.ok()) return local.error();
  auto conn = Connector::open(cfg, dest);
  if (!conn.ok()) return conn.error();
  auto a = get_with_retries(**conn, "/api/v1/reconciliation?source=" + cfg.node_id + "&date=" + date);
  if (a.status != 200)
    return make_error("reconcile", "the platform answered " +
                                       (a.status ? "HTTP " + std::to_string(a.status) + " " + a.body : a.error));
  json remote = json::parse(a.body, nullptr, false);
  if (!remote.is_object()) return make_error("reconcile", "the platform's answer is not JSON");
  json report = {{"destination", dest.name},
                 {"date", date},
                 {"local_count", local->count},
                 {"local_digest", local->digest},
                 {"platform_count", remote.value("count", -1)},
                 {"platform_digest", remote.value("digest", "")}};
  bool match = local->count == remote.value("count", int64_t{-1}) && local->digest == remote.value("digest", "");
  report["match"] = match;
  if (!match) {
    // Find what differs, record by record.
    json missing = json::array();
    for (const auto& [id, version] : local->records) {
      auto r = get_with_retries(**conn, "/api/v1/records/" + id);
      int64_t held = 0;
      if (r.status == 200) held = json::parse(r.body, nullptr, false).value("version", int64_t{0});
      if (held >= version) continue;
      missing.push_back({{"record_id", id}, {"version", version}, {"platform_version", held}});
      if (requeue) {
        const std::string& record_id = id;  // a structured binding cannot be captured (C++20 as clang 14 has it)
        if (auto s = store.call([&](store::Store& st) { return st.outbox().requeue(dest.name, record_id, actor); }); !s)
          log::error("reconcile", "cannot queue again: " + s.error().message, {{"record_id", id}});
      }
    }
    report["platform_lacks"] = missing;
    report["requeued"] = requeue ? missing.size() : 0;
    log::warn("reconcile", "the platform's figures differ from the gateway's", report);
  } else {
    log::info("reconcile", "figures match", report);
  }
  return report;
}

}  // namespace cg::delivery
