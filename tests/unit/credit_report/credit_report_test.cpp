// 专用信用报告: its window by the working-day calendar, its 核验码, what it
// shows of a subject's records (repaired and revoked ones never, a record
// repaired once and since reinstated neither, every domain named), the PDF
// read back with pdftotext, and verification from what was kept: valid,
// expired, unknown, each audited and counted.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>

#include "../test_support.hpp"
#include "common/hash.hpp"
#include "credit_report/make_report.hpp"
#include "credit_report/report_window.hpp"
#include "credit_report/verification_code.hpp"
#include "record/record.hpp"
#include "store/statistics.hpp"

using nlohmann::json;

namespace {

constexpr const char* kUscc = "91510802204613570F";  // its check characters are right
constexpr const char* kOther = "91510802204613589C";

cg::calendar::WorkingDays calendar() {
  auto days = cg::calendar::WorkingDays::load_dir(std::string(CG_SOURCE_DIR) + "/config/calendar");
  EXPECT_TRUE(days.ok()) << days.error().to_string();
  return std::move(*days);
}

std::string pdftotext(const std::string& pdf, const cg::test::TempDir& dir) {
  std::ofstream(dir.file("r.pdf"), std::ios::binary) << pdf;
  std::string out;
  FILE* p = popen(("pdftotext " + dir.file("r.pdf") + " - 2>&1").c_str(), "r");
  std::array<char, 4096> buf{};
  size_t n = 0;
  while (p && (n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  if (p) pclose(p);
  std::string compact;  // pdftotext joins CJK and digits without spaces; a cell's text may wrap
  for (char c : out)
    if (c != ' ' && c != '\n') compact += c;
  return compact;
}

cg::Record record(const std::string& key, const std::string& department, const std::string& kind,
                  const std::string& decided_on, const std::string& document_number, const char* uscc = kUscc) {
  cg::Record r;
  r.kind = kind;
  r.source.department = department;
  r.source.source_key = key;
  r.record_id = cg::compute_record_id(department, kind, key);
  r.version = 1;
  r.status = "active";
  r.subject.type = "legal_person";
  r.subject.name = "广元市某某建材有限公司";
  r.subject.uscc = uscc;
  r.decision.decided_on = decided_on;
  r.decision.document_number = document_number;
  r.decision.authority = cg::Authority{"广元市市场监督管理局", std::nullopt};
  r.detail.facts = "未按规定公示年度报告";
  return r;
}

}  // namespace

TEST(ReportWindow, EndsOneWorkingDayBeforeTheDayMadeAndIsValidOneMonth) {
  const auto days = calendar();
  struct Case {
    const char* made;
    int64_t years;
    const char* from;
    const char* to;
    const char* expires;
  } cases[] = {
      {"2026-10-08", 1, "2025-10-01", "2026-09-30", "2026-11-08"},  // National Day: back to 30 September
      {"2026-02-24", 3, "2023-02-15", "2026-02-14", "2026-03-24"},  // Spring Festival: the Saturday worked
      {"2026-03-02", 2, "2024-02-29", "2026-02-28", "2026-04-02"},  // a Saturday worked; a leap day
      {"2026-03-31", 1, "2025-03-31", "2026-03-30", "2026-04-30"},  // one month on, within April
      {"2026-12-07", 1, "2025-12-05", "2026-12-04", "2027-01-07"},  // a Monday: back to Friday
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.made);
    auto w = cg::credit_report::report_window(days, c.made, c.years);
    ASSERT_TRUE(w.ok()) << w.error().to_string();
    EXPECT_EQ(w->from, c.from);
    EXPECT_EQ(w->to, c.to);
    EXPECT_EQ(w->expires_on, c.expires);
  }
  auto four = cg::credit_report::report_window(days, "2026-12-07", 4);
  ASSERT_FALSE(four.ok());
  EXPECT_EQ(four.error().where, "years");
  auto no_calendar = cg::credit_report::report_window(days, "2031-06-03", 1);
  ASSERT_FALSE(no_calendar.ok());
  EXPECT_NE(no_calendar.error().message.find("2031"), std::string::npos) << no_calendar.error().message;
}

TEST(VerificationCode, IsRandomReadableAndFoundAsTypedOrScanned) {
  auto a = cg::credit_report::new_verification_code();
  auto b = cg::credit_report::new_verification_code();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_EQ(a->size(), 19u);
  EXPECT_EQ((*a)[4], '-');
  EXPECT_EQ(cg::credit_report::normalise_verification_code(*a), *a);
  EXPECT_EQ(cg::credit_report::normalise_verification_code("abcd efgh-jkmn pq0o"), "ABCD-EFGH-JKMN-PQ00");
  EXPECT_EQ(cg::credit_report::normalise_verification_code("ilIL0000000000000"), std::nullopt);  // 17 characters
  EXPECT_EQ(cg::credit_report::normalise_verification_code("ilIL000000000000"), "1111-0000-0000-0000");
  EXPECT_EQ(cg::credit_report::normalise_verification_code("ABCD-EFGH-JKMN-PQRU"), std::nullopt);  // U is not used
  EXPECT_EQ(cg::credit_report::normalise_verification_code("../../etc/passwd"), std::nullopt);
}

class CreditReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = cg::store::open_sqlite_store(dir_.file("gateway.db"));
    ASSERT_TRUE(opened.ok()) << opened.error().to_string();
    store_ = std::move(opened.value());
    cg::store::IngestBatch batch;
    batch.actor = "test";
    batch.source = "credit_report_test";
    batch.records = {
        record("p1", "market_regulation", "admin_penalty", "2026-06-01", "广市监罚〔2026〕11号"),
        record("p-old", "market_regulation", "admin_penalty", "2024-05-01", "广市监罚〔2024〕3号"),  // before
        record("p-rep", "market_regulation", "admin_penalty", "2026-03-01", "广市监罚〔2026〕5号"),
        record("p-back", "tax", "admin_penalty", "2026-04-01", "广税罚〔2026〕9号"),
        record("p-rev", "tax", "admin_penalty", "2026-05-01", "广税罚〔2026〕10号"),
        record("d1", "court", "dishonest_debtor", "2024-01-10", "（2024）川08执12号"),  // listed before, in force
        record("l1", "market_regulation", "admin_license", "2026-02-01", "广市监许〔2026〕1号"),
        record("x1", "market_regulation", "admin_penalty", "2026-06-01", "广市监罚〔2026〕99号", kOther),
    };
    batch.records[5].decision.valid_until = "2027-01-10";
    ASSERT_TRUE(store_->records().ingest(batch).ok());
    // Repaired; repaired and then reinstated; revoked.
    change("p-rep", "market_regulation", 2, "repaired");
    change("p-back", "tax", 2, "repaired");
    change("p-back", "tax", 3, "active");
    change("p-rev", "tax", 2, "revoked");
  }

  void change(const std::string& key, const std::string& department, int64_t version, const std::string& status) {
    auto kept = store_->records().get(cg::compute_record_id(department, "admin_penalty", key));
    ASSERT_TRUE(kept.ok() && *kept);
    cg::Record r = (*kept)->record;
    r.version = version;
    r.status = status;
    cg::store::VersionWrite w;
    w.actor = "test";
    w.source = "test";
    w.origin = "local";
    w.cause = "status:" + status;
    ASSERT_TRUE(store_->records().write_version(r, w).ok());
  }

  cg::credit_report::ReportSettings settings() const {
    return {{{"court", "法院"}, {"tax", "税务"}, {"market_regulation", "市场监管"}, {"procurement", "政府采购"}},
            "广元市公共信用信息中心",
            "https://xy.example.gov.cn/verify/"};
  }

  cg::test::TempDir dir_;
  std::unique_ptr<cg::store::Store> store_;
};

