// One subject's verdict by the catalog's rules (catalog.md, "When a measure
// applies to a record"): kind, subject type, scenario, status and period;
// suspended records held; legal representatives reached only by measures
// that extend to them; restricted before incentive before clear.
#include "checks/verdict.hpp"

#include <gtest/gtest.h>

using cg::Record;
using cg::checks::answer_subject;
using cg::checks::make_check_subject;
using cg::checks::SubjectRecords;
using nlohmann::json;

namespace {

constexpr const char* kCompany = "91510802934HYQD33C";
constexpr const char* kPerson = "510802200011115368";

cg::catalog::Measure measure(const std::string& id, const std::string& type, std::vector<std::string> kinds,
                             std::vector<std::string> scenarios, bool extends = false) {
  cg::catalog::Measure m;
  m.id = id;
  m.name = id + " name";
  m.type = type;
  m.applies_to = std::move(kinds);
  m.subject_types = {"legal_person", "natural_person"};
  m.scenarios = std::move(scenarios);
  m.basis = "basis of " + id;
  m.extends_to_legal_representative = extends;
  return m;
}

cg::catalog::Catalog catalog() {
  cg::catalog::Catalog c;
  c.catalog_id = "510800-2026";
  c.version = 3;
  c.scenarios = {{"procurement_bid", "投标"}, {"subsidy", "补贴"}, {"green_channel", "绿色通道"}};
  c.measures = {measure("P-PROC-01", "punishment", {"dishonest_debtor"}, {"procurement_bid"}, true),
                measure("P-FIN-01", "punishment", {"dishonest_debtor"}, {"subsidy"}),
                measure("I-01", "incentive", {"red_list"}, {"green_channel", "subsidy"})};
  return c;
}

cg::store::StoredRecord held(const std::string& id, const std::string& kind, const std::string& status,
                             const std::string& decided_on, std::optional<std::string> valid_until = std::nullopt) {
  Record r;
  r.record_id = id;
  r.version = 2;
  r.kind = kind;
  r.status = status;
  r.source.department = "court";
  r.subject.type = "legal_person";
  r.subject.name = "某公司";
  r.subject.uscc = kCompany;
  r.subject.legal_representative = cg::Person{"张三", "resident_id", kPerson};
  r.decision.decided_on = decided_on;
  r.decision.valid_until = std::move(valid_until);
  r.decision.authority = cg::Authority{"某法院", std::nullopt};
  return {r, "local"};
}

json answer(const std::string& scenario, const std::string& on, const char* uscc, const char* person,
            const SubjectRecords& records) {
  auto subject = uscc ? make_check_subject(uscc, std::nullopt, std::nullopt, std::nullopt)
                      : make_check_subject(std::nullopt, "resident_id", person, std::nullopt);
  return answer_subject(catalog(), scenario, on, subject, records);
}

}  // namespace

TEST(Verdict, AnActiveRecordInItsPeriodRestrictsInTheScenariosOfItsMeasures) {
  SubjectRecords recs{{held("r1", "dishonest_debtor", "active", "2026-01-10", "2027-01-10")}, {}};
  json a = answer("procurement_bid", "2026-06-01", kCompany, nullptr, recs);
  EXPECT_EQ(a["verdict"], "restricted");
  ASSERT_EQ(a["hits"].size(), 1u);
  const json& h = a["hits"][0];
  EXPECT_EQ(h["record_id"], "r1");
  EXPECT_EQ(h["version"], 2);
  EXPECT_EQ(h["via"], "self");
  EXPECT_EQ(h["authority"]["name"], "某法院");
  ASSERT_EQ(h["measures"].size(), 1u);
  EXPECT_EQ(h["measures"][0]["measure_id"], "P-PROC-01");
  EXPECT_EQ(h["measures"][0]["basis"], "basis of P-PROC-01");
  EXPECT_EQ(a["subject"]["uscc"], kCompany);
  EXPECT_EQ(answer("green_channel", "2026-06-01", kCompany, nullptr, recs)["verdict"], "clear")
      << "no measure of that scenario";
  EXPECT_EQ(answer("procurement_bid", "2026-01-09", kCompany, nullptr, recs)["verdict"], "clear") << "before it";
  EXPECT_EQ(answer("procurement_bid", "2026-01-10", kCompany, nullptr, recs)["verdict"], "restricted");
  EXPECT_EQ(answer("procurement_bid", "2027-01-10", kCompany, nullptr, recs)["verdict"], "restricted");
  EXPECT_EQ(answer("procurement_bid", "2027-01-11", kCompany, nullptr, recs)["verdict"], "clear") << "after it";
}

