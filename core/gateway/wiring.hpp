// How the parts are put together from a config: a store with its outbox and
// feedback routers, and the scheduled jobs.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog_history.hpp"
#include "config/config.hpp"
#include "ingest/ingestor.hpp"
#include "scheduler/scheduler.hpp"
#include "store/store.hpp"

namespace cg::gateway {

// Options that open a store only if it is there.
store::StoreOptions existing_store();

// Opens the configured store with the destinations' routes and the catalog's
// feedback routes set: every writer (ingest, sync, replay, jobs) uses this.
// `opts`: this connection's; its `synchronous` is taken from the config. By
// default the store must exist: only the gateway's start (and store init)
// makes one.
Result<std::unique_ptr<store::Store>> open_configured_store(const config::Config& cfg,
                                                            store::StoreOptions opts = existing_store());
// Sets the destinations' routes and the catalog's feedback routes on a
// store; answers the catalog versions it routes by.
Result<catalog::CatalogHistory> configure_routes(store::Store& st, const config::Config& cfg);

// Takes the execution feedback that adapters pass on as the department API
// takes a department's (department-api.md §5), relayed to the config's
// destinations with feedback.
ingest::FeedbackTaker feedback_taker(const config::Config& cfg);

struct JobDef {
  std::string name;
  sdk::Cron cron;
  scheduler::JobFn fn;
};

// The jobs of the config; one whose cron is "off" runs only when triggered.
Result<std::vector<JobDef>> configured_jobs(const config::Config& cfg);
// One job's function by name (for `credit-gateway job run NAME`).
Result<scheduler::JobFn> job_function(const config::Config& cfg, const std::string& name);

}  // namespace cg::gateway
