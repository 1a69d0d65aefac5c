#include "mapping/mapper.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "test_support.hpp"

using cg::mapping::Mapper;
using cg::test::TempDir;
using cg::test::write_file;
using nlohmann::json;

namespace {

std::shared_ptr<const cg::mapping::MappingSpec> load_spec_file(const std::string& path) {
  auto r = cg::mapping::load_mapping(path, cg::test::code_tables());
  std::string problems;
  for (const auto& p : r.problems) problems += p.to_string() + "\n";
  EXPECT_TRUE(r.spec) << problems;
  return r.spec;
}

const char* kJsonMapping = R"({
  "name": "procurement.t", "revision": 1, "department": "procurement", "region": "510802",
  "input": {"format": "json"},
  "code_tables": {"kinds": {"map": {"甲": "fine", "乙": "warning"}}},
  "records": [{
    "path": "/items", "kind": "admin_penalty",
    "key": [{"first_of": ["subject.uscc", "subject.id_number"]}, {"field": "detail.extra.seq", "optional": true}],
    "fields": {
      "subject.type": {"when": [{"if": {"from": "who", "looks_like": "resident_id"}, "then": {"const": "natural_person"}}],
                       "else": {"const": "legal_person"}},
      "subject.name": {"concat": [{"from": "n1"}, {"from": "n2"}], "separator": "·"},
      "subject.uscc": {"if": {"field": "subject.type", "equals": "legal_person"}, "from": "who",
                       "transform": ["fullwidth_to_ascii", "upper"]},
      "subject.id_type": {"if": {"field": "subject.type", "equals": "natural_person"}, "const": "resident_id"},
      "subject.id_number": {"if": {"field": "subject.type", "equals": "natural_person"}, "from": "who"},
      "decision.decided_on": "date",
      "detail.penalty_types": {"from": "types", "transform": {"code_table": "kinds", "split": [";", "、"]}},
      "detail.fine_fen": {"from": "amount", "transform": {"money": "yuan"}},
      "detail.extra.seq": "seq"
    }
  }]
})";

}  // namespace

TEST(Mapper, ConditionsConcatCodeTablesAndTransforms) {
  TempDir dir;
  write_file(dir.file("m.json"), kJsonMapping);
  Mapper m(load_spec_file(dir.file("m.json")));
  auto out = m.map_bytes(R"({"items": [
      {"who": "９１５１０８０２ｑｅｆｌｃｒ６３９０", "n1": "甲", "n2": "乙", "date": "2024年3月9日",
       "types": "乙;甲、甲", "amount": 1234.5},
      {"who": "620702198004229754", "n1": "黄超", "date": "20240101", "amount": "0", "seq": "7"}
    ]})",
                         "inline.json");
  ASSERT_FALSE(out.failure);
  ASSERT_EQ(out.quarantined.size(), 0u) << out.quarantined[0].message;
  ASSERT_EQ(out.records.size(), 2u);
  const auto& a = out.records[0];
  EXPECT_EQ(a.subject.type, "legal_person");
  EXPECT_EQ(a.subject.uscc, "91510802QEFLCR6390");
  EXPECT_EQ(a.subject.name, "甲·乙");
  EXPECT_EQ(a.decision.decided_on, "2024-03-09");
  EXPECT_EQ(a.detail.penalty_types, (std::vector<std::string>{"fine", "warning"}));
  EXPECT_EQ(a.detail.fine_fen, 123450);
  EXPECT_EQ(a.source.source_key, "91510802QEFLCR6390");
  EXPECT_EQ(a.region, "510802");
  EXPECT_EQ(a.version, 1);
  EXPECT_EQ(a.status, "active");
  EXPECT_EQ(a.source.mapping, "procurement.t@1");
  const auto& b = out.records[1];
  EXPECT_EQ(b.subject.type, "natural_person");
  EXPECT_EQ(b.subject.name, "黄超");
  EXPECT_FALSE(b.subject.uscc);
  EXPECT_EQ(b.subject.id_number, "620702198004229754");
  EXPECT_EQ(b.detail.fine_fen, 0);
  // first_of takes the ID number; the optional part is kept when present.
  EXPECT_EQ(b.source.source_key, "620702198004229754|7");
}

