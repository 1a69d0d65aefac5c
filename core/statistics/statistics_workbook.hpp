// The monitoring statistics as an Excel workbook for the credit office: one
// sheet a table (数据归集, 平台报送, 双公示, 联合奖惩, 信用核查, 信用报告),
// Chinese headings, departments, kinds and figures named in Chinese beside
// their codes.
#pragma once

#include <string>
#include <vector>

#include "config/config.hpp"
#include "documents/xlsx_workbook.hpp"
#include "store/statistics.hpp"

namespace cg::statistics {

// 归集记录 for received, 隔离（<rule>） for quarantined:<rule>, …; an unknown
// figure as it is.
std::string figure_name_zh(const std::string& figure);

std::vector<documents::Sheet> statistics_sheets(const std::vector<store::StatisticsRow>& rows,
                                                const config::Config& cfg);

}  // namespace cg::statistics
