// credit-gateway report: the 双公示 report and the statistics as CSV, for the
// credit office's filing and spreadsheets; a 专用信用报告 as its PDF.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/config_file.hpp"
#include "common/clock.hpp"
#include "common/mask.hpp"
#include "credit_report/make_report.hpp"
#include "documents/xlsx_workbook.hpp"
#include "publicity/publicity_report.hpp"
#include "statistics/monthly_report.hpp"
#include "statistics/statistics_report.hpp"
#include "statistics/statistics_workbook.hpp"

namespace cg::cli {

namespace {

constexpr const char* kReportUsage =
    "usage: credit-gateway report shuanggongshi --config FILE [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
    "                                           [--department D] [--state S] [--out FILE]\n"
    "       credit-gateway report statistics --config FILE [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
    "                                        [--period day|month|quarter|year] [--by department,kind,destination]\n"
    "                                        [--figure F] [--out FILE.csv|FILE.xlsx]\n"
    "       credit-gateway report credit --config FILE --uscc CODE [--years 1|2|3] --purpose TEXT\n"
    "                                    [--name NAME] [--operator NAME] --out FILE.pdf\n"
    "       credit-gateway report monthly --config FILE --month YYYY-MM [--department D] --out FILE.pdf\n";

// A document's bytes (a PDF, a workbook) to FILE as they are; false, said,
// when they cannot be written.
bool write_bytes(const std::string& out, const std::string& bytes) {
  std::ofstream file(out, std::ios::binary | std::ios::trunc);
  if (file << bytes && file.flush()) return true;
  std::cerr << "cannot write " << out << "\n";
  return false;
}

// The text to FILE, or to stdout without one, personal ID numbers masked
// (a rejection's message quotes what the platform said).
int write_out(const std::string& out, const std::string& text, size_t rows) {
  if (out.empty()) {
    std::cout << mask_ids_in_text(text);
    return 0;
  }
  if (!write_bytes(out, mask_ids_in_text(text))) return 1;
  std::cerr << rows << " rows written to " << out << "\n";
  return 0;
}

// A 专用信用报告 made, kept and written as its PDF; its code and digest on stderr.
int credit_report_pdf(const Args& args, Opened& o) {
  const std::string out = args.get_or("out", "");
  if (out.empty()) {
    std::cerr << "report credit: --out FILE.pdf is required\n" << kReportUsage;
    return 2;
  }
  credit_report::ReportAsk ask;
  ask.uscc = args.get_or("uscc", "");
  ask.name = args.get_or("name", "");
  ask.purpose = args.get_or("purpose", "");
  const std::string years = args.get_or("years", "1");
  ask.years = years == "1" || years == "2" || years == "3" ? std::stoi(years) : 0;
  if (ask.years == 0 || ask.purpose.empty()) {
    std::cerr << "report credit: " << (ask.years ? "--purpose is required" : "--years must be 1, 2 or 3") << "\n";
    return 2;
  }
  auto days = calendar::WorkingDays::load_dir(o.cfg.calendar_dir);
  if (!days.ok()) {
    std::cerr << days.error().to_string() << "\n";
    return 1;
  }
  const char* user = std::getenv("USER");
  auto made = credit_report::make_credit_report(
      *o.store, *days, credit_report::report_settings(o.cfg, 0),
      {"operator", "operator:" + args.get_or("operator", user ? user : "cli")}, ask, std::chrono::system_clock::now());
  if (!made.ok()) {
    std::cerr << "report credit: " << mask_ids_in_text(made.error().to_string()) << "\n";
    return made.error().code == "bad_request" ? 2 : 1;
  }
  if (!write_bytes(out, made->pdf)) return 1;
  std::cerr << "report " << made->code << " (" << made->window_from << " to " << made->window_to << ", valid until "
            << made->expires_on << ") written to " << out << ", sha256 " << made->sha256 << "\n";
  return 0;
}

// The month's report for the office's files, as a PDF.
int monthly_report(const Args& args, Opened& o) {
  const std::string out = args.get_or("out", "");
  if (out.empty() || args.get_or("month", "").empty()) {
    std::cerr << "report monthly: --month YYYY-MM and --out FILE.pdf are required\n" << kReportUsage;
    return 2;
  }
  auto days = calendar::WorkingDays::load_dir(o.cfg.calendar_dir);
  if (!days.ok()) {
    std::cerr << days.error().to_string() << "\n";
    return 1;
  }
  auto pdf = statistics::monthly_report_pdf(*o.store, o.cfg, *days, args.get_or("month", ""),
                                            args.get_or("department", ""), std::chrono::system_clock::now());
  if (!pdf.ok()) {
    std::cerr << "report monthly: " << pdf.error().to_string() << "\n";
    return pdf.error().code == "bad_request" ? 2 : 1;
  }
  if (!write_bytes(out, *pdf)) return 1;
  std::cerr << "monthly report written to " << out << "\n";
  return 0;
}

}  // namespace

int cmd_report(const Argv& argv) {
  if (argv.empty() ||
      (argv[0] != "shuanggongshi" && argv[0] != "statistics" && argv[0] != "credit" && argv[0] != "monthly")) {
    std::cerr << kReportUsage;
    return 2;
  }
  Argv rest(argv.begin() + 1, argv.end());
  auto args = Args::parse(rest,
                          {"config", "from", "to", "department", "state", "out", "period", "by", "figure", "uscc",
                           "years", "purpose", "name", "operator", "month"},
                          {});
  if (!args.ok()) {
    std::cerr << args.error().message << "\n" << kReportUsage;
    return 2;
  }
  auto o = open_configured(*args);
  if (!o) return 2;
  if (argv[0] == "credit") return credit_report_pdf(*args, *o);
  if (argv[0] == "monthly") return monthly_report(*args, *o);
  if (argv[0] == "statistics") {
    auto q = statistics::parse_query(args->get_or("from", ""), args->get_or("to", ""), args->get_or("period", ""),
                                     args->get_or("by", ""), args->get_or("figure", ""));
    if (!q.ok()) {
      std::cerr << q.error().to_string() << "\n";
      return 2;
    }
    auto rows = statistics::run(*o->store, *q);
    if (!rows.ok()) {
      std::cerr << rows.error().to_string() << "\n";
      return 1;
    }
    const std::string out = args->get_or("out", "");
    if (out.size() > 5 && out.substr(out.size() - 5) == ".xlsx") {  // a workbook, one sheet a table
      auto book = documents::xlsx_workbook(statistics::statistics_sheets(*rows, o->cfg),
                                           std::filesystem::path(out).parent_path().empty()
                                               ? std::string(".")
                                               : std::filesystem::path(out).parent_path().string());
      if (!book.ok()) {
        std::cerr << book.error().to_string() << "\n";
        return 1;
      }
      if (!write_bytes(out, *book)) return 1;
      std::cerr << rows->size() << " rows written to " << out << "\n";
      return 0;
    }
    return write_out(out, statistics::to_csv(*rows), rows->size());
  }
  auto days = calendar::WorkingDays::load_dir(o->cfg.calendar_dir);
  if (!days.ok()) {
    std::cerr << days.error().to_string() << "\n";
    return 1;
  }
  publicity::ReportFilter f{args->get_or("department", ""), args->get_or("from", ""), args->get_or("to", ""),
                            args->get_or("state", "")};
  auto entries = publicity::report(*o->store, *days, f, date_cst(std::chrono::system_clock::now()));
  if (!entries.ok()) {
    std::cerr << entries.error().to_string() << "\n";
    return entries.error().code == "bad_request" ? 2 : 1;
  }
  std::string csv = publicity::csv_header();
  for (const auto& e : *entries) csv += publicity::to_csv_line(e);
  return write_out(args->get_or("out", ""), csv, entries->size());
}

}  // namespace cg::cli