TEST(Verdict, ValidFromStartsThePeriodWhenItIsGiven) {
  auto r = held("r1", "dishonest_debtor", "active", "2026-01-10");
  r.record.decision.valid_from = "2026-02-01";
  SubjectRecords recs{{r}, {}};
  EXPECT_EQ(answer("procurement_bid", "2026-01-20", kCompany, nullptr, recs)["verdict"], "clear");
  EXPECT_EQ(answer("procurement_bid", "2026-02-01", kCompany, nullptr, recs)["verdict"], "restricted");
}

TEST(Verdict, ASuspendedRecordIsAHitWithItsMeasuresHeldAndOthersAreNeverHits) {
  SubjectRecords recs{{held("s", "dishonest_debtor", "suspended", "2026-01-10"),
                       held("rep", "dishonest_debtor", "repaired", "2026-01-10"),
                       held("rev", "dishonest_debtor", "revoked", "2026-01-10"),
                       held("exp", "dishonest_debtor", "expired", "2026-01-10")},
                      {}};
  json a = answer("procurement_bid", "2026-06-01", kCompany, nullptr, recs);
  EXPECT_EQ(a["verdict"], "clear");
  ASSERT_EQ(a["hits"].size(), 1u);
  EXPECT_EQ(a["hits"][0]["record_id"], "s");
  EXPECT_EQ(a["hits"][0]["status"], "suspended");
  EXPECT_TRUE(a["hits"][0]["measures"].empty());
}

TEST(Verdict, APersonIsReachedAsLegalRepresentativeOnlyByMeasuresThatExtendToThem) {
  SubjectRecords recs{{}, {held("r1", "dishonest_debtor", "active", "2026-01-10")}};
  json a = answer("procurement_bid", "2026-06-01", nullptr, kPerson, recs);
  EXPECT_EQ(a["verdict"], "restricted");
  ASSERT_EQ(a["hits"].size(), 1u);
  EXPECT_EQ(a["hits"][0]["via"], "legal_representative");
  EXPECT_EQ(a["hits"][0]["of"], (json{{"uscc", kCompany}, {"name", "某公司"}}));
  EXPECT_EQ(a["hits"][0].dump().find(kPerson), std::string::npos) << "a hit names no personal ID number";
  EXPECT_EQ(answer("subsidy", "2026-06-01", nullptr, kPerson, recs)["verdict"], "clear")
      << "P-FIN-01 does not extend to the legal representative";
  EXPECT_EQ(answer("procurement_bid", "2026-06-01", nullptr, "110101199003074514", recs)["verdict"], "clear")
      << "another person is not this company's representative";
}

TEST(Verdict, RestrictedComesBeforeIncentiveBeforeClear) {
  auto red = held("b-red", "red_list", "active", "2026-01-10");
  auto debt = held("a-debt", "dishonest_debtor", "active", "2026-01-10");
  EXPECT_EQ(answer("subsidy", "2026-06-01", kCompany, nullptr, {{red}, {}})["verdict"], "incentive");
  json both = answer("subsidy", "2026-06-01", kCompany, nullptr, {{red, debt}, {}});
  EXPECT_EQ(both["verdict"], "restricted");
  ASSERT_EQ(both["hits"].size(), 2u);
  EXPECT_EQ(both["hits"][0]["record_id"], "a-debt") << "hits in record id order";
  EXPECT_EQ(cg::checks::verdict_rank("restricted") > cg::checks::verdict_rank("incentive"), true);
  EXPECT_EQ(cg::checks::verdict_rank("clear") > cg::checks::verdict_rank("invalid_subject"), true);
}

TEST(Verdict, AnInvalidSubjectIsAnsweredWithItsReasonAndNoHits) {
  SubjectRecords recs{{held("r1", "dishonest_debtor", "active", "2026-01-10")}, {}};
  json a = answer("procurement_bid", "2026-06-01", "91510802934HYQD33D", nullptr, recs);
  EXPECT_EQ(a["verdict"], "invalid_subject");
  EXPECT_TRUE(a["hits"].empty());
  EXPECT_NE(a["reason"].get<std::string>().find("check character"), std::string::npos);
}
