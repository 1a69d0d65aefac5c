// Credit checks at scale (信用核查): a store of many records (realistic kinds
// and statuses, subjects that repeat, companies with legal representatives),
// then over keep-alive HTTP to the department API:
//   floor   the store's own lookup of one subject by its index (of_subject)
//   single  one subject a call: p50, p99
//   batch   1,000 subjects a call
//   mixed   500 checks/s paced for --seconds while another connection ingests
//           5,000 records/s, against that ingest alone
// Figures go to docs/performance.md.
//
//   build/bench/check_bench --dir /var/tmp/cg-checks --records 10000000 [--cache cold|warm]
// The store is kept in --dir and reused when it holds the records asked for.
// --cache warm reads the store's file once before measuring (a gateway that
// has run a while, on a machine whose memory holds the store); cold asks the
// kernel to drop its page cache first (root only); default: as it is.
// --part single|batch|mixed|reports measures only that (after the floor);
// reports is not part of a run without --part. --ledger
// normal: the department API's store.checks_synchronous (what the checks'
// own flushes cost the ingest beside them).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <credit_gateway/support/http_client.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "credit_report/make_report.hpp"
#include "department_api/department_server.hpp"
#include "record/record.hpp"
#include "statistics/statistics_report.hpp"
#include "store/sqlite/db.hpp"
#include "store/sqlite/wal_checkpointer.hpp"
#include "store/store.hpp"

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr const char* kToken = "bench-procurement-token-0123456789";

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// A valid USCC (GB 32100, embedding a valid GB 11714 organisation code) for `n`.
std::string uscc(uint64_t n) {
  static const std::string kChars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  std::string org = std::to_string(10000000 + n % 90000000);
  static const int kOrgWeights[8] = {3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 8; ++i) sum += (org[static_cast<size_t>(i)] - '0') * kOrgWeights[i];
  const int oc = 11 - sum % 11;
  org += oc == 10 ? 'X' : oc == 11 ? '0' : static_cast<char>('0' + oc);
  std::string u = "91510802" + org;
  sum = 0;
  int w = 1;
  for (char c : u) {
    sum += static_cast<int>(kChars.find(c)) * w;
    w = w * 3 % 31;
  }
  const int cc = 31 - sum % 31;
  return u + kChars[static_cast<size_t>(cc == 31 ? 0 : cc)];
}

// A valid resident ID number (GB 11643) for `n`.
std::string resident_id(uint64_t n) {
  static const int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  char body[18];
  std::snprintf(body, sizeof body, "510802%04u%02u%02u%03u", static_cast<unsigned>(1950 + n % 50),
                static_cast<unsigned>(1 + n / 50 % 12), static_cast<unsigned>(1 + n / 600 % 28),
                static_cast<unsigned>(n / 16800 % 1000));
  std::string id(body, 17);
  int sum = 0;
  for (int k = 0; k < 17; ++k) sum += (id[static_cast<size_t>(k)] - '0') * kWeights[k];
  return id + "10X98765432"[sum % 11];
}

// The population: `companies` companies (some with many records, most with
// few), a tenth as many people, each company's legal representative one of
// them.
struct Population {
  uint64_t companies = 0, people = 0;
  [[nodiscard]] std::string company(uint64_t i) const { return uscc(i); }
  [[nodiscard]] std::string person(uint64_t i) const { return resident_id(i); }
  [[nodiscard]] uint64_t representative_of(uint64_t company) const { return company * 7919 % people; }
};

