#include "statistics/statistics_workbook.hpp"

#include <algorithm>
#include <map>

#include "record/kind_names.hpp"

namespace cg::statistics {

namespace {

struct Table {
  const char* sheet;
  std::vector<std::string> figures;  // a figure, or a prefix ending in ':'
};

const std::vector<Table>& tables() {
  static const std::vector<Table> t = {
      {"数据归集", {"received", "pulled", "created", "changed", "quarantined:"}},
      {"平台报送", {"accepted", "rejected"}},
      {"双公示", {"publicity:"}},
      {"联合奖惩", {"items", "feedback:"}},
      {"信用核查", {"checks:", "checked_subjects", "hit_subjects"}},
      {"信用报告", {"reports_made", "reports_verified:"}},
      {"目录清单", {"catalog:"}},
  };
  return t;
}

bool in(const Table& t, const std::string& figure) {
  for (const auto& f : t.figures)
    if (f == figure || (f.back() == ':' && figure.rfind(f, 0) == 0)) return true;
  return false;
}

}  // namespace

std::string figure_name_zh(const std::string& figure) {
  static const std::map<std::string, std::string> kNames = {
      {"received", "归集记录"},
      {"pulled", "从平台获取"},
      {"created", "新增记录"},
      {"changed", "变更版本"},
      {"accepted", "平台接收"},
      {"rejected", "平台拒收"},
      {"items", "推送联合奖惩事项"},
      {"checked_subjects", "核查主体"},
      {"hit_subjects", "命中主体"},
      {"reports_made", "出具专用信用报告"},
      {"publicity:on_time", "双公示按时"},
      {"publicity:late", "双公示迟报"},
      {"publicity:overdue", "双公示逾期"},
      {"feedback:on_time", "执行反馈按时"},
      {"feedback:late", "执行反馈逾期"},
      {"feedback:overdue", "到期未反馈"},
      {"checks:restricted", "核查：限制"},
      {"checks:incentive", "核查：激励"},
      {"checks:clear", "核查：无限制"},
      {"checks:invalid_subject", "核查：主体无效"},
      {"reports_verified:valid", "报告核验：有效"},
      {"reports_verified:expired", "报告核验：已过期"},
      {"reports_verified:unknown", "报告核验：不存在"},
  };
  if (auto it = kNames.find(figure); it != kNames.end()) return it->second;
  if (figure.rfind("quarantined:", 0) == 0) return "隔离（" + figure.substr(12) + "）";
  if (figure.rfind("catalog:", 0) == 0) return "目录清单版本 " + figure.substr(8);
  return figure;
}

std::vector<documents::Sheet> statistics_sheets(const std::vector<store::StatisticsRow>& rows,
                                                const config::Config& cfg) {
  const std::vector<std::string> headings = {"期间",     "部门", "部门代码", "类别",
                                             "目标平台", "指标", "指标代码", "数量"};
  auto cells = [&](const store::StatisticsRow& r) -> std::vector<documents::Cell> {
    return {r.period,      r.department.empty() ? std::string() : cfg.department_name(r.department),
            r.department,  r.kind.empty() ? std::string() : kind_name_zh(r.kind),
            r.destination, figure_name_zh(r.figure),
            r.figure,      r.n};
  };
  std::vector<documents::Sheet> sheets;
  for (const auto& t : tables()) {
    documents::Sheet sheet{t.sheet, headings, {}};
    for (const auto& r : rows)
      if (in(t, r.figure)) sheet.rows.push_back(cells(r));
    sheets.push_back(std::move(sheet));
  }
  documents::Sheet other{"其他", headings, {}};
  for (const auto& r : rows)
    if (std::none_of(tables().begin(), tables().end(), [&](const Table& t) { return in(t, r.figure); }))
      other.rows.push_back(cells(r));
  if (!other.rows.empty()) sheets.push_back(std::move(other));
  return sheets;
}

}  // namespace cg::statistics
