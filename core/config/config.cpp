#include "config/config.hpp"

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "common/json_check.hpp"
#include "common/private_file.hpp"

namespace cg::config {

namespace {

bool is_hex64(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

LoadResult load_config(const std::string& path) {
  auto doc = JsoncDocument::load_file(path);
  if (!doc.ok()) {
    LoadResult out;
    out.problems.push_back(doc.error());
    return out;
  }
  return load_config_document(*doc, path);
}

LoadResult load_config_document(const JsoncDocument& doc, const std::string& path) {
  LoadResult out;
  JsonChecker c(doc);
  const auto& j = doc.value();
  Config cfg;
  cfg.file = path;
  static const std::vector<std::string> kTop{"node_id", "data_dir", "log_level", "store",      "mappings",
                                             "plugins", "router",   "ingest",    "adapters",   "destinations",
                                             "catalog", "jobs",     "admin",     "description"};
  if (!c.keys(j, "", kTop, "the gateway config")) {
    out.problems = c.problems;
    return out;
  }
  if (auto v = c.str(j, "node_id", "", true)) {
    cfg.node_id = *v;
    if (v->empty() || v->size() > 64 ||
        v->find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != std::string::npos)
      c.problem("/node_id", "node_id must be 1 to 64 of [A-Za-z0-9_-] (it is the platforms' 'source')");
  }
  if (auto v = c.str(j, "data_dir", "", false)) cfg.data_dir = *v;
  if (auto v = c.str(j, "log_level", "", false)) {
    if (*v != "debug" && *v != "info" && *v != "warn" && *v != "error")
      c.problem("/log_level", "log_level must be debug, info, warn or error");
    cfg.log_level = *v;
  }
  cfg.store.path = cfg.data_dir + "/gateway.db";
  if (j.contains("store") &&
      c.keys(j["store"], "/store", {"type", "path", "synchronous", "cache_mb", "wal_gather"}, "store")) {
    const auto& s = j["store"];
    if (auto v = c.str(s, "type", "/store", false)) {
      if (*v != "sqlite") c.problem("/store/type", "store type must be 'sqlite' (PostgreSQL is planned, see docs)");
      cfg.store.type = *v;
    }
    if (auto v = c.str(s, "path", "/store", false)) cfg.store.path = *v;
    if (auto v = c.str(s, "synchronous", "/store", false)) {
      if (*v != "full" && *v != "normal") c.problem("/store/synchronous", "synchronous must be 'full' or 'normal'");
      cfg.store.synchronous = *v;
    }
    if (auto v = c.integer(s, "cache_mb", "/store", 1, 65536)) cfg.store.cache_mb = *v;
    if (auto v = c.boolean(s, "wal_gather", "/store")) cfg.store.wal_gather = *v;
  }
  if (j.contains("mappings") && c.keys(j["mappings"], "/mappings", {"dir", "code_tables_dir"}, "mappings")) {
    if (auto v = c.str(j["mappings"], "dir", "/mappings", false)) cfg.mappings_dir = *v;
    if (auto v = c.str(j["mappings"], "code_tables_dir", "/mappings", false)) cfg.code_tables_dir = *v;
  }
  cfg.plugins.dir = cfg.data_dir + "/plugins";
  if (j.contains("plugins")) {
    const auto& p = j["plugins"];
    static const std::vector<std::string> kPlugin{
        "dir",          "allowlist_file",  "allowlist",      "scan_interval_ms", "max_inflight",
        "heartbeat_ms", "hang_timeout_ms", "restart_min_ms", "restart_max_ms",   "drain_timeout_ms"};
    if (c.keys(p, "/plugins", kPlugin, "plugins")) {
      if (auto v = c.str(p, "dir", "/plugins", false)) cfg.plugins.dir = *v;
      if (auto v = c.str(p, "allowlist_file", "/plugins", false)) cfg.plugins.allowlist_file = *v;
      if (p.contains("allowlist")) {
        if (!p["allowlist"].is_array()) {
          c.problem("/plugins/allowlist", "allowlist must be a list of SHA-256 hex digests");
        } else {
          for (size_t i = 0; i < p["allowlist"].size(); ++i) {
            const auto& e = p["allowlist"][i];
            if (!e.is_string() || !is_hex64(e.get<std::string>()))
              c.problem("/plugins/allowlist/" + std::to_string(i),
                        "not a lowercase SHA-256 hex digest (64 characters)");
            else
              cfg.plugins.allowlist.push_back(e.get<std::string>());
          }
        }
      }
      auto num = [&](const char* k, int64_t& dst, int64_t min, int64_t max) {
        if (auto v = c.integer(p, k, "/plugins", min, max)) dst = *v;
      };
      num("scan_interval_ms", cfg.plugins.scan_interval_ms, 50, 600000);
      num("max_inflight", cfg.plugins.max_inflight, 1, 1024);
      num("heartbeat_ms", cfg.plugins.heartbeat_ms, 50, 60000);
      num("hang_timeout_ms", cfg.plugins.hang_timeout_ms, 500, 3600000);
      num("restart_min_ms", cfg.plugins.restart_min_ms, 10, 600000);
      num("restart_max_ms", cfg.plugins.restart_max_ms, 10, 3600000);
      num("drain_timeout_ms", cfg.plugins.drain_timeout_ms, 100, 3600000);
      if (cfg.plugins.hang_timeout_ms <= cfg.plugins.heartbeat_ms * 2)
        c.problem("/plugins/hang_timeout_ms", "hang_timeout_ms must be more than twice heartbeat_ms");
    }
  }
  if (j.contains("router") && c.keys(j["router"], "/router", {"endpoint"}, "router")) {
    if (auto v = c.str(j["router"], "endpoint", "/router", false)) {
      if (v->rfind("ipc://", 0) != 0 && v->rfind("tcp://", 0) != 0)
        c.problem("/router/endpoint", "endpoint must start with ipc:// or tcp://");
      cfg.router_endpoint = *v;
    }
  }
  if (cfg.router_endpoint.empty()) cfg.router_endpoint = "ipc://" + cfg.run_dir() + "/router.sock";
  if (j.contains("ingest") && c.keys(j["ingest"], "/ingest", {"max_unit_bytes", "quarantine_raw_limit"}, "ingest")) {
    if (auto v = c.integer(j["ingest"], "max_unit_bytes", "/ingest", 1024, int64_t{1} << 40)) cfg.max_unit_bytes = *v;
    if (auto v = c.integer(j["ingest"], "quarantine_raw_limit", "/ingest", 0, int64_t{1} << 40))
      cfg.quarantine_raw_limit = *v;
  }
  if (j.contains("adapters")) {
    if (!j["adapters"].is_object()) {
      c.problem("/adapters", "adapters must be an object of plugin name -> its config");
    } else {
      for (const auto& [name, a] : j["adapters"].items()) {
        if (!a.is_object())
          c.problem(pointer_append("/adapters", name), "an adapter's config must be an object");
        else if (a.contains("feed") && !a["feed"].is_string())
          c.problem(pointer_append(pointer_append("/adapters", name), "feed"), "feed must be a mapping name");
      }
      cfg.adapters = nlohmann::json::parse(j["adapters"].dump());
    }
  }
  if (j.contains("destinations")) {
    if (!j["destinations"].is_object()) {
      c.problem("/destinations", "destinations must be an object of name -> platform");
    } else {
      static const std::vector<std::string> kDest{
          "connector_file", "base_url",         "app_id",          "secret_file", "secret_env", "batch_size",
          "concurrency",    "linger_ms",        "timeout_ms",      "verify_tls",  "ca_file",    "retry_min_ms",
          "retry_max_ms",   "circuit_failures", "circuit_open_ms", "route",       "pull",       "connector_options",
          "description"};
      int pulls = 0;
      for (const auto& [name, d] : j["destinations"].items()) {
        std::string ptr = pointer_append("/destinations", name);
        if (d.is_object() && d.contains("secret")) {
          c.problem(pointer_append(ptr, "secret"),
                    "secrets never go in the config file: give secret_file (a file readable only by the gateway) "
                    "or secret_env (an environment variable)");
          continue;
        }
        if (!c.keys(d, ptr, kDest, "a destination")) continue;
        DestinationConfig dc;
        dc.name = name;
        dc.connector_file = cfg.plugins.dir + "/connectors/libcg_connector_platform_v1.so";
        if (auto v = c.str(d, "connector_file", ptr, false)) dc.connector_file = *v;
        if (auto v = c.str(d, "base_url", ptr, true)) {
          if (v->rfind("http://", 0) != 0 && v->rfind("https://", 0) != 0)
            c.problem(pointer_append(ptr, "base_url"), "base_url must start with http:// or https://");
          dc.base_url = *v;
        }
        if (auto v = c.str(d, "app_id", ptr, true)) dc.app_id = *v;
        if (auto v = c.str(d, "secret_file", ptr, false)) dc.secret_file = *v;
        if (auto v = c.str(d, "secret_env", ptr, false)) dc.secret_env = *v;
        if (dc.secret_file.empty() == dc.secret_env.empty())
          c.problem(ptr, "give exactly one of secret_file and secret_env");
        auto num = [&, &dest = d](const char* k, int64_t& dst, int64_t min, int64_t max) {
          if (auto v = c.integer(dest, k, ptr, min, max)) dst = *v;
        };
        num("batch_size", dc.batch_size, 1, 1000);
        num("concurrency", dc.concurrency, 1, 16);
        num("linger_ms", dc.linger_ms, 0, 600000);
        num("timeout_ms", dc.timeout_ms, 100, 600000);
        num("retry_min_ms", dc.retry_min_ms, 10, 3600000);
        num("retry_max_ms", dc.retry_max_ms, 10, 86400000);
        num("circuit_failures", dc.circuit_failures, 1, 1000);
        num("circuit_open_ms", dc.circuit_open_ms, 100, 86400000);
        if (auto v = c.boolean(d, "verify_tls", ptr)) dc.verify_tls = *v;
        if (auto v = c.str(d, "ca_file", ptr, false)) dc.ca_file = *v;
        if (auto v = c.boolean(d, "pull", ptr)) dc.pull = *v;
        if (dc.pull) ++pulls;
        if (d.contains("connector_options"))
          dc.connector_options = nlohmann::json::parse(d["connector_options"].dump());
        if (d.contains("route") &&
            c.keys(d["route"], pointer_append(ptr, "route"), {"kinds", "departments", "regions"}, "route")) {
          const auto& r = d["route"];
          auto list = [&](const char* k, std::vector<std::string>& dst) {
            if (!r.contains(k)) return;
            if (!r[k].is_array()) {
              c.problem(pointer_append(pointer_append(ptr, "route"), k), std::string(k) + " must be a list");
              return;
            }
            for (const auto& e : r[k])
              if (e.is_string()) dst.push_back(e.get<std::string>());
          };
          list("kinds", dc.route_kinds);
          list("departments", dc.route_departments);
          list("regions", dc.route_regions);
        }
        cfg.destinations.push_back(std::move(dc));
      }
      if (pulls > 1)
        c.problem("/destinations", "only one destination may have \"pull\": true (the provincial platform)");
    }
  }
  if (auto v = c.str(j, "catalog", "", false)) cfg.catalog_file = *v;
  cfg.admin_tokens_file = cfg.data_dir + "/admin.tokens";
  if (j.contains("admin") && c.keys(j["admin"], "/admin",
                                    {"listen", "tokens_file", "max_body_bytes", "max_header_bytes", "idle_timeout_ms",
                                     "header_timeout_ms", "body_timeout_ms", "max_connections", "max_buffered_bytes"},
                                    "admin")) {
    auto limits = sdk::HttpServer::limits_from(j["admin"].dump(), cfg.admin_http);
    if (limits.ok())
      cfg.admin_http = *limits;
    else
      c.problem(pointer_append("/admin", limits.error().where), limits.error().message);
    if (auto v = c.str(j["admin"], "listen", "/admin", false)) {
      if (*v != "off" && v->rfind(':') == std::string::npos)
        c.problem("/admin/listen", "listen must be address:port (port 0 picks one) or \"off\"");
      cfg.admin_listen = *v;
    }
    if (auto v = c.str(j["admin"], "tokens_file", "/admin", false)) cfg.admin_tokens_file = *v;
  }
  // Jobs: defaults that an operator may change or turn off ("cron": "off").
  std::map<std::string, JobConfig> jobs = {{"sync", {"sync", "*/5 * * * *", nlohmann::json::object()}},
                                           {"reconcile", {"reconcile", "30 2 * * *", nlohmann::json::object()}},
                                           {"expiry", {"expiry", "5 0 * * *", nlohmann::json::object()}}};
  if (j.contains("jobs") && c.keys(j["jobs"], "/jobs", {"sync", "reconcile", "expiry"}, "jobs")) {
    for (const auto& [name, jc] : j["jobs"].items()) {
      std::string ptr = pointer_append("/jobs", name);
      if (!c.keys(jc, ptr, {"cron", "page_size", "requeue", "description"}, "a job")) continue;
      if (auto v = c.str(jc, "cron", ptr, false)) jobs[name].cron = *v;
      if (auto v = c.integer(jc, "page_size", ptr, 1, 1000)) cfg.sync_page_size = *v;
      if (auto v = c.boolean(jc, "requeue", ptr)) jobs[name].options["requeue"] = *v;
    }
  }
  for (auto& [name, jc] : jobs) cfg.jobs.push_back(jc);
  out.problems = std::move(c.problems);
  if (out.problems.empty())
    out.config = std::move(cfg);
  else
    out.as_read = std::move(cfg);
  return out;
}

Result<std::string> resolve_secret(const DestinationConfig& d) {
  std::string secret;
  if (!d.secret_env.empty()) {
    const char* v = std::getenv(d.secret_env.c_str());
    if (!v || !*v)
      return make_error("secret", "environment variable " + d.secret_env + " is not set", "destination " + d.name);
    secret = v;
  } else {
    if (auto s = check_private_file(d.secret_file, "the secret file of destination " + d.name); !s) return s.error();
    std::ifstream in(d.secret_file, std::ios::binary);
    if (!in) return make_error("secret", "cannot read the secret file " + d.secret_file, "destination " + d.name);
    std::ostringstream ss;
    ss << in.rdbuf();
    secret = ss.str();
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  }
  if (secret.size() < 32) return make_error("secret", "the secret is shorter than 32 bytes", "destination " + d.name);
  return secret;
}

Result<std::vector<std::string>> allowed_digests(const PluginsConfig& p) {
  std::vector<std::string> out = p.allowlist;
  if (p.allowlist_file.empty()) return out;
  std::ifstream in(p.allowlist_file);
  if (!in) return out;  // no file yet: only the inline list
  std::string line;
  size_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ls(line);
    std::string digest;
    ls >> digest;
    if (!is_hex64(digest))
      return make_error("allowlist", "not a SHA-256 digest (sha256sum format expected)",
                        p.allowlist_file + ":" + std::to_string(n));
    out.push_back(digest);
  }
  return out;
}

}  // namespace cg::config
