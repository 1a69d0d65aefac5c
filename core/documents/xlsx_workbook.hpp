// Excel workbooks (.xlsx) for offices that work in spreadsheets: one sheet
// a table, its headings in bold and frozen, numbers as numbers. Written
// with libxlsxwriter (Debian's libxlsxwriter-dev).
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "common/result.hpp"

namespace cg::documents {

using Cell = std::variant<std::string, int64_t, double>;

struct Sheet {
  std::string name;  // up to 31 characters, none of []:*?/\ (Excel's rule)
  std::vector<std::string> headings;
  std::vector<std::vector<Cell>> rows;
};

// The workbook's bytes. Errors: "document", naming the sheet or cell.
Result<std::string> xlsx_workbook(const std::vector<Sheet>& sheets, const std::string& temp_dir);

}  // namespace cg::documents