cg::Record make_record(const Population& pop, uint64_t n, std::mt19937_64& rng) {
  static const std::vector<std::pair<const char*, const char*>> kKinds = {{"admin_penalty", "market_regulation"},
                                                                          {"admin_penalty", "tax"},
                                                                          {"admin_license", "market_regulation"},
                                                                          {"admin_license", "approval"},
                                                                          {"dishonest_debtor", "court"},
                                                                          {"abnormal_operation", "market_regulation"},
                                                                          {"serious_dishonesty", "market_regulation"},
                                                                          {"red_list", "approval"},
                                                                          {"credit_commitment", "approval"}};
  static const int kKindWeights[] = {25, 10, 25, 10, 10, 8, 4, 4, 4};
  static const char* kStatuses[] = {"active", "active", "active",    "active",   "active",  "active", "active",
                                    "active", "active", "active",    "active",   "active",  "active", "active",
                                    "active", "active", "suspended", "repaired", "revoked", "expired"};
  int pick = static_cast<int>(rng() % 100);
  size_t k = 0;
  while (pick >= kKindWeights[k]) pick -= kKindWeights[k++];
  cg::Record r;
  r.kind = kKinds[k].first;
  r.source.department = kKinds[k].second;
  r.source.source_key = "bench-" + std::to_string(n);
  r.record_id = cg::compute_record_id(r.source.department, r.kind, r.source.source_key);
  r.version = 1;
  r.status = kStatuses[rng() % 20];
  // Subjects repeat: a square law puts most records on a few companies.
  const double u = static_cast<double>(rng() % 1000000) / 1000000.0;
  if (rng() % 10 == 0 && r.kind != "abnormal_operation" && r.kind != "serious_dishonesty") {
    const uint64_t p = static_cast<uint64_t>(u * u * static_cast<double>(pop.people));
    r.subject.type = "natural_person";
    r.subject.name = "自然人" + std::to_string(p);
    r.subject.id_type = "resident_id";
    r.subject.id_number = pop.person(p);
  } else {
    const uint64_t c = static_cast<uint64_t>(u * u * static_cast<double>(pop.companies));
    r.subject.type = "legal_person";
    r.subject.name = "广元市某某" + std::to_string(c) + "有限公司";
    r.subject.uscc = pop.company(c);
    r.subject.legal_representative =
        cg::Person{"法人" + std::to_string(c), "resident_id", pop.person(pop.representative_of(c))};
  }
  char day[11];
  std::snprintf(day, sizeof day, "20%02u-%02u-%02u", static_cast<unsigned>(20 + rng() % 7),
                static_cast<unsigned>(1 + rng() % 12), static_cast<unsigned>(1 + rng() % 28));
  r.decision.decided_on = day;
  r.decision.document_number = "广市监罚〔2026〕" + std::to_string(n) + "号";
  r.decision.authority = cg::Authority{"广元市市场监督管理局", std::nullopt};
  if (rng() % 2) r.decision.valid_until = "2029-12-31";
  r.detail.facts = "违法事实：未按规定公示年度报告，经责令限期改正逾期未改正。";
  return r;
}

cg::store::IngestBatch batch_of(std::vector<cg::Record> records) {
  cg::store::IngestBatch b;
  b.actor = "bench";
  b.source = "bench";
  b.records = std::move(records);
  return b;
}

struct Percentiles {
  double p50 = 0, p99 = 0, max = 0;
  size_t n = 0;
};

Percentiles percentiles(std::vector<double> v) {
  Percentiles p;
  if (v.empty()) return p;
  std::sort(v.begin(), v.end());
  p.n = v.size();
  p.p50 = v[v.size() / 2];
  p.p99 = v[std::min(v.size() - 1, v.size() * 99 / 100)];
  p.max = v.back();
  return p;
}

void print(const std::string& what, const Percentiles& p) {
  std::printf("%-40s n=%-7zu p50=%8.3f ms  p99=%8.3f ms  max=%8.3f ms\n", what.c_str(), p.n, p.p50, p.p99, p.max);
}

// Ingests `per_second` records a second in tenths for `seconds`; the commit
// times of its batches.
std::vector<double> ingest_paced(cg::store::Store& st, std::mutex& between_writes, const Population& pop,
                                 uint64_t& next, int per_second, int seconds, std::atomic<bool>& failed) {
  std::mt19937_64 rng(next);
  std::vector<double> commits;
  auto tick = Clock::now();
  for (int i = 0; i < seconds * 10; ++i) {
    std::vector<cg::Record> recs;
    for (int k = 0; k < per_second / 10; ++k) recs.push_back(make_record(pop, next++, rng));
    const auto t = Clock::now();
    {
      std::lock_guard<std::mutex> lock(between_writes);
      if (!st.records().ingest(batch_of(std::move(recs))).ok()) failed = true;
    }
    commits.push_back(ms_since(t));
    tick += std::chrono::milliseconds(100);
    std::this_thread::sleep_until(tick);
  }
  return commits;
}

// Reads the file once, so that its pages are in the kernel's cache.
void read_through(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  std::vector<char> buf(1 << 20);
  while (::read(fd, buf.data(), buf.size()) > 0) {
  }
  ::close(fd);
}

// The share of a check's subjects that were hits, and its answer's size.
struct AnswerShape {
  size_t subjects = 0, hits = 0, bytes = 0;
  // The records listed as hits in the answer.
  size_t add(const std::string& body) {
    bytes += body.size();
    const json j = json::parse(body, nullptr, false);
    if (!j.is_object() || !j.contains("results")) return 0;
    size_t records = 0;
    for (const auto& r : j["results"]) {
      ++subjects;
      hits += r.value("verdict", "") == "restricted" || r.value("verdict", "") == "incentive";
      if (r.contains("hits")) records += r["hits"].size();
    }
    return records;
  }
  void print(const std::string& what, size_t calls) const {
    std::printf("%-40s %zu of %zu subjects hit (%.0f %%), %.0f bytes an answer\n", what.c_str(), hits, subjects,
                subjects ? 100.0 * static_cast<double>(hits) / static_cast<double>(subjects) : 0.0,
                calls ? static_cast<double>(bytes) / static_cast<double>(calls) : 0.0);
  }
};

}  // namespace

