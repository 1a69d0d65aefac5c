// platform-sim: a stand-in for the provincial or city public credit platform,
// implementing contract v1.1 (docs/platform-api.md) on one machine: signature,
// clock skew and nonce replay checks, idempotency, versions, a change feed
// from a file, reconciliation, record lookup, execution feedback (§7),
// objections raised by the gateway (§8); and faults on demand.
//
//   platform-sim --listen 127.0.0.1:0 --port-file F --app-id ID --secret-file F
//                [--name provincial] [--changes FILE] [--data FILE] [--hold records|digests]
//                [--fail-rate R] [--throttle-rate R] [--drop-rate R] [--drop-first N] [--slow-ms N]
//
// Test control (loopback only, unsigned; README.md says more):
//   POST /sim/faults  {"fail_rate", "throttle_rate", "drop_rate", "drop_next", "slow_ms", "reject_ids": [...],
//                      "down": bool}
//   GET  /sim/stats   counts, and the contract violations the gateway made (must stay 0)
//   GET  /sim/records the records held, as JSON Lines
//   GET  /sim/feedback the execution feedback held (§7), as JSON Lines
//   GET  /sim/objections the objections the gateway raised (§8), as JSON Lines
//   POST /sim/resolve {"objection_id", "outcome": rejected|upheld|corrected, "record"?}:
//                     the platform resolves it (objection_resolved in the change feed)
//   POST /sim/sink    a JSON array, or an object with "records": counted (no
//                     contract, no signature): the receiving end for another
//                     shipper in the side-by-side benchmark (bench/side_by_side.sh)
//
// --hold digests keeps only each record's version and digest (for backlogs of
// millions of records in benchmarks): record lookups and /sim/records answer 409.
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <credit_gateway/support/http_server.hpp>
#include <credit_gateway/support/signing.hpp>
#include <csignal>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/clock.hpp"
#include "common/hash.hpp"
#include "record/record.hpp"
#include "record/record_reader.hpp"
#include "record/validator.hpp"

namespace {

using cg::sdk::HttpRequest;
using cg::sdk::HttpResponse;
using nlohmann::json;
using Clock = std::chrono::system_clock;

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) {
  g_stop = 1;
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count();
}

// A JSON string literal for `s` (ids and messages in answers built as text).
void append_json_string(std::string& out, std::string_view s) {
  bool plain = true;
  for (char c : s) plain = plain && static_cast<unsigned char>(c) >= 0x20 && c != '"' && c != '\\';
  if (plain) {
    out.append(1, '"').append(s).append(1, '"');
  } else {
    out += json(std::string(s)).dump();
  }
}

struct Held {
  std::string record;  // the record's JSON text as received (minified); empty with --hold digests
  int64_t version = 0;
  std::string digest;
  std::string source;
  std::string date;  // CST date its newest accepted version arrived
};

// What /sim/stats reports: plain counters, put into JSON only when asked.
struct Stats {
  int64_t batches = 0, accepted = 0, duplicate = 0, stale = 0, rejected = 0, idempotent_replays = 0,
          faults_injected = 0;
  int64_t feedback_batches = 0, feedback_accepted = 0, feedback_duplicate = 0, feedback_rejected = 0;
  int64_t objections_opened = 0, objections_duplicate = 0, objections_unknown_record = 0;
  std::map<std::string, int64_t> violations{{"bad_signature", 0},
                                            {"nonce_replay", 0},
                                            {"clock_skew", 0},
                                            {"missing_header", 0},
                                            {"batch_id_reused_with_other_content", 0},
                                            {"feedback_id_reused_with_other_content", 0},
                                            {"objection_id_reused_with_other_content", 0},
                                            {"idempotency_key_mismatch", 0},
                                            {"bad_envelope", 0}};
  [[nodiscard]] json to_json() const {
    return {{"batches", batches},
            {"records_accepted", accepted},
            {"records_duplicate", duplicate},
            {"records_stale", stale},
            {"records_rejected", rejected},
            {"idempotent_replays", idempotent_replays},
            {"faults_injected", faults_injected},
            {"feedback_batches", feedback_batches},
            {"feedback_accepted", feedback_accepted},
            {"feedback_duplicate", feedback_duplicate},
            {"feedback_rejected", feedback_rejected},
            {"objections_opened", objections_opened},
            {"objections_duplicate", objections_duplicate},
            {"objections_unknown_record", objections_unknown_record},
            {"violations", violations}};
  }
};

