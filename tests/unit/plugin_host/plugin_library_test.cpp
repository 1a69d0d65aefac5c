// The one way a plugin is loaded (plugin_host/plugin_library.hpp): the digest
// of what is loaded, the ABI, the descriptor read as far as the plugin says it
// reaches, and the copy that is loaded instead of the file dropped in.
#include "plugin_host/plugin_library.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <string>

#include "../test_support.hpp"

namespace {

using cg::plugin_host::PluginLibrary;

std::string built(const std::string& file) {
  return std::string(CG_BINARY_DIR) + "/" + file;
}
const std::string kCourt = built("plugins/libcg_adapter_court.so");
const std::string kConnector = built("plugins/libcg_connector_platform_v1.so");

TEST(PluginLibrary, AnAdapterOfTodaysSdkHasEveryMemberItDeclares) {
  auto lib = PluginLibrary::load(kCourt);
  ASSERT_TRUE(lib.ok()) << lib.error().to_string();
  EXPECT_EQ(lib->kind(), PluginLibrary::Kind::Adapter);
  EXPECT_EQ(lib->descriptor_size(), sizeof(cg_adapter_v1));
  EXPECT_STREQ(lib->adapter().name, "court-file-drop");
  EXPECT_NE(lib->adapter().feedback, nullptr);
}

TEST(PluginLibrary, AnAdapterWithTheFirstDescriptorIsReadOnlyAsFarAsItReaches) {
  auto lib = PluginLibrary::load(built("test-plugins/libcg_test_old_descriptor.so"));
  ASSERT_TRUE(lib.ok()) << lib.error().to_string();
  EXPECT_EQ(lib->descriptor_size(), offsetof(cg_adapter_v1, feedback));
  EXPECT_STREQ(lib->adapter().name, "test-old-descriptor");
  EXPECT_NE(lib->adapter().destroy, nullptr);
  // What follows its descriptor in memory is not taken for a member.
  EXPECT_EQ(lib->adapter().feedback, nullptr);
}

TEST(PluginLibrary, AConnectorIsLoadedTheSameWay) {
  auto lib = PluginLibrary::load(kConnector);
  ASSERT_TRUE(lib.ok()) << lib.error().to_string();
  EXPECT_EQ(lib->kind(), PluginLibrary::Kind::Connector);
  EXPECT_EQ(lib->descriptor_size(), sizeof(cg_connector_v1));
  EXPECT_STREQ(lib->connector().name, "platform-v1");
}

TEST(PluginLibrary, RefusesAnotherAbiOrNoDescriptorNamingTheFile) {
  const std::string wrong = built("test-plugins/libcg_test_wrong_abi.so");
  auto lib = PluginLibrary::load(wrong);
  ASSERT_FALSE(lib.ok());
  EXPECT_EQ(lib.error().code, "plugin_abi");
  EXPECT_NE(lib.error().message.find("999"), std::string::npos) << lib.error().message;
  EXPECT_EQ(lib.error().where, wrong);
  auto none = PluginLibrary::load(built("test-plugins/libcg_test_no_symbol.so"));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, "plugin_symbol");
}

TEST(PluginLibrary, LoadsOnlyTheBytesThatWereAllowed) {
  auto sha = cg::plugin_host::file_sha256(kCourt);
  ASSERT_TRUE(sha.ok());
  EXPECT_TRUE(PluginLibrary::load(kCourt, *sha).ok());
  auto other = PluginLibrary::load(kCourt, std::string(64, '0'));
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, "plugin_digest");
}

TEST(CopyVerified, CopiesOnceAndRefusesAFileThatIsNotTheOneAllowed) {
  cg::test::TempDir dir;
  auto sha = cg::plugin_host::file_sha256(kCourt);
  ASSERT_TRUE(sha.ok());
  auto copy = cg::plugin_host::copy_verified(kCourt, *sha, dir.file("copies"));
  ASSERT_TRUE(copy.ok()) << copy.error().to_string();
  EXPECT_EQ(*copy, dir.file("copies") + "/" + *sha + ".so");
  EXPECT_EQ(cg::plugin_host::file_sha256(*copy).value(), *sha);
  EXPECT_TRUE(PluginLibrary::load(*copy, *sha).ok());
  // A copy someone changed is made again from the file.
  { std::ofstream(*copy, std::ios::app) << "tampered"; }
  auto again = cg::plugin_host::copy_verified(kCourt, *sha, dir.file("copies"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(cg::plugin_host::file_sha256(*again).value(), *sha);
  // A file that is not the one whose digest was allowed is not copied.
  auto changed = cg::plugin_host::copy_verified(kConnector, *sha, dir.file("other"));
  ASSERT_FALSE(changed.ok());
  EXPECT_EQ(changed.error().code, "plugin_changed");
  EXPECT_TRUE(std::filesystem::is_empty(dir.file("other")));
}

}  // namespace
