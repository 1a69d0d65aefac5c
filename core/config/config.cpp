#include "config/config.hpp"

#include <fstream>
#include <sstream>

#include "common/json_check.hpp"

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
  LoadResult out;
  auto doc = JsoncDocument::load_file(path);
  if (!doc.ok()) {
    out.problems.push_back(doc.error());
    return out;
  }
  JsonChecker c(*doc);
  const auto& j = doc->value();
  Config cfg;
  cfg.file = path;
  static const std::vector<std::string> kTop{"node_id", "data_dir", "log_level", "store", "mappings", "plugins",
                                             "router", "ingest", "adapters", "description"};
  if (!c.keys(j, "", kTop, "the gateway config")) {
    out.problems = c.problems;
    return out;
  }
  if (auto v = c.str(j, "node_id", "", true)) {
    cfg.node_id = *v;
    if (v->empty() || v->size() > 64 || v->find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != std::string::npos)
      c.problem("/node_id", "node_id must be 1 to 64 of [A-Za-z0-9_-] (it is the platforms' 'source')");
  }
  if (auto v = c.str(j, "data_dir", "", false)) cfg.data_dir = *v;
  if (auto v = c.str(j, "log_level", "", false)) {
    if (*v != "debug" && *v != "info" && *v != "warn" && *v != "error")
      c.problem("/log_level", "log_level must be debug, info, warn or error");
    cfg.log_level = *v;
  }
  cfg.store.path = cfg.data_dir + "/gateway.db";
  if (j.contains("store") && c.keys(j["store"], "/store", {"type", "path", "synchronous"}, "store")) {
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
  }
  if (j.contains("mappings") && c.keys(j["mappings"], "/mappings", {"dir", "code_tables_dir"}, "mappings")) {
    if (auto v = c.str(j["mappings"], "dir", "/mappings", false)) cfg.mappings_dir = *v;
    if (auto v = c.str(j["mappings"], "code_tables_dir", "/mappings", false)) cfg.code_tables_dir = *v;
  }
  cfg.plugins.dir = cfg.data_dir + "/plugins";
  if (j.contains("plugins")) {
    const auto& p = j["plugins"];
    static const std::vector<std::string> kPlugin{"dir", "allowlist_file", "allowlist", "scan_interval_ms",
                                                  "max_inflight", "heartbeat_ms", "hang_timeout_ms",
                                                  "restart_min_ms", "restart_max_ms", "drain_timeout_ms"};
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
              c.problem("/plugins/allowlist/" + std::to_string(i), "not a lowercase SHA-256 hex digest (64 characters)");
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
        if (!a.is_object()) c.problem(pointer_append("/adapters", name), "an adapter's config must be an object");
        else if (a.contains("feed") && !a["feed"].is_string())
          c.problem(pointer_append(pointer_append("/adapters", name), "feed"), "feed must be a mapping name");
      }
      cfg.adapters = nlohmann::json::parse(j["adapters"].dump());
    }
  }
  out.problems = std::move(c.problems);
  if (out.problems.empty()) out.config = std::move(cfg);
  return out;
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