struct Faults {
  double fail_rate = 0, throttle_rate = 0, drop_rate = 0;
  int64_t slow_ms = 0;
  int64_t drop_next = 0;  // the next N stored posts lose their answer, whatever drop_rate says
  std::set<std::string> reject_ids;
  bool down = false;
};

class Platform {
 public:
  std::string name = "platform", app_id, secret, data_file;
  bool digests_only = false;  // --hold digests
  int64_t sink_records = 0;   // POST /sim/sink
  json changes = json::array();
  Faults faults;
  // Looked up once per record pushed: hashed, not a tree of string
  // comparisons (a third of the simulator's CPU in bench/e2e.sh). Listed in
  // record_id order where the order shows (sorted_records()).
  std::unordered_map<std::string, Held> records;
  std::map<std::string, int64_t> nonces;  // nonce -> seen at (ms)
  struct Idem {
    std::string body_hash;
    HttpResponse response;
    int64_t at = 0;
  };
  std::map<std::string, Idem> idempotency;
  std::map<std::string, json> feedback;    // feedback_id -> the item as received (§7)
  std::map<std::string, json> objections;  // objection_id -> as received (§8)
  Stats stats;
  simdjson::dom::parser batch_parser;  // keeps its buffers from batch to batch
  std::mt19937_64 rng{std::random_device{}()};

  bool chance(double p) { return p > 0 && std::uniform_real_distribution<double>(0, 1)(rng) < p; }

  void load_data() {
    if (data_file.empty()) return;
    std::ifstream in(data_file);
    std::string line;
    while (std::getline(in, line)) {
      json j = json::parse(line, nullptr, false);
      if (!j.is_object()) continue;
      Held h{j["record"].dump(), j["record"]["version"].get<int64_t>(), j["digest"], j["source"], j["date"]};
      records[j["record"]["record_id"].get<std::string>()] = h;
    }
  }
  // Appends to the data file, kept open; flushed once per batch, before the answer.
  void persist(const Held& h) {
    if (data_file.empty()) return;
    if (!data_out.is_open()) data_out.open(data_file, std::ios::app);
    std::string line = "{\"record\":" + h.record + ",\"digest\":";
    append_json_string(line, h.digest);
    line += ",\"source\":";
    append_json_string(line, h.source);
    line += ",\"date\":";
    append_json_string(line, h.date);
    data_out << line << "}\n";
  }
  std::ofstream data_out;

