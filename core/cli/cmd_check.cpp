// credit-gateway check: a credit check (信用核查) from the command line, for
// admins and scripts: one subject, or a list (CSV or JSON Lines) answered one
// line per subject. Kept like a department's, as the operator's.
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "catalog/catalog_history.hpp"
#include "checks/run_check.hpp"
#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/config_file.hpp"
#include "common/clock.hpp"
#include "common/mask.hpp"
#include "common/text.hpp"

namespace cg::cli {

using nlohmann::json;

namespace {

constexpr const char* kCheckUsage =
    "usage: credit-gateway check --config FILE --scenario S (--uscc CODE | --id-number N [--id-type T] | --input "
    "FILE)\n"
    "                            [--on YYYY-MM-DD] [--purpose TEXT] [--case-ref REF] [--operator NAME]\n";

// The fields of one CSV line (RFC 4180: quoted fields, "" for a quote).
std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back().push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back().push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else if (c != '\r') {
      out.back().push_back(c);
    }
  }
  for (auto& f : out) text::trim_in_place(f);
  return out;
}

// A subject of the input as the API's JSON object, or why the line is not one.
struct InputLine {
  size_t line = 0;
  json subject;
  std::string error;
};

// CSV with a header naming its columns (uscc, id_type, id_number, name), or
// JSON Lines of subjects as the API takes them (a file ending .jsonl/.json).
std::optional<std::vector<InputLine>> read_input(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  const bool jsonl = path.ends_with(".jsonl") || path.ends_with(".json");
  std::vector<InputLine> out;
  std::vector<std::string> header;
  std::string line;
  size_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (n == 1 && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
    if (text::trim_view(line).empty()) continue;
    InputLine x{n, json::object(), ""};
    if (jsonl) {
      x.subject = json::parse(line, nullptr, false);
      if (x.subject.is_discarded() || !x.subject.is_object()) x.error = "not a JSON object";
    } else if (header.empty()) {
      header = csv_fields(line);
      for (const auto& h : header)
        if (h != "uscc" && h != "id_type" && h != "id_number" && h != "name") {
          std::cerr << path << ":" << n << ": unknown column '" << h
                    << "' (the header names uscc, id_type, id_number, name)\n";
          return std::vector<InputLine>{};
        }
      continue;
    } else {
      const auto fields = csv_fields(line);
      if (fields.size() != header.size()) x.error = "not as many fields as the header has";
      for (size_t i = 0; i < fields.size() && i < header.size(); ++i)
        if (!fields[i].empty()) x.subject[header[i]] = fields[i];
      if (x.subject.contains("id_number") && !x.subject.contains("id_type")) x.subject["id_type"] = "resident_id";
    }
    out.push_back(std::move(x));
  }
  return out;
}

}  // namespace

int cmd_check(const Argv& argv) {
  auto args = Args::parse(
      argv, {"config", "scenario", "uscc", "id-number", "id-type", "input", "on", "purpose", "case-ref", "operator"},
      {});
  if (!args.ok()) {
    std::cerr << args.error().message << "\n" << kCheckUsage;
    return 2;
  }
  const int given = args->get("uscc").has_value() + args->get("id-number").has_value() + args->get("input").has_value();
  if (!args->get("scenario") || given != 1) {
    std::cerr << "--scenario and one of --uscc, --id-number, --input are required\n" << kCheckUsage;
    return 2;
  }
  std::vector<InputLine> lines;
  if (auto path = args->get("input")) {
    auto read = read_input(*path);
    if (!read) {
      std::cerr << "check: cannot read " << *path << "\n";
      return 2;
    }
    if (read->empty()) {
      std::cerr << "check: " << *path << " holds no subject\n";
      return 2;
    }
    lines = std::move(*read);
  } else if (auto uscc = args->get("uscc")) {
    lines.push_back({0, {{"uscc", *uscc}}, ""});
  } else {
    lines.push_back(
        {0, {{"id_type", args->get_or("id-type", "resident_id")}, {"id_number", *args->get("id-number")}}, ""});
  }
  auto o = open_configured(*args);
  if (!o) return 2;
  auto catalogs = catalog::load_catalog_history(o->cfg.catalog_file, o->cfg.department_ids(), o->store->catalogs());
  if (!catalogs.ok()) {
    std::cerr << "check: " << catalogs.error().to_string() << "\n";
    return 2;
  }
  const char* user = std::getenv("USER");
  const checks::CheckCall call{"operator", "operator:" + args->get_or("operator", user ? user : "cli")};
  const std::string today = date_cst(std::chrono::system_clock::now());
  int failed = 0;
  // One stored check per 1,000 subjects, as the API takes them.
  for (size_t start = 0; start < lines.size(); start += checks::kMaxSubjects) {
    const size_t end = std::min(lines.size(), start + checks::kMaxSubjects);
    json body = {{"scenario", *args->get("scenario")},
                 {"purpose", args->get_or("purpose", "credit-gateway check")},
                 {"on", args->get_or("on", today)},
                 {"subjects", json::array()}};
    if (auto ref = args->get("case-ref")) body["case_ref"] = *ref;
    std::vector<size_t> asked;  // the lines in this check
    for (size_t i = start; i < end; ++i) {
      if (!lines[i].error.empty()) continue;
      // Each subject alone first, so that one bad line is named and the rest checked.
      json one = body;
      one["subjects"].push_back(lines[i].subject);
      if (auto p = checks::parse_check_request(one.dump(), today); !p.ok()) {
        lines[i].error = p.error().message;
        if (p.error().where.rfind("subjects/0", 0) != 0) {  // the request itself: every line fails alike
          std::cerr << "check: " << mask_ids_in_text(p.error().to_string()) << "\n";
          return 2;
        }
        continue;
      }
      body["subjects"].push_back(lines[i].subject);
      asked.push_back(i);
    }
    for (size_t i = start; i < end; ++i)
      if (!lines[i].error.empty()) {
        ++failed;
        json e = {{"error", lines[i].error}};
        if (lines[i].line) e["line"] = lines[i].line;
        std::cout << mask_ids_in_text(e.dump()) << "\n";
      }
    if (asked.empty()) continue;
    auto request = checks::parse_check_request(body.dump(), today);
    if (!request.ok()) {
      std::cerr << "check: " << mask_ids_in_text(request.error().to_string()) << "\n";
      return 2;
    }
    auto answer = checks::run_check(*o->store, *catalogs, call, *request);
    if (!answer.ok()) {
      std::cerr << "check: " << mask_ids_in_text(answer.error().to_string()) << "\n";
      return answer.error().code == "bad_request" ? 2 : 1;
    }
    const auto& results = answer->results;
    for (size_t k = 0; k < results.size(); ++k) {
      json line = json::parse(results[k]);
      line["check_id"] = answer->check_id;
      line["catalog"] = answer->catalog;
      if (lines[asked[k]].line) line["line"] = lines[asked[k]].line;
      std::cout << line.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
    }
    std::cerr << "check: " << answer->check_id << " kept (" << results.size() << " subject(s), catalog "
              << answer->catalog << ")\n";
  }
  return failed ? 1 : 0;
}

}  // namespace cg::cli
