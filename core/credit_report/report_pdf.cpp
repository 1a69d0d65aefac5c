#include "credit_report/report_pdf.hpp"

#include "documents/pdf_document.hpp"

namespace cg::credit_report {

using nlohmann::json;

namespace {

const char* const kYears[] = {"", "近一年", "近两年", "近三年"};
const char* const kNumbers[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};

std::string ordinal(size_t i) {
  if (i < 10) return kNumbers[i];
  return std::to_string(i + 1);
}

// 2026-12-08T08:02:14+08:00 as 2026-12-08 08:02:14（北京时间）.
std::string shown_time(const std::string& rfc3339) {
  if (rfc3339.size() < 19) return rfc3339;
  std::string t = rfc3339.substr(0, 19);
  t[10] = ' ';
  return t + "（北京时间）";
}

std::vector<std::vector<std::string>> rows_of(const json& entries) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : entries)
    rows.push_back({e.value("kind_name", ""), e.value("document_number", ""), e.value("decided_on", ""),
                    e.value("authority", ""), e.value("summary", ""), e.value("status_name", "")});
  return rows;
}

}  // namespace

Result<std::string> report_pdf(const json& content, const PdfHeader& h) {
  const json& subject = content.at("subject");
  const int64_t years = content.value("years", int64_t{1});
  documents::PdfDocument doc("专用信用报告 " + subject.value("uscc", ""), h.issuer + "　核验码 " + h.code);
  doc.title("专用信用报告");
  doc.summary({{"主体名称", subject.value("name", "").empty() ? "—" : subject.value("name", "")},
               {"统一社会信用代码", subject.value("uscc", "")},
               {"报告期间", content["window"].value("from", "") + " 至 " + content["window"].value("to", "") + "（" +
                                (years >= 1 && years <= 3 ? kYears[years] : "") + "）"},
               {"出具时间", shown_time(h.made_at)},
               {"有效期至", h.expires_on},
               {"核验码", h.code},
               {"出具单位", h.issuer}},
              h.verify_url, "扫码核验");
  doc.paragraph(
      "本报告依据公共信用信息平台归集的各部门信用信息出具，按信息提供部门列示报告期间内的行政处罚、失信名单等"
      "违法违规及失信信息，以及行政许可、守信激励、信用承诺等其他信用信息。已信用修复或撤销的信息不予列示。");
  const std::vector<std::string> headings = {"类别", "文书号", "决定日期", "决定机关", "内容", "状态"};
  const std::vector<double> widths = {0.13, 0.23, 0.12, 0.16, 0.26, 0.1};
  size_t i = 0;
  for (const auto& d : content.at("domains")) {
    doc.heading(ordinal(i++) + "、" + d.value("name", ""));
    if (d["adverse"].empty())
      doc.paragraph("无违法违规记录");
    else
      doc.table(headings, rows_of(d["adverse"]), widths);
    if (!d["other"].empty()) {
      doc.paragraph("其他信用信息：");
      doc.table(headings, rows_of(d["other"]), widths);
    }
  }
  doc.heading("说明");
  doc.paragraph("1. 本报告自出具之日起一个月内有效（至 " + h.expires_on + "）。");
  doc.paragraph("2. 接收单位可扫描首页二维码或访问 " + h.verify_url +
                " 核验本报告：核验结果给出主体、报告期间、出具时间、有效期及本 PDF 文件的 SHA-256 摘要，"
                "与所收文件的摘要不符即为被改动。");
  doc.paragraph("3. 报告期间截至出具之日的前一个工作日。");
  return doc.render();
}

}  // namespace cg::credit_report
