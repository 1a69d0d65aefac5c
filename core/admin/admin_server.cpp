#include "admin/admin_server.hpp"

#include <algorithm>
#include <credit_gateway/support/http_server.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "admin/dashboard.hpp"
#include "calendar/date.hpp"
#include "checks/run_check.hpp"
#include "checks/verdict.hpp"
#include "common/clock.hpp"
#include "common/http_listener.hpp"
#include "common/log.hpp"
#include "common/mask.hpp"
#include "common/tokens_file.hpp"
#include "config/config.hpp"
#include "credit_report/make_report.hpp"
#include "department_api/items.hpp"
#include "documents/xlsx_workbook.hpp"
#include "ingest/mapping_registry.hpp"
#include "ingest/quarantine_replay.hpp"
#include "objections/raise.hpp"
#include "publicity/publicity_report.hpp"
#include "statistics/monthly_report.hpp"
#include "statistics/statistics_report.hpp"
#include "statistics/statistics_workbook.hpp"
#include "store/sqlite/health.hpp"

namespace cg::admin {

using nlohmann::json;
using sdk::HttpRequest;
using sdk::HttpResponse;

namespace {

constexpr const char* kXlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

struct AdminCaller {
  std::string role, name;
};

std::string prom_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '"' || c == '\\') o.push_back('\\');
    if (c == '\n') {
      o += "\\n";
      continue;
    }
    o.push_back(c);
  }
  return o;
}

}  // namespace

struct AdminServer::Impl {
  config::Config cfg;
  Sources src;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<HttpListener> listener;  // last: it stops serving before the rest goes

  // The store's figures for /status and /metrics (outbox depth, quarantine,
  // feedback) are counts that grow with the backlog. They are read again
  // only once their last reading is ten times as old as it took: at most a
  // tenth of a core however often the endpoints are polled, and fresh on
  // every request while the store is small.
  struct StoreFigures {
    std::map<std::string, Result<store::OutboxStats>> outbox;
    std::map<std::string, Result<store::FeedbackReports::RelayStats>> relay;
    Result<json> feedback = json::object(), quarantine = json::array();
    Result<std::map<std::string, int64_t>> overdue = std::map<std::string, int64_t>{};
    Result<std::map<std::string, int64_t>> objections = std::map<std::string, int64_t>{};
    Result<int64_t> waiting = int64_t{0};
    // 双公示: licences and penalties no platform has accepted, by department and state.
    Result<std::map<std::pair<std::string, std::string>, int64_t>> unpublished =
        std::map<std::pair<std::string, std::string>, int64_t>{};
    std::chrono::steady_clock::time_point read_at{};
    std::chrono::steady_clock::duration took{};
  };
  StoreFigures figures_;  // requests are served one at a time

  const StoreFigures& figures() {
    auto now = std::chrono::steady_clock::now();
    if (figures_.read_at != std::chrono::steady_clock::time_point{} && now - figures_.read_at < 10 * figures_.took)
      return figures_;
    figures_.outbox.clear();
    figures_.relay.clear();
    for (auto* w : src.workers)
      if (w->stream() == delivery::Stream::Records)
        figures_.outbox.insert_or_assign(w->name(), store->outbox().stats(w->name()));
      else
        figures_.relay.insert_or_assign(w->name(), store->feedback_reports().relay_stats(w->name()));
    figures_.feedback = store->feedback().stats();
    figures_.overdue = store->feedback().overdue_counts(date_cst(std::chrono::system_clock::now()));
    figures_.waiting = store->sync().waiting_count();
    figures_.objections = store->objections().counts();
    figures_.quarantine = store->quarantine().counts();
    figures_.unpublished = unpublished();
    figures_.read_at = std::chrono::steady_clock::now();
    figures_.took = figures_.read_at - now;
    return figures_;
  }

  Result<std::map<std::pair<std::string, std::string>, int64_t>> unpublished() {
    auto days = calendar::WorkingDays::load_dir(cfg.calendar_dir);
    if (!days.ok()) return days.error();
    publicity::ReportFilter f;
    f.unaccepted = true;
    auto entries = publicity::report(*store, *days, f, date_cst(std::chrono::system_clock::now()));
    if (!entries.ok()) return entries.error();
    return publicity::counts(*entries);
  }

  std::optional<AdminCaller> authenticate(const HttpRequest& req) {
    std::string h = req.header("authorization");
    if (h.rfind("Bearer ", 0) != 0) return std::nullopt;
    std::string token = h.substr(7);
    if (token.size() < 16) return std::nullopt;
    const auto file = read_admin_tokens(cfg.admin_tokens_file);  // each time: rotated without a restart
    if (const Token* t = find_token(file, token)) return AdminCaller{t->scope, t->name};
    return std::nullopt;
  }

  HttpResponse reply(const AdminCaller& who, int status, const json& body) {
    std::string text = body.dump();
    // A viewer never sees a personal ID number, not even in a record.
    if (who.role != "operator") text = mask_ids_in_text(text);
    return sdk::json_response(status, text);
  }

