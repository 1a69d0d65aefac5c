// What a config reload reports as needing a restart: every setting that the
// running gateway keeps, and none that the reload applies.
#include "gateway/restart_needed.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace {

using cg::config::Config;
using Names = std::vector<std::string>;

Config running() {
  Config c;
  cg::config::DestinationConfig d;
  d.name = "provincial";
  d.base_url = "https://platform.example/";
  d.secret_env = "CG_SECRET";
  c.destinations.push_back(d);
  c.jobs.push_back({"sync", "*/5 * * * *", nlohmann::json::object()});
  return c;
}

Names after(const std::function<void(Config&)>& change) {
  const Config before = running();
  Config next = before;
  change(next);
  return cg::gateway::restart_needed(before, next);
}

TEST(RestartNeeded, NothingForTheSameConfig) {
  EXPECT_EQ(after([](Config&) {}), Names{});
}

TEST(RestartNeeded, EveryDeliverySettingOfADestination) {
  using D = cg::config::DestinationConfig;
  const std::vector<std::function<void(D&)>> changes = {[](D& d) { d.verify_tls = false; },
                                                        [](D& d) { d.ca_file = "/etc/ca.pem"; },
                                                        [](D& d) { d.retry_min_ms = 1000; },
                                                        [](D& d) { d.retry_max_ms = 1000; },
                                                        [](D& d) { d.circuit_failures = 9; },
                                                        [](D& d) { d.circuit_open_ms = 1000; },
                                                        [](D& d) { d.concurrency = 4; },
                                                        [](D& d) { d.linger_ms = 5; },
                                                        [](D& d) { d.pull = true; },
                                                        [](D& d) { d.connector_options["x"] = 1; },
                                                        [](D& d) { d.base_url = "https://b.example/"; }};
  for (size_t i = 0; i < changes.size(); ++i)
    EXPECT_EQ(after([&](Config& c) { changes[i](c.destinations[0]); }), Names{"destinations"}) << "change " << i;
  EXPECT_EQ(after([](Config& c) { c.destinations.push_back(c.destinations[0]); }), Names{"destinations"});
}

TEST(RestartNeeded, TheStoreTheRouterTheJobsAndTheAdminApi) {
  EXPECT_EQ(after([](Config& c) { c.store.wal_gather = true; }), Names{"store"});
  EXPECT_EQ(after([](Config& c) { c.store.cache_mb = 256; }), Names{"store"});
  EXPECT_EQ(after([](Config& c) { c.router_endpoint = "ipc:///tmp/x"; }), Names{"router.endpoint"});
  EXPECT_EQ(after([](Config& c) { c.jobs[0].cron = "off"; }), Names{"jobs"});
  EXPECT_EQ(after([](Config& c) { c.sync_page_size = 10; }), Names{"jobs"});
  EXPECT_EQ(after([](Config& c) { c.admin_http.max_connections = 2; }), Names{"admin"});
  EXPECT_EQ(after([](Config& c) { c.admin_tokens_file = "/x"; }), Names{"admin"});
  EXPECT_EQ(after([](Config& c) {
              c.node_id = "n2";
              c.store.synchronous = "normal";
            }),
            (Names{"store", "node_id"}));
}

TEST(RestartNeeded, NoneForWhatAReloadApplies) {
  EXPECT_EQ(after([](Config& c) {
              c.log_level = "debug";
              c.mappings_dir = "/m";
              c.code_tables_dir = "/t";
              c.catalog_file = "/c.json";
              c.plugins.max_inflight = 9;
              c.adapters["court-file-drop"] = {{"inbox", "/in"}};
              c.max_unit_bytes = 1;
              c.quarantine_raw_limit = 1;
              c.destinations[0].route_kinds = {"penalty"};
              c.destinations[0].route_regions = {"3301"};
            }),
            Names{});
}

}  // namespace
