#include "department_api/department_server.hpp"

#include <credit_gateway/support/http_server.hpp>
#include <filesystem>
#include <mutex>
#include <optional>

#include "calendar/working_days.hpp"
#include "checks/run_check.hpp"
#include "common/clock.hpp"
#include "common/http_listener.hpp"
#include "common/log.hpp"
#include "common/mask.hpp"
#include "common/rate_limiter.hpp"
#include "common/tokens_file.hpp"
#include "credit_report/make_report.hpp"
#include "delivery/routing.hpp"
#include "department_api/feedback.hpp"
#include "department_api/items.hpp"
#include "objections/raise.hpp"

namespace cg::department_api {

using nlohmann::json;
using sdk::HttpRequest;
using sdk::HttpResponse;

namespace {

struct Caller {
  std::string department, name;
};

// The platform contract's error body: {"error": {"code", "message", "field"}}.
HttpResponse error(int status, const std::string& code, const std::string& message, const std::string& field = "") {
  json e = {{"code", code}, {"message", message}};
  if (!field.empty()) e["field"] = field;
  return sdk::json_response(status, json{{"error", e}}.dump(-1, ' ', false, json::error_handler_t::replace));
}

}  // namespace

struct DepartmentServer::Impl {
  config::Config cfg;
  OpenStore open_store;
  std::unique_ptr<store::Store> store;
  // Further connections that share a check of many subjects, opened at the
  // first such check (department_api.check_threads - 1 of them).
  std::vector<std::unique_ptr<store::Store>> helpers;
  std::vector<store::Store*> helper_list;
  bool helpers_tried = false;
  std::mutex catalogs_mu;
  std::shared_ptr<const catalog::CatalogHistory> catalogs;  // null: the catalog did not load
  std::unique_ptr<RateLimiter> verify_limit;
  int port = 0;
  std::unique_ptr<HttpListener> listener;  // last: it stops serving before the rest goes

  std::optional<Caller> authenticate(const HttpRequest& req) const {
    std::string h = req.header("authorization");
    if (h.rfind("Bearer ", 0) != 0) return std::nullopt;
    std::string token = h.substr(7);
    if (token.size() < 16) return std::nullopt;
    // Read on each call: tokens are rotated without a restart.
    const auto file = read_department_tokens(cfg.department_api_tokens_file, cfg.department_ids());
    if (const Token* t = find_token(file, token)) return Caller{t->scope, t->name};
    return std::nullopt;
  }

  HttpResponse handle(const HttpRequest& req) {
    if (req.path.rfind("/verify/", 0) == 0) return verify(req);  // no token: an accepting unit scans the QR code
    if (req.path.rfind("/api/", 0) != 0) return error(404, "not_found", "no such endpoint");
    auto who = authenticate(req);
    if (!who) {
      log::warn("department_api", "a call without a valid department token was refused",
                {{"peer", req.peer}, {"path", mask_ids_in_text(req.path)}});
      return error(401, "unauthorized", "a valid department token is required (Authorization: Bearer <token>)");
    }
    HttpResponse res;
    bool audited = false;
    try {
      res = answer(*who, req, audited);
    } catch (const std::exception& e) {  // nothing a department sends stops the API
      res = error(400, "bad_request", mask_ids_in_text(e.what()));
    }
    if (audited) return res;
    if (auto s = store->audit().append(call_entry(*who, req, res.status)); !s)
      log::error("department_api", "a call could not be audited: " + s.error().message,
                 {{"department", who->department}});
    return res;
  }

  // Every call is recorded: who, what was asked, what was answered.
  static store::AuditEntry call_entry(const Caller& who, const HttpRequest& req, int status) {
    json asked = {{"method", req.method}, {"path", req.path}, {"query", req.query}};
    return {actor(who), "department_api.call", "", 0, "department_api", {{"asked", asked}, {"status", status}}};
  }

