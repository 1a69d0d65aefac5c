#include "store/store_writer.hpp"

#include "common/thread_name.hpp"

namespace cg::store {

namespace {

using nlohmann::json;

// The Store a user of the writer holds: each call is run by the writer. It
// keeps the writer alive; the writer's thread ends with its last handle.
class WriterHandle final : public Store {
 public:
  explicit WriterHandle(std::shared_ptr<StoreWriter> w) : w_(std::move(w)) {}

  Result<IngestResult> ingest(const IngestBatch& b) override {
    return w_->call([&](Store& s) { return s.ingest(b); });
  }
  Result<std::vector<IngestResult>> ingest_group(const std::vector<const IngestBatch*>& b) override {
    return w_->call([&](Store& s) { return s.ingest_group(b); });
  }
  Result<IngestResult> resolve_quarantine(int64_t id, const IngestBatch& b) override {
    return w_->call([&](Store& s) { return s.resolve_quarantine(id, b); });
  }
  Result<std::optional<StoredRecord>> get_record(const std::string& id) override {
    return w_->call([&](Store& s) { return s.get_record(id); });
  }
  Result<std::vector<Record>> record_history(const std::string& id) override {
    return w_->call([&](Store& s) { return s.record_history(id); });
  }
  Status for_each_record(const std::string& kind, const std::function<void(const StoredRecord&)>& fn) override {
    return w_->call([&](Store& s) { return s.for_each_record(kind, fn); });
  }
  Result<int64_t> count_records() override {
    return w_->call([&](Store& s) { return s.count_records(); });
  }
  Result<std::vector<QuarantineRow>> list_quarantine(const QuarantineFilter& f) override {
    return w_->call([&](Store& s) { return s.list_quarantine(f); });
  }
  Result<std::vector<AuditRow>> list_audit(const std::string& id, size_t limit) override {
    return w_->call([&](Store& s) { return s.list_audit(id, limit); });
  }
  void set_outbox_router(OutboxRouter r) override {
    w_->call([&](Store& s) { s.set_outbox_router(std::move(r)); });
  }
  Result<OutboxBatch> claim_batch(const std::string& dest, size_t max, const std::string& node_id, BusyBatches& busy,
                                  size_t max_in_flight) override {
    return w_->call([&](Store& s) { return s.claim_batch(dest, max, node_id, busy, max_in_flight); });
  }
  Status complete_batch(const std::string& dest, const OutboxBatch& b,
                        const std::vector<DeliveryOutcome>& outcomes) override {
    return w_->call([&](Store& s) { return s.complete_batch(dest, b, outcomes); });
  }
  CompletedAndClaimed complete_and_claim(const std::string& dest, const OutboxBatch& b,
                                         const std::vector<DeliveryOutcome>& outcomes, size_t max,
                                         const std::string& node_id, BusyBatches& busy, size_t max_in_flight) override {
    return w_->call(
        [&](Store& s) { return s.complete_and_claim(dest, b, outcomes, max, node_id, busy, max_in_flight); });
  }
  Status retry_batch(const std::string& dest, const std::string& id, int64_t delay_ms,
                     const std::string& error) override {
    return w_->call([&](Store& s) { return s.retry_batch(dest, id, delay_ms, error); });
  }
  Status release_batch(const std::string& dest, const std::string& id, const std::string& why) override {
    return w_->call([&](Store& s) { return s.release_batch(dest, id, why); });
  }
  Result<OutboxStats> outbox_stats(const std::string& dest) override {
    return w_->call([&](Store& s) { return s.outbox_stats(dest); });
  }
  Result<std::vector<DeadLetter>> list_dead_letters(const DeadLetterFilter& f) override {
    return w_->call([&](Store& s) { return s.list_dead_letters(f); });
  }
  Result<int64_t> replay_dead_letters(const DeadLetterFilter& f, const std::string& actor) override {
    return w_->call([&](Store& s) { return s.replay_dead_letters(f, actor); });
  }
  Status requeue(const std::string& dest, const std::string& id, const std::string& actor) override {
    return w_->call([&](Store& s) { return s.requeue(dest, id, actor); });
  }
  Result<ReconcileFigures> delivered_on(const std::string& dest, const std::string& date) override {
    return w_->call([&](Store& s) { return s.delivered_on(dest, date); });
  }
  Status record_job_run(const JobRun& run) override {
    return w_->call([&](Store& s) { return s.record_job_run(run); });
  }
  Result<std::vector<JobRun>> job_runs(const std::string& job, size_t limit) override {
    return w_->call([&](Store& s) { return s.job_runs(job, limit); });
  }
  Result<bool> try_lock_job(const std::string& job, const std::string& owner, int64_t ttl_ms) override {
    return w_->call([&](Store& s) { return s.try_lock_job(job, owner, ttl_ms); });
  }
  Status unlock_job(const std::string& job, const std::string& owner) override {
    return w_->call([&](Store& s) { return s.unlock_job(job, owner); });
  }
  Result<std::optional<std::string>> sync_cursor(const std::string& source) override {
    return w_->call([&](Store& s) { return s.sync_cursor(source); });
  }
  Result<json> apply_changes(const std::string& source, const json& changes, const std::string& next_cursor,
                             const std::string& actor) override {
    return w_->call([&](Store& s) { return s.apply_changes(source, changes, next_cursor, actor); });
  }
  Result<int64_t> expire_records(const std::string& today, const std::string& actor) override {
    return w_->call([&](Store& s) { return s.expire_records(today, actor); });
  }
  void set_feedback_router(FeedbackRouter r) override {
    w_->call([&](Store& s) { s.set_feedback_router(std::move(r)); });
  }
  Result<std::vector<FeedbackItem>> claim_feedback(const std::string& dept, size_t max, int64_t lease_ms) override {
    return w_->call([&](Store& s) { return s.claim_feedback(dept, max, lease_ms); });
  }
  Status complete_feedback(int64_t id, bool delivered, const std::string& error, int64_t retry_ms) override {
    return w_->call([&](Store& s) { return s.complete_feedback(id, delivered, error, retry_ms); });
  }
  Result<json> feedback_stats() override {
    return w_->call([&](Store& s) { return s.feedback_stats(); });
  }
  Status append_audit(const std::string& actor, const std::string& action, const json& detail) override {
    return w_->call([&](Store& s) { return s.append_audit(actor, action, detail); });
  }
  Status check_writable() override {
    return w_->call([&](Store& s) { return s.check_writable(); });
  }
  Result<json> quarantine_counts() override {
    return w_->call([&](Store& s) { return s.quarantine_counts(); });
  }
  Result<std::vector<StoredRecord>> records_of_subject(const std::string& uscc, const std::string& id_number) override {
    return w_->call([&](Store& s) { return s.records_of_subject(uscc, id_number); });
  }

 private:
  std::shared_ptr<StoreWriter> w_;
};

}  // namespace

std::shared_ptr<StoreWriter> StoreWriter::start(std::unique_ptr<Store> store) {
  return std::shared_ptr<StoreWriter>(new StoreWriter(std::move(store)));  // private constructor: no make_shared
}

StoreWriter::StoreWriter(std::unique_ptr<Store> store) : store_(std::move(store)) {
  thread_ = std::thread([this] {
    name_this_thread("cg-store-writer");
    loop();
  });
}

StoreWriter::~StoreWriter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

std::unique_ptr<Store> StoreWriter::handle() {
  return std::make_unique<WriterHandle>(shared_from_this());
}

void StoreWriter::post(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    jobs_.push_back(std::move(job));
  }
  cv_.notify_one();
}

void StoreWriter::loop() {
  while (true) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stopping with nothing left: no handle can post any more
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job();
  }
}

}  // namespace cg::store
