// Bad and hostile input: refused with file and byte offset, nothing half-taken.
#include <gtest/gtest.h>

#include "common/text.hpp"
#include "mapping/mapper.hpp"
#include "mapping/xml_text_check.hpp"
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

namespace {

// The failure's message and everything it is written into stay valid UTF-8.
void expect_refused_at(const cg::mapping::MapOutcome& out, const std::string& code, size_t offset,
                       const std::string& says) {
  ASSERT_TRUE(out.failure);
  EXPECT_EQ(out.failure->code, code);
  EXPECT_EQ(out.failure->byte_offset, offset);
  EXPECT_NE(out.failure->message.find(says), std::string::npos) << out.failure->message;
  EXPECT_FALSE(cg::text::find_invalid_utf8(out.failure->message)) << out.failure->message;
  EXPECT_NO_THROW((void)cg::to_json(*out.failure).dump());
  EXPECT_TRUE(out.records.empty());
  EXPECT_TRUE(out.quarantined.empty());
}

}  // namespace

TEST(Hostile, XmlReferencesToWhatIsNotACharacterAreRefused) {
  const std::pair<const char*, const char*> cases[] = {
      {"xml-surrogate-reference.xml", "&#xD800;"},
      {"xml-reference-beyond-unicode.xml", "&#x110000;"},
      {"xml-nul-reference.xml", "&#0;"},  // would cut the field at the NUL
  };
  for (const auto& [file, reference] : cases) {
    SCOPED_TRACE(file);
    const std::string bytes = cg::test::read_file(cg::test::fixture(std::string("hostile/") + file));
    expect_refused_at(court(file), "malformed_xml", bytes.find(reference), reference);
  }
  auto bare = court("xml-surrogate-reference-bare.xml");
  expect_refused_at(bare, "malformed_xml", 6, "U+D800");
}

TEST(Hostile, XmlUndefinedEntitiesAndControlCharactersAreRefused) {
  std::string bytes = cg::test::read_file(cg::test::fixture("hostile/xml-undefined-entity.xml"));
  expect_refused_at(court("xml-undefined-entity.xml"), "malformed_xml", bytes.find("&nbsp;"),
                    "undefined entity &nbsp;");
  bytes = cg::test::read_file(cg::test::fixture("hostile/xml-control-character.xml"));
  expect_refused_at(court("xml-control-character.xml"), "malformed_xml", bytes.find('\x01'), "U+0001");
}

TEST(Hostile, XmlTextCheckLeavesWhatIsLegalAlone) {
  using cg::mapping::find_illegal_xml_text;
  EXPECT_FALSE(find_illegal_xml_text("<a b=\"&lt;&#x4E2D;&#20013;\">&amp;&gt;&apos;&quot;\t\r\n</a>"));
  EXPECT_FALSE(find_illegal_xml_text("<a><![CDATA[&nbsp; & <]]><!-- & --><?pi & ?></a>"));
  EXPECT_FALSE(find_illegal_xml_text("<a>&#x10FFFF;&#xFFFD;&#xE000;&#9;</a>"));
  EXPECT_EQ(find_illegal_xml_text("<a>A & B</a>")->offset, 5u);
  EXPECT_EQ(find_illegal_xml_text("<a>&#xFFFE;</a>")->offset, 3u);
  EXPECT_EQ(find_illegal_xml_text("<a>&#x;</a>")->offset, 3u);
  EXPECT_EQ(find_illegal_xml_text("<a>&#99999999999999999999;</a>")->offset, 3u);
  EXPECT_EQ(find_illegal_xml_text("<a><![CDATA[\x02]]></a>")->offset, 12u);
  EXPECT_EQ(find_illegal_xml_text("<a>&amp</a>")->offset, 3u);
}

TEST(Hostile, JsonNumberBeyondADoubleIsRefusedWhereItStands) {
  auto out = mapper("procurement/cgsx.json").map_file(cg::test::fixture("hostile/json-number-beyond-double.json"));
  expect_refused_at(out, "malformed_json", 6, "1e400");
}

TEST(Hostile, JsonSyntaxErrorAfterAMultiByteCharacterKeepsTheMessageValid) {
  auto out =
      mapper("procurement/cgsx.json").map_file(cg::test::fixture("hostile/json-syntax-error-after-multibyte.json"));
  expect_refused_at(out, "malformed_json", 9, "syntax error");
}

TEST(Hostile, ControlCharactersInAJsonValueQuarantineTheRecord) {
  auto out = mapper("procurement/cgsx.json")
                 .map_bytes(R"([{"qymc":"a\u0000b","tyshxydm":"91510802QEFLCR6390"}])", "request 1");
  ASSERT_FALSE(out.failure);
  ASSERT_EQ(out.quarantined.size(), 1u);
  EXPECT_TRUE(out.records.empty());
  bool named = false;
  for (const auto& v : out.quarantined[0].violations)
    named = named || (v.rule == "invalid_character" && v.field == "subject.name");
  EXPECT_TRUE(named);
}

TEST(Hostile, AnEncodingNameThatIsNotUtf8IsQuotedAsValidUtf8) {  // found by the mapping-input fuzzer
  auto out = court("../../fuzz/regressions/mapping_input/xml-encoding-name-not-utf8.xml");
  ASSERT_TRUE(out.failure);
  EXPECT_EQ(out.failure->code, "wrong_encoding");
  EXPECT_FALSE(cg::text::find_invalid_utf8(out.failure->message)) << out.failure->message;
  EXPECT_NO_THROW((void)cg::to_json(*out.failure).dump());
}
