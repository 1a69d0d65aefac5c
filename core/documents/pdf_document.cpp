#include "documents/pdf_document.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <memory>

#include "common/text.hpp"

namespace cg::documents {

namespace {

constexpr double kPageWidth = 595.28;  // A4, in points
constexpr double kPageHeight = 841.89;
constexpr double kMargin = 56.7;  // 20 mm
constexpr double kContentWidth = kPageWidth - 2 * kMargin;
constexpr double kBottom = kPageHeight - kMargin - 18;  // the footer's line below
constexpr double kCellPad = 3.5;
constexpr double kQrSize = 96;
constexpr const char* kFont = "WenQuanYi Micro Hei";

struct GObjectFree {
  void operator()(void* p) const {
    if (p) g_object_unref(p);
  }
};
struct FontFree {
  void operator()(PangoFontDescription* f) const { pango_font_description_free(f); }
};
struct SurfaceFree {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct CairoFree {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};
struct QrFree {
  void operator()(QRcode* q) const { QRcode_free(q); }
};
using Layout = std::shared_ptr<PangoLayout>;

// Text laid out by pango on the document's cairo context; the first text
// with a character the font cannot show is kept, to be named.
class Pen {
 public:
  explicit Pen(cairo_t* cr) : cr_(cr) {}

  Layout layout(const std::string& text, double size, bool bold, double width,
                PangoAlignment align = PANGO_ALIGN_LEFT) {
    Layout l(pango_cairo_create_layout(cr_), GObjectFree{});
    std::unique_ptr<PangoFontDescription, FontFree> font(pango_font_description_from_string(kFont));
    pango_font_description_set_absolute_size(font.get(), size * PANGO_SCALE);
    if (bold) pango_font_description_set_weight(font.get(), PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(l.get(), font.get());
    pango_layout_set_width(l.get(), static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l.get(), align);
    const std::string valid = text::valid_utf8(text);
    pango_layout_set_text(l.get(), valid.data(), static_cast<int>(valid.size()));
    if (missing_.empty() && pango_layout_get_unknown_glyphs_count(l.get()) > 0) missing_ = valid;
    return l;
  }
  static double height(const Layout& l) {
    int w = 0, h = 0;
    pango_layout_get_size(l.get(), &w, &h);
    return h / static_cast<double>(PANGO_SCALE);
  }
  void show(const Layout& l, double x, double y) const {
    cairo_move_to(cr_, x, y);
    pango_cairo_show_layout(cr_, l.get());
  }
  [[nodiscard]] cairo_t* cr() const { return cr_; }
  [[nodiscard]] const std::string& missing() const { return missing_; }

 private:
  cairo_t* cr_;
  std::string missing_;
};

void rgb(cairo_t* cr, unsigned hex) {
  cairo_set_source_rgb(cr, ((hex >> 16) & 255) / 255.0, ((hex >> 8) & 255) / 255.0, (hex & 255) / 255.0);
}

// What the pages are made of: each piece is placed whole, a table's rows
// after its headings (repeated at the top of a new page).
struct Piece {
  double height = 0;
  std::function<void(double y)> draw;
  int header = -1;              // the piece repeated at the top of a new page (a table's headings)
  bool keep_with_next = false;  // a heading stays with what follows it
};

class Builder {
 public:
  Builder(Pen& pen, std::vector<Piece>& out) : pen_(pen), out_(out) {}