TEST(Mapper, UnknownCodeIsQuarantinedOnItsField) {
  TempDir dir;
  write_file(dir.file("m.json"), kJsonMapping);
  Mapper m(load_spec_file(dir.file("m.json")));
  auto out = m.map_bytes(
      R"({"items": [{"who": "91510802QEFLCR6390", "n1": "x", "date": "2024-01-01", "types": "丙"}]})", "t.json");
  ASSERT_EQ(out.quarantined.size(), 1u);
  EXPECT_EQ(out.quarantined[0].rule, "unknown_code");
  EXPECT_EQ(out.quarantined[0].field, "detail.penalty_types");
  EXPECT_EQ(out.quarantined[0].location.record_index, 0u);
  EXPECT_EQ(out.quarantined[0].location.path, "/items/0");
}

TEST(Mapper, QuarantineKeepsRawRecordAndReplaysAfterFix) {
  TempDir dir;
  write_file(dir.file("m.json"), kJsonMapping);
  Mapper broken(load_spec_file(dir.file("m.json")));
  auto out = broken.map_bytes(
      R"({"items": [{"who": "91510802QEFLCR6390", "n1": "x", "date": "2024-01-01", "types": "丙"}]})", "t.json");
  ASSERT_EQ(out.quarantined.size(), 1u);
  auto entry = cg::quarantine_from_json(cg::to_json(out.quarantined[0]));
  ASSERT_TRUE(entry.ok());
  EXPECT_NE(entry->raw.find("丙"), std::string::npos);

  // Same mapping: still quarantined.
  EXPECT_EQ(broken.replay(*entry).quarantined.size(), 1u);

  // Fix the code table, raise the revision, replay.
  std::string fixed = kJsonMapping;
  auto swap = [&](const std::string& from, const std::string& to) { fixed.replace(fixed.find(from), from.size(), to); };
  swap("\"revision\": 1", "\"revision\": 2");
  swap("\"乙\": \"warning\"", "\"乙\": \"warning\", \"丙\": \"other\"");
  write_file(dir.file("m2.json"), fixed);
  auto good_spec = load_spec_file(dir.file("m2.json"));
  ASSERT_TRUE(good_spec);
  Mapper good(good_spec);
  auto replayed = good.replay(*entry);
  ASSERT_FALSE(replayed.failure);
  ASSERT_EQ(replayed.records.size(), 1u);
  EXPECT_EQ(replayed.records[0].detail.penalty_types, std::vector<std::string>{"other"});
  EXPECT_EQ(replayed.records[0].source.mapping, "procurement.t@2");
  EXPECT_EQ(replayed.records[0].record_id, entry->record_id);
}

TEST(Mapper, XmlReplayFromQuarantine) {
  Mapper m(load_spec_file(cg::test::mapping_file("court/sxbzxr.json")));
  auto out = m.map_file(cg::test::fixture("feeds/court/sxbzxr-1.xml"));
  ASSERT_EQ(out.quarantined.size(), 2u);
  auto entry = out.quarantined[0];
  EXPECT_EQ(entry.raw_format, "xml");
  EXPECT_NE(entry.raw.find("张掖市甘州区华宇物流股份有限公司"), std::string::npos) << "raw kept as UTF-8";
  // An operator corrects the USCC in the raw record, then replays.
  auto pos = entry.raw.find("916207025BHWNQMP8G");
  ASSERT_NE(pos, std::string::npos);
  entry.raw.replace(pos, 18, "916207025BHWNQMP8M");
  auto replayed = m.replay(entry);
  ASSERT_EQ(replayed.records.size(), 1u) << (replayed.quarantined.empty() ? "" : replayed.quarantined[0].message);
  EXPECT_EQ(replayed.records[0].record_id, "0ce3e7bd282d44461717b8c6c7a7f120");
}

