#include "config/config.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "common/json_check.hpp"
#include "common/private_file.hpp"
#include "common/text.hpp"
#include "config/config_map.hpp"

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
  if (!top_level_map().read(c, j, "", "the gateway config", cfg)) {
    out.problems = c.problems;
    return out;
  }
  if (j.contains("node_id") && j["node_id"].is_string() &&
      (cfg.node_id.empty() || cfg.node_id.size() > 64 ||
       cfg.node_id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
           std::string::npos))
    c.problem("/node_id", "node_id must be 1 to 64 of [A-Za-z0-9_-] (it is the platforms' 'source')");
  cfg.store.path = cfg.data_dir + "/gateway.db";
  if (j.contains("store")) store_map().read(c, j["store"], "/store", "store", cfg.store);
  if (j.contains("mappings")) mappings_map().read(c, j["mappings"], "/mappings", "mappings", cfg);
  cfg.plugins.dir = cfg.data_dir + "/plugins";
  if (j.contains("plugins")) {
    const auto& p = j["plugins"];
    if (plugins_map().read(c, p, "/plugins", "plugins", cfg.plugins)) {
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
      if (cfg.plugins.hang_timeout_ms <= cfg.plugins.heartbeat_ms * 2)
        c.problem("/plugins/hang_timeout_ms", "hang_timeout_ms must be more than twice heartbeat_ms");
    }
  }
  if (j.contains("router") && router_map().read(c, j["router"], "/router", "router", cfg) &&
      !cfg.router_endpoint.empty() && cfg.router_endpoint.rfind("ipc://", 0) != 0 &&
      cfg.router_endpoint.rfind("tcp://", 0) != 0)
    c.problem("/router/endpoint", "endpoint must start with ipc:// or tcp://");
  if (cfg.router_endpoint.empty()) cfg.router_endpoint = "ipc://" + cfg.run_dir() + "/router.sock";
  if (j.contains("ingest")) ingest_map().read(c, j["ingest"], "/ingest", "ingest", cfg);
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
  if (j.contains("departments")) {
    const auto& d = j["departments"];
    if (!d.is_object()) {
      c.problem("/departments", "departments must be an object of department id -> its name");
    } else {
      for (const auto& [id, name] : d.items()) {
        const std::string ptr = pointer_append("/departments", id);
        if (!text::is_lower_identifier(id))
          c.problem(ptr, "a department id is a lower-case identifier such as 'finance'");
        else if (!name.is_string() || name.get<std::string>().empty())
          c.problem(ptr, "a department's name, as text (财政局)");
        else
          cfg.departments[id] = name.get<std::string>();
      }
    }
  }
  if (j.contains("destinations")) {
    if (!j["destinations"].is_object()) {
      c.problem("/destinations", "destinations must be an object of name -> platform");
    } else {
      int pulls = 0;
      for (const auto& [name, d] : j["destinations"].items()) {
        std::string ptr = pointer_append("/destinations", name);
        if (d.is_object() && d.contains("secret")) {
          c.problem(pointer_append(ptr, "secret"),
                    "secrets never go in the config file: give secret_file (a file readable only by the gateway) "
                    "or secret_env (an environment variable)");
          continue;
        }
        DestinationConfig dc;
        dc.name = name;
        dc.connector_file = cfg.plugins.dir + "/connectors/libcg_connector_platform_v1.so";
        if (!destination_map().read(c, d, ptr, "a destination", dc)) continue;
        if (d.contains("base_url") && d["base_url"].is_string() && dc.base_url.rfind("http://", 0) != 0 &&
            dc.base_url.rfind("https://", 0) != 0)
          c.problem(pointer_append(ptr, "base_url"), "base_url must start with http:// or https://");
        if (dc.secret_file.empty() == dc.secret_env.empty())
          c.problem(ptr, "give exactly one of secret_file and secret_env");
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
  cfg.admin_tokens_file = cfg.data_dir + "/admin.tokens";
  cfg.department_api_tokens_file = cfg.data_dir + "/department.tokens";
  // A listener's section: its map, its HTTP limits and its address.
  auto listener = [&](const char* key, const ConfigMap<Config>& map, std::string& listen,
                      sdk::HttpServer::Limits& http) {
    const std::string ptr = std::string("/") + key;
    if (!j.contains(key) || !map.read(c, j[key], ptr, key, cfg)) return;
    auto limits = sdk::HttpServer::limits_from(j[key].dump(), http);
    if (limits.ok())
      http = *limits;
    else
      c.problem(pointer_append(ptr, limits.error().where), limits.error().message);
    if (j[key].contains("listen") && listen != "off" && listen.rfind(':') == std::string::npos)
      c.problem(ptr + "/listen", "listen must be address:port (port 0 picks one) or \"off\"");
  };
  listener("admin", admin_map(), cfg.admin_listen, cfg.admin_http);
  listener("department_api", department_api_map(), cfg.department_api_listen, cfg.department_api_http);
  if (cfg.department_api_listen != "off" && cfg.department_api_listen == cfg.admin_listen &&
      !cfg.admin_listen.ends_with(":0"))
    c.problem("/department_api/listen",
              "the department API needs an address of its own, not the admin API's (" + cfg.admin_listen + ")");
  // Jobs: defaults that an operator may change or turn off ("cron": "off").
  std::map<std::string, JobConfig> jobs = {{"sync", {"sync", "*/5 * * * *", nlohmann::json::object()}},
                                           {"reconcile", {"reconcile", "30 2 * * *", nlohmann::json::object()}},
                                           {"expiry", {"expiry", "5 0 * * *", nlohmann::json::object()}},
                                           {"overdue", {"overdue", "15 0 * * *", nlohmann::json::object()}},
                                           {"publicity", {"publicity", "*/10 * * * *", nlohmann::json::object()}}};
  if (j.contains("jobs") &&
      c.keys(j["jobs"], "/jobs", {"sync", "reconcile", "expiry", "overdue", "publicity"}, "jobs")) {
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

std::vector<std::string> Config::feedback_destinations() const {
  std::vector<std::string> out;
  for (const auto& d : destinations)
    if (d.feedback) out.push_back(d.name);
  return out;
}

std::string Config::department_name(const std::string& id) const {
  static const std::map<std::string, std::string> kBuiltIn = {
      {"court", "法院"}, {"tax", "税务"}, {"market_regulation", "市场监管"}, {"procurement", "政府采购"}};
  if (auto it = departments.find(id); it != departments.end() && !it->second.empty()) return it->second;
  if (auto it = kBuiltIn.find(id); it != kBuiltIn.end()) return it->second;
  return id;
}

std::vector<std::string> Config::department_ids() const {
  std::vector<std::string> ids{"court", "tax", "market_regulation", "procurement"};
  for (const auto& [id, _] : departments)
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  return ids;
}

}  // namespace cg::config
