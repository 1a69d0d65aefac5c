// credit-gateway store init | check
#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/config_file.hpp"
#include "config/config.hpp"
#include "gateway/wiring.hpp"
#include "store/store.hpp"

namespace cg::cli {

namespace {

constexpr const char* kMaintenanceUsage =
    "usage: credit-gateway store init --config FILE   make a new, empty store at store.path (or in a 0-byte file)\n"
    "       credit-gateway store check --config FILE  PRAGMA integrity_check of the store; exit 1 if it is corrupt\n";

int store_init(const config::Config& cfg) {
  store::StoreOptions opts;
  opts.init_empty_file = true;
  auto st = gateway::open_configured_store(cfg, opts);
  if (!st.ok()) {
    std::cerr << st.error().to_string() << "\n";
    return 1;
  }
  std::cout << "store init: " << cfg.store.path << " is ready\n";
  return 0;
}

int store_check(const config::Config& cfg) {
  std::vector<std::string> problems;
  auto s = store::check_sqlite_store(cfg.store.path, problems);
  for (const auto& p : problems) std::cout << p << "\n";
  if (!s) {
    std::cerr << s.error().to_string() << "\n";
    return 1;
  }
  std::cout << "store check: " << cfg.store.path << " ok\n";
  return 0;
}

}  // namespace

int cmd_store(const Argv& argv) {
  if (argv.empty() || (argv[0] != "init" && argv[0] != "check")) {
    std::cerr << kMaintenanceUsage;
    return argv.size() == 1 && (argv[0] == "--help" || argv[0] == "-h") ? 0 : 2;
  }
  auto args = Args::parse(Argv(argv.begin() + 1, argv.end()), {"config"}, {});
  if (!args.ok() || !args->get("config")) {
    std::cerr << (args.ok() ? "" : args.error().message + "\n") << kMaintenanceUsage;
    return 2;
  }
  auto cfg = load_config_reporting(*args->get("config"));
  if (!cfg) return 2;
  return argv[0] == "init" ? store_init(*cfg) : store_check(*cfg);
}

}  // namespace cg::cli
