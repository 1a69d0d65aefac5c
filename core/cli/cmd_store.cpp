// credit-gateway export | quarantine list | quarantine replay
#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/config_file.hpp"
#include "common/mask.hpp"
#include "config/config.hpp"
#include "gateway/wiring.hpp"
#include "ingest/mapping_registry.hpp"
#include "ingest/quarantine_replay.hpp"
#include "store/store.hpp"

namespace cg::cli {

using nlohmann::json;

int cmd_export(const Argv& argv) {
  auto args = Args::parse(argv, {"config", "kind"}, {});
  if (!args.ok()) {
    std::cerr << args.error().message << "\nusage: credit-gateway export --config FILE [--kind K]\n";
    return 2;
  }
  auto o = open_configured(*args);
  if (!o) return 2;
  size_t n = 0;
  auto st = o->store->records().for_each(args->get_or("kind", ""), [&](const store::StoredRecord& r) {
    std::cout << to_json(r.record).dump() << "\n";
    ++n;
  });
  if (!st) {
    std::cerr << st.error().to_string() << "\n";
    return 1;
  }
  std::cerr << "export: " << n << " record(s)\n";
  return 0;
}

int cmd_quarantine(const Argv& argv) {
  if (argv.empty() || (argv[0] != "list" && argv[0] != "replay")) {
    std::cerr << "usage: credit-gateway quarantine list|replay --config FILE [--id N] [--department D] "
                 "[--mapping M] [--rule R] [--status open|replayed|all] [--show-raw]\n";
    return 2;
  }
  Argv rest(argv.begin() + 1, argv.end());
  auto args = Args::parse(rest, {"config", "id", "department", "mapping", "rule", "status", "limit"}, {"show-raw"});
  if (!args.ok()) {
    std::cerr << args.error().message << "\n";
    return 2;
  }
  auto o = open_configured(*args);
  if (!o) return 2;
  store::QuarantineFilter f;
  if (auto id = args->get("id")) f.id = std::stoll(*id);
  f.department = args->get_or("department", "");
  f.mapping = args->get_or("mapping", "");
  f.rule = args->get_or("rule", "");
  f.status = args->get_or("status", argv[0] == "replay" ? "open" : "open");
  f.limit = std::stoul(args->get_or("limit", "1000"));
  auto rows = o->store->quarantine().list(f);
  if (!rows.ok()) {
    std::cerr << rows.error().to_string() << "\n";
    return 1;
  }
  if (argv[0] == "list") {
    for (const auto& q : *rows) {
      json line = q.entry;
      line["id"] = q.id;
      line["status"] = q.status;
      line["created_at"] = q.created_at;
      if (!args->flag("show-raw")) line.erase("raw");
      // A listing is read by people: personal ID numbers are masked.
      std::cout << mask_ids_in_text(line.dump()) << "\n";
    }
    std::cerr << "quarantine: " << rows->size() << " entr" << (rows->size() == 1 ? "y" : "ies") << "\n";
    return 0;
  }
  ingest::MappingRegistry mappings;
  for (const auto& p : mappings.load(o->cfg.mappings_dir, o->cfg.code_tables_dir))
    std::cerr << p.where << ": warning: " << p.message << "\n";
  size_t replayed = 0, still = 0, failed = 0;
  for (const auto& q : *rows) {
    std::string mname = q.entry.value("mapping", "");
    const mapping::Mapper* m = mappings.find(mname.substr(0, mname.find('@')));
    if (!m) {
      std::cerr << "#" << q.id << ": no mapping '" << mname << "' loaded\n";
      ++failed;
      continue;
    }
    mapping::MapOutcome out;
    if (q.file_level) {
      if (q.raw.empty()) {
        std::cerr << "#" << q.id << ": the refused unit was too large to keep; have the department send it again\n";
        ++failed;
        continue;
      }
      out = m->map_bytes(q.raw, q.entry["source"].value("file", "quarantine"));
    } else {
      auto e = quarantine_from_json(q.entry);
      if (!e.ok()) {
        std::cerr << "#" << q.id << ": " << e.error().message << "\n";
        ++failed;
        continue;
      }
      out = m->replay(*e);
    }
    if (out.failure || !out.quarantined.empty()) {
      std::string why =
          out.failure ? out.failure->message : out.quarantined.front().field + ": " + out.quarantined.front().message;
      std::cout << "#" << q.id << " still quarantined with " << m->spec().id() << ": " << mask_ids_in_text(why) << "\n";
      ++still;
      continue;
    }
    store::IngestBatch batch;
    batch.actor = "operator:cli";
    batch.source = "quarantine#" + std::to_string(q.id);
    batch.records = std::move(out.records);
    auto r = ingest::replay_quarantined(*o->store, q.id, batch);
    if (!r.ok()) {
      std::cerr << "#" << q.id << ": " << r.error().to_string() << "\n";
      ++failed;
      continue;
    }
    std::cout << "#" << q.id << " replayed with " << m->spec().id() << ": " << r->created << " created, " << r->updated
              << " updated, " << r->unchanged << " unchanged\n";
    ++replayed;
  }
  std::cerr << "replay: " << replayed << " replayed, " << still << " still quarantined, " << failed << " failed\n";
  return failed ? 1 : 0;
}

}  // namespace cg::cli
