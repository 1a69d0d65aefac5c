// Micro-benchmarks (Google Benchmark): validators, mapping of each department
// format, store batch commits, request signing; and the floor of this
// machine for the same work: parse-only speed of the parsers used, SQLite's
// batched insert rate for the store's write pattern, loopback HTTP.
//
//   build-release/bench/micro_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>
#include <simdjson.h>
#include <sqlite3.h>

#include <credit_gateway/support/http_client.hpp>
#include <credit_gateway/support/http_server.hpp>
#include <credit_gateway/support/signing.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "mapping/encoding.hpp"
#include "mapping/mapper.hpp"
#include "record/codes.hpp"
#include "record/validator.hpp"
#include "store/batch_texts.hpp"
#include "store/sqlite/wal_checkpointer.hpp"
#include "store/sqlite/wal_write_gather.hpp"
#include "store/store.hpp"

namespace {

std::string src(const std::string& rel) {
  return std::string(CG_SOURCE_DIR) + "/" + rel;
}
std::string read(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A document of `copies` times the sample's records, each with its own key.
std::string replicate_xml(const std::string& utf8_doc, const std::string& open_tag, const std::string& close_root,
                          int copies) {
  auto first = utf8_doc.find(open_tag);
  auto end = utf8_doc.rfind(close_root);
  std::string head = utf8_doc.substr(0, first), body = utf8_doc.substr(first, end - first);
  std::string out = head;
  for (int i = 0; i < copies; ++i) {
    std::string b = body;
    for (size_t p = b.find("号<"); p != std::string::npos; p = b.find("号<", p + 10))
      b.insert(p, "-" + std::to_string(i));
    out += b;
  }
  return out + close_root + "\n";
}

struct Feeds {
  std::string court_utf8, court_gb, mr, tax, procurement;
  size_t court_n = 0, mr_n = 0, tax_n = 0, proc_n = 0;
  Feeds() {
    auto gb = read(src("tests/fixtures/feeds/court/sxbzxr-1.xml"));
    auto utf8 = cg::mapping::to_utf8(gb, "gb18030").value();
    court_utf8 = replicate_xml(utf8, "<SXBZXR>", "</SXBZXR_FEED>", 100);
    court_gb = cg::mapping::from_utf8(court_utf8, "gb18030").value();
    court_n = 12 * 100;
    mr = replicate_xml(read(src("tests/fixtures/feeds/market_regulation/sgs-1.xml")), "<XZCF>", "</SGS_DATA>", 100);
    mr_n = 16 * 100;
    auto page = nlohmann::json::parse(read(src("tests/fixtures/feeds/tax/page-1.json")));
    auto rows = page["data"]["rows"];
    page["data"]["rows"] = nlohmann::json::array();
    for (int i = 0; i < 200; ++i)
      for (auto r : rows) {
        r["ajbh"] = r["ajbh"].get<std::string>() + "-" + std::to_string(i);
        page["data"]["rows"].push_back(r);
      }
    tax = page.dump();
    tax_n = page["data"]["rows"].size();
    auto arr = nlohmann::json::parse(read(src("tests/fixtures/feeds/procurement/cgsx-1.json")));
    nlohmann::json many = nlohmann::json::array();
    for (int i = 0; i < 100; ++i)
      for (auto r : arr) {
        r["cfrq"] = "2024/1/" + std::to_string(1 + i % 28);
        many.push_back(r);
      }
    procurement = many.dump();
    proc_n = many.size();
  }
};
const Feeds& feeds() {
  static Feeds f;
  return f;
}

std::shared_ptr<const cg::mapping::MappingSpec> mapping(const std::string& m) {
  return cg::mapping::load_mapping(src("mappings/" + m), src("config/code-tables")).spec;
}

void map_bench(benchmark::State& st, const std::string& m, const std::string& doc, size_t n) {
  cg::mapping::Mapper mapper(mapping(m));
  cg::mapping::MapOptions o;
  o.received_at = "2024-01-01T00:00:00+08:00";
  for (auto _ : st) benchmark::DoNotOptimize(mapper.map_bytes(doc, "bench", o));
  st.counters["records/s"] = benchmark::Counter(static_cast<double>(n * st.iterations()), benchmark::Counter::kIsRate);
  st.SetBytesProcessed(static_cast<int64_t>(doc.size() * st.iterations()));
}

}  // namespace

static void BM_UsccCheck(benchmark::State& st) {
  for (auto _ : st)
    benchmark::DoNotOptimize(cg::codes::uscc_check_valid("91510802QEFLCR6390") &&
                             cg::codes::org_code_check_valid("QEFLCR639"));
}
BENCHMARK(BM_UsccCheck);

static void BM_ResidentIdCheck(benchmark::State& st) {
  for (auto _ : st) benchmark::DoNotOptimize(cg::codes::resident_id_check_valid("620702198004229754"));
}
BENCHMARK(BM_ResidentIdCheck);

static void BM_ValidateRecord(benchmark::State& st) {
  cg::mapping::Mapper m(mapping("tax/zdsswf.json"));
  auto rec = m.map_bytes(read(src("tests/fixtures/feeds/tax/page-1.json")), "b").records.at(0);
  cg::ValidationOptions o{20261121};
  for (auto _ : st) benchmark::DoNotOptimize(cg::validate_record(rec, o));
}
BENCHMARK(BM_ValidateRecord);

static void BM_MapCourtGb18030Xml(benchmark::State& st) {
  map_bench(st, "court/sxbzxr.json", feeds().court_gb, feeds().court_n);
}
BENCHMARK(BM_MapCourtGb18030Xml)->Unit(benchmark::kMillisecond);
static void BM_MapMarketRegulationXml(benchmark::State& st) {
  map_bench(st, "market_regulation/sgs.json", feeds().mr, feeds().mr_n);
}
BENCHMARK(BM_MapMarketRegulationXml)->Unit(benchmark::kMillisecond);
static void BM_MapTaxJson(benchmark::State& st) {
  map_bench(st, "tax/zdsswf.json", feeds().tax, feeds().tax_n);
}
BENCHMARK(BM_MapTaxJson)->Unit(benchmark::kMillisecond);
static void BM_MapProcurementJson(benchmark::State& st) {
  map_bench(st, "procurement/cgsx.json", feeds().procurement, feeds().proc_n);
}
BENCHMARK(BM_MapProcurementJson)->Unit(benchmark::kMillisecond);

// What the mapping thread makes for the store besides the records (the
// writer only binds it): each record's body and content digest, and each
// quarantine entry's text, for the 1,200 records of the court document.
static void BM_BatchTextsCourt(benchmark::State& st) {
  cg::mapping::Mapper mapper(mapping("court/sxbzxr.json"));
  cg::mapping::MapOptions o;
  o.received_at = "2024-01-01T00:00:00+08:00";
  auto mapped = mapper.map_bytes(feeds().court_gb, "bench", o);
  for (auto _ : st) benchmark::DoNotOptimize(cg::store::make_texts(mapped.records, mapped.quarantined));
  st.counters["records/s"] =
      benchmark::Counter(static_cast<double>(mapped.records.size() * st.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_BatchTextsCourt)->Unit(benchmark::kMillisecond);

// Floor: the parsers alone, building nothing else.
static void BM_FloorPugixmlParse(benchmark::State& st) {
  const auto& d = feeds().mr;
  for (auto _ : st) {
    pugi::xml_document doc;
    benchmark::DoNotOptimize(doc.load_buffer(d.data(), d.size()));
  }
  st.counters["records/s"] =
      benchmark::Counter(static_cast<double>(feeds().mr_n * st.iterations()), benchmark::Counter::kIsRate);
  st.SetBytesProcessed(static_cast<int64_t>(d.size() * st.iterations()));
}
BENCHMARK(BM_FloorPugixmlParse)->Unit(benchmark::kMillisecond);
static void BM_FloorGb18030Decode(benchmark::State& st) {
  const auto& d = feeds().court_gb;
  for (auto _ : st) benchmark::DoNotOptimize(cg::mapping::to_utf8(d, "gb18030"));
  st.SetBytesProcessed(static_cast<int64_t>(d.size() * st.iterations()));
}
BENCHMARK(BM_FloorGb18030Decode)->Unit(benchmark::kMillisecond);
static void BM_FloorNlohmannParse(benchmark::State& st) {
  const auto& d = feeds().tax;
  for (auto _ : st) benchmark::DoNotOptimize(nlohmann::json::parse(d));
  st.counters["records/s"] =
      benchmark::Counter(static_cast<double>(feeds().tax_n * st.iterations()), benchmark::Counter::kIsRate);
  st.SetBytesProcessed(static_cast<int64_t>(d.size() * st.iterations()));
}
BENCHMARK(BM_FloorNlohmannParse)->Unit(benchmark::kMillisecond);
// The JSON parser the mapping engine uses (nlohmann only reports errors).
static void BM_FloorSimdjsonParse(benchmark::State& st) {
  const auto& d = feeds().tax;
  simdjson::dom::parser parser;
  for (auto _ : st) {
    simdjson::dom::element doc;
    if (parser.parse(d).get(doc)) st.SkipWithError("not JSON");
    benchmark::DoNotOptimize(doc);
  }
  st.counters["records/s"] =
      benchmark::Counter(static_cast<double>(feeds().tax_n * st.iterations()), benchmark::Counter::kIsRate);
  st.SetBytesProcessed(static_cast<int64_t>(d.size() * st.iterations()));
}
BENCHMARK(BM_FloorSimdjsonParse)->Unit(benchmark::kMillisecond);

namespace {

// A store as the gateway's write connection has it in the benchmarks'
// configs (WAL checkpoints on a thread of their own, store.wal_gather, two
// destinations) in a temporary folder, and units of
// 1,000 tax records, each record with a key of its own.
class BenchStore {
 public:
  explicit BenchStore(const std::string& name)
      : dir_(std::filesystem::temp_directory_path() / (name + "-" + std::to_string(getpid()))) {
    std::filesystem::create_directories(dir_);
    if (auto on = cg::sqlite::enable_wal_write_gather(dir_.string()); !on) throw std::runtime_error(on.error().message);
    cg::store::StoreOptions opts;
    opts.background_checkpoint = true;
    store = cg::store::open_sqlite_store((dir_ / "s.db").string(), opts).value();
    checkpointer_ = cg::store::WalCheckpointer::start((dir_ / "s.db").string(), std::chrono::milliseconds(200)).value();
    store->outbox().set_router([this](const cg::Record&, const std::string&) { return destinations; });
    cg::mapping::Mapper m(mapping("tax/zdsswf.json"));
    proto_ = m.map_bytes(read(src("tests/fixtures/feeds/tax/page-1.json")), "b").records.at(0);
  }
  ~BenchStore() {
    checkpointer_.reset();
    store.reset();
    std::filesystem::remove_all(dir_);
  }
  BenchStore(const BenchStore&) = delete;
  BenchStore& operator=(const BenchStore&) = delete;

  cg::store::IngestBatch next_unit() {
    cg::store::IngestBatch b;
    b.actor = "bench";
    b.source = "bench";
    for (int i = 0; i < 1000; ++i) {
      auto r = proto_;
      r.source.source_key = std::to_string(round_) + "-" + std::to_string(i);
      r.record_id = cg::compute_record_id("tax", r.kind, r.source.source_key);
      b.records.push_back(std::move(r));
    }
    ++round_;
    return b;
  }

  const std::vector<std::string> destinations = {"provincial", "city"};
  std::unique_ptr<cg::store::Store> store;

 private:
  std::filesystem::path dir_;
  std::unique_ptr<cg::store::WalCheckpointer> checkpointer_;
  cg::Record proto_;
  int64_t round_ = 0;
};

void count_records(benchmark::State& st) {
  st.counters["records/s"] =
      benchmark::Counter(1000.0 * static_cast<double>(st.iterations()), benchmark::Counter::kIsRate);
}

}  // namespace

// The store's own write pattern: a unit of 1000 records in one transaction,
// each with its version, outbox entries for two destinations and an audit row.
static void BM_StoreIngest1000(benchmark::State& st) {
  BenchStore bs("cg-bench");
  for (auto _ : st) {
    auto unit = bs.next_unit();
    benchmark::DoNotOptimize(bs.store->records().ingest(unit));
  }
  count_records(st);
}
BENCHMARK(BM_StoreIngest1000)->Unit(benchmark::kMillisecond);

// A record's whole way through the store: 1,000 records ingested, then
// claimed and answered (accepted) at each of the two destinations, as the
// gateway's write connection does them: five transactions per 1,000.
static void BM_StoreCycle1000(benchmark::State& st) {
  BenchStore bs("cg-bench-cycle");
  for (auto _ : st) {
    auto unit = bs.next_unit();
    benchmark::DoNotOptimize(bs.store->records().ingest(unit));
    for (const auto& d : bs.destinations) {
      auto batch = bs.store->outbox().claim_batch(d, 1000).value();
      std::vector<cg::store::DeliveryOutcome> answers;
      answers.reserve(batch.entries.size());
      for (const auto& e : batch.entries) answers.push_back({e.id, cg::store::DeliveryStatus::Accepted, "", "", ""});
      benchmark::DoNotOptimize(bs.store->outbox().complete_batch(d, batch, answers));
    }
  }
  count_records(st);
}
BENCHMARK(BM_StoreCycle1000)->Unit(benchmark::kMillisecond);

// A claim of 1,000 entries while the destination's previous batch of 1,000
// is still in flight (delivery `concurrency` 2, the default): the claim
// passes over that batch to the entries after it. Each iteration claims the
// batch and releases it again (a 413 answer), so the next one claims the same.
static void BM_StoreClaimBesideABatchInFlight(benchmark::State& st) {
  BenchStore bs("cg-bench-claim");
  for (int i = 0; i < 2; ++i) (void)bs.store->records().ingest(bs.next_unit());
  auto first = bs.store->outbox().claim_batch("city", 1000).value();
  cg::store::BusyBatches busy{first.batch_id};
  for (auto _ : st) {
    auto batch = bs.store->outbox().claim_batch("city", 1000, busy, 2).value();
    if (batch.entries.size() != 1000) st.SkipWithError("the claim did not take the second 1,000");
    benchmark::DoNotOptimize(bs.store->outbox().release_batch("city", batch.batch_id));
    busy.erase(batch.batch_id);
  }
  count_records(st);
}
BENCHMARK(BM_StoreClaimBesideABatchInFlight)->Unit(benchmark::kMillisecond);

// Floor: SQLite alone, the same number of rows of the same size per transaction.
static void BM_FloorSqliteInsert(benchmark::State& st) {
  auto path = std::filesystem::temp_directory_path() / ("cg-bench-raw-" + std::to_string(getpid()) + ".db");
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t(k TEXT PRIMARY KEY, v TEXT)",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* ins = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO t VALUES(?, ?)", -1, &ins, nullptr);
  std::string body(1400, 'x');
  int64_t round = 0;
  for (auto _ : st) {
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    // The store's pattern per record (schema 3): the record's row, its
    // version with the body, two outbox entries and the audit row.
    for (int i = 0; i < 1000 * 5; ++i) {
      std::string k = std::to_string(round) + "-" + std::to_string(i);
      static constexpr int kSizes[5] = {250, 1400, 60, 60, 150};
      sqlite3_bind_text(ins, 1, k.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(ins, 2, body.c_str(), kSizes[i % 5], SQLITE_STATIC);
      sqlite3_step(ins);
      sqlite3_reset(ins);
    }
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    ++round;
  }
  st.counters["records/s"] =
      benchmark::Counter(1000.0 * static_cast<double>(st.iterations()), benchmark::Counter::kIsRate);
  sqlite3_finalize(ins);
  sqlite3_close(db);
  std::filesystem::remove(path);
}
BENCHMARK(BM_FloorSqliteInsert)->Unit(benchmark::kMillisecond);

static void BM_SignBatch(benchmark::State& st) {
  std::string body(static_cast<size_t>(st.range(0)), 'r');
  for (auto _ : st)
    benchmark::DoNotOptimize(cg::sdk::sign_request("0123456789abcdef0123456789abcdef", "POST", "/api/v1/records:batch",
                                                   "1721525400000", "00112233445566778899aabbccddeeff", body));
  st.SetBytesProcessed(static_cast<int64_t>(body.size() * st.iterations()));
}
BENCHMARK(BM_SignBatch)->Arg(1400 * 1000);

// Floor: loopback HTTP with the gateway's own server and client, 1.4 MB bodies
// (a batch of 1000 records).
static void BM_FloorLoopbackHttp(benchmark::State& st) {
  cg::sdk::HttpServer server([](const cg::sdk::HttpRequest&) { return cg::sdk::json_response(200, "{}"); });
  server.limits.max_body_bytes = 16 * 1024 * 1024;
  uint16_t port = server.listen("127.0.0.1", 0).value();
  std::atomic<bool> stop{false};
  std::thread t([&] {
    while (!stop) server.poll(20);
  });
  cg::sdk::HttpClient client;
  std::string body(1400 * 1000, 'r');
  std::string url = "http://127.0.0.1:" + std::to_string(port) + "/x";
  for (auto _ : st) benchmark::DoNotOptimize(client.request("POST", url, body));
  st.counters["records/s"] =
      benchmark::Counter(1000.0 * static_cast<double>(st.iterations()), benchmark::Counter::kIsRate);
  st.SetBytesProcessed(static_cast<int64_t>(body.size() * st.iterations()));
  stop = true;
  t.join();
}
BENCHMARK(BM_FloorLoopbackHttp)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