// What the credit office asks of a province's store: a year of statistics
// by department and month (over a year of daily figures, 2025, as a
// region's gateway counts them: 8 departments, 9 kinds, 8 figures), and a
// 专用信用报告 of a company with about 200 records.
bool reports(cg::store::Store& st, const std::string& db_path, const Population& pop) {
  {
    auto db = cg::sqlite::Db::open(db_path);
    if (!db.ok()) return false;
    const auto t = Clock::now();
    auto s = db->exec(R"SQL(
INSERT OR IGNORE INTO stats_daily(day, figure, department, kind, destination, n)
WITH RECURSIVE d(day) AS (SELECT '2025-01-01' UNION ALL SELECT date(day, '+1 day') FROM d WHERE day < '2025-12-31'),
f(figure, destination) AS (VALUES ('received', ''), ('created', ''), ('changed', ''), ('quarantined:date_format', ''),
                                  ('accepted', 'provincial'), ('accepted', 'city'), ('rejected', 'provincial'),
                                  ('rejected', 'city')),
p(department) AS (VALUES ('court'), ('tax'), ('market_regulation'), ('procurement'), ('approval'), ('finance'),
                         ('housing'), ('transport')),
k(kind) AS (VALUES ('admin_license'), ('admin_penalty'), ('dishonest_debtor'), ('major_tax_violation'),
                   ('abnormal_operation'), ('serious_dishonesty'), ('procurement_violation'), ('red_list'),
                   ('credit_commitment'))
SELECT d.day, f.figure, p.department, k.kind, f.destination, 1 + abs(random()) % 500 FROM d, f, p, k)SQL");
    if (!s) {
      std::cerr << s.error().to_string() << "\n";
      return false;
    }
    std::printf("statistics: a year of daily figures in place (%.1f s)\n", ms_since(t) / 1000);
  }
  std::vector<double> year;
  for (int i = 0; i < 7; ++i) {
    auto q = cg::statistics::parse_query("2025-01-01", "2025-12-31", "month", "department", "");
    if (!q.ok()) return false;
    const auto t = Clock::now();
    auto rows = cg::statistics::run(st, *q);
    year.push_back(ms_since(t));
    if (!rows.ok()) {
      std::cerr << rows.error().to_string() << "\n";
      return false;
    }
    if (i == 0) std::printf("statistics: 2025 by department and month, %zu rows\n", rows->size());
  }
  print("statistics: a year by department and month", percentiles(year));

  // A company with about 200 records (of any status), by the square law's index.
  std::string company;
  size_t held = 0;
  for (uint64_t i = 0; i < pop.companies && company.empty(); i += 1 + i / 50) {
    auto rows = st.records().of_subject(pop.company(i), "", 100000);
    if (rows.ok() && rows->size() >= 190 && rows->size() <= 230) {
      company = pop.company(i);
      held = rows->size();
    }
  }
  if (company.empty()) {
    std::cerr << "no company with about 200 records\n";
    return false;
  }
  auto days = cg::calendar::WorkingDays::load_dir(std::string(CG_SOURCE_DIR) + "/config/calendar");
  if (!days.ok()) return false;
  cg::credit_report::ReportSettings settings;
  for (const char* d : {"court", "tax", "market_regulation", "procurement", "approval", "finance"})
    settings.domains.push_back({d, d});
  settings.issuer = "bench";
  settings.verify_base = "http://127.0.0.1/verify/";
  std::vector<double> made;
  size_t listed = 0, bytes = 0;
  for (int i = 0; i < 7; ++i) {
    const auto t = Clock::now();
    auto r = cg::credit_report::make_credit_report(st, *days, settings, {"operator", "operator:bench"},
                                                   {company, "", "bench", 3}, std::chrono::system_clock::now());
    made.push_back(ms_since(t));
    if (!r.ok()) {
      std::cerr << r.error().to_string() << "\n";
      return false;
    }
    listed = 0;
    const json content = json::parse(r->content);
    for (const auto& d : content["domains"]) listed += d["adverse"].size() + d["other"].size();
    bytes = r->pdf.size();
  }
  std::printf("credit report: a company with %zu records, %zu listed (3 years), a %zu-byte PDF\n", held, listed, bytes);
  print("credit report: made, kept (PDF included)", percentiles(made));
  return true;
}