  json status() {
    json dests = json::array();
    const auto& fig = figures();
    json relay = json::array();
    for (auto* w : src.workers) {
      auto st = w->status();
      if (w->stream() == delivery::Stream::Feedback) {
        json r = {{"destination", w->name()},
                  {"circuit", delivery::to_string(st.circuit)},
                  {"relayed", st.records_delivered},
                  {"last_error", st.last_error},
                  {"last_error_at", st.last_error_at}};
        if (const auto& rs = fig.relay.at(w->name()); rs.ok()) {
          r["pending"] = rs->pending;
          r["dead"] = rs->dead;
        }
        relay.push_back(r);
        continue;
      }
      const auto& ob = fig.outbox.at(w->name());
      json d = {{"name", w->name()},
                {"circuit", delivery::to_string(st.circuit)},
                {"last_success_at", st.last_success_at},
                {"last_error", st.last_error},
                {"last_error_at", st.last_error_at},
                {"batches", st.batches},
                {"records_delivered", st.records_delivered},
                {"retries", st.retries}};
      if (ob.ok())
        d["outbox"] = {{"pending", ob->pending},
                       {"inflight", ob->inflight},
                       {"dead", ob->dead},
                       {"oldest_age_s", ob->oldest_pending_age_s}};
      dests.push_back(d);
    }
    const auto& fb = fig.feedback;
    const auto& q = fig.quarantine;
    return {{"node_id", cfg.node_id},
            {"time", now_rfc3339_cst()},
            {"plugins", src.plugins ? src.plugins() : json::array()},
            {"destinations", dests},
            {"jobs", src.scheduler ? src.scheduler->status() : json::array()},
            {"feedback", fb.ok() ? *fb : json::object()},
            {"feedback_relay", relay},
            {"items_overdue", fig.overdue.ok() ? json(*fig.overdue) : json::object()},
            {"sync_waiting", fig.waiting.ok() ? json(*fig.waiting) : json(nullptr)},
            {"objections", fig.objections.ok() ? json(*fig.objections) : json::object()},
            {"quarantine", q.ok() ? *q : json::array()}};
  }

