#include "report/svg_charts.hpp"

#include "report/html_escape.hpp"
#include "report/result_shape.hpp"
#include "report/value_format.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <sstream>

namespace bmil {
namespace {

using Json = nlohmann::json;

constexpr const char* kFontFamily = "DejaVu Sans, Helvetica, Arial, sans-serif";
constexpr const char* kInk = "#111111";
constexpr const char* kMutedInk = "#444444";
constexpr const char* kGrid = "#dddddd";

// Rough width in pixels of `text` at `font_size` in a sans-serif font (about 0.6 em per
// character, counting UTF-8 code points): enough to lay out labels without a font engine.
int TextWidth(const std::string& text, double font_size) {
  std::size_t chars = 0;
  for (unsigned char c : text) chars += (c & 0xC0) != 0x80;
  return static_cast<int>(std::ceil(static_cast<double>(chars) * font_size * 0.6));
}

// `text` cut to at most `max_chars` code points, with "…" when cut.
std::string Shorten(const std::string& text, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (chars == max_chars) return text.substr(0, i) + "…";
    ++chars;
  }
  return text;
}

// `text` escaped, shortened to `max_chars` with its full text as a <title> (a tooltip in
// every browser) when it had to be cut.
std::string LabelWithTitle(const std::string& text, std::size_t max_chars) {
  const std::string shown = Shorten(text, max_chars);
  if (shown == text) return HtmlEscape(text);
  return HtmlEscape(shown) + "<title>" + HtmlEscape(text) + "</title>";
}

// A value as data-value writes it: whole numbers without decimals, others with 3
// significant digits (as the standalone canvas SVG always did).
std::string Number(double v) {
  if (std::floor(v) == v && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  std::ostringstream out;
  out.precision(3);
  out << v;
  return out.str();
}

// A coordinate with at most one decimal.
std::string Px(double v) {
  const double r = std::round(v * 10) / 10;
  return Number(r == 0 ? 0 : r);
}

// ----------------------------------------------------------------------------- heatmap

// Index into kHeatmapShades for `value` on a scale 0..max: 0 for zero (and below). When
// every value is a whole number and max <= kBands (small counts, the usual canvas), value
// n gets shade n, so the legend reads 1, 2, 3...; otherwise five equal bands of (0, max]:
// shade 1 below max/5, ..., shade 5 from 4*max/5 up.
constexpr std::size_t kBands = kHeatmapShades.size() - 1;
std::size_t Shade(double value, double max, bool small_counts) {
  if (value <= 0 || max <= 0) return 0;
  if (small_counts) return static_cast<std::size_t>(value);
  const auto band = static_cast<std::size_t>(std::floor(value / max * kBands));
  return 1 + std::min(kBands - 1, band);
}

// The legend's label for shade i (see Shade), already escaped. With whole values a band's
// lower bound is rounded up (a count of at least 5.8 is at least 6).
std::string LegendLabel(std::size_t i, double max, bool small_counts, bool whole) {
  if (i == 0) return "0";
  if (small_counts) return Number(static_cast<double>(i));
  if (i == 1) return "&gt;0";
  const double bound = max * static_cast<double>(i - 1) / kBands;
  return "≥" + Number(whole ? std::ceil(bound - 1e-9) : bound);
}

// The dimension of a matrix axis: stated, or inferred when every id is a registered line
// (or block), as the text report assumes for results without dimensions.
std::string Dimension(const Json& matrix, const char* key, const Json& axis,
                      const Registry& registry) {
  const std::string stated = StringField(matrix, key);
  if (!stated.empty()) return stated;
  if (axis.empty()) return "";
  bool lines = true, blocks = true;
  for (const auto& entry : axis) {
    const std::string id = entry["id"].get<std::string>();
    lines = lines && registry.LineIndex(id).has_value();
    blocks = blocks && registry.BlockIndex(id).has_value();
  }
  return lines ? "leadership_line" : blocks ? "building_block" : "";
}

// "leadership lines", "building blocks", "business models", "years", … for the caption.
std::string DimensionPlural(const std::string& dimension) {
  if (dimension.empty()) return "";
  std::string words = dimension;
  std::replace(words.begin(), words.end(), '_', ' ');
  if (words.back() == 's') return words;
  return words + "s";
}

std::string AxisLabel(const Json& entry, const std::string& dimension, const Registry& registry,
                      bool full_line_title, const AxisNames* names) {
  const std::string id = entry["id"].get<std::string>();
  if (dimension == "leadership_line" && registry.LineIndex(id))
    return full_line_title ? LineTitle(id, registry) : LineCode(id, registry);
  if (names != nullptr) {
    if (const auto d = names->find(dimension); d != names->end()) {
      if (const auto n = d->second.find(id); n != d->second.end()) return n->second;
    }
  }
  if (dimension == "building_block" && registry.BlockIndex(id)) return BlockName(id, registry);
  if (dimension == "state" && (id == "as_is" || id == "to_be"))
    return id == "as_is" ? "AS IS" : "TO BE";
  const std::string label = StringField(entry, "label");
  return label.empty() ? id : label;
}

// The chips of one cell, below its count.
void DrawMarkers(std::ostringstream& svg, const std::vector<CellMarker>& markers, int x, int y,
                 int width, int height) {
  constexpr int kChip = 15, kGap = 3;
  const int per_row = std::max(1, (width - 6 + kGap) / (kChip + kGap));
  const int rows = 2;
  const std::size_t capacity = static_cast<std::size_t>(per_row * rows);
  const bool overflow = markers.size() > capacity;
  const std::size_t shown = overflow ? capacity - 1 : markers.size();
  const int top = y + height - 4 - rows * (kChip + kGap) + kGap;
  for (std::size_t i = 0; i <= shown && i < markers.size() + (overflow ? 1 : 0); ++i) {
    const int col = static_cast<int>(i) % per_row;
    const int row = static_cast<int>(i) / per_row;
    const int used = static_cast<int>(std::min<std::size_t>(
        static_cast<std::size_t>(per_row), (overflow ? shown + 1 : shown) - row * per_row));
    const int start = x + (width - used * (kChip + kGap) + kGap) / 2;
    const int cx = start + col * (kChip + kGap);
    const int cy = top + row * (kChip + kGap);
    if (i == shown) {  // the overflow chip
      svg << "<text x=\"" << cx + kChip / 2 << "\" y=\"" << cy + 11
          << "\" font-size=\"9\" text-anchor=\"middle\" fill=\"" << kInk << "\">+"
          << markers.size() - shown << "</text>";
      break;
    }
    const CellMarker& m = markers[i];
    svg << "<g class=\"marker\" data-marker=\"" << HtmlEscape(m.id) << "\"><title>"
        << HtmlEscape(m.title) << "</title><rect x=\"" << cx << "\" y=\"" << cy << "\" width=\""
        << kChip << "\" height=\"" << kChip << "\" rx=\"3\" fill=\""
        << (m.outlined ? "#ffffff" : "#222222") << "\" stroke=\""
        << (m.outlined ? "#222222\" stroke-dasharray=\"3 2\"" : "#ffffff\"") << "/><text x=\""
        << cx + kChip / 2 << "\" y=\"" << cy + 11
        << "\" font-size=\"9\" text-anchor=\"middle\" fill=\""
        << (m.outlined ? "#222222" : "#ffffff") << "\">" << HtmlEscape(Shorten(m.label, 2))
        << "</text></g>";
  }
}

// ----------------------------------------------------------------------------- charts

// Axis ticks from lo to hi (lo <= 0 <= hi) at a "nice" step (1, 2, 2.5 or 5 times a power
// of ten), about five of them.
struct Scale {
  double lo = 0, hi = 1, step = 0.2;

  // The ticks from lo to hi, at most kMaxTicks of them whatever the numbers (a scale
  // stepped with `t += step` never ends when hi is infinite or step is lost in lo's
  // rounding).
  std::vector<double> Ticks() const {
    constexpr double kMaxTicks = 20;
    std::vector<double> ticks;
    const double count = std::floor((hi - lo) / step + 0.5);
    if (!std::isfinite(count) || count < 0 || count > kMaxTicks) return {lo, hi};
    for (int i = 0; i <= static_cast<int>(count); ++i) ticks.push_back(lo + step * i);
    return ticks;
  }
};

// The largest magnitude a chart axis spans: far beyond any plausible figure (money is
// bounded at 1e18 by the case format), yet room for (hi - lo) / 5 and the steps to stay
// finite.
constexpr double kAxisLimit = 1e300;

Scale NiceScale(double lo, double hi, bool whole) {
  lo = std::isfinite(lo) ? std::clamp(lo, -kAxisLimit, 0.0) : (lo < 0 ? -kAxisLimit : 0.0);
  hi = std::isfinite(hi) ? std::clamp(hi, 0.0, kAxisLimit) : (hi > 0 ? kAxisLimit : 0.0);
  if (!(hi > lo)) hi = lo + 1;
  const double raw = whole ? std::max(1.0, (hi - lo) / 5) : (hi - lo) / 5;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  double step = power * 10;
  for (double f : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (whole && power * f < 1) continue;
    if (whole && f == 2.5 && power < 10) continue;  // 2.5 is not a whole step
    if (power * f >= raw - 1e-12 * power) {
      step = power * f;
      break;
    }
  }
  Scale s;
  s.step = step;
  s.lo = std::floor(lo / step + 1e-9) * step;
  s.hi = std::ceil(hi / step - 1e-9) * step;
  if (s.hi <= s.lo) s.hi = s.lo + step;
  return s;
}

// An axis tick label: 2.5M, 25k, 0.25, 40% …
std::string TickLabel(double v, bool percent) {
  if (percent) return ShortNumber(v, true, 3);
  const double a = std::fabs(v);
  if (a >= 1e6) return ShortNumber(v / 1e6, false, 3) + "M";
  if (a >= 1e4) return ShortNumber(v / 1e3, false, 3) + "k";
  return ShortNumber(v, false, 3);
}

struct Series {
  std::string id;
  std::string label;
  std::string type;  // the column type
  std::string unit;
  std::size_t column = 0;
};

struct ChartData {
  std::string type;  // bar, stacked_bar, line
  std::string title;
  std::string x_label;
  std::string value_label;  // the value axis title
  bool percent = false;     // every series is a percent column
  bool whole = false;       // every series is an integer column: whole ticks only
  std::vector<std::string> categories;
  std::vector<Series> series;
  std::vector<std::vector<std::optional<double>>> values;  // [category][series]
  std::size_t rows_total = 0;                              // rows in the table
  std::string note;  // drawn under the chart, e.g. when rows were left out
};

// The note under a chart, if any; returns the height it takes.
int DrawNote(std::ostringstream& svg, const ChartData& d, int y) {
  if (d.note.empty()) return 0;
  svg << "<text class=\"note\" x=\"8\" y=\"" << y + 12 << "\" font-size=\"11\" fill=\"#444444\">"
      << HtmlEscape(d.note) << "</text>\n";
  return 18;
}

constexpr std::size_t kMaxCategories = 40;
constexpr std::size_t kMaxVerticalCategories = 16;
constexpr int kChartWidth = 720;

std::string SeriesColor(std::size_t i) { return kSeriesColors[i % kSeriesColors.size()]; }

// The value's text for labels and tooltips, in the series' own type.
std::string ValueText(double v, const Series& s) {
  if (s.type == "percent") return ShortNumber(v, true, 3);
  return ShortNumber(v, false, 4) + (s.unit.empty() || s.unit == "share" ? "" : " " + s.unit);
}

// A point marker for line charts: a different shape per series, so that lines can be told
// apart without colour (and in greyscale print).
void DrawPoint(std::ostringstream& svg, std::size_t series, double x, double y,
               const std::string& color) {
  switch (series % 4) {
    case 0:
      svg << "<circle cx=\"" << Px(x) << "\" cy=\"" << Px(y) << "\" r=\"4\" fill=\"" << color
          << "\"/>";
      break;
    case 1:
      svg << "<rect x=\"" << Px(x - 4) << "\" y=\"" << Px(y - 4)
          << "\" width=\"8\" height=\"8\" fill=\"" << color << "\"/>";
      break;
    case 2:
      svg << "<path d=\"M" << Px(x) << " " << Px(y - 5) << "L" << Px(x + 5) << " " << Px(y + 4)
          << "L" << Px(x - 5) << " " << Px(y + 4) << "Z\" fill=\"" << color << "\"/>";
      break;
    default:
      svg << "<path d=\"M" << Px(x) << " " << Px(y - 5) << "L" << Px(x + 5) << " " << Px(y) << "L"
          << Px(x) << " " << Px(y + 5) << "L" << Px(x - 5) << " " << Px(y) << "Z\" fill=\"" << color
          << "\"/>";
  }
}

// The legend, wrapped to `width`; returns its height.
int DrawLegend(std::ostringstream& svg, const ChartData& d, int x0, int y0, int width) {
  int x = x0, y = y0;
  for (std::size_t i = 0; i < d.series.size(); ++i) {
    const std::string label = Shorten(d.series[i].label, 40);
    const int item = 18 + TextWidth(label, 12) + 18;
    if (x + item > x0 + width && x > x0) {
      x = x0;
      y += 20;
    }
    svg << "<g class=\"legend-item\">";
    if (d.type == "line") {
      svg << "<line x1=\"" << x << "\" y1=\"" << y + 6 << "\" x2=\"" << x + 14 << "\" y2=\""
          << y + 6 << "\" stroke=\"" << SeriesColor(i) << "\" stroke-width=\"2\"/>";
      DrawPoint(svg, i, x + 7, y + 6, SeriesColor(i));
    } else {
      svg << "<rect x=\"" << x << "\" y=\"" << y << "\" width=\"12\" height=\"12\" fill=\""
          << SeriesColor(i) << "\"/>";
    }
    svg << "<text x=\"" << x + 18 << "\" y=\"" << y + 11 << "\" font-size=\"12\" fill=\"" << kInk
        << "\">" << HtmlEscape(label) << "</text></g>";
    x += item;
  }
  return y - y0 + 20;
}

// The value range of the chart: [min, max] of what is drawn, widened to include 0.
std::pair<double, double> Range(const ChartData& d) {
  double lo = 0, hi = 0;
  for (const auto& row : d.values) {
    double pos = 0, neg = 0;
    for (const auto& v : row) {
      if (!v || !std::isfinite(*v)) continue;
      if (d.type == "stacked_bar") {
        (*v >= 0 ? pos : neg) += *v;
      } else {
        lo = std::min(lo, *v);
        hi = std::max(hi, *v);
      }
    }
    if (d.type == "stacked_bar") {
      lo = std::min(lo, neg);
      hi = std::max(hi, pos);
    }
  }
  if (lo == hi) hi = lo + (d.percent ? 1 : 1);
  return {lo, hi};
}

std::string SvgOpen(int width, int height, const std::string& title) {
  std::ostringstream svg;
  svg << "<svg class=\"chart\" width=\"" << width << "\" height=\"" << height << "\" viewBox=\"0 0 "
      << width << " " << height << "\" role=\"img\" aria-label=\"" << HtmlEscape(title)
      << "\" font-family=\"" << kFontFamily << "\">\n<title>" << HtmlEscape(title) << "</title>\n";
  return svg.str();
}

std::string BarAttributes(const ChartData& d, std::size_t c, std::size_t s, double v) {
  return " class=\"bar\" data-series=\"" + HtmlEscape(d.series[s].id) + "\" data-category=\"" +
         HtmlEscape(d.categories[c]) + "\" data-value=\"" + HtmlEscape(Number(v)) + "\"";
}

std::string Tooltip(const ChartData& d, std::size_t c, std::size_t s, double v) {
  return "<title>" +
         HtmlEscape(d.categories[c] + " · " + d.series[s].label + ": " +
                    ValueText(v, d.series[s])) +
         "</title>";
}

// Categories on the x axis: grouped or stacked columns, or a line chart.
std::string VerticalChart(const ChartData& d) {
  const std::size_t n = d.categories.size(), k = d.series.size();
  constexpr int kAxisLeft = 78, kRight = 16, kPlotHeight = 250;
  constexpr std::size_t kFlatChars = 40, kRotatedChars = 28;
  // Category labels: flat when they fit their column, else rotated by 35°; a rotated
  // first label reaches left by about cos(35°) of its length, so the plot moves right.
  double group = static_cast<double>(kChartWidth - kAxisLeft - kRight) / static_cast<double>(n);
  int longest_flat = 0;
  for (const auto& c : d.categories)
    longest_flat = std::max(longest_flat, TextWidth(Shorten(c, kFlatChars), 11));
  const bool rotate = longest_flat > group - 6;
  const std::size_t label_chars = rotate ? kRotatedChars : kFlatChars;
  int longest = 0;
  for (const auto& c : d.categories)
    longest = std::max(longest, TextWidth(Shorten(c, label_chars), 11));
  int left = kAxisLeft;
  if (rotate) {
    const int reach =
        static_cast<int>(TextWidth(Shorten(d.categories.front(), label_chars), 11) * 0.82) -
        static_cast<int>(group / 2) + 6;
    left = std::clamp(reach, kAxisLeft, kChartWidth / 3);
    group = static_cast<double>(kChartWidth - left - kRight) / static_cast<double>(n);
  }
  const int plot_width = kChartWidth - left - kRight;

  std::ostringstream body;
  const int legend_height = DrawLegend(body, d, left, 8, plot_width);
  const int top = 8 + legend_height + 10;
  const int label_band = rotate ? static_cast<int>(longest * 0.6) + 16 : 22;
  const int height = top + kPlotHeight + label_band + 26;

  const auto [lo, hi] = Range(d);
  const Scale scale = NiceScale(lo, hi, d.whole);
  auto y_of = [&](double v) { return top + kPlotHeight * (scale.hi - v) / (scale.hi - scale.lo); };

  // Grid, ticks and the value axis title.
  for (const double t : scale.Ticks()) {
    const double y = y_of(t);
    body << "<line x1=\"" << left << "\" y1=\"" << Px(y) << "\" x2=\"" << left + plot_width
         << "\" y2=\"" << Px(y) << "\" stroke=\"" << kGrid << "\"/><text x=\"" << left - 6
         << "\" y=\"" << Px(y + 4) << "\" font-size=\"11\" text-anchor=\"end\" fill=\"" << kMutedInk
         << "\">" << HtmlEscape(TickLabel(t, d.percent)) << "</text>\n";
  }
  const int mid = top + kPlotHeight / 2;
  body << "<text class=\"axis-title\" x=\"" << left - 62 << "\" y=\"" << mid
       << "\" font-size=\"12\" text-anchor=\"middle\" fill=\"" << kInk
       << "\" transform=\"rotate(-90 " << left - 62 << " " << mid << ")\">"
       << HtmlEscape(d.value_label) << "</text>\n";

  if (d.type == "line") {
    for (std::size_t s = 0; s < k; ++s) {
      std::string path;
      bool pen_down = false;
      for (std::size_t c = 0; c < n; ++c) {
        const auto& v = d.values[c][s];
        if (!v) {
          pen_down = false;
          continue;
        }
        const double x = left + group * (static_cast<double>(c) + 0.5);
        path += (pen_down ? "L" : "M") + Px(x) + " " + Px(y_of(*v));
        pen_down = true;
      }
      body << "<path class=\"series-line\" d=\"" << path << "\" fill=\"none\" stroke=\""
           << SeriesColor(s) << "\" stroke-width=\"2\"/>\n";
      for (std::size_t c = 0; c < n; ++c) {
        const auto& v = d.values[c][s];
        if (!v) continue;
        const double x = left + group * (static_cast<double>(c) + 0.5);
        body << "<g class=\"point\" data-series=\"" << HtmlEscape(d.series[s].id)
             << "\" data-category=\"" << HtmlEscape(d.categories[c]) << "\" data-value=\""
             << HtmlEscape(Number(*v)) << "\">" << Tooltip(d, c, s, *v);
        DrawPoint(body, s, x, y_of(*v), SeriesColor(s));
        body << "</g>\n";
      }
    }
  } else {
    const bool stacked = d.type == "stacked_bar";
    const double bar = stacked ? group * 0.6 : std::min(56.0, group * 0.8 / static_cast<double>(k));
    const bool labels = !stacked && n * k <= 24 && bar >= 20;
    for (std::size_t c = 0; c < n; ++c) {
      const double start =
          left + group * static_cast<double>(c) + (group - (stacked ? bar : bar * k)) / 2;
      double pos = 0, neg = 0;
      for (std::size_t s = 0; s < k; ++s) {
        const auto& v = d.values[c][s];
        if (!v) continue;
        double from = 0, to = *v;
        if (stacked) {
          double& base = *v >= 0 ? pos : neg;
          from = base;
          to = base + *v;
          base = to;
        }
        const double x = stacked ? start : start + bar * static_cast<double>(s);
        const double y1 = y_of(std::max(from, to)), y2 = y_of(std::min(from, to));
        body << "<rect" << BarAttributes(d, c, s, *v) << " x=\"" << Px(x) << "\" y=\"" << Px(y1)
             << "\" width=\"" << Px(stacked ? bar : bar - 1) << "\" height=\""
             << Px(std::max(0.0, y2 - y1)) << "\" fill=\"" << SeriesColor(s) << "\""
             << (stacked ? " stroke=\"#ffffff\" stroke-width=\"0.5\"" : "") << ">"
             << Tooltip(d, c, s, *v) << "</rect>\n";
        if (labels) {
          const double ly = *v >= 0 ? y1 - 4 : y2 + 12;
          body << "<text x=\"" << Px(x + (bar - 1) / 2) << "\" y=\"" << Px(ly)
               << "\" font-size=\"10\" text-anchor=\"middle\" fill=\"" << kInk << "\">"
               << HtmlEscape(ShortNumber(*v, d.series[s].type == "percent", 3)) << "</text>\n";
        } else if (stacked && std::fabs(y2 - y1) >= 14 && bar >= 24) {
          body << "<text x=\"" << Px(x + bar / 2) << "\" y=\"" << Px((y1 + y2) / 2 + 4)
               << "\" font-size=\"10\" text-anchor=\"middle\" fill=\""
               << (s % 8 == 0 || s % 8 == 7 ? "#ffffff" : kInk) << "\">"
               << HtmlEscape(ShortNumber(*v, d.series[s].type == "percent", 3)) << "</text>\n";
        }
      }
    }
  }
  // The zero line and the category labels.
  body << "<line x1=\"" << left << "\" y1=\"" << Px(y_of(0)) << "\" x2=\"" << left + plot_width
       << "\" y2=\"" << Px(y_of(0)) << "\" stroke=\"" << kMutedInk << "\"/>\n";
  const int label_y = top + kPlotHeight + 14;
  for (std::size_t c = 0; c < n; ++c) {
    const double x = left + group * (static_cast<double>(c) + 0.5);
    body << "<text class=\"category\" x=\"" << Px(x) << "\" y=\"" << label_y
         << "\" font-size=\"11\" fill=\"" << kInk << "\"";
    if (rotate) {
      body << " text-anchor=\"end\" transform=\"rotate(-35 " << Px(x) << " " << label_y << ")\"";
    } else {
      body << " text-anchor=\"middle\"";
    }
    body << ">" << LabelWithTitle(d.categories[c], label_chars) << "</text>\n";
  }
  body << "<text class=\"axis-title\" x=\"" << left + plot_width / 2 << "\" y=\"" << height - 8
       << "\" font-size=\"12\" text-anchor=\"middle\" fill=\"" << kInk << "\">"
       << HtmlEscape(d.x_label) << "</text>\n";
  const int note = DrawNote(body, d, height);
  return SvgOpen(kChartWidth, height + note, d.title) + body.str() + "</svg>";
}

// Categories down the y axis: for many categories (bar and stacked bar only).
std::string HorizontalChart(const ChartData& d) {
  const std::size_t n = d.categories.size(), k = d.series.size();
  const bool stacked = d.type == "stacked_bar";
  int longest = 0;
  for (const auto& c : d.categories) longest = std::max(longest, TextWidth(Shorten(c, 32), 11));
  const int left = std::min(260, longest + 14), right = 20;
  const int plot_width = kChartWidth - left - right;
  const double row = stacked || k == 1 ? 18 : std::max(18.0, 7.0 * static_cast<double>(k) + 6);

  std::ostringstream body;
  const int legend_height = DrawLegend(body, d, left, 8, plot_width);
  const int top = 8 + legend_height + 8;
  const int plot_height = static_cast<int>(row * static_cast<double>(n));
  const int height = top + plot_height + 48;

  const auto [lo, hi] = Range(d);
  const Scale scale = NiceScale(lo, hi, d.whole);
  auto x_of = [&](double v) { return left + plot_width * (v - scale.lo) / (scale.hi - scale.lo); };
  for (const double t : scale.Ticks()) {
    const double x = x_of(t);
    body << "<line x1=\"" << Px(x) << "\" y1=\"" << top << "\" x2=\"" << Px(x) << "\" y2=\""
         << top + plot_height << "\" stroke=\"" << kGrid << "\"/><text x=\"" << Px(x) << "\" y=\""
         << top + plot_height + 16 << "\" font-size=\"11\" text-anchor=\"middle\" fill=\""
         << kMutedInk << "\">" << HtmlEscape(TickLabel(t, d.percent)) << "</text>\n";
  }
  for (std::size_t c = 0; c < n; ++c) {
    const double y0 = top + row * static_cast<double>(c);
    body << "<text class=\"category\" x=\"" << left - 6 << "\" y=\"" << Px(y0 + row / 2 + 4)
         << "\" font-size=\"11\" text-anchor=\"end\" fill=\"" << kInk << "\">"
         << LabelWithTitle(d.categories[c], 32) << "</text>\n";
    const double bar = stacked || k == 1 ? row - 5 : (row - 5) / static_cast<double>(k);
    double pos = 0, neg = 0;
    for (std::size_t s = 0; s < k; ++s) {
      const auto& v = d.values[c][s];
      if (!v) continue;
      double from = 0, to = *v;
      if (stacked) {
        double& base = *v >= 0 ? pos : neg;
        from = base;
        to = base + *v;
        base = to;
      }
      const double y = y0 + 2.5 + (stacked ? 0 : bar * static_cast<double>(s));
      const double x1 = x_of(std::min(from, to)), x2 = x_of(std::max(from, to));
      body << "<rect" << BarAttributes(d, c, s, *v) << " x=\"" << Px(x1) << "\" y=\"" << Px(y)
           << "\" width=\"" << Px(std::max(0.0, x2 - x1)) << "\" height=\"" << Px(bar)
           << "\" fill=\"" << SeriesColor(s) << "\">" << Tooltip(d, c, s, *v) << "</rect>\n";
    }
  }
  body << "<line x1=\"" << Px(x_of(0)) << "\" y1=\"" << top << "\" x2=\"" << Px(x_of(0))
       << "\" y2=\"" << top + plot_height << "\" stroke=\"" << kMutedInk << "\"/>\n";
  body << "<text class=\"axis-title\" x=\"" << left + plot_width / 2 << "\" y=\"" << height - 10
       << "\" font-size=\"12\" text-anchor=\"middle\" fill=\"" << kInk << "\">"
       << HtmlEscape(d.value_label) << "</text>\n";
  body << "<text class=\"axis-title\" x=\"8\" y=\"" << top - 4 << "\" font-size=\"12\" fill=\""
       << kInk << "\">" << HtmlEscape(d.x_label) << "</text>\n";
  const int note = DrawNote(body, d, height);
  return SvgOpen(kChartWidth, height + note, d.title) + body.str() + "</svg>";
}

}  // namespace

std::string LineCode(const std::string& id, const Registry& registry) {
  for (const auto& line : registry.lines()) {
    if (line.id == id) return !line.code.empty() ? line.code : !line.name.empty() ? line.name : id;
  }
  return id;
}

std::string LineTitle(const std::string& id, const Registry& registry) {
  for (const auto& line : registry.lines()) {
    if (line.id == id) return (line.code.empty() ? "" : line.code + " · ") + line.name;
  }
  return id;
}

std::string BlockName(const std::string& id, const Registry& registry) {
  for (const auto& block : registry.blocks()) {
    if (block.id == id) return block.name.empty() ? id : block.name;
  }
  return id;
}

std::string HeatmapSvg(const Json& matrix, const Registry& registry,
                       const HeatmapOptions& options) {
  const Json& rows = matrix["rows"];
  const Json& columns = matrix["columns"];
  const Json& values = matrix["values"];
  const std::string title = StringField(matrix, "title");
  const std::string unit = StringField(matrix, "unit");
  const std::string row_dimension = Dimension(matrix, "row_dimension", rows, registry);
  const std::string column_dimension = Dimension(matrix, "column_dimension", columns, registry);

  double max = 0;
  bool whole = true;
  for (const auto& row : values) {
    for (const auto& v : row) {
      max = std::max(max, v.get<double>());
      whole = whole && std::floor(v.get<double>()) == v.get<double>();
    }
  }
  const bool small_counts = whole && max <= static_cast<double>(kBands);
  // Categories ("value_labels": {"0": "used", "1": "blind spot"}): used when every value
  // of the matrix has a label and there are few enough to colour apart.
  std::map<double, std::string> categories;
  if (const auto it = matrix.find("value_labels"); it != matrix.end() && it->is_object()) {
    for (const auto& [key, label] : it->items()) {
      char* end = nullptr;
      const double v = std::strtod(key.c_str(), &end);
      if (end != key.c_str() && *end == '\0' && label.is_string())
        categories[v] = label.get<std::string>();
    }
    bool all_labelled = categories.size() <= kCategoryColors.size();
    for (const auto& row : values) {
      for (const auto& v : row)
        all_labelled = all_labelled && categories.count(v.get<double>()) > 0;
    }
    if (!all_labelled) categories.clear();
  }
  const bool categorical = !categories.empty();
  auto category_colour = [&categories](double v) {
    std::size_t rank = 0;
    for (const auto& [value, label] : categories) {
      if (value == v) break;
      ++rank;
    }
    return kCategoryColors[std::min(rank, kCategoryColors.size() - 1)];
  };

  std::vector<std::string> row_labels, column_labels;
  for (const auto& r : rows) {
    row_labels.push_back(
        AxisLabel(r, row_dimension, registry, !options.short_row_labels, options.names));
  }
  for (const auto& c : columns)
    column_labels.push_back(AxisLabel(c, column_dimension, registry, false, options.names));
  int longest_column = 0, longest_row = 0;
  for (const auto& l : column_labels) longest_column = std::max(longest_column, TextWidth(l, 12));
  for (const auto& l : row_labels) longest_row = std::max(longest_row, TextWidth(l, 13));

  const int cell_w = options.cell_width, cell_h = options.cell_height;
  const int left = options.standalone ? 20 : 4;
  const int label_width =
      options.label_width > 0 ? options.label_width : std::clamp(longest_row + 20, 60, 340);
  // The rotated column labels rise by about sin(40°) of their length.
  const int top = options.standalone ? 150 : 34 + static_cast<int>(longest_column * 0.66);
  const int right = options.standalone
                        ? 80
                        : std::max(24, static_cast<int>(longest_column * 0.77) - cell_w / 2 + 12);
  const int grid_width = cell_w * static_cast<int>(columns.size());
  const int legend_width = 80 + 44 * static_cast<int>(kHeatmapShades.size());
  const int width = std::max(left + label_width + grid_width + right, left + legend_width + 20);
  const int height = top + cell_h * static_cast<int>(rows.size()) + 90;

  std::string caption;
  if (!row_dimension.empty() || !column_dimension.empty()) {
    caption = "Rows: " + (row_dimension.empty() ? "rows" : DimensionPlural(row_dimension)) +
              " · Columns: " +
              (column_dimension.empty() ? "columns" : DimensionPlural(column_dimension)) +
              " · Cells: " + (unit.empty() ? "values" : unit);
  } else {
    caption = "Cells: " + (unit.empty() ? "values" : unit);
  }
  if (row_dimension == "leadership_line" && column_dimension == "building_block")
    caption += " (Lindgren 2012, BMIL strategy canvas)";

  std::ostringstream svg;
  if (options.standalone) {
    svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
        << "\" viewBox=\"0 0 " << width << " " << height << "\" role=\"img\" aria-label=\""
        << HtmlEscape(title) << "\" font-family=\"" << kFontFamily << "\">\n";
    svg << "<title>" << HtmlEscape(title) << "</title>\n";
    svg << "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
    svg << "<text x=\"" << left
        << "\" y=\"28\" font-size=\"18\" font-weight=\"bold\" fill=\"#111\">" << HtmlEscape(title)
        << "</text>\n";
    svg << "<text x=\"" << left << "\" y=\"48\" font-size=\"12\" fill=\"#444\">"
        << HtmlEscape(caption) << "</text>\n";
  } else {
    svg << "<svg class=\"heatmap\" width=\"" << width << "\" height=\"" << height
        << "\" viewBox=\"0 0 " << width << " " << height << "\" role=\"img\" aria-label=\""
        << HtmlEscape(title) << "\" font-family=\"" << kFontFamily << "\">\n";
    svg << "<title>" << HtmlEscape(title) << "</title>\n";
    svg << "<text class=\"caption\" x=\"" << left << "\" y=\"14\" font-size=\"12\" fill=\"#444\">"
        << HtmlEscape(caption) << "</text>\n";
  }

  // Column headers, rotated so long names fit.
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const int x = left + label_width + cell_w * static_cast<int>(c) + cell_w / 2;
    svg << "<text class=\"column-label\" x=\"" << x << "\" y=\"" << top - 8
        << "\" font-size=\"12\" fill=\"#111\" transform=\"rotate(-40 " << x << " " << top - 8
        << ")\">" << HtmlEscape(column_labels[c]) << "</text>\n";
  }
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const int y = top + cell_h * static_cast<int>(r);
    const std::string row_id = rows[r]["id"].get<std::string>();
    // A label wider than its column is shortened, its full text kept as a tooltip: it
    // never runs off the left edge. Fitting counts 0.52 em per character, what DejaVu
    // Sans (the first font asked for) averages on these labels; layout keeps 0.6 em.
    const std::size_t fit =
        static_cast<std::size_t>(std::max(1, (label_width - 12) * 100 / (13 * 52)));
    const std::string shown = Shorten(row_labels[r], fit);
    svg << "<text class=\"row-label\" x=\"" << left + label_width - 10 << "\" y=\""
        << y + cell_h / 2 + 5 << "\" font-size=\"13\" text-anchor=\"end\" fill=\"#111\">"
        << HtmlEscape(shown);
    if (shown != row_labels[r]) svg << "<title>" << HtmlEscape(row_labels[r]) << "</title>";
    svg << "</text>\n";
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const double v = values[r][c].get<double>();
      const std::size_t shade = Shade(v, max, small_counts);
      const int x = left + label_width + cell_w * static_cast<int>(c);
      const std::string column_id = columns[c]["id"].get<std::string>();
      const auto marked = options.markers.find({row_id, column_id});
      const bool has_markers = marked != options.markers.end() && !marked->second.empty();
      svg << "<g class=\"cell\" data-row=\"" << HtmlEscape(row_id) << "\" data-column=\""
          << HtmlEscape(column_id) << "\" data-value=\"" << Number(v) << "\"";
      if (has_markers) {
        std::string ids;
        for (const auto& m : marked->second) ids += (ids.empty() ? "" : " ") + m.id;
        svg << " data-markers=\"" << HtmlEscape(ids) << "\"";
      }
      svg << "><rect x=\"" << x << "\" y=\"" << y << "\" width=\"" << cell_w << "\" height=\""
          << cell_h << "\" fill=\"" << (categorical ? category_colour(v) : kHeatmapShades[shade])
          << "\" stroke=\"#bbbbbb\"";
      if (categorical) {
        svg << "><title>" << HtmlEscape(categories[v]) << "</title></rect>";
      } else {
        svg << "/>";
      }
      if (v != 0 && !categorical) {
        const int text_y = has_markers ? y + 22 : y + cell_h / 2 + 6;
        svg << "<text x=\"" << x + cell_w / 2 << "\" y=\"" << text_y
            << "\" font-size=\"16\" text-anchor=\"middle\" fill=\""
            << (shade >= 4 ? "#ffffff" : "#111111") << "\">" << Number(v) << "</text>";
      }
      if (has_markers) DrawMarkers(svg, marked->second, x, y, cell_w, cell_h);
      svg << "</g>\n";
    }
  }

  // Legend: the scale from 0 to the maximum, or one swatch per category.
  const int legend_y = top + cell_h * static_cast<int>(rows.size()) + 30;
  if (categorical) {
    svg << "<g class=\"legend\">";
    int x = left;
    for (const auto& [value, label] : categories) {
      svg << "<rect x=\"" << x << "\" y=\"" << legend_y << "\" width=\"18\" height=\"18\" fill=\""
          << category_colour(value) << "\" stroke=\"#bbbbbb\"/><text x=\"" << x + 24 << "\" y=\""
          << legend_y + 14 << "\" font-size=\"12\" fill=\"#111\">" << HtmlEscape(label)
          << "</text>";
      x += 24 + TextWidth(label, 12) + 20;
    }
    svg << "</g>\n</svg>\n";
    return svg.str();
  }
  svg << "<g class=\"legend\"><text x=\"" << left << "\" y=\"" << legend_y + 14
      << "\" font-size=\"12\" fill=\"#111\">" << HtmlEscape(unit.empty() ? "value" : unit)
      << ":</text>";
  for (std::size_t i = 0; i < kHeatmapShades.size(); ++i) {
    const int x = left + 80 + static_cast<int>(i) * 44;
    svg << "<rect x=\"" << x << "\" y=\"" << legend_y << "\" width=\"44\" height=\"18\" fill=\""
        << kHeatmapShades[i] << "\" stroke=\"#bbbbbb\"/>";
    svg << "<text x=\"" << x + 22 << "\" y=\"" << legend_y + 34
        << "\" font-size=\"11\" text-anchor=\"middle\" fill=\"#111\">"
        << LegendLabel(i, max, small_counts, whole) << "</text>";
  }
  svg << "</g>\n</svg>\n";
  return svg.str();
}

