#include "documents/xlsx_workbook.hpp"

#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "common/random_hex.hpp"
#include "common/text.hpp"

namespace cg::documents {

namespace {

// libxlsxwriter writes to a path: a file of our own, removed on every path out.
class TempFile {
 public:
  explicit TempFile(const std::string& dir) : path_(dir + "/workbook-" + random_hex(8) + ".xlsx") {}
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct WorkbookClose {
  void operator()(lxw_workbook* wb) const {
    if (wb) (void)workbook_close(wb);
  }
};

// Excel's sheet names: 31 characters at most (counted in UTF-8 code points
// here), none of []:*?/\.
std::string sheet_name(const std::string& name) {
  std::string out;
  size_t points = 0;
  for (char c : text::valid_utf8(name)) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80 && ++points > 31) break;
    out += std::string_view("[]:*?/\\").find(c) == std::string_view::npos ? c : '_';
  }
  return out.empty() ? "Sheet" : out;
}

}  // namespace

Result<std::string> xlsx_workbook(const std::vector<Sheet>& sheets, const std::string& temp_dir) {
  TempFile file(temp_dir);
  {
    lxw_workbook_options options = {};
    options.constant_memory = LXW_TRUE;  // rows go to the file as they are written
    options.tmpdir = const_cast<char*>(temp_dir.c_str());
    std::unique_ptr<lxw_workbook, WorkbookClose> wb(workbook_new_opt(file.path().c_str(), &options));
    if (!wb) return make_error("document", "cannot start a workbook in " + temp_dir);
    lxw_format* bold = workbook_add_format(wb.get());
    format_set_bold(bold);
    format_set_bg_color(bold, 0xE8ECF2);
    for (const auto& sheet : sheets) {
      lxw_worksheet* ws = workbook_add_worksheet(wb.get(), sheet_name(sheet.name).c_str());
      if (!ws) return make_error("document", "sheet '" + sheet.name + "' could not be added (a repeated name?)");
      for (size_t c = 0; c < sheet.headings.size(); ++c) {
        const auto col = static_cast<lxw_col_t>(c);
        worksheet_write_string(ws, 0, col, text::valid_utf8(sheet.headings[c]).c_str(), bold);
        worksheet_set_column(ws, col, col, std::max<double>(10, static_cast<double>(sheet.headings[c].size())),
                             nullptr);
      }
      worksheet_freeze_panes(ws, 1, 0);
      for (size_t r = 0; r < sheet.rows.size(); ++r)
        for (size_t c = 0; c < sheet.rows[r].size(); ++c) {
          const auto row = static_cast<lxw_row_t>(r + 1);
          const auto col = static_cast<lxw_col_t>(c);
          const Cell& cell = sheet.rows[r][c];
          lxw_error e = LXW_NO_ERROR;
          if (const auto* s = std::get_if<std::string>(&cell))
            e = worksheet_write_string(ws, row, col, text::valid_utf8(*s).c_str(), nullptr);
          else if (const auto* i = std::get_if<int64_t>(&cell))
            e = worksheet_write_number(ws, row, col, static_cast<double>(*i), nullptr);
          else
            e = worksheet_write_number(ws, row, col, std::get<double>(cell), nullptr);
          if (e != LXW_NO_ERROR)
            return make_error("document", "sheet '" + sheet.name + "' row " + std::to_string(r + 2) + " column " +
                                              std::to_string(c + 1) + ": " + lxw_strerror(e));
        }
    }
    const lxw_error closed = workbook_close(wb.release());
    if (closed != LXW_NO_ERROR) return make_error("document", std::string("the workbook: ") + lxw_strerror(closed));
  }
  std::ifstream in(file.path(), std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in) return make_error("document", "cannot read the workbook back from " + temp_dir);
  return bytes.str();
}

}  // namespace cg::documents