  std::optional<HttpResponse> verify(const HttpRequest& req) {
    auto v = [&](const char* k) { ++stats.violations[k]; };
    std::string app = req.header("x-app-id"), ts = req.header("x-timestamp"), nonce = req.header("x-nonce"),
                sig = req.header("x-signature");
    if (app.empty() || ts.empty() || nonce.empty() || sig.empty()) {
      v("missing_header");
      return cg::sdk::error_response(401, "missing_header",
                                     "X-App-Id, X-Timestamp, X-Nonce and X-Signature are required");
    }
    if (app != app_id) return cg::sdk::error_response(401, "unknown_app", "unknown app id");
    static const std::regex kNonce("^[0-9a-f]{16,64}$");
    if (!std::regex_match(nonce, kNonce)) {
      v("missing_header");
      return cg::sdk::error_response(401, "bad_nonce", "X-Nonce must be 16 to 64 of [0-9a-f]");
    }
    int64_t t = 0;
    try {
      t = std::stoll(ts);
    } catch (...) {
    }
    if (std::llabs(now_ms() - t) > 300000) {
      v("clock_skew");
      return cg::sdk::error_response(401, "clock_skew",
                                     "X-Timestamp is more than 300 s away from the platform's clock");
    }
    if (cg::sdk::sign_request(secret, req.method, req.target, ts, nonce, req.body) != sig) {
      v("bad_signature");
      return cg::sdk::error_response(401, "bad_signature", "the signature does not match");
    }
    int64_t now = now_ms();
    for (auto it = nonces.begin(); it != nonces.end();)
      it = now - it->second > 600000 ? nonces.erase(it) : std::next(it);
    if (nonces.count(nonce)) {
      v("nonce_replay");
      return cg::sdk::error_response(401, "nonce_replay", "this nonce was already used");
    }
    nonces[nonce] = now;
    return std::nullopt;
  }

  HttpResponse push(const HttpRequest& req) {
    if (req.body.size() > 8 * 1024 * 1024) return cg::sdk::error_response(413, "too_large", "body over 8 MiB");
    auto bad = [&](const std::string& m) {
      ++stats.violations["bad_envelope"];
      return cg::sdk::error_response(400, "bad_envelope", m);
    };
    simdjson::dom::element body;
    simdjson::dom::object b;
    if (batch_parser.parse(req.body).get(body) || body.get_object().get(b)) return bad("the body is not JSON");
    static const std::regex kBatch("^[A-Za-z0-9_-]{8,64}$");
    std::string_view batch_view, source_view;
    if (b["batch_id"].get_string().get(batch_view) || !std::regex_match(batch_view.begin(), batch_view.end(), kBatch))
      return bad("batch_id must be 8 to 64 of [A-Za-z0-9_-]");
    if (b["source"].get_string().get(source_view)) return bad("source is required");
    simdjson::dom::array list;
    if (b["records"].get_array().get(list) || list.size() == 0 || list.size() > 1000)
      return bad("records must hold 1 to 1000 records");
    std::string batch_id(batch_view);
    if (req.header("idempotency-key") != batch_id) {
      ++stats.violations["idempotency_key_mismatch"];
      return cg::sdk::error_response(400, "bad_idempotency_key", "Idempotency-Key must equal batch_id");
    }
    std::string hash = cg::sdk::sha256_hex(req.body);
    const int64_t now = now_ms();
    if (auto again = replay(batch_id, hash)) return *again;
    std::string source(source_view);
    std::string today = cg::date_cst(Clock::now());
    std::string results;  // the answer's "results", written as text
    results.reserve(list.size() * 96);
    auto result = [&](std::string_view id, int64_t version, const char* status) {
      results += results.empty() ? "{\"record_id\":" : ",{\"record_id\":";
      append_json_string(results, id);
      results.append(",\"version\":")
          .append(std::to_string(version))
          .append(",\"status\":\"")
          .append(status)
          .append("\"");
    };
    for (simdjson::dom::element rj : list) {
      std::string_view id;
      int64_t version = 0;
      if (rj.is_object()) {
        if (rj["record_id"].get_string().get(id)) id = {};        // absent or not a string: ""
        if (rj["version"].get_int64().get(version)) version = 0;  // absent or not an integer: 0
      }
      auto reject = [&](const std::string& code, const std::string& field, const std::string& msg) {
        ++stats.rejected;
        result(id, version, "rejected");
        results += ",\"error\":" + json{{"code", code}, {"field", field}, {"message", msg}}.dump() + "}";
      };
      auto rec = cg::record_from_element(rj);
      if (!rec.ok()) {
        reject("schema", rec.error().where, rec.error().message);
        continue;
      }
      auto violations = cg::validate_record(*rec);
      if (!violations.empty()) {
        reject(violations[0].rule, violations[0].field, violations[0].message);
        continue;
      }
      if (faults.reject_ids.count(rec->record_id)) {
        reject("rejected_by_platform", "record_id", "this platform refuses the record (test fault)");
        continue;
      }
      std::string digest = cg::content_digest(*rec) + rec->status;
      auto it = records.find(rec->record_id);
      const char* status = "accepted";
      if (it == records.end() || version > it->second.version) {
        Held& h = it != records.end() ? it->second : records[rec->record_id];
        h = Held{digests_only && data_file.empty() ? std::string() : simdjson::to_string(rj), version,
                 std::move(digest), source, today};
        persist(h);
        if (digests_only) h.record.clear();
        ++stats.accepted;
      } else if (version == it->second.version) {
        if (it->second.digest != digest) {
          reject("version_conflict", "version", "this version is held with other content");
          continue;
        }
        status = "duplicate";
        ++stats.duplicate;
      } else {
        status = "stale";
        ++stats.stale;
      }
      result(id, version, status);
      results += "}";
    }
    if (data_out.is_open()) data_out.flush();
    ++stats.batches;
    std::string answer = "{\"batch_id\":";
    append_json_string(answer, batch_id);
    answer.append(",\"results\":[").append(results).append("]}");
    HttpResponse r = cg::sdk::json_response(200, std::move(answer));
    idempotency[batch_id] = Idem{hash, r, now};
    return r;
  }

