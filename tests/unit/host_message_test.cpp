// Messages from plugin hosts are decoded before the core reads them.
#include "router/host_message.hpp"

#include <gtest/gtest.h>

using cg::router::decode_host_message;

TEST(HostMessage, AUnitIsReadWithItsFieldsTyped) {
  auto m = decode_host_message({"UNIT", R"({"source_id":"a.xml","feed":"court.sxbzxr"})", "<x/>"});
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->header["origin"], "") << "an absent field is there, empty";
  EXPECT_EQ(m->payload, "<x/>");
}

TEST(HostMessage, WhatTheCoreCannotReadIsAnErrorNotAnException) {
  const std::vector<std::vector<std::string_view>> bad = {
      {"UNIT"},
      {"NOPE", "{}"},
      {"UNIT", "[1,2]", "x"},
      {"UNIT", "{\"source_id\":7}", "x"},
      {"UNIT", "{}"},
      {"HELLO", "{\"pid\":\"12\"}"},
      {"FEEDBACK_ACK", "{\"feedback_id\":\"12x\",\"ok\":true}"},
      {"FEEDBACK_ACK", "{\"feedback_id\":\"99999999999999999999999\",\"ok\":true}"},
      {"BEAT", "{\"inflight\":\"\xff\"}"},
      {"FATAL", "not json"},
  };
  for (const auto& frames : bad) {
    auto m = decode_host_message(frames);
    EXPECT_FALSE(m.ok()) << frames[0] << " " << (frames.size() > 1 ? frames[1] : "");
  }
}
