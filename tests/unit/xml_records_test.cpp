// XML feeds whose records are not where the mapping looks: refused, never
// "done" with nothing taken; namespaces matched by URI, not by prefix text.
#include <gtest/gtest.h>

#include "mapping/mapper.hpp"
#include "test_support.hpp"

using cg::mapping::Mapper;
using cg::test::TempDir;
using cg::test::write_file;

namespace {

std::string mapping_text(const std::string& input_extra, const std::string& path, const std::string& name_from) {
  return R"({
  "name": "court.ns", "revision": 1, "department": "court", "region": "510802",
  "input": {"format": "xml")" +
         input_extra + R"(},
  "records": [{
    "path": ")" +
         path + R"(", "kind": "admin_penalty",
    "key": [{"field": "decision.document_number"}],
    "fields": {
      "subject.type": {"const": "legal_person"},
      "subject.name": ")" +
         name_from + R"(",
      "subject.uscc": {"const": "91510802QEFLCR6390"},
      "decision.document_number": "@no",
      "decision.decided_on": {"const": "2024-03-09"}
    }
  }]
})";
}

struct Loaded {
  std::shared_ptr<const cg::mapping::MappingSpec> spec;
  std::string problems;
};

Loaded load_xml(const std::string& text) {
  TempDir dir;
  write_file(dir.file("m.json"), text);
  auto r = cg::mapping::load_mapping(dir.file("m.json"), cg::test::code_tables());
  Loaded out{r.spec, {}};
  for (const auto& p : r.problems) out.problems += p.to_string() + "\n";
  return out;
}

Mapper plain() {
  auto l = load_xml(mapping_text("", "/FEED/REC", "NAME"));
  EXPECT_TRUE(l.spec) << l.problems;
  return Mapper(l.spec);
}

Mapper with_namespace() {
  auto l = load_xml(mapping_text(R"(, "namespaces": {"c": "urn:court:v1"})", "/c:FEED/c:REC", "c:NAME"));
  EXPECT_TRUE(l.spec) << l.problems;
  return Mapper(l.spec);
}

}  // namespace

TEST(XmlRecords, ARenamedRootIsRefusedNotTakenAsEmpty) {
  auto out = plain().map_bytes(R"(<FEED_V2><REC no="1"><NAME>甲</NAME></REC></FEED_V2>)", "court-1.xml");
  ASSERT_TRUE(out.failure);
  EXPECT_EQ(out.failure->code, "no_records_path");
  EXPECT_NE(out.failure->message.find("/FEED/REC"), std::string::npos) << out.failure->message;
  EXPECT_NE(out.failure->message.find("<FEED_V2>"), std::string::npos) << out.failure->message;
}

TEST(XmlRecords, AnEmptyBatchUnderTheExpectedRootIsNoError) {
  auto out = plain().map_bytes(R"(<FEED batch="7"></FEED>)", "court-7.xml");
  EXPECT_FALSE(out.failure) << out.failure->message;
  EXPECT_TRUE(out.records.empty());
}

TEST(XmlRecords, NamespacesAreMatchedByUriWhateverPrefixTheDocumentUses) {
  const char* docs[] = {
      R"(<FEED xmlns="urn:court:v1"><REC no="1"><NAME>甲公司</NAME></REC></FEED>)",
      R"(<hb:FEED xmlns:hb="urn:court:v1"><hb:REC no="1"><hb:NAME>甲公司</hb:NAME></hb:REC></hb:FEED>)",
      R"(<x:FEED xmlns:x="urn:court:v1"><x:REC no="1" xmlns:y="urn:court:v1"><y:NAME>甲公司</y:NAME></x:REC></x:FEED>)",
  };
  for (const char* doc : docs) {
    SCOPED_TRACE(doc);
    auto out = with_namespace().map_bytes(doc, "ns.xml");
    ASSERT_FALSE(out.failure) << out.failure->message;
    ASSERT_EQ(out.records.size(), 1u);
    EXPECT_EQ(out.records[0].subject.name, "甲公司");
  }
}

TEST(XmlRecords, ThePrefixTextAloneDoesNotMatch) {
  // The mapping's prefix, bound to another namespace, and no namespace at all.
  auto out = with_namespace().map_bytes(R"(<c:FEED xmlns:c="urn:other"><c:REC no="1"/></c:FEED>)", "ns.xml");
  ASSERT_TRUE(out.failure);
  EXPECT_EQ(out.failure->code, "no_records_path");
  out = with_namespace().map_bytes(R"(<FEED><REC no="1"/></FEED>)", "ns.xml");
  ASSERT_TRUE(out.failure);
  EXPECT_EQ(out.failure->code, "no_records_path");
}

TEST(XmlRecords, AQuarantinedNamespacedRecordReplays) {
  auto m = with_namespace();
  auto out = m.map_bytes(R"(<FEED xmlns="urn:court:v1"><REC no="1"><NAME></NAME></REC></FEED>)", "ns.xml");
  ASSERT_FALSE(out.failure);
  ASSERT_EQ(out.quarantined.size(), 1u);
  auto again = m.replay(out.quarantined[0]);
  ASSERT_FALSE(again.failure) << again.failure->message;
  ASSERT_EQ(again.quarantined.size(), 1u);
  EXPECT_EQ(again.quarantined[0].field, "subject.name");
}

TEST(XmlRecords, APrefixThatIsNotDeclaredIsAMappingProblem) {
  auto l = load_xml(mapping_text("", "/c:FEED/c:REC", "NAME"));
  EXPECT_FALSE(l.spec);
  EXPECT_NE(l.problems.find("prefix 'c'"), std::string::npos) << l.problems;
  l = load_xml(mapping_text(R"(, "namespaces": {"c": "urn:court:v1"})", "/c:FEED/c:REC", "d:NAME"));
  EXPECT_FALSE(l.spec);
  EXPECT_NE(l.problems.find("prefix 'd'"), std::string::npos) << l.problems;
  l = load_xml(mapping_text(R"(, "namespaces": {"xmlc": "urn:court:v1"})", "/xmlc:FEED/xmlc:REC", "NAME"));
  EXPECT_FALSE(l.spec);
  EXPECT_NE(l.problems.find("reserved"), std::string::npos) << l.problems;
  // Axes and string literals are not prefixes.
  l = load_xml(mapping_text("", "/FEED/child::REC[@k='a:b']", "NAME"));
  EXPECT_TRUE(l.spec) << l.problems;
}
