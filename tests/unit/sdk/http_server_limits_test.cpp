// What one HTTP listener lets its clients hold: the request parser's rules,
// then a real server on a loopback port against slow and greedy clients.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <credit_gateway/support/http_request_parser.hpp>
#include <credit_gateway/support/http_server.hpp>
#include <thread>

#include "../loopback_server.hpp"

using cg::sdk::parse_request_head;

TEST(HttpRequestParser, TwoContentLengthsAreRefused) {
  auto p = parse_request_head("POST /x HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 30\r\n\r\nabc", {});
  ASSERT_TRUE(p.refused);
  EXPECT_EQ(p.refused->status, 400);
  EXPECT_NE(p.refused->message.find("Content-Length"), std::string::npos);
}

TEST(HttpRequestParser, TheHeaderLimitHoldsForACompleteHeadToo) {
  std::string big = "GET / HTTP/1.1\r\nX-Big: " + std::string(1 << 20, 'a') + "\r\n\r\n";
  auto p = parse_request_head(big, {});
  ASSERT_TRUE(p.refused);
  EXPECT_EQ(p.refused->status, 431);
  auto partial = parse_request_head(big.substr(0, 70000), {});
  ASSERT_TRUE(partial.refused);
  EXPECT_EQ(partial.refused->status, 431);
}

TEST(HttpRequestParser, ReadsAHeadAndWaitsForMore) {
  auto incomplete = parse_request_head("GET /a?x=1&y=%41 HTTP/1.1\r\nHost: h\r\n", {});
  EXPECT_FALSE(incomplete.head);
  EXPECT_FALSE(incomplete.refused);
  auto p = parse_request_head("POST /a?x=1&y=%41 HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nab", {});
  ASSERT_TRUE(p.head);
  EXPECT_EQ(p.head->request.path, "/a");
  EXPECT_EQ(p.head->request.query.at("y"), "A");
  EXPECT_EQ(p.head->body_bytes, 5u);
  for (const char* bad :
       {"GET /\r\n\r\n", "GET / HTTP/1.1\r\nno colon here\r\n\r\n", "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
        "POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n"}) {
    auto r = parse_request_head(bad, {});
    ASSERT_TRUE(r.refused) << bad;
    EXPECT_EQ(r.refused->status, 400) << bad;
  }
}

namespace {

// A server on a loopback port, polled by its own thread.
class Served {
 public:
  explicit Served(cg::sdk::HttpServer::Limits limits)
      : server_([](const cg::sdk::HttpRequest&) { return cg::sdk::json_response(200, "{}"); }, limits) {}

  // A connected client socket (closed by the caller).
  [[nodiscard]] int connect() const {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(server_.port());
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    timeval tv{5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
  }

 private:
  cg::test::LoopbackServer server_;
};

void send_all(int fd, const std::string& s) {
  ASSERT_EQ(::send(fd, s.data(), s.size(), MSG_NOSIGNAL), static_cast<ssize_t>(s.size()));
}

// The status of the answer the server sends (0 when it closes without one).
int status_of_answer(int fd) {
  char buf[512];
  ssize_t n = ::recv(fd, buf, sizeof buf - 1, 0);
  if (n <= 12) return 0;
  return std::atoi(buf + 9);
}

cg::sdk::HttpServer::Limits quick() {
  cg::sdk::HttpServer::Limits l;
  l.header_timeout_ms = 300;
  l.body_timeout_ms = 300;
  return l;
}

}  // namespace

TEST(HttpServerLimits, ASlowHeadAndASlowBodyGet408) {
  Served s(quick());
  int head = s.connect();
  send_all(head, "GET / HTTP/1.1\r\nHost: x\r\n");
  int body = s.connect();
  send_all(body, "POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n0123456789");
  EXPECT_EQ(status_of_answer(head), 408);
  EXPECT_EQ(status_of_answer(body), 408);
  ::close(head);
  ::close(body);
  int ok = s.connect();
  send_all(ok, "GET / HTTP/1.1\r\n\r\n");
  EXPECT_EQ(status_of_answer(ok), 200) << "a prompt client is served";
  ::close(ok);
}

TEST(HttpServerLimits, ConnectionsBeyondTheCapAreRefused) {
  auto l = quick();
  l.header_timeout_ms = 10000;
  l.max_connections = 4;
  Served s(l);
  std::vector<int> held;
  for (int i = 0; i < 4; ++i) {
    held.push_back(s.connect());
    send_all(held.back(), "GET / HT");  // each holds a connection with half a request line
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  int extra = s.connect();
  EXPECT_EQ(status_of_answer(extra), 503);
  ::close(extra);
  for (int fd : held) ::close(fd);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  int later = s.connect();
  send_all(later, "GET / HTTP/1.1\r\n\r\n");
  EXPECT_EQ(status_of_answer(later), 200) << "room again once they are gone";
  ::close(later);
}

TEST(HttpServerLimits, UnfinishedBodiesCannotHoldMoreThanTheBufferCap) {
  auto l = quick();
  l.body_timeout_ms = 10000;
  l.max_buffered_bytes = 1 << 20;
  Served s(l);
  const std::string head = "POST / HTTP/1.1\r\nContent-Length: 4000000\r\n\r\n";
  int first = s.connect();
  send_all(first, head + std::string(700 * 1024, 'a'));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  int second = s.connect();
  send_all(second, head + std::string(700 * 1024, 'b'));
  EXPECT_EQ(status_of_answer(second), 503) << "the second greedy client is turned away";
  ::close(first);
  ::close(second);
}

TEST(HttpServerLimits, TwoContentLengthsOverTheWireGet400) {
  Served s(quick());
  int fd = s.connect();
  send_all(fd, "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab");
  EXPECT_EQ(status_of_answer(fd), 400);
  ::close(fd);
}
