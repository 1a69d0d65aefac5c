#include <gtest/gtest.h>

#include "common/mask.hpp"

TEST(Mask, KeepsFirstSixAndLastFour) {
  EXPECT_EQ(cg::mask_id("510802198303027212"), "510802********7212");
  EXPECT_EQ(cg::mask_id("32090219700604605X"), "320902********605X");
  EXPECT_EQ(cg::mask_id("short"), "*****");
}

TEST(Mask, MasksIdsInsideText) {
  EXPECT_EQ(cg::mask_ids_in_text("id 510802198303027212 bad"), "id 510802********7212 bad");
  EXPECT_EQ(cg::mask_ids_in_text("{\"id\":\"32090219700604605X\"}"), "{\"id\":\"320902********605X\"}");
  EXPECT_EQ(cg::mask_ids_in_text("old 130826660402879"), "old 130826*****2879");
}

TEST(Mask, LeavesOtherNumbersAlone) {
  EXPECT_EQ(cg::mask_ids_in_text("amount 364031300 fen"), "amount 364031300 fen");
  EXPECT_EQ(cg::mask_ids_in_text("uscc 91510802QEFLCR6390"), "uscc 91510802QEFLCR6390");
  EXPECT_EQ(cg::mask_ids_in_text("2024-03-19T10:00:00+08:00"), "2024-03-19T10:00:00+08:00");
}
