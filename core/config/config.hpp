// The gateway configuration (config/gateway.json, docs/configuration.md).
#pragma once

#include <credit_gateway/support/http_server.hpp>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/jsonc.hpp"
#include "common/result.hpp"

namespace cg::config {

struct StoreConfig {
  std::string type = "sqlite";
  std::string path;  // default <data_dir>/gateway.db
  std::string synchronous = "full";
  std::string checks_synchronous = "full";  // the check ledger's, when synchronous is full
  int64_t cache_mb = 32;                    // SQLite page cache of the write connection (the others keep 4 MiB)
  bool wal_gather = false;  // a commit's WAL frames in a few large writes (store/sqlite/wal_write_gather.hpp)

  bool operator==(const StoreConfig&) const = default;
};

struct PluginsConfig {
  std::string dir;                     // default <data_dir>/plugins
  std::string allowlist_file;          // sha256sum format: "<hex>  <file>" per line
  std::vector<std::string> allowlist;  // SHA-256 hex digests
  int64_t scan_interval_ms = 1000;
  int64_t max_inflight = 4;  // units a plugin may have unacknowledged
  int64_t heartbeat_ms = 1000;
  int64_t hang_timeout_ms = 15000;  // no heartbeat this long: the host is killed and restarted
  int64_t restart_min_ms = 500;
  int64_t restart_max_ms = 30000;
  int64_t drain_timeout_ms = 30000;

  bool operator==(const PluginsConfig&) const = default;
};

// An upstream platform the gateway pushes to (and may pull from).
struct DestinationConfig {
  std::string name;
  std::string connector_file;  // default <plugins.dir>/connectors/libcg_connector_platform_v1.so
  std::string base_url;
  std::string app_id;
  std::string secret_file;  // the secret comes from a file ...
  std::string secret_env;   // ... or an environment variable, never from this config
  int64_t batch_size = 500;
  int64_t concurrency = 2;  // batches in flight at once
  int64_t linger_ms = 200;
  int64_t timeout_ms = 10000;
  bool verify_tls = true;
  std::string ca_file;
  int64_t retry_min_ms = 500;
  int64_t retry_max_ms = 60000;
  int64_t circuit_failures = 5;
  int64_t circuit_open_ms = 30000;
  std::vector<std::string> route_kinds, route_departments, route_regions;  // empty: everything
  bool pull = false;      // pull changes from this platform (the provincial one)
  bool feedback = false;  // relay departments' execution feedback to it (platform-api.md §7)
  nlohmann::json connector_options = nlohmann::json::object();  // passed to the connector as is

  bool operator==(const DestinationConfig&) const = default;
};

struct JobConfig {
  std::string name;
  std::string cron;
  nlohmann::json options = nlohmann::json::object();

  bool operator==(const JobConfig&) const = default;
};

struct Config {
  std::string file;  // where it was loaded from
  std::string node_id = "gateway-1";
  std::string data_dir = "var/data";
  std::string log_level = "info";
  StoreConfig store;
  std::string mappings_dir = "mappings";
  std::string code_tables_dir = "config/code-tables";
  PluginsConfig plugins;
  std::string router_endpoint;  // default ipc://<data_dir>/run/router.sock
  int64_t max_unit_bytes = 256ll * 1024 * 1024;
  int64_t quarantine_raw_limit = 16ll * 1024 * 1024;   // bytes of a refused unit kept for replay
  nlohmann::json adapters = nlohmann::json::object();  // plugin name -> its config
  std::vector<DestinationConfig> destinations;
  std::string catalog_file = "config/catalog.json";
  std::map<std::string, std::string> departments;  // declared besides the four built in: id -> name
  std::string calendar_dir = "config/calendar";    // working-day calendars, cn-YYYY.json
  std::vector<JobConfig> jobs;                     // sync, reconcile, expiry, overdue
  int64_t sync_page_size = 500;
  std::string admin_listen = "127.0.0.1:18080";  // "off" disables the admin server
  std::string admin_tokens_file;                 // "<role> <name> <token>" lines; default <data_dir>/admin.tokens
  sdk::HttpServer::Limits admin_http = [] {      // admin.max_connections, admin.header_timeout_ms, ...
    sdk::HttpServer::Limits l;
    l.max_body_bytes = 1024 * 1024;
    return l;
  }();
  // The department API (department-api.md): items, checks and feedback.
  std::string department_api_listen = "127.0.0.1:18088";  // "off" disables it
  std::string department_api_tokens_file;  // "<department> <name> <token>" lines; default <data_dir>/department.tokens
  int64_t department_api_check_threads = 2;  // store connections that read one check's subjects side by side
  // 专用信用报告: who issues them, where their codes are verified, how often
  // one client may verify.
  std::string department_api_report_issuer = "公共信用信息中心";
  std::string department_api_verify_url;  // default http://<listen>/verify/
  int64_t department_api_verify_per_minute = 30;
  sdk::HttpServer::Limits department_api_http = [] {
    sdk::HttpServer::Limits l;
    l.max_body_bytes = 4 * 1024 * 1024;  // a check of 1,000 subjects
    return l;
  }();

  bool operator==(const Config&) const = default;

  [[nodiscard]] std::string run_dir() const { return data_dir + "/run"; }
  // Where plugins are loaded from: copies whose digest was checked.
  [[nodiscard]] std::string plugin_copies_dir() const { return run_dir() + "/plugins"; }
  // The departments the catalog and the department API may name: court,
  // tax, market_regulation, procurement, and those declared.
  [[nodiscard]] std::vector<std::string> department_ids() const;
  // A department's name as reports print it: 法院, 税务, 市场监管, 政府采购,
  // or the declared one's; its id when it has none.
  [[nodiscard]] std::string department_name(const std::string& id) const;
  // The destinations that departments' execution feedback is relayed to.
  [[nodiscard]] std::vector<std::string> feedback_destinations() const;
  [[nodiscard]] std::string state_dir(const std::string& plugin) const { return data_dir + "/state/" + plugin; }
};

// Loads and checks a config file. Every problem is returned with its
// file:line and JSON path; the config is set only when there is none.
struct LoadResult {
  std::optional<Config> config;  // only when there is no problem
  std::vector<Error> problems;
  // What could be read despite the problems (a document that parsed): for
  // checks of what it refers to, so that every problem is reported at once.
  std::optional<Config> as_read;
};
LoadResult load_config(const std::string& path);
// The same for a document already read; `path` is where relative paths start.
LoadResult load_config_document(const JsoncDocument& doc, const std::string& path);

// Reads a destination's secret from its file or environment variable. The
// error names where it looked, never the value.
Result<std::string> resolve_secret(const DestinationConfig& d);

// The SHA-256 digests allowed: the inline list and the allowlist file.
Result<std::vector<std::string>> allowed_digests(const PluginsConfig& p);

}  // namespace cg::config
