#include "common/log.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>

#include "common/clock.hpp"
#include "common/mask.hpp"

namespace cg::log {

namespace {
std::atomic<int> g_level{static_cast<int>(Level::Info)};
std::mutex g_mu;
std::string g_node;
const char* name(Level l) {
  switch (l) {
    case Level::Debug: return "debug";
    case Level::Info: return "info";
    case Level::Warn: return "warn";
    case Level::Error: return "error";
  }
  return "info";
}
}  // namespace

void set_level(Level l) { g_level = static_cast<int>(l); }
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
  nlohmann::json j = {{"ts", now_rfc3339_cst()}, {"level", name(l)}, {"component", component}, {"msg", message}};
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