  Status operator()(const PdfDocument::Title& t) {
    auto l = pen_.layout(t.text, 18, true, kContentWidth, PANGO_ALIGN_CENTER);
    add(Pen::height(l) + 14, [this, l](double y) { pen_.show(l, kMargin, y); });
    return {};
  }
  Status operator()(const PdfDocument::Heading& h) {
    auto l = pen_.layout(h.text, 12.5, true, kContentWidth);
    Piece& p = add(Pen::height(l) + 12, [this, l](double y) {
      pen_.show(l, kMargin, y + 6);
      cairo_t* cr = pen_.cr();
      rgb(cr, 0x9a9a9a);
      cairo_set_line_width(cr, 0.6);
      cairo_move_to(cr, kMargin, y + 6 + Pen::height(l) + 2);
      cairo_line_to(cr, kMargin + kContentWidth, y + 6 + Pen::height(l) + 2);
      cairo_stroke(cr);
      rgb(cr, 0);
    });
    p.keep_with_next = true;
    return {};
  }
  Status operator()(const PdfDocument::Paragraph& p) {
    auto l = pen_.layout(p.text, 10.5, false, kContentWidth);
    add(Pen::height(l) + 6, [this, l](double y) { pen_.show(l, kMargin, y); });
    return {};
  }
  Status operator()(const PdfDocument::Summary& s) {
    const bool with_qr = !s.qr_payload.empty();
    const double text_width = with_qr ? kContentWidth - kQrSize - 18 : kContentWidth;
    std::vector<std::pair<Layout, Layout>> rows;
    double left = 0;
    for (const auto& [label, value] : s.rows) {
      rows.emplace_back(pen_.layout(label, 10.5, true, 92), pen_.layout(value, 10.5, false, text_width - 96));
      left += std::max(Pen::height(rows.back().first), Pen::height(rows.back().second)) + 4;
    }
    std::shared_ptr<QRcode> qr;
    Layout caption;
    double right = 0;
    if (with_qr) {
      qr.reset(QRcode_encodeString(s.qr_payload.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), QrFree{});
      if (!qr)
        return make_error(
            "document", "the QR code's text is too long to encode (" + std::to_string(s.qr_payload.size()) + " bytes)");
      caption = pen_.layout(s.qr_caption, 8, false, kQrSize + 18, PANGO_ALIGN_CENTER);
      right = kQrSize + 4 + Pen::height(caption);
    }
    add(std::max(left, right) + 10, [this, rows, qr, caption](double y) {
      double at = y;
      for (const auto& [label, value] : rows) {
        pen_.show(label, kMargin, at);
        pen_.show(value, kMargin + 96, at);
        at += std::max(Pen::height(label), Pen::height(value)) + 4;
      }
      if (!qr) return;
      cairo_t* cr = pen_.cr();
      const double x0 = kMargin + kContentWidth - kQrSize - 9;
      const double module = kQrSize / (qr->width + 8);  // a quiet zone of four modules each side
      rgb(cr, 0xffffff);
      cairo_rectangle(cr, x0, y, kQrSize, kQrSize);
      cairo_fill(cr);
      rgb(cr, 0);
      for (int r = 0; r < qr->width; ++r)
        for (int c = 0; c < qr->width; ++c)
          if (qr->data[r * qr->width + c] & 1)
            cairo_rectangle(cr, x0 + (c + 4) * module, y + (r + 4) * module, module, module);
      cairo_fill(cr);
      pen_.show(caption, x0 - 9, y + kQrSize + 4);
    });
    return {};
  }
  Status operator()(const PdfDocument::Table& t) {
    std::vector<double> widths;
    for (size_t c = 0; c < t.headings.size(); ++c)
      widths.push_back((c < t.widths.size() ? t.widths[c] : 1.0 / static_cast<double>(t.headings.size())) *
                       kContentWidth);
    const int header = static_cast<int>(out_.size());
    row(t.headings, widths, true);
    out_.back().keep_with_next = true;
    for (const auto& r : t.rows) row(r, widths, false).header = header;
    add(8, [](double) {});
    return {};
  }
  Status operator()(const PdfDocument::BarChart& b) {
    auto title = pen_.layout(b.title, 10.5, true, kContentWidth);
    std::vector<Layout> labels, legend;
    const double group = b.labels.empty() ? kContentWidth : (kContentWidth - 40) / static_cast<double>(b.labels.size());
    for (const auto& l : b.labels) labels.push_back(pen_.layout(l, 7.5, false, group, PANGO_ALIGN_CENTER));
    for (const auto& s : b.series) legend.push_back(pen_.layout(s.name, 8, false, 120));
    double top = 0;
    for (const auto& s : b.series)
      for (double v : s.values) top = std::max(top, v);
    // A round top for the scale: 1, 2 or 5 times a power of ten.
    double step = 1;
    if (top > 0) {
      const double raw = top / 4;
      const double p = std::pow(10.0, std::floor(std::log10(raw)));
      step = raw <= p ? p : raw <= 2 * p ? 2 * p : raw <= 5 * p ? 5 * p : 10 * p;
      step = std::max(step, 1.0);
    }
    std::vector<Layout> ticks;
    for (int k = 0; k <= 4; ++k) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.0f", step * k);
      ticks.push_back(pen_.layout(buf, 7, false, 36, PANGO_ALIGN_RIGHT));
    }
    constexpr double kPlot = 130;
    const double title_h = Pen::height(title) + 16;
    add(title_h + kPlot + 34, [this, b, title, labels, legend, ticks, step, group, title_h](double y) {
      static constexpr unsigned kColours[] = {0x2f6fb0, 0xe08a2b, 0x4e9a4e, 0xb04a4a, 0x7b5fa8, 0x808080};
      cairo_t* cr = pen_.cr();
      pen_.show(title, kMargin, y);
      double lx = kMargin + kContentWidth;  // the legend, right-aligned on the title's line
      for (size_t s = legend.size(); s-- > 0;) {
        int w = 0, h = 0;
        pango_layout_get_pixel_size(legend[s].get(), &w, &h);
        lx -= w + 18;
        rgb(cr, kColours[s % 6]);
        cairo_rectangle(cr, lx, y + 3, 9, 9);
        cairo_fill(cr);
        rgb(cr, 0);
        pen_.show(legend[s], lx + 12, y + 1);
      }
      const double x0 = kMargin + 40, y0 = y + title_h + kPlot;  // the plot's origin
      cairo_set_line_width(cr, 0.4);
      for (int k = 0; k <= 4; ++k) {
        const double gy = y0 - kPlot * k / 4;
        rgb(cr, k ? 0xd0d0d0 : 0x404040);
        cairo_move_to(cr, x0, gy);
        cairo_line_to(cr, kMargin + kContentWidth, gy);
        cairo_stroke(cr);
        rgb(cr, 0);
        pen_.show(ticks[static_cast<size_t>(k)], kMargin, gy - 5);
      }
      const double scale = kPlot / (step * 4);
      const size_t n = b.series.size();
      const double bar = n ? group * 0.7 / static_cast<double>(n) : 0;
      for (size_t l = 0; l < b.labels.size(); ++l) {
        const double gx = x0 + group * static_cast<double>(l);
        for (size_t s = 0; s < n; ++s) {
          const double v = l < b.series[s].values.size() ? b.series[s].values[l] : 0;
          const double h = std::max(0.0, v) * scale;
          rgb(cr, kColours[s % 6]);
          cairo_rectangle(cr, gx + group * 0.15 + bar * static_cast<double>(s), y0 - h, bar, h);
          cairo_fill(cr);
        }
        rgb(cr, 0);
        pen_.show(labels[l], gx, y0 + 3);
      }
    });
    return {};
  }

