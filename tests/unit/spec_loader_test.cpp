#include <gtest/gtest.h>

#include "mapping/spec.hpp"
#include "test_support.hpp"

using cg::mapping::load_mapping;
using cg::test::TempDir;
using cg::test::write_file;

namespace {

const char* kMinimal = R"({
  // comment
  "name": "court.x",
  "revision": 2,
  "department": "court",
  "input": {"format": "xml"},
  "records": [{
    "path": "/A/B",
    "kind": "dishonest_debtor",
    "key": ["decision.document_number"],
    "fields": {
      "subject.name": "N",
      "decision.document_number": "D"
    }
  }]
})";

std::string all_problems(const cg::mapping::LoadResult& r) {
  std::string s;
  for (const auto& p : r.problems) s += p.to_string() + "\n";
  return s;
}

}  // namespace

TEST(MappingLint, ShippedMappingsAreClean) {
  for (const char* m :
       {"court/sxbzxr.json", "tax/zdsswf.json", "market_regulation/sgs.json", "procurement/cgsx.json"}) {
    auto r = load_mapping(cg::test::mapping_file(m), cg::test::code_tables());
    EXPECT_TRUE(r.spec) << m << "\n" << all_problems(r);
  }
}

TEST(MappingLint, MinimalMappingLoads) {
  TempDir dir;
  write_file(dir.file("m.json"), kMinimal);
  auto r = load_mapping(dir.file("m.json"));
  ASSERT_TRUE(r.spec) << all_problems(r);
  EXPECT_EQ(r.spec->id(), "court.x@2");
}

TEST(MappingLint, UnknownKeyNamesFileLineAndNearestKey) {
  TempDir dir;
  std::string text = kMinimal;
  text.replace(text.find("\"kind\""), 6, "\"kinds\"");
  write_file(dir.file("m.json"), text);
  auto r = load_mapping(dir.file("m.json"));
  ASSERT_FALSE(r.spec);
  ASSERT_FALSE(r.problems.empty());
  std::string all = all_problems(r);
  EXPECT_NE(all.find(dir.file("m.json") + ":9"), std::string::npos) << all;
  EXPECT_NE(all.find("unknown key 'kinds'"), std::string::npos) << all;
  EXPECT_NE(all.find("did you mean 'kind'"), std::string::npos) << all;
}

TEST(MappingLint, EveryNamedTransformLoadsAndAnUnknownOneSuggestsTheNearest) {
  TempDir dir;
  std::string text = kMinimal;
  const std::string plain = "\"subject.name\": \"N\"";
  text.replace(text.find(plain), plain.size(),
               R"("subject.name": {"from": "N", "transform": ["trim", "fullwidth_to_ascii", "upper", "lower",
                                                                 "remove_spaces"]})");
  write_file(dir.file("m.json"), text);
  auto ok = load_mapping(dir.file("m.json"));
  EXPECT_TRUE(ok.spec) << all_problems(ok);
  text.replace(text.find("\"upper\""), 7, "\"uper\"");
  write_file(dir.file("m.json"), text);
  auto r = load_mapping(dir.file("m.json"));
  std::string all = all_problems(r);
  EXPECT_FALSE(r.spec);
  EXPECT_NE(all.find("unknown transform 'uper'; did you mean 'upper'?"), std::string::npos) << all;
}

TEST(MappingLint, UnknownCanonicalFieldSuggestsTheNearest) {
  TempDir dir;
  std::string text = kMinimal;
  text.replace(text.find("\"subject.name\""), 14, "\"subject.nmae\"");
  write_file(dir.file("m.json"), text);
  auto r = load_mapping(dir.file("m.json"));
  std::string all = all_problems(r);
  EXPECT_NE(all.find("did you mean 'subject.name'"), std::string::npos) << all;
  EXPECT_NE(all.find(":12"), std::string::npos) << all;
}

TEST(MappingLint, ReportsSyntaxErrorsWithLine) {
  TempDir dir;
  write_file(dir.file("m.json"), "{\n  \"name\": \"a.b\",\n  \"revision\": 1\n  \"department\": \"x\"\n}");
  auto r = load_mapping(dir.file("m.json"));
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_NE(r.problems[0].where.find("m.json:4"), std::string::npos) << r.problems[0].to_string();
}

TEST(MappingLint, MoneyFieldNeedsAUnitAndTablesMustExist) {
  TempDir dir;
  std::string text = kMinimal;
  text.replace(text.find("\"subject.name\": \"N\""), 19,
               "\"subject.name\": \"N\", \"detail.fine_fen\": \"F\", "
               "\"subject.type\": {\"from\": \"T\", \"transform\": {\"code_table\": \"nope\"}}");
  write_file(dir.file("m.json"), text);
  auto r = load_mapping(dir.file("m.json"));
  std::string all = all_problems(r);
  EXPECT_NE(all.find("'detail.fine_fen' is money"), std::string::npos) << all;
  EXPECT_NE(all.find("code table 'nope'"), std::string::npos) << all;
}

TEST(MappingLint, BadXPathAndKeyFieldNotMapped) {
  TempDir dir;
  std::string text = kMinimal;
  text.replace(text.find("\"/A/B\""), 6, "\"/A/[\"");
  text.replace(text.find("[\"decision.document_number\"]"), 28, "[\"subject.uscc\"]");
  write_file(dir.file("m.json"), text);
  auto r = load_mapping(dir.file("m.json"));
  std::string all = all_problems(r);
  EXPECT_NE(all.find("not a valid XPath"), std::string::npos) << all;
  EXPECT_NE(all.find("key field 'subject.uscc' is not mapped"), std::string::npos) << all;
}

TEST(MappingLint, ConditionOnFieldMustComeAfterIt) {
  TempDir dir;
  std::string text = kMinimal;
  text.replace(text.find("\"subject.name\": \"N\""), 19,
               "\"subject.uscc\": {\"if\": {\"field\": \"subject.type\", \"equals\": \"x\"}, \"from\": \"U\"}, "
               "\"subject.name\": \"N\"");
  write_file(dir.file("m.json"), text);
  auto r = load_mapping(dir.file("m.json"));
  EXPECT_NE(all_problems(r).find("not mapped before this point"), std::string::npos) << all_problems(r);
}