TEST(Mapper, Gb18030FileIsDecoded) {
  Mapper m(load_spec_file(cg::test::mapping_file("court/sxbzxr.json")));
  auto out = m.map_file(cg::test::fixture("feeds/court/sxbzxr-1.xml"));
  ASSERT_FALSE(out.failure);
  ASSERT_EQ(out.records.size(), 10u);
  EXPECT_EQ(out.records[0].subject.name, "广元市利州区瑞丰商贸有限责任公司");
  EXPECT_EQ(out.records[0].detail.extra.at("province"), "四川");
}

TEST(Mapper, IndividualBusinessPlaceholderNeedsRegistrationNumber) {
  Mapper m(load_spec_file(cg::test::mapping_file("market_regulation/sgs.json")));
  auto out = m.map_bytes(R"(<?xml version="1.0" encoding="UTF-8"?><SGS_DATA>
<JYYC><QYMC>利州区张记餐馆</QYMC><TYSHXYDM>00000000000000000X</TYSHXYDM><LRYY>r</LRYY><LRRQ>2024-01-02</LRRQ><ZCJDJG>j</ZCJDJG><ZCH>510802600668071</ZCH><ZTLX>个体工商户</ZTLX></JYYC>
<JYYC><QYMC>利州区李记面馆</QYMC><TYSHXYDM>00000000000000000X</TYSHXYDM><LRYY>r</LRYY><LRRQ>2024-01-03</LRRQ><ZCJDJG>j</ZCJDJG><ZCH></ZCH><ZTLX>个体工商户</ZTLX></JYYC>
</SGS_DATA>)",
                         "sgs.xml");
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_EQ(out.records[0].subject.type, "individual_business");
  EXPECT_EQ(out.records[0].source.source_key, "00000000000000000X|2024-01-02|510802600668071");
  ASSERT_EQ(out.quarantined.size(), 1u);
  EXPECT_EQ(out.quarantined[0].field, "subject.uscc");
  EXPECT_EQ(out.quarantined[0].location.line, 3u);
}

TEST(Mapper, OpenEndedDateIsAbsent) {
  Mapper m(load_spec_file(cg::test::mapping_file("market_regulation/sgs.json")));
  auto out = m.map_file(cg::test::fixture("feeds/market_regulation/sgs-1.xml"));
  size_t open_ended = 0;
  for (const auto& r : out.records)
    if (r.kind == "admin_penalty" && !r.decision.valid_until) ++open_ended;
  EXPECT_EQ(open_ended, 3u);
}

TEST(Mapper, QuarantineMessagesMaskPersonalIds) {
  Mapper m(load_spec_file(cg::test::mapping_file("tax/zdsswf.json")));
  auto out = m.map_file(cg::test::fixture("feeds/tax/page-2.json"));
  ASSERT_FALSE(out.quarantined.empty());
  for (const auto& q : out.quarantined) {
    EXPECT_EQ(q.message.find("510802197111110100"), std::string::npos) << q.message;
    for (const auto& v : q.violations) EXPECT_EQ(v.message.find("510802197111110100"), std::string::npos);
  }
}

#include "mapping/field_setter.hpp"

