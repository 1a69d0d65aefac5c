// An HTTP client over libcurl: one handle per client, so connections are
// reused; TLS certificates are verified unless the config says otherwise.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cg::sdk {

struct HttpClientOptions {
  long timeout_ms = 30000;
  long connect_timeout_ms = 5000;
  bool verify_tls = true;
  std::string ca_file;  // PEM bundle; empty = the system's
};

struct HttpResult {
  long status = 0;  // 0 when no answer came (see error)
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string error;                           // transport error text (refused, reset, timeout...)
  bool timed_out = false;
  [[nodiscard]] bool transport_failed() const { return status == 0; }
};

class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions opts = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // `body` is sent as it is, not copied.
  HttpResult request(const std::string& method, const std::string& url, std::string_view body = {},
                     const std::vector<std::pair<std::string, std::string>>& headers = {});

 private:
  void* curl_;  // CURL*
  HttpClientOptions opts_;
};

}  // namespace cg::sdk
