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
  static void install_signal_handlers();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::atomic<bool> stop_{false};
};

}  // namespace cg::gateway