TEST(FieldSetter, EveryMappableFieldLandsInTheRecordWithItsJsonName) {
  // The engine writes fields straight into Record; this proves that table
  // and the list of mappable fields agree, field by field, through to_json.
  for (const auto& path : cg::mapping::mappable_fields()) {
    std::string field = path == "detail.extra.<name>" ? "detail.extra.xyz" : path;
    auto type = cg::mapping::canonical_field_type(field);
    ASSERT_TRUE(type) << field;
    cg::mapping::Value v;
    switch (*type) {
      case cg::mapping::FieldType::Fen:
        v = int64_t{1234};
        break;
      case cg::mapping::FieldType::StringList:
        v = std::vector<std::string>{"fine"};
        break;
      default:
        v = std::string("2026-01-02");
        break;
    }
    cg::Record r;
    ASSERT_TRUE(cg::mapping::assign_field(r, field, cg::mapping::Value(v))) << field;
    json j = cg::to_json(r);
    std::string pointer = std::regex_replace(field, std::regex("\\."), "/");
    pointer.insert(0, 1, '/');  // not "/" + ...: GCC 12's -Wrestrict false positive in a Release build
    json::json_pointer p(pointer);
    ASSERT_TRUE(j.contains(p)) << field;
    if (*type == cg::mapping::FieldType::Fen)
      EXPECT_EQ(j.at(p), 1234) << field;
    else if (*type == cg::mapping::FieldType::StringList)
      EXPECT_EQ(j.at(p), json::array({"fine"})) << field;
    else
      EXPECT_EQ(j.at(p), "2026-01-02") << field;
  }
  cg::Record r;
  EXPECT_FALSE(cg::mapping::assign_field(r, "subject.nmae", std::string("x")));
  EXPECT_FALSE(cg::mapping::assign_field(r, "detail.fine_fen", std::string("not fen")));
}

TEST(Mapper, AnAllDigitUsccIsACompanyNotAPerson) {
  // 915108027812865731: a valid USCC made only of digits, so it has a
  // resident ID's shape; its ID check character does not hold. Found by the
  // end-to-end benchmark (one valid company in 90,000 went to quarantine).
  TempDir dir;
  write_file(dir.file("m.json"), kJsonMapping);
  Mapper m(load_spec_file(dir.file("m.json")));
  // 913209025146105355: valid as a USCC and its ID check character holds
  // too, but "0251" is no birth year (the backlog benchmark found four such
  // in 500,000).
  auto out = m.map_bytes(R"({"items": [{"who": "915108027812865731", "n1": "某公司", "date": "20240101"},
                                       {"who": "620702198004229754", "n1": "黄超", "date": "20240101"},
                                       {"who": "913209025146105355", "n1": "某公司", "date": "20240101"}]})",
                         "inline.json");
  ASSERT_EQ(out.quarantined.size(), 0u) << out.quarantined[0].message;
  ASSERT_EQ(out.records.size(), 3u);
  EXPECT_EQ(out.records[2].subject.type, "legal_person");
  EXPECT_EQ(out.records[0].subject.type, "legal_person");
  EXPECT_EQ(out.records[0].subject.uscc, "915108027812865731");
  EXPECT_EQ(out.records[1].subject.type, "natural_person");
}

TEST(Mapper, JsonValuesAreReadAsTextTheWayTheyAlwaysWere) {
  TempDir dir;
  write_file(dir.file("m.json"), kJsonMapping);
  Mapper m(load_spec_file(dir.file("m.json")));
  auto item = [](const std::string& seq, const std::string& types = "甲") {
    return R"({"who": "91510802QEFLCR6390", "n1": "x", "date": "2024-01-01", "types": ")" + types +
           R"(", "amount": "1", "seq": )" + seq + "}";
  };
  std::string doc = R"({"items": [)" + item("7") + "," + item("-12") + "," + item("7.5") + "," + item("1e2") + "," +
                    item("true") + "," + item(R"({"b": 1, "a": [2, "三"]})") + "," + item("null") + "," +
                    item("8", "丙") + R"(, "plain text"]})";
  auto out = m.map_bytes(doc, "t.json");
  ASSERT_FALSE(out.failure) << out.failure->message;
  std::vector<std::string> seqs;
  for (const auto& r : out.records) seqs.push_back(r.detail.extra.count("seq") ? r.detail.extra.at("seq") : "(absent)");
  EXPECT_EQ(seqs,
            (std::vector<std::string>{"7", "-12", "7.5", "100.0", "true", R"({"a":[2,"三"],"b":1})", "(absent)"}));

  ASSERT_EQ(out.quarantined.size(), 2u);
  EXPECT_EQ(out.quarantined[0].raw, json::parse(item("8", "丙")).dump());  // as nlohmann dumps it: sorted keys
  EXPECT_EQ(out.quarantined[0].location.path, "/items/7");
  EXPECT_EQ(out.quarantined[1].rule, "not_a_record");
  EXPECT_NE(out.quarantined[1].message.find("a JSON string, not an object"), std::string::npos);
  EXPECT_EQ(out.quarantined[1].location.path, "/items/8");
}

