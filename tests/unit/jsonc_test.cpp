// Where values are in JSON text (the lines of quarantined records, and of
// mistakes in mapping and config files): offsets found by one scan that
// skips strings eight bytes at a time.
#include "common/jsonc.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace {

// An array of objects whose strings put quotes and backslashes at every
// offset within an eight-byte block; the offsets of each element and of its
// members' keys are recorded as the text is built.
struct Built {
  std::string text;
  std::unordered_map<std::string, size_t> want;
};

Built build(int n) {
  Built b;
  b.text = "[";
  for (int k = 0; k < n; ++k) {
    if (k) b.text += ", ";
    const std::string at = "/" + std::to_string(k);
    b.want[at] = b.text.size();
    b.text += "{";
    b.want[at + "/a"] = b.text.size();
    b.text += "\"a\": \"" + std::string(static_cast<size_t>(k % 17), 'x') + "\\\"}{[],\\\\" +
              std::string(static_cast<size_t>(k % 5), '\xE4') + "\", ";
    b.want[at + "/b"] = b.text.size();
    b.text += "\"b\": " + std::to_string(k) + "}";
  }
  b.text += "]";
  return b;
}

}  // namespace

TEST(JsonOffsets, StringsWithEscapesAtEveryAlignmentAreSkipped) {
  Built b = build(40);
  auto got = cg::json_value_offsets(b.text, 2);
  for (const auto& [pointer, offset] : b.want) {
    auto it = got.find(pointer);
    ASSERT_NE(it, got.end()) << pointer;
    EXPECT_EQ(it->second, offset) << pointer;
  }
  EXPECT_EQ(got.count("/40"), 0u);
}

TEST(JsonOffsets, CommentsAndAnEscapedKeyAreUnderstood) {
  const std::string text = "{\n  // a comment with a \" quote\n  \"x\\\"y\": /* \\ */ [1,\n \"two\"]\n}";
  auto got = cg::json_value_offsets(text, 3);
  ASSERT_TRUE(got.count("/x\"y"));
  EXPECT_EQ(got["/x\"y"], text.find("\"x\\\"y\""));
  ASSERT_TRUE(got.count("/x\"y/1"));
  EXPECT_EQ(got["/x\"y/1"], text.find("\"two\""));
}

TEST(JsonOffsets, AnUnterminatedStringEndsTheScan) {
  auto got = cg::json_value_offsets("[1, \"abc\\\\def", 2);
  EXPECT_EQ(got["/0"], 1u);
  EXPECT_EQ(got["/1"], 4u);
}

TEST(JsonOffsets, EveryScanEndsWhateverTheText) {  // found by the config fuzzer: a scan that never ended
  for (const char* text : {"[}", "{]", "[/x]", "{\"a\":/}", "[[[}}}", "{\"a\" 1 2 3}"})
    EXPECT_NO_THROW((void)cg::json_value_offsets(text, 8)) << text;
  const std::string found =
      cg::test::read_file(cg::test::source_dir() + "/tests/fuzz/regressions/config/jsonc-scan-that-never-ended.json");
  (void)cg::JsoncDocument::parse("found.json", found);  // returns (before the fix it never did)
}

TEST(Jsonc, ANumberBeyondADoubleIsAProblemNotAnException) {
  auto doc = cg::JsoncDocument::parse("gateway.json", R"({"node_id": 1e400})");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.error().code, "json_syntax");
  EXPECT_EQ(doc.error().where, "gateway.json");
}
