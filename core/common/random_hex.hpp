// Random lowercase hex, for ids that must not collide across the gateway's
// nodes (batch ids). Not for secrets.
#pragma once

#include <cstddef>
#include <random>
#include <string>

namespace cg {

inline std::string random_hex(size_t bytes) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes * 2);
  for (size_t i = 0; i < bytes; ++i) {
    auto v = static_cast<unsigned>(rng() & 0xff);
    out.push_back(kHex[v >> 4]);
    out.push_back(kHex[v & 15]);
  }
  return out;
}

}  // namespace cg
