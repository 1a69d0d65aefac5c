#include <gtest/gtest.h>

#include "common/hash.hpp"
#include "record/record.hpp"

using nlohmann::json;

namespace {
json full_record() {
  return json::parse(R"({
    "record_id": "2d52aa0a7081f9003c027fba2e50b0d3", "version": 3, "kind": "admin_penalty",
    "status": "suspended", "region": "510802", "updated_at": "2024-10-13T10:00:00+08:00",
    "subject": {"type": "legal_person", "name": "某公司", "uscc": "91510802QEFLCR6390",
                "legal_representative": {"name": "林伟", "id_type": "resident_id", "id_number": "620702198004229754"}},
    "decision": {"document_number": "张掖市监罚〔2024〕100号", "decided_on": "2024-01-17",
                 "valid_from": "2024-01-17", "valid_until": "2025-01-17", "publish_until": "2027-01-17",
                 "authority": {"name": "广元市市场监督管理局", "uscc": "1151080038PX2Y4Q9A"}},
    "detail": {"violation_type": "v", "facts": "f", "basis": "b", "penalty_types": ["fine", "warning"],
               "content": "c", "fine_fen": 2350000, "confiscated_fen": 0, "license_name": "ln",
               "license_number": "lnum", "license_category": "lc", "case_number": "cn", "court": "ct",
               "obligation": "o", "performance": "p", "amount_fen": 12, "removal_reason": "rr",
               "removed_on": "2024-05-01", "extra": {"a": "1", "b": "二"}},
    "source": {"department": "market_regulation", "system": "s", "source_key": "k|v",
               "received_at": "2024-10-13T10:00:00+08:00", "mapping": "market_regulation.sgs@1"}
  })");
}
}  // namespace

TEST(RecordJson, RoundTripIsExact) {
  json in = full_record();
  auto r = cg::record_from_json(in);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(cg::to_json(*r), in);
  auto again = cg::record_from_json(cg::to_json(*r));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *r);
}

TEST(RecordJson, AbsentOptionalFieldsAreOmittedNeverEmpty) {
  cg::Record r;
  r.record_id = "x";
  r.kind = "dishonest_debtor";
  r.subject.type = "natural_person";
  r.subject.name = "黄超";
  r.subject.uscc = "";
  r.source.department = "court";
  r.source.source_key = "k";
  json j = cg::to_json(r);
  EXPECT_FALSE(j["subject"].contains("uscc"));
  EXPECT_FALSE(j.contains("detail"));
  EXPECT_FALSE(j.contains("region"));
}

TEST(RecordJson, UnknownFieldIsAnErrorNamingIt) {
  json in = full_record();
  in["subject"]["legal_representative"]["idnumber"] = "1";
  auto r = cg::record_from_json(in);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().where, "subject.legal_representative.idnumber");
  EXPECT_EQ(r.error().code, "unknown_field");
}

TEST(RecordJson, WrongTypeIsAnError) {
  json in = full_record();
  in["detail"]["fine_fen"] = 23.5;
  auto r = cg::record_from_json(in);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().where, "detail.fine_fen");
}

TEST(RecordJson, TextReaderGivesTheSameRecordAndNamesEachBadValue) {
  json in = full_record();
  auto r = cg::record_from_json_text(in.dump());
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(cg::to_json(*r), in);
  EXPECT_EQ(cg::to_json_text(*r), in.dump());

  struct Case {
    json::json_pointer at;
    json value;
    std::string where, code;
  };
  const std::vector<Case> cases{
      {json::json_pointer("/region"), nullptr, "region", "type"},
      {json::json_pointer("/version"), "3", "version", "type"},
      {json::json_pointer("/version"), 18446744073709551615ULL, "version", "type"},  // not an int64
      {json::json_pointer("/subject"), json::array(), "subject", "type"},
      {json::json_pointer("/subject/legal_representative"), "林伟", "subject.legal_representative", "type"},
      {json::json_pointer("/decision/authority/code"), "x", "decision.authority.code", "unknown_field"},
      {json::json_pointer("/detail/penalty_types"), json::array({"fine", 1}), "detail.penalty_types", "type"},
      {json::json_pointer("/detail/extra/c"), 3, "detail.extra.c", "type"},
      {json::json_pointer("/detail/licence_name"), "x", "detail.licence_name", "unknown_field"},
      {json::json_pointer("/source/department"), false, "source.department", "type"},
      {json::json_pointer("/extra"), json::object(), "extra", "unknown_field"},
  };
  for (const auto& c : cases) {
    json bad = full_record();
    bad[c.at] = c.value;
    auto e = cg::record_from_json_text(bad.dump());
    ASSERT_FALSE(e.ok()) << c.where;
    EXPECT_EQ(e.error().where, c.where);
    EXPECT_EQ(e.error().code, c.code) << c.where;
  }

  for (const char* text : {"", "{", R"({"record_id": "a",})", "[1]", "\"x\"", "{\"a\":1} trailing"}) {
    auto e = cg::record_from_json_text(text);
    ASSERT_FALSE(e.ok()) << text;
    EXPECT_EQ(e.error().where, "record") << text;
  }
  EXPECT_EQ(cg::record_from_json_text("{").error().code, "json");
  EXPECT_EQ(cg::record_from_json_text("[1]").error().code, "type");

  auto empty = cg::record_from_json_text("{}");  // absent fields: empty, version 0, as from a tree
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->version, 0);
  EXPECT_EQ(empty->status, "");
}

