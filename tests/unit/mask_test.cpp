#include "common/mask.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

#include "common/text.hpp"

TEST(Mask, KeepsFirstSixAndLastFour) {
  EXPECT_EQ(cg::mask_id("510802198303027212"), "510802********7212");
  EXPECT_EQ(cg::mask_id("32090219700604605X"), "320902********605X");
  EXPECT_EQ(cg::mask_id("short"), "*****");
}

TEST(Mask, MasksIdsInsideText) {
  EXPECT_EQ(cg::mask_ids_in_text("id 510802198303027212 bad"), "id 510802********7212 bad");
  EXPECT_EQ(cg::mask_ids_in_text("{\"id\":\"32090219700604605X\"}"), "{\"id\":\"320902********605X\"}");
  EXPECT_EQ(cg::mask_ids_in_text("old 130826660402879"), "old 130826*****2879");
}

TEST(Mask, LeavesOtherNumbersAlone) {
  EXPECT_EQ(cg::mask_ids_in_text("amount 364031300 fen"), "amount 364031300 fen");
  EXPECT_EQ(cg::mask_ids_in_text("uscc 91510802QEFLCR6390"), "uscc 91510802QEFLCR6390");
  EXPECT_EQ(cg::mask_ids_in_text("2024-03-19T10:00:00+08:00"), "2024-03-19T10:00:00+08:00");
}

TEST(Mask, MasksIdsWhateverStandsAroundThem) {
  EXPECT_EQ(cg::mask_ids_in_text("a\\n510802198303027212"), "a\\n510802********7212");  // an escaped newline
  EXPECT_EQ(cg::mask_ids_in_text("\t510802198303027212\n"), "\t510802********7212\n");
  EXPECT_EQ(cg::mask_ids_in_text("ID510802198303027212"), "ID510802********7212");
  EXPECT_EQ(cg::mask_ids_in_text("身份证号510802198303027212号"), "身份证号510802********7212号");
  EXPECT_EQ(cg::mask_ids_in_text("５１０８０２１９８３０３０２７２１２"), "５１０８０２********７２１２");
  EXPECT_EQ(cg::mask_ids_in_text("32090219700604605ｘ"), "320902********605ｘ");
  EXPECT_EQ(cg::mask_ids_in_text("5108021983030272120001"), "510802************0001");  // inside a longer run
}

// The gateway's own ids are hex words: a digit run inside one is no ID
// number, and masking it would garble the id.
TEST(Mask, LeavesTheGatewaysHexIdsWhole) {
  const std::string record_id = "a3510802198303027212bc0e4f5d6e7f";  // 32 characters, a run of 18 digits inside
  EXPECT_EQ(cg::mask_ids_in_text("record " + record_id + " stored"), "record " + record_id + " stored");
  EXPECT_EQ(cg::mask_ids_in_text("\"c-" + record_id + "\""), "\"c-" + record_id + "\"");
  const std::string fb = "fb-510802198303027212a0b1c2d3e4f5a6b7c8d9e0";  // 40 after the prefix
  EXPECT_EQ(cg::mask_ids_in_text(fb), fb);
  EXPECT_EQ(cg::mask_ids_in_text("a3510802198303027212bc0e4f5d6e7"), "a351080*********7212bc0e4f5d6e7")
      << "31 characters: not an id of the gateway's";
  EXPECT_EQ(cg::mask_ids_in_text("Xa3510802198303027212bc0e4f5d6e7f"), "Xa351080*********7212bc0e4f5d6e7f")
      << "part of a longer word";
}

namespace {

std::string resident_id(std::mt19937& rng) {
  static const int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  std::string id = "510802";
  id += std::to_string(1950 + rng() % 60);
  char mmdd[5];
  std::snprintf(mmdd, sizeof mmdd, "%02u%02u", static_cast<unsigned>(1 + rng() % 12),
                static_cast<unsigned>(1 + rng() % 28));
  id += mmdd;
  for (int k = 0; k < 3; ++k) id += static_cast<char>('0' + rng() % 10);
  int sum = 0;
  for (int k = 0; k < 17; ++k) sum += (id[static_cast<size_t>(k)] - '0') * kWeights[k];
  id += "10X98765432"[sum % 11];
  return id;
}

std::string fullwidth(const std::string& ascii) {
  std::string out;
  for (char c : ascii) {
    const unsigned cp = 0xFF10u + static_cast<unsigned>(c == 'X' ? 0x28 : c - '0');  // Ｘ is U+FF38
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

}  // namespace

// Property: in any text made of fillers and ID numbers in any form and
// context, neither the text nor its JSON form shows an ID number's middle.
TEST(Mask, NoIdNumberSurvivesInGeneratedTexts) {
  std::mt19937 rng(20261204);
  const std::vector<std::string> around = {"",   " ", "\n", "\t",   "\r\n", "ID", "No.", "身份证号", "：",
                                           "\"", "_", "x",  "号码", "A",    "=",  "\\",  "12",       "-"};
  const std::vector<std::string> filler = {
      "被执行人",           " ",  "abc", "2024-03-19", "金额 364031300 分", "\n", "\t",
      "91510802QEFLCR6390", "，", "0",   "{\"a\":1}"};
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    std::vector<std::string> ids;
    const int parts = 1 + static_cast<int>(rng() % 6);
    for (int p = 0; p < parts; ++p) {
      text += filler[rng() % filler.size()];
      if (rng() % 2) continue;
      std::string id = resident_id(rng);
      ids.push_back(id);
      std::string shown = id;
      if (rng() % 3 == 0)
        shown = fullwidth(id);
      else if (id.back() == 'X' && rng() % 2)
        shown.back() = 'x';
      text += around[rng() % around.size()] + shown + around[rng() % around.size()];
    }
    const std::string as_json = nlohmann::json(text).dump();
    for (const std::string& seen : {cg::mask_ids_in_text(text), cg::mask_ids_in_text(as_json)}) {
      const std::string plain = cg::text::fullwidth_to_ascii(seen);
      for (const auto& id : ids)
        ASSERT_EQ(plain.find(id.substr(6, 8)), std::string::npos)
            << "the birth date of " << id << " shows in: " << seen << "\nfrom: " << text;
    }
  }
}
