// Reads one HTTP/1.1 request from the bytes a connection has received so
// far: a pure function, so that the server's rules are tested (and fuzzed)
// without a socket. Refusals carry the status to answer with; the server
// closes the connection after one.
#pragma once

#include <credit_gateway/support/http_server.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cg::sdk {

struct RequestLimits {
  size_t max_header_bytes = 64 * 1024;
  size_t max_body_bytes = 8 * 1024 * 1024;
};

struct ParsedHead {
  HttpRequest request;    // all but `body` and `id`
  size_t head_bytes = 0;  // through the blank line
  size_t body_bytes = 0;  // Content-Length
  bool keep_alive = true;
};

struct Refusal {
  int status = 400;
  std::string code;
  std::string message;
};

struct HeadParse {
  std::optional<ParsedHead> head;  // set: the head is complete and valid
  std::optional<Refusal> refused;  // set: answer this and close
  // Neither: more bytes are needed.
};

HeadParse parse_request_head(std::string_view received, const RequestLimits& limits);

}  // namespace cg::sdk
