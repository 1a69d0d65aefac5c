#include "delivery/delivery_worker.hpp"

#include <random>

#include "common/clock.hpp"
#include "common/log.hpp"
#include "common/thread_name.hpp"
#include "delivery/batch_answer.hpp"

namespace cg::delivery {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

DeliveryWorker::DeliveryWorker(config::Config cfg, config::DestinationConfig dest, std::unique_ptr<Connector> connector,
                               std::unique_ptr<store::StoreAccess> store, Stream stream)
    : cfg_(std::move(cfg)),
      dest_(std::move(dest)),
      stream_(stream),
      batch_size_(dest_.batch_size),
      breaker_(dest_.circuit_failures, std::chrono::milliseconds(dest_.circuit_open_ms)) {
  add_lane(std::move(connector), std::move(store));
}

DeliveryWorker::~DeliveryWorker() {
  stop();
}

void DeliveryWorker::add_lane(std::unique_ptr<Connector> connector, std::unique_ptr<store::StoreAccess> store) {
  auto lane = std::make_unique<Lane>();
  lane->connector = std::move(connector);
  lane->store = std::move(store);
  lanes_.push_back(std::move(lane));
}

void DeliveryWorker::start() {
  for (auto& lane : lanes_)
    lane->thread = std::thread([this, l = lane.get()] {
      name_this_thread((stream_ == Stream::Records ? "cg-out-" : "cg-fb-") + dest_.name);
      loop(*l);
    });
}

void DeliveryWorker::stop() {
  stop_ = true;
  for (auto& lane : lanes_)
    if (lane->thread.joinable()) lane->thread.join();
}

WorkerStatus DeliveryWorker::status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return status_;
}

store::BatchQueue& DeliveryWorker::queue(store::Store& s) const {
  if (stream_ == Stream::Feedback) return s.feedback_reports();
  return s.outbox();
}

PlatformAnswer DeliveryWorker::push(Lane& lane, const std::string& batch_id) {
  if (stream_ == Stream::Feedback) return lane.connector->post("/api/v1/feedback:batch", batch_id, lane.body);
  return lane.connector->push_batch(batch_id, lane.body);
}

int64_t DeliveryWorker::backoff_ms(int64_t attempts) const {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  return delivery::backoff_ms(attempts, dest_.retry_min_ms, dest_.retry_max_ms, rng);
}

// The batch's entries pending again, to go out in a new batch.
void DeliveryWorker::release(Lane& lane, const store::OutboxBatch& b) {
  if (auto s = lane.store->call([&](store::Store& st) { return queue(st).release_batch(dest_.name, b.batch_id); }); !s)
    log::error("delivery", "cannot release a batch: " + s.error().message, {{"destination", dest_.name}});
}

void DeliveryWorker::failure(Lane& lane, const store::OutboxBatch& b, const std::string& why, int64_t delay_ms) {
  if (auto s = lane.store->call(
          [&](store::Store& st) { return queue(st).retry_batch(dest_.name, b.batch_id, delay_ms, why); });
      !s)
    log::error("delivery", "cannot record a retry: " + s.error().message, {{"destination", dest_.name}});
  std::lock_guard<std::mutex> lock(mu_);
  status_.retries++;
  status_.last_error = why;
  status_.last_error_at = now_rfc3339_cst();
  if (breaker_.failed(Clock::now()))
    log::warn("delivery", "circuit open: the platform keeps failing; pausing before the next try",
              {{"destination", dest_.name},
               {"failures", breaker_.consecutive_failures()},
               {"open_ms", dest_.circuit_open_ms},
               {"error", why}});
  status_.circuit = breaker_.state();
  status_.consecutive_failures = breaker_.consecutive_failures();
}

bool DeliveryWorker::deliver_once(Lane& lane) {
  size_t lanes = lanes_.size();
  bool paused = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const auto gate = breaker_.before_send(Clock::now());
    paused = gate == CircuitBreaker::Gate::Wait;
    if (gate == CircuitBreaker::Gate::Probe) lanes = 1;  // the probe goes alone
    status_.circuit = breaker_.state();
  }
  if (paused) {
    record_answers(lane);
    return false;
  }
  std::optional<Answered> answered;
  answered.swap(lane.answered);
  // No lock is held while the store is waited for: the lanes' calls wait
  // one behind the other in the store writer's queue, and each claim marks
  // its batch in sending_ before the next one runs (store::BusyBatches).
  const auto max = static_cast<size_t>(batch_size_.load());
  const size_t others = answered ? sending_.size_besides(answered->batch.batch_id) : sending_.size();
  if (lanes == 1 && others > 0) {  // the probe waits for the batches still out
    lane.answered.swap(answered);
    record_answers(lane);
    return false;
  }
  Result<store::OutboxBatch> claimed = store::OutboxBatch{};
  if (answered) {
    auto both = lane.store->call([&](store::Store& s) {
      return queue(s).complete_and_claim(dest_.name, answered->batch, answered->outcomes, max, sending_, lanes);
    });
    claimed = std::move(both.next);
    answers_recorded(*answered, both.completed);
  } else {
    claimed = lane.store->call([&](store::Store& s) { return queue(s).claim_batch(dest_.name, max, sending_, lanes); });
  }
  if (!claimed.ok()) {
    log::error("delivery", "cannot read the outbox: " + claimed.error().message, {{"destination", dest_.name}});
    return false;
  }
  store::OutboxBatch& b = *claimed;
  if (b.entries.empty()) return false;
  // The batch is no longer being sent once send() is done, however it ends
  // (an exception left it claimed, and skipped by every claim, until a
  // restart), unless it waits in lane.answered for its answers to be recorded.
  struct Sent {
    DeliveryWorker& w;
    Lane& lane;
    std::string batch_id;
    ~Sent() {
      if (!lane.answered || lane.answered->batch.batch_id != batch_id) w.sending_.erase(batch_id);
    }
  } sent{*this, lane, b.batch_id};
  send(lane, b);
  return true;
}