  // An idempotency key seen in the last 24 hours: the first answer again for
  // the same body, 409 for another.
  std::optional<HttpResponse> replay(const std::string& key, const std::string& hash) {
    int64_t now = now_ms();
    for (auto it = idempotency.begin(); it != idempotency.end();)
      it = now - it->second.at > 86400000 ? idempotency.erase(it) : std::next(it);
    auto it = idempotency.find(key);
    if (it == idempotency.end()) return std::nullopt;
    if (it->second.body_hash == hash) {
      ++stats.idempotent_replays;
      return it->second.response;
    }
    ++stats.violations["batch_id_reused_with_other_content"];
    return cg::sdk::error_response(409, "idempotency_conflict", "this batch id was used with another body");
  }

  // §7: execution feedback, one result per item in order.
  HttpResponse feedback_batch(const HttpRequest& req) {
    if (req.body.size() > 8 * 1024 * 1024) return cg::sdk::error_response(413, "too_large", "body over 8 MiB");
    auto bad = [&](const std::string& m) {
      ++stats.violations["bad_envelope"];
      return cg::sdk::error_response(400, "bad_envelope", m);
    };
    json b = json::parse(req.body, nullptr, false);
    if (!b.is_object()) return bad("the body is not a JSON object");
    static const std::regex kId("^[A-Za-z0-9_-]{8,64}$");
    const json* batch = b.contains("batch_id") ? &b["batch_id"] : nullptr;
    if (!batch || !batch->is_string() || !std::regex_match(batch->get<std::string>(), kId))
      return bad("batch_id must be 8 to 64 of [A-Za-z0-9_-]");
    if (!b.contains("source") || !b["source"].is_string()) return bad("source is required");
    if (!b.contains("feedback") || !b["feedback"].is_array() || b["feedback"].empty() || b["feedback"].size() > 1000)
      return bad("feedback must hold 1 to 1000 items");
    const std::string batch_id = batch->get<std::string>();
    if (req.header("idempotency-key") != batch_id) {
      ++stats.violations["idempotency_key_mismatch"];
      return cg::sdk::error_response(400, "bad_idempotency_key", "Idempotency-Key must equal batch_id");
    }
    const std::string hash = cg::sdk::sha256_hex(req.body);
    if (auto again = replay(batch_id, hash)) return *again;
    json results = json::array();
    for (const auto& f : b["feedback"]) {
      const std::string id = f.is_object() ? f.value("feedback_id", "") : "";
      json r = {{"feedback_id", id}};
      auto reject = [&](const std::string& code, const std::string& field, const std::string& msg) {
        ++stats.feedback_rejected;
        r["status"] = "rejected";
        r["error"] = {{"code", code}, {"field", field}, {"message", msg}};
      };
      static const std::set<std::string> kActions{"applied", "not_applicable", "lifted"};
      if (!std::regex_match(id, kId)) {
        reject("schema", "feedback_id", "feedback_id must be 8 to 64 of [A-Za-z0-9_-]");
      } else if (!f.contains("version") || !f["version"].is_number_integer() || !f.contains("measure_id") ||
                 !f["measure_id"].is_string() || !f.contains("department") || !f["department"].is_string() ||
                 !f.contains("on") || !f["on"].is_string()) {
        reject("schema", "", "record_id, version, measure_id, department, action and on are required");
      } else if (!f.contains("action") || !f["action"].is_string() || !kActions.count(f["action"].get<std::string>())) {
        reject("schema", "action", "action is applied, not_applicable or lifted");
      } else if (!f.contains("record_id") || !f["record_id"].is_string() ||
                 !records.count(f["record_id"].get<std::string>())) {
        reject("unknown_record", "record_id", "the platform holds no such record");
      } else if (auto held = feedback.find(id); held != feedback.end()) {
        if (held->second == f) {
          ++stats.feedback_duplicate;
          r["status"] = "duplicate";
        } else {
          ++stats.violations["feedback_id_reused_with_other_content"];
          reject("feedback_conflict", "feedback_id", "this feedback_id is held with other content");
        }
      } else {
        feedback[id] = f;
        ++stats.feedback_accepted;
        r["status"] = "accepted";
      }
      results.push_back(std::move(r));
    }
    ++stats.feedback_batches;
    HttpResponse r = cg::sdk::json_response(200, json{{"batch_id", batch_id}, {"results", results}}.dump());
    idempotency[batch_id] = Idem{hash, r, now_ms()};
    return r;
  }

