// The config reload (SIGHUP or the admin API): what it applies at once, and
// what it names as needing a restart.
#include "common/clock.hpp"
#include "common/log.hpp"
#include "gateway/config_check.hpp"
#include "gateway/gateway_impl.hpp"
#include "gateway/restart_needed.hpp"
#include "gateway/wiring.hpp"

namespace cg::gateway {

using nlohmann::json;

// Applies a new config file if it is valid; else keeps the running one.
void Gateway::Impl::reload() {
  // The same validation as check-config and the start: what one accepts, all accept.
  auto checked = check_config(cfg.file);
  if (!checked.config) {
    json problems = describe(checked.problems);
    log::error("gateway", "config reload refused; the running config stays", {{"problems", problems}});
    return;
  }
  config::Config next = std::move(*checked.config);
  // The running settings stay for these; the rest is applied below.
  const json needs_restart = restart_needed(started_with, next);
  log::set_level(log::level_from_string(next.log_level));
  // Units in the pipeline finish with the mappings and routes they started with.
  pipeline->drain();
  answer_finished();
  pipeline.reset();
  mappings.load(next.mappings_dir, next.code_tables_dir);
  std::vector<Error> op;
  outbound = mapping::load_outbound_dir(next.mappings_dir, op);
  auto ingest_store = writer->handle();
  auto routed = ingest_store->call([&](store::Store& st) { return configure_routes(st, next); });
  if (!routed.ok())  // checked above; the catalog could change in between
    log::error("gateway", "routes not reloaded: " + routed.error().to_string());
  else if (department_api)
    department_api->use_catalogs(std::move(*routed));
  ingestor = std::make_unique<ingest::Ingestor>(mappings, static_cast<size_t>(next.quarantine_raw_limit),
                                                feedback_taker(next));
  pipeline = std::make_unique<ingest::IngestPipeline>(std::move(ingest_store), *ingestor);
  supervisor->update_config(next);
  cfg = next;
  log::info("gateway", "config reloaded", {{"needs_restart", needs_restart}, {"mappings", mappings.names()}});
}

}  // namespace cg::gateway