  std::string metrics() {
    std::ostringstream m;
    m << "# HELP cg_up 1 when the gateway runs\n# TYPE cg_up gauge\ncg_up 1\n";
    json plugins = src.plugins ? src.plugins() : json::array();
    m << "# HELP cg_records_in_total Records stored from each department's adapter since start\n"
         "# TYPE cg_records_in_total counter\n";
    for (const auto& p : plugins)
      m << "cg_records_in_total{department=\"" << prom_escape(p.value("department", "")) << "\",plugin=\""
        << prom_escape(p.value("plugin", "")) << "\"} " << p.value("records", 0) << "\n";
    m << "# HELP cg_units_in_total Source units (files, pages, messages, requests) acknowledged\n"
         "# TYPE cg_units_in_total counter\n";
    for (const auto& p : plugins)
      m << "cg_units_in_total{department=\"" << prom_escape(p.value("department", "")) << "\"} " << p.value("units", 0)
        << "\n";
    m << "# HELP cg_plugin_restarts_total Plugin host restarts after a crash or hang\n# TYPE cg_plugin_restarts_total "
         "counter\n";
    for (const auto& p : plugins)
      m << "cg_plugin_restarts_total{file=\"" << prom_escape(p.value("file", "")) << "\"} " << p.value("restarts", 0)
        << "\n";
    m << "# HELP cg_plugin_running 1 when the plugin host runs\n# TYPE cg_plugin_running gauge\n";
    for (const auto& p : plugins)
      m << "cg_plugin_running{file=\"" << prom_escape(p.value("file", "")) << "\"} "
        << (p.value("state", "") == "running" ? 1 : 0) << "\n";
    const auto& fig = figures();
    if (const auto& q = fig.quarantine; q.ok()) {
      m << "# HELP cg_quarantine_open Open quarantine entries by department and rule\n# TYPE cg_quarantine_open "
           "gauge\n";
      for (const auto& e : *q)
        m << "cg_quarantine_open{department=\"" << prom_escape(e.value("department", "")) << "\",rule=\""
          << prom_escape(e.value("rule", "")) << "\"} " << e.value("count", 0) << "\n";
    }
    if (const auto& w = fig.waiting; w.ok())
      m << "# HELP cg_sync_waiting_changes The platform's changes kept until their record arrives\n# TYPE "
           "cg_sync_waiting_changes gauge\ncg_sync_waiting_changes "
        << *w << "\n";
    if (const auto& o = fig.overdue; o.ok()) {
      m << "# HELP cg_items_overdue Items past due_on without the department's report on every measure\n# TYPE "
           "cg_items_overdue gauge\n";
      for (const auto& [dept, n] : *o)
        m << "cg_items_overdue{department=\"" << prom_escape(dept) << "\"} " << n << "\n";
    }
    if (const auto& u = fig.unpublished; u.ok()) {
      m << "# HELP cg_shuanggongshi_unpublished Licences and penalties no platform has accepted yet (双公示), by "
           "department and state (pending, at_risk, overdue, unknown)\n# TYPE cg_shuanggongshi_unpublished gauge\n";
      for (const auto& [key, n] : *u)
        m << "cg_shuanggongshi_unpublished{department=\"" << prom_escape(key.first) << "\",state=\""
          << prom_escape(key.second) << "\"} " << n << "\n";
    }
    if (const auto& o = fig.objections; o.ok()) {
      m << "# HELP cg_objections Objections raised here, by state (pending: not yet answered by the platform)\n# "
           "TYPE cg_objections gauge\n";
      for (const auto& [state, n] : *o) m << "cg_objections{state=\"" << prom_escape(state) << "\"} " << n << "\n";
    }
    m << "# HELP cg_outbox_depth Record versions waiting for a destination\n# TYPE cg_outbox_depth gauge\n";
    std::ostringstream age, dead, out, retries, circuit, hist, relay_pending, relay_dead, relayed;
    for (auto* w : src.workers) {
      auto st = w->status();
      std::string d = prom_escape(w->name());
      if (w->stream() == delivery::Stream::Feedback) {
        if (const auto& rs = fig.relay.at(w->name()); rs.ok()) {
          relay_pending << "cg_feedback_relay_pending{destination=\"" << d << "\"} " << rs->pending << "\n";
          relay_dead << "cg_feedback_relay_dead{destination=\"" << d << "\"} " << rs->dead << "\n";
        }
        relayed << "cg_feedback_relayed_total{destination=\"" << d << "\"} " << st.records_delivered << "\n";
        continue;
      }
      if (const auto& ob = fig.outbox.at(w->name()); ob.ok()) {
        m << "cg_outbox_depth{destination=\"" << d << "\"} " << ob->pending + ob->inflight << "\n";
        age << "cg_outbox_oldest_age_seconds{destination=\"" << d << "\"} " << ob->oldest_pending_age_s << "\n";
        dead << "cg_dead_letters{destination=\"" << d << "\"} " << ob->dead << "\n";
      }
      out << "cg_records_out_total{destination=\"" << d << "\"} " << st.records_delivered << "\n";
      retries << "cg_delivery_retries_total{destination=\"" << d << "\"} " << st.retries << "\n";
      circuit << "cg_circuit_open{destination=\"" << d << "\"} "
              << (st.circuit == delivery::CircuitState::Closed ? 0 : 1) << "\n";
      int64_t cum = 0;
      for (size_t k = 0; k < delivery::WorkerStatus::kBucketCount; ++k) {
        cum += st.latency_counts[k];
        hist << "cg_delivery_latency_seconds_bucket{destination=\"" << d << "\",le=\""
             << delivery::WorkerStatus::kBuckets[k] << "\"} " << cum << "\n";
      }
      cum += st.latency_counts[delivery::WorkerStatus::kBucketCount];
      hist << "cg_delivery_latency_seconds_bucket{destination=\"" << d << "\",le=\"+Inf\"} " << cum << "\n";
      hist << "cg_delivery_latency_seconds_sum{destination=\"" << d << "\"} " << st.latency_sum << "\n";
      hist << "cg_delivery_latency_seconds_count{destination=\"" << d << "\"} " << st.latency_n << "\n";
    }
    m << "# HELP cg_outbox_oldest_age_seconds Age of the oldest undelivered version\n# TYPE "
         "cg_outbox_oldest_age_seconds gauge\n"
      << age.str();
    m << "# HELP cg_dead_letters Records a destination rejected\n# TYPE cg_dead_letters gauge\n" << dead.str();
    m << "# HELP cg_records_out_total Record versions a destination took\n# TYPE cg_records_out_total counter\n"
      << out.str();
    m << "# HELP cg_delivery_retries_total Batches sent again\n# TYPE cg_delivery_retries_total counter\n"
      << retries.str();
    m << "# HELP cg_circuit_open 1 while a destination's circuit breaker is open\n# TYPE cg_circuit_open gauge\n"
      << circuit.str();
    m << "# HELP cg_delivery_latency_seconds From a version's arrival at the gateway to the platform's answer\n# TYPE "
         "cg_delivery_latency_seconds histogram\n"
      << hist.str();
    m << "# HELP cg_feedback_relay_pending Execution feedback waiting for a platform\n# TYPE "
         "cg_feedback_relay_pending gauge\n"
      << relay_pending.str();
    m << "# HELP cg_feedback_relay_dead Execution feedback a platform refused\n# TYPE cg_feedback_relay_dead gauge\n"
      << relay_dead.str();
    m << "# HELP cg_feedback_relayed_total Execution feedback a platform took since start\n# TYPE "
         "cg_feedback_relayed_total counter\n"
      << relayed.str();
    if (src.scheduler) {
      m << "# HELP cg_sync_lag_seconds Seconds since the last successful sync\n# TYPE cg_sync_lag_seconds gauge\n";
      auto runs = store->jobs().runs("sync", 20);
      if (runs.ok())
        for (const auto& r : *runs)
          if (r.status == "ok") {
            m << "cg_sync_lag_seconds " << (unix_millis(std::chrono::system_clock::now()) - r.started_ms) / 1000
              << "\n";
            break;
          }
    }
    return m.str();
  }

