#include <credit_gateway/support/http_request_parser.hpp>
#include <cstdlib>

#include "header_text.hpp"

namespace cg::sdk {

namespace {

HeadParse refuse(int status, std::string code, std::string message) {
  HeadParse out;
  out.refused = Refusal{status, std::move(code), std::move(message)};
  return out;
}

void parse_query(const std::string& qs, HttpRequest& req) {
  size_t p = 0;
  while (p <= qs.size()) {
    size_t amp = qs.find('&', p);
    std::string kv = qs.substr(p, amp == std::string::npos ? std::string::npos : amp - p);
    auto eq = kv.find('=');
    if (!kv.empty())
      req.query[url_decode(kv.substr(0, eq))] = eq == std::string::npos ? "" : url_decode(kv.substr(eq + 1));
    if (amp == std::string::npos) break;
    p = amp + 1;
  }
}

}  // namespace

HeadParse parse_request_head(std::string_view received, const RequestLimits& limits) {
  const size_t end = received.find("\r\n\r\n");
  if (end == std::string_view::npos ? received.size() > limits.max_header_bytes : end > limits.max_header_bytes)
    return refuse(431, "headers_too_large",
                  "request headers are over the limit of " + std::to_string(limits.max_header_bytes) + " bytes");
  if (end == std::string_view::npos) return {};

  ParsedHead h;
  HttpRequest& req = h.request;
  const std::string_view head = received.substr(0, end);
  const size_t line_end = std::min(head.find("\r\n"), head.size());
  const std::string_view request_line = head.substr(0, line_end);
  const auto sp1 = request_line.find(' ');
  const auto sp2 = request_line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1) return refuse(400, "bad_request", "malformed request line");
  req.method = std::string(request_line.substr(0, sp1));
  req.target = std::string(request_line.substr(sp1 + 1, sp2 - sp1 - 1));
  const std::string_view version = request_line.substr(sp2 + 1);
  size_t lengths = 0;
  for (size_t pos = line_end + 2; pos < head.size();) {
    size_t e = head.find("\r\n", pos);
    if (e == std::string_view::npos) e = head.size();
    const std::string_view line = head.substr(pos, e - pos);
    pos = e + 2;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0)
      return refuse(400, "bad_request", "a header line without a name and a colon");
    std::string name = detail::lower_ascii(line.substr(0, colon));
    if (name == "content-length") ++lengths;
    req.headers[std::move(name)] = detail::trim_ows(line.substr(colon + 1));
  }
  // Two lengths could be read two ways, by us and by a proxy in front (request smuggling).
  if (lengths > 1) return refuse(400, "bad_request", "more than one Content-Length header");
  const auto q = req.target.find('?');
  req.path = url_decode(req.target.substr(0, q));
  if (q != std::string::npos) parse_query(req.target.substr(q + 1), req);
  h.keep_alive = !(version == "HTTP/1.0" || detail::lower_ascii(req.header("connection")) == "close");
  if (!req.header("transfer-encoding").empty())
    return refuse(411, "length_required", "chunked bodies are not accepted; send Content-Length");
  const std::string cl = req.header("content-length");
  if (!cl.empty()) {
    if (cl.find_first_not_of("0123456789") != std::string::npos || cl.size() > 19)
      return refuse(400, "bad_request", "bad Content-Length");
    const unsigned long long v = std::strtoull(cl.c_str(), nullptr, 10);
    if (v > limits.max_body_bytes)
      return refuse(413, "body_too_large",
                    "request body of " + cl + " bytes is over the limit of " + std::to_string(limits.max_body_bytes));
    h.body_bytes = static_cast<size_t>(v);
  }
  h.head_bytes = end + 4;
  HeadParse out;
  out.head = std::move(h);
  return out;
}

}  // namespace cg::sdk
