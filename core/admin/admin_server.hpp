// The admin HTTP API, the dashboard, /metrics and health, on their own thread.
// Every /api request carries a bearer token from the tokens file; roles are
// viewer (read, personal ID numbers masked) and operator (also replays and
// job runs, each audited with the caller's name).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "config/config.hpp"
#include "delivery/delivery_worker.hpp"
#include "scheduler/scheduler.hpp"
#include "store/store.hpp"

namespace cg::admin {

struct Sources {
  std::function<nlohmann::json()> plugins;  // snapshot of the supervisor's status
  std::vector<delivery::DeliveryWorker*> workers;
  scheduler::Scheduler* scheduler = nullptr;
  std::function<bool()> started;  // the gateway is up
  // Checks the config file as a reload would and, when it has no problem,
  // asks the gateway to reload it: the problems (a JSON array), empty when
  // the reload was asked for.
  std::function<nlohmann::json()> reload;
  // The admin API's own store connection (its operator actions commit on it).
  std::function<Result<std::unique_ptr<store::Store>>()> open_store;
};

class AdminServer {
 public:
  AdminServer(config::Config cfg, Sources sources);
  ~AdminServer();
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  Status start();  // binds, then serves on a thread
  void stop();
  [[nodiscard]] uint16_t port() const { return port_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  uint16_t port_ = 0;
};

}  // namespace cg::admin
