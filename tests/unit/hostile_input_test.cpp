// Bad and hostile input: refused with file and byte offset, nothing half-taken.
#include <gtest/gtest.h>

#include "mapping/mapper.hpp"
#include "test_support.hpp"

using cg::mapping::Mapper;

namespace {

Mapper mapper(const std::string& m) {
  auto r = cg::mapping::load_mapping(cg::test::mapping_file(m), cg::test::code_tables());
  EXPECT_TRUE(r.spec);
  return Mapper(r.spec);
}

cg::mapping::MapOutcome court(const std::string& hostile) {
  return mapper("court/sxbzxr.json").map_file(cg::test::fixture("hostile/" + hostile));
}

}  // namespace

TEST(Hostile, EntityExpansionIsRefused) {
  auto out = court("billion-laughs.xml");
  ASSERT_TRUE(out.failure);
  EXPECT_EQ(out.failure->code, "doctype_refused");
  EXPECT_EQ(out.failure->byte_offset, 39u);
  EXPECT_EQ(out.failure->line, 2u);
  EXPECT_TRUE(out.records.empty());
  EXPECT_TRUE(out.quarantined.empty());
}

TEST(Hostile, ExternalEntityIsRefused) {
  auto out = court("external-entity.xml");
  ASSERT_TRUE(out.failure);
  EXPECT_EQ(out.failure->code, "doctype_refused");
}

TEST(Hostile, TruncatedGb18030FileIsNotHalfTaken) {
  auto out = court("truncated-court.xml");
  ASSERT_TRUE(out.failure);
  EXPECT_TRUE(out.failure->code == "malformed_xml" || out.failure->code == "wrong_encoding") << out.failure->code;
  EXPECT_TRUE(out.records.empty()) << "no record of a broken file may be taken";
  EXPECT_TRUE(out.quarantined.empty());
  EXPECT_GT(out.failure->byte_offset, 2000u);
  EXPECT_LE(out.failure->byte_offset, 3000u);
  EXPECT_NE(out.failure->message.find("byte"), std::string::npos);
  EXPECT_EQ(out.failure->file, cg::test::fixture("hostile/truncated-court.xml"));
}

TEST(Hostile, WrongEncodingNamesTheByte) {
  auto out = court("wrong-encoding-court.xml");
  ASSERT_TRUE(out.failure);
  EXPECT_EQ(out.failure->code, "wrong_encoding");
  // The first GB18030 byte is right after "<BZXRMC>" of the first record.
  std::string bytes = cg::test::read_file(cg::test::fixture("hostile/wrong-encoding-court.xml"));
  EXPECT_EQ(out.failure->byte_offset, bytes.find("<BZXRMC>") + 8);
}

TEST(Hostile, NotXmlAtAll) {
  auto out = court("not-xml.xml");
  ASSERT_TRUE(out.failure);
  EXPECT_EQ(out.failure->code, "malformed_xml");
}

TEST(Hostile, DeeplyNestedXmlAndJsonAreRefused) {
  auto x = court("deep.xml");
  ASSERT_TRUE(x.failure);
  EXPECT_EQ(x.failure->code, "too_deep");
  auto j = mapper("tax/zdsswf.json").map_file(cg::test::fixture("hostile/deep.json"));
  ASSERT_TRUE(j.failure);
  EXPECT_EQ(j.failure->code, "too_deep");
}

TEST(Hostile, FileOverTheSizeLimitIsNotRead) {
  auto r = cg::mapping::load_mapping(cg::test::mapping_file("court/sxbzxr.json"));
  auto spec = std::make_shared<cg::mapping::MappingSpec>(*r.spec);
  spec->limits.max_file_bytes = 1000;
  auto out = Mapper(spec).map_file(cg::test::fixture("feeds/court/sxbzxr-1.xml"));
  ASSERT_TRUE(out.failure);
  EXPECT_EQ(out.failure->code, "file_too_large");
}

TEST(Hostile, TruncatedJsonNamesTheOffset) {
  auto out = mapper("tax/zdsswf.json").map_file(cg::test::fixture("hostile/truncated-tax.json"));
  ASSERT_TRUE(out.failure);
  EXPECT_EQ(out.failure->code, "malformed_json");
  EXPECT_EQ(out.failure->byte_offset, 900u);
  EXPECT_TRUE(out.records.empty());
}

TEST(Hostile, ErrorEnvelopeTakesNothing) {
  auto out = mapper("tax/zdsswf.json").map_file(cg::test::fixture("hostile/tax-error-page.json"));
  ASSERT_TRUE(out.failure);
  EXPECT_EQ(out.failure->code, "envelope_mismatch");
}

TEST(Hostile, MissingFile) {
  auto out = court("no-such-file.xml");
  ASSERT_TRUE(out.failure);
  EXPECT_EQ(out.failure->code, "io");
}
