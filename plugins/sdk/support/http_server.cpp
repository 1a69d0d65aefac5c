#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <credit_gateway/support/http_request_parser.hpp>
#include <credit_gateway/support/http_server.hpp>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>

namespace cg::sdk {

namespace {

using Clock = std::chrono::steady_clock;

const char* reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 411:
      return "Length Required";
    case 413:
      return "Payload Too Large";
    case 415:
      return "Unsupported Media Type";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Status";
  }
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string url_decode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
    } else if (s[i] == '+') {
      out.push_back(' ');
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

HttpResponse json_response(int status, const std::string& body) {
  HttpResponse r;
  r.status = status;
  r.body = body;
  return r;
}

HttpResponse error_response(int status, const std::string& code, const std::string& message) {
  std::string esc;
  for (char c : message) {
    if (c == '"' || c == '\\') esc.push_back('\\');
    if (static_cast<unsigned char>(c) < 0x20) continue;
    esc.push_back(c);
  }
  return json_response(status, R"({"error": {"code": ")" + code + R"(", "message": ")" + esc + "\"}}");
}

struct HttpServer::Conn {
  int fd = -1;
  std::string peer;
  std::string in;
  std::string out;
  size_t out_off = 0;
  bool close_after_write = false;
  bool waiting = false;  // a deferred request is pending: read no further
  uint64_t pending_id = 0;
  bool keep_alive = true;
  Clock::time_point last_activity = Clock::now();
  // The deadline of the request being read: its head, then its body; none
  // while nothing of a request has come.
  std::optional<Clock::time_point> request_deadline;
  bool body_deadline_set = false;
};

HttpServer::HttpServer(HttpHandler handler) : handler_(std::move(handler)) {}

HttpServer::~HttpServer() {
  for (auto& [fd, _] : conns_) ::close(fd);
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

Result<uint16_t> HttpServer::listen(const std::string& host, uint16_t port) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) return make_error("listen", std::strerror(errno));
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1)
    return make_error("listen", "not an IPv4 address: " + host);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    return make_error("listen", "cannot bind " + host + ":" + std::to_string(port) + ": " + std::strerror(errno));
  if (::listen(listen_fd_, 128) != 0) return make_error("listen", std::strerror(errno));
  socklen_t len = sizeof addr;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  return static_cast<uint16_t>(ntohs(addr.sin_port));
}

