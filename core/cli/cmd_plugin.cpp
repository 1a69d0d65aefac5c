// credit-gateway plugin info FILE...   what a plugin is, and its SHA-256 for the allowlist
#include <boost/dll/shared_library.hpp>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "cli/commands.hpp"
#include "common/hash.hpp"
#include "credit_gateway/connector.h"
#include "plugin_host/plugin_library.hpp"

namespace cg::cli {

namespace {

// A platform connector's descriptor, if `file` is one (it has no adapter).
std::optional<nlohmann::json> connector_info(const std::string& file) {
  boost::dll::shared_library lib;
  boost::dll::fs::error_code ec;
  lib.load(file, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
  if (ec || !lib.has("cg_plugin_connector_v1") || !lib.has("cg_plugin_abi_version")) return std::nullopt;
  const cg_connector_v1* c = lib.get<const cg_connector_v1*()>("cg_plugin_connector_v1")();
  if (!c) return std::nullopt;
  const uint32_t abi = lib.get<uint32_t()>("cg_plugin_abi_version")();
  return nlohmann::json{{"kind", "connector"},
                        {"abi", abi},
                        {"name", c->name ? c->name : ""},
                        {"version", c->version ? c->version : ""},
                        {"description", c->description ? c->description : ""},
                        {"options", nlohmann::json::parse(c->config_doc ? c->config_doc : "{}", nullptr, false)}};
}

}  // namespace

int cmd_plugin(const Argv& argv) {
  if (argv.size() < 2 || argv[0] != "info") {
    std::cerr << "usage: credit-gateway plugin info FILE...\n";
    return 2;
  }
  int bad = 0;
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& file = argv[i];
    std::ifstream in(file, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string sha = sha256_hex(ss.str());
    if (auto connector = connector_info(file)) {
      nlohmann::json out = {{"file", file}, {"sha256", sha}};
      out.update(*connector);
      std::cout << out.dump(2) << "\n";
      std::cout << "allowlist line: " << sha << "  " << file.substr(file.find_last_of('/') + 1) << "\n";
      continue;
    }
    auto lib = plugin_host::PluginLibrary::load(file);
    if (!lib.ok()) {
      std::cerr << file << ": error: " << lib.error().message << "\n";
      ++bad;
      continue;
    }
    const auto& a = lib->adapter();
    nlohmann::json doc = nlohmann::json::parse(a.config_doc ? a.config_doc : "{}", nullptr, false);
    nlohmann::json out = {{"file", file},
                          {"sha256", sha},
                          {"kind", "adapter"},
                          {"abi", a.abi_version},
                          {"name", a.name},
                          {"version", a.version ? a.version : ""},
                          {"department", a.department},
                          {"description", a.description ? a.description : ""},
                          {"options", doc}};
    std::cout << out.dump(2) << "\n";
    std::cout << "allowlist line: " << sha << "  " << file.substr(file.find_last_of('/') + 1) << "\n";
  }
  return bad ? 1 : 0;
}

}  // namespace cg::cli
