#include "record/kind_names.hpp"

#include <map>

namespace cg {

namespace {

std::string name_of(const std::map<std::string, std::string>& names, const std::string& key) {
  auto it = names.find(key);
  return it == names.end() ? key : it->second;
}

}  // namespace

std::string kind_name_zh(const std::string& kind) {
  static const std::map<std::string, std::string> kNames = {{"admin_license", "行政许可"},
                                                            {"admin_penalty", "行政处罚"},
                                                            {"dishonest_debtor", "失信被执行人"},
                                                            {"major_tax_violation", "重大税收违法失信主体"},
                                                            {"abnormal_operation", "经营异常名录"},
                                                            {"serious_dishonesty", "严重违法失信名单"},
                                                            {"procurement_violation", "政府采购严重违法失信行为记录"},
                                                            {"red_list", "守信激励对象（红名单）"},
                                                            {"credit_commitment", "信用承诺"}};
  return name_of(kNames, kind);
}

std::string status_name_zh(const std::string& status) {
  static const std::map<std::string, std::string> kNames = {{"active", "有效"},
                                                            {"suspended", "异议处理中"},
                                                            {"repaired", "已修复"},
                                                            {"revoked", "已撤销"},
                                                            {"expired", "已到期"}};
  return name_of(kNames, status);
}

}  // namespace cg
