// The documents offices print and file, read back with the tools a reader
// would use: the PDF's text with poppler's pdftotext (page numbers, Chinese
// text, tables that continue over pages), the workbook with Python's
// openpyxl (sheets, Chinese headings, numbers as numbers).
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "../test_support.hpp"
#include "documents/pdf_document.hpp"
#include "documents/xlsx_workbook.hpp"

namespace {

// A command's standard output.
std::string run(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (!p) return out;
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  pclose(p);
  return out;
}

void write(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

}  // namespace

TEST(PdfDocument, TextTablesOverPagesChartsAndAQrCodeAreReadBack) {
  cg::test::TempDir dir;
  cg::documents::PdfDocument doc("专用信用报告", "某市公共信用信息中心");
  doc.title("专用信用报告");
  doc.summary({{"主体名称", "广元市某某有限公司"}, {"统一社会信用代码", "91510802MA62XXXX1A"}},
              "http://127.0.0.1/verify/ABCD-EFGH", "扫码核验");
  doc.heading("行政处罚");
  std::vector<std::vector<std::string>> rows;
  for (int i = 1; i <= 120; ++i)
    rows.push_back({"第" + std::to_string(i) + "行", "川市监罚〔2026〕" + std::to_string(i) + "号"});
  doc.table({"序号", "文书号"}, rows, {0.3, 0.7});
  doc.bar_chart("归集数量", {"2026-10", "2026-11"}, {{"本月", {12, 30}}, {"上月", {8, 12}}});
  auto pdf = doc.render();
  ASSERT_TRUE(pdf.ok()) << pdf.error().to_string();
  ASSERT_EQ(pdf->rfind("%PDF-", 0), 0u);
  write(dir.file("doc.pdf"), *pdf);

  const std::string text = run("pdftotext -layout " + dir.file("doc.pdf") + " - 2>&1");
  EXPECT_NE(text.find("专用信用报告"), std::string::npos) << text.substr(0, 400);
  EXPECT_NE(text.find("广元市某某有限公司"), std::string::npos);
  EXPECT_NE(text.find("川市监罚〔2026〕120号"), std::string::npos);  // the last row, pages later
  EXPECT_NE(text.find("归集数量"), std::string::npos);
  const std::string info = run("pdfinfo " + dir.file("doc.pdf") + " 2>&1");
  const auto at = info.find("Pages:");
  ASSERT_NE(at, std::string::npos) << info;
  const int pages = std::stoi(info.substr(at + 6));
  EXPECT_GE(pages, 3);
  std::string compact;  // pdftotext joins CJK and digits without the spaces between them
  for (char c : text)
    if (c != ' ') compact += c;
  const std::string of = "页共" + std::to_string(pages) + "页";
  EXPECT_NE(compact.find("第1" + of), std::string::npos) << compact.substr(0, 2000);
  EXPECT_NE(compact.find("第" + std::to_string(pages) + of), std::string::npos);
  // The table's headings again at the top of its second page.
  EXPECT_NE(compact.find("序号文书号", compact.find("第1" + of)), std::string::npos);
  EXPECT_NE(info.find("专用信用报告", info.find("Title:")), std::string::npos) << info;
}

TEST(XlsxWorkbook, EachTableIsASheetWithItsHeadingsAndNumbers) {
  cg::test::TempDir dir;
  std::vector<cg::documents::Sheet> sheets = {
      {"数据归集", {"月份", "部门", "归集数"}, {{std::string("2026-11"), std::string("法院"), int64_t{42}}}},
      {"双公示:时效?", {"状态", "条数"}, {{std::string("按时"), int64_t{7}}, {std::string("逾期"), 1.5}}}};
  auto bytes = cg::documents::xlsx_workbook(sheets, dir.path());
  ASSERT_TRUE(bytes.ok()) << bytes.error().to_string();
  write(dir.file("stats.xlsx"), *bytes);
  const std::string read =
      run("/usr/bin/python3 -c \"import openpyxl, sys; wb = openpyxl.load_workbook(sys.argv[1]); "
          "[print(ws.title, [[c.value for c in r] for r in ws.iter_rows()]) for ws in "
          "wb.worksheets]\" " +
          dir.file("stats.xlsx") + " 2>&1");
  EXPECT_NE(read.find("数据归集 [['月份', '部门', '归集数'], ['2026-11', '法院', 42]]"), std::string::npos) << read;
  EXPECT_NE(read.find("双公示_时效_ [['状态', '条数'], ['按时', 7], ['逾期', 1.5]]"), std::string::npos) << read;
  // Nothing of the workbook's own left in the folder but what the test wrote.
  size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++files;
  EXPECT_EQ(files, 1u);
}
