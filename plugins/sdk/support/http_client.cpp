#include <curl/curl.h>
#include <sys/socket.h>

#include <credit_gateway/support/http_client.hpp>
#include <mutex>

#include "header_text.hpp"

namespace cg::sdk {

namespace {

std::once_flag g_init;

size_t on_body(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* headers = static_cast<std::map<std::string, std::string>*>(user);
  std::string line(data, size * n);
  auto colon = line.find(':');
  if (colon != std::string::npos)
    (*headers)[detail::lower_ascii(line.substr(0, colon))] = detail::trim_ows(line.substr(colon + 1));
  return size * n;
}

// libcurl re-sends a request by itself when a reused connection dies before
// any answer. A signed request must never go out twice (the platform would
// see its nonce again), so once the request has been sent, opening another
// socket in the same transfer is refused: the transfer fails, and the caller
// retries with a freshly signed request.
struct SendGuard {
  bool sent = false;
};

int on_debug(CURL*, curl_infotype type, char*, size_t, void* user) {
  if (type == CURLINFO_HEADER_OUT) static_cast<SendGuard*>(user)->sent = true;
  return 0;
}

curl_socket_t on_open_socket(void* user, curlsocktype purpose, curl_sockaddr* addr) {
  if (purpose == CURLSOCKTYPE_IPCXN && static_cast<SendGuard*>(user)->sent) return CURL_SOCKET_BAD;
  return ::socket(addr->family, addr->socktype, addr->protocol);
}

// RAII for a curl header list.
struct HeaderList {
  curl_slist* list = nullptr;
  ~HeaderList() { curl_slist_free_all(list); }
  void add(const std::string& h) { list = curl_slist_append(list, h.c_str()); }
};

}  // namespace

HttpClient::HttpClient(HttpClientOptions opts) : opts_(std::move(opts)) {
  std::call_once(g_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  curl_ = curl_easy_init();
}

HttpClient::~HttpClient() {
  curl_easy_cleanup(static_cast<CURL*>(curl_));
}

HttpResult HttpClient::request(const std::string& method, const std::string& url, std::string_view body,
                               const std::vector<std::pair<std::string, std::string>>& headers) {
  HttpResult r;
  auto* c = static_cast<CURL*>(curl_);
  curl_easy_reset(c);
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, opts_.timeout_ms);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, opts_.connect_timeout_ms);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, opts_.verify_tls ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, opts_.verify_tls ? 2L : 0L);
  if (!opts_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, opts_.ca_file.c_str());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &r.headers);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  SendGuard guard;
  curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);  // only to see, in on_debug, when the request has gone out
  curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, on_debug);
  curl_easy_setopt(c, CURLOPT_DEBUGDATA, &guard);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &guard);
  HeaderList list;
  list.add("Expect:");  // no 100-continue round trip
  for (const auto& [k, v] : headers) list.add(k + ": " + v);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list.list);
  if (method == "GET") {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    r.status = 0;
    r.error = curl_easy_strerror(rc);
    r.timed_out = rc == CURLE_OPERATION_TIMEDOUT;
    return r;
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  return r;
}

}  // namespace cg::sdk
