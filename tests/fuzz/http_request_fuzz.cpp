// What a client sends an HTTP listener, as bytes: a request, a refusal, or a
// wait for more, within the limits.
#include <credit_gateway/support/http_request_parser.hpp>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  cg::fuzz::must_not_throw("HTTP request parser", [&] {
    cg::sdk::RequestLimits limits{4096, 1 << 20};
    auto p = cg::sdk::parse_request_head(bytes, limits);
    if (p.head && (p.head->head_bytes > limits.max_header_bytes + 4 || p.head->body_bytes > limits.max_body_bytes))
      std::abort();  // a head that broke the limits was taken
  });
  return 0;
}