TEST(Mapper, AQuarantinedJsonRecordKeepsNlohmannsTextOfIt) {
  // The raw text is written from simdjson's DOM; it must stay what
  // nlohmann's parse and dump gave: keys sorted, the last of a repeated key,
  // escapes, numbers in nlohmann's forms.
  TempDir dir;
  write_file(dir.file("m.json"), kJsonMapping);
  Mapper m(load_spec_file(dir.file("m.json")));
  const std::vector<std::string> extras = {
      R"("z": {"b": 1, "a": {"d": [], "c": {}}, "b": 2})",
      R"("s": "line\nbreak \u0001 \"quoted\" back\\slash \/ \u4e2d\u6587 tab\t end")",
      R"("n": [18446744073709551615, -9223372036854775808, 9223372036854775807, 1.5e300, -0, 0.1, 1E-7, 2.50, -3])",
      R"("t": [true, false, null, [[]], [{"y": "\u0000"}]])",
      R"("键": "值", "a key with \"quotes\"": 1)",
  };
  std::string doc = R"({"items": [)";
  std::vector<std::string> items;
  for (size_t i = 0; i < extras.size(); ++i) {
    // No "who": each one is quarantined (subject.uscc is required).
    items.push_back(R"({"n1": "x", "date": "2024-01-01", )" + extras[i] + "}");
    doc += (i ? "," : "") + items.back();
  }
  doc += "]}";
  auto out = m.map_bytes(doc, "t.json");
  ASSERT_FALSE(out.failure) << out.failure->message;
  ASSERT_EQ(out.quarantined.size(), items.size());
  for (size_t i = 0; i < items.size(); ++i) EXPECT_EQ(out.quarantined[i].raw, json::parse(items[i]).dump()) << items[i];
}

TEST(Mapper, JsonDepthLimitIsTheSameWithEitherParser) {
  // The mapping's max_depth (here 4) counts as nlohmann did, the values inside containers: the 1 in
  // {"items": [{"seq": {"a": 1}}]} is at depth 4, within the limit; in {"a": [1]} it is at 5.
  TempDir dir;
  std::string spec = kJsonMapping;
  spec.replace(spec.find(R"("input": {"format": "json"})"), 27, R"("input": {"format": "json", "max_depth": 4})");
  write_file(dir.file("m.json"), spec);
  auto loaded = load_spec_file(dir.file("m.json"));
  ASSERT_TRUE(loaded);
  Mapper m(loaded);
  auto ok = m.map_bytes(R"({"items": [{"who": "91510802QEFLCR6390", "n1": "x", "seq": {"a": 1}}]})", "t.json");
  EXPECT_FALSE(ok.failure) << ok.failure->message;
  auto deep = m.map_bytes(R"({"items": [{"who": "91510802QEFLCR6390", "n1": "x", "seq": {"a": [1]}}]})", "t.json");
  ASSERT_TRUE(deep.failure);
  EXPECT_EQ(deep.failure->code, "too_deep");
  auto broken = m.map_bytes("{\"items\": [\n{\"who\": 1,}]}", "t.json");
  ASSERT_TRUE(broken.failure);
  EXPECT_EQ(broken.failure->code, "malformed_json");
  EXPECT_EQ(broken.failure->line, 2u);
}

