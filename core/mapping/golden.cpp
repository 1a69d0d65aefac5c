#include "mapping/golden.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "mapping/mapper.hpp"

namespace cg::mapping {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json strip_volatile(json r) {
  r.erase("updated_at");
  if (r.contains("source")) r["source"].erase("received_at");
  return r;
}

json quarantine_summary(const QuarantineEntry& q) {
  return {{"record_index", q.location.record_index}, {"rule", q.rule}, {"field", q.field}, {"record_id", q.record_id}};
}

std::vector<json> read_jsonl(const fs::path& p, std::string& error) {
  std::vector<json> out;
  std::ifstream in(p);
  if (!in) return out;
  std::string line;
  size_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      out.push_back(json::parse(line));
    } catch (const json::exception& e) {
      error = p.string() + ":" + std::to_string(n) + ": not JSON: " + e.what();
    }
  }
  return out;
}

void write_jsonl(const fs::path& p, const std::vector<json>& v) {
  std::ofstream out(p, std::ios::trunc);
  for (const auto& j : v) out << j.dump() << "\n";
}

std::string diff_lists(const char* what, const std::vector<json>& expected, const std::vector<json>& actual) {
  std::ostringstream d;
  size_t n = std::max(expected.size(), actual.size());
  for (size_t i = 0; i < n; ++i) {
    if (i >= expected.size()) {
      d << "  " << what << " #" << i << ": unexpected " << actual[i].dump() << "\n";
      continue;
    }
    if (i >= actual.size()) {
      d << "  " << what << " #" << i << ": missing, expected " << expected[i].dump() << "\n";
      continue;
    }
    if (expected[i] == actual[i]) continue;
    std::string id = expected[i].value("record_id", "");
    d << "  " << what << " #" << i << (id.empty() ? "" : " (" + id + ")") << ":\n";
    for (const auto& op : json::diff(expected[i], actual[i])) {
      std::string path = op.value("path", "");
      std::string kind = op.value("op", "");
      json exp = expected[i].contains(json::json_pointer(path)) ? expected[i].at(json::json_pointer(path)) : json();
      if (kind == "add")
        d << "    " << path << ": expected absent, got " << op["value"].dump() << "\n";
      else if (kind == "remove")
        d << "    " << path << ": expected " << exp.dump() << ", got absent\n";
      else
        d << "    " << path << ": expected " << exp.dump() << ", got " << op["value"].dump() << "\n";
    }
  }
  if (expected.size() != actual.size())
    d << "  " << what << ": expected " << expected.size() << ", got " << actual.size() << "\n";
  return d.str();
}

void run_case(const Mapper& mapper, const fs::path& dir, bool update, GoldenResult& r) {
  std::vector<fs::path> inputs;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().filename().string().rfind("input", 0) == 0) inputs.push_back(e.path());
  std::sort(inputs.begin(), inputs.end());
  if (inputs.empty()) {
    r.report = "  no input* file in " + dir.string() + "\n";
    return;
  }
  MapOptions opts;
  opts.received_at = kGoldenReceivedAt;
  std::vector<json> records, quarantine;
  std::ostringstream failures;
  for (const auto& in : inputs) {
    auto out = mapper.map_file(in.string(), opts);
    if (out.failure) {
      quarantine.push_back({{"file", in.filename().string()}, {"rule", out.failure->code}});
      continue;
    }
    for (const auto& rec : out.records) records.push_back(strip_volatile(to_json(rec)));
    for (const auto& q : out.quarantined) quarantine.push_back(quarantine_summary(q));
  }
  if (update) {
    write_jsonl(dir / "expected.jsonl", records);
    write_jsonl(dir / "quarantine.jsonl", quarantine);
    r.passed = true;
    r.report = "  updated\n";
    return;
  }
  std::string err;
  auto expected = read_jsonl(dir / "expected.jsonl", err);
  for (auto& e : expected) e = strip_volatile(e);
  auto expected_q = read_jsonl(dir / "quarantine.jsonl", err);
  if (!err.empty()) {
    r.report = "  " + err + "\n";
    return;
  }
  if (!fs::exists(dir / "expected.jsonl")) {
    r.report = "  no expected.jsonl (run with --update to create it from the current output)\n";
    return;
  }
  std::string d = diff_lists("record", expected, records) + diff_lists("quarantined", expected_q, quarantine);
  r.passed = d.empty();
  r.report = d;
}

void run_mapping(const fs::path& file, const std::string& tables, bool update, std::vector<GoldenResult>& out) {
  auto loaded = load_mapping(file.string(), tables);
  if (!loaded.spec) {
    GoldenResult r{file.string(), "", false, ""};
    for (const auto& p : loaded.problems) r.report += "  " + p.to_string() + "\n";
    out.push_back(r);
    return;
  }
  fs::path tests = file.parent_path() / (file.stem().string() + ".tests");
  if (!fs::is_directory(tests)) return;
  Mapper mapper(loaded.spec);
  std::vector<fs::path> cases;
  for (const auto& e : fs::directory_iterator(tests))
    if (e.is_directory()) cases.push_back(e.path());
  std::sort(cases.begin(), cases.end());
  for (const auto& c : cases) {
    GoldenResult r{file.string(), c.filename().string(), false, ""};
    run_case(mapper, c, update, r);
    out.push_back(std::move(r));
  }
}

}  // namespace

std::vector<GoldenResult> run_golden_tests(const std::string& dir, const std::string& tables, bool update) {
  std::vector<GoldenResult> out;
  fs::path root(dir);
  if (fs::is_regular_file(root)) {
    run_mapping(root, tables, update, out);
    return out;
  }
  if (!fs::is_directory(root)) {
    out.push_back({dir, "", false, "  no such file or folder\n"});
    return out;
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file() || e.path().extension() != ".json") continue;
    bool in_tests = false;
    for (const auto& part : e.path())
      if (part.string().size() > 6 && part.string().substr(part.string().size() - 6) == ".tests") in_tests = true;
    std::string fname = e.path().filename().string();
    bool outbound = fname.size() > 9 && fname.substr(fname.size() - 9) == ".out.json";
    if (!in_tests && !outbound) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) run_mapping(f, tables, update, out);
  return out;
}

}  // namespace cg::mapping
