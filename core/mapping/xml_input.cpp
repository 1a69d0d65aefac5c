// XML feeds: encoding from the prolog, hostile constructs refused, then
// pugixml and XPath.
#include <pugixml.hpp>
#include <sstream>
#include <vector>
#include <algorithm>
#include <cstring>

#include "common/text.hpp"
#include "mapping/encoding.hpp"
#include "mapping/record_view.hpp"

namespace cg::mapping {

namespace {

// An element's own text: its text and CDATA children, joined.
std::string element_text(pugi::xml_node element) {
  pugi::xml_node first = element.first_child();
  if (!first) return {};
  if (!first.next_sibling() && (first.type() == pugi::node_pcdata || first.type() == pugi::node_cdata))
    return first.value();  // the usual case: one text child
  std::string v;
  for (auto t : element.children())
    if (t.type() == pugi::node_pcdata || t.type() == pugi::node_cdata) v += t.value();
  return v;
}

class XmlRecordView final : public RecordView {
 public:
  // What a record's location is made of, when it is asked for.
  struct Place {
    const std::string& label;
    const std::string& text;                  // the document, UTF-8
    std::optional<text::LineIndex>& lines;  // of `text`, made on first need
    const std::string& records_path;
    size_t index;  // in the document, over all record paths
    size_t nth;    // 1-based, among this record path's records
  };
  // `by_slot` is scratch space the reader lends each record's view in turn.
  XmlRecordView(pugi::xml_node node, const SourceSlots& slots, std::vector<pugi::xml_node>& by_slot, Place place)
      : node_(node), slots_(slots), by_slot_(by_slot), place_(place) {}
  [[nodiscard]] SourceLocation where() const override {
    SourceLocation loc{place_.label, place_.index, 0, place_.records_path + "[" + std::to_string(place_.nth) + "]"};
    ptrdiff_t off = node_.offset_debug();
    if (off >= 0) {
      if (!place_.lines) place_.lines.emplace(place_.text);
      loc.line = place_.lines->line(static_cast<size_t>(off));
    }
    return loc;
  }
  [[nodiscard]] std::optional<std::string> get(const SourcePath& path) const override {
    if (path.slot >= 0) {  // a plain child element: the record's children were indexed once
      auto c = child(static_cast<size_t>(path.slot));
      if (!c) return std::nullopt;
      return element_text(c);
    }
    if (!path.child.empty()) {  // an attribute: no XPath evaluation
      if (path.child[0] == '@') {
        auto a = node_.attribute(path.child.c_str() + 1);
        if (!a) return std::nullopt;
        return std::string(a.value());
      }
      auto c = node_.child(path.child.c_str());
      if (!c) return std::nullopt;
      return element_text(c);
    }
    if (!path.xpath) return std::nullopt;
    pugi::xpath_node ctx(node_);
    auto type = path.xpath->return_type();
    if (type == pugi::xpath_type_node_set) {
      auto nodes = path.xpath->evaluate_node_set(ctx);
      if (nodes.empty()) return std::nullopt;
      auto first = nodes.first();
      if (first.attribute()) return std::string(first.attribute().value());
      if (first.node().type() == pugi::node_element) return element_text(first.node());
      return std::string(first.node().value());
    }
    std::string v = path.xpath->evaluate_string(ctx);
    return v;
  }
  [[nodiscard]] std::string raw() const override {
    std::ostringstream out;
    node_.print(out, "", pugi::format_raw);
    return out.str();
  }
  [[nodiscard]] const char* format() const override { return "xml"; }

 private:
  // The first child of each slot's name, as xml_node::child(name) finds it.
  pugi::xml_node child(size_t slot) const {
    if (!indexed_) {
      by_slot_.assign(slots_.size(), pugi::xml_node());
      for (pugi::xml_node c = node_.first_child(); c; c = c.next_sibling()) {
        const char* name = c.name();
        if (!*name) continue;
        int i = slots_.find(name);
        if (i >= 0 && !by_slot_[static_cast<size_t>(i)]) by_slot_[static_cast<size_t>(i)] = c;
      }
      indexed_ = true;
    }
    return by_slot_[slot];
  }