TEST(Mapper, PlainPathsTakeTheFirstChildOrMemberOfTheirName) {
  // Plain child and member paths are found by one pass over the record's
  // children: the first of a repeated name wins, as XPath's child lookup and
  // JSON pointers do; other paths are evaluated as before.
  TempDir dir;
  write_file(dir.file("m.json"), kJsonMapping);
  Mapper json_mapper(load_spec_file(dir.file("m.json")));
  auto j = json_mapper.map_bytes(
      R"({"items": [{"who": "91510802QEFLCR6390", "n1": "甲", "n1": "乙", "n2": "丙", "date": "2024-01-01", "types": "甲", "amount": "1"}]})",
      "t.json");
  ASSERT_EQ(j.records.size(), 1u) << (j.quarantined.empty() ? "" : j.quarantined[0].message);
  EXPECT_EQ(j.records[0].subject.name, "甲·丙");

  std::string xml_spec = kJsonMapping;
  xml_spec.replace(xml_spec.find(R"("format": "json")"), 16, R"("format": "xml")");
  xml_spec.replace(xml_spec.find(R"("path": "/items")"), 16, R"("path": "/root/item")");
  xml_spec.replace(xml_spec.find(R"({"from": "n2"})"), 14, R"({"from": "names/n2"})");
  write_file(dir.file("x.json"), xml_spec);
  Mapper xml_mapper(load_spec_file(dir.file("x.json")));
  auto x = xml_mapper.map_bytes(
      "<root><item><who>91510802QEFLCR6390</who><?n1 not an element?><n1>甲</n1><n1>乙</n1>"
      "<names><n2>丙</n2></names><date>2024-01-01</date><types>甲</types><amount>1</amount></item></root>",
      "t.xml");
  ASSERT_FALSE(x.failure) << x.failure->message;
  ASSERT_EQ(x.records.size(), 1u) << (x.quarantined.empty() ? "" : x.quarantined[0].message);
  EXPECT_EQ(x.records[0].subject.name, "甲·丙");
}

TEST(Mapper, AQuarantinedRecordSaysWhereItIsInEitherFormat) {
  // Locations are worked out only for records that are quarantined: each
  // must still name its own index, line and path, whatever came before it.
  Mapper xml(load_spec_file(cg::test::mapping_file("market_regulation/sgs.json")));
  auto row = [](const std::string& uscc, const std::string& date) {
    return "<JYYC><QYMC>利州区某公司</QYMC><TYSHXYDM>" + uscc + "</TYSHXYDM><LRYY>r</LRYY><LRRQ>" + date +
           "</LRRQ><ZCJDJG>j</ZCJDJG></JYYC>\n";
  };
  auto x = xml.map_bytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<SGS_DATA>\n" + row("BAD", "2024-01-02") +
                             row("91510802QEFLCR6390", "2024-01-03") + "\n\n" +
                             row("91510802QEFLCR6390", "2024-13-01") + "</SGS_DATA>\n",
                         "sgs.xml");
  ASSERT_FALSE(x.failure) << x.failure->message;
  ASSERT_EQ(x.records.size(), 1u);
  ASSERT_EQ(x.quarantined.size(), 2u);
  EXPECT_EQ(x.quarantined[0].location.file, "sgs.xml");
  EXPECT_EQ(x.quarantined[0].location.record_index, 0u);
  EXPECT_EQ(x.quarantined[0].location.line, 3u);
  EXPECT_EQ(x.quarantined[0].location.path, "/SGS_DATA/JYYC[1]");
  EXPECT_EQ(x.quarantined[1].location.record_index, 2u);
  EXPECT_EQ(x.quarantined[1].location.line, 7u);
  EXPECT_EQ(x.quarantined[1].location.path, "/SGS_DATA/JYYC[3]");
  EXPECT_EQ(x.records[0].source.source_key.substr(0, 18), "91510802QEFLCR6390");
  EXPECT_EQ(x.quarantined[1].source_key.substr(0, 18), "91510802QEFLCR6390");

  Mapper js(load_spec_file(cg::test::mapping_file("tax/zdsswf.json")));
  auto page = json::parse(cg::test::read_file(cg::test::fixture("feeds/tax/page-1.json")));
  auto& rows = page["data"]["rows"];
  ASSERT_GE(rows.size(), 3u);
  rows[1]["qdrq"] = "2024-02-30";
  auto j = js.map_bytes(page.dump(1), "page.json");
  ASSERT_FALSE(j.failure);
  ASSERT_EQ(j.quarantined.size(), 1u);
  EXPECT_EQ(j.records.size(), rows.size() - 1);
  EXPECT_EQ(j.quarantined[0].field, "decision.decided_on");
  EXPECT_EQ(j.quarantined[0].location.file, "page.json");
  EXPECT_EQ(j.quarantined[0].location.record_index, 1u);
  EXPECT_EQ(j.quarantined[0].location.path, "/data/rows/1");
  // dump(1), keys sorted: "{", code, "data": {, page, pages, "rows": [ (line 6); row 0 is "{" on
  // line 7, its members, "}," on line 8 + n; row 1 starts on the next.
  EXPECT_EQ(j.quarantined[0].location.line, 9u + rows[0].size());
  EXPECT_EQ(j.quarantined[0].source_key, rows[1]["ajbh"].get<std::string>());
}

