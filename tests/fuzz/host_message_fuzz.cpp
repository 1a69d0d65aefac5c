// A ZeroMQ message from a plugin host, as frames split out of the bytes
// (a 0xFF byte ends a frame): decoded or dropped, and a decoded one is read
// as the router reads it.
#include <cstdint>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "router/host_message.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> frames;
  size_t start = 0;
  for (size_t i = 0; i <= bytes.size(); ++i)
    if (i == bytes.size() || bytes[i] == '\xff') {
      frames.push_back(bytes.substr(start, i - start));
      start = i + 1;
    }
  cg::fuzz::must_not_throw("host message decoder", [&] {
    auto m = cg::router::decode_host_message(frames);
    if (!m.ok()) return;
    for (const auto& [key, value] : m->header.items()) (void)value.dump();
    (void)m->header.value("source_id", "");
    (void)m->header.value("pid", int64_t{0});
    (void)m->header.value("ok", false);
  });
  return 0;
}
