#include "gateway/feedback_relay.hpp"

#include "common/log.hpp"

namespace cg::gateway {

FeedbackRelay::FeedbackRelay(std::shared_ptr<store::StoreWriter> writer)
    : FeedbackRelay(std::move(writer), Options{}) {}

FeedbackRelay::FeedbackRelay(std::shared_ptr<store::StoreWriter> writer, Options options)
    : writer_(std::move(writer)), options_(options) {}

std::vector<FeedbackToSend> FeedbackRelay::poll(Clock::time_point now, const std::vector<FeedbackTaker>& takers) {
  std::vector<FeedbackToSend> out;
  if (claim_.valid()) {
    if (claim_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return out;
    out = claim_.get();  // claim_ is no longer valid: the next can start
    for (const auto& f : out) in_flight_[f.item.id] = {f.identity, now};
    return out;
  }
  if (now < next_claim_) return out;
  next_claim_ = now + options_.every;
  for (auto it = in_flight_.begin(); it != in_flight_.end();)
    it = now - it->second.sent > options_.forget ? in_flight_.erase(it) : std::next(it);
  struct Ask {
    FeedbackTaker taker;
    size_t max;
  };
  std::vector<Ask> asks;
  for (const auto& t : takers) {
    size_t busy = 0;
    for (const auto& [_, f] : in_flight_) busy += f.identity == t.identity ? 1u : 0u;
    if (busy < options_.per_host) asks.push_back({t, options_.per_host - busy});
  }
  if (asks.empty()) return out;
  claim_ = writer_->submit([asks = std::move(asks), lease = options_.lease_ms](store::Store& s) {
    std::vector<FeedbackToSend> claimed;
    for (const auto& a : asks) {
      auto items = s.feedback().claim(a.taker.department, a.max, lease);
      if (!items.ok()) {
        log::error("feedback", items.error().message, {{"department", a.taker.department}});
        continue;
      }
      for (auto& item : *items) claimed.push_back({a.taker.identity, std::move(item)});
    }
    return claimed;
  });
  return out;
}

void FeedbackRelay::answered(int64_t id, bool delivered, const std::string& error) {
  in_flight_.erase(id);
  complete(id, delivered, error, options_.retry_ms);
}

void FeedbackRelay::not_rendered(int64_t id, const std::string& error) {
  in_flight_.erase(id);
  complete(id, false, error, options_.lease_ms);
}

void FeedbackRelay::complete(int64_t id, bool delivered, const std::string& error, int64_t retry_ms) {
  // Not waited for: the item's lease covers an answer lost with the process.
  (void)writer_->submit([id, delivered, error, retry_ms](store::Store& s) {
    if (auto st = s.feedback().complete(id, delivered, error, retry_ms); !st)
      log::error("feedback", st.error().message, {{"feedback_id", id}});
  });
}

}  // namespace cg::gateway