TEST(Mapper, EachRecordGetsItsOwnValuesWhateverTheOrderOfItsChildren) {
  // The readers remember the order of the last record's children; records
  // in another order, with a repeated name or a child missing, must still
  // read their own values.
  TempDir dir;
  write_file(dir.file("m.json"), kJsonMapping);
  Mapper json_mapper(load_spec_file(dir.file("m.json")));
  auto j = json_mapper.map_bytes(R"({"items": [
      {"who": "91510802QEFLCR6390", "n1": "甲", "n2": "乙", "date": "2024-01-01", "seq": "1"},
      {"who": "91510802QEFLCR6390", "n1": "丙", "n2": "丁", "date": "2024-01-02", "seq": "2"},
      {"seq": "3", "date": "2024-01-03", "n2": "己", "n1": "戊", "who": "91510802QEFLCR6390"},
      {"who": "91510802QEFLCR6390", "n2": "辛", "n2": "壬", "date": "2024-01-04", "seq": "4"},
      {"who": "91510802QEFLCR6390", "n1": "癸", "n2": "子", "date": "2024-01-05", "seq": "5"}]})",
                                 "t.json");
  ASSERT_FALSE(j.failure) << j.failure->message;
  ASSERT_EQ(j.records.size(), 5u) << (j.quarantined.empty() ? "" : j.quarantined[0].message);
  std::vector<std::string> names, dates;
  for (const auto& r : j.records) {
    names.push_back(r.subject.name);
    dates.push_back(r.decision.decided_on.value_or(""));
  }
  EXPECT_EQ(names, (std::vector<std::string>{"甲·乙", "丙·丁", "戊·己", "辛", "癸·子"}));
  EXPECT_EQ(dates, (std::vector<std::string>{"2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"}));

  std::string xml_spec = kJsonMapping;
  xml_spec.replace(xml_spec.find(R"("format": "json")"), 16, R"("format": "xml")");
  xml_spec.replace(xml_spec.find(R"("path": "/items")"), 16, R"("path": "/root/item")");
  write_file(dir.file("x.json"), xml_spec);
  Mapper xml_mapper(load_spec_file(dir.file("x.json")));
  auto x = xml_mapper.map_bytes(
      "<root>"
      "<item><who>91510802QEFLCR6390</who><n1>甲</n1><n2>乙</n2><date>2024-01-01</date><seq>1</seq></item>"
      "<item><who>91510802QEFLCR6390</who><n1>丙</n1><n2>丁</n2><date>2024-01-02</date><seq>2</seq></item>"
      "<item><seq>3</seq><date>2024-01-03</date><n2>己</n2><n1>戊</n1><who>91510802QEFLCR6390</who></item>"
      "<item><who>91510802QEFLCR6390</who><n2>辛</n2><n2>壬</n2><date>2024-01-04</date><seq>4</seq></item>"
      "<item><who>91510802QEFLCR6390</who><n1>癸</n1><n2>子</n2><date>2024-01-05</date><seq>5</seq></item>"
      "</root>",
      "t.xml");
  ASSERT_FALSE(x.failure) << x.failure->message;
  ASSERT_EQ(x.records.size(), 5u) << (x.quarantined.empty() ? "" : x.quarantined[0].message);
  names.clear();
  dates.clear();
  for (const auto& r : x.records) {
    names.push_back(r.subject.name);
    dates.push_back(r.decision.decided_on.value_or(""));
  }
  EXPECT_EQ(names, (std::vector<std::string>{"甲·乙", "丙·丁", "戊·己", "辛", "癸·子"}));
  EXPECT_EQ(dates, (std::vector<std::string>{"2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"}));
}

