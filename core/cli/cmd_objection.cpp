// credit-gateway objection raise|list: an operator objects to a record
// (platform-api.md §8); the sync job sends it to the provincial platform.
#include <chrono>
#include <cstdlib>
#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/config_file.hpp"
#include "common/clock.hpp"
#include "common/mask.hpp"
#include "objections/raise.hpp"

namespace cg::cli {

using nlohmann::json;

namespace {

constexpr const char* kObjectionUsage =
    "usage: credit-gateway objection raise --config FILE --record ID --reason TEXT [--version N] [--operator NAME]\n"
    "       credit-gateway objection list --config FILE [--record ID] [--state pending|opened|refused]\n";

}  // namespace

int cmd_objection(const Argv& argv) {
  if (argv.empty() || (argv[0] != "raise" && argv[0] != "list")) {
    std::cerr << kObjectionUsage;
    return 2;
  }
  Argv rest(argv.begin() + 1, argv.end());
  auto args = Args::parse(rest, {"config", "record", "reason", "version", "operator", "state", "limit"}, {});
  if (!args.ok()) {
    std::cerr << args.error().message << "\n" << kObjectionUsage;
    return 2;
  }
  auto o = open_configured(*args);
  if (!o) return 2;
  if (argv[0] == "list") {
    store::ObjectionFilter f;
    f.record_id = args->get_or("record", "");
    f.state = args->get_or("state", "");
    f.limit = std::stoul(args->get_or("limit", "1000"));
    auto rows = o->store->objections().list(f);
    if (!rows.ok()) {
      std::cerr << rows.error().to_string() << "\n";
      return 1;
    }
    for (const auto& x : *rows)
      std::cout << mask_ids_in_text(json{
                       {"objection_id", x.objection_id},
                       {"record_id", x.record_id},
                       {"version", x.version},
                       {"raised_by", x.raised_by},
                       {"actor", x.actor},
                       {"raised_on", x.raised_on},
                       {"reason", x.reason},
                       {"state", x.state},
                       {"answer", x.answer},
                       {"attempts",
                        x.attempts}}.dump())
                << "\n";
    std::cerr << "objection: " << rows->size() << " objection(s)\n";
    return 0;
  }
  if (!args->get("record") || !args->get("reason")) {
    std::cerr << "--record and --reason are required\n" << kObjectionUsage;
    return 2;
  }
  json body = {{"record_id", *args->get("record")}, {"reason", *args->get("reason")}};
  if (auto v = args->get("version")) body["version"] = std::stoll(*v);
  const char* user = std::getenv("USER");
  objections::RaiseCall call{"operator", "operator:" + args->get_or("operator", user ? user : "cli"),
                             date_cst(std::chrono::system_clock::now())};
  auto raised = objections::raise_objection(*o->store, call, body.dump());
  if (!raised.ok()) {
    std::cerr << "objection: " << raised.error().to_string() << "\n";
    return 1;
  }
  std::cout << raised->dump() << "\n";
  std::cerr << "objection: " << ((*raised)["duplicate"].get<bool>() ? "held already" : "raised")
            << "; the sync job sends it to the provincial platform\n";
  return 0;
}

}  // namespace cg::cli
