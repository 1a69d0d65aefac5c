// GB18030 decoding: the table-driven decoder gives glibc iconv's text and
// iconv's errors at iconv's byte offsets, for every two-byte sequence, for
// four-byte ones, and for random byte strings.
#include "mapping/encoding.hpp"

#include <gtest/gtest.h>
#include <iconv.h>

#include <cerrno>
#include <random>

#include "mapping/gb18030.hpp"
#include "test_support.hpp"

using cg::mapping::Gb18030Decoder;

namespace {

// What iconv says of the whole input in one call (the decoder's reference).
struct Reference {
  bool ok = false;
  std::string text;
  size_t bad_at = 0;
  bool truncated = false;
};

Reference iconv_whole(std::string_view in) {
  Reference r;
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  EXPECT_NE(cd, reinterpret_cast<iconv_t>(-1));
  std::string out(in.size() * 4 + 8, '\0');
  char* inp = const_cast<char*>(in.data());
  size_t inleft = in.size();
  char* outp = out.data();
  size_t outleft = out.size();
  size_t n = iconv(cd, &inp, &inleft, &outp, &outleft);
  const int err = errno;
  iconv_close(cd);
  r.ok = n != static_cast<size_t>(-1);
  r.text.assign(out.data(), static_cast<size_t>(outp - out.data()));
  r.bad_at = in.size() - inleft;
  r.truncated = !r.ok && err == EINVAL;
  return r;
}

// Empty when the decoder agrees with iconv; else what differs.
std::string disagreement(std::string_view in) {
  Reference want = iconv_whole(in);
  std::string got;
  Gb18030Decoder::Failure failure;
  bool ok = Gb18030Decoder::instance().decode(in, got, failure);
  std::string hex;
  for (char ch : in) {
    const auto c = static_cast<unsigned char>(ch);
    static constexpr char kHex[] = "0123456789abcdef";
    hex += kHex[c >> 4];
    hex += kHex[c & 15];
    hex += ' ';
  }
  if (ok != want.ok) return "ok " + std::to_string(ok) + " vs iconv " + std::to_string(want.ok) + " for " + hex;
  if (ok && got != want.text) return "text differs for " + hex;
  if (!ok && (failure.at != want.bad_at || failure.truncated != want.truncated))
    return "failure at " + std::to_string(failure.at) + (failure.truncated ? " truncated" : "") + " vs iconv's " +
           std::to_string(want.bad_at) + (want.truncated ? " truncated" : "") + " for " + hex;
  return {};
}

}  // namespace

TEST(Gb18030, EveryTwoByteSequenceDecodesAsIconvDoes) {
  size_t checked = 0;
  for (unsigned lead = 0x80; lead <= 0xFF; ++lead) {
    for (unsigned trail = 0x00; trail <= 0xFF; ++trail) {
      const std::string in = std::string("ab") + static_cast<char>(lead) + static_cast<char>(trail) + "cdefghij";
      ASSERT_EQ(disagreement(in), "");
      ++checked;
    }
  }
  EXPECT_EQ(checked, 128u * 256u);
}

TEST(Gb18030, FourByteSequencesAndTruncationDecodeAsIconvDoes) {
  const std::vector<std::string> cases = {
      "\x81\x30\x81\x30",                  // U+0080
      "\x84\x31\x95\x33 BOM",              // U+FEFF
      "\x90\x30\x81\x30 plane 1",          // U+10000
      "\xE3\x32\x9A\x35",                  // U+10FFFF
      "x\x81\x30\x20\x30",                 // a digit, then not a lead byte: invalid
      "x\x81\x30\x81",                     // ends inside a four-byte character
      "x\x81",                             // ends after a lead byte
      "x\x80y",                            // 0x80 alone
      "x\xFFy",                            // 0xFF alone
      "\xD6\xD0\xCE\xC4 and ASCII after",  // 中文
  };
  for (const auto& c : cases) EXPECT_EQ(disagreement(c), "");
}

TEST(Gb18030, RandomByteStringsDecodeAsIconvDoes) {
  // Bytes drawn so that every kind of sequence occurs: ASCII, digits (the
  // second and fourth byte of a four-byte character), lead bytes, 0x80, 0xFF.
  std::mt19937 rng(20261122);
  std::uniform_int_distribution<int> kind(0, 9), any(0, 255), digit(0x30, 0x39), high(0x81, 0xFE);
  size_t failures_seen = 0;
  for (unsigned round = 0; round < 20000; ++round) {
    std::string in;
    const unsigned size = round % 40;
    for (unsigned i = 0; i < size; ++i) {
      int k = kind(rng);
      int b = k < 3 ? 'a' + k : k < 5 ? digit(rng) : k < 9 ? high(rng) : any(rng);
      in += static_cast<char>(b);
    }
    ASSERT_EQ(disagreement(in), "");
    if (!iconv_whole(in).ok) ++failures_seen;
  }
  EXPECT_GT(failures_seen, 1000u);  // invalid input was exercised, not only valid text
}

TEST(Gb18030, AWholeFeedDecodesAsIconvDoes) {
  // A long file in GB18030 (the court's fixture): the buffer is sized, and
  // topped up, across many characters.
  const std::string gb = cg::test::read_file(cg::test::fixture("feeds/court/sxbzxr-1.xml"));
  ASSERT_GT(gb.size(), 1000u);
  std::string big;
  while (big.size() < (1u << 20)) big += gb;
  EXPECT_EQ(disagreement(big), "");
  EXPECT_EQ(disagreement(big + "\x81\x30\x81\x30" + big), "");
  auto utf8 = cg::mapping::to_utf8(big, "GB18030");
  ASSERT_TRUE(utf8.ok());
  EXPECT_EQ(utf8.value(), iconv_whole(big).text);
}

TEST(Gb18030, AnInvalidByteIsNamedByItsOffset) {
  std::string in = "<a>\xD6\xD0</a><b>\x81\x20</b>";
  auto r = cg::mapping::to_utf8(in, "gb18030");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "wrong_encoding");
  EXPECT_NE(r.error().message.find("invalid byte sequence for gb18030 at byte 12"), std::string::npos)
      << r.error().message;
  auto t = cg::mapping::to_utf8("<a>\xD6", "gb18030");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("truncated multi-byte sequence for gb18030 at byte 3"), std::string::npos)
      << t.error().message;
}

TEST(AsUtf8, Utf8IsCheckedAndLentWithoutACopy) {
  std::string converted = "left over";
  const std::string doc = "\xEF\xBB\xBF<a>中文</a>";
  auto view = cg::mapping::as_utf8(doc, "UTF-8", converted);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(*view, "<a>中文</a>");
  EXPECT_EQ(view->data(), doc.data() + 3) << "the BOM is skipped, the bytes are not copied";

  const std::string bad = "<a>\xD6\xD0</a>";  // 中 in GB18030
  auto refused = cg::mapping::as_utf8(bad, "utf-8", converted);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().where, "byte 3");
}

TEST(AsUtf8, OtherEncodingsAreConvertedIntoTheCallersString) {
  std::string converted;
  const std::string gb = "<a>\xD6\xD0\xCE\xC4</a>";  // 中文
  auto view = cg::mapping::as_utf8(gb, "GBK", converted);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(*view, "<a>中文</a>");
  EXPECT_EQ(view->data(), converted.data());
  auto copy = cg::mapping::to_utf8(gb, "gb18030");
  ASSERT_TRUE(copy.ok());
  EXPECT_EQ(*copy, "<a>中文</a>");
  auto same = cg::mapping::to_utf8("\xEF\xBB\xBFplain", "utf-8");
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(*same, "plain");
}