 private:
  Piece& add(double height, std::function<void(double)> draw) {
    out_.push_back(Piece{height, std::move(draw), -1, false});
    return out_.back();
  }

  Piece& row(const std::vector<std::string>& cells, const std::vector<double>& widths, bool heading) {
    std::vector<Layout> laid;
    double h = 0;
    for (size_t c = 0; c < widths.size(); ++c) {
      laid.push_back(
          pen_.layout(c < cells.size() ? cells[c] : "", heading ? 9 : 8.5, heading, widths[c] - 2 * kCellPad));
      h = std::max(h, Pen::height(laid.back()));
    }
    h += 2 * kCellPad;
    return add(h, [this, laid, widths, h, heading](double y) {
      cairo_t* cr = pen_.cr();
      double x = kMargin;
      for (size_t c = 0; c < laid.size(); ++c) {
        if (heading) {
          rgb(cr, 0xe8ecf2);
          cairo_rectangle(cr, x, y, widths[c], h);
          cairo_fill(cr);
        }
        rgb(cr, 0x808080);
        cairo_set_line_width(cr, 0.5);
        cairo_rectangle(cr, x, y, widths[c], h);
        cairo_stroke(cr);
        rgb(cr, 0);
        pen_.show(laid[c], x + kCellPad, y + kCellPad);
        x += widths[c];
      }
    });
  }

