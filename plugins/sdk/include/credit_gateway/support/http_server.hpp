// A small HTTP/1.1 server for loopback and closed networks: one thread, poll(),
// Content-Length bodies, keep-alive, answers that may be given later (an
// ingest endpoint answers only after the store commit), and limits on what
// clients may hold: header size, read deadlines, connections, buffered bytes.
#pragma once

#include <credit_gateway/options.hpp>
#include <credit_gateway/support/result.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cg::sdk {

struct HttpRequest {
  uint64_t id = 0;  // to answer a deferred request with respond()
  std::string method;
  std::string target;  // path and query as sent
  std::string path;
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::string peer;

  [[nodiscard]] std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool close = false;  // drop the connection after sending (fault injection)
  bool drop = false;   // drop the connection without answering (fault injection)
};

// nullopt: the handler will answer later with respond(request.id, ...).
using HttpHandler = std::function<std::optional<HttpResponse>(const HttpRequest&)>;

HttpResponse json_response(int status, const std::string& body);
HttpResponse error_response(int status, const std::string& code, const std::string& message);
std::string url_decode(const std::string& s);

class HttpServer {
 public:
  explicit HttpServer(HttpHandler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // host "127.0.0.1", port 0 picks a free port; returns the bound port.
  Result<uint16_t> listen(const std::string& host, uint16_t port);
  // Accepts, reads, dispatches and writes for at most timeout_ms.
  void poll(int timeout_ms);
  // Answers a deferred request; false when its connection is gone.
  bool respond(uint64_t request_id, HttpResponse response);

  // What one listener lets its clients hold: a slow or hostile client gets
  // a 408, 431, 413 or 503 and its connection closed, never the memory.
  struct Limits {
    size_t max_body_bytes = 8 * 1024 * 1024;
    size_t max_header_bytes = 64 * 1024;
    int idle_timeout_ms = 60000;                   // a kept-alive connection waiting for its next request
    int header_timeout_ms = 10000;                 // a request's head, from its first byte
    int body_timeout_ms = 30000;                   // its body, from the end of its head
    size_t max_connections = 256;                  // more are closed at once
    size_t max_buffered_bytes = 64 * 1024 * 1024;  // received and not yet answered, over all connections

    bool operator==(const Limits&) const = default;
  };
  Limits limits;
  // The limits as options (keys as in Limits), for a plugin's table.
  static std::vector<Option> limit_options(const Limits& defaults);
  // The limits from an adapter's or the admin API's options (other keys are
  // left alone; absent ones keep their defaults); problems name the key.
  static Result<Limits> limits_from(const std::string& json_object, Limits defaults);

 private:
  struct Conn;
  void accept_all();
  void read(Conn& c);
  void parse(Conn& c);
  void write(Conn& c);
  void queue(Conn& c, const HttpResponse& r);
  void refuse(Conn& c, int status, const std::string& code, const std::string& message);
  void consume(Conn& c, size_t bytes);

  HttpHandler handler_;
  int listen_fd_ = -1;
  uint64_t next_id_ = 1;
  std::map<int, std::unique_ptr<Conn>> conns_;
  size_t buffered_ = 0;  // bytes in the connections' input buffers
};

}  // namespace cg::sdk
