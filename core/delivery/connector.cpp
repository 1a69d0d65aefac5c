#include "delivery/connector.hpp"

#include <algorithm>
#include <thread>

#include "plugin_host/plugin_library.hpp"
#include "plugin_host/plugin_options.hpp"

namespace cg::delivery {

Result<std::unique_ptr<Connector>> Connector::open(const config::Config& cfg, const config::DestinationConfig& d) {
  const std::string& path = d.connector_file;
  const std::string where = "destination " + d.name;
  auto sha = plugin_host::file_sha256(path);
  if (!sha.ok()) return make_error("connector", "cannot read connector " + path, where);
  auto allowed = config::allowed_digests(cfg.plugins);
  if (!allowed.ok()) return allowed.error();
  if (std::find(allowed->begin(), allowed->end(), *sha) == allowed->end())
    return make_error("connector", "connector " + path + " (SHA-256 " + *sha + ") is not on the plugin allowlist",
                      where);
  // Loaded from a copy whose digest is checked, as adapters are.
  auto copy = plugin_host::copy_verified(path, *sha, cfg.plugin_copies_dir());
  if (!copy.ok()) return make_error("connector", copy.error().to_string(), where);
  auto lib = plugin_host::PluginLibrary::load(*copy, *sha);
  if (!lib.ok()) return make_error("connector", path + ": " + lib.error().message, where);
  if (lib->kind() != plugin_host::PluginLibrary::Kind::Connector)
    return make_error("connector", path + " is an adapter, not a platform connector", where);
  std::unique_ptr<Connector> c(new Connector());
  c->lib_ = std::move(lib.value());
  c->api_ = &c->lib_.connector();
  auto secret = config::resolve_secret(d);
  if (!secret.ok()) return secret.error();
  nlohmann::json opts = d.connector_options;
  opts["base_url"] = d.base_url;
  opts["app_id"] = d.app_id;
  opts["secret"] = *secret;
  opts["timeout_ms"] = d.timeout_ms;
  opts["verify_tls"] = d.verify_tls;
  if (!d.ca_file.empty()) opts["ca_file"] = d.ca_file;
  const cg_connector_v1& api = *c->api_;
  if (auto s =
          plugin_host::check_plugin_options(opts, api.config_doc, api.name ? api.name : path, "destinations." + d.name);
      !s)
    return s.error();
  char err[512] = {0};
  std::string text = opts.dump();
  c->self_ = c->api_->create(text.c_str(), err, sizeof err);
  std::fill(text.begin(), text.end(), '\0');  // the secret does not linger here
  if (!c->self_)
    return make_error("connector", std::string("connector refused its config: ") + err, "destination " + d.name);
  if (d.feedback && !c->can_post())
    return make_error("connector",
                      path +
                          " cannot relay execution feedback (no cg_connector_v1.post): rebuild it against this "
                          "SDK, or set feedback to false",
                      "destinations." + d.name + ".feedback");
  return c;
}

Connector::~Connector() {
  if (self_) api_->destroy(self_);
}

PlatformAnswer Connector::take(cg_response& r) {
  PlatformAnswer a;
  a.status = r.http_status;
  if (r.body) a.body.assign(r.body, r.body_len);
  if (r.error) a.error = r.error;
  a.timed_out = r.timed_out != 0;
  if (r.retry_after) {
    try {
      a.retry_after_s = std::stoll(r.retry_after);
    } catch (...) {
    }
  }
  api_->free_response(self_, &r);
  return a;
}

PlatformAnswer Connector::push_batch(const std::string& batch_id, const std::string& body) {
  cg_response r{};
  api_->push_batch(self_, batch_id.c_str(), body.data(), body.size(), &r);
  return take(r);
}

PlatformAnswer Connector::get(const std::string& path_and_query) {
  cg_response r{};
  api_->get(self_, path_and_query.c_str(), &r);
  return take(r);
}

PlatformAnswer Connector::post(const std::string& path, const std::string& key, const std::string& body) {
  if (!can_post()) {
    PlatformAnswer a;
    a.error = "connector " + name() + " cannot POST (it was built before cg_connector_v1.post)";
    return a;
  }
  cg_response r{};
  api_->post(self_, path.c_str(), key.c_str(), body.data(), body.size(), &r);
  return take(r);
}

PlatformAnswer get_with_retries(Connector& c, const std::string& path, int attempts) {
  PlatformAnswer a;
  for (int attempt = 0; attempt < attempts; ++attempt) {
    a = c.get(path);
    if (a.status != 0 && a.status != 429 && a.status < 500) return a;
    int64_t wait_ms = a.retry_after_s ? *a.retry_after_s * 1000 : (int64_t{200} << attempt);
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min<int64_t>(wait_ms, 5000)));
  }
  return a;
}

}  // namespace cg::delivery
