// Runs the jobs declared in config (jobs.<name>.cron, CST): never two runs of
// one job at once (a store lock, across processes), a run missed while the
// gateway was down runs once at start, and every run's start, end, counts and
// errors are recorded.
#pragma once

#include <atomic>
#include <credit_gateway/support/cron.hpp>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "store/store_access.hpp"

namespace cg::scheduler {

// A job reaches the store through calls of its own (a sync job waits for the
// platform between them, holding no transaction).
using JobFn = std::function<Result<nlohmann::json>(store::StoreAccess& store)>;
using StoreFactory = std::function<Result<std::unique_ptr<store::StoreAccess>>()>;

// Runs a job once, now, under its lock; records the run. Returns the run, or
// an error when another run holds the lock.
Result<store::JobRun> run_job_now(const std::string& name, const JobFn& fn, store::StoreAccess& store,
                                  const std::string& owner);

class Scheduler {
 public:
  Scheduler(StoreFactory open_store, std::string owner);
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  void add(const std::string& name, sdk::Cron cron, JobFn fn);
  void start();  // catches up missed runs, then follows the schedules
  void stop();   // waits for runs under way
  // Starts a run now unless one is under way; false then.
  // Starts a job now, whatever its cron ("off" too): unknown_job or job_running when it cannot.
  Status trigger(const std::string& name);
  [[nodiscard]] nlohmann::json status() const;

 private:
  struct Job {
    std::string name;
    sdk::Cron cron;
    JobFn fn;
    std::chrono::system_clock::time_point next{};
    std::atomic<bool> running{false};
    std::thread thread;
    std::string last_status, last_started_at, last_finished_at, last_error;
    nlohmann::json last_counts;
  };
  void launch(Job& job, const char* why);
  void loop();

  StoreFactory open_store_;
  std::string owner_;
  std::map<std::string, std::unique_ptr<Job>> jobs_;
  mutable std::mutex mu_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
};

}  // namespace cg::scheduler
