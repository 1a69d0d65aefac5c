// The running gateway: the store, the mappings, the ZeroMQ router that plugin
// hosts talk to, and the supervisor of those hosts.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "config/config.hpp"
#include "ingest/ingestor.hpp"
#include "ingest/mapping_registry.hpp"
#include "store/store.hpp"

namespace cg::gateway {

class Gateway {
 public:
  explicit Gateway(config::Config cfg);
  ~Gateway();
  Gateway(const Gateway&) = delete;
  Gateway& operator=(const Gateway&) = delete;

  // Opens the store, loads mappings, binds the router. Errors name what failed.
  Status start();
  // Runs until stop() (or SIGTERM/SIGINT when install_signal_handlers was called).
  int run();
  void stop() { stop_ = true; }
  // Asks the running gateway to reload its config file (also on SIGHUP).
  void request_reload() { reload_ = true; }
  static void install_signal_handlers();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> reload_{false};
};

}  // namespace cg::gateway