void DeliveryWorker::record_answers(Lane& lane) {
  if (!lane.answered) return;
  Answered a = std::move(*lane.answered);
  lane.answered.reset();
  Status recorded =
      lane.store->call([&](store::Store& s) { return queue(s).complete_batch(dest_.name, a.batch, a.outcomes); });
  sending_.erase(a.batch.batch_id);  // after: until its row is gone, no claim may offer it
  answers_recorded(a, recorded);
}

void DeliveryWorker::answers_recorded(const Answered& a, const Status& recorded) {
  if (!recorded) {
    log::error("delivery", "cannot record the answer; the batch will be sent again (idempotent)",
               {{"destination", dest_.name}, {"error", recorded.error().message}});
    return;
  }
  const store::OutboxBatch& b = a.batch;
  if (a.dead)
    log::warn("delivery",
              stream_ == Stream::Records ? "records rejected by the platform went to the dead letters"
                                         : "execution feedback rejected by the platform is dead (admin API)",
              {{"dead", a.dead}, {"destination", dest_.name}});
  std::lock_guard<std::mutex> lock(mu_);
  int64_t now_ms = unix_millis(std::chrono::system_clock::now());
  for (const auto& e : b.entries) {
    double secs = static_cast<double>(std::max<int64_t>(0, now_ms - e.created_ms)) / 1000.0;
    size_t k = 0;
    while (k < WorkerStatus::kBucketCount && secs > WorkerStatus::kBuckets[k]) ++k;
    status_.latency_counts[k]++;
    status_.latency_sum += secs;
    status_.latency_n++;
  }
  status_.batches++;
  status_.records_delivered += a.delivered;
  status_.dead_letters += a.dead;
  if (breaker_.succeeded())
    log::info("delivery", "circuit closed: the platform answers again",
              {{"destination", dest_.name},
               {"batch_id", b.batch_id},
               {"records", b.entries.size()},
               {"attempt", b.attempts + 1}});
  status_.circuit = breaker_.state();
  status_.consecutive_failures = breaker_.consecutive_failures();
  status_.last_success_at = now_rfc3339_cst();
}

