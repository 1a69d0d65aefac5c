// Logs as JSON lines on stderr: time, level, component, message and fields.
// Personal ID numbers are masked in every line, whatever the caller passed.
// A warning or error repeated with the same component, message and fields is
// written with backoff, with "repeated" and "repeated_over_s" (log_throttle.hpp).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace cg::log {

enum class Level { Debug = 0, Info = 1, Warn = 2, Error = 3 };

void set_level(Level l);
void set_node(const std::string& node_id);
Level level_from_string(const std::string& s);

void write(Level l, const std::string& component, const std::string& message,
           const nlohmann::json& fields = nlohmann::json::object());

inline void debug(const std::string& c, const std::string& m, const nlohmann::json& f = nlohmann::json::object()) {
  write(Level::Debug, c, m, f);
}
inline void info(const std::string& c, const std::string& m, const nlohmann::json& f = nlohmann::json::object()) {
  write(Level::Info, c, m, f);
}
inline void warn(const std::string& c, const std::string& m, const nlohmann::json& f = nlohmann::json::object()) {
  write(Level::Warn, c, m, f);
}
inline void error(const std::string& c, const std::string& m, const nlohmann::json& f = nlohmann::json::object()) {
  write(Level::Error, c, m, f);
}

}  // namespace cg::log