  std::optional<HttpResponse> handle(const HttpRequest& req) {
    if (req.path == "/healthz") return sdk::json_response(200, R"({"status": "ok"})");
    if (req.path == "/readyz") {
      auto w = store->check_writable();
      const auto corrupt = store::corruption_seen();
      bool ready = w.ok() && !corrupt && (!src.started || src.started());
      std::string said = corrupt ? "corrupt: " + *corrupt : w.ok() ? "writable" : w.error().message;
      return sdk::json_response(ready ? 200 : 503, json{{"ready", ready}, {"store", said}}.dump());
    }
    if (req.path == "/metrics") {
      HttpResponse r;
      r.content_type = "text/plain; version=0.0.4";
      r.body = mask_ids_in_text(metrics());
      return r;
    }
    if (req.path == "/" || req.path == "/dashboard") {
      HttpResponse r;
      r.content_type = "text/html; charset=utf-8";
      r.body = dashboard_html();
      return r;
    }
    if (req.path.rfind("/api/", 0) != 0) return sdk::error_response(404, "not_found", "no such page");
    auto who = authenticate(req);
    if (!who) return sdk::error_response(401, "unauthorized", "a valid bearer token is required");
    try {
      return api(*who, req);
    } catch (const std::exception& e) {
      return sdk::error_response(400, "bad_request", e.what());
    }
  }

  // 双公示: each licence and penalty decided in the period, with its
  // deadline and state; JSON, or CSV with format=csv.
  template <class Query>
  HttpResponse shuanggongshi(const AdminCaller& who, const Query& q) {
    publicity::ReportFilter f{q("department"), q("from"), q("to"), q("state")};
    const std::string format = q("format").empty() ? "json" : q("format");
    if (format != "json" && format != "csv") return sdk::error_response(400, "bad_request", "format is json or csv");
    auto days = calendar::WorkingDays::load_dir(cfg.calendar_dir);
    if (!days.ok()) return sdk::error_response(500, "calendar", days.error().to_string());
    auto entries = publicity::report(*store, *days, f, date_cst(std::chrono::system_clock::now()));
    if (!entries.ok())
      return sdk::error_response(entries.error().code == "bad_request" ? 400 : 500, entries.error().code,
                                 entries.error().to_string());
    if (format == "csv") {
      HttpResponse r;
      r.content_type = "text/csv; charset=utf-8";
      r.body = publicity::csv_header();
      for (const auto& e : *entries) r.body += publicity::to_csv_line(e);
      if (who.role != "operator") r.body = mask_ids_in_text(r.body);
      return r;
    }
    json list = json::array();
    for (const auto& e : *entries) list.push_back(publicity::to_json(e));
    json by = json::object();
    for (const auto& [key, n] : publicity::counts(*entries)) by[key.first][key.second] = n;
    return reply(who, 200, {{"entries", list}, {"counts", by}});
  }

  // 专用信用报告: made by an operator (POST), listed, and each again as made
  // (<code>, or <code>.pdf for its PDF).
  HttpResponse credit_reports(const AdminCaller& who, const HttpRequest& req, const std::string& actor) {
    auto q = [&](const char* k) { return req.query.count(k) ? req.query.at(k) : std::string(); };
    if (req.path == "/api/v1/reports/credit" && req.method == "POST") {
      auto ask = credit_report::parse_report_ask(req.body);
      if (!ask.ok()) return sdk::error_response(400, "bad_request", ask.error().to_string());
      auto days = calendar::WorkingDays::load_dir(cfg.calendar_dir);
      if (!days.ok()) return sdk::error_response(500, "calendar", days.error().to_string());
      auto made = credit_report::make_credit_report(*store, *days, credit_report::report_settings(cfg, 0),
                                                    {"operator", actor}, *ask, std::chrono::system_clock::now());
      if (!made.ok())
        return sdk::error_response(made.error().code == "bad_request" ? 400 : 500, made.error().code,
                                   mask_ids_in_text(made.error().to_string()));
      json body = credit_report::report_json(*made);
      body["pdf"] = "/api/v1/reports/credit/" + made->code + ".pdf";
      return reply(who, 201, body);
    }
    if (req.method != "GET")
      return sdk::error_response(405, "method_not_allowed", "GET or POST /api/v1/reports/credit");
    if (req.path == "/api/v1/reports/credit") {
      store::CreditReportFilter f;
      f.uscc = q("uscc");
      f.department = q("department");
      if (!q("limit").empty()) f.limit = std::stoul(q("limit"));
      auto rows = store->credit_reports().list(f);
      if (!rows.ok()) return sdk::error_response(500, "store", rows.error().message);
      json list = json::array();
      for (const auto& r : *rows) list.push_back(credit_report::report_json(r));
      return reply(who, 200, {{"reports", list}});
    }
    bool pdf = false;
    auto kept = credit_report::find_credit_report(
        *store, std::string_view(req.path).substr(std::string_view("/api/v1/reports/credit/").size()), pdf);
    if (!kept.ok()) return sdk::error_response(500, "store", kept.error().message);
    if (!*kept) return sdk::error_response(404, "not_found", "no report has this code");
    if (!pdf) {
      json body = credit_report::report_json(**kept);
      body["content"] = json::parse((*kept)->content, nullptr, false);
      return reply(who, 200, body);
    }
    HttpResponse res;
    res.content_type = "application/pdf";
    res.body = std::move((*kept)->pdf);
    return res;
  }

