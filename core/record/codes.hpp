// National identifier check characters.
#pragma once

#include <string_view>

namespace cg::codes {

// 统一社会信用代码, GB 32100-2015: 18 characters from the 31-character set
// 0-9 A-H J-N P-R T U W-Y, weights 3^i mod 31, check = 31 - (sum mod 31).
bool uscc_check_valid(std::string_view uscc);
// Shape only (length and character set), to tell "malformed" from "wrong check character".
bool uscc_shape_valid(std::string_view uscc);
// The organisation code embedded at positions 9..17 (GB 11714-1997):
// weights 3 7 9 10 5 8 4 2, check = 11 - (sum mod 11), 10 -> X, 11 -> 0.
bool org_code_check_valid(std::string_view org_code9);
// The national placeholder for individual businesses registered before USCCs.
bool is_uscc_placeholder(std::string_view uscc);

// 居民身份证号码, GB 11643-1999: 17 digits, ISO 7064 MOD 11-2 check character.
bool resident_id_shape_valid(std::string_view id);
bool resident_id_check_valid(std::string_view id);
// The birth date at positions 7..14 is a real calendar date, not after `today`
// (YYYYMMDD as an integer) and not before 1900.
bool resident_id_birth_date_valid(std::string_view id, int today_yyyymmdd);

// A calendar date "YYYY-MM-DD" that exists.
bool iso_date_valid(std::string_view date);
bool is_leap_year(int y);
int days_in_month(int y, int m);

}  // namespace cg::codes
