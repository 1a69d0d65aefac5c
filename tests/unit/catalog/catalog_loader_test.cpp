// The catalog file loaded whole or refused whole, every problem named.
#include "catalog/catalog_loader.hpp"

#include <gtest/gtest.h>

#include "../test_support.hpp"

namespace {

using nlohmann::ordered_json;

const std::vector<std::string> kDepartments{"court", "tax", "market_regulation", "procurement", "finance", "approval"};

ordered_json shipped() {
  auto doc = cg::JsoncDocument::load_file(cg::test::source_dir() + "/config/catalog.json");
  EXPECT_TRUE(doc.ok());
  return doc->value();
}

// The catalog's refusal ("" when it loads).
std::string refusal(const ordered_json& j, const std::vector<std::string>& departments = kDepartments) {
  auto doc = cg::JsoncDocument::parse("catalog.json", j.dump(1));
  if (!doc.ok()) return doc.error().message;
  auto c = cg::catalog::load_catalog_document(*doc, departments);
  return c.ok() ? "" : c.error().message;
}

TEST(CatalogLoader, TheShippedCatalogLoads) {
  auto c = cg::catalog::load_catalog(cg::test::source_dir() + "/config/catalog.json", kDepartments);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->ref(), "510800-2026@3");
  EXPECT_EQ(c->effective_from, "2026-01-01");
  EXPECT_EQ(c->measures.size(), 7u);
  EXPECT_EQ(c->scenarios.at("procurement_bid"), "政府采购投标资格审查");
  EXPECT_EQ(c->lists.at("dishonest_debtor").provider, "court");
  const auto& m = c->measures.front();
  EXPECT_EQ(m.id, "P-PROC-01");
  EXPECT_TRUE(m.extends_to_legal_representative);
  EXPECT_TRUE(m.applies_to_kind("major_tax_violation"));
  EXPECT_TRUE(m.implemented_by("procurement"));
  EXPECT_FALSE(m.implemented_by("finance"));
  EXPECT_EQ(m.feedback_within_working_days, 5);
  EXPECT_NE(m.basis.find("政府采购法"), std::string::npos);
}

TEST(CatalogLoader, EveryProblemOfTheFileIsNamedAndNothingIsTaken) {
  ordered_json j = shipped();
  j["colour"] = "blue";
  j["lists"]["unknown_kind"] = {{"name", "x"}, {"type", "grey"}, {"provider", "any"}};
  j["measures"][1]["measure_id"] = "P-PROC-01";
  j["measures"][2]["implementing"] = {"finanse"};
  j["measures"][3]["scenarios"] = {"inspektion"};
  j["measures"][4]["applies_to"] = {"admin_penalty"};
  j["measures"][5]["subject_types"] = {"company"};
  j["measures"][6].erase("basis");
  j["measures"][0]["feedback_within_working_days"] = 0;
  j["measures"][0]["type"] = "reward";
  j["effective_from"] = "2026-02-30";
  const std::string msg = refusal(j);
  for (const char* p : {"unknown key 'colour' in the catalog", "'unknown_kind' is not a canonical kind",
                        "a list's type is black, red or watch, not 'grey'", "measure_id 'P-PROC-01' is used twice",
                        "'finanse' is not a department the gateway's config declares (departments); did you mean "
                        "'finance'?",
                        "'inspektion' is not one of the catalog's scenarios; did you mean 'inspection'?",
                        "'admin_penalty' is not among the catalog's lists", "'company' is not a canonical subject type",
                        "'basis' is required", "'feedback_within_working_days' must be an integer from 1 to 365",
                        "a measure's type is punishment or incentive, not 'reward'",
                        "'2026-02-30' is not a date (YYYY-MM-DD)", "(12 problem(s))"})
    EXPECT_NE(msg.find(p), std::string::npos) << p << "\nin: " << msg;
  EXPECT_NE(msg.find("catalog.json:"), std::string::npos) << "problems name the file and line: " << msg;
}

TEST(CatalogLoader, ADepartmentTheConfigDoesNotDeclareIsRefused) {
  EXPECT_NE(refusal(shipped(), {"court", "tax", "market_regulation", "procurement"})
                .find("'approval' is not a department the gateway's config declares"),
            std::string::npos);
  EXPECT_EQ(refusal(shipped(), {}), "") << "a lint without the config takes any department id";
}

TEST(CatalogLoader, WhatTheFileMustHaveIsRequired) {
  const std::string msg = refusal(ordered_json::object());
  for (const char* key : {"catalog_id", "version", "effective_from", "scenarios", "lists", "measures"})
    EXPECT_NE(msg.find(std::string("'") + key + "' is required"), std::string::npos) << key << ": " << msg;
  ordered_json j = shipped();
  j["measures"] = ordered_json::array();
  EXPECT_NE(refusal(j).find("measures must be a list of at least one"), std::string::npos);
  j = shipped();
  for (const char* field : {"commitment_status", "detail.commitment_state", "detail.fine_fen"}) {
    j["measures"][0]["when"] = {{field, "breached"}};
    EXPECT_NE(refusal(j).find(std::string("'") + field + "' is not a canonical text field"), std::string::npos)
        << field;
  }
  j["measures"][0]["when"] = {{"detail.commitment_status", "breached"}};
  EXPECT_EQ(refusal(j), "");
}

}  // namespace
