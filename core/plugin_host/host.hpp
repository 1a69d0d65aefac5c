// The plugin-host process: runs one adapter plugin, isolated from the
// gateway, and moves its units to the core router over ZeroMQ.
#pragma once

#include <cstdint>
#include <string>

namespace cg::plugin_host {

struct HostOptions {
  std::string plugin_path;  // the verified copy to load
  std::string plugin_file;  // the name in the plugin folder, for messages
  std::string sha256;
  std::string endpoint;       // the core router
  std::string adapters_file;  // JSON: plugin name -> config
  std::string state_root;     // <data_dir>/state; the adapter gets <state_root>/<name>
  int64_t max_inflight = 4;
  int64_t heartbeat_ms = 1000;
};

// Returns the process exit code (router/message.hpp).
int run_host(const HostOptions& opts);

}  // namespace cg::plugin_host
