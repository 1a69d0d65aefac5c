// credit-gateway: the one executable of the Credit Gateway.
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/help.hpp"

namespace {

void usage() {
  std::cerr << R"(usage: credit-gateway <command> [options]

Mappings (for IT admins):
  map --mapping FILE [--quarantine QFILE] INPUT...   map feeds to canonical records (JSON Lines)
  mapping lint FILE...                               check mapping files
  mapping test [--update] [DIR]                      run the golden cases beside each mapping

Running the gateway (for operators):
  run --config FILE                                  start the gateway
  check-config --config FILE                         report every problem in a config
  export --config FILE [--kind K]                    stored records as JSON Lines
  quarantine list|replay --config FILE [filters]     see and replay quarantined input
  send --endpoint ENDPOINT [--in-flight N] FILE...   push files to a ZeroMQ ingest endpoint
  plugin info [--markdown] FILE...                   a plugin's name, version, ABI, options, SHA-256
  catalog lint FILE | show --config FILE             check a catalog (目录清单); show the loaded one
  deadletter list|show|replay --config FILE [filters] records a platform rejected
  reconcile --config FILE [--date D] [--requeue]     compare delivered figures with the platforms
  sync --now --config FILE                           pull the provincial platform's changes now
  check --config FILE --scenario S --uscc CODE       a credit check (信用核查) of a subject or a list
  objection raise|list --config FILE [options]       object to a record (异议), see those raised
  report shuanggongshi|statistics --config FILE ...  双公示 timeliness; monitoring statistics (CSV)
  job run NAME --config FILE                         run a scheduled job now (configuration.md, jobs)
  store init|check --config FILE                     make a new store; check a store's integrity

  version                                            print the version
Run 'credit-gateway <command> --help' for a command's options; docs/ has the guides.
)";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    usage();
    return args.empty() ? 2 : 0;
  }
  std::string cmd = args[0];
  cg::cli::Argv rest(args.begin() + 1, args.end());
  for (const auto& a : rest)
    if (a == "--help" || a == "-h") {
      if (auto help = cg::cli::command_help(cmd)) {
        std::cout << *help;
        return 0;
      }
    }
  try {
    if (cmd == "map") return cg::cli::cmd_map(rest);
    if (cmd == "mapping") return cg::cli::cmd_mapping(rest);
    if (cmd == "run") return cg::cli::cmd_run(rest);
    if (cmd == "check-config") return cg::cli::cmd_check_config(rest);
    if (cmd == "plugin-host") return cg::cli::cmd_plugin_host(rest);
    if (cmd == "export") return cg::cli::cmd_export(rest);
    if (cmd == "quarantine") return cg::cli::cmd_quarantine(rest);
    if (cmd == "send") return cg::cli::cmd_send(rest);
    if (cmd == "plugin") return cg::cli::cmd_plugin(rest);
    if (cmd == "deadletter") return cg::cli::cmd_deadletter(rest);
    if (cmd == "reconcile") return cg::cli::cmd_reconcile(rest);
    if (cmd == "sync") return cg::cli::cmd_sync(rest);
    if (cmd == "job") return cg::cli::cmd_jobs(rest);
    if (cmd == "store") return cg::cli::cmd_store(rest);
    if (cmd == "catalog") return cg::cli::cmd_catalog(rest);
    if (cmd == "check") return cg::cli::cmd_check(rest);
    if (cmd == "objection") return cg::cli::cmd_objection(rest);
    if (cmd == "report") return cg::cli::cmd_report(rest);
    if (cmd == "version" || cmd == "--version") {
      std::cout << "credit-gateway " << CG_VERSION << "\n";
      return 0;
    }
  } catch (const std::exception& e) {
    std::cerr << "credit-gateway " << cmd << ": error: " << e.what() << "\n";
    return 1;
  }
  std::cerr << "unknown command '" << cmd << "'\n";
  usage();
  return 2;
}
