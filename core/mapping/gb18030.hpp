// GB18030 to UTF-8 for department feeds, at memory speed for what they hold:
// ASCII is copied eight bytes at a time and two-byte characters (GBK, which
// is all of the Chinese text seen in feeds) are looked up in a table that is
// built once from glibc's own iconv, so the result is iconv's by
// construction. Four-byte sequences, and every byte sequence the table does
// not hold (including invalid and truncated ones), go to iconv one character
// at a time, so errors are iconv's too, at the same byte offsets.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cg::mapping {

class Gb18030Decoder {
 public:
  // The process-wide decoder (the table is built on first use, ~24,000
  // iconv calls, a few milliseconds).
  static const Gb18030Decoder& instance();

  struct Failure {
    size_t at = 0;           // byte offset in the input
    bool truncated = false;  // the input ends inside a character
  };

  // Replaces `out` with the UTF-8 text of `in`; false and `failure` set at
  // the first invalid or truncated sequence.
  bool decode(std::string_view in, std::string& out, Failure& failure) const;

 private:
  Gb18030Decoder();

  static constexpr unsigned kLeadFirst = 0x81,
                            kLeadLast = 0xFE;                       // first byte of a multi-byte character
  static constexpr unsigned kTrailFirst = 0x40, kTrailLast = 0xFE;  // second byte of a two-byte one
  static constexpr size_t kTrails = kTrailLast - kTrailFirst + 1;

  // UTF-8 of one two-byte character; size 0: not in the table (iconv decides).
  struct Entry {
    uint8_t size = 0;
    std::array<char, 3> bytes{};
  };
  static size_t slot(unsigned lead, unsigned trail) { return (lead - kLeadFirst) * kTrails + (trail - kTrailFirst); }

  std::array<Entry, (kLeadLast - kLeadFirst + 1) * kTrails> table_{};
};

}  // namespace cg::mapping
