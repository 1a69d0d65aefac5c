// The jobs port: the history of scheduled jobs' runs, and a lock so that no
// two runs of a job overlap, whichever process started them.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace cg::store {

struct JobRun {
  std::string job;
  std::string started_at, finished_at;
  int64_t started_ms = 0;
  std::string status;  // ok | error
  nlohmann::json counts = nlohmann::json::object();
  std::string error;
};

class JobLedger {
 public:
  virtual ~JobLedger() = default;

  virtual Status record_run(const JobRun& run) = 0;
  // The latest `limit` runs of a job, newest first.
  virtual Result<std::vector<JobRun>> runs(const std::string& job, size_t limit) = 0;
  // True when `owner` holds the job's lock until ttl_ms from now (taken, or
  // held already, or the other owner's ran out).
  virtual Result<bool> try_lock(const std::string& job, const std::string& owner, int64_t ttl_ms) = 0;
  virtual Status unlock(const std::string& job, const std::string& owner) = 0;
};

}  // namespace cg::store
