#include <gtest/gtest.h>

#include <credit_gateway/xml_splitter.hpp>
#include <fstream>
#include <pugixml.hpp>

#include "test_support.hpp"

using credit_gateway::XmlSplitter;

namespace {

std::string record_xml(int i) {
  // GB18030 text (0xD5 0xC5 = 张) and a name that starts like the record's.
  return "<SXBZXR><BZXRMC>\xD5\xC5" + std::to_string(i) + "</BZXRMC><SXBZXR_X>" + std::string(200, 'x') +
         "</SXBZXR_X></SXBZXR >\n";
}

std::string feed(int n, const std::string& tail = "</SXBZXR_FEED>\n") {
  std::string s =
      "<?xml version=\"1.0\" encoding=\"GB18030\"?>\n<!-- <SXBZXR> in a comment -->\n"
      "<SXBZXR_FEED batch=\"b\">\n";
  for (int i = 0; i < n; ++i) s += record_xml(i);
  return s + tail;
}

std::vector<XmlSplitter::Part> split(const std::string& path, size_t part_bytes) {
  XmlSplitter sp(path, "SXBZXR", part_bytes);
  std::vector<XmlSplitter::Part> parts;
  while (auto p = sp.next()) parts.push_back(std::move(*p));
  EXPECT_EQ(sp.error(), "");
  return parts;
}

}  // namespace

TEST(XmlSplitter, EveryPartIsAWholeDocumentAndTogetherTheyHoldEveryRecordOnce) {
  cg::test::TempDir dir;
  std::string path = dir.file("big.xml");
  std::string text = feed(5000);  // about 1.2 MB: parts of 64 KB
  cg::test::write_file(path, text);
  auto parts = split(path, 64 * 1024);
  ASSERT_GT(parts.size(), 10u);
  std::vector<std::string> seen;
  uint64_t expect_begin = parts.front().begin;
  for (size_t i = 0; i < parts.size(); ++i) {
    EXPECT_EQ(parts[i].begin, expect_begin);  // contiguous: no byte of a record skipped
    expect_begin = parts[i].end;
    EXPECT_EQ(parts[i].last, i + 1 == parts.size());
    EXPECT_LT(parts[i].document.size(), 64 * 1024 + 1024u);  // bounded by the part size (+ one record)
    pugi::xml_document doc;
    auto ok = doc.load_buffer(parts[i].document.data(), parts[i].document.size(), pugi::parse_default,
                              pugi::encoding_latin1);  // bytes as they are
    ASSERT_TRUE(ok) << "part " << i << ": " << ok.description();
    for (auto r : doc.child("SXBZXR_FEED").children("SXBZXR")) seen.push_back(r.child_value("BZXRMC"));
    EXPECT_STREQ(doc.child("SXBZXR_FEED").attribute("batch").value(), "b");
  }
  ASSERT_EQ(seen.size(), 5000u);
  // Read as Latin-1, so that each GB18030 byte shows: 0xD5 0xC5 arrive intact.
  for (int i = 0; i < 5000; ++i) EXPECT_EQ(seen[static_cast<size_t>(i)], "\xC3\x95\xC3\x85" + std::to_string(i));
}

TEST(XmlSplitter, ATruncatedFileKeepsItsBrokenEndInTheLastPart) {
  cg::test::TempDir dir;
  std::string path = dir.file("cut.xml");
  std::string text = feed(300, "");
  text.resize(text.size() - 30);  // cut inside the last record
  cg::test::write_file(path, text);
  auto parts = split(path, 8 * 1024);
  ASSERT_GT(parts.size(), 2u);
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    pugi::xml_document doc;
    EXPECT_TRUE(doc.load_buffer(parts[i].document.data(), parts[i].document.size())) << i;
  }
  pugi::xml_document last;
  EXPECT_FALSE(last.load_buffer(parts.back().document.data(), parts.back().document.size()));
  EXPECT_TRUE(parts.back().last);
}

TEST(XmlSplitter, NestedEnclosingElementsAreClosedInOrder) {
  cg::test::TempDir dir;
  std::string path = dir.file("nested.xml");
  std::string text = "<?xml version=\"1.0\"?><A><Meta/><B x=\"1\">";
  for (int i = 0; i < 100; ++i) text += "<SXBZXR><N>" + std::to_string(i) + "</N></SXBZXR>";
  text += "</B></A>";
  cg::test::write_file(path, text);
  auto parts = split(path, 256);
  ASSERT_GT(parts.size(), 3u);
  size_t n = 0;
  for (const auto& p : parts) {
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_buffer(p.document.data(), p.document.size())) << p.document;
    for (auto r : doc.child("A").child("B").children("SXBZXR")) {
      EXPECT_EQ(std::string(r.child_value("N")), std::to_string(n));
      ++n;
    }
  }
  EXPECT_EQ(n, 100u);
}

TEST(XmlSplitter, AFileWithoutTheRecordElementSaysSo) {
  cg::test::TempDir dir;
  std::string path = dir.file("none.xml");
  cg::test::write_file(path, "<?xml version=\"1.0\"?><A>" + std::string(5000, ' ') + "</A>");
  XmlSplitter sp(path, "SXBZXR", 1024, /*max_header_bytes=*/1024);
  EXPECT_FALSE(sp.next());
  EXPECT_NE(sp.error().find("no <SXBZXR> record element"), std::string::npos) << sp.error();
  XmlSplitter missing(dir.file("absent.xml"), "SXBZXR", 1024);
  EXPECT_FALSE(missing.next());
  EXPECT_NE(missing.error().find("cannot open"), std::string::npos);
}
