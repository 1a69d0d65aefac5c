// A 专用信用报告 as the A4 PDF an accepting unit receives: the subject, the
// window, when it was made and until when it is valid, the 核验码 with its
// QR code (the verification URL) on the first page, then each domain.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/result.hpp"

namespace cg::credit_report {

struct PdfHeader {
  std::string code, made_at, expires_on, issuer, verify_url;  // verify_url: the code's whole URL
};

Result<std::string> report_pdf(const nlohmann::json& content, const PdfHeader& header);

}  // namespace cg::credit_report
