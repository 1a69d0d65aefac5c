// Every transform a mapping may name is documented for the admins who write
// mappings (docs/mappings.md, "Transforms").
#include "mapping/transform_names.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace {

// The "Transforms" section of docs/mappings.md.
std::string transforms_section() {
  std::ifstream in(std::string(CG_SOURCE_DIR) + "/docs/mappings.md");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str();
  const auto at = doc.find("\n### Transforms");
  if (at == std::string::npos) return {};
  const auto end = doc.find("\n#", at + 1);
  return doc.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

TEST(TransformNames, EachOneIsInTheMappingGuide) {
  const std::string doc = transforms_section();
  ASSERT_FALSE(doc.empty()) << "docs/mappings.md has no \"### Transforms\" section";
  for (const auto& t : cg::mapping::kNamedTransforms)
    EXPECT_NE(doc.find("`\"" + std::string(t.name) + "\"`"), std::string::npos) << t.name;
  for (const auto& k : cg::mapping::kTransformObjects)
    EXPECT_NE(doc.find("`{\"" + std::string(k) + "\""), std::string::npos) << k;
  for (const auto& k : cg::mapping::kTransformOptions)
    EXPECT_NE(doc.find("\"" + std::string(k) + "\""), std::string::npos) << k;
}

}  // namespace
