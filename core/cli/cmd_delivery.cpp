// credit-gateway deadletter list|show|replay, credit-gateway reconcile
#include <unistd.h>

#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/config_file.hpp"
#include "common/clock.hpp"
#include "common/mask.hpp"
#include "config/config.hpp"
#include "delivery/reconcile.hpp"
#include "gateway/wiring.hpp"
#include "scheduler/scheduler.hpp"
#include "store/store_access.hpp"

namespace cg::cli {

namespace {

using nlohmann::json;

std::optional<config::Config> load(const Args& args) {
  auto file = args.get("config");
  if (!file) {
    std::cerr << "--config FILE is required\n";
    return std::nullopt;
  }
  return load_config_reporting(*file);
}

}  // namespace

int cmd_deadletter(const Argv& argv) {
  if (argv.empty() || (argv[0] != "list" && argv[0] != "show" && argv[0] != "replay")) {
    std::cerr << "usage: credit-gateway deadletter list|show|replay --config FILE [--id N] [--destination D] "
                 "[--record R] [--code C] [--from T] [--to T]\n";
    return 2;
  }
  Argv rest(argv.begin() + 1, argv.end());
  auto args = Args::parse(rest, {"config", "id", "destination", "record", "code", "from", "to", "limit"}, {});
  if (!args.ok()) {
    std::cerr << args.error().message << "\n";
    return 2;
  }
  auto cfg = load(*args);
  if (!cfg) return 2;
  auto st = gateway::open_configured_store(*cfg);
  if (!st.ok()) {
    std::cerr << st.error().to_string() << "\n";
    return 1;
  }
  store::DeadLetterFilter f;
  if (auto id = args->get("id")) f.id = std::stoll(*id);
  f.destination = args->get_or("destination", "");
  f.record_id = args->get_or("record", "");
  f.error_code = args->get_or("code", "");
  f.from = args->get_or("from", "");
  f.to = args->get_or("to", "");
  f.limit = std::stoul(args->get_or("limit", "1000"));
  if (argv[0] == "replay") {
    auto n = (*st)->outbox().replay_dead_letters(f, "operator:cli");
    if (!n.ok()) {
      std::cerr << n.error().to_string() << "\n";
      return 1;
    }
    std::cout << "deadletter: " << *n << " dead letter(s) queued again with the same record version\n";
    return 0;
  }
  auto rows = (*st)->outbox().dead_letters(f);
  if (!rows.ok()) {
    std::cerr << rows.error().to_string() << "\n";
    return 1;
  }
  for (const auto& d : *rows) {
    json j = {{"id", d.id},
              {"destination", d.destination},
              {"record_id", d.record_id},
              {"version", d.version},
              {"code", d.error_code},
              {"field", d.error_field},
              {"message", d.error_message},
              {"dead_at", d.dead_at},
              {"attempts", d.attempts}};
    if (argv[0] == "show") j["record"] = json::parse(d.body, nullptr, false);
    std::cout << mask_ids_in_text(argv[0] == "show" ? j.dump(2) : j.dump()) << "\n";
  }
  std::cerr << "deadletter: " << rows->size() << " dead letter(s)\n";
  return 0;
}

int cmd_reconcile(const Argv& argv) {
  auto args = Args::parse(argv, {"config", "date", "destination"}, {"requeue"});
  if (!args.ok()) {
    std::cerr << args.error().message << "\n";
    return 2;
  }
  auto cfg = load(*args);
  if (!cfg) return 2;
  std::string date = args->get_or("date", date_cst(std::chrono::system_clock::now()));
  auto st = gateway::open_configured_store(*cfg);
  if (!st.ok()) {
    std::cerr << st.error().to_string() << "\n";
    return 1;
  }
  store::DirectAccess access(std::move(st.value()));
  int differences = 0;
  for (const auto& d : cfg->destinations) {
    if (args->get("destination") && *args->get("destination") != d.name) continue;
    auto report = delivery::reconcile(*cfg, d, access, date, args->flag("requeue"), "operator:cli");
    if (!report.ok()) {
      std::cerr << d.name << ": error: " << report.error().message << "\n";
      ++differences;
      continue;
    }
    std::cout << report->dump() << "\n";
    if (!report->value("match", false)) ++differences;
  }
  return differences ? 1 : 0;
}

}  // namespace cg::cli

namespace cg::cli {

// credit-gateway sync --now --config FILE / credit-gateway job run NAME --config FILE
int cmd_job(const std::string& name, const Argv& argv) {
  auto args = Args::parse(argv, {"config"}, {"now"});
  if (!args.ok()) {
    std::cerr << args.error().message << "\n";
    return 2;
  }
  auto cfg = load(*args);
  if (!cfg) return 2;
  auto fn = gateway::job_function(*cfg, name);
  if (!fn.ok()) {
    std::cerr << fn.error().to_string() << "\n";
    return 2;
  }
  auto st = gateway::open_configured_store(*cfg);
  if (!st.ok()) {
    std::cerr << st.error().to_string() << "\n";
    return 1;
  }
  store::DirectAccess access(std::move(st.value()));
  auto run = scheduler::run_job_now(name, *fn, access, "cli:" + std::to_string(getpid()));
  if (!run.ok()) {
    std::cerr << name << ": " << run.error().message << "\n";
    return 1;
  }
  std::cout << json{{"job", run->job},
                    {"status", run->status},
                    {"started_at", run->started_at},
                    {"finished_at", run->finished_at},
                    {"counts", run->counts},
                    {"error", run->error}}
                   .dump()
            << "\n";
  return run->status == "ok" ? 0 : 1;
}

int cmd_sync(const Argv& argv) {
  return cmd_job("sync", argv);
}

int cmd_jobs(const Argv& argv) {
  if (argv.size() < 2 || argv[0] != "run") {
    std::cerr << "usage: credit-gateway job run sync|reconcile|expiry|overdue|publicity --config FILE\n";
    return 2;
  }
  return cmd_job(argv[1], Argv(argv.begin() + 2, argv.end()));
}

}  // namespace cg::cli