void HttpServer::accept_all() {
  while (true) {
    sockaddr_in addr{};
    socklen_t len = sizeof addr;
    int fd = ::accept4(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;
    if (conns_.size() >= limits.max_connections) {  // refused at once, before it holds anything
      static constexpr std::string_view kBusy =
          "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\n"
          "Connection: close\r\nContent-Length: 73\r\n\r\n"
          "{\"error\": {\"code\": \"busy\", \"message\": \"too many connections; try again\"}}";
      static_assert(kBusy.size() - kBusy.find("\r\n\r\n") - 4 == 73);
      (void)::send(fd, kBusy.data(), kBusy.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      ::close(fd);
      continue;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    auto c = std::make_unique<Conn>();
    c->fd = fd;
    char ip[INET_ADDRSTRLEN] = {0};
    inet_ntop(AF_INET, &addr.sin_addr, ip, sizeof ip);
    c->peer = std::string(ip) + ":" + std::to_string(ntohs(addr.sin_port));
    conns_[fd] = std::move(c);
  }
}

void HttpServer::poll(int timeout_ms) {
  std::vector<pollfd> fds;
  fds.push_back({listen_fd_, POLLIN, 0});
  for (auto& [fd, c] : conns_) {
    short ev = 0;
    if (!c->waiting && !c->close_after_write) ev |= POLLIN;
    if (c->out_off < c->out.size()) ev |= POLLOUT;
    fds.push_back({fd, ev, 0});
  }
  int n = ::poll(fds.data(), fds.size(), timeout_ms);
  if (n < 0) return;
  if (fds[0].revents & POLLIN) accept_all();
  for (size_t i = 1; i < fds.size(); ++i) {
    auto it = conns_.find(fds[i].fd);
    if (it == conns_.end()) continue;
    Conn& c = *it->second;
    if (fds[i].revents & (POLLERR | POLLHUP | POLLNVAL)) {
      if (!(fds[i].revents & POLLIN)) {
        ::close(c.fd);
        c.fd = -1;
        continue;
      }
    }
    if (fds[i].revents & POLLIN) read(c);
    if (conns_.count(fds[i].fd) && (fds[i].revents & POLLOUT)) write(c);
  }
  auto now = Clock::now();
  for (auto it = conns_.begin(); it != conns_.end();) {
    Conn& c = *it->second;
    if (c.fd >= 0 && !c.waiting && !c.close_after_write && c.request_deadline && now > *c.request_deadline)
      refuse(c, 408, "request_timeout", "the request was not received in time");
    bool idle = !c.waiting && !c.request_deadline && c.out_off >= c.out.size() &&
                now - c.last_activity > std::chrono::milliseconds(limits.idle_timeout_ms);
    bool done = c.close_after_write && c.out_off >= c.out.size();
    if (c.fd < 0 || idle || done) {
      if (c.fd >= 0) ::close(c.fd);
      buffered_ -= c.in.size();
      it = conns_.erase(it);
    } else {
      ++it;
    }
  }
}

void HttpServer::consume(Conn& c, size_t bytes) {
  buffered_ -= bytes;
  c.in.erase(0, bytes);
}

void HttpServer::refuse(Conn& c, int status, const std::string& code, const std::string& message) {
  consume(c, c.in.size());  // what it sent is let go at once
  c.request_deadline.reset();
  queue(c, error_response(status, code, message));
  c.close_after_write = true;
}

void HttpServer::read(Conn& c) {
  char buf[65536];
  while (true) {
    ssize_t r = ::recv(c.fd, buf, sizeof buf, 0);
    if (r > 0) {
      if (buffered_ + static_cast<size_t>(r) > limits.max_buffered_bytes) {
        refuse(c, 503, "busy", "the server holds too many unfinished requests; send again shortly");
        return;
      }
      if (c.in.empty() && !c.request_deadline)
        c.request_deadline = Clock::now() + std::chrono::milliseconds(limits.header_timeout_ms);
      c.in.append(buf, static_cast<size_t>(r));
      buffered_ += static_cast<size_t>(r);
      c.last_activity = Clock::now();
      if (c.in.size() > limits.max_body_bytes + limits.max_header_bytes + 1) break;
      continue;
    }
    if (r == 0) {  // peer closed
      if (!c.waiting) {
        ::close(c.fd);
        c.fd = -1;
      }
      return;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK) break;
    ::close(c.fd);
    c.fd = -1;
    return;
  }
  parse(c);
}

void HttpServer::parse(Conn& c) {
  while (!c.waiting && !c.close_after_write && c.fd >= 0) {
    auto parsed = parse_request_head(c.in, {limits.max_header_bytes, limits.max_body_bytes});
    if (parsed.refused) {
      refuse(c, parsed.refused->status, parsed.refused->code, parsed.refused->message);
      return;
    }
    if (!parsed.head) return;  // more of the head to come
    ParsedHead& h = *parsed.head;
    if (c.in.size() < h.head_bytes + h.body_bytes) {  // more of the body to come, within its own deadline
      if (!c.body_deadline_set) {
        c.request_deadline = Clock::now() + std::chrono::milliseconds(limits.body_timeout_ms);
        c.body_deadline_set = true;
      }
      return;
    }
    HttpRequest req = std::move(h.request);
    req.peer = c.peer;
    req.body = c.in.substr(h.head_bytes, h.body_bytes);
    consume(c, h.head_bytes + h.body_bytes);
    c.keep_alive = h.keep_alive;
    c.request_deadline.reset();
    c.body_deadline_set = false;
    if (!c.in.empty())  // a pipelined request has begun
      c.request_deadline = Clock::now() + std::chrono::milliseconds(limits.header_timeout_ms);
    req.id = next_id_++;
    auto resp = handler_(req);
    if (!resp) {
      c.waiting = true;
      c.pending_id = req.id;
      return;
    }
    queue(c, *resp);
  }
}

void HttpServer::queue(Conn& c, const HttpResponse& r) {
  if (r.drop) {
    ::close(c.fd);
    c.fd = -1;
    return;
  }
  std::string out = "HTTP/1.1 " + std::to_string(r.status) + " " + reason(r.status) + "\r\n";
  out += "Content-Type: " + r.content_type + "\r\n";
  out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
  for (const auto& [k, v] : r.headers) out += k + ": " + v + "\r\n";
  bool close = r.close || !c.keep_alive;
  if (close) out += "Connection: close\r\n";
  out += "\r\n";
  out += r.body;
  c.out.erase(0, c.out_off);
  c.out_off = 0;
  c.out += out;
  if (close) c.close_after_write = true;
  write(c);
}

void HttpServer::write(Conn& c) {
  while (c.fd >= 0 && c.out_off < c.out.size()) {
    ssize_t w = ::send(c.fd, c.out.data() + c.out_off, c.out.size() - c.out_off, MSG_NOSIGNAL);
    if (w > 0) {
      c.out_off += static_cast<size_t>(w);
      c.last_activity = Clock::now();
      continue;
    }
    if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    ::close(c.fd);
    c.fd = -1;
    return;
  }
}

bool HttpServer::respond(uint64_t request_id, HttpResponse response) {
  for (auto& [fd, c] : conns_) {
    if (c->waiting && c->pending_id == request_id && c->fd >= 0) {
      c->waiting = false;
      queue(*c, response);
      if (c->fd >= 0) parse(*c);  // pipelined requests behind it
      return true;
    }
  }
  return false;
}

}  // namespace cg::sdk

namespace cg::sdk {

std::vector<Option> HttpServer::limit_options(const Limits& d) {
  constexpr int64_t kMax = std::numeric_limits<int32_t>::max();
  auto positive = [&](const char* key, auto value, const char* doc) {
    return Option::integer(key, static_cast<int64_t>(value), doc).between(1, kMax);
  };
  return {
      positive("max_body_bytes", d.max_body_bytes, "larger request bodies get 413"),
      positive("max_header_bytes", d.max_header_bytes, "larger request heads get 431"),
      positive("header_timeout_ms", d.header_timeout_ms,
               "a request's head must arrive within this, from its first byte, else 408"),
      positive("body_timeout_ms", d.body_timeout_ms, "its body within this, from the end of its head, else 408"),
      positive("idle_timeout_ms", d.idle_timeout_ms, "a kept-alive connection without a request is closed after this"),
      positive("max_connections", d.max_connections, "connections beyond this get 503 and are closed"),
      positive("max_buffered_bytes", d.max_buffered_bytes,
               "unfinished requests may hold this much in all; beyond it, 503")};
}

Result<HttpServer::Limits> HttpServer::limits_from(const std::string& json_object, Limits l) {
  const auto j = nlohmann::json::parse(json_object, nullptr, false);
  if (!j.is_object()) return make_error("config", "the options are not a JSON object");
  for (const auto& o : limit_options(l)) {
    if (!j.contains(o.key())) continue;
    if (auto s = o.check(j[o.key()]); !s) return make_error("config", s.error().message, o.key());
  }
  auto take = [&](const char* key, auto& into) {
    if (j.contains(key)) into = static_cast<std::remove_reference_t<decltype(into)>>(j[key].get<int64_t>());
  };
  take("max_body_bytes", l.max_body_bytes);
  take("max_header_bytes", l.max_header_bytes);
  take("idle_timeout_ms", l.idle_timeout_ms);
  take("header_timeout_ms", l.header_timeout_ms);
  take("body_timeout_ms", l.body_timeout_ms);
  take("max_connections", l.max_connections);
  take("max_buffered_bytes", l.max_buffered_bytes);
  return l;
}

}  // namespace cg::sdk