int main(int argc, char** argv) {
  std::string dir = "/var/tmp/cg-check-bench";
  uint64_t records = 10'000'000;
  int seconds = 60;
  std::string cache;
  std::string part = "all";
  std::string ledger_sync = "full";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--dir") dir = argv[i + 1];
    if (a == "--cache") cache = argv[i + 1];
    if (a == "--records") records = std::stoull(argv[i + 1]);
    if (a == "--seconds") seconds = std::stoi(argv[i + 1]);
    if (a == "--part") part = argv[i + 1];
    if (a == "--ledger") ledger_sync = argv[i + 1];
  }
  std::filesystem::create_directories(dir + "/run");
  const Population pop{std::max<uint64_t>(records / 4, 10), std::max<uint64_t>(records / 40, 10)};
  const std::string db = dir + "/gateway.db";
  uint64_t next = 0;
  {
    cg::store::StoreOptions load;
    load.synchronous = "normal";
    load.cache_kib = 262144;
    auto st = cg::store::open_sqlite_store(db, load);
    if (!st.ok()) {
      std::cerr << st.error().to_string() << "\n";
      return 1;
    }
    auto held = (*st)->records().count();
    next = held.ok() ? static_cast<uint64_t>(*held) : 0;
    const auto t = Clock::now();
    std::mt19937_64 rng(next + 1);
    while (next < records) {
      std::vector<cg::Record> recs;
      for (int k = 0; k < 20000 && next < records; ++k) recs.push_back(make_record(pop, next++, rng));
      if (auto s = (*st)->records().ingest(batch_of(std::move(recs))); !s.ok()) {
        std::cerr << s.error().to_string() << "\n";
        return 1;
      }
      if (next % 1'000'000 == 0) std::fprintf(stderr, "loaded %llu\n", static_cast<unsigned long long>(next));
    }
    std::printf("store: %llu records (%.0f s to load what was missing), %s\n", static_cast<unsigned long long>(next),
                ms_since(t) / 1000, db.c_str());
  }

  if (cache == "cold") {
    ::sync();
    if (!(std::ofstream("/proc/sys/vm/drop_caches") << "3\n"))
      std::fprintf(stderr, "cannot drop the page cache (root only): measuring it as it is\n");
  } else if (cache == "warm") {
    const auto t = Clock::now();
    read_through(db);
    read_through(cg::store::checks_ledger_path(db));
    std::printf("page cache: the store read once (%.0f s)\n", ms_since(t) / 1000);
  }
  std::printf("page cache: %s\n", cache.empty() ? "as it was" : cache.c_str());

  // The floor: the store's own lookup of one subject by its index.
  auto reader = cg::store::open_sqlite_store(db);
  if (!reader.ok()) return 1;
  std::mt19937_64 rng(42);
  auto random_company = [&] {
    const double u = static_cast<double>(rng() % 1000000) / 1000000.0;
    return pop.company(static_cast<uint64_t>(u * u * static_cast<double>(pop.companies)));
  };
  std::vector<double> floor;
  for (int i = 0; i < 5000; ++i) {
    const std::string u = random_company();
    const auto t = Clock::now();
    auto rows = (*reader)->records().of_subject(u, "");
    floor.push_back(ms_since(t));
    if (!rows.ok()) return 1;
  }
  print("floor: of_subject (store, one subject)", percentiles(floor));

  if (part == "reports") return reports(**reader, db, pop) ? 0 : 1;

  cg::config::Config cfg;
  cfg.data_dir = dir;
  cfg.store.path = db;
  cfg.catalog_file = std::string(CG_SOURCE_DIR) + "/config/catalog.json";
  cfg.departments = {{"finance", "财政局"}, {"approval", "行政审批局"}};  // as the shipped config declares
  cfg.department_api_listen = "127.0.0.1:0";
  cfg.department_api_tokens_file = dir + "/department.tokens";
  {
    std::ofstream(cfg.department_api_tokens_file) << "procurement bench " << kToken << "\n";
    std::filesystem::permissions(cfg.department_api_tokens_file,
                                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  }
  cg::store::StoreOptions api_opts;
  api_opts.checks_synchronous = ledger_sync;
  cg::department_api::DepartmentServer server(cfg,
                                              [db, api_opts] { return cg::store::open_sqlite_store(db, api_opts); });
  if (auto s = server.start(); !s) {
    std::cerr << s.error().to_string() << "\n";
    return 1;
  }
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/api/v1/checks";
  const std::vector<std::pair<std::string, std::string>> headers = {{"Authorization", std::string("Bearer ") + kToken},
                                                                    {"Content-Type", "application/json"}};
  auto body_of = [&](size_t n) {
    json subjects = json::array();
    for (size_t i = 0; i < n; ++i) {
      if (rng() % 5 == 0)
        subjects.push_back({{"id_type", "resident_id"}, {"id_number", pop.person(rng() % pop.people)}});
      else
        subjects.push_back({{"uscc", random_company()}});
    }
    return json{{"scenario", "procurement_bid"}, {"purpose", "bench"}, {"on", "2026-12-15"}, {"subjects", subjects}}
        .dump();
  };
  cg::sdk::HttpClient http;
  size_t last_hit_records = 0;
  auto timed_check = [&](cg::sdk::HttpClient& client, const std::string& body, AnswerShape* shape = nullptr) {
    const auto t = Clock::now();
    auto r = client.request("POST", url, body, headers);
    const double ms = ms_since(t);
    if (r.status != 200) {
      std::cerr << "check answered " << r.status << ": " << r.body.substr(0, 200) << "\n";
      std::exit(1);
    }
    last_hit_records = shape ? shape->add(r.body) : 0;
    return ms;
  };

  std::vector<double> single;
  AnswerShape single_shape, batch_shape;
  for (int i = 0; i < 200; ++i) timed_check(http, body_of(1));  // warm
  const bool all = part == "all";
  if (all || part == "single") {
    // By the records the answer lists: what a subject's many records cost.
    std::vector<double> by_records[3];
    for (int i = 0; i < 5000; ++i) {
      single.push_back(timed_check(http, body_of(1), &single_shape));
      by_records[last_hit_records == 0 ? 0 : last_hit_records <= 10 ? 1 : 2].push_back(single.back());
    }
    print("single: 1 subject a call (HTTP)", percentiles(single));
    print("single: no record listed", percentiles(by_records[0]));
    print("single: 1-10 records listed", percentiles(by_records[1]));
    print("single: more than 10 records listed", percentiles(by_records[2]));
    single_shape.print("single: answers", single.size());
  }

  if (all || part == "batch") {
    std::vector<double> batches;
    for (int i = 0; i < 30; ++i) batches.push_back(timed_check(http, body_of(1000), &batch_shape));
    print("batch: 1,000 subjects a call (HTTP)", percentiles(batches));
    batch_shape.print("batch: answers", batches.size());
  }
  if (!all && part != "mixed") {
    server.stop();
    return 0;
  }

  // Ingest alone, then beside 500 checks/s, on a connection set as the
  // gateway's writer is: its page cache, WAL checkpoints on a thread of
  // their own between its transactions.
  cg::store::StoreOptions write_opts;
  write_opts.cache_kib = cg::config::StoreConfig{}.cache_mb * 1024;
  write_opts.background_checkpoint = true;
  auto writer = cg::store::open_sqlite_store(db, write_opts);
  if (!writer.ok()) return 1;
  std::mutex between_writes;
  auto checkpointer =
      cg::store::WalCheckpointer::start(db, std::chrono::milliseconds(200), cg::store::WalCheckpointer::kRestartFrames,
                                        [&](const std::function<void()>& fn) {
                                          std::lock_guard<std::mutex> lock(between_writes);
                                          fn();
                                        });
  if (!checkpointer.ok()) return 1;
  std::atomic<bool> failed{false};
  const auto alone = percentiles(ingest_paced(**writer, between_writes, pop, next, 5000, seconds, failed));
  print("ingest alone: 500 records each 100 ms", alone);
  std::vector<double> mixed;
  std::vector<double> beside;
  std::thread ingest([&] { beside = ingest_paced(**writer, between_writes, pop, next, 5000, seconds, failed); });
  {
    cg::sdk::HttpClient client;
    auto tick = Clock::now();
    for (int i = 0; i < seconds * 500; ++i) {
      mixed.push_back(timed_check(client, body_of(1)));
      tick += std::chrono::microseconds(2000);
      std::this_thread::sleep_until(tick);
    }
  }
  ingest.join();
  print("mixed: 500 checks/s beside ingest (HTTP)", percentiles(mixed));
  const auto with = percentiles(beside);
  print("ingest beside 500 checks/s", with);
  std::printf("ingest slowdown (p50 commit): %+.1f %%\n", alone.p50 > 0 ? (with.p50 / alone.p50 - 1) * 100 : 0.0);
  server.stop();
  return failed ? 1 : 0;
}
