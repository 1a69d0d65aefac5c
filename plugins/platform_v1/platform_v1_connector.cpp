// The platform connector for contract v1 (docs/platform-api.md): HMAC-SHA256
// signed requests over libcurl, one connection reused, TLS verified unless the
// destination's config says otherwise.
//
// string_to_sign = METHOD \n PATH_AND_QUERY \n X-Timestamp \n X-Nonce \n hex(SHA-256(body))
#include <credit_gateway/connector.h>
#include <openssl/rand.h>

#include <chrono>
#include <credit_gateway/options.hpp>
#include <credit_gateway/support/hash.hpp>
#include <credit_gateway/support/http_client.hpp>
#include <credit_gateway/support/signing.hpp>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>

namespace {

using cg::sdk::Option;

constexpr int64_t kHour = 3600000;
const cg::sdk::Options kOptions{
    Option::required_text("base_url", "the platform's URL, e.g. https://credit.sc.gov.cn"),
    Option::required_text("app_id", "the app id the platform gave this gateway"),
    Option::required_text("secret",
                          "set by the gateway from the destination's secret_file or secret_env; never in "
                          "the config"),
    Option::integer("timeout_ms", 10000, "whole-request timeout").between(1, kHour),
    Option::integer("connect_timeout_ms", 3000, "connect timeout").between(1, kHour),
    Option::boolean("verify_tls", true, "verify the platform's certificate"),
    Option::text("ca_file", "", "PEM bundle of trusted CAs (none: the system's)"),
};

char* dup(const std::string& s) {
  char* p = static_cast<char*>(std::malloc(s.size() + 1));
  std::memcpy(p, s.data(), s.size());
  p[s.size()] = 0;
  return p;
}

std::string nonce() {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1) {
    auto t = std::chrono::steady_clock::now().time_since_epoch().count();
    std::memcpy(b, &t, sizeof t);
  }
  return cg::sdk::to_hex(b, sizeof b);  // 32 of [0-9a-f]
}

std::string path_of(const std::string& base_url) {
  // "http://host:port/prefix" -> "/prefix" (no trailing slash)
  auto scheme = base_url.find("://");
  auto slash = base_url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  std::string p = slash == std::string::npos ? "" : base_url.substr(slash);
  while (!p.empty() && p.back() == '/') p.pop_back();
  return p;
}

struct Connector {
  std::string base_url;  // without trailing slash
  std::string prefix;    // path part of base_url
  std::string app_id;
  std::string secret;
  cg::sdk::HttpClient http;

  Connector(const cg::sdk::OptionValues& c, cg::sdk::HttpClientOptions o)
      : base_url(c.text("base_url")), app_id(c.text("app_id")), secret(c.text("secret")), http(o) {
    while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
    prefix = path_of(base_url);
    if (secret.size() < 32) throw std::runtime_error("the secret must be at least 32 bytes");
  }

  void send(const std::string& method, const std::string& path_and_query, std::string_view body,
            const std::string& idempotency_key, cg_response* out) {
    std::string target = prefix + path_and_query;
    std::string ts = std::to_string(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
    std::string n = nonce();
    std::vector<std::pair<std::string, std::string>> headers = {
        {"X-App-Id", app_id},
        {"X-Timestamp", ts},
        {"X-Nonce", n},
        {"X-Signature", cg::sdk::sign_request(secret, method, target, ts, n, body)}};
    if (method == "POST") headers.emplace_back("Content-Type", "application/json");
    if (!idempotency_key.empty()) headers.emplace_back("Idempotency-Key", idempotency_key);
    std::string scheme_host = base_url.substr(0, base_url.size() - prefix.size());
    auto r = http.request(method, scheme_host + target, body, headers);
    std::memset(out, 0, sizeof *out);
    out->http_status = static_cast<int32_t>(r.status);
    out->body = dup(r.body);
    out->body_len = r.body.size();
    auto ra = r.headers.find("retry-after");
    out->retry_after = ra == r.headers.end() ? nullptr : dup(ra->second);
    out->error = r.error.empty() ? nullptr : dup(r.error);
    out->timed_out = r.timed_out ? 1 : 0;
  }
};

void* create(const char* config_json, char* err, size_t errlen) {
  try {
    const auto c = kOptions.read(config_json);
    cg::sdk::HttpClientOptions o;
    o.timeout_ms = c.integer("timeout_ms");
    o.connect_timeout_ms = c.integer("connect_timeout_ms");
    o.verify_tls = c.boolean("verify_tls");
    o.ca_file = c.text("ca_file");
    return new Connector(c, o);
  } catch (const std::exception& e) {
    std::snprintf(err, errlen, "%s", e.what());
  }
  return nullptr;
}

int32_t push_batch(void* self, const char* batch_id, const char* body, size_t len, cg_response* out) {
  try {
    static_cast<Connector*>(self)->send("POST", "/api/v1/records:batch", std::string_view(body, len), batch_id, out);
    return CG_OK;
  } catch (const std::exception& e) {
    std::memset(out, 0, sizeof *out);
    out->error = dup(e.what());
    return CG_ERROR;
  }
}

int32_t post(void* self, const char* path_and_query, const char* idempotency_key, const char* body, size_t len,
             cg_response* out) {
  try {
    static_cast<Connector*>(self)->send("POST", path_and_query, std::string_view(body, len), idempotency_key, out);
    return CG_OK;
  } catch (const std::exception& e) {
    std::memset(out, 0, sizeof *out);
    out->error = dup(e.what());
    return CG_ERROR;
  }
}

int32_t get(void* self, const char* path_and_query, cg_response* out) {
  try {
    static_cast<Connector*>(self)->send("GET", path_and_query, "", "", out);
    return CG_OK;
  } catch (const std::exception& e) {
    std::memset(out, 0, sizeof *out);
    out->error = dup(e.what());
    return CG_ERROR;
  }
}

void free_response(void*, cg_response* r) {
  std::free(r->body);
  std::free(r->retry_after);
  std::free(r->error);
  std::memset(r, 0, sizeof *r);
}

void destroy(void* self) {
  delete static_cast<Connector*>(self);
}

const std::string kConfigDoc = kOptions.doc();

const cg_connector_v1 kDescriptor = {CG_PLUGIN_ABI_VERSION,
                                     "platform-v1",
                                     "1.0.0",
                                     "Public credit platform contract v1: HMAC-SHA256 signed JSON over HTTPS",
                                     kConfigDoc.c_str(),
                                     &create,
                                     &push_batch,
                                     &get,
                                     &free_response,
                                     &destroy,
                                     &post};

}  // namespace

CG_EXPORT_CONNECTOR(kDescriptor)
