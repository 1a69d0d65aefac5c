#include "mapping/transforms.hpp"

#include <gtest/gtest.h>

#include "common/text.hpp"

using cg::mapping::parse_date;
using cg::mapping::parse_money;

namespace {
std::string date(const std::string& s) {
  auto r = parse_date(s, {});
  if (!r.ok()) return "error";
  return r->value_or("absent");
}
}  // namespace

TEST(Dates, EveryFormTheFeedsUse) {
  EXPECT_EQ(date("2024年3月19日"), "2024-03-19");
  EXPECT_EQ(date("2024年12月1日"), "2024-12-01");
  EXPECT_EQ(date("2024/5/20"), "2024-05-20");
  EXPECT_EQ(date("2024/05/20"), "2024-05-20");
  EXPECT_EQ(date("20240615"), "2024-06-15");
  EXPECT_EQ(date("2024-02-23"), "2024-02-23");
  EXPECT_EQ(date("2024.2.3"), "2024-02-03");
  EXPECT_EQ(date("2024-10-11T10:00:00+08:00"), "2024-10-11");
  EXPECT_EQ(date("  2024/5/20 "), "2024-05-20");
  EXPECT_EQ(date(""), "absent");
}

TEST(Dates, ImpossibleDatesAreErrors) {
  EXPECT_EQ(date("20241345"), "error");
  EXPECT_EQ(date("2023年2月29日"), "error");
  EXPECT_EQ(date("2024/13/1"), "error");
  EXPECT_EQ(date("yesterday"), "error");
}

TEST(Dates, ExplicitFormatsAreStrict) {
  auto r = parse_date("2024/5/20", {"YYYYMMDD"});
  EXPECT_FALSE(r.ok());
  auto ok = parse_date("20240520", {"YYYYMMDD"});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(**ok, "2024-05-20");
}

TEST(Money, YuanToFenExactly) {
  EXPECT_EQ(*parse_money("3,640,313.00", 100), 364031300);
  EXPECT_EQ(*parse_money("190,268.50", 100), 19026850);
  EXPECT_EQ(*parse_money("320846000.95", 100), 32084600095);
  EXPECT_EQ(*parse_money("0.01", 100), 1);
  EXPECT_EQ(*parse_money("12", 100), 1200);
  EXPECT_EQ(*parse_money(".5", 100), 50);
}

TEST(Money, WanYuanToFenExactly) {
  EXPECT_EQ(*parse_money("2.35", 1000000), 2350000);
  EXPECT_EQ(*parse_money("0.08", 1000000), 80000);
  EXPECT_EQ(*parse_money("12", 1000000), 12000000);
  EXPECT_EQ(*parse_money("0.000001", 1000000), 1);
  // 0.1 + 0.2 style values that a float gets wrong.
  EXPECT_EQ(*parse_money("1234567.89", 100), 123456789);
  EXPECT_EQ(*parse_money("0.29", 100), 29);
}

TEST(Money, RejectsWhatIsNotExact) {
  EXPECT_FALSE(parse_money("1.005", 100).ok());
  EXPECT_EQ(*parse_money("1.0050", 1000), 1005);
  EXPECT_FALSE(parse_money("abc", 100).ok());
  EXPECT_FALSE(parse_money("1.2.3", 100).ok());
  EXPECT_FALSE(parse_money("99999999999999999999", 100).ok());
  EXPECT_FALSE(parse_money("92233720368547759", 1000).ok());
}

TEST(Money, NegativeIsParsedForTheValidatorToReject) {
  EXPECT_EQ(*parse_money("-5.00", 100), -500);
}

TEST(Utf8Check, FindsTheFirstBadByteWhereverTheAsciiRunsEnd) {
  using cg::text::find_invalid_utf8;
  for (size_t prefix = 0; prefix < 20; ++prefix) {
    std::string ascii(prefix, 'a');
    EXPECT_FALSE(find_invalid_utf8(ascii + "张三" + ascii)) << prefix;
    EXPECT_EQ(find_invalid_utf8(ascii + "\xff" + "abcdefgh"), prefix) << prefix;
    EXPECT_EQ(find_invalid_utf8(ascii + "\xe5\xbc"), prefix) << prefix;  // cut inside a character
  }
}

namespace {
std::string apply(cg::mapping::Transform::Op op, const std::string& s) {
  cg::mapping::Transform t;
  t.op = op;
  cg::mapping::Value v = s;
  cg::mapping::MappingSpec spec;
  if (!cg::mapping::apply_transform(t, v, spec)) return "error";
  if (cg::mapping::is_absent(v)) return "(absent)";
  return std::get<std::string>(v);
}
}  // namespace

TEST(TextTransforms, RewriteTheValueInPlaceWithoutLosingWhatFollows) {
  using Op = cg::mapping::Transform::Op;
  // Full-width letters, digits and U+3000 shrink from three bytes to one; Chinese text is kept as it is.
  EXPECT_EQ(apply(Op::FullwidthToAscii, "９１５１０８０２ＱＥＦＬＣＲ６３９０"), "91510802QEFLCR6390");
  EXPECT_EQ(apply(Op::FullwidthToAscii, "广元　市ａｂ（利州）x"), "广元 市ab(利州)x");
  EXPECT_EQ(apply(Op::FullwidthToAscii, "plain ascii"), "plain ascii");
  EXPECT_EQ(apply(Op::FullwidthToAscii, "ends in a lone lead byte \xEF"), "ends in a lone lead byte \xEF");
  EXPECT_EQ(apply(Op::FullwidthToAscii, "　"), " ");
  EXPECT_EQ(apply(Op::RemoveSpaces, " 9151 0802\tQE　FL　"), "91510802QEFL");
  EXPECT_EQ(apply(Op::RemoveSpaces, " \t　"), "(absent)");
  EXPECT_EQ(apply(Op::Upper, "91510802qeflcr639x 广元"), "91510802QEFLCR639X 广元");
  EXPECT_EQ(apply(Op::Lower, "ABC 广元 Xy"), "abc 广元 xy");
  EXPECT_EQ(apply(Op::Trim, "　 广元市 \u00A0"), "广元市");
}
