// The execution feedback port on SQLite: reports in execution_feedback, their
// relay to each platform in feedback_relay (a batch is the rows that carry
// its batch_id).
#pragma once

#include "store/feedback_reports.hpp"
#include "store/sqlite/audit_log.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/statistics.hpp"

namespace cg::store::sqlite_store {

class SqliteFeedbackReports final : public FeedbackReports {
 public:
  SqliteFeedbackReports(Connection& c, SqliteAuditLog& audit, SqliteStatistics& statistics)
      : c_(c), audit_(audit), statistics_(statistics) {}

  Result<ReportOutcome> add(const FeedbackReport& report, const std::vector<std::string>& destinations) override;
  Result<std::vector<StoredReport>> list(const ReportFilter& filter) override;
  Result<RelayStats> relay_stats(const std::string& destination) override;

  Result<OutboxBatch> claim_batch(const std::string& destination, size_t max, BusyBatches& busy,
                                  size_t max_in_flight) override;
  using BatchQueue::claim_batch;
  Status complete_batch(const std::string& destination, const OutboxBatch& batch,
                        const std::vector<DeliveryOutcome>& outcomes) override;
  Status retry_batch(const std::string& destination, const std::string& batch_id, int64_t delay_ms,
                     const std::string& error) override;
  Status release_batch(const std::string& destination, const std::string& batch_id) override;

 private:
  Connection& c_;
  SqliteAuditLog& audit_;
  SqliteStatistics& statistics_;
};

}  // namespace cg::store::sqlite_store
