#include "plugin_host/plugin_options.hpp"

#include <vector>

#include "common/json_check.hpp"

namespace cg::plugin_host {

Status check_plugin_options(const nlohmann::json& config, const char* config_doc, const std::string& plugin) {
  const auto doc = nlohmann::json::parse(config_doc ? config_doc : "{}", nullptr, false);
  if (!doc.is_object() || doc.empty() || !config.is_object()) return {};
  std::vector<std::string> declared;
  for (const auto& [key, _] : doc.items()) declared.push_back(key);
  for (const auto& [key, _] : config.items()) {
    if (doc.contains(key)) continue;
    std::string msg = "unknown option '" + key + "' for plugin " + plugin;
    if (const std::string near = nearest_key(key, declared); !near.empty()) {
      msg += "; did you mean '" + near + "'?";
    } else {
      msg += "; its options are:";
      for (const auto& d : declared) msg += " " + d;
    }
    return make_error("plugin_config", msg, "adapters." + plugin + "." + key);
  }
  return {};
}

}  // namespace cg::plugin_host