Result<std::string> TableChartSvg(const Json& table, const Registry& registry,
                                  const AxisNames* names) {
  const auto chart = table.find("chart");
  if (chart == table.end() || !chart->is_object()) return Failure{"the table has no chart hint"};
  ChartData d;
  d.type = StringField(*chart, "type");
  if (d.type != "bar" && d.type != "stacked_bar" && d.type != "line")
    return Failure{"unknown chart type \"" + d.type + "\""};
  const Json& columns = table["columns"];
  auto column_index = [&](const std::string& id) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < columns.size(); ++i)
      if (columns[i]["id"] == id) return i;
    return std::nullopt;
  };
  const std::string x_id = StringField(*chart, "x");
  const auto x = column_index(x_id);
  if (!x) return Failure{"the chart's x column \"" + x_id + "\" is not in the table"};
  const auto y_ids = chart->find("y");
  if (y_ids == chart->end() || !y_ids->is_array() || y_ids->empty())
    return Failure{"the chart names no y columns"};
  for (const auto& y : *y_ids) {
    const std::string id = y.is_string() ? y.get<std::string>() : y.dump();
    const auto index = column_index(id);
    if (!index) return Failure{"the chart's y column \"" + id + "\" is not in the table"};
    const Json& col = columns[*index];
    const std::string type = StringField(col, "type", "string");
    if (type == "string") return Failure{"the chart's y column \"" + id + "\" is not numeric"};
    std::string label = StringField(col, "label", id);
    if (registry.LineIndex(id) && (label.empty() || label == id)) label = LineCode(id, registry);
    d.series.push_back({id, label.empty() ? id : label, type, StringField(col, "unit"), *index});
  }

  d.title = StringField(table, "title", StringField(table, "id"));
  d.x_label = StringField(columns[*x], "label", x_id);
  d.percent = std::all_of(d.series.begin(), d.series.end(),
                          [](const Series& s) { return s.type == "percent"; });
  if (d.percent) {
    d.value_label = "share (%)";
  } else {
    std::vector<std::string> units;
    for (const auto& s : d.series) {
      const std::string u = s.unit.empty() ? "" : s.unit;
      if (!u.empty() && std::find(units.begin(), units.end(), u) == units.end()) units.push_back(u);
    }
    for (const auto& u : units) d.value_label += (d.value_label.empty() ? "" : " / ") + u;
    if (d.value_label.empty()) d.value_label = "value";
  }

  const Json& rows = table["rows"];
  d.rows_total = rows.size();
  // Category labels: lines by code and blocks by name when every x value is one (a line
  // and a block may share an id, e.g. value_chain), else names of the x column's dimension.
  bool all_lines = !rows.empty(), all_blocks = !rows.empty();
  for (const auto& row : rows) {
    const Json& cell = row[*x];
    const std::string value = cell.is_string() ? cell.get<std::string>() : "";
    all_lines = all_lines && registry.LineIndex(value).has_value();
    all_blocks = all_blocks && registry.BlockIndex(value).has_value();
  }
  const std::map<std::string, std::string>* dimension_names = nullptr;
  if (names != nullptr) {
    if (const auto it = names->find(x_id); it != names->end()) dimension_names = &it->second;
  }
  bool any = false;
  for (std::size_t r = 0; r < rows.size() && r < kMaxCategories; ++r) {
    const Json& cell = rows[r][*x];
    std::string category = cell.is_string() ? cell.get<std::string>() : ScalarText(cell);
    if (all_lines) {
      category = LineCode(category, registry);
    } else if (all_blocks) {
      category = BlockName(category, registry);
    } else if (dimension_names != nullptr) {
      if (const auto it = dimension_names->find(category); it != dimension_names->end())
        category = it->second;
    }
    d.categories.push_back(category.empty() ? "(none)" : category);
    std::vector<std::optional<double>> row;
    for (const auto& s : d.series) {
      const Json& v = rows[r][s.column];
      // Beyond kAxisLimit a value is not drawn (no plausible figure is that large, and a
      // stack of such values would overflow the axis); it stays in the result's table.
      if (v.is_number() && std::isfinite(v.get<double>()) &&
          std::fabs(v.get<double>()) <= kAxisLimit) {
        row.push_back(v.get<double>());
        any = any || v.get<double>() != 0;
      } else {
        row.push_back(std::nullopt);
      }
    }
    d.values.push_back(std::move(row));
  }
  d.whole = std::all_of(d.series.begin(), d.series.end(),
                        [](const Series& s) { return s.type == "integer"; });
  if (!any) return Failure{"every value is 0 or not available, so there is nothing to draw"};

  if (d.rows_total > d.categories.size()) {
    // Said on the figure itself, so that a printed page cannot mislead.
    d.note = "The chart shows the first " + std::to_string(d.categories.size()) + " of " +
             std::to_string(d.rows_total) + " rows; the table lists them all.";
  }
  return d.type != "line" && d.categories.size() > kMaxVerticalCategories ? HorizontalChart(d)
                                                                          : VerticalChart(d);
}

}  // namespace bmil
