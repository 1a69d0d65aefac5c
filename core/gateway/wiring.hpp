// How the parts are put together from a config: a store with its outbox and
// feedback routers, and the scheduled jobs.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "scheduler/scheduler.hpp"
#include "store/store.hpp"

namespace cg::gateway {

// Opens the configured store with the destinations' routes and the catalog's
// feedback routes set: every writer (ingest, sync, replay, jobs) uses this.
// `cache_kib`: this connection's SQLite page cache.
Result<std::unique_ptr<store::Store>> open_configured_store(const config::Config& cfg, int64_t cache_kib = 4096,
                                                            bool background_checkpoint = false);
// Sets the destinations' routes and the catalog's feedback routes on a store.
Status configure_routes(store::Store& st, const config::Config& cfg);

struct JobDef {
  std::string name;
  scheduler::Cron cron;
  scheduler::JobFn fn;
};

// The jobs of the config whose cron is not "off".
Result<std::vector<JobDef>> configured_jobs(const config::Config& cfg);
// One job's function by name (for `credit-gateway job run NAME`).
Result<scheduler::JobFn> job_function(const config::Config& cfg, const std::string& name);

}  // namespace cg::gateway