TEST(RecordId, IsSha256OfDepartmentKindAndKey) {
  EXPECT_EQ(cg::compute_record_id("court", "dishonest_debtor", "（2024）川0802执1000号|91510802QEFLCR6390"),
            "2d52aa0a7081f9003c027fba2e50b0d3");
  EXPECT_EQ(cg::compute_record_id("tax", "major_tax_violation", "广元税稽罚〔2024〕50号"),
            "98512076f43d89c3a798e496d88c5acc");
  // The parts are hashed as the joined text, without joining them.
  EXPECT_EQ(cg::sha256_hex_prefix({"tax", "", "键"}, '\x1f', 64), cg::sha256_hex("tax\x1f\x1f键"));
  EXPECT_EQ(cg::sha256_hex_prefix({"a"}, ':', 10), cg::sha256_hex("a").substr(0, 10));
}

TEST(ContentDigest, IgnoresVersionTimesAndStatusButNotContent) {
  auto a = cg::record_from_json(full_record()).value();
  auto b = a;
  b.version = 9;
  b.updated_at = "2030-01-01T00:00:00+08:00";
  b.source.received_at = "2030-01-01T00:00:00+08:00";
  EXPECT_EQ(cg::content_digest(a), cg::content_digest(b));
  b.status = "active";
  EXPECT_EQ(cg::content_digest(a), cg::content_digest(b));
  b.detail.fine_fen = 2350001;
  EXPECT_NE(cg::content_digest(a), cg::content_digest(b));
}

TEST(RecordText, WritesExactlyWhatTheJsonTreeDumps) {
  // Every field set, with text that needs escaping, then fields removed one
  // group at a time: the direct writer and the tree agree byte for byte.
  cg::Record r;
  r.record_id = "0123456789abcdef0123456789abcdef";
  r.version = 7;
  r.kind = "admin_penalty";
  r.status = "repaired";
  r.region = "510802";
  r.updated_at = "2026-11-22T10:00:00+08:00";
  r.subject.type = "legal_person";
  r.subject.name = "某\"公司\"\\分公司\n\t\x01\x1f/";
  r.subject.uscc = "91510802QEFLCR6390";
  r.subject.id_type = "uscc";
  r.subject.id_number = "x";
  r.subject.legal_representative = cg::Person{"张三", "resident_id", "110101199003070011"};
  r.decision = {"川监罚〔2024〕1号", "2024-01-17", "2024-01-18",
                "2099-12-31",        "2027-01-17", cg::Authority{"某局", "11510800MB1234567X"}};
  auto& t = r.detail;
  t.violation_type = "v";
  t.facts = "事实\r\n";
  t.basis = "b";
  t.penalty_types = std::vector<std::string>{"fine", "warning"};
  t.content = "c";
  t.fine_fen = 123456789012;
  t.confiscated_fen = 0;
  t.license_name = "ln";
  t.license_number = "lnum";
  t.license_category = "lc";
  t.case_number = "cn";
  t.court = "法院";
  t.obligation = "o";
  t.performance = "p";
  t.amount_fen = -1;
  t.removal_reason = "rr";
  t.removed_on = "2025-01-01";
  t.extra = {{"z\"key", "v\b\f"}, {"a", ""}, {"序号", "1"}};
  r.source = {"market_regulation", "sys", "k|1", "2026-11-22T10:00:00+08:00", "market_regulation.sgs@1"};
  EXPECT_EQ(cg::to_json_text(r), cg::to_json(r).dump());
  {
    // The digest's text is the record's with the lifecycle and arrival fields unset, without a copy.
    cg::Record c = r;
    c.version = 0;
    c.status.clear();
    c.updated_at.reset();
    c.source.mapping.reset();
    c.source.received_at.reset();
    EXPECT_EQ(cg::content_digest_text(r), cg::to_json(c).dump());
    EXPECT_NE(cg::content_digest_text(r), cg::to_json_text(r));
  }

  r.subject.legal_representative = cg::Person{};  // present but empty: left out by both
  r.decision.authority = cg::Authority{};
  t.extra.clear();
  EXPECT_EQ(cg::to_json_text(r), cg::to_json(r).dump());
  r.detail = cg::Detail{};
  r.decision = cg::Decision{};
  r.region.reset();
  r.updated_at.reset();
  r.source.system.reset();
  r.source.mapping.reset();
  r.source.received_at.reset();
  EXPECT_EQ(cg::to_json_text(r), cg::to_json(r).dump());
  r.detail.penalty_types = std::vector<std::string>{};
  EXPECT_EQ(cg::to_json_text(r), cg::to_json(r).dump());
}

