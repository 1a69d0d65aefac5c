#include "config/config_map.hpp"

namespace cg::config {

namespace {

constexpr int64_t kHour = 3600000;
constexpr int64_t kDay = 24 * kHour;

}  // namespace

const ConfigMap<Config>& top_level_map() {
  static const ConfigMap<Config> m{
      "",
      {
          required_text("node_id", &Config::node_id,
                        "this gateway's id, 1-64 of [A-Za-z0-9_-]; the platforms see it as source"),
          text("data_dir", &Config::data_dir, "run files, plugin state, default store"),
          text("log_level", &Config::log_level, "the least severe level logged", {"debug", "info", "warn", "error"}),
          text("catalog", &Config::catalog_file, "the 目录清单 file: lists, measures, who applies them"),
          text("calendar_dir", &Config::calendar_dir,
               "the working-day calendars: the State Council's notice of each year as cn-YYYY.json"),
      },
      {"store", "mappings", "plugins", "router", "ingest", "adapters", "destinations", "jobs", "admin",
       "department_api", "departments", "description"}};
  return m;
}

const ConfigMap<StoreConfig>& store_map() {
  static const ConfigMap<StoreConfig> m{
      "store",
      {
          text("type", &StoreConfig::type, "the store's backend", {"sqlite"}),
          derived_text("path", &StoreConfig::path, "the SQLite file (WAL mode), readable by the gateway's user only",
                       "<data_dir>/gateway.db"),
          text("synchronous", &StoreConfig::synchronous,
               "full: records safe against power loss; normal: safe against a crash of the process",
               {"full", "normal"}),
          text("checks_synchronous", &StoreConfig::checks_synchronous,
               "the check ledger: full: each check safe against power loss before it is answered; normal: safe "
               "against a crash of the process",
               {"full", "normal"}),
          integer("cache_mb", &StoreConfig::cache_mb, "SQLite page cache of the write connection, in MiB", 1, 65536),
          boolean("wal_gather", &StoreConfig::wal_gather,
                  "a commit's write-ahead-log frames in a few large writes, after a self-test at start"),
      },
      {}};
  return m;
}

const ConfigMap<Config>& mappings_map() {
  static const ConfigMap<Config> m{
      "mappings",
      {
          text("dir", &Config::mappings_dir, "inbound mappings (*.json) and outbound ones (*.out.json)"),
          text("code_tables_dir", &Config::code_tables_dir, "shared code tables"),
      },
      {}};
  return m;
}

const ConfigMap<PluginsConfig>& plugins_map() {
  static const ConfigMap<PluginsConfig> m{
      "plugins",
      {
          derived_text("dir", &PluginsConfig::dir, "the folder scanned for adapter .so files", "<data_dir>/plugins"),
          text("allowlist_file", &PluginsConfig::allowlist_file, "SHA-256 digests allowed, in sha256sum format"),
          integer("scan_interval_ms", &PluginsConfig::scan_interval_ms, "how often the folder is scanned", 50, 600000),
          integer("max_inflight", &PluginsConfig::max_inflight, "units a plugin may have unacknowledged", 1, 1024),
          integer("heartbeat_ms", &PluginsConfig::heartbeat_ms, "plugin host heartbeat", 50, 60000),
          integer("hang_timeout_ms", &PluginsConfig::hang_timeout_ms, "a host silent this long is killed and restarted",
                  500, kHour),
          integer("restart_min_ms", &PluginsConfig::restart_min_ms, "restart backoff, first wait", 10, 600000),
          integer("restart_max_ms", &PluginsConfig::restart_max_ms, "restart backoff, longest wait", 10, kHour),
          integer("drain_timeout_ms", &PluginsConfig::drain_timeout_ms,
                  "how long a replaced or stopped plugin may take to finish", 100, kHour),
      },
      {"allowlist"}};
  return m;
}

const ConfigMap<Config>& router_map() {
  static const ConfigMap<Config> m{"router",
                                   {
                                       derived_text("endpoint", &Config::router_endpoint,
                                                    "the ZeroMQ ROUTER plugin hosts connect to (ipc:// or tcp://)",
                                                    "ipc://<data_dir>/run/router.sock"),
                                   },
                                   {}};
  return m;
}

const ConfigMap<Config>& ingest_map() {
  static const ConfigMap<Config> m{
      "ingest",
      {
          integer("max_unit_bytes", &Config::max_unit_bytes, "a larger unit is refused whole", 1024, int64_t{1} << 40),
          integer("quarantine_raw_limit", &Config::quarantine_raw_limit,
                  "a refused unit up to this size is kept in quarantine for replay", 0, int64_t{1} << 40),
      },
      {}};
  return m;
}

const ConfigMap<Config>& admin_map() {
  static const ConfigMap<Config> m{
      "admin",
      {
          text("listen", &Config::admin_listen, "address:port (port 0 picks one), or off"),
          derived_text("tokens_file", &Config::admin_tokens_file, "lines <viewer|operator> <name> <token>",
                       "<data_dir>/admin.tokens"),
      },
      // The HTTP server's limits, checked by the SDK's HttpServer::limits_from.
      {"max_body_bytes", "max_header_bytes", "idle_timeout_ms", "header_timeout_ms", "body_timeout_ms",
       "max_connections", "max_buffered_bytes"}};
  return m;
}

const ConfigMap<Config>& department_api_map() {
  static const ConfigMap<Config> m{
      "department_api",
      {
          text("listen", &Config::department_api_listen, "address:port (port 0 picks one), or off"),
          derived_text("tokens_file", &Config::department_api_tokens_file,
                       "lines <department> <name> <token>, one department each", "<data_dir>/department.tokens"),
          text("report_issuer", &Config::department_api_report_issuer,
               "the credit office that issues 专用信用报告, as each report names it"),
          derived_text("verify_url", &Config::department_api_verify_url,
                       "where accepting units verify a report: its QR code holds this followed by the code",
                       "http://<listen>/verify/"),
          integer("verify_per_minute", &Config::department_api_verify_per_minute,
                  "verifications one client address may make a minute (GET /verify/<code>, no token); more get 429", 1,
                  100000),
          integer("check_threads", &Config::department_api_check_threads,
                  "threads, each with its own store connection, that read a credit check's subjects side by side", 1,
                  64),
      },
      // The HTTP server's limits, checked by the SDK's HttpServer::limits_from.
      {"max_body_bytes", "max_header_bytes", "idle_timeout_ms", "header_timeout_ms", "body_timeout_ms",
       "max_connections", "max_buffered_bytes"}};
  return m;
}

const ConfigMap<DestinationConfig>& destination_map() {
  using D = DestinationConfig;
  static const ConfigMap<D> m{
      "destinations.<name>",
      {
          required_text("base_url", &D::base_url, "the platform's URL (http:// or https://)"),
          required_text("app_id", &D::app_id, "the app id the platform gave this gateway"),
          text("secret_file", &D::secret_file, "the secret's file, readable by the gateway's user only"),
          text("secret_env", &D::secret_env, "the secret's environment variable"),
          derived_text("connector_file", &D::connector_file, "the connector plugin (on the allowlist)",
                       "<plugins.dir>/connectors/libcg_connector_platform_v1.so"),
          integer("batch_size", &D::batch_size, "records per batch", 1, 1000),
          integer("concurrency", &D::concurrency, "batches in flight at once", 1, 16),
          integer("linger_ms", &D::linger_ms, "how often the outbox is looked at when idle", 0, 600000),
          integer("timeout_ms", &D::timeout_ms, "request timeout", 100, 600000),
          boolean("verify_tls", &D::verify_tls, "check the platform's certificate"),
          derived_text("ca_file", &D::ca_file, "PEM bundle of trusted CAs", "system CAs"),
          integer("retry_min_ms", &D::retry_min_ms, "retry backoff, first wait", 10, kHour),
          integer("retry_max_ms", &D::retry_max_ms, "retry backoff, longest wait", 10, kDay),
          integer("circuit_failures", &D::circuit_failures, "failures in a row that open the circuit", 1, 1000),
          integer("circuit_open_ms", &D::circuit_open_ms, "how long the circuit stays open", 100, kDay),
          boolean("pull", &D::pull, "pull this platform's change feed (one destination at most)"),
          boolean("feedback", &D::feedback, "relay departments' execution feedback to this platform"),
      },
      {"route", "connector_options", "description"}};
  return m;
}

namespace {

template <class Section>
nlohmann::json section(const ConfigMap<Section>& m, const Section& defaults = Section{}) {
  return {{"section", m.name}, {"options", m.describe(defaults)}, {"other_keys", m.other_keys}};
}

}  // namespace

nlohmann::json describe_config_maps() {
  return nlohmann::json::array({section(top_level_map()), section(store_map()), section(mappings_map()),
                                section(plugins_map()), section(router_map()), section(ingest_map()),
                                section(admin_map()), section(department_api_map()), section(destination_map())});
}

}  // namespace cg::config
