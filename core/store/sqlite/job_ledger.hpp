// The jobs port on SQLite.
#pragma once

#include "store/job_ledger.hpp"
#include "store/sqlite/connection.hpp"

namespace cg::store::sqlite_store {

class SqliteJobLedger final : public JobLedger {
 public:
  explicit SqliteJobLedger(Connection& c) : c_(c) {}

  Status record_run(const JobRun& run) override;
  Result<std::vector<JobRun>> runs(const std::string& job, size_t limit) override;
  Result<bool> try_lock(const std::string& job, const std::string& owner, int64_t ttl_ms) override;
  Status unlock(const std::string& job, const std::string& owner) override;

 private:
  Connection& c_;
};

}  // namespace cg::store::sqlite_store
