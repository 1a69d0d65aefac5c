#include "common/http_listener.hpp"

#include <charconv>
#include <fstream>

#include "common/thread_name.hpp"

namespace cg {

Result<std::unique_ptr<HttpListener>> HttpListener::start(const Options& o, sdk::HttpHandler handler) {
  const auto colon = o.listen.rfind(':');
  const std::string host = colon == std::string::npos ? o.listen : o.listen.substr(0, colon);
  uint16_t wanted = 0;
  const char* first = o.listen.data() + (colon == std::string::npos ? o.listen.size() : colon + 1);
  const char* last = o.listen.data() + o.listen.size();
  const auto parsed = std::from_chars(first, last, wanted);
  if (colon == std::string::npos || parsed.ec != std::errc() || parsed.ptr != last)
    return make_error("config", "listen must be address:port (port 0 picks one), not '" + o.listen + "'", o.where);
  std::unique_ptr<HttpListener> l(new HttpListener(std::move(handler)));
  l->server_.limits = o.limits;
  auto port = l->server_.listen(host, wanted);
  if (!port.ok()) return make_error("listen", port.error().message, o.where);
  l->port_ = *port;
  l->address_ = host + ":" + std::to_string(*port);
  std::ofstream(o.port_file) << l->port_ << "\n";
  l->thread_ = std::thread([raw = l.get(), name = o.thread_name] {
    name_this_thread(name);
    while (!raw->stop_) raw->server_.poll(100);
  });
  return l;
}

HttpListener::~HttpListener() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

}  // namespace cg
