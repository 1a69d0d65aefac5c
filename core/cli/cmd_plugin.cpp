// credit-gateway plugin info FILE...   what a plugin is, and its SHA-256 for the allowlist
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.hpp"
#include "common/hash.hpp"
#include "plugin_host/plugin_library.hpp"

namespace cg::cli {

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
    auto lib = plugin_host::PluginLibrary::load(file);
    if (!lib.ok()) {
      std::cerr << file << ": error: " << lib.error().message << "\n";
      ++bad;
      continue;
    }
    const auto& a = lib->adapter();
    nlohmann::json doc = nlohmann::json::parse(a.config_doc ? a.config_doc : "{}", nullptr, false);
    nlohmann::json out = {{"file", file}, {"sha256", sha}, {"abi", a.abi_version}, {"name", a.name},
                          {"version", a.version ? a.version : ""}, {"department", a.department},
                          {"description", a.description ? a.description : ""}, {"options", doc}};
    std::cout << out.dump(2) << "\n";
    std::cout << "allowlist line: " << sha << "  " << file.substr(file.find_last_of('/') + 1) << "\n";
  }
  return bad ? 1 : 0;
}

}  // namespace cg::cli