TEST_F(CreditReportTest, ShowsTheWindowsRecordsByDomainAndNeverARepairedOrRevokedOne) {
  const auto days = calendar();
  cg::credit_report::ReportAsk ask{kUscc, "", "招投标", 1};
  const auto now = std::chrono::sys_days{std::chrono::year{2026} / 12 / 7} + std::chrono::hours{2};
  auto made = cg::credit_report::make_credit_report(*store_, days, settings(),
                                                    {"procurement", "department:procurement/t"}, ask, now);
  ASSERT_TRUE(made.ok()) << made.error().to_string();
  EXPECT_EQ(made->window_from, "2025-12-05");
  EXPECT_EQ(made->window_to, "2026-12-04");
  EXPECT_EQ(made->expires_on, "2027-01-07");
  EXPECT_EQ(made->subject_name, "广元市某某建材有限公司");
  EXPECT_EQ(made->sha256, cg::sha256_hex(made->pdf));

  const json content = json::parse(made->content);
  std::map<std::string, std::vector<std::string>> shown;
  for (const auto& d : content["domains"])
    for (const char* part : {"adverse", "other"})
      for (const auto& e : d[part]) shown[d["id"].get<std::string>() + "/" + part].push_back(e["document_number"]);
  EXPECT_EQ(shown["market_regulation/adverse"], std::vector<std::string>{"广市监罚〔2026〕11号"});
  EXPECT_EQ(shown["market_regulation/other"], std::vector<std::string>{"广市监许〔2026〕1号"});
  EXPECT_EQ(shown["court/adverse"], std::vector<std::string>{"（2024）川08执12号"});  // in force in the window
  EXPECT_TRUE(shown["tax/adverse"].empty());                                          // repaired once, revoked
  ASSERT_EQ(content["domains"].size(), 4u);  // every domain, those without records too

  const std::string text = pdftotext(made->pdf, dir_);
  for (const char* want : {"专用信用报告", "广元市某某建材有限公司", kUscc, "2025-12-05至2026-12-04（近一年）",
                           "有效期至", "2027-01-07", "广市监罚〔2026〕11号", "（2024）川08执12号", "一、法院",
                           "二、税务", "四、政府采购", "无违法违规记录", "广元市公共信用信息中心", "第1页共"})
    EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text.substr(0, 3000);
  EXPECT_NE(text.find(made->code), std::string::npos);
  for (const char* never : {"广市监罚〔2026〕5号", "广税罚〔2026〕9号", "广税罚〔2026〕10号", "广市监罚〔2024〕3号",
                            "广市监罚〔2026〕99号"})
    EXPECT_EQ(text.find(never), std::string::npos) << never;
}

