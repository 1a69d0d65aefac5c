// Vectors computed independently (Python hmac/hashlib) from the contract text.
#include <gtest/gtest.h>

#include <credit_gateway/support/signing.hpp>

namespace {
const std::string kSecret = "0123456789abcdef0123456789abcdef";
const std::string kNonce = "00112233445566778899aabbccddeeff";
}  // namespace

TEST(Signing, PostWithBody) {
  EXPECT_EQ(
      cg::sdk::sign_request(kSecret, "POST", "/api/v1/records:batch", "1721525400000", kNonce, R"({"batch_id":"b-1"})"),
      "feb0b6f5663303ef38f85fd37d1cc410e824805928e6ed0e244f22525dfb02ea");
}

TEST(Signing, GetWithQueryAndEmptyBody) {
  EXPECT_EQ(cg::sdk::sign_request(kSecret, "GET", "/api/v1/changes?cursor=abc&limit=500", "1721525400000", kNonce, ""),
            "def85f907bd9457417afb9644c72cfcba1163aad567eb9eef7a7194d7b0a02b8");
}

TEST(Signing, EmptyBodyHashesAsSha256OfEmptyString) {
  EXPECT_NE(cg::sdk::string_to_sign("GET", "/x", "1", "n", "")
                .find("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            std::string::npos);
}
