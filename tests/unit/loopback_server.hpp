// An HTTP server on a free loopback port, polled by a thread of its own until
// it goes: the other end of a test's real HTTP.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <credit_gateway/support/http_server.hpp>
#include <string>
#include <thread>

namespace cg::test {

class LoopbackServer {
 public:
  explicit LoopbackServer(sdk::HttpHandler handler, sdk::HttpServer::Limits limits = {}) : server_(std::move(handler)) {
    server_.limits = limits;
    auto port = server_.listen("127.0.0.1", 0);
    EXPECT_TRUE(port.ok());
    port_ = port.ok() ? *port : 0;
    thread_ = std::thread([this] {
      while (!stop_) server_.poll(20);
    });
  }
  ~LoopbackServer() {
    stop_ = true;
    thread_.join();
  }
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  [[nodiscard]] uint16_t port() const { return port_; }
  [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  sdk::HttpServer server_;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace cg::test
