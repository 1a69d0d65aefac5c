// An HTTP API served on a thread of its own: bound to "address:port" (port
// 0 picks one), the port written to a file for scripts, stopped and joined
// when the listener goes. The admin and department APIs are each one.
#pragma once

#include <atomic>
#include <credit_gateway/support/http_server.hpp>
#include <memory>
#include <string>
#include <thread>

#include "common/result.hpp"

namespace cg {

class HttpListener {
 public:
  struct Options {
    std::string listen;       // address:port
    std::string port_file;    // where the bound port is written
    std::string thread_name;  // at most 15 characters
    std::string where;        // the config key, for errors ("/admin/listen")
    sdk::HttpServer::Limits limits;
  };

  static Result<std::unique_ptr<HttpListener>> start(const Options& options, sdk::HttpHandler handler);
  ~HttpListener();
  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;

  [[nodiscard]] uint16_t port() const { return port_; }
  // "address:port" as bound.
  [[nodiscard]] std::string address() const { return address_; }

 private:
  explicit HttpListener(sdk::HttpHandler handler) : server_(std::move(handler)) {}
  sdk::HttpServer server_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  uint16_t port_ = 0;
  std::string address_;
};

}  // namespace cg
