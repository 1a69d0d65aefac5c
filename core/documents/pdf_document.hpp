// A4 documents that an office prints and files (专用信用报告, the monthly
// statistics): titles, paragraphs, label/value summaries, tables, bar
// charts and a QR code, laid out top to bottom over as many pages as they
// need, tables repeating their headings on each page; Chinese text in
// WenQuanYi Micro Hei (Debian's fonts-wqy-microhei), each page with the
// footer line and "第 i 页 共 n 页". Made in memory with cairo and pango.
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "common/result.hpp"

namespace cg::documents {

struct BarSeries {
  std::string name;
  std::vector<double> values;  // one a label
};

class PdfDocument {
 public:
  // `title` goes into the PDF's properties; `footer` at the foot of each page.
  PdfDocument(std::string title, std::string footer);

  void title(std::string text);
  void heading(std::string text);
  void paragraph(std::string text);
  // Label/value lines; with a QR payload, its code beside them on the right
  // (a link, a verification URL) with `qr_caption` under it.
  void summary(std::vector<std::pair<std::string, std::string>> rows, std::string qr_payload = "",
               std::string qr_caption = "");
  // `widths`: each column's share of the page's width (summing to 1).
  void table(std::vector<std::string> headings, std::vector<std::vector<std::string>> rows, std::vector<double> widths);
  // Bars of each series side by side for each label, values over the bars.
  void bar_chart(std::string title, std::vector<std::string> labels, std::vector<BarSeries> series);

  // The PDF's bytes. Errors: "document" when cairo fails or the font cannot
  // show a character (naming it: a machine without fonts-wqy-microhei).
  [[nodiscard]] Result<std::string> render() const;

  struct Title {
    std::string text;
  };
  struct Heading {
    std::string text;
  };
  struct Paragraph {
    std::string text;
  };
  struct Summary {
    std::vector<std::pair<std::string, std::string>> rows;
    std::string qr_payload, qr_caption;
  };
  struct Table {
    std::vector<std::string> headings;
    std::vector<std::vector<std::string>> rows;
    std::vector<double> widths;
  };
  struct BarChart {
    std::string title;
    std::vector<std::string> labels;
    std::vector<BarSeries> series;
  };
  using Block = std::variant<Title, Heading, Paragraph, Summary, Table, BarChart>;

 private:
  std::string title_, footer_;
  std::vector<Block> blocks_;
};

}  // namespace cg::documents
