#include "mapping/transforms.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

#include "common/text.hpp"
#include "record/codes.hpp"

namespace cg::mapping {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// YYYY-MM-DD for a date already checked (year 0-9999): written directly, no printf.
std::string iso(int y, int m, int d) {
  if (y < 0 || y > 9999 || m < 0 || m > 99 || d < 0 || d > 99) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return buf;
  }
  std::string out(10, '0');
  auto two = [&](size_t at, int v) {
    out[at] = static_cast<char>('0' + v / 10 % 10);
    out[at + 1] = static_cast<char>('0' + v % 10);
  };
  two(0, y / 100);
  two(2, y % 100);
  out[4] = '-';
  two(5, m);
  out[7] = '-';
  two(8, d);
  return out;
}

// Matches `value` against a format made of YYYY, MM, M, DD, D and literal text.
bool match_format(std::string_view value, std::string_view fmt, int& y, int& m, int& d) {
  size_t vi = 0, fi = 0;
  y = m = d = -1;
  auto read_digits = [&](size_t min, size_t max, int& out) {
    size_t n = 0;
    int v = 0;
    while (n < max && vi < value.size() && is_digit(value[vi])) {
      v = v * 10 + (value[vi] - '0');
      ++vi;
      ++n;
    }
    if (n < min) return false;
    out = v;
    return true;
  };
  while (fi < fmt.size()) {
    if (fmt.substr(fi, 4) == "YYYY") {
      if (!read_digits(4, 4, y)) return false;
      fi += 4;
    } else if (fmt.substr(fi, 2) == "MM") {
      if (!read_digits(2, 2, m)) return false;
      fi += 2;
    } else if (fmt[fi] == 'M') {
      if (!read_digits(1, 2, m)) return false;
      fi += 1;
    } else if (fmt.substr(fi, 2) == "DD") {
      if (!read_digits(2, 2, d)) return false;
      fi += 2;
    } else if (fmt[fi] == 'D') {
      if (!read_digits(1, 2, d)) return false;
      fi += 1;
    } else {
      if (vi >= value.size() || value[vi] != fmt[fi]) return false;
      ++vi;
      ++fi;
    }
  }
  return vi == value.size() && y >= 0 && m >= 0 && d >= 0;
}

const std::vector<std::string>& known_formats() {
  static const std::vector<std::string> f{"YYYY-M-D", "YYYY/M/D", "YYYY.M.D", "YYYY年M月D日", "YYYYMMDD"};
  return f;
}

}  // namespace

bool date_format_valid(const std::string& format) {
  return format.find("YYYY") != std::string::npos && format.find('M') != std::string::npos &&
         format.find('D') != std::string::npos;
}

std::vector<std::string> default_open_ended() {
  return {"2099-12-31", "9999-12-31"};
}

Result<std::optional<std::string>> parse_date(std::string_view raw, const std::vector<std::string>& formats) {
  std::string value = text::trim(raw);
  if (value.empty()) return std::optional<std::string>{};
  std::string_view v = value;
  // An RFC 3339 instant or "YYYY-MM-DD HH:MM:SS": keep the date.
  if (v.size() > 10 && (v[10] == 'T' || v[10] == ' ') && formats.empty()) v = v.substr(0, 10);
  const auto& fs = formats.empty() ? known_formats() : formats;
  for (const auto& f : fs) {
    int y, m, d;
    if (!match_format(v, f, y, m, d)) continue;
    std::string out = iso(y, m, d);
    if (!codes::iso_date_valid(out)) return make_error("invalid_date", "'" + value + "' is not a calendar date");
    return std::optional<std::string>(out);
  }
  std::string expected;
  for (const auto& f : fs) expected += (expected.empty() ? "" : ", ") + f;
  return make_error("invalid_date", "'" + value + "' is not a date in any of: " + expected);
}

Result<int64_t> parse_money(std::string_view raw, int64_t scale) {
  std::string value = text::trim(raw);
  std::string s;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == ',') continue;
    if (value.compare(i, 3, "\xEF\xBC\x8C") == 0) {  // full-width comma
      i += 2;
      continue;
    }
    s.push_back(value[i]);
  }
  auto bad = [&] { return make_error("invalid_money", "'" + value + "' is not a decimal amount"); };
  if (s.empty()) return bad();
  bool negative = false;
  size_t i = 0;
  if (s[0] == '-' || s[0] == '+') {
    negative = s[0] == '-';
    i = 1;
  }
  auto too_large = [&] { return make_error("invalid_money", "'" + value + "' is too large"); };
  int64_t whole = 0;
  size_t int_digits = 0;
  for (; i < s.size() && is_digit(s[i]); ++i, ++int_digits) {
    if (__builtin_mul_overflow(whole, 10, &whole) || __builtin_add_overflow(whole, s[i] - '0', &whole))
      return too_large();
  }
  std::string frac;
  if (i < s.size() && s[i] == '.') {
    for (++i; i < s.size() && is_digit(s[i]); ++i) frac.push_back(s[i]);
    if (frac.empty() && int_digits == 0) return bad();
  }
  if (i != s.size() || (int_digits == 0 && frac.empty())) return bad();
  // Scale digits available: scale is a power of ten.
  int places = 0;
  for (int64_t x = scale; x > 1; x /= 10) ++places;
  while (frac.size() > static_cast<size_t>(places)) {
    if (frac.back() != '0') return make_error("invalid_money", "'" + value + "' is finer than one fen");
    frac.pop_back();
  }
  while (frac.size() < static_cast<size_t>(places)) frac.push_back('0');
  int64_t total = 0;
  if (__builtin_mul_overflow(whole, scale, &total)) return too_large();
  int64_t f = 0;
  for (char c : frac) f = f * 10 + (c - '0');
  if (__builtin_add_overflow(total, f, &total)) return too_large();
  return negative ? -total : total;
}

