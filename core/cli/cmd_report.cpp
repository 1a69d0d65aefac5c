// credit-gateway report shuanggongshi: the 双公示 report as CSV, for the
// credit office's filing and spreadsheets.
#include <chrono>
#include <fstream>
#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/config_file.hpp"
#include "common/clock.hpp"
#include "publicity/publicity_report.hpp"

namespace cg::cli {

namespace {

constexpr const char* kReportUsage =
    "usage: credit-gateway report shuanggongshi --config FILE [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
    "                                           [--department D] [--state S] [--out FILE]\n";

}  // namespace

int cmd_report(const Argv& argv) {
  if (argv.empty() || argv[0] != "shuanggongshi") {
    std::cerr << kReportUsage;
    return 2;
  }
  Argv rest(argv.begin() + 1, argv.end());
  auto args = Args::parse(rest, {"config", "from", "to", "department", "state", "out"}, {});
  if (!args.ok()) {
    std::cerr << args.error().message << "\n" << kReportUsage;
    return 2;
  }
  auto o = open_configured(*args);
  if (!o) return 2;
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
  const std::string out = args->get_or("out", "");
  if (out.empty()) {
    std::cout << csv;
    return 0;
  }
  std::ofstream file(out, std::ios::binary | std::ios::trunc);
  if (!(file << csv) || !file.flush()) {
    std::cerr << "cannot write " << out << "\n";
    return 1;
  }
  std::cerr << entries->size() << " licences and penalties written to " << out << "\n";
  return 0;
}

}  // namespace cg::cli
