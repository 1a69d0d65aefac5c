#include "objections/send.hpp"

#include "common/clock.hpp"
#include "common/log.hpp"
#include "sync/apply_changes.hpp"

namespace cg::objections {

using nlohmann::json;

namespace {

// The objection as the platform receives it (§8).
std::string body_of(const store::Objection& o) {
  return json{{"objection_id", o.objection_id}, {"record_id", o.record_id}, {"version", o.version},
              {"raised_by", o.raised_by},       {"raised_on", o.raised_on}, {"reason", o.reason}}
      .dump();
}

// What the platform's answer makes of the objection: opened, refused for
// good (the platform holds no such record, or will never take this body), or
// still pending (no answer, a fault, throttling).
std::string state_of(const delivery::PlatformAnswer& a) {
  if (a.status == 200) {
    const json b = json::parse(a.body, nullptr, false);
    return b.is_object() && b.value("status", "") == "opened" ? "opened" : "pending";
  }
  if (a.status >= 400 && a.status < 500 && a.status != 408 && a.status != 429) return "refused";
  return "pending";
}

}  // namespace

Result<json> send_pending(delivery::Connector& conn, const std::string& platform, store::StoreAccess& store) {
  json counts = {{"sent", 0}, {"opened", 0}, {"refused", 0}, {"kept", 0}};
  if (!conn.can_post()) {
    log::error("objections", "the platform's connector cannot POST: objections are kept, not sent",
               {{"destination", platform}});
    return counts;
  }
  store::ObjectionFilter f;
  f.state = "pending";
  f.limit = 1000;
  auto pending = store.call([&](store::Store& s) { return s.objections().list(f); });
  if (!pending.ok()) return pending.error();
  // list() is newest first; the oldest go first.
  for (auto it = pending->rbegin(); it != pending->rend(); ++it) {
    const store::Objection& o = *it;
    const auto a = conn.post("/api/v1/objections", o.objection_id, body_of(o));
    counts["sent"] = counts["sent"].get<int>() + 1;
    const std::string state = state_of(a);
    const std::string answer = a.status ? "HTTP " + std::to_string(a.status) + " " + a.body.substr(0, 500) : a.error;
    auto done = store.call([&](store::Store& s) -> Status {
      if (state == "opened") {
        // Suspended here at once, as the platform's objection_opened does;
        // the change's id keeps it from being applied twice.
        const json change = json::array({{{"change_id", "local:" + o.objection_id},
                                          {"type", "objection_opened"},
                                          {"at", now_rfc3339_cst()},
                                          {"record_id", o.record_id},
                                          {"objection_id", o.objection_id}}});
        auto applied = sync::apply_changes(s, platform, change, "", "objection:" + o.raised_by);
        if (!applied.ok()) return applied.error();
      }
      return s.objections().answered(o.objection_id, state, state == "opened" ? "" : answer);
    });
    if (!done) return done.error();
    if (state == "pending") {  // the platform is not answering: the rest wait for the next run
      counts["kept"] = static_cast<int>(std::distance(it, pending->rend()));
      log::warn("objections", "an objection was not answered; it is sent again at the next sync",
                {{"destination", platform}, {"objection_id", o.objection_id}, {"answer", answer}});
      break;
    }
    counts[state] = counts[state].get<int>() + 1;
    log::info("objections",
              state == "opened" ? "objection opened by the platform" : "objection refused by the platform",
              {{"destination", platform}, {"objection_id", o.objection_id}, {"record_id", o.record_id}});
  }
  return counts;
}

}  // namespace cg::objections
