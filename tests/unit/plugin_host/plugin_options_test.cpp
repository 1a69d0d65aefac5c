// An adapter's options checked against the ones it declares.
#include "plugin_host/plugin_options.hpp"

#include <gtest/gtest.h>

using cg::plugin_host::check_plugin_options;
using nlohmann::json;

namespace {
const char* const kDoc = R"({"inbox": "folder watched", "settle_ms": "wait, default 500", "feed": "mapping"})";
}

TEST(PluginOptions, DeclaredOptionsPass) {
  EXPECT_TRUE(check_plugin_options(json{{"inbox", "/in"}, {"settle_ms", 100}}, kDoc, "court-file-drop").ok());
  EXPECT_TRUE(check_plugin_options(json::object(), kDoc, "court-file-drop").ok());
}

TEST(PluginOptions, AMisspeltOptionIsRefusedWithTheNearestOne) {
  auto s = check_plugin_options(json{{"inbox", "/in"}, {"setle_ms", 100}}, kDoc, "court-file-drop");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "plugin_config");
  EXPECT_NE(s.error().message.find("unknown option 'setle_ms' for plugin court-file-drop; did you mean 'settle_ms'?"),
            std::string::npos)
      << s.error().message;
  EXPECT_EQ(s.error().where, "adapters.court-file-drop.setle_ms");
  auto far = check_plugin_options(json{{"colour", "blue"}}, kDoc, "court-file-drop");
  ASSERT_FALSE(far.ok());
  EXPECT_NE(far.error().message.find("its options are: feed inbox settle_ms"), std::string::npos)
      << far.error().message;
}

TEST(PluginOptions, APluginThatDeclaresNothingIsNotChecked) {
  EXPECT_TRUE(check_plugin_options(json{{"anything", 1}}, "{}", "test-crashy").ok());
  EXPECT_TRUE(check_plugin_options(json{{"anything", 1}}, nullptr, "test-crashy").ok());
  EXPECT_TRUE(check_plugin_options(json{{"anything", 1}}, "not json", "test-crashy").ok());
}