TEST(RecordText, BodyAndDigestFromOnePassEqualTheTwoWrittenApart) {
  // The ingest's single serialisation: the body with the version asked for,
  // and the content digest hashed from the body's pieces. Each optional field
  // the digest leaves out is present or absent, the status needs escaping.
  auto base = cg::record_from_json(full_record()).value();
  base.status = "repaired\"\\\n";
  base.version = 4;
  for (int present = 0; present < 8; ++present) {
    cg::Record r = base;
    if (!(present & 1))
      r.source.mapping.reset();
    else
      r.source.mapping = "court.sxbzxr@2";
    if (!(present & 2))
      r.source.received_at.reset();
    else
      r.source.received_at = "2026-11-22T10:00:00+08:00";
    if (!(present & 4))
      r.updated_at.reset();
    else
      r.updated_at = "2026-11-23T10:00:00+08:00";
    for (int64_t version : {int64_t{1}, int64_t{4}, int64_t{1234567}}) {
      const auto both = cg::body_and_digest(r, version);
      cg::Record as_stored = r;
      as_stored.version = version;
      EXPECT_EQ(both.body, cg::to_json_text(as_stored)) << present << " " << version;
      EXPECT_EQ(both.digest, cg::content_digest(r)) << present << " " << version;
    }
  }
  cg::Record bare;  // only what every record has
  bare.record_id = "x";
  bare.source = {"court", std::nullopt, "k", std::nullopt, std::nullopt};
  EXPECT_EQ(cg::body_and_digest(bare, 1).digest, cg::content_digest(bare));
  // A different content is a different digest.
  cg::Record other = base;
  other.subject.name = "另一家公司";
  EXPECT_NE(cg::body_and_digest(other, 1).digest, cg::body_and_digest(base, 1).digest);
}

TEST(RecordText, EscapesEachSpecialByteWhereverItFalls) {
  // The writer scans eight bytes at a time: every byte that needs an escape,
  // at every offset around those words, among ASCII and multi-byte UTF-8.
  cg::Record r;
  r.record_id = "x";
  r.source = {"court", std::nullopt, "k", std::nullopt, std::nullopt};
  std::string specials = "\"\\";
  for (char c = 0; c < 0x20; ++c) specials += c;
  for (const std::string filler : {"a", "\xe4\xb8\xad", "\x7f", "\x21\x5b\x5d\x1f"}) {
    for (char special : specials) {
      for (size_t at = 0; at < 20; ++at) {
        std::string name;
        while (name.size() < at) name += filler;
        name += special;
        for (size_t tail = 0; tail < at % 11; ++tail) name += filler;
        r.subject.name = name;
        ASSERT_EQ(cg::to_json_text(r), cg::to_json(r).dump()) << "byte " << int(special) << " at " << at;
      }
    }
  }
}