  // `audited`: set when the call is on record already (audited with what it
  // wrote, or a check kept in the ledger).
  HttpResponse answer(const Caller& who, const HttpRequest& req, bool& audited) {
    if (auto d = req.query.find("department"); d != req.query.end() && d->second != who.department)
      return error(403, "forbidden", "this token acts for " + who.department + " only", "department");
    if (req.path == "/api/v1/items") {
      if (req.method != "GET") return error(405, "method_not_allowed", "GET /api/v1/items");
      return items(who, req);
    }
    if (req.path == "/api/v1/feedback") {
      if (req.method != "POST") return error(405, "method_not_allowed", "POST /api/v1/feedback");
      return feedback(who, req);
    }
    if (req.path == "/api/v1/checks") {
      if (req.method != "POST") return error(405, "method_not_allowed", "POST /api/v1/checks");
      return check(who, req, audited);
    }
    if (req.path.rfind("/api/v1/checks/", 0) == 0) {
      if (req.method != "GET") return error(405, "method_not_allowed", "GET /api/v1/checks/<check_id>");
      return stored_check(who, req.path.substr(15));
    }
    if (req.path == "/api/v1/objections") {
      if (req.method != "POST") return error(405, "method_not_allowed", "POST /api/v1/objections");
      return objection(who, req);
    }
    if (req.path == "/api/v1/reports") {
      if (req.method != "POST") return error(405, "method_not_allowed", "POST /api/v1/reports");
      return make_report(who, req, audited);
    }
    if (req.path.rfind("/api/v1/reports/", 0) == 0) {
      if (req.method != "GET") return error(405, "method_not_allowed", "GET /api/v1/reports/<code>[.pdf]");
      return stored_report(who, req.path.substr(16));
    }
    return error(404, "not_found",
                 "no such endpoint (POST /api/v1/checks, GET /api/v1/checks/<check_id>, GET /api/v1/items, POST "
                 "/api/v1/feedback, POST /api/v1/objections, POST /api/v1/reports, GET /api/v1/reports/<code>)");
  }

  // 专用信用报告 for a department's own use (a subject that applies to it).
  // `audited`: set when the report is kept (audited as report.made).
  HttpResponse make_report(const Caller& who, const HttpRequest& req, bool& audited) {
    auto ask = credit_report::parse_report_ask(req.body);
    if (!ask.ok()) return error(400, ask.error().code, ask.error().message, ask.error().where);
    auto days = calendar::WorkingDays::load_dir(cfg.calendar_dir);
    if (!days.ok()) return error(503, "no_calendar", "the working-day calendars did not load: " + days.error().message);
    const auto settings = credit_report::report_settings(cfg, port);
    auto made = credit_report::make_credit_report(*store, *days, settings, {who.department, actor(who)}, *ask,
                                                  std::chrono::system_clock::now());
    if (!made.ok()) {
      const Error& e = made.error();
      if (e.code == "bad_request") return error(400, e.code, mask_ids_in_text(e.message), e.where);
      log::error("department_api", "a credit report could not be made: " + mask_ids_in_text(e.message),
                 {{"department", who.department}});
      return error(e.code == "calendar" ? 503 : 500, e.code, mask_ids_in_text(e.message));
    }
    audited = true;
    json body = credit_report::report_json(*made);
    body["pdf"] = "/api/v1/reports/" + made->code + ".pdf";
    body["verify_url"] = settings.verify_base + made->code;
    return sdk::json_response(201, body.dump(-1, ' ', false, json::error_handler_t::replace));
  }

  // A department's own report again: its metadata, or with .pdf the PDF as made.
  HttpResponse stored_report(const Caller& who, const std::string& code) {
    bool pdf = false;
    auto kept = credit_report::find_credit_report(*store, code, pdf);
    if (!kept.ok()) return error(500, "store", kept.error().message);
    if (!*kept || (*kept)->department != who.department)
      return error(404, "not_found", "no report of " + who.department + " has this code");
    if (!pdf) return sdk::json_response(200, credit_report::report_json(**kept).dump());
    HttpResponse res;
    res.content_type = "application/pdf";
    res.headers.emplace_back("Content-Disposition", "attachment; filename=\"credit-report-" + (*kept)->code + ".pdf\"");
    res.body = std::move((*kept)->pdf);
    return res;
  }

