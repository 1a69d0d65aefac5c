// credit-gateway plugin info FILE...              what a plugin is, and its SHA-256 for the allowlist
// credit-gateway plugin info --markdown FILE...   its options as docs/configuration.md shows them
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "plugin_host/plugin_library.hpp"
#include "plugin_host/plugin_options.hpp"

namespace cg::cli {

namespace {

nlohmann::json options_of(const char* config_doc) {
  return nlohmann::json::parse(config_doc ? config_doc : "{}", nullptr, false);
}

// What `plugin info` says of a plugin: its kind and descriptor.
nlohmann::json describe(const plugin_host::PluginLibrary& lib) {
  if (lib.kind() == plugin_host::PluginLibrary::Kind::Connector) {
    const auto& c = lib.connector();
    return {{"kind", "connector"},
            {"abi", c.abi_version},
            {"name", c.name},
            {"version", c.version ? c.version : ""},
            {"description", c.description ? c.description : ""},
            {"options", options_of(c.config_doc)}};
  }
  const auto& a = lib.adapter();
  return {{"kind", "adapter"},
          {"abi", a.abi_version},
          {"name", a.name},
          {"version", a.version ? a.version : ""},
          {"department", a.department},
          {"description", a.description ? a.description : ""},
          {"feedback", a.feedback != nullptr},
          {"options", options_of(a.config_doc)}};
}

}  // namespace

int cmd_plugin(const Argv& argv) {
  const bool markdown = argv.size() >= 2 && argv[1] == "--markdown";
  const size_t first = markdown ? 2 : 1;
  if (argv.size() <= first || argv[0] != "info") {
    std::cerr << "usage: credit-gateway plugin info [--markdown] FILE...\n";
    return 2;
  }
  int bad = 0;
  for (size_t i = first; i < argv.size(); ++i) {
    const std::string& file = argv[i];
    auto sha = plugin_host::file_sha256(file);
    auto lib = sha.ok() ? plugin_host::PluginLibrary::load(file) : Result<plugin_host::PluginLibrary>(sha.error());
    if (!lib.ok()) {
      std::cerr << file << ": error: " << lib.error().message << "\n";
      ++bad;
      continue;
    }
    if (markdown) {
      const bool adapter = lib->kind() == plugin_host::PluginLibrary::Kind::Adapter;
      const std::string name = adapter ? lib->adapter().name : lib->connector().name;
      std::cout << "### `" << name << "`" << (adapter ? std::string(" (") + lib->adapter().department + ")" : "")
                << "\n\n"
                << plugin_host::options_markdown(adapter ? lib->adapter().config_doc : lib->connector().config_doc)
                << "\n";
      continue;
    }
    nlohmann::json out = {{"file", file}, {"sha256", *sha}};
    out.update(describe(*lib));
    std::cout << out.dump(2) << "\n";
    std::cout << "allowlist line: " << *sha << "  " << file.substr(file.find_last_of('/') + 1) << "\n";
  }
  return bad ? 1 : 0;
}

}  // namespace cg::cli