  // §8: an objection the gateway raised. Opened at once (an objection_opened
  // change joins the feed), once per objection_id.
  HttpResponse objection(const HttpRequest& req) {
    json b = json::parse(req.body, nullptr, false);
    auto bad = [&](const std::string& msg) {
      ++stats.violations["bad_envelope"];
      return cg::sdk::error_response(400, "schema", msg);
    };
    if (!b.is_object()) return bad("the body is not a JSON object");
    static const std::regex kId("^[A-Za-z0-9_-]{8,64}$");
    const std::string id = b.value("objection_id", "");
    if (!std::regex_match(id, kId)) return bad("objection_id must be 8 to 64 of [A-Za-z0-9_-]");
    for (const char* k : {"record_id", "raised_by", "raised_on", "reason"})
      if (!b.contains(k) || !b[k].is_string() || b[k].get<std::string>().empty())
        return bad(std::string(k) + " is required");
    if (!b.contains("version") || !b["version"].is_number_integer()) return bad("version is required");
    if (req.header("idempotency-key") != id) {
      ++stats.violations["idempotency_key_mismatch"];
      return cg::sdk::error_response(400, "bad_idempotency_key", "Idempotency-Key must equal objection_id");
    }
    const json opened = {{"objection_id", id}, {"status", "opened"}};
    if (auto held = objections.find(id); held != objections.end()) {
      if (held->second != b) {
        ++stats.violations["objection_id_reused_with_other_content"];
        return cg::sdk::error_response(409, "objection_conflict", "this objection_id is held with other content");
      }
      ++stats.objections_duplicate;
      return cg::sdk::json_response(200, opened.dump());
    }
    if (!records.count(b["record_id"].get<std::string>())) {
      ++stats.objections_unknown_record;
      return cg::sdk::error_response(404, "not_found", "the platform holds no such record");
    }
    objections[id] = b;
    ++stats.objections_opened;
    changes.push_back({{"change_id", "sim-open-" + id},
                       {"type", "objection_opened"},
                       {"at", cg::now_rfc3339_cst()},
                       {"record_id", b["record_id"]},
                       {"objection_id", id}});
    return cg::sdk::json_response(200, opened.dump());
  }

