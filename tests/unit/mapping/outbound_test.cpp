// Outbound mappings: a record version and its event, rendered in the
// department's own format and encoding for its feedback.
#include "mapping/outbound.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "../test_support.hpp"
#include "mapping/encoding.hpp"

namespace {

const std::string kCourtFeedbackOut = std::string(CG_SOURCE_DIR) + "/mappings/court/feedback.out.json";

nlohmann::json court_feedback_record() {
  return {{"record_id", "c0ffee"},
          {"version", 3},
          {"status", "repaired"},
          {"subject", {{"name", "某某有限公司"}, {"uscc", "91510802QEFLCR6390"}}},
          {"decision", {{"document_number", "（2024）川0703执9000号"}}}};
}

TEST(Outbound, RendersTheCourtsFeedbackAsGb18030XmlWithItsCodes) {
  auto spec = cg::mapping::load_outbound(kCourtFeedbackOut);
  ASSERT_TRUE(spec.ok()) << spec.error().to_string();
  EXPECT_EQ(spec->department, "court");
  auto out = cg::mapping::render(*spec, court_feedback_record(),
                                 {{"change_type", "repair"}, {"at", "2026-12-05T10:00:00+08:00"}}, 42);
  ASSERT_TRUE(out.ok()) << out.error().to_string();
  EXPECT_EQ(out->file_name.rfind("xyfk", 0), 0u) << out->file_name;
  auto utf8 = cg::mapping::to_utf8(out->data, "GB18030");
  ASSERT_TRUE(utf8.ok()) << utf8.error().message;
  EXPECT_NE(utf8->find("<ZT>已信用修复</ZT>"), std::string::npos) << *utf8;
  EXPECT_NE(utf8->find("<BGLX>信用修复</BGLX>"), std::string::npos) << *utf8;
  EXPECT_NE(utf8->find("<BZXRMC>某某有限公司</BZXRMC>"), std::string::npos);
  EXPECT_NE(utf8->find("<ZJHM>91510802QEFLCR6390</ZJHM>"), std::string::npos);
  EXPECT_EQ(out->data.find("已信用修复"), std::string::npos) << "the bytes are GB18030, not UTF-8";
}

TEST(Outbound, WithoutAMappingTheFeedbackIsTheRecordAndItsEventAsJson) {
  auto out = cg::mapping::render_default(court_feedback_record(), {{"type", "status_changed"}}, 7);
  auto j = nlohmann::json::parse(out.data);
  EXPECT_EQ(j["record"]["record_id"], "c0ffee");
  EXPECT_EQ(j["event"]["type"], "status_changed");
}

TEST(Outbound, AMappingWithAProblemIsRefusedNamingTheFile) {
  cg::test::TempDir dir;
  std::ofstream(dir.file("bad.out.json")) << R"({"name": "x", "department": "court", "output": {"format": "yaml"}})";
  std::vector<cg::Error> problems;
  auto all = cg::mapping::load_outbound_dir(dir.path(), problems);
  EXPECT_TRUE(all.empty());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].to_string().find("bad.out.json"), std::string::npos) << problems[0].to_string();
}

}  // namespace
