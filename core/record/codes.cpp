#include "record/codes.hpp"

namespace cg::codes {

namespace {
constexpr std::string_view kUsccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr int kUsccWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
constexpr int kOrgWeights[8] = {3, 7, 9, 10, 5, 8, 4, 2};
constexpr int kIdWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr std::string_view kIdCheck = "10X98765432";

// A character's value in a USCC (its place in kUsccChars), -1 for any other
// byte: one table lookup instead of a search of the alphabet.
struct UsccValues {
  signed char by_byte[256];
  constexpr UsccValues() : by_byte{} {
    for (auto& v : by_byte) v = -1;
    for (size_t i = 0; i < kUsccChars.size(); ++i)
      by_byte[static_cast<unsigned char>(kUsccChars[i])] = static_cast<signed char>(i);
  }
};
constexpr UsccValues kUsccValues;

int uscc_value(char c) {
  return kUsccValues.by_byte[static_cast<unsigned char>(c)];
}
bool digit(char c) {
  return c >= '0' && c <= '9';
}
int num(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}
}  // namespace

bool uscc_shape_valid(std::string_view uscc) {
  if (uscc.size() != 18) return false;
  for (char c : uscc)
    if (uscc_value(c) < 0) return false;
  return true;
}

bool uscc_check_valid(std::string_view uscc) {
  if (!uscc_shape_valid(uscc)) return false;
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += uscc_value(uscc[i]) * kUsccWeights[i];
  int check = (31 - sum % 31) % 31;
  return kUsccChars[static_cast<size_t>(check)] == uscc[17];
}

bool org_code_check_valid(std::string_view code) {
  if (code.size() != 9) return false;
  int sum = 0;
  for (size_t i = 0; i < 8; ++i) {
    char c = code[i];
    int v;
    if (digit(c))
      v = c - '0';
    else if (c >= 'A' && c <= 'Z')
      v = c - 'A' + 10;
    else
      return false;
    sum += v * kOrgWeights[i];
  }
  int check = 11 - sum % 11;
  char expected = check == 10 ? 'X' : check == 11 ? '0' : static_cast<char>('0' + check);
  return code[8] == expected;
}

bool is_uscc_placeholder(std::string_view uscc) {
  return uscc == "00000000000000000X";
}

bool resident_id_shape_valid(std::string_view id) {
  if (id.size() != 18) return false;
  for (size_t i = 0; i < 17; ++i)
    if (!digit(id[i])) return false;
  return digit(id[17]) || id[17] == 'X';
}

bool resident_id_check_valid(std::string_view id) {
  if (!resident_id_shape_valid(id)) return false;
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += (id[i] - '0') * kIdWeights[i];
  return kIdCheck[static_cast<size_t>(sum % 11)] == id[17];
}

bool is_leap_year(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(int y, int m) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12) return 0;
  return m == 2 && is_leap_year(y) ? 29 : kDays[m - 1];
}

bool resident_id_birth_date_valid(std::string_view id, int today_yyyymmdd) {
  if (!resident_id_shape_valid(id)) return false;
  int y = num(id.substr(6, 4)), m = num(id.substr(10, 2)), d = num(id.substr(12, 2));
  if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return false;
  return y * 10000 + m * 100 + d <= today_yyyymmdd;
}

bool iso_date_valid(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (!digit(s[i])) return false;
  int y = num(s.substr(0, 4)), m = num(s.substr(5, 2)), d = num(s.substr(8, 2));
  return y >= 1900 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

}  // namespace cg::codes
