// Feedback to the departments: items the relay claimed, rendered in each
// department's format and handed to a running host of that department.
#include "common/clock.hpp"
#include "common/log.hpp"
#include "gateway/gateway_impl.hpp"

namespace cg::gateway {

using nlohmann::json;

// Hands feedback that a claim brought to the plugin host that takes it.
void Gateway::Impl::dispatch_feedback() {
  const auto now = supervisor::Clock::now();
  std::vector<FeedbackTaker> takers;  // only read when a claim is to start (every 300 ms)
  if (feedback->due(now))
    for (const auto& [identity, inst] : supervisor->running())
      if (inst->feedback) takers.push_back({identity, inst->department});
  for (auto& [identity, item] : feedback->poll(now, takers)) {
    json record = json::parse(item.body, nullptr, false);
    mapping::Rendered doc;
    std::string format = "json";
    if (auto o = outbound.find(item.department); o != outbound.end()) {
      auto r = mapping::render(o->second, record, item.event, item.id);
      if (!r.ok()) {
        feedback->not_rendered(item.id, r.error().message);
        log::error("feedback", "cannot render feedback: " + r.error().message, {{"department", item.department}});
        continue;
      }
      doc = *r;
      format = o->second.format;
    } else {
      doc = mapping::render_default(record, item.event, item.id);
    }
    router::Feedback m;
    m.feedback_id = item.id;
    m.record_id = item.record_id;
    m.version = item.version;
    m.event = item.event;
    m.format = format;
    m.file_name = doc.file_name;
    m.document = doc.data;
    send(identity, m);
  }
}

void Gateway::Impl::feedback_ack(const router::FeedbackAck& m) {
  feedback->answered(m.feedback_id, m.ok, m.error);
  if (!m.ok)
    log::warn("feedback", "the department's channel did not take feedback; offered again later",
              {{"feedback_id", m.feedback_id}, {"error", m.error}});
}

}  // namespace cg::gateway