  HttpResponse changes_page(const HttpRequest& req) {
    size_t start = 0;
    if (auto it = req.query.find("cursor"); it != req.query.end() && !it->second.empty()) {
      try {
        start = std::stoul(it->second.substr(1));
      } catch (...) {
        return cg::sdk::error_response(400, "bad_cursor", "unknown cursor");
      }
    }
    size_t limit = 500;
    if (auto it = req.query.find("limit"); it != req.query.end())
      limit = std::clamp<size_t>(std::stoul(it->second), 1, 1000);
    json page = json::array();
    size_t i = start;
    for (; i < changes.size() && page.size() < limit; ++i) page.push_back(changes[i]);
    return cg::sdk::json_response(
        200,
        json{{"changes", page}, {"next_cursor", "c" + std::to_string(i)}, {"has_more", i < changes.size()}}.dump());
  }

  [[nodiscard]] std::vector<const std::pair<const std::string, Held>*> sorted_records() const {
    std::vector<const std::pair<const std::string, Held>*> out;
    out.reserve(records.size());
    for (const auto& e : records) out.push_back(&e);
    std::sort(out.begin(), out.end(), [](const auto* a, const auto* b) { return a->first < b->first; });
    return out;
  }

  HttpResponse reconciliation(const HttpRequest& req) {
    std::string source = req.query.count("source") ? req.query.at("source") : "";
    std::string date = req.query.count("date") ? req.query.at("date") : "";
    std::string lines;
    int64_t count = 0;
    for (const auto* e : sorted_records())  // in record_id order, as the gateway lists them
      if (e->second.source == source && e->second.date == date) {
        lines += e->first + ":" + std::to_string(e->second.version) + "\n";
        ++count;
      }
    return cg::sdk::json_response(
        200, json{{"source", source}, {"date", date}, {"count", count}, {"digest", cg::sdk::sha256_hex(lines)}}.dump());
  }

  std::optional<HttpResponse> handle(const HttpRequest& req) {
    if (req.path.rfind("/sim/", 0) == 0) return control(req);
    if (faults.down) {
      HttpResponse r;
      r.drop = true;
      return r;
    }
    if (auto bad = verify(req)) return *bad;
    if (faults.slow_ms) std::this_thread::sleep_for(std::chrono::milliseconds(faults.slow_ms));
    if (chance(faults.throttle_rate)) {
      ++stats.faults_injected;
      auto r = cg::sdk::error_response(429, "too_many_requests", "slow down");
      r.headers.emplace_back("Retry-After", "1");
      return r;
    }
    if (chance(faults.fail_rate)) {
      ++stats.faults_injected;
      return cg::sdk::error_response(503, "unavailable", "injected fault");
    }
    const bool feedback_post = req.method == "POST" && req.path == "/api/v1/feedback:batch";
    const bool objection_post = req.method == "POST" && req.path == "/api/v1/objections";
    if ((req.method == "POST" && req.path == "/api/v1/records:batch") || feedback_post || objection_post) {
      HttpResponse r = feedback_post ? feedback_batch(req) : objection_post ? objection(req) : push(req);
      if (r.status == 200 && (faults.drop_next > 0 || chance(faults.drop_rate))) {  // stored, the answer lost
        if (faults.drop_next > 0) --faults.drop_next;
        ++stats.faults_injected;
        HttpResponse d;
        d.drop = true;
        return d;
      }
      return r;
    }
    if (req.method == "GET" && req.path == "/api/v1/changes") return changes_page(req);
    if (req.method == "GET" && req.path == "/api/v1/reconciliation") return reconciliation(req);
    if (req.method == "GET" && req.path.rfind("/api/v1/records/", 0) == 0) {
      if (digests_only) return not_held();
      auto it = records.find(req.path.substr(16));
      if (it == records.end()) return cg::sdk::error_response(404, "not_found", "no such record");
      return cg::sdk::json_response(200, it->second.record);
    }
    return cg::sdk::error_response(404, "not_found", "no such endpoint");
  }