TEST(Mapper, XmlDepthLimitCountsElementsOnly) {
  // max_depth counts nested elements: text, comments and processing
  // instructions inside the deepest element do not add a level.
  TempDir dir;
  std::string spec = kJsonMapping;
  spec.replace(spec.find(R"("input": {"format": "json"})"), 27, R"("input": {"format": "xml", "max_depth": 4})");
  spec.replace(spec.find(R"("path": "/items")"), 16, R"("path": "/root/item")");
  write_file(dir.file("x.json"), spec);
  Mapper m(load_spec_file(dir.file("x.json")));
  auto at_limit = m.map_bytes(
      "<root><item><who>91510802QEFLCR6390</who><n1>甲</n1><deep><er>x<!-- c --><?pi x?></er></deep></item></root>",
      "t.xml");
  EXPECT_FALSE(at_limit.failure) << at_limit.failure->message;
  EXPECT_EQ(at_limit.records.size() + at_limit.quarantined.size(), 1u);
  auto over = m.map_bytes(
      "<root><item><who>91510802QEFLCR6390</who><n1>甲</n1><deep><er><est/></er></deep></item></root>", "t.xml");
  ASSERT_TRUE(over.failure);
  EXPECT_EQ(over.failure->code, "too_deep");
}

TEST(Mapper, ExclamationMarksCommentsAndCdataAreNotADoctype) {
  TempDir dir;
  std::string spec = kJsonMapping;
  spec.replace(spec.find(R"("format": "json")"), 16, R"("format": "xml")");
  spec.replace(spec.find(R"("path": "/items")"), 16, R"("path": "/root/item")");
  write_file(dir.file("x.json"), spec);
  Mapper m(load_spec_file(dir.file("x.json")));
  const std::string body =
      "<root><!-- 注释! --><item><who>91510802QEFLCR6390</who><n1>某公司!</n1><n2><![CDATA[<b>!</b>]]></n2>"
      "<date>2024-01-01</date></item></root>";
  auto fine = m.map_bytes(body, "t.xml");
  ASSERT_FALSE(fine.failure) << fine.failure->message;
  ASSERT_EQ(fine.records.size(), 1u) << (fine.quarantined.empty() ? "" : fine.quarantined[0].message);
  EXPECT_EQ(fine.records[0].subject.name, "某公司!·<b>!</b>");

  const std::string doctype = "<!DOCTYPE root [<!ENTITY e \"x\">]>";
  auto refused = m.map_bytes("<?xml version=\"1.0\"?>!" + doctype + body, "t.xml");
  ASSERT_TRUE(refused.failure);
  EXPECT_EQ(refused.failure->code, "doctype_refused");
  EXPECT_EQ(refused.failure->byte_offset, std::string("<?xml version=\"1.0\"?>!").size());
  EXPECT_TRUE(refused.records.empty());
}
