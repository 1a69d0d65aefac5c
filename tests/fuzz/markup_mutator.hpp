// A mutator for the mapping-input target that knows where a document's values
// are. Byte-level mutation rarely writes a whole numeric character reference or
// \u escape, and almost never one with a code point at the edge of what XML and
// JSON allow, inside a field that a mapping reads; this one writes exactly that
// at the start of an element's text, inside a JSON string, or as a JSON value.
// The rest of the time libFuzzer's own mutations run (with the dictionary).
#pragma once

#include <array>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

namespace cg::fuzz {

// Code points at the edges of XML's Char production and of Unicode, and values
// beyond them that a decoder must not wrap.
inline constexpr std::array<uint64_t, 24> kEdgeCodePoints = {
    0x0,     0x1,     0x8,      0x9,      0xB,        0x1F,       0x7F,        0x85,
    0xD7FF,  0xD800,  0xDBFF,   0xDC00,   0xDFFF,     0xE000,     0xFFFE,      0xFFFF,
    0x10000, 0xFFFFF, 0x10FFFF, 0x110000, 0x7FFFFFFF, 0xFFFFFFFF, 0x100000000, 0xFFFFFFFFFFFFFFFF};

inline constexpr std::array<const char*, 8> kEdgeNumbers = {
    "1e400", "-1e400", "1e-400", "1E+999", "18446744073709551616", "-9223372036854775809", "0.1e309", "-0"};

inline uint64_t edge_code_point(std::minstd_rand& rng) {
  return kEdgeCodePoints[rng() % kEdgeCodePoints.size()];
}

// `&#x…;` in either case or `&#…;`.
inline std::string character_reference(std::minstd_rand& rng) {
  const uint64_t cp = edge_code_point(rng);
  char buf[40];
  switch (rng() % 3) {
    case 0:
      std::snprintf(buf, sizeof buf, "&#x%" PRIX64 ";", cp);
      break;
    case 1:
      std::snprintf(buf, sizeof buf, "&#x%" PRIx64 ";", cp);
      break;
    default:
      std::snprintf(buf, sizeof buf, "&#%" PRIu64 ";", cp);
      break;
  }
  return buf;
}

// `\uXXXX` (a lone surrogate half as often as any other) or a surrogate pair.
inline std::string json_escape(std::minstd_rand& rng) {
  const uint64_t cp = edge_code_point(rng) & 0x1FFFFF;
  char buf[16];
  if (cp > 0xFFFF && cp <= 0x10FFFF) {
    const uint64_t v = cp - 0x10000;
    std::snprintf(buf, sizeof buf, "\\u%04" PRIX64 "\\u%04" PRIX64, 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF));
  } else {
    std::snprintf(buf, sizeof buf, "\\u%04" PRIX64, cp & 0xFFFF);
  }
  return buf;
}

// Byte offsets just after a '>', '"' or ':': where an element's text, a
// string's characters or a member's value begins (or might).
inline std::vector<size_t> value_starts(const uint8_t* data, size_t size) {
  std::vector<size_t> at;
  for (size_t i = 0; i < size; ++i)
    if (data[i] == '>' || data[i] == '"' || data[i] == ':') at.push_back(i + 1);
  return at;
}

inline size_t markup_mutate(uint8_t* data, size_t size, size_t max_size, unsigned seed) {
  std::minstd_rand rng(seed);
  if (rng() % 3 != 0) return LLVMFuzzerMutate(data, size, max_size);
  const auto at = value_starts(data, size);
  if (at.empty()) return LLVMFuzzerMutate(data, size, max_size);
  const size_t pos = at[rng() % at.size()];
  const char before = static_cast<char>(data[pos - 1]);
  std::string token;
  size_t replaced = 0;  // bytes after pos the token takes the place of
  if (before == '>') {
    token = character_reference(rng);
  } else if (before == '"') {
    token = json_escape(rng);
  } else {
    token = kEdgeNumbers[rng() % kEdgeNumbers.size()];
    size_t end = pos;
    while (end < size && data[end] == ' ') ++end;
    while (end < size && std::strchr(",}]\n", data[end]) == nullptr) ++end;
    replaced = end - pos;
  }
  if (size - replaced + token.size() > max_size) return LLVMFuzzerMutate(data, size, max_size);
  std::memmove(data + pos + token.size(), data + pos + replaced, size - pos - replaced);
  std::memcpy(data + pos, token.data(), token.size());
  return size - replaced + token.size();
}

}  // namespace cg::fuzz
