// credit-gateway run | check-config | plugin-host
#include <filesystem>
#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "common/allocator_tuning.hpp"
#include "common/log.hpp"
#include "common/thread_name.hpp"
#include "config/config.hpp"
#include "config/config_map.hpp"
#include "gateway/config_check.hpp"
#include "gateway/gateway.hpp"
#include "plugin_host/host.hpp"

namespace cg::cli {

int cmd_run(const Argv& argv) {
  auto args = Args::parse(argv, {"config"}, {});
  if (!args.ok() || !args->get("config")) {
    std::cerr << (args.ok() ? "" : args.error().message + "\n") << "usage: credit-gateway run --config FILE\n";
    return 2;
  }
  // The same validation as check-config and every reload: what one accepts, all accept.
  auto checked = gateway::check_config(*args->get("config"));
  for (const auto& line : gateway::describe(checked.problems)) std::cerr << "error: " << line << "\n";
  if (!checked.config) {
    std::cerr << "credit-gateway run: the config has " << checked.problems.size()
              << " problem(s); not started (credit-gateway check-config lists them too)\n";
    return 2;
  }
  auto& cfg = checked.config;
  tune_allocator_for_gateway();
  gateway::Gateway gw(*cfg);
  gateway::Gateway::install_signal_handlers();
  if (auto s = gw.start(); !s) {
    log::error("gateway", "cannot start: " + s.error().to_string());
    return 1;
  }
  return gw.run();
}

int cmd_check_config(const Argv& argv) {
  auto args = Args::parse(argv, {"config"}, {"options"});
  if (args.ok() && args->flag("options")) {
    for (const auto& section : config::describe_config_maps())
      for (auto option : section["options"]) {
        option["section"] = section["section"];
        std::cout << option.dump() << "\n";
      }
    return 0;
  }
  if (!args.ok() || !args->get("config")) {
    std::cerr << "usage: credit-gateway check-config --config FILE | --options\n";
    return 2;
  }
  const std::string file = *args->get("config");
  auto checked = gateway::check_config(file);
  for (const auto& line : gateway::describe(checked.problems)) std::cerr << "error: " << line << "\n";
  for (const auto& line : gateway::describe(checked.warnings)) std::cerr << "warning: " << line << "\n";
  if (!checked.config) {
    std::cerr << file << ": " << checked.problems.size()
              << " problem(s); the gateway would not start or reload with it\n";
    return 1;
  }
  std::cout << file << ": ok (" << checked.mappings << " mappings, " << checked.config->adapters.size()
            << " adapter configs, " << checked.config->destinations.size() << " destinations)\n";
  return 0;
}

int cmd_plugin_host(const Argv& argv) {
  auto args = Args::parse(
      argv,
      {"plugin", "file", "sha256", "endpoint", "adapters", "state-root", "max-inflight", "heartbeat-ms", "log-level"},
      {});
  if (!args.ok() || !args->get("plugin") || !args->get("endpoint")) {
    std::cerr << "plugin-host is started by the gateway\n";
    return 2;
  }
  log::set_level(log::level_from_string(args->get_or("log-level", "info")));
  {  // "cgh-court" for libcg_adapter_court.so: ps, top and perf tell the hosts apart
    std::string stem = std::filesystem::path(args->get_or("file", *args->get("plugin"))).stem().string();
    for (const char* prefix : {"libcg_adapter_", "libcg_", "lib"})
      if (stem.rfind(prefix, 0) == 0) {
        stem = stem.substr(std::string(prefix).size());
        break;
      }
    name_this_thread("cgh-" + stem);
  }
  plugin_host::HostOptions o;
  o.plugin_path = *args->get("plugin");
  o.plugin_file = args->get_or("file", o.plugin_path);
  o.sha256 = args->get_or("sha256", "");
  o.endpoint = *args->get("endpoint");
  o.adapters_file = args->get_or("adapters", "");
  o.state_root = args->get_or("state-root", "var/data/state");
  o.max_inflight = std::stoll(args->get_or("max-inflight", "4"));
  o.heartbeat_ms = std::stoll(args->get_or("heartbeat-ms", "1000"));
  return plugin_host::run_host(o);
}

}  // namespace cg::cli
