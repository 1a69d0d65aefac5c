#include "plugin_host/plugin_options.hpp"

#include <credit_gateway/options.hpp>

namespace cg::plugin_host {

Status check_plugin_options(const nlohmann::json& config, const char* config_doc, const std::string& plugin,
                            const std::string& where) {
  auto options = sdk::Options::from_doc(config_doc);
  if (!options.ok())
    return make_error("plugin_config", "plugin " + plugin + " declares its options wrongly: " + options.error().message,
                      where);
  auto values = options->check(config);
  if (values.ok()) return {};
  const Error& e = values.error();
  return make_error(e.code, "plugin " + plugin + ": " + e.message, e.where.empty() ? where : where + "." + e.where);
}

std::string options_markdown(const char* config_doc) {
  const auto doc = nlohmann::ordered_json::parse(config_doc ? config_doc : "{}", nullptr, false);
  std::string out = "| option | type | default | meaning |\n|---|---|---|---|\n";
  if (!doc.is_object()) return out;
  for (const auto& [key, d] : doc.items()) {
    if (!d.is_object()) {
      out += "| `" + key + "` | | | " + (d.is_string() ? d.get<std::string>() : d.dump()) + " |\n";
      continue;
    }
    std::string type = d.value("type", "");
    const bool lo = d.contains("min"), hi = d.contains("max");
    if (lo && hi)
      type += ", " + d["min"].dump() + " to " + d["max"].dump();
    else if (lo)
      type += ", at least " + d["min"].dump();
    else if (hi)
      type += ", at most " + d["max"].dump();
    std::string fallback = "none";
    if (d.value("required", false))
      fallback = "required";
    else if (d.contains("default"))
      fallback = d["default"].is_string() && d["default"].get<std::string>().empty()
                     ? "none"
                     : "`" + (d["default"].is_string() ? d["default"].get<std::string>() : d["default"].dump()) + "`";
    else if (!d.value("default_from", "").empty())
      fallback = "`" + d.value("default_from", "") + "`";
    out += "| `" + key + "` | " + type + " | " + fallback + " | " + d.value("doc", "") + " |\n";
  }
  return out;
}

}  // namespace cg::plugin_host