  static HttpResponse not_held() {
    return cg::sdk::error_response(409, "not_held", "this simulator keeps digests only (--hold digests)");
  }

  HttpResponse control(const HttpRequest& req) {
    if (req.path == "/sim/faults" && req.method == "POST") {
      json f = json::parse(req.body, nullptr, false);
      if (!f.is_object()) return cg::sdk::error_response(400, "bad_request", "JSON object expected");
      faults.fail_rate = f.value("fail_rate", faults.fail_rate);
      faults.throttle_rate = f.value("throttle_rate", faults.throttle_rate);
      faults.drop_rate = f.value("drop_rate", faults.drop_rate);
      faults.slow_ms = f.value("slow_ms", faults.slow_ms);
      faults.drop_next = f.value("drop_next", faults.drop_next);
      faults.down = f.value("down", faults.down);
      if (f.contains("reject_ids")) faults.reject_ids = f["reject_ids"].get<std::set<std::string>>();
      return cg::sdk::json_response(200, R"({"ok": true})");
    }
    if (req.path == "/sim/stats") {
      json s = stats.to_json();
      s["records_held"] = records.size();
      s["feedback_held"] = feedback.size();
      s["sink_records"] = sink_records;
      s["faults"] = {{"fail_rate", faults.fail_rate},
                     {"throttle_rate", faults.throttle_rate},
                     {"drop_rate", faults.drop_rate},
                     {"drop_next", faults.drop_next},
                     {"slow_ms", faults.slow_ms},
                     {"down", faults.down},
                     {"reject_ids", faults.reject_ids.size()}};
      s["name"] = name;
      return cg::sdk::json_response(200, s.dump());
    }
    if (req.path == "/sim/sink" && req.method == "POST") {
      json b = json::parse(req.body, nullptr, false);
      const json* list = b.is_array() ? &b : b.is_object() && b.contains("records") ? &b["records"] : nullptr;
      if (!list || !list->is_array())
        return cg::sdk::error_response(400, "bad_request", "a JSON array of records expected");
      sink_records += static_cast<int64_t>(list->size());
      return cg::sdk::json_response(200, R"({"ok": true})");
    }
    if (req.path == "/sim/feedback") {
      std::string out;
      for (const auto& [id, f] : feedback) out.append(f.dump()).append("\n");
      HttpResponse r = cg::sdk::json_response(200, out);
      r.content_type = "application/x-ndjson";
      return r;
    }
    if (req.path == "/sim/objections") {
      std::string out;
      for (const auto& [id, o] : objections) out.append(o.dump()).append("\n");
      HttpResponse r = cg::sdk::json_response(200, out);
      r.content_type = "application/x-ndjson";
      return r;
    }
    if (req.path == "/sim/resolve" && req.method == "POST") {
      json b = json::parse(req.body, nullptr, false);
      if (!b.is_object() || !b.contains("objection_id") || !b["objection_id"].is_string())
        return cg::sdk::error_response(400, "bad_request", "{\"objection_id\", \"outcome\"} expected");
      auto held = objections.find(b["objection_id"].get<std::string>());
      if (held == objections.end()) return cg::sdk::error_response(404, "not_found", "no such objection");
      const std::string outcome = b.value("outcome", "rejected");
      json change = {
          {"change_id", "sim-resolve-" + held->first}, {"type", "objection_resolved"}, {"at", cg::now_rfc3339_cst()},
          {"record_id", held->second["record_id"]},    {"objection_id", held->first},  {"outcome", outcome}};
      if (b.contains("record")) change["record"] = b["record"];
      changes.push_back(change);
      return cg::sdk::json_response(200, change.dump());
    }
    if (req.path == "/sim/records") {
      if (digests_only) return not_held();
      std::string out;
      for (const auto* e : sorted_records()) out.append(e->second.record).append("\n");
      HttpResponse r = cg::sdk::json_response(200, out);
      r.content_type = "application/x-ndjson";
      return r;
    }
    return cg::sdk::error_response(404, "not_found", "no such control endpoint");
  }
};

