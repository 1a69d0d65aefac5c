// The rules of a department's re-send (canonical-record.md 1.1).
#include "record/resend.hpp"

#include <gtest/gtest.h>

using cg::judge_resend;
using Outcome = cg::Resend::Outcome;

TEST(Resend, SayingNothingKeepsTheStoredStatusAndOnlyContentMakesAVersion) {
  EXPECT_EQ(judge_resend("active", "active", true).outcome, Outcome::Unchanged);
  auto changed = judge_resend("suspended", "active", false);
  EXPECT_EQ(changed.outcome, Outcome::ContentChange);
  EXPECT_EQ(changed.status, "suspended");
  EXPECT_EQ(judge_resend("suspended", "active", true).outcome, Outcome::Unchanged);
}

TEST(Resend, AStatedFinalStatusIsAVersionWithIt) {
  for (const char* s : {"expired", "repaired", "revoked"}) {
    for (const char* from : {"active", "suspended"}) {
      auto r = judge_resend(from, s, true);
      EXPECT_EQ(r.outcome, Outcome::StatusChange) << from << " -> " << s;
      EXPECT_EQ(r.status, s);
    }
  }
  EXPECT_FALSE(cg::states_status("active"));
  EXPECT_FALSE(cg::states_status("suspended"));
}

TEST(Resend, FinalStatusesAreFinalForTheFeed) {
  for (const char* stored : {"expired", "repaired", "revoked"}) {
    EXPECT_EQ(judge_resend(stored, "active", false).outcome, Outcome::Unchanged) << stored;
    EXPECT_EQ(judge_resend(stored, "revoked", false).outcome, Outcome::Unchanged) << stored;
    EXPECT_EQ(judge_resend(stored, stored, true).outcome, Outcome::Unchanged) << stored;
  }
}
