// A platform's answer read without trusting its shape: the contract's answer
// gives each record's result; anything else gives "not usable" or empty
// fields, never an exception (a throw in a delivery lane left its batch
// claimed until a restart).
#include "delivery/batch_answer.hpp"

#include <gtest/gtest.h>

using cg::delivery::parse_batch_answer;
using cg::delivery::parse_error_answer;

TEST(BatchAnswer, TheContractsAnswerGivesEachRecordsResult) {
  auto r = parse_batch_answer(R"({"batch_id": "b-1", "results": [
      {"record_id": "a1", "status": "accepted"},
      {"record_id": "a2", "status": "rejected", "error": {"code": "invalid_uscc", "field": "subject.uscc",
                                                          "message": "check character"}},
      {"record_id": "a3", "status": "duplicate", "version": 2}]})");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].record_id, "a1");
  EXPECT_EQ((*r)[0].status, "accepted");
  EXPECT_EQ((*r)[1].status, "rejected");
  EXPECT_EQ((*r)[1].error_code, "invalid_uscc");
  EXPECT_EQ((*r)[1].error_field, "subject.uscc");
  EXPECT_EQ((*r)[1].error_message, "check character");
  EXPECT_EQ((*r)[2].status, "duplicate");
  EXPECT_TRUE((*r)[2].error_code.empty());
}

TEST(BatchAnswer, AnAnswerWithoutAResultsArrayIsNotUsable) {
  for (const char* body :
       {"", "not json", "[]", "{}", R"({"results": {}})", R"({"results": "all fine"})", R"({"results": [)", "null"})
    EXPECT_FALSE(parse_batch_answer(body)) << body;
  auto empty = parse_batch_answer(R"({"results": []})");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

TEST(BatchAnswer, ResultsOfTheWrongShapeAreEmptyOrSayWhatThePlatformSent) {
  auto r = parse_batch_answer(R"({"results": [1, "x", null, {"record_id": 7, "status": 5},
      {"record_id": "a5", "status": {"s": "ok"}, "error": "broken"}, {"status": "rejected", "error": {"code": 3}}]})");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 6u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_TRUE((*r)[i].record_id.empty()) << i;
    EXPECT_TRUE((*r)[i].status.empty()) << i;
  }
  EXPECT_TRUE((*r)[3].record_id.empty()) << "a number is not a record id";
  EXPECT_EQ((*r)[3].status, "5");
  EXPECT_EQ((*r)[4].record_id, "a5");
  EXPECT_EQ((*r)[4].status, R"({"s":"ok"})");
  EXPECT_TRUE((*r)[4].error_code.empty());
  EXPECT_EQ((*r)[5].status, "rejected");
  EXPECT_TRUE((*r)[5].error_code.empty()) << "a code that is not text is left out";
}

TEST(BatchAnswer, AnErrorAnswerGivesItsCodeAndMessage) {
  auto e = parse_error_answer(R"({"error": {"code": "bad_signature", "message": "the signature does not match"}})");
  EXPECT_TRUE(e.present);
  EXPECT_EQ(e.code, "bad_signature");
  EXPECT_EQ(e.message, "the signature does not match");
  for (const char* body : {"", "<html>502 Bad Gateway</html>", R"({"error": "plain text"})", "[1]"}) {
    auto none = parse_error_answer(body);
    EXPECT_FALSE(none.present) << body;
    EXPECT_TRUE(none.code.empty()) << body;
  }
  auto partial = parse_error_answer(R"({"error": {"code": 401}})");
  EXPECT_TRUE(partial.present);
  EXPECT_TRUE(partial.code.empty());
}

TEST(BatchAnswer, OnlyTheContractsFourWordsAreStatuses) {
  using cg::delivery::delivery_status_from;
  using cg::store::DeliveryStatus;
  EXPECT_EQ(delivery_status_from("accepted"), DeliveryStatus::Accepted);
  EXPECT_EQ(delivery_status_from("duplicate"), DeliveryStatus::Duplicate);
  EXPECT_EQ(delivery_status_from("stale"), DeliveryStatus::Stale);
  EXPECT_EQ(delivery_status_from("rejected"), DeliveryStatus::Rejected);
  for (const char* other : {"", "ACCEPTED", "accepted ", "ok", R"({"s":"ok"})"})
    EXPECT_FALSE(delivery_status_from(other).has_value()) << other;
  cg::store::DeliveryOutcome o;
  EXPECT_TRUE(o.dead()) << "an outcome not set is a rejection, never a silent delivery";
  o.status = DeliveryStatus::Stale;
  EXPECT_FALSE(o.dead());
  EXPECT_FALSE(o.delivered());
  o.status = DeliveryStatus::Duplicate;
  EXPECT_TRUE(o.delivered());
}
