// The records port on SQLite: a records row per record (its current version,
// status, subject and content digest) and a record_versions row per version.
#pragma once

#include "store/records.hpp"
#include "store/sqlite/audit_log.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/feedback.hpp"
#include "store/sqlite/outbox.hpp"
#include "store/sqlite/publicity.hpp"
#include "store/sqlite/quarantine.hpp"
#include "store/sqlite/statistics.hpp"

namespace cg::store::sqlite_store {

class SqliteRecords final : public Records {
 public:
  SqliteRecords(Connection& c, SqliteAuditLog& audit, SqliteOutbox& outbox, SqliteFeedback& feedback,
                SqliteQuarantine& quarantine, SqlitePublicity& publicity, SqliteStatistics& statistics)
      : c_(c),
        audit_(audit),
        outbox_(outbox),
        feedback_(feedback),
        quarantine_(quarantine),
        publicity_(publicity),
        statistics_(statistics) {}
  Status prepare();

  Result<IngestResult> ingest(const IngestBatch& batch) override;
  Result<std::vector<IngestResult>> ingest_group(const std::vector<const IngestBatch*>& batches) override;
  Status write_version(const Record& r, const VersionWrite& w) override;
  Result<std::optional<StoredRecord>> get(const std::string& record_id) override;
  Result<std::vector<Record>> history(const std::string& record_id) override;
  Status for_each(const std::string& kind, const std::function<void(const StoredRecord&)>& fn) override;
  Result<int64_t> count() override;
  Result<std::vector<StoredRecord>> of_subject(const std::string& uscc, const std::string& id_number,
                                               int64_t limit) override;
  Result<std::vector<StoredRecord>> in_force(const InForceQuery& q) override;
  Result<std::vector<StoredRecord>> active_ending_before(const std::string& today) override;

 private:
  // Who wrote a version, from where; the feedback event (null: a feed's).
  struct Writer {
    const std::string& actor;
    const std::string& source;
    const std::string& origin;
    int64_t arrived_ms = 0;
  };
  Status apply(const IngestBatch& batch, IngestResult& result);
  Status insert_record(const Record& r, const std::string& digest, const std::string& origin, const std::string& now,
                       int64_t& rid);
  Status write(const Record& r, const std::string& digest, const Writer& by, const std::string& now, bool created,
               const std::string& cause = "", const nlohmann::json& event = nlohmann::json(), int64_t new_rid = 0,
               const std::string* made_body = nullptr);

  Connection& c_;
  SqliteAuditLog& audit_;
  SqliteOutbox& outbox_;
  SqliteFeedback& feedback_;
  SqliteQuarantine& quarantine_;
  SqlitePublicity& publicity_;
  SqliteStatistics& statistics_;
  sqlite::Stmt select_record_, insert_record_, update_record_, insert_version_;
};

}  // namespace cg::store::sqlite_store
