#include "common/log.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>

#include "common/clock.hpp"
#include "common/log_throttle.hpp"
#include "common/mask.hpp"

namespace cg::log {

namespace {
std::atomic<int> g_level{static_cast<int>(Level::Info)};
std::mutex g_mu;
std::string g_node;
RepeatThrottle g_throttle;  // warnings and errors; under g_mu
const char* name(Level l) {
  switch (l) {
    case Level::Debug:
      return "debug";
    case Level::Info:
      return "info";
    case Level::Warn:
      return "warn";
    case Level::Error:
      return "error";
  }
  return "info";
}
}  // namespace

void set_level(Level l) {
  g_level = static_cast<int>(l);
}
void set_node(const std::string& node_id) {
  std::lock_guard<std::mutex> lock(g_mu);
  g_node = node_id;
}

Level level_from_string(const std::string& s) {
  if (s == "debug") return Level::Debug;
  if (s == "warn") return Level::Warn;
  if (s == "error") return Level::Error;
  return Level::Info;
}

void write(Level l, const std::string& component, const std::string& message, const nlohmann::json& fields) {
  if (static_cast<int>(l) < g_level) return;
  RepeatThrottle::Decision repeat;
  if (l >= Level::Warn) {
    std::lock_guard<std::mutex> lock(g_mu);
    // Identical: the same component, message and fields (another file's refusal is news).
    repeat = g_throttle.admit(
        component + '\x1f' + message + '\x1f' + fields.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
        RepeatThrottle::Clock::now());
    if (!repeat.write) return;
  }
  nlohmann::json j = {{"ts", now_rfc3339_cst()}, {"level", name(l)}, {"component", component}, {"msg", message}};
  if (repeat.repeated > 0) {  // "… 1650 more times in the last 60 s"
    j["repeated"] = repeat.repeated;
    j["repeated_over_s"] = repeat.over_seconds;
  }
  {
    std::lock_guard<std::mutex> lock(g_mu);
    if (!g_node.empty()) j["node"] = g_node;
  }
  if (fields.is_object())
    for (const auto& [k, v] : fields.items()) j[k] = v;
  j["pid"] = getpid();
  std::string line = mask_ids_in_text(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)) + "\n";
  std::lock_guard<std::mutex> lock(g_mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace cg::log