  Pen& pen_;
  std::vector<Piece>& out_;
};

// Places the pieces on pages; draws them when `total` (the page count of a
// first pass that did not) is known. Returns the number of pages.
int place(const std::vector<Piece>& pieces, Pen& pen, const std::string& footer, int total) {
  const bool drawing = total > 0;
  cairo_t* cr = pen.cr();
  int page = 1;
  double y = kMargin;
  auto finish_page = [&] {
    if (!drawing) return;
    auto left = pen.layout(footer, 8, false, kContentWidth * 0.7);
    auto right = pen.layout("第 " + std::to_string(page) + " 页 共 " + std::to_string(total) + " 页", 8, false,
                            kContentWidth * 0.3, PANGO_ALIGN_RIGHT);
    rgb(cr, 0x606060);
    pen.show(left, kMargin, kPageHeight - kMargin);
    pen.show(right, kMargin + kContentWidth * 0.7, kPageHeight - kMargin);
    rgb(cr, 0);
    cairo_show_page(cr);
  };
  for (size_t i = 0; i < pieces.size(); ++i) {
    const Piece& p = pieces[i];
    const double need = p.height + (p.keep_with_next && i + 1 < pieces.size() ? pieces[i + 1].height : 0);
    if (y + need > kBottom && y > kMargin) {
      finish_page();
      ++page;
      y = kMargin;
      if (p.header >= 0) {
        const Piece& h = pieces[static_cast<size_t>(p.header)];
        if (drawing) h.draw(y);
        y += h.height;
      }
    }
    if (drawing) p.draw(y);
    y += p.height;
  }
  finish_page();
  return page;
}

cairo_status_t append_to(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

PdfDocument::PdfDocument(std::string title, std::string footer)
    : title_(std::move(title)), footer_(std::move(footer)) {}

void PdfDocument::title(std::string text) {
  blocks_.emplace_back(Title{std::move(text)});
}
void PdfDocument::heading(std::string text) {
  blocks_.emplace_back(Heading{std::move(text)});
}
void PdfDocument::paragraph(std::string text) {
  blocks_.emplace_back(Paragraph{std::move(text)});
}
void PdfDocument::summary(std::vector<std::pair<std::string, std::string>> rows, std::string qr_payload,
                          std::string qr_caption) {
  blocks_.emplace_back(Summary{std::move(rows), std::move(qr_payload), std::move(qr_caption)});
}
void PdfDocument::table(std::vector<std::string> headings, std::vector<std::vector<std::string>> rows,
                        std::vector<double> widths) {
  blocks_.emplace_back(Table{std::move(headings), std::move(rows), std::move(widths)});
}
void PdfDocument::bar_chart(std::string title, std::vector<std::string> labels, std::vector<BarSeries> series) {
  blocks_.emplace_back(BarChart{std::move(title), std::move(labels), std::move(series)});
}

Result<std::string> PdfDocument::render() const {
  std::string out;
  {
    std::unique_ptr<cairo_surface_t, SurfaceFree> surface(
        cairo_pdf_surface_create_for_stream(append_to, &out, kPageWidth, kPageHeight));
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
      return make_error("document",
                        std::string("cairo: ") + cairo_status_to_string(cairo_surface_status(surface.get())));
    const std::string title = text::valid_utf8(title_);
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, title.c_str());
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "Credit Gateway");
    std::unique_ptr<cairo_t, CairoFree> cr(cairo_create(surface.get()));
    Pen pen(cr.get());
    std::vector<Piece> pieces;
    Builder build(pen, pieces);
    for (const auto& b : blocks_)
      if (auto s = std::visit(build, b); !s) return s.error();
    if (!pen.missing().empty())
      return make_error("document", "the font (" + std::string(kFont) +
                                        ", Debian's fonts-wqy-microhei) cannot show every character of: " +
                                        pen.missing().substr(0, 120));
    const int pages = place(pieces, pen, footer_, 0);
    place(pieces, pen, footer_, pages);
    if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS)
      return make_error("document", std::string("cairo: ") + cairo_status_to_string(cairo_status(cr.get())));
    cr.reset();
    cairo_surface_finish(surface.get());
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
      return make_error("document",
                        std::string("cairo: ") + cairo_status_to_string(cairo_surface_status(surface.get())));
  }
  return out;
}

}  // namespace cg::documents
