#include "mapping/gb18030.hpp"

#include <iconv.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace cg::mapping {

namespace {

// RAII for an iconv descriptor from GB18030 to UTF-8.
class FromGb18030 {
 public:
  FromGb18030() : cd_(iconv_open("UTF-8", "GB18030")) {}
  ~FromGb18030() {
    if (ok()) iconv_close(cd_);
  }
  FromGb18030(const FromGb18030&) = delete;
  FromGb18030& operator=(const FromGb18030&) = delete;
  [[nodiscard]] bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }

  // Converts all of `in` into `out` (room for at least 4 bytes per input
  // byte); the bytes written, or -1 with errno and `consumed` set.
  ptrdiff_t convert(const char* in, size_t size, char* out, size_t room, size_t& consumed) {
    char* inp = const_cast<char*>(in);
    size_t inleft = size;
    char* outp = out;
    size_t r = iconv(cd_, &inp, &inleft, &outp, &room);
    consumed = size - inleft;
    if (r == static_cast<size_t>(-1)) return -1;
    return outp - out;
  }

 private:
  iconv_t cd_;
};

// The length of the character starting at in[i], by GB18030's byte ranges;
// iconv judges whether it is valid.
size_t sequence_length(std::string_view in, size_t i) {
  const auto lead = static_cast<unsigned char>(in[i]);
  if (lead < 0x81 || lead > 0xFE || i + 1 >= in.size()) return 1;
  const auto second = static_cast<unsigned char>(in[i + 1]);
  if (second >= 0x30 && second <= 0x39) return std::min<size_t>(4, in.size() - i);
  return 2;
}

}  // namespace

const Gb18030Decoder& Gb18030Decoder::instance() {
  static const Gb18030Decoder decoder;
  return decoder;
}

Gb18030Decoder::Gb18030Decoder() {
  FromGb18030 cd;
  if (!cd.ok()) return;  // an empty table: every character goes to iconv (and fails there as before)
  for (unsigned lead = kLeadFirst; lead <= kLeadLast; ++lead) {
    for (unsigned trail = kTrailFirst; trail <= kTrailLast; ++trail) {
      const char in[2] = {static_cast<char>(lead), static_cast<char>(trail)};
      char out[8];
      size_t consumed = 0;
      ptrdiff_t n = cd.convert(in, 2, out, sizeof out, consumed);
      if (n < 1 || n > 3 || consumed != 2) continue;
      Entry& e = table_[slot(lead, trail)];
      e.size = static_cast<uint8_t>(n);
      std::memcpy(e.bytes.data(), out, static_cast<size_t>(n));
    }
  }
}

bool Gb18030Decoder::decode(std::string_view in, std::string& out, Failure& failure) const {
  // Room: the table writes at most 3 bytes for 2 (and copies 3), ASCII 1 for
  // 1; before iconv writes (up to 4 bytes for one character) the room is
  // topped up to keep (bytes left) * 3 / 2 + kSlack.
  constexpr size_t kSlack = 16;
  const size_t n = in.size();
  out.resize(n + n / 2 + kSlack);
  char* base = out.data();
  char* w = base;
  const char* const p = in.data();
  std::unique_ptr<FromGb18030> slow;  // opened only when a character needs it
  size_t i = 0;
  while (i < n) {
    // ASCII, eight bytes at a time.
    while (i + 8 <= n) {
      uint64_t chunk;
      std::memcpy(&chunk, p + i, 8);
      if (chunk & 0x8080808080808080ULL) break;
      std::memcpy(w, p + i, 8);
      w += 8;
      i += 8;
    }
    if (i >= n) break;
    const auto b = static_cast<unsigned char>(p[i]);
    if (b < 0x80) {
      *w++ = static_cast<char>(b);
      ++i;
      continue;
    }
    if (b >= kLeadFirst && b <= kLeadLast && i + 1 < n) {
      const auto t = static_cast<unsigned char>(p[i + 1]);
      if (t >= kTrailFirst && t <= kTrailLast) {
        const Entry& e = table_[slot(b, t)];
        if (e.size != 0) {
          // All three bytes: those past the entry's size are overwritten next.
          std::memcpy(w, e.bytes.data(), 3);
          w += e.size;
          i += 2;
          continue;
        }
      }
    }
    // Four-byte characters, invalid and truncated sequences: iconv.
    if (!slow) slow = std::make_unique<FromGb18030>();
    const size_t len = sequence_length(in, i);
    if (const size_t need = (n - i) + (n - i) / 2 + kSlack + 8; static_cast<size_t>(base + out.size() - w) < need) {
      const size_t used = static_cast<size_t>(w - base);
      out.resize(used + need);
      base = out.data();
      w = base + used;
    }
    size_t consumed = 0;
    ptrdiff_t written = slow->ok() ? slow->convert(p + i, len, w, static_cast<size_t>(base + out.size() - w), consumed)
                                   : (errno = EILSEQ, -1);
    if (written < 0) {
      failure.at = i + consumed;
      failure.truncated = errno == EINVAL;
      return false;
    }
    w += written;
    i += len;
  }
  out.resize(static_cast<size_t>(w - base));
  return true;
}

}  // namespace cg::mapping
