// The canonical credit record, version 1 (docs/canonical-record.md).
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace cg {

struct Person {  // 法定代表人 / 负责人
  std::optional<std::string> name;
  std::optional<std::string> id_type;
  std::optional<std::string> id_number;
  bool operator==(const Person&) const = default;
};

struct Authority {  // 作出决定机关
  std::optional<std::string> name;
  std::optional<std::string> uscc;
  bool operator==(const Authority&) const = default;
};

struct Subject {  // 信用主体
  std::string type;
  std::string name;
  std::optional<std::string> uscc;
  std::optional<std::string> id_type;
  std::optional<std::string> id_number;
  std::optional<Person> legal_representative;
  bool operator==(const Subject&) const = default;
};

struct Decision {  // 决定
  std::optional<std::string> document_number;
  std::optional<std::string> decided_on;
  std::optional<std::string> valid_from;
  std::optional<std::string> valid_until;
  std::optional<std::string> publish_until;
  std::optional<Authority> authority;
  bool operator==(const Decision&) const = default;
};

struct Detail {
  std::optional<std::string> violation_type;
  std::optional<std::string> facts;
  std::optional<std::string> basis;
  std::optional<std::vector<std::string>> penalty_types;
  std::optional<std::string> content;
  std::optional<int64_t> fine_fen;
  std::optional<int64_t> confiscated_fen;
  std::optional<std::string> license_name;
  std::optional<std::string> license_number;
  std::optional<std::string> license_category;
  std::optional<std::string> case_number;
  std::optional<std::string> court;
  std::optional<std::string> obligation;
  std::optional<std::string> performance;
  std::optional<int64_t> amount_fen;
  std::optional<std::string> removal_reason;
  std::optional<std::string> removed_on;
  std::optional<std::string> honour;             // red_list
  std::optional<std::string> commitment_type;    // credit_commitment: notification_approval, ...
  std::optional<std::string> commitment_matter;  // credit_commitment
  std::optional<std::string> commitment_status;  // credit_commitment: pending, fulfilled, breached
  std::optional<std::string> fulfilment_due;     // credit_commitment
  std::optional<std::string> breach_facts;       // credit_commitment
  std::map<std::string, std::string> extra;
  bool operator==(const Detail&) const = default;
};

struct Source {
  std::string department;
  std::optional<std::string> system;
  std::string source_key;
  std::optional<std::string> received_at;
  std::optional<std::string> mapping;
  bool operator==(const Source&) const = default;
};

struct Record {
  std::string record_id;
  int64_t version = 1;
  std::string kind;
  std::string status = "active";
  std::optional<std::string> region;
  std::optional<std::string> updated_at;
  Subject subject;
  Decision decision;
  Detail detail;
  Source source;
  bool operator==(const Record&) const = default;
};

// hex(SHA-256(department + "\x1f" + kind + "\x1f" + source_key))[0:32]
std::string compute_record_id(const std::string& department, const std::string& kind, const std::string& source_key);

// JSON conversion. Absent optional fields are omitted, never "".
nlohmann::json to_json(const Record& r);
// Strict: an unknown field or a value of the wrong type is an error naming
// the field (for example "subject.legal_representative.idnumber"); text
// that is not JSON is an error of code "json" (record_reader.cpp).
Result<Record> record_from_json_text(std::string_view text);
// The same, for a tree already built (dumped and read again: for cold paths).
Result<Record> record_from_json(const nlohmann::json& j);
// The same as to_json(r).dump(), written directly: for the hot paths.
std::string to_json_text(const Record& r);
// The text the content digest is taken of: to_json_text of the record with
// version 0 and no updated_at, status, source.mapping or source.received_at.
std::string content_digest_text(const Record& r);

// What makes a re-sent record "the same content": the record without version,
// status (the lifecycle is the gateway's, not the department's), updated_at,
// source.received_at and source.mapping, as a SHA-256 hex digest.
std::string content_digest(const Record& r);

// Both texts of a record from one serialisation, for the ingest's hot path:
// `body` is to_json_text of the record with `version` as its version, and
// `digest` is content_digest(r), hashed from the pieces of the body it shares
// with content_digest_text instead of writing the record a second time.
struct BodyAndDigest {
  std::string body, digest;
};
BodyAndDigest body_and_digest(const Record& r, int64_t version);

// The canonical enumerations.
bool is_known_kind(const std::string& v);
bool is_known_status(const std::string& v);
bool is_known_subject_type(const std::string& v);
bool is_known_id_type(const std::string& v);
bool is_known_penalty_type(const std::string& v);
bool is_known_commitment_type(const std::string& v);
bool is_known_commitment_status(const std::string& v);

}  // namespace cg
