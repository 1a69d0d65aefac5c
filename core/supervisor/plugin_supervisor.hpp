// Watches the plugin folder and keeps one plugin-host child process per
// allowed plugin: starts new ones, swaps replaced ones after the old one
// drains, stops removed ones, restarts crashed or hung ones with backoff.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "config/config.hpp"
#include "router/message.hpp"

namespace cg::supervisor {

using Clock = std::chrono::steady_clock;

struct PluginInstance {
  enum class State { Starting, Running, Draining, Backoff, Failed, Refused, Stopped };
  std::string file;       // name in the plugin folder
  std::string sha256;     // of the running copy
  std::string copy_path;  // the verified copy the host loads
  pid_t pid = 0;
  State state = State::Starting;
  std::string plugin, version, department;  // from HELLO
  bool feedback = false;                    // the plugin takes feedback
  Clock::time_point started{}, last_beat{}, next_start{};
  int64_t backoff_ms = 0;
  int64_t restarts = 0;
  std::string pending_sha;  // a replacement waiting for this one to drain
  bool remove_when_stopped = false;
  std::string last_error;
  // Counters, for status and metrics.
  int64_t units = 0, records = 0, quarantined = 0, failures = 0;
  std::string last_input_at;
};

const char* state_name(PluginInstance::State s);

class PluginSupervisor {
 public:
  using Sender = std::function<void(const std::string& identity, const router::FromCore& message)>;
  PluginSupervisor(const config::Config& cfg, std::string self_exe, Sender send);
  ~PluginSupervisor();
  PluginSupervisor(const PluginSupervisor&) = delete;
  PluginSupervisor& operator=(const PluginSupervisor&) = delete;

  // Scans the folder (at its interval), reaps children, restarts what is due.
  void tick();
  // Messages from hosts, by the identity "h<pid>".
  void on_hello(const std::string& identity, const router::Hello& m);
  void on_beat(const std::string& identity);
  void on_fatal(const std::string& identity, const router::Fatal& m);
  void on_unit_done(const std::string& identity, int status, size_t records, size_t quarantined);
  // The instance behind an identity, or nullptr.
  PluginInstance* by_identity(const std::string& identity);

  // Asks every host to drain; true when all have exited (or the deadline passed and they were killed).
  bool drain_all(std::chrono::milliseconds deadline);
  // A reloaded config: the allowlist and plugin settings apply from the next
  // scan; a plugin whose adapter config changed drains and restarts with it.
  void update_config(const config::Config& cfg);

  [[nodiscard]] nlohmann::json status() const;
  // Running instances, for the feedback dispatcher: identity -> instance.
  std::vector<std::pair<std::string, const PluginInstance*>> running() const;

 private:
  void scan();
  void reap();
  void start(PluginInstance& inst);
  void stop(PluginInstance& inst);  // DRAIN
  void crashed(PluginInstance& inst, const std::string& why);
  bool allowed(const std::string& sha);

  config::Config cfg_;
  std::string exe_;
  Sender send_;
  std::map<std::string, PluginInstance> instances_;  // by file name
  struct Seen {
    uintmax_t size = 0;
    int64_t mtime = 0;
    bool stable = false;
    std::string sha;
  };
  std::map<std::string, Seen> seen_;
  std::map<std::string, std::string> refused_logged_;  // file -> sha already reported
  Clock::time_point next_scan_{};
  bool scanned_once_ = false;
  bool shutting_down_ = false;
};

}  // namespace cg::supervisor