  HttpResponse api(const AdminCaller& who, const HttpRequest& req) {
    auto q = [&](const char* k) { return req.query.count(k) ? req.query.at(k) : std::string(); };
    const bool write = req.method == "POST";
    if (write && who.role != "operator") return sdk::error_response(403, "forbidden", "this needs the operator role");
    std::string actor = "operator:" + who.name;

    if (req.path == "/api/v1/status" && !write) return reply(who, 200, status());
    if (req.path == "/api/v1/quarantine" && !write) {
      store::QuarantineFilter f;
      f.department = q("department");
      f.mapping = q("mapping");
      f.rule = q("rule");
      f.status = q("status").empty() ? "open" : q("status");
      if (!q("limit").empty()) f.limit = std::stoul(q("limit"));
      auto rows = store->quarantine().list(f);
      if (!rows.ok()) return sdk::error_response(500, "store", rows.error().message);
      json out = json::array();
      for (const auto& r : *rows) {
        json e = r.entry;
        e["id"] = r.id;
        e["status"] = r.status;
        e["created_at"] = r.created_at;
        out.push_back(e);
      }
      return reply(who, 200, out);
    }
    if (req.path == "/api/v1/quarantine/replay" && write) {
      json b = json::parse(req.body.empty() ? "{}" : req.body);
      store::QuarantineFilter f;
      if (b.contains("id")) f.id = b["id"].get<int64_t>();
      f.mapping = b.value("mapping", "");
      f.rule = b.value("rule", "");
      f.department = b.value("department", "");
      auto rows = store->quarantine().list(f);
      if (!rows.ok()) return sdk::error_response(500, "store", rows.error().message);
      ingest::MappingRegistry mappings;
      (void)mappings.load(cfg.mappings_dir, cfg.code_tables_dir);
      json results = json::array();
      for (const auto& r : *rows) {
        std::string mname = r.entry.value("mapping", "");
        const mapping::Mapper* m = mappings.find(mname.substr(0, mname.find('@')));
        if (!m) {
          results.push_back({{"id", r.id}, {"result", "no mapping " + mname}});
          continue;
        }
        mapping::MapOutcome out;
        if (r.file_level)
          out = m->map_bytes(r.raw, r.entry["source"].value("file", "quarantine"));
        else if (auto e = quarantine_from_json(r.entry); e.ok())
          out = m->replay(*e);
        if (out.failure || !out.quarantined.empty() || out.records.empty()) {
          results.push_back({{"id", r.id},
                             {"result", "still quarantined"},
                             {"reason", out.failure               ? out.failure->message
                                        : out.quarantined.empty() ? ""
                                                                  : out.quarantined[0].message}});
          continue;
        }
        store::IngestBatch batch;
        batch.actor = actor;
        batch.source = "quarantine#" + std::to_string(r.id);
        batch.records = std::move(out.records);
        auto done = ingest::replay_quarantined(*store, r.id, batch);
        results.push_back(
            {{"id", r.id}, {"result", done.ok() ? "replayed" : done.error().message}, {"mapping", m->spec().id()}});
      }
      (void)store->audit().append(actor, "admin.quarantine_replay", {{"filter", b}, {"results", results.size()}});
      return reply(who, 200, results);
    }
    if (req.path == "/api/v1/deadletters" && !write) {
      store::DeadLetterFilter f{q("destination"), q("record"), q("code"), q("from"), q("to"), std::nullopt, 1000};
      auto rows = store->outbox().dead_letters(f);
      if (!rows.ok()) return sdk::error_response(500, "store", rows.error().message);
      json out = json::array();
      for (const auto& d : *rows)
        out.push_back({{"id", d.id},
                       {"destination", d.destination},
                       {"record_id", d.record_id},
                       {"version", d.version},
                       {"code", d.error_code},
                       {"field", d.error_field},
                       {"message", d.error_message},
                       {"dead_at", d.dead_at}});
      return reply(who, 200, out);
    }
    if (req.path == "/api/v1/deadletters/replay" && write) {
      json b = json::parse(req.body.empty() ? "{}" : req.body);
      store::DeadLetterFilter f{b.value("destination", ""),
                                b.value("record", ""),
                                b.value("code", ""),
                                b.value("from", ""),
                                b.value("to", ""),
                                std::nullopt,
                                100000};
      if (b.contains("id")) f.id = b["id"].get<int64_t>();
      auto n = store->outbox().replay_dead_letters(f, actor);
      if (!n.ok()) return sdk::error_response(500, "store", n.error().message);
      return reply(who, 200, {{"replayed", *n}});
    }
    if (req.path.rfind("/api/v1/records/", 0) == 0 && !write) {
      std::string id = req.path.substr(16);
      auto r = store->records().get(id);
      if (!r.ok()) return sdk::error_response(500, "store", r.error().message);
      if (!*r) return sdk::error_response(404, "not_found", "no record " + id);
      json history = json::array();
      if (auto h = store->records().history(id); h.ok())
        for (const auto& v : *h) history.push_back(to_json(v));
      json audit = json::array();
      if (auto a = store->audit().list(id, 1000); a.ok())
        for (const auto& e : *a)
          audit.push_back({{"at", e.at},
                           {"actor", e.actor},
                           {"action", e.action},
                           {"version", e.version},
                           {"source", e.source},
                           {"detail", e.detail}});
      return reply(
          who, 200,
          {{"record", to_json((*r)->record)}, {"origin", (*r)->origin}, {"history", history}, {"audit", audit}});
    }
    if (req.path == "/api/v1/items" && !write) {  // every department's, as the department API lists them
      const std::string today = date_cst(std::chrono::system_clock::now());
      auto f = department_api::item_filter(q("department"), req.query, today);
      if (!f.ok()) return sdk::error_response(400, "bad_request", f.error().message);
      auto rows = store->feedback().items(*f);
      if (!rows.ok()) return sdk::error_response(500, "store", rows.error().message);
      json out = json::array();
      for (const auto& item : *rows) {
        json j = department_api::item_json(item, today);
        j["department"] = item.department;
        out.push_back(std::move(j));
      }
      json next = rows->size() == f->limit ? json(std::to_string(rows->back().id)) : json(nullptr);
      return reply(who, 200, {{"items", out}, {"next_after", next}});
    }
    if (req.path == "/api/v1/feedback" && !write) {  // departments' execution feedback and its relay
      store::ReportFilter f;
      f.department = q("department");
      try {
        if (!q("item").empty()) f.item_id = std::stoll(q("item"));
        if (!q("after").empty()) f.after_id = std::stoll(q("after"));
        if (!q("limit").empty()) f.limit = std::clamp<size_t>(std::stoul(q("limit")), 1, 1000);
      } catch (const std::exception&) {
        return sdk::error_response(400, "bad_request", "item, after and limit are whole numbers");
      }
      auto rows = store->feedback_reports().list(f);
      if (!rows.ok()) return sdk::error_response(500, "store", rows.error().message);
      json out = json::array();
      for (const auto& row : *rows) {
        const auto& r = row.report;
        json relay = json::object();
        for (const auto& [dest, state] : row.relay) relay[dest] = state;
        json entry = {{"id", row.id},
                      {"feedback_id", r.feedback_id},
                      {"department", r.department},
                      {"item_id", std::to_string(r.item_id)},
                      {"record_id", r.record_id},
                      {"version", r.version},
                      {"catalog", r.catalog},
                      {"measure_id", r.measure_id},
                      {"action", r.action},
                      {"on", r.on},
                      {"case_ref", r.case_ref},
                      {"note", r.note},
                      {"actor", r.actor},
                      {"received_at", r.received_at},
                      {"relay", relay}};
        if (!r.check_id.empty()) {  // a report on a check's hit
          entry["check_id"] = r.check_id;
          entry["subject_index"] = r.subject_index;
        }
        out.push_back(std::move(entry));
      }
      return reply(who, 200, out);
    }
    if (req.path == "/api/v1/objections" && write) {  // an operator objects to a record
      objections::RaiseCall call{"operator", actor, date_cst(std::chrono::system_clock::now())};
      auto raised = objections::raise_objection(*store, call, req.body);
      if (!raised.ok()) {
        const int status = objections::http_status_of(raised.error().code);
        return sdk::error_response(status, status == 500 ? "store" : raised.error().code, raised.error().message);
      }
      return reply(who, (*raised)["duplicate"].get<bool>() ? 200 : 201, *raised);
    }
    if (req.path == "/api/v1/objections" && !write) {  // every objection raised here, newest first
      store::ObjectionFilter f;
      f.record_id = q("record");
      f.raised_by = q("raised_by");
      f.state = q("state");
      try {
        if (!q("limit").empty()) f.limit = std::clamp<size_t>(std::stoul(q("limit")), 1, 1000);
      } catch (const std::exception&) {
        return sdk::error_response(400, "bad_request", "limit is a whole number");
      }
      auto rows = store->objections().list(f);
      if (!rows.ok()) return sdk::error_response(500, "store", rows.error().message);
      json out = json::array();
      for (const auto& o : *rows)
        out.push_back({{"objection_id", o.objection_id},
                       {"record_id", o.record_id},
                       {"version", o.version},
                       {"raised_by", o.raised_by},
                       {"actor", o.actor},
                       {"raised_on", o.raised_on},
                       {"reason", o.reason},
                       {"state", o.state},
                       {"answer", o.answer},
                       {"attempts", o.attempts},
                       {"created_at", o.created_at},
                       {"updated_at", o.updated_at}});
      return reply(who, 200, out);
    }
    if (req.path == "/api/v1/reports/shuanggongshi" && !write) return shuanggongshi(who, q);
    if (req.path == "/api/v1/reports/monthly" && !write) {
      auto days = calendar::WorkingDays::load_dir(cfg.calendar_dir);
      if (!days.ok()) return sdk::error_response(500, "calendar", days.error().to_string());
      auto pdf = statistics::monthly_report_pdf(*store, cfg, *days, q("month"), q("department"),
                                                std::chrono::system_clock::now());
      if (!pdf.ok())
        return sdk::error_response(pdf.error().code == "bad_request" ? 400 : 500, pdf.error().code,
                                   pdf.error().to_string());
      HttpResponse r;
      r.content_type = "application/pdf";
      r.body = std::move(*pdf);
      return r;
    }
    if (req.path == "/api/v1/reports/credit" || req.path.rfind("/api/v1/reports/credit/", 0) == 0)
      return credit_reports(who, req, actor);
    if (req.path == "/api/v1/statistics" && !write) {
      auto query = statistics::parse_query(q("from"), q("to"), q("period"), q("by"), q("figure"));
      if (!query.ok()) return sdk::error_response(400, "bad_request", query.error().to_string());
      if (q("format") != "" && q("format") != "json" && q("format") != "csv" && q("format") != "xlsx")
        return sdk::error_response(400, "bad_request", "format is json, csv or xlsx");
      auto rows = statistics::run(*store, *query);
      if (!rows.ok()) return sdk::error_response(500, "store", rows.error().message);
      if (q("format") == "csv") {
        HttpResponse r;
        r.content_type = "text/csv; charset=utf-8";
        r.body = statistics::to_csv(*rows);
        return r;
      }
      if (q("format") == "xlsx") {
        auto book = documents::xlsx_workbook(statistics::statistics_sheets(*rows, cfg), cfg.run_dir());
        if (!book.ok()) return sdk::error_response(500, "document", book.error().to_string());
        HttpResponse r;
        r.content_type = kXlsxType;
        r.headers.emplace_back("Content-Disposition", "attachment; filename=\"statistics.xlsx\"");
        r.body = std::move(*book);
        return r;
      }
      return reply(who, 200, statistics::to_json(*rows));
    }
    if (req.path == "/api/v1/checks" && !write) {  // every department's credit checks, newest first
      store::CheckFilter f;
      f.department = q("department");
      f.from = q("from");
      f.to = q("to");
      f.verdict = q("verdict");
      f.before_id = q("before");
      for (const auto* day : {&f.from, &f.to})
        if (!day->empty() && !calendar::parse_date(*day).ok())
          return sdk::error_response(400, "bad_request", "from and to are dates YYYY-MM-DD");
      if (!f.verdict.empty() && checks::verdict_rank(f.verdict) == 0 && f.verdict != "invalid_subject")
        return sdk::error_response(400, "bad_request", "verdict is restricted, incentive, clear or invalid_subject");
      try {
        if (!q("limit").empty()) f.limit = std::clamp<size_t>(std::stoul(q("limit")), 1, 1000);
      } catch (const std::exception&) {
        return sdk::error_response(400, "bad_request", "limit is a whole number");
      }
      auto rows = store->checks().list(f);
      if (!rows.ok()) return sdk::error_response(500, "store", rows.error().message);
      json out = json::array();
      for (const auto& c : *rows)
        out.push_back({{"check_id", c.check_id},
                       {"department", c.department},
                       {"checked_by", c.actor},
                       {"checked_at", c.checked_at},
                       {"scenario", c.scenario},
                       {"purpose", c.purpose},
                       {"case_ref", c.case_ref},
                       {"on", c.on},
                       {"catalog", c.catalog},
                       {"verdict", c.verdict},
                       {"subjects", c.subjects},
                       {"hits", c.hits}});
      json next = rows->size() == f.limit ? json(rows->back().check_id) : json(nullptr);
      return reply(who, 200, {{"checks", out}, {"next_before", next}});
    }
    if (req.path.rfind("/api/v1/checks/", 0) == 0 && !write) {  // one check as it was answered
      auto kept = store->checks().get(req.path.substr(15));
      if (!kept.ok()) return sdk::error_response(500, "store", kept.error().message);
      if (!*kept) return sdk::error_response(404, "not_found", "no check has this check_id");
      return reply(who, 200, checks::stored_answer(**kept));
    }
    if (req.path == "/api/v1/sync/waiting" && !write) {
      store::SyncLedger::WaitingFilter f;
      f.record_id = q("record");
      try {
        if (!q("limit").empty()) f.limit = std::clamp<size_t>(std::stoul(q("limit")), 1, 10000);
      } catch (const std::exception&) {
        return sdk::error_response(400, "bad_request", "limit is a whole number");
      }
      auto rows = store->sync().waiting(f);
      if (!rows.ok()) return sdk::error_response(500, "store", rows.error().message);
      json out = json::array();
      for (const auto& w : *rows)
        out.push_back({{"change_id", w.change_id},
                       {"source", w.source},
                       {"type", w.type},
                       {"record_id", w.record_id},
                       {"received_at", w.received_at},
                       {"change", json::parse(w.change, nullptr, false)}});
      return reply(who, 200, out);
    }
    if (req.path == "/api/v1/subjects" && !write) {
      if (q("uscc").empty() && q("id_number").empty())
        return sdk::error_response(400, "bad_request", "give uscc or id_number");
      auto rows = store->records().of_subject(q("uscc"), q("id_number"));
      if (!rows.ok()) return sdk::error_response(500, "store", rows.error().message);
      json out = json::array();
      for (const auto& r : *rows) out.push_back(to_json(r.record));
      return reply(who, 200, out);
    }
    if (req.path == "/api/v1/config/reload" && write) {
      if (!src.reload) return reply(who, 503, {{"error", "this gateway cannot reload its config"}});
      const json problems = src.reload();  // the reload itself checks again, the same way
      if (!problems.empty())
        return reply(who, 400, {{"reloaded", false}, {"problems", problems}, {"note", "the running config stays"}});
      (void)store->audit().append(actor, "admin.config_reload", {{"file", cfg.file}});
      return reply(who, 202, {{"reloading", true}, {"file", cfg.file}});
    }
    if (req.path.rfind("/api/v1/jobs/", 0) == 0 && write) {
      std::string rest = req.path.substr(13);
      auto slash = rest.find('/');
      std::string name = rest.substr(0, slash);
      if (slash == std::string::npos || rest.substr(slash) != "/run")
        return sdk::error_response(404, "not_found", "POST /api/v1/jobs/<name>/run");
      if (!src.scheduler) return sdk::error_response(503, "not_started", "the scheduler is not running");
      if (auto s = src.scheduler->trigger(name); !s)
        return sdk::error_response(s.error().code == "unknown_job" ? 404 : 409, s.error().code, s.error().message);
      (void)store->audit().append(actor, "admin.job_run", {{"job", name}});
      return reply(who, 202, {{"job", name}, {"started", true}});
    }
    return sdk::error_response(404, "not_found", "no such endpoint");
  }
};

