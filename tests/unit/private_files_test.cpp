// Files that hold secrets are used only when private; a malformed tokens line
// is named, never quoted.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "common/private_file.hpp"
#include "common/tokens_file.hpp"
#include "config/config.hpp"
#include "test_support.hpp"

TEST(PrivateFiles, AFileOthersCanReadIsRefusedWithTheFix) {
  cg::test::TempDir dir;
  const auto path = dir.file("secret");
  cg::test::write_file(path, std::string(40, 's'));
  ::chmod(path.c_str(), 0644);
  auto s = cg::check_private_file(path, "the secret file");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("0644"), std::string::npos);
  EXPECT_NE(s.error().message.find("chmod 600 " + path), std::string::npos);
  ::chmod(path.c_str(), 0600);
  EXPECT_TRUE(cg::check_private_file(path, "the secret file").ok());
  EXPECT_TRUE(cg::check_private_file(dir.file("absent"), "the secret file").ok());
}

TEST(PrivateFiles, ADestinationSecretOthersCanReadIsNotUsed) {
  cg::test::TempDir dir;
  cg::config::DestinationConfig d;
  d.name = "provincial";
  d.secret_file = dir.file("secret");
  cg::test::write_file(d.secret_file, std::string(40, 's') + "\n");
  ::chmod(d.secret_file.c_str(), 0640);
  auto r = cg::config::resolve_secret(d);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "file_permissions");
  ::chmod(d.secret_file.c_str(), 0600);
  ASSERT_TRUE(cg::config::resolve_secret(d).ok());
}

TEST(PrivateFiles, TokensFileLinesAreCheckedOneByOne) {
  cg::test::TempDir dir;
  const auto path = dir.file("admin.tokens");
  cg::test::write_file(path,
                       "# role name token\n"
                       "viewer alice viewer-token-0123456789\n"
                       "operator bob tiny-token\n"
                       "admin carol admin-token-0123456789\n"
                       "operator dave\n"
                       "\n"
                       "operator erin operator-token-0123456789\n");
  ::chmod(path.c_str(), 0600);
  auto t = cg::read_admin_tokens(path);
  ASSERT_EQ(t.tokens.size(), 2u);
  EXPECT_EQ(t.tokens[0].name, "alice");
  EXPECT_EQ(t.tokens[1].scope, "operator");
  ASSERT_EQ(t.problems.size(), 3u);
  EXPECT_EQ(t.problems[0].where, path + ":3");
  EXPECT_EQ(t.problems[1].where, path + ":4");
  EXPECT_EQ(t.problems[2].where, path + ":5");
  for (const auto& p : t.problems) EXPECT_EQ(p.message.find("tiny-token"), std::string::npos) << p.message;
  ::chmod(path.c_str(), 0604);
  t = cg::read_admin_tokens(path);
  EXPECT_TRUE(t.tokens.empty());
  ASSERT_EQ(t.problems.size(), 1u);
  EXPECT_EQ(t.problems[0].code, "file_permissions");
}

TEST(TokensFile, EachDepartmentTokenActsForADeclaredDepartmentANearMissNamed) {
  cg::test::TempDir dir;
  const auto path = dir.file("department.tokens");
  cg::test::write_file(path,
                       "# department name token\n"
                       "finance cwj-system finance-token-0123456789\n"
                       "finanse typo-system finance-token-9876543210\n"
                       "police gaj-system police-token-0123456789\n"
                       "viewer alice viewer-token-0123456789 extra\n");
  ::chmod(path.c_str(), 0600);
  auto t = cg::read_department_tokens(path, {"court", "tax", "market_regulation", "procurement", "finance"});
  ASSERT_EQ(t.tokens.size(), 1u);
  EXPECT_EQ(t.tokens[0].scope, "finance");
  EXPECT_EQ(t.tokens[0].name, "cwj-system");
  ASSERT_EQ(t.problems.size(), 3u);
  EXPECT_EQ(t.problems[0].where, path + ":3");
  EXPECT_NE(t.problems[0].message.find("did you mean 'finance'"), std::string::npos) << t.problems[0].message;
  EXPECT_NE(t.problems[1].message.find("unknown department 'police' (one of court, tax"), std::string::npos)
      << t.problems[1].message;
  EXPECT_NE(t.problems[2].message.find("<department> <name> <token>"), std::string::npos) << t.problems[2].message;
  for (const auto& p : t.problems) EXPECT_EQ(p.message.find("token-"), std::string::npos) << p.message;
  ASSERT_NE(cg::find_token(t, "finance-token-0123456789"), nullptr);
  EXPECT_EQ(cg::find_token(t, "finance-token-0123456789")->name, "cwj-system");
  EXPECT_EQ(cg::find_token(t, "finance-token-012345678"), nullptr) << "a prefix is not the token";
  EXPECT_EQ(cg::find_token(t, "finance-token-9876543210"), nullptr) << "the line that was refused";
  EXPECT_EQ(cg::find_token(t, ""), nullptr);
}
