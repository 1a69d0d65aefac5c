#include "statistics/monthly_report.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

#include "common/clock.hpp"
#include "documents/pdf_document.hpp"
#include "publicity/publicity_report.hpp"

namespace cg::statistics {

namespace {

constexpr int kMonths = 6;  // the month and the five before it

// The figures of the report, in the order of its table's columns.
struct Figure {
  const char* code;  // a figure, or a prefix ending in ':'
  const char* name;
};
const Figure kFigures[] = {{"received", "归集"},         {"quarantined:", "隔离"},    {"accepted", "平台接收"},
                           {"rejected", "平台拒收"},     {"items", "联合奖惩事项"},   {"checked_subjects", "核查主体"},
                           {"hit_subjects", "命中主体"}, {"reports_made", "信用报告"}};

bool matches(const char* code, const std::string& figure) {
  const std::string c = code;
  return c == figure || (c.back() == ':' && figure.rfind(c, 0) == 0);
}

std::string month_of(std::chrono::year_month ym) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u", static_cast<int>(ym.year()), static_cast<unsigned>(ym.month()));
  return buf;
}

std::string with_commas(int64_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > (n < 0 ? 1 : 0); i -= 3) s.insert(static_cast<size_t>(i), ",");
  return s;
}

}  // namespace

Result<std::string> monthly_report_pdf(store::Store& st, const config::Config& cfg, const calendar::WorkingDays& days,
                                       const std::string& month, const std::string& department,
                                       std::chrono::system_clock::time_point now) {
  auto first = calendar::parse_date(month + "-01");
  if (month.size() != 7 || !first.ok()) return make_error("bad_request", "month must be YYYY-MM", "month");
  const auto ids = cfg.department_ids();
  if (!department.empty() && std::find(ids.begin(), ids.end(), department) == ids.end())
    return make_error("bad_request", "department '" + department + "' is not one the config declares", "department");
  const std::chrono::year_month_day ymd{*first};
  const std::chrono::year_month ym{ymd.year(), ymd.month()};
  std::vector<std::string> months;
  for (int k = kMonths - 1; k >= 0; --k) months.push_back(month_of(ym - std::chrono::months{k}));
  const std::string from = months.front() + "-01";
  const auto last = std::chrono::year_month_day_last{ym.year(), std::chrono::month_day_last{ym.month()}};
  const std::string to = calendar::format_date(std::chrono::sys_days{last});

  store::StatisticsQuery q;
  q.from = from;
  q.to = to;
  q.period = "month";
  q.by_department = true;
  auto rows = st.statistics().query(q);
  if (!rows.ok()) return rows.error();
  // (department, figure index, month) -> n, within the report's scope.
  std::map<std::tuple<std::string, size_t, std::string>, int64_t> n;
  for (const auto& r : *rows) {
    if (!department.empty() && r.department != department) continue;
    for (size_t f = 0; f < std::size(kFigures); ++f)
      if (matches(kFigures[f].code, r.figure)) n[{r.department, f, r.period}] += r.n;
  }
  auto total = [&](size_t f, const std::string& m, const std::string& dept) {
    int64_t sum = 0;
    for (const auto& [key, v] : n)
      if (std::get<1>(key) == f && std::get<2>(key) == m && (dept.empty() || std::get<0>(key) == dept)) sum += v;
    return sum;
  };

  const std::string scope = department.empty() ? "全区域" : cfg.department_name(department);
  const std::string title = "社会信用信息归集共享月度报告（" + month + "，" + scope + "）";
  documents::PdfDocument doc(title, cfg.department_api_report_issuer + "　" + title);
  doc.title("社会信用信息归集共享月度报告");
  doc.summary({{"统计月份", month + "（" + months.front() + " 至 " + month + " 对比）"},
               {"统计范围", scope},
               {"出具单位", cfg.department_api_report_issuer},
               {"生成时间", rfc3339_cst(now).substr(0, 19).replace(10, 1, " ") + "（北京时间）"}});

  doc.heading("一、本月各部门数据");
  std::vector<std::string> headings = {"部门"};
  for (const auto& f : kFigures) headings.push_back(f.name);
  std::vector<std::vector<std::string>> table;
  for (const auto& id : ids) {
    if (!department.empty() && id != department) continue;
    std::vector<std::string> row = {cfg.department_name(id)};
    for (size_t f = 0; f < std::size(kFigures); ++f) row.push_back(with_commas(total(f, month, id)));
    table.push_back(std::move(row));
  }
  if (department.empty()) {
    std::vector<std::string> row = {"合计"};
    for (size_t f = 0; f < std::size(kFigures); ++f) row.push_back(with_commas(total(f, month, "")));
    table.push_back(std::move(row));
  }
  std::vector<double> widths(headings.size(), 0.88 / static_cast<double>(headings.size() - 1));
  widths[0] = 0.12;
  doc.table(headings, table, widths);

  doc.heading("二、近六个月趋势");
  std::vector<std::vector<std::string>> trend;
  for (size_t f = 0; f < std::size(kFigures); ++f) {
    std::vector<std::string> row = {kFigures[f].name};
    for (const auto& m : months) row.push_back(with_commas(total(f, m, department)));
    trend.push_back(std::move(row));
  }
  std::vector<std::string> trend_headings = {"指标"};
  trend_headings.insert(trend_headings.end(), months.begin(), months.end());
  std::vector<double> trend_widths(trend_headings.size(), 0.84 / kMonths);
  trend_widths[0] = 0.16;
  doc.table(trend_headings, trend, trend_widths);
  auto series = [&](size_t f) {
    documents::BarSeries s{kFigures[f].name, {}};
    for (const auto& m : months) s.values.push_back(static_cast<double>(total(f, m, department)));
    return s;
  };
  doc.bar_chart("归集与隔离（条）", months, {series(0), series(1)});
  doc.bar_chart("平台接收与拒收（条）", months, {series(2), series(3)});
  doc.bar_chart("联合奖惩事项与信用核查", months, {series(4), series(5), series(6)});

  doc.heading("三、本月双公示时效（决定日期在本月的行政许可、行政处罚）");
  publicity::ReportFilter pf;
  pf.department = department;
  pf.from = month + "-01";
  pf.to = to;
  auto entries = publicity::report(st, days, pf, date_cst(now));
  if (!entries.ok()) return entries.error();
  static const std::pair<const char*, const char*> kStates[] = {{"on_time", "按时"},       {"late", "迟报"},
                                                                {"overdue", "逾期未公示"}, {"at_risk", "临期"},
                                                                {"pending", "待公示"},     {"unknown", "无法判断"}};
  std::vector<std::string> state_headings = {"部门"};
  for (const auto& [_, name] : kStates) state_headings.push_back(name);
  const auto counts = publicity::counts(*entries);
  std::vector<std::vector<std::string>> states;
  for (const auto& id : ids) {
    if (!department.empty() && id != department) continue;
    std::vector<std::string> row = {cfg.department_name(id)};
    for (const auto& [state, _] : kStates) {
      auto it = counts.find({id, state});
      row.push_back(with_commas(it == counts.end() ? 0 : it->second));
    }
    states.push_back(std::move(row));
  }
  std::vector<double> state_widths(state_headings.size(), 0.82 / static_cast<double>(std::size(kStates)));
  state_widths[0] = 0.18;
  doc.table(state_headings, states, state_widths);
  doc.paragraph(
      "说明：数据取自网关存储中随处理实时累计的统计（按北京时间自然日），"
      "双公示时效按国务院办公厅节假日安排计算 7 个工作日的公示期限。");
  return doc.render();
}

}  // namespace cg::statistics