TEST_F(CreditReportTest, AVerificationAnswersFromWhatWasKeptAndIsAudited) {
  const auto days = calendar();
  const auto now = std::chrono::sys_days{std::chrono::year{2026} / 12 / 7} + std::chrono::hours{2};
  auto made = cg::credit_report::make_credit_report(*store_, days, settings(), {"operator", "operator:alice"},
                                                    {kUscc, "", "复核", 3}, now);
  ASSERT_TRUE(made.ok()) << made.error().to_string();

  std::string typed = made->code;
  for (char& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto valid = cg::credit_report::verify_credit_report(*store_, typed, "2027-01-07", "10.0.0.8");
  ASSERT_TRUE(valid.ok()) << valid.error().to_string();
  EXPECT_EQ(valid->status, 200);
  EXPECT_EQ(valid->body["state"], "valid");
  EXPECT_EQ(valid->body["sha256"], cg::sha256_hex(made->pdf));
  EXPECT_EQ(valid->body["window"]["from"], "2023-12-05");
  EXPECT_EQ(valid->body["subject"]["uscc"], kUscc);

  auto expired = cg::credit_report::verify_credit_report(*store_, made->code, "2027-01-08", "10.0.0.8");
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(expired->status, 200);
  EXPECT_EQ(expired->body["state"], "expired");
  EXPECT_EQ(expired->body["genuine"], true);

  auto unknown = cg::credit_report::verify_credit_report(*store_, "ABCD-EFGH-JKMN-PQRS", "2027-01-01", "10.0.0.9");
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(unknown->body["state"], "unknown");
  EXPECT_FALSE(unknown->body.contains("sha256"));

  // Kept whole: the PDF as made, again by its code.
  auto kept = store_->credit_reports().get(made->code, true);
  ASSERT_TRUE(kept.ok() && *kept);
  EXPECT_EQ((*kept)->pdf, made->pdf);

  auto audit = store_->audit().list("", 20);
  ASSERT_TRUE(audit.ok());
  std::map<std::string, int> actions;
  for (const auto& a : *audit) ++actions[a.action];
  EXPECT_EQ(actions["report.made"], 1);
  EXPECT_EQ(actions["report.verified"], 3);

  cg::store::StatisticsQuery q;
  q.from = "2026-01-01";
  q.to = "2030-12-31";
  q.period = "year";
  q.by_department = true;
  auto stats = store_->statistics().query(q);
  ASSERT_TRUE(stats.ok()) << stats.error().to_string();
  std::map<std::string, int64_t> n;
  for (const auto& row : *stats) n[row.figure + "/" + row.department] += row.n;
  EXPECT_EQ(n["reports_made/operator"], 1);
  EXPECT_EQ(n["reports_verified:valid/"], 1);
  EXPECT_EQ(n["reports_verified:expired/"], 1);
  EXPECT_EQ(n["reports_verified:unknown/"], 1);
}

TEST_F(CreditReportTest, ACodeThatFailsItsCheckIsRefusedNamingTheField) {
  auto made =
      cg::credit_report::make_credit_report(*store_, calendar(), settings(), {"operator", "operator:alice"},
                                            {"91510802204613570X", "", "复核", 1}, std::chrono::system_clock::now());
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.error().code, "bad_request");
  EXPECT_EQ(made.error().where, "uscc");
  auto ask = cg::credit_report::parse_report_ask(R"({"uscc": "x", "years": 5, "purpose": "p"})");
  ASSERT_FALSE(ask.ok());
  EXPECT_EQ(ask.error().where, "years");
  EXPECT_FALSE(cg::credit_report::parse_report_ask(R"({"uscc": "x"})").ok());
  EXPECT_FALSE(cg::credit_report::parse_report_ask("not json").ok());
}
