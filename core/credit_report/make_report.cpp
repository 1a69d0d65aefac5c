#include "credit_report/make_report.hpp"

#include "checks/check_request.hpp"
#include "common/clock.hpp"
#include "common/hash.hpp"
#include "common/mask.hpp"
#include "credit_report/report_pdf.hpp"
#include "credit_report/verification_code.hpp"

namespace cg::credit_report {

using nlohmann::json;

ReportSettings report_settings(const config::Config& cfg, int port) {
  ReportSettings s;
  for (const auto& id : cfg.department_ids()) s.domains.push_back({id, cfg.department_name(id)});
  s.issuer = cfg.department_api_report_issuer;
  s.verify_base = cfg.department_api_verify_url;
  if (s.verify_base.empty()) {
    std::string listen = cfg.department_api_listen;
    if (port > 0) listen = listen.substr(0, listen.rfind(':')) + ":" + std::to_string(port);
    s.verify_base = "http://" + listen + "/verify/";
  }
  return s;
}

Result<ReportAsk> parse_report_ask(std::string_view body) {
  const json j = json::parse(body, nullptr, false);
  if (!j.is_object()) return make_error("bad_request", "the body is not a JSON object", "");
  ReportAsk ask;
  auto text = [&](const char* key, std::string& out, bool required) -> Status {
    if (!j.contains(key))
      return required ? make_error("bad_request", std::string(key) + " is required", key) : Status{};
    if (!j[key].is_string()) return make_error("bad_request", std::string(key) + " must be a string", key);
    out = j[key].get<std::string>();
    return {};
  };
  for (auto [key, out, required] : {std::tuple{"uscc", &ask.uscc, true}, std::tuple{"purpose", &ask.purpose, true},
                                    std::tuple{"name", &ask.name, false}})
    if (auto s = text(key, *out, required); !s) return s.error();
  if (ask.purpose.empty() || ask.purpose.size() > 500)
    return make_error("bad_request", "purpose must be 1 to 500 characters", "purpose");
  if (j.contains("years")) {
    if (!j["years"].is_number_integer()) return make_error("bad_request", "years must be 1, 2 or 3", "years");
    ask.years = j["years"].get<int64_t>();
  }
  if (ask.years < 1 || ask.years > 3) return make_error("bad_request", "years must be 1, 2 or 3", "years");
  return ask;
}

Result<store::CreditReport> make_credit_report(store::Store& st, const calendar::WorkingDays& days,
                                               const ReportSettings& settings, const ReportCall& call,
                                               const ReportAsk& ask, std::chrono::system_clock::time_point now) {
  const auto subject = checks::make_check_subject(ask.uscc, std::nullopt, std::nullopt, std::nullopt);
  if (!subject.invalid.empty() || !subject.uscc)
    return make_error("bad_request", "uscc: " + (subject.invalid.empty() ? "required" : subject.invalid), "uscc");
  const std::string made_at = rfc3339_cst(now);
  auto window = report_window(days, made_at.substr(0, 10), ask.years);
  if (!window.ok()) return window.error();
  ContentRequest req{*subject.uscc, ask.name, ask.years, *window, settings.domains};
  auto content = report_content(st, req);
  if (!content.ok()) return content.error();
  auto code = new_verification_code();
  if (!code.ok()) return code.error();
  store::CreditReport r;
  r.code = *code;
  r.uscc = *subject.uscc;
  r.subject_name = (*content)["subject"]["name"].get<std::string>();
  r.years = ask.years;
  r.window_from = window->from;
  r.window_to = window->to;
  r.made_at = made_at;
  r.expires_on = window->expires_on;
  r.department = call.department;
  r.made_by = call.actor;
  r.purpose = ask.purpose;
  auto pdf = report_pdf(*content, {r.code, r.made_at, r.expires_on, settings.issuer, settings.verify_base + r.code});
  if (!pdf.ok()) return pdf.error();
  r.pdf = std::move(*pdf);
  r.sha256 = sha256_hex(r.pdf);
  r.content = content->dump(-1, ' ', false, json::error_handler_t::replace);
  if (auto s = st.credit_reports().add(r); !s) return s.error();
  return r;
}

Result<std::optional<store::CreditReport>> find_credit_report(store::Store& st, std::string_view code_or_pdf,
                                                              bool& pdf) {
  pdf = code_or_pdf.ends_with(".pdf");
  if (pdf) code_or_pdf.remove_suffix(4);
  const auto normal = normalise_verification_code(code_or_pdf);
  if (!normal) return std::optional<store::CreditReport>{};
  return st.credit_reports().get(*normal, pdf);
}

json report_json(const store::CreditReport& r) {
  return {{"code", r.code},       {"subject", {{"name", r.subject_name}, {"uscc", r.uscc}}},
          {"years", r.years},     {"window", {{"from", r.window_from}, {"to", r.window_to}}},
          {"made_at", r.made_at}, {"expires_on", r.expires_on},
          {"sha256", r.sha256},   {"department", r.department},
          {"purpose", r.purpose}};
}

Result<Verification> verify_credit_report(store::Store& st, std::string_view code, const std::string& today,
                                          const std::string& client) {
  const auto normal = normalise_verification_code(code);
  std::optional<store::CreditReport> found;
  if (normal) {
    auto got = st.credit_reports().get(*normal, false);
    if (!got.ok()) return got.error();
    found = std::move(*got);
  }
  Verification v;
  if (!found) {
    v.status = 404;
    v.body = {
        {"genuine", false}, {"state", "unknown"}, {"message", "no report of this gateway has this verification code"}};
  } else {
    const bool expired = today > found->expires_on;
    v.body = {{"genuine", true},           {"state", expired ? "expired" : "valid"},
              {"code", found->code},       {"subject", {{"name", found->subject_name}, {"uscc", found->uscc}}},
              {"years", found->years},     {"window", {{"from", found->window_from}, {"to", found->window_to}}},
              {"made_at", found->made_at}, {"expires_on", found->expires_on},
              {"sha256", found->sha256}};
    if (expired) v.body["message"] = "the report was valid until " + found->expires_on;
  }
  if (auto s = st.credit_reports().verified(normal.value_or(mask_ids_in_text(std::string(code.substr(0, 40)))),
                                            v.body["state"].get<std::string>(), client);
      !s)
    return s.error();
  return v;
}

}  // namespace cg::credit_report
