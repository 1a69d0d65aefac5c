#include "gateway/restart_needed.hpp"

namespace cg::gateway {

std::vector<std::string> restart_needed(const config::Config& running, const config::Config& next) {
  // `next` with what a reload applies taken from `running`: what differs then
  // is what the reload leaves as it was.
  config::Config kept = next;
  kept.file = running.file;
  kept.log_level = running.log_level;
  kept.mappings_dir = running.mappings_dir;
  kept.code_tables_dir = running.code_tables_dir;
  kept.catalog_file = running.catalog_file;
  kept.calendar_dir = running.calendar_dir;
  kept.plugins = running.plugins;
  kept.adapters = running.adapters;
  kept.max_unit_bytes = running.max_unit_bytes;
  kept.quarantine_raw_limit = running.quarantine_raw_limit;
  if (kept.destinations.size() == running.destinations.size())
    for (size_t i = 0; i < kept.destinations.size(); ++i) {
      kept.destinations[i].route_kinds = running.destinations[i].route_kinds;
      kept.destinations[i].route_departments = running.destinations[i].route_departments;
      kept.destinations[i].route_regions = running.destinations[i].route_regions;
    }

  std::vector<std::string> out;
  auto part = [&](const char* name, bool differs, auto&& take_running) {
    if (!differs) return;
    out.emplace_back(name);
    take_running();
  };
  part("store", kept.store != running.store, [&] { kept.store = running.store; });
  part("node_id", kept.node_id != running.node_id, [&] { kept.node_id = running.node_id; });
  part("data_dir", kept.data_dir != running.data_dir, [&] { kept.data_dir = running.data_dir; });
  part("router.endpoint", kept.router_endpoint != running.router_endpoint,
       [&] { kept.router_endpoint = running.router_endpoint; });
  part("destinations", kept.destinations != running.destinations, [&] { kept.destinations = running.destinations; });
  part("jobs", kept.jobs != running.jobs || kept.sync_page_size != running.sync_page_size, [&] {
    kept.jobs = running.jobs;
    kept.sync_page_size = running.sync_page_size;
  });
  part("admin",
       kept.admin_listen != running.admin_listen || kept.admin_tokens_file != running.admin_tokens_file ||
           kept.admin_http != running.admin_http,
       [&] {
         kept.admin_listen = running.admin_listen;
         kept.admin_tokens_file = running.admin_tokens_file;
         kept.admin_http = running.admin_http;
       });
  part("department_api",
       kept.department_api_listen != running.department_api_listen ||
           kept.department_api_tokens_file != running.department_api_tokens_file ||
           kept.department_api_http != running.department_api_http,
       [&] {
         kept.department_api_listen = running.department_api_listen;
         kept.department_api_tokens_file = running.department_api_tokens_file;
         kept.department_api_http = running.department_api_http;
       });
  if (kept != running) out.emplace_back("other settings");
  return out;
}

}  // namespace cg::gateway
