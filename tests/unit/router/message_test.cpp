// The messages between plugin hosts and the core router: what one side
// encodes the other decodes as it was, and what a host (running department
// code) sends that the core cannot read is an error, never an exception.
#include "router/message.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "credit_gateway/plugin.h"

namespace {

using namespace cg::router;

std::vector<std::string_view> frames_of(const Frames& f) {
  std::vector<std::string_view> v{f.type, f.header};
  if (f.has_payload) v.push_back(f.payload);
  return v;
}

TEST(RouterMessage, EveryMessageFromAHostDecodesAsItWasEncoded) {
  const std::string bytes = "<x/>";
  const std::vector<FromHost> sent = {
      Hello{"court-file-drop", "1.0.0", "court", "libcg_adapter_court.so", "ab12", 4242, true},
      Unit{"a#b.xml", "court.sxbzxr", "/in/a#b.xml", bytes},
      Beat{3},
      Fatal{"plugin_abi", "built for ABI 999", "x.so", "ab12", "x", 1},
      Bye{},
      FeedbackAck{123456789012345678, false, "disk full"}};
  for (const auto& m : sent) {
    auto got = decode_from_host(frames_of(encode(m)));
    ASSERT_TRUE(got.ok()) << got.error().message;
    ASSERT_EQ(got->index(), m.index());
  }
  auto hello = std::get<Hello>(decode_from_host(frames_of(encode(sent[0]))).value());
  EXPECT_EQ(hello.plugin, "court-file-drop");
  EXPECT_EQ(hello.pid, 4242);
  EXPECT_TRUE(hello.feedback);
  auto unit = std::get<Unit>(decode_from_host(frames_of(encode(sent[1]))).value());
  EXPECT_EQ(unit.source_id, "a#b.xml");
  EXPECT_EQ(unit.data, "<x/>");
  auto ack = std::get<FeedbackAck>(decode_from_host(frames_of(encode(sent[5]))).value());
  EXPECT_EQ(ack.feedback_id, 123456789012345678);
  EXPECT_EQ(ack.error, "disk full");
}

TEST(RouterMessage, EveryMessageFromTheCoreDecodesAsItWasEncoded) {
  const std::string doc = "<xyfk/>";
  Feedback f;
  f.feedback_id = 42;
  f.record_id = "r-1";
  f.version = 3;
  f.event = {{"type", "status_changed"}};
  f.format = "xml";
  f.file_name = "xyfk-000042.xml";
  f.document = doc;
  auto got = decode_from_core(frames_of(encode(f)));
  ASSERT_TRUE(got.ok()) << got.error().message;
  const auto& back = std::get<Feedback>(*got);
  EXPECT_EQ(back.feedback_id, 42);
  EXPECT_EQ(back.version, 3);
  EXPECT_EQ(back.event["type"], "status_changed");
  EXPECT_EQ(back.document, "<xyfk/>");
  auto ack = decode_from_core(frames_of(encode(Ack{"p-1", CG_ACK_REJECTED, {{"error", "x"}}})));
  ASSERT_TRUE(ack.ok());
  EXPECT_EQ(std::get<Ack>(*ack).status, CG_ACK_REJECTED);
  EXPECT_EQ(std::get<Ack>(*ack).result["error"], "x");
  EXPECT_TRUE(std::holds_alternative<Drain>(decode_from_core(frames_of(encode(Drain{}))).value()));
}

TEST(RouterMessage, TextThatIsNotUtf8IsSentNotThrown) {
  const FromHost m = Unit{"bad\xff name", "court.sxbzxr", "/in/\xc3", "x"};
  Frames f;
  ASSERT_NO_THROW(f = encode(m));
  auto got = decode_from_host(frames_of(f));
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(std::get<Unit>(*got).source_id, "bad\xEF\xBF\xBD name");
}

TEST(RouterMessage, AnAbsentFieldIsEmpty) {
  auto m = decode_from_host({"UNIT", R"({"source_id":"a.xml","feed":"court.sxbzxr"})", "<x/>"});
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(std::get<Unit>(*m).origin, "");
}

TEST(RouterMessage, WhatTheCoreCannotReadIsAnErrorNotAnException) {
  const std::vector<std::vector<std::string_view>> bad = {
      {"UNIT"},
      {"NOPE", "{}"},
      {"UNIT", "[1,2]", "x"},
      {"UNIT", "{\"source_id\":7}", "x"},
      {"UNIT", "{}"},
      {"HELLO", "{\"pid\":\"12\"}"},
      {"HELLO", "{\"pid\":18446744073709551615}"},
      {"FEEDBACK_ACK", "{\"feedback_id\":\"12x\",\"ok\":true}"},
      {"FEEDBACK_ACK", "{\"feedback_id\":\"99999999999999999999999\",\"ok\":true}"},
      {"BEAT", "{\"inflight\":\"\xff\"}"},
      {"FATAL", "not json"},
      {"ACK", "{}"},  // a core message, not a host's
  };
  for (const auto& frames : bad) {
    auto m = decode_from_host(frames);
    EXPECT_FALSE(m.ok()) << frames[0] << " " << (frames.size() > 1 ? frames[1] : "");
  }
  const std::vector<std::vector<std::string_view>> bad_from_core = {
      {"ACK", "{\"status\":7}"},
      {"ACK", "{\"result\":[]}"},
      {"FEEDBACK", "{\"feedback_id\":\"1\"}"},
      {"FEEDBACK", "{\"feedback_id\":\"\"}", "doc"},
      {"UNIT", "{}", "x"},
  };
  for (const auto& frames : bad_from_core) {
    auto m = decode_from_core(frames);
    EXPECT_FALSE(m.ok()) << frames[0] << " " << frames[1];
  }
}

}  // namespace