  // GET /verify/<code>: no token (an accepting unit scans the QR code), a
  // limited number a minute from one address; audited with it.
  HttpResponse verify(const HttpRequest& req) {
    if (req.method != "GET") return error(405, "method_not_allowed", "GET /verify/<code>");
    const std::string client = req.peer.substr(0, req.peer.rfind(':'));
    int64_t retry = 0;
    if (!verify_limit->allow(client, RateLimiter::Clock::now(), &retry)) {
      auto res = error(429, "too_many_requests",
                       "at most " + std::to_string(cfg.department_api_verify_per_minute) +
                           " verifications a minute from one address");
      res.headers.emplace_back("Retry-After", std::to_string(retry));
      return res;
    }
    try {  // nothing a client sends stops the API
      auto v = credit_report::verify_credit_report(*store, req.path.substr(8),
                                                   date_cst(std::chrono::system_clock::now()), client);
      if (!v.ok()) return error(500, "store", v.error().message);
      return sdk::json_response(v->status, v->body.dump(-1, ' ', false, json::error_handler_t::replace));
    } catch (const std::exception& e) {
      return error(400, "bad_request", mask_ids_in_text(e.what()));
    }
  }

  void open_helpers() {
    if (helpers_tried) return;
    helpers_tried = true;
    for (int64_t i = 1; i < cfg.department_api_check_threads; ++i) {
      auto st = open_store();
      if (!st.ok()) {
        log::warn("department_api",
                  "a store connection to share credit checks did not open: checks of many subjects use fewer threads",
                  {{"error", st.error().to_string()}});
        break;
      }
      helper_list.push_back(st.value().get());
      helpers.push_back(std::move(st.value()));
    }
  }

  // 信用核查: the records are read without the store's write lock, and the
  // answer is kept in the check ledger before it is sent; that entry is the
  // call's record, in place of an audit entry. Errors name the field, never a
  // value that may be an ID number.
  HttpResponse check(const Caller& who, const HttpRequest& req, bool& audited) {
    std::shared_ptr<const catalog::CatalogHistory> now;
    {
      std::lock_guard<std::mutex> lock(catalogs_mu);
      now = catalogs;
    }
    if (!now) return error(503, "no_catalog", "the gateway has no catalog loaded: see its log");
    auto request = checks::parse_check_request(req.body, date_cst(std::chrono::system_clock::now()));
    if (!request.ok())
      return error(400, request.error().code, mask_ids_in_text(request.error().message), request.error().where);
    if (request->subjects.size() >= checks::kSharedCheckFrom) open_helpers();
    auto answer = checks::run_check(*store, *now, {who.department, actor(who)}, *request, helper_list);
    audited = answer.ok();
    if (!answer.ok()) {
      const Error& e = answer.error();
      if (e.code != "bad_request") return error(500, "store", e.message);
      return error(400, e.code, mask_ids_in_text(e.message), e.where);
    }
    log::debug("department_api", "credit check answered",
               {{"department", who.department},
                {"check_id", answer->check_id},
                {"scenario", request->scenario},
                {"subjects", request->subjects.size()}});
    return sdk::json_response(200, std::move(answer->text));
  }

  // A department's own check as it was answered (应查必查); another's is not found.
  HttpResponse stored_check(const Caller& who, const std::string& check_id) {
    auto kept = store->checks().get(check_id);
    if (!kept.ok()) return error(500, "store", kept.error().message);
    if (!*kept || (*kept)->department != who.department)
      return error(404, "not_found", "no check of " + who.department + " has this check_id");
    return sdk::json_response(200, checks::stored_answer(**kept).dump(-1, ' ', false, json::error_handler_t::replace));
  }

  HttpResponse feedback(const Caller& who, const HttpRequest& req) {
    FeedbackCall call{who.department, actor(who), cfg.feedback_destinations(), delivery::make_router(cfg.destinations),
                      date_cst(std::chrono::system_clock::now())};
    auto results = take_feedback(*store, call, req.body);
    if (!results.ok()) {
      const Error& e = results.error();
      if (e.code != "bad_request") return error(500, "store", e.message);
      return error(400, e.code, e.message, e.where);
    }
    size_t accepted = 0;
    for (const auto& r : (*results)["results"]) accepted += r["status"] == "accepted";
    if (accepted)
      log::info("department_api", "execution feedback accepted",
                {{"department", who.department}, {"accepted", accepted}, {"entries", (*results)["results"].size()}});
    return sdk::json_response(200, results->dump(-1, ' ', false, json::error_handler_t::replace));
  }

