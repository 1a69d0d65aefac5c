#include "record/codes.hpp"

#include <gtest/gtest.h>

using namespace cg::codes;

TEST(Uscc, AcceptsValidCodes) {
  EXPECT_TRUE(uscc_check_valid("91510802QEFLCR6390"));
  EXPECT_TRUE(uscc_check_valid("91620702000LH0YW0K"));
  EXPECT_TRUE(uscc_check_valid("91350100M000100Y43"));  // published example
}

TEST(Uscc, RejectsWrongCheckCharacter) {
  EXPECT_FALSE(uscc_check_valid("916207025BHWNQMP8G"));
  EXPECT_FALSE(uscc_check_valid("91510802QEFLCR6391"));
}

TEST(Uscc, RejectsBadShape) {
  EXPECT_FALSE(uscc_shape_valid("91320902NY5N2CLN"));    // 16 characters
  EXPECT_FALSE(uscc_shape_valid("91510802QEFLCR639I"));  // I is not in the set
  EXPECT_FALSE(uscc_shape_valid("91510802qeflcr6390"));  // lower case
  EXPECT_FALSE(uscc_check_valid(""));
}

TEST(OrgCode, ChecksEmbeddedOrganisationCode) {
  EXPECT_TRUE(org_code_check_valid("QEFLCR639"));
  EXPECT_TRUE(org_code_check_valid("M000100Y4"));
  EXPECT_FALSE(org_code_check_valid("QEFLCR638"));
  EXPECT_FALSE(org_code_check_valid("QEFLCR63"));
}

TEST(Uscc, PlaceholderIsRecognisedAndFailsTheCheck) {
  EXPECT_TRUE(is_uscc_placeholder("00000000000000000X"));
  EXPECT_FALSE(uscc_check_valid("00000000000000000X"));
}

TEST(ResidentId, ChecksMod11_2) {
  EXPECT_TRUE(resident_id_check_valid("620702198004229754"));
  EXPECT_TRUE(resident_id_check_valid("32090219700604605X"));
  EXPECT_TRUE(resident_id_check_valid("11010519491231002X"));  // GB 11643 example
  EXPECT_FALSE(resident_id_check_valid("510802197111110100"));
  EXPECT_FALSE(resident_id_check_valid("32090219700604605x"));
  EXPECT_FALSE(resident_id_check_valid("6207021980042297"));
}

TEST(ResidentId, ChecksBirthDate) {
  EXPECT_TRUE(resident_id_birth_date_valid("620702198004229754", 20261121));
  EXPECT_FALSE(resident_id_birth_date_valid("620702198013229754", 20261121));  // month 13
  EXPECT_FALSE(resident_id_birth_date_valid("620702190002309754", 20261121));  // 1900-02-30
  EXPECT_FALSE(resident_id_birth_date_valid("620702203001019754", 20261121));  // future
}

TEST(Dates, CalendarRules) {
  EXPECT_TRUE(iso_date_valid("2024-02-29"));
  EXPECT_FALSE(iso_date_valid("2023-02-29"));
  EXPECT_FALSE(iso_date_valid("2024-13-01"));
  EXPECT_FALSE(iso_date_valid("2024-1-01"));
  EXPECT_TRUE(iso_date_valid("2000-02-29"));
  EXPECT_FALSE(iso_date_valid("1900-02-29"));
}
