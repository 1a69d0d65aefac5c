// The outbox port on SQLite. Records writes a version's entries through
// enqueue(), in the version's transaction, right after its audit entry: an
// entry's id is that entry's id (past the ids of a store upgraded from
// schema 4), so that entries are in the order of the changes they carry.
#pragma once

#include "store/outbox.hpp"
#include "store/sqlite/audit_log.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/publicity.hpp"
#include "store/sqlite/statistics.hpp"

namespace cg::store::sqlite_store {

class SqliteOutbox final : public Outbox {
 public:
  SqliteOutbox(Connection& c, SqliteAuditLog& audit, SqlitePublicity& publicity, SqliteStatistics& statistics)
      : c_(c), audit_(audit), publicity_(publicity), statistics_(statistics) {}
  Status prepare();

  void set_router(OutboxRouter router) override { router_ = std::move(router); }
  Result<OutboxBatch> claim_batch(const std::string& dest, size_t max, BusyBatches& busy,
                                  size_t max_in_flight) override;
  using Outbox::claim_batch;
  Status complete_batch(const std::string& dest, const OutboxBatch& batch,
                        const std::vector<DeliveryOutcome>& outcomes) override;
  Status retry_batch(const std::string& dest, const std::string& batch_id, int64_t delay_ms,
                     const std::string& error) override;
  Status release_batch(const std::string& dest, const std::string& batch_id) override;
  Result<OutboxStats> stats(const std::string& dest) override;
  Result<std::vector<DeadLetter>> dead_letters(const DeadLetterFilter& f) override;
  Result<int64_t> replay_dead_letters(const DeadLetterFilter& f, const std::string& actor) override;
  Status requeue(const std::string& dest, const std::string& record_id, const std::string& actor) override;
  Result<ReconcileFigures> delivered_on(const std::string& dest, const std::string& date) override;

  // The entries of a version just written (row `rid`), for every destination
  // the router names.
  Status enqueue(const Record& r, int64_t rid, const std::string& origin, int64_t arrived_ms);

 private:
  [[nodiscard]] int64_t next_id() const { return audit_.last_id() + id_offset_; }
  Status finish_delivered(const std::string& dest, const OutboxBatch& batch, const std::string& now);
  Status finish_each(const std::string& dest, const OutboxBatch& batch, const std::vector<DeliveryOutcome>& outcomes,
                     const std::string& now, const std::string& today);
  Status queue_again(const std::string& dest, const std::string& record_id, int64_t version);

  Connection& c_;
  SqliteAuditLog& audit_;
  SqlitePublicity& publicity_;
  SqliteStatistics& statistics_;
  OutboxRouter router_;
  sqlite::Stmt insert_, insert2_, requeue_;
  int64_t id_offset_ = 0;  // meta's outbox_id_offset (a store upgraded from schema 4)
};

}  // namespace cg::store::sqlite_store
