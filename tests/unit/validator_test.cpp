#include "record/validator.hpp"

#include <gtest/gtest.h>

namespace {

cg::Record company() {
  cg::Record r;
  r.record_id = "2d52aa0a7081f9003c027fba2e50b0d3";
  r.kind = "dishonest_debtor";
  r.subject.type = "legal_person";
  r.subject.name = "广元市利州区瑞丰商贸有限责任公司";
  r.subject.uscc = "91510802QEFLCR6390";
  r.decision.decided_on = "2024-03-19";
  r.source.department = "court";
  r.source.source_key = "k";
  return r;
}

std::vector<std::string> fields(const std::vector<cg::Violation>& v) {
  std::vector<std::string> out;
  for (const auto& x : v) out.push_back(x.rule + ":" + x.field);
  return out;
}

cg::ValidationOptions today() {
  return {20261121};
}

}  // namespace

TEST(Validator, AcceptsAValidRecord) {
  EXPECT_TRUE(cg::validate_record(company(), today()).empty());
}

TEST(Validator, RequiresTheRule1Fields) {
  cg::Record r;
  auto v = fields(cg::validate_record(r, today()));
  for (const char* f : {"required:record_id", "required:kind", "required:subject.type", "required:subject.name",
                        "required:decision.decided_on", "required:source.department", "required:source.source_key"})
    EXPECT_NE(std::find(v.begin(), v.end(), f), v.end()) << f;
}

TEST(Validator, OrganisationNeedsValidUscc) {
  auto r = company();
  r.subject.uscc.reset();
  EXPECT_EQ(fields(cg::validate_record(r, today())), std::vector<std::string>{"required:subject.uscc"});
  r.subject.uscc = "916207025BHWNQMP8G";
  EXPECT_EQ(fields(cg::validate_record(r, today())), std::vector<std::string>{"invalid_uscc:subject.uscc"});
}

TEST(Validator, PlaceholderOnlyForIndividualBusinessWithRegistrationNumber) {
  auto r = company();
  r.subject.uscc = "00000000000000000X";
  EXPECT_EQ(fields(cg::validate_record(r, today())), std::vector<std::string>{"invalid_uscc:subject.uscc"});
  r.subject.type = "individual_business";
  EXPECT_EQ(fields(cg::validate_record(r, today())), std::vector<std::string>{"invalid_uscc:subject.uscc"});
  r.detail.extra["registration_number"] = "510802600668071";
  EXPECT_TRUE(cg::validate_record(r, today()).empty());
}

TEST(Validator, NaturalPersonNeedsValidResidentId) {
  auto r = company();
  r.subject.type = "natural_person";
  r.subject.uscc.reset();
  EXPECT_EQ(fields(cg::validate_record(r, today())),
            (std::vector<std::string>{"required:subject.id_type", "required:subject.id_number"}));
  r.subject.id_type = "resident_id";
  r.subject.id_number = "620702198004229755";
  auto v = cg::validate_record(r, today());
  ASSERT_EQ(fields(v), std::vector<std::string>{"invalid_resident_id:subject.id_number"});
  EXPECT_EQ(v[0].message.find("620702198004229755"), std::string::npos) << "ID must be masked";
  EXPECT_NE(v[0].message.find("620702********9755"), std::string::npos);
  r.subject.id_number = "620702198004229754";
  EXPECT_TRUE(cg::validate_record(r, today()).empty());
}

TEST(Validator, LegalRepresentativeIdChecked) {
  auto r = company();
  r.subject.legal_representative = cg::Person{"李伟", "resident_id", "510802197111110100"};
  EXPECT_EQ(fields(cg::validate_record(r, today())),
            std::vector<std::string>{"invalid_resident_id:subject.legal_representative.id_number"});
}

TEST(Validator, DatesAndOrder) {
  auto r = company();
  r.decision.valid_from = "2024-05-01";
  r.decision.valid_until = "2024-04-30";
  EXPECT_EQ(fields(cg::validate_record(r, today())), std::vector<std::string>{"date_order:decision.valid_until"});
  r.decision.valid_until = "2024-02-30";
  EXPECT_EQ(fields(cg::validate_record(r, today())), std::vector<std::string>{"invalid_date:decision.valid_until"});
}

TEST(Validator, MoneyNeverNegative) {
  auto r = company();
  r.detail.fine_fen = -1;
  EXPECT_EQ(fields(cg::validate_record(r, today())), std::vector<std::string>{"negative_money:detail.fine_fen"});
}

TEST(Validator, EnumerationsAreChecked) {
  auto r = company();
  r.kind = "penalty";
  r.status = "gone";
  r.detail.penalty_types = std::vector<std::string>{"fine", "flogging"};
  EXPECT_EQ(
      fields(cg::validate_record(r, today())),
      (std::vector<std::string>{"unknown_value:kind", "unknown_value:status", "unknown_value:detail.penalty_types"}));
}