namespace {

// The canonical value of a code: its entry, else the table's fallback, else null.
const std::string* find_code(const CodeTable& table, std::string_view code) {
  auto it = table.entries.find(code);
  if (it != table.entries.end()) return &it->second;
  return table.fallback ? &*table.fallback : nullptr;
}

Error unknown_code(std::string_view code, const std::string& table) {
  std::string message = "'";
  message.append(code).append("' is not in code table '").append(table).append("'");
  return Error{"unknown_code", std::move(message), {}};
}

std::vector<std::string> split_any(const std::string& s, const std::vector<std::string>& seps) {
  std::vector<std::string> out;
  size_t start = 0, i = 0;
  while (i < s.size()) {
    size_t matched = 0;
    for (const auto& sep : seps)
      if (!sep.empty() && s.compare(i, sep.size(), sep) == 0) {
        matched = sep.size();
        break;
      }
    if (matched) {
      out.push_back(s.substr(start, i - start));
      i += matched;
      start = i;
    } else {
      ++i;
    }
  }
  out.push_back(s.substr(start));
  return out;
}

}  // namespace

Status apply_transform(const Transform& t, Value& v, const MappingSpec& spec) {
  if (is_absent(v)) return {};
  auto* s = std::get_if<std::string>(&v);
  switch (t.op) {
    case Transform::Op::Trim:
      if (s) text::trim_in_place(*s);
      break;
    case Transform::Op::FullwidthToAscii:
      if (s) text::fullwidth_to_ascii_in_place(*s);
      break;
    case Transform::Op::Upper:
      if (s) text::to_upper_ascii_in_place(*s);
      break;
    case Transform::Op::Lower:
      if (s) text::to_lower_ascii_in_place(*s);
      break;
    case Transform::Op::RemoveSpaces:
      if (s) {  // in place: what is kept never moves forward
        size_t out = 0;
        for (size_t i = 0; i < s->size(); ++i) {
          if ((*s)[i] == ' ' || (*s)[i] == '\t') continue;
          if ((*s)[i] == '\xE3' && s->compare(i, 3, "\xE3\x80\x80") == 0) {  // U+3000
            i += 2;
            continue;
          }
          (*s)[out++] = (*s)[i];
        }
        s->resize(out);
      }
      break;
    case Transform::Op::Replace:
      if (s) *s = std::regex_replace(*s, *t.regex, t.replacement);
      break;
    case Transform::Op::Date: {
      if (!s) return make_error("invalid_date", "a date transform needs text");
      auto d = parse_date(*s, t.date_formats);
      if (!d.ok()) return d.error();
      if (!d->has_value() || std::find(t.open_ended.begin(), t.open_ended.end(), **d) != t.open_ended.end())
        v = std::monostate{};
      else
        v = std::move(**d);
      break;
    }
    case Transform::Op::Money: {
      if (!s) return make_error("invalid_money", "a money transform needs text");
      if (text::trim_view(*s).empty()) {
        v = std::monostate{};
        break;
      }
      auto m = parse_money(*s, t.money_scale);
      if (!m.ok()) return m.error();
      v = *m;
      break;
    }
    case Transform::Op::CodeTable: {
      if (!s) return make_error("unknown_code", "a code table needs text");
      const auto& table = t.code_table ? *t.code_table : *spec.code_tables.at(t.table);
      if (t.split.empty()) {
        text::trim_in_place(*s);  // the value is ours: trimmed and replaced in place
        const std::string* mapped = find_code(table, *s);
        if (!mapped) return unknown_code(*s, t.table);
        *s = *mapped;
      } else {
        std::set<std::string> codes;
        for (const auto& part : split_any(*s, t.split)) {
          std::string p = text::trim(part);
          if (p.empty()) continue;
          const std::string* mapped = find_code(table, p);
          if (!mapped) return unknown_code(p, t.table);
          codes.insert(*mapped);
        }
        if (codes.empty())
          v = std::monostate{};
        else
          v = std::vector<std::string>(codes.begin(), codes.end());
      }
      break;
    }
  }
  if (auto* after = std::get_if<std::string>(&v); after && after->empty()) v = std::monostate{};
  return {};
}

}  // namespace cg::mapping