std::string arg(const std::vector<std::string>& a, const std::string& name, const std::string& def = "") {
  for (size_t i = 0; i + 1 < a.size(); ++i)
    if (a[i] == name) return a[i + 1];
  return def;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> a(argv + 1, argv + argc);
  if (a.empty() || arg(a, "--app-id").empty()) {
    std::cerr << "usage: platform-sim --app-id ID (--secret-file F | --secret-env VAR) [--listen 127.0.0.1:0] "
                 "[--port-file F] [--name N] [--changes FILE] [--data FILE] [--fail-rate R] [--throttle-rate R] "
                 "[--drop-rate R] [--slow-ms N] [--hold records|digests]\n";
    return 2;
  }
  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);
  std::signal(SIGPIPE, SIG_IGN);
  Platform p;
  p.name = arg(a, "--name", "platform");
  p.app_id = arg(a, "--app-id");
  if (auto f = arg(a, "--secret-file"); !f.empty()) {
    std::ifstream in(f);
    std::getline(in, p.secret);
  } else if (auto e = arg(a, "--secret-env"); !e.empty() && std::getenv(e.c_str())) {
    p.secret = std::getenv(e.c_str());
  }
  if (p.secret.size() < 32) {
    std::cerr << "platform-sim: the secret must be at least 32 bytes\n";
    return 2;
  }
  if (auto c = arg(a, "--changes"); !c.empty()) {
    std::ifstream in(c);
    p.changes = json::parse(in, nullptr, false);
    if (!p.changes.is_array()) {
      std::cerr << "platform-sim: " << c << " is not a JSON array of changes\n";
      return 2;
    }
  }
  p.data_file = arg(a, "--data");
  if (auto h = arg(a, "--hold", "records"); h == "digests") {
    p.digests_only = true;
  } else if (h != "records") {
    std::cerr << "platform-sim: --hold is records or digests, not " << h << "\n";
    return 2;
  }
  p.load_data();
  p.faults.fail_rate = std::stod(arg(a, "--fail-rate", "0"));
  p.faults.throttle_rate = std::stod(arg(a, "--throttle-rate", "0"));
  p.faults.drop_rate = std::stod(arg(a, "--drop-rate", "0"));
  p.faults.drop_next = std::stoll(arg(a, "--drop-first", "0"));
  p.faults.slow_ms = std::stoll(arg(a, "--slow-ms", "0"));

  cg::sdk::HttpServer server([&p](const HttpRequest& r) { return p.handle(r); });
  server.limits.max_body_bytes = 9 * 1024 * 1024;
  std::string listen = arg(a, "--listen", "127.0.0.1:0");
  auto colon = listen.rfind(':');
  auto port = server.listen(listen.substr(0, colon), static_cast<uint16_t>(std::stoi(listen.substr(colon + 1))));
  if (!port.ok()) {
    std::cerr << "platform-sim: " << port.error().message << "\n";
    return 1;
  }
  if (auto pf = arg(a, "--port-file"); !pf.empty()) {
    std::ofstream(pf + ".tmp") << *port << "\n";
    std::rename((pf + ".tmp").c_str(), pf.c_str());
  }
  std::cerr << "platform-sim " << p.name << " listening on " << listen.substr(0, colon) << ":" << *port << "\n";
  while (!g_stop) server.poll(100);
  return 0;
}