  pugi::xml_node node_;
  const SourceSlots& slots_;
  std::vector<pugi::xml_node>& by_slot_;
  mutable bool indexed_ = false;
  Place place_;
};

// Offset of "<!DOCTYPE" or "<!ENTITY" in the raw bytes ('<' is never a
// trailing byte in GB18030 or UTF-8, so this works before decoding).
std::optional<size_t> find_doctype(std::string_view bytes) {
  size_t pos = 0;
  while ((pos = bytes.find("<!", pos)) != std::string_view::npos) {
    std::string_view rest = bytes.substr(pos + 2);
    if (rest.substr(0, 7) == "DOCTYPE" || rest.substr(0, 6) == "ENTITY") return pos;
    pos += 2;
  }
  return std::nullopt;
}

int max_depth(pugi::xml_node root, int limit) {
  // Iterative walk: a hostile document cannot overflow the stack.
  int depth = 0, deepest = 0;
  pugi::xml_node n = root.first_child();
  while (n) {
    if (n.type() == pugi::node_element) deepest = std::max(deepest, depth + 1);
    if (deepest > limit) return deepest;
    if (n.first_child()) {
      n = n.first_child();
      ++depth;
      continue;
    }
    while (n && !n.next_sibling()) {
      n = n.parent();
      --depth;
      if (n == root) return deepest;
    }
    if (n) n = n.next_sibling();
  }
  return deepest;
}


}  // namespace

std::optional<FileFailure> read_xml(std::string_view bytes, const std::string& label,
                                    const MappingSpec& spec, const RecordVisitor& visit) {
  auto fail = [&](std::string code, std::string message, size_t offset, size_t line = 0) {
    return FileFailure{label, std::move(code), std::move(message), offset, line};
  };
  if (auto at = find_doctype(bytes))
    return fail("doctype_refused",
                "DOCTYPE and entity declarations are refused (no entity expansion, no external entities)",
                *at, text::line_col(bytes, *at).line);

  std::string encoding = spec.encoding == "auto" ? detect_xml_encoding(bytes) : spec.encoding;
  if (normalise_encoding(encoding).empty())
    return fail("wrong_encoding", "unsupported encoding '" + encoding + "'", 0);
  auto utf8 = to_utf8(bytes, encoding);
  if (!utf8.ok()) {
    std::string off = utf8.error().where.substr(5);  // "byte N"
    size_t at = off.empty() ? 0 : std::stoul(off);
    return fail("wrong_encoding", utf8.error().message, at, text::line_col(bytes, at).line);
  }
  const std::string& text = *utf8;

  pugi::xml_document doc;
  unsigned options = pugi::parse_default & ~pugi::parse_doctype;
  auto res = doc.load_buffer(text.data(), text.size(), options, pugi::encoding_utf8);
  if (!res) {
    size_t at = static_cast<size_t>(std::max<ptrdiff_t>(res.offset, 0));
    auto lc = text::line_col(text, at);
    size_t orig = original_offset(text, at, encoding);
    return fail("malformed_xml",
                std::string("not well-formed XML: ") + res.description() + " at byte " + std::to_string(orig) +
                    " (line " + std::to_string(lc.line) + ", column " + std::to_string(lc.column) + ")",
                orig, lc.line);
  }
  if (!doc.document_element())
    return fail("malformed_xml", "no root element", 0);
  int depth = max_depth(doc, spec.limits.max_depth);
  if (depth > spec.limits.max_depth)
    return fail("too_deep", "elements nested deeper than the limit of " + std::to_string(spec.limits.max_depth),
                0);

  std::optional<text::LineIndex> lines;
  std::vector<pugi::xml_node> by_slot;
  size_t index = 0;
  for (size_t s = 0; s < spec.records.size(); ++s) {
    const auto& rs = spec.records[s];
    if (!rs.xpath) continue;
    auto nodes = rs.xpath->evaluate_node_set(doc);
    nodes.sort();
    size_t n = 0;
    for (const auto& xn : nodes) {
      pugi::xml_node node = xn.node();
      if (!node || node.type() != pugi::node_element) continue;
      ++n;
      XmlRecordView view(node, spec.slots, by_slot, {label, text, lines, rs.path, index++, n});
      visit(s, view);
    }
  }
  return std::nullopt;
}

}  // namespace cg::mapping