AdminServer::AdminServer(config::Config cfg, Sources sources) : impl_(std::make_unique<Impl>()) {
  impl_->cfg = std::move(cfg);
  impl_->src = std::move(sources);
}

AdminServer::~AdminServer() {
  stop();
}

Status AdminServer::start() {
  if (!impl_->src.open_store) return make_error("admin", "the admin server has no store to open");
  auto st = impl_->src.open_store();
  if (!st.ok()) return st.error();
  impl_->store = std::move(st.value());
  const auto& cfg = impl_->cfg;
  auto listener = HttpListener::start(
      {cfg.admin_listen, cfg.run_dir() + "/admin.port", "cg-admin", "/admin/listen", cfg.admin_http},
      [this](const HttpRequest& r) { return impl_->handle(r); });
  if (!listener.ok()) return make_error("admin", "admin server: " + listener.error().message, listener.error().where);
  impl_->listener = std::move(*listener);
  port_ = impl_->listener->port();
  if (!std::filesystem::exists(cfg.admin_tokens_file))
    log::warn("admin", "no admin tokens file: the API answers 401 until one exists",
              {{"tokens_file", cfg.admin_tokens_file}});
  for (const auto& p : read_admin_tokens(cfg.admin_tokens_file).problems)
    log::error("admin", "admin tokens file: " + p.message + " (this line is not used)", {{"where", p.where}});
  log::info("admin", "admin API, dashboard and metrics listening", {{"address", impl_->listener->address()}});
  return {};
}

void AdminServer::stop() {
  if (impl_) impl_->listener.reset();
}

}  // namespace cg::admin