// Sends one batch and records what the platform said (or that it said nothing).
void DeliveryWorker::send(Lane& lane, store::OutboxBatch& b) {
  size_t bytes = 64 + b.batch_id.size() + cfg_.node_id.size() + b.entries.size();
  for (const auto& e : b.entries) bytes += e.body.size();
  std::string& body = lane.body;
  body.clear();
  body.reserve(bytes);  // 1.4 MB for 1,000 records: built once, not doubled ten times
  body += "{\"batch_id\":\"" + b.batch_id + "\",\"source\":\"" + cfg_.node_id + "\",\"" +
          (stream_ == Stream::Feedback ? "feedback" : "records") + "\":[";
  for (size_t i = 0; i < b.entries.size(); ++i) {
    if (i) body += ',';
    body += b.entries[i].body;
  }
  body += "]}";
  auto a = push(lane, b.batch_id);
  json ctx = {{"destination", dest_.name},
              {"stream", stream_ == Stream::Records ? "records" : "feedback"},
              {"batch_id", b.batch_id},
              {"records", b.entries.size()},
              {"attempt", b.attempts + 1}};

  if (a.status == 200) {
    auto results = parse_batch_answer(a.body);
    if (!results || results->size() != b.entries.size()) {
      failure(lane, b, "200 with an answer that does not list one result per record", backoff_ms(b.attempts));
      log::error("delivery", "unusable answer; the batch will be sent again", ctx);
      return;
    }
    std::vector<store::DeliveryOutcome> outcomes;
    outcomes.reserve(b.entries.size());
    int64_t delivered = 0, dead = 0;
    for (size_t i = 0; i < b.entries.size(); ++i) {
      RecordResult& r = (*results)[i];
      store::DeliveryOutcome o;
      o.outbox_id = b.entries[i].id;
      const auto parsed = delivery_status_from(r.status);
      // "stale" is not an answer to execution feedback (§7)
      const bool known = parsed && !(stream_ == Stream::Feedback && *parsed == store::DeliveryStatus::Stale);
      const store::DeliveryStatus status = known ? *parsed : store::DeliveryStatus::Rejected;
      const store::OutboxEntry& sent = b.entries[i];
      if (stream_ == Stream::Records ? r.record_id != sent.record_id
                                     : !r.feedback_id.empty() && r.feedback_id != sent.feedback_id) {
        o.error_code = "result_mismatch";
        o.error_message = "the platform's result #" + std::to_string(i) + " names another entry";
      } else if (!known) {
        o.error_code = "unknown_result";
        o.error_message = "the platform answered '" + r.status + "'";
      } else if (status == store::DeliveryStatus::Rejected) {
        o.error_code = r.error_code.empty() ? "rejected" : std::move(r.error_code);
        o.error_field = std::move(r.error_field);
        o.error_message = std::move(r.error_message);
      } else {
        o.status = status;
        if (o.status == store::DeliveryStatus::Stale)
          log::info(
              "delivery", "the platform holds a newer version; this one is ignored",
              {{"destination", dest_.name}, {"record_id", b.entries[i].record_id}, {"version", b.entries[i].version}});
      }
      (o.dead() ? dead : delivered)++;
      outcomes.push_back(std::move(o));
    }
    // Recorded with the lane's next claim (deliver_once), or on its own.
    lane.answered = Answered{std::move(b), std::move(outcomes), delivered, dead};
    return;
  }

  const ErrorAnswer err = parse_error_answer(a.body);
  const std::string& code = err.code;
  if (a.status == 0) {
    failure(lane, b, (a.timed_out ? "timeout: " : "no answer: ") + a.error, backoff_ms(b.attempts));
    log::warn("delivery", "platform unreachable; will retry", {{"destination", dest_.name}, {"error", a.error}});
  } else if (a.status == 429) {
    int64_t delay = a.retry_after_s ? *a.retry_after_s * 1000 : backoff_ms(b.attempts);
    failure(lane, b, "429 too many requests", std::min(delay, dest_.retry_max_ms));
    log::warn("delivery", "platform asks to slow down", {{"destination", dest_.name}, {"retry_after_ms", delay}});
  } else if (a.status == 401) {
    // A clock or key problem: alert, and wait long instead of spinning.
    failure(lane, b, "401 " + code, dest_.retry_max_ms);
    log::error(
        "delivery",
        "ALERT: the platform refused our signature (" + code + "): check the system clock and the destination's secret",
        ctx);
  } else if (a.status == 413) {
    batch_size_ = std::max<int64_t>(1, static_cast<int64_t>(b.entries.size()) / 2);
    release(lane, b);
    log::warn("delivery", "batch too large for the platform; sending smaller batches",
              {{"destination", dest_.name}, {"batch_size", batch_size_.load()}});
  } else if (a.status == 409) {
    release(lane, b);
    log::error("delivery", "the platform saw this batch id with other content; the records go out in a new batch", ctx);
  } else if (a.status == 400) {
    std::vector<store::DeliveryOutcome> outcomes;
    for (const auto& e : b.entries)
      outcomes.push_back({e.id, store::DeliveryStatus::Rejected, code.empty() ? "bad_request" : code, "",
                          err.present ? err.message : a.body});
    (void)lane.store->call([&](store::Store& s) { return queue(s).complete_batch(dest_.name, b, outcomes); });
    log::error("delivery", "the platform refused the whole batch (400); its records are dead letters", ctx);
  } else {
    failure(lane, b, "HTTP " + std::to_string(a.status) + (code.empty() ? "" : " " + code), backoff_ms(b.attempts));
    log::warn("delivery", "platform error; will retry", {{"destination", dest_.name}, {"status", a.status}});
  }
}

void DeliveryWorker::loop(Lane& lane) {
  log::info("delivery", stream_ == Stream::Records ? "delivery started" : "execution feedback relay started",
            {{"destination", dest_.name}, {"base_url", dest_.base_url}});
  while (!stop_) {
    bool sent = false;
    try {
      sent = deliver_once(lane);
    } catch (const std::exception& e) {
      log::error("delivery", std::string("unexpected error: ") + e.what(), {{"destination", dest_.name}});
    }
    if (!sent) std::this_thread::sleep_for(std::chrono::milliseconds(std::max<int64_t>(dest_.linger_ms, 20)));
  }
  try {
    record_answers(lane);  // the last batch's answers, before the lane ends
  } catch (const std::exception& e) {
    log::error("delivery", std::string("unexpected error: ") + e.what(), {{"destination", dest_.name}});
  }
  log::info("delivery", "delivery stopped", {{"destination", dest_.name}});
}

}  // namespace cg::delivery
