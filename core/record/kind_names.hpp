// The Chinese names of record kinds and statuses (canonical-record.md), as
// reports and workbooks print them.
#pragma once

#include <string>

namespace cg {

// 行政处罚 for admin_penalty; an unknown kind as it is.
std::string kind_name_zh(const std::string& kind);
// 有效 for active, 异议处理中, 已修复, 已撤销, 已到期; an unknown status as it is.
std::string status_name_zh(const std::string& status);

}  // namespace cg