  // 主动发现信息不实: the department objects to a record; the sync job sends
  // the objection to the provincial platform.
  HttpResponse objection(const Caller& who, const HttpRequest& req) {
    objections::RaiseCall call{who.department, actor(who), date_cst(std::chrono::system_clock::now()), true};
    auto raised = objections::raise_objection(*store, call, req.body);
    if (!raised.ok()) {
      const Error& e = raised.error();
      const int status = objections::http_status_of(e.code);
      return error(status, status == 500 ? "store" : e.code, e.message, e.where);
    }
    if (!(*raised)["duplicate"].get<bool>())
      log::info("department_api", "objection raised",
                {{"department", who.department},
                 {"objection_id", (*raised)["objection_id"]},
                 {"record_id", (*raised)["record_id"]}});
    return sdk::json_response((*raised)["duplicate"].get<bool>() ? 200 : 201,
                              raised->dump(-1, ' ', false, json::error_handler_t::replace));
  }

  static std::string actor(const Caller& who) { return "department:" + who.department + "/" + who.name; }

  HttpResponse items(const Caller& who, const HttpRequest& req) {
    const std::string today = date_cst(std::chrono::system_clock::now());
    auto filter = item_filter(who.department, req.query, today);
    if (!filter.ok()) return error(400, filter.error().code, filter.error().message, filter.error().where);
    auto rows = store->feedback().items(*filter);
    if (!rows.ok()) return error(500, "store", rows.error().message);
    json list = json::array();
    for (const auto& item : *rows) list.push_back(item_json(item, today));
    json body = {{"items", list}, {"next_after", nullptr}};
    if (rows->size() == filter->limit) body["next_after"] = std::to_string(rows->back().id);
    return sdk::json_response(200, body.dump(-1, ' ', false, json::error_handler_t::replace));
  }
};

DepartmentServer::DepartmentServer(config::Config cfg, OpenStore open_store) : impl_(std::make_unique<Impl>()) {
  impl_->cfg = std::move(cfg);
  impl_->open_store = std::move(open_store);
  impl_->verify_limit = std::make_unique<RateLimiter>(impl_->cfg.department_api_verify_per_minute);
}

DepartmentServer::~DepartmentServer() {
  stop();
}

Status DepartmentServer::start() {
  auto st = impl_->open_store();
  if (!st.ok()) return st.error();
  impl_->store = std::move(st.value());
  const auto& cfg = impl_->cfg;
  if (auto loaded = catalog::load_catalog_history(cfg.catalog_file, cfg.department_ids(), impl_->store->catalogs());
      loaded.ok())
    use_catalogs(std::move(*loaded));
  else
    log::error("department_api", "no catalog: checks are answered 503 until a reload loads one",
               {{"error", loaded.error().to_string()}});
  // Reported before the port is published: what a client then meets is known.
  const auto& file = cfg.department_api_tokens_file;
  if (!std::filesystem::exists(file))
    log::warn("department_api", "no department tokens file: the department API answers 401 until one exists",
              {{"tokens_file", file}});
  for (const auto& p : read_department_tokens(file, cfg.department_ids()).problems)
    log::error("department_api", "department tokens file: " + p.message + " (this line is not used)",
               {{"where", p.where}});
  auto listener = HttpListener::start({cfg.department_api_listen, cfg.run_dir() + "/department_api.port",
                                       "cg-department", "/department_api/listen", cfg.department_api_http},
                                      [this](const HttpRequest& r) { return impl_->handle(r); });
  if (!listener.ok())
    return make_error("department_api", "department API: " + listener.error().message, listener.error().where);
  impl_->listener = std::move(*listener);
  port_ = impl_->listener->port();
  impl_->port = port_;
  log::info("department_api", "department API listening", {{"address", impl_->listener->address()}});
  return {};
}

void DepartmentServer::use_catalogs(catalog::CatalogHistory catalogs) {
  auto next = std::make_shared<const catalog::CatalogHistory>(std::move(catalogs));
  std::lock_guard<std::mutex> lock(impl_->catalogs_mu);
  impl_->catalogs = std::move(next);
}

void DepartmentServer::stop() {
  if (impl_) impl_->listener.reset();
}

}  // namespace cg::department_api
