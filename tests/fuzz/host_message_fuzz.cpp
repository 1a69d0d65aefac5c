// A ZeroMQ message between a plugin host and the core, as frames split out of
// the bytes (a 0xFF byte ends a frame): decoded as the core reads a host's
// and as a host reads the core's, or refused; a decoded one encodes again and
// decodes to the same kind of message.
#include <cstdint>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "router/message.hpp"

namespace {

std::vector<std::string_view> frames_of(const cg::router::Frames& f) {
  std::vector<std::string_view> v{f.type, f.header};
  if (f.has_payload) v.push_back(f.payload);
  return v;
}

template <typename Decode>
void round_trip(const std::vector<std::string_view>& frames, Decode&& decode) {
  auto m = decode(frames);
  if (!m.ok()) return;
  const auto f = cg::router::encode(*m);
  auto again = decode(frames_of(f));
  if (!again.ok() || again->index() != m->index()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> frames;
  size_t start = 0;
  for (size_t i = 0; i <= bytes.size(); ++i)
    if (i == bytes.size() || bytes[i] == '\xff') {
      frames.push_back(bytes.substr(start, i - start));
      start = i + 1;
    }
  cg::fuzz::must_not_throw("router message codec", [&] {
    round_trip(frames, cg::router::decode_from_host);
    round_trip(frames, cg::router::decode_from_core);
  });
  return 0;
}
