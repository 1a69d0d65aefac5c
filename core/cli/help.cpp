#include "cli/help.hpp"

#include <map>

namespace cg::cli {

std::optional<std::string> command_help(const std::string& command) {
  static const std::map<std::string, std::string> kHelp = {
      {"map", R"(usage: credit-gateway map --mapping FILE [options] INPUT...
Maps department files to canonical records: records on standard output (JSON
Lines), quarantined records and refused files on standard error (personal ID
numbers masked) or in --quarantine. Exit 0 when every file was read, 1 when a
file was refused, 2 for a usage or mapping error.
  --mapping FILE          the mapping to apply
  --quarantine QFILE      append quarantine entries to this file (unmasked, for replay)
  --tables DIR            shared code tables (default: config/code-tables near the mapping)
  --received-at TIME      RFC 3339 time stamped on the records (default: now)
  --max-file-bytes N      refuse files larger than N bytes (default: the mapping's limit)
)"},
      {"mapping", R"(usage: credit-gateway mapping lint FILE...
       credit-gateway mapping test [--update] [DIR]
lint: checks mapping files and prints every problem with its file and line.
test: runs the golden cases (<feed>.tests/<case>/) beside each mapping under
DIR (default mappings/); --update writes the current output as expected.
  --tables DIR            shared code tables (default: config/code-tables)
)"},
      {"run", R"(usage: credit-gateway run --config FILE
Starts the gateway: plugins, ingest, store, delivery, jobs, admin API. SIGHUP
reloads the config; SIGTERM drains the plugins and stops. docs/operations.md.
)"},
      {"check-config", R"(usage: credit-gateway check-config --config FILE
       credit-gateway check-config --options
Reports every problem of a config and what it refers to (mappings, catalog,
files) with file and line, as the gateway's start and reload would; exit 1
when there is one.
  --options               every option of the gateway's config instead: section,
                          key, type, default, bounds or values, meaning (JSON Lines)
)"},
      {"export", R"(usage: credit-gateway export --config FILE [--kind K]
Every stored record's latest version as JSON Lines (safe while the gateway runs).
  --kind K                only records of this kind
)"},
      {"quarantine", R"(usage: credit-gateway quarantine list|replay --config FILE [filters]
list: quarantine entries as JSON Lines, personal ID numbers masked.
replay: maps the selected entries again with the loaded mappings.
  --id N  --department D  --mapping NAME  --rule R  --status open|resolved  --limit N
  --show-raw              list: include the raw input
)"},
      {"send", R"(usage: credit-gateway send --endpoint ENDPOINT [options] FILE...
Pushes files to a ZeroMQ ingest endpoint (market regulation) and waits for
each answer; exit 1 when a file was refused.
  --endpoint ENDPOINT     tcp://host:port or ipc://path
  --in-flight N           files on their way at once (default 4)
  --timeout-ms N          wait for an answer (default 30000)
  --retries N             send again after a timeout or a busy answer (default 10)
)"},
      {"plugin", R"(usage: credit-gateway plugin info [--markdown] FILE...
A plugin's (adapter's or connector's) name, version, ABI, department,
options (type, default, bounds, meaning) and SHA-256, as JSON.
  --markdown   its options as a Markdown table, for a README
)"},
      {"catalog", R"(usage: credit-gateway catalog lint FILE [--config FILE]
       credit-gateway catalog show --config FILE
lint checks a catalog file (目录清单) and names every problem; with --config,
the departments it names must be ones the config declares. show prints the
catalog the config loads: its lists, scenarios and each department's measures.
)"},
      {"objection", R"(usage: credit-gateway objection raise --config FILE --record ID --reason TEXT [--version N]
                                  [--operator NAME]
       credit-gateway objection list --config FILE [--record ID] [--state pending|opened|refused]
raise objects to a record (异议, 主动发现信息不实) as an operator: kept at once,
sent to the provincial platform by the next sync (platform-api.md §8); once
the platform opens it the record is suspended here (measures held) until the
platform resolves it. --version is the version objected to (default: the
current one). list shows the objections raised here and the platform's answers.
)"},
      {"report", R"(usage: credit-gateway report shuanggongshi --config FILE [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                                           [--department D] [--state S] [--out FILE]
双公示 timeliness as CSV (UTF-8, RFC 4180): every local licence and penalty
decided from --from to --to (decision dates; default: all), stored or held
in quarantine, with its due_on (the 7th working day after the decision),
when each platform first accepted it, and its state: on_time, late, overdue,
at_risk, pending or unknown (no calendar for its year). --state keeps one
state. docs/operations.md, "双公示 timeliness", says what each means.

       credit-gateway report statistics --config FILE [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                                        [--period day|month|quarter|year] [--by department,kind,destination]
                                        [--figure F] [--out FILE]
The monitoring statistics counted in the store (records received,
quarantined by rule, accepted and rejected by each platform, ...) summed by
period (default month) and grouped as --by says, as CSV: period, department,
kind, destination, figure, n. --figure keeps one figure (or those starting
with it, ending in ':', e.g. quarantined:). docs/operations.md, "Statistics".
)"},
      {"check", R"(usage: credit-gateway check --config FILE --scenario S
                            (--uscc CODE | --id-number N [--id-type T] | --input FILE)
                            [--on YYYY-MM-DD] [--purpose TEXT] [--case-ref REF] [--operator NAME]
A credit check (信用核查) as a department's system makes it (department-api.md
§2): the verdict (restricted, incentive, clear, invalid_subject) of each
subject in scenario S on day --on (default today), with the records that
trigger a measure and the measures. --input checks a list: CSV with a header
naming its columns (uscc, id_type, id_number, name) or JSON Lines of subjects
(a file ending .jsonl); one answer line per subject, a line that is not a
subject answered {"line", "error"}. The check is kept (check_id) as the
operator's. Exit 0, 1 when a line was not a subject, 2 on a usage error.
)"},
      {"deadletter", R"(usage: credit-gateway deadletter list|show|replay --config FILE [filters]
Records a platform rejected. replay queues them again, same version.
  --id N  --destination D  --record ID  --code C  --from TIME  --to TIME  --limit N
)"},
      {"reconcile", R"(usage: credit-gateway reconcile --config FILE [--date D] [--destination D] [--requeue]
Compares what was delivered on a day (default today, CST) with the platforms'
own figures; --requeue sends again what a platform does not hold.
)"},
      {"sync", R"(usage: credit-gateway sync --now --config FILE
Pulls the provincial platform's changes now (safe while the gateway runs: one
run at a time, the cursor saved with the changes).
)"},
      {"job", R"(usage: credit-gateway job run sync|reconcile|expiry|overdue|publicity --config FILE
Runs a scheduled job now, whatever its cron (safe while the gateway runs).
)"},
      {"store", R"(usage: credit-gateway store init --config FILE
       credit-gateway store check --config FILE
init: makes a new, empty store at store.path (also over a 0-byte file,
which the gateway otherwise refuses).
check: PRAGMA integrity_check of the store; exit 1 with each problem when it
is corrupt.
)"},
      {"version", "usage: credit-gateway version\n"},
  };
  auto it = kHelp.find(command);
  if (it == kHelp.end()) return std::nullopt;
  return it->second;
}

}  // namespace cg::cli
