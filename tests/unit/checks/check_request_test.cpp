// A check request as a department sends it: codes normalised, a code that
// fails its check character kept to be answered invalid_subject, anything
// that is not a check refused naming its field.
#include "checks/check_request.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

using cg::checks::parse_check_request;
using nlohmann::json;

namespace {

json body(json subjects) {
  return {{"scenario", "procurement_bid"}, {"purpose", "投标资格审查"}, {"subjects", std::move(subjects)}};
}

std::string refused_field(const json& b) {
  auto r = parse_check_request(b.dump(), "2026-12-07");
  EXPECT_FALSE(r.ok()) << b.dump();
  if (r.ok()) return "(taken)";
  EXPECT_EQ(r.error().code, "bad_request");
  return r.error().where;
}

}  // namespace

TEST(CheckRequest, CodesAreNormalisedAndOnDefaultsToToday) {
  auto r = parse_check_request(body({{{"uscc", " ９１510802934hyqd33c "}, {"name", "某公司"}},
                                     {{"id_type", "resident_id"}, {"id_number", "510802 20001111536８"}}})
                                   .dump(),
                               "2026-12-07");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->on, "2026-12-07");
  ASSERT_EQ(r->subjects.size(), 2u);
  EXPECT_EQ(*r->subjects[0].uscc, "91510802934HYQD33C");
  EXPECT_EQ(*r->subjects[0].name, "某公司");
  EXPECT_TRUE(r->subjects[0].invalid.empty()) << r->subjects[0].invalid;
  EXPECT_EQ(*r->subjects[1].id_number, "510802200011115368");
  EXPECT_TRUE(r->subjects[1].invalid.empty()) << r->subjects[1].invalid;
}

TEST(CheckRequest, ACodeThatFailsItsCheckIsKeptWithTheReason) {
  auto r = parse_check_request(body({{{"uscc", "91510703RTAP0XT67X"}},
                                     {{"uscc", "00000000000000000X"}},
                                     {{"uscc", "9151"}},
                                     {{"id_type", "resident_id"}, {"id_number", "51070319920325298X"}},
                                     {{"id_type", "passport"}, {"id_number", "E12345678"}}})
                                   .dump(),
                               "2026-12-07");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_NE(r->subjects[0].invalid.find("check character"), std::string::npos);
  EXPECT_NE(r->subjects[1].invalid.find("placeholder"), std::string::npos);
  EXPECT_NE(r->subjects[2].invalid.find("18 characters"), std::string::npos);
  EXPECT_NE(r->subjects[3].invalid.find("check character"), std::string::npos);
  EXPECT_TRUE(r->subjects[4].invalid.empty()) << "a passport number has no check character to fail";
}

TEST(CheckRequest, WhatIsNotACheckIsRefusedNamingItsField) {
  EXPECT_EQ(refused_field(json::array()), "");
  EXPECT_EQ(refused_field({{"scenario", "x"}, {"purpose", "p"}, {"subjects", json::array()}, {"extra", 1}}), "extra");
  json b = body(json::array({{{"uscc", "91510802934HYQD33C"}}}));
  json no_scenario = b;
  no_scenario.erase("scenario");
  EXPECT_EQ(refused_field(no_scenario), "scenario");
  json no_purpose = b;
  no_purpose["purpose"] = "  ";
  EXPECT_EQ(refused_field(no_purpose), "purpose");
  json bad_day = b;
  bad_day["on"] = "2026-02-30";
  EXPECT_EQ(refused_field(bad_day), "on");
  EXPECT_EQ(refused_field(body(json::array())), "subjects");
  json many = json::array();
  for (int i = 0; i < 1001; ++i) many.push_back({{"uscc", "91510802934HYQD33C"}});
  EXPECT_EQ(refused_field(body(many)), "subjects");
  EXPECT_EQ(refused_field(body({{{"uscc", "91510802934HYQD33C"}}, 7})), "subjects/1");
  EXPECT_EQ(refused_field(body({{{"uscc", 91510802}}})), "subjects/0/uscc");
  EXPECT_EQ(refused_field(body({{{"id_number", "510802200011115368"}}})), "subjects/0/id_type");
  EXPECT_EQ(refused_field(body({{{"id_type", "visa"}, {"id_number", "1"}}})), "subjects/0/id_type");
  EXPECT_EQ(refused_field(body({json::object()})), "subjects/0");
  EXPECT_EQ(refused_field(body({{{"uscc", "91510802934HYQD33C"}, {"phone", "1"}}})), "subjects/0/phone");
  EXPECT_EQ(refused_field(body({{{"uscc", "91510802934HYQD33C"}, {"name", std::string("a\x01")}}})), "subjects/0/name");
  EXPECT_EQ(refused_field(body(
                {{{"uscc", "91510802934HYQD33C"}, {"id_type", "resident_id"}, {"id_number", "510802200011115368"}}})),
            "subjects/0");
}
