#include <bmil/canvas_svg.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>

namespace bmil {
namespace {

// ColorBrewer "Blues" (sequential, colour-blind safe, prints in greyscale), light to dark.
constexpr std::array<const char*, 6> kBlues = {"#f7fbff", "#c6dbef", "#9ecae1",
                                               "#6baed6", "#3182bd", "#08519c"};

std::string Escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Number(double v) {
  if (std::floor(v) == v && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  std::ostringstream out;
  out.precision(3);
  out << v;
  return out.str();
}

// Index into kBlues for `value` on a scale 0..max: 0 for zero. When every value is a whole
// number and max <= kBands (small counts, the usual canvas), value n gets shade n, so the
// legend reads 1, 2, 3...; otherwise five equal bands of (0, max]: shade 1 below max/5, ...,
// shade 5 from 4*max/5 up.
constexpr std::size_t kBands = kBlues.size() - 1;
std::size_t Shade(double value, double max, bool small_counts) {
  if (value <= 0 || max <= 0) return 0;
  if (small_counts) return static_cast<std::size_t>(value);
  const auto band = static_cast<std::size_t>(std::floor(value / max * kBands));
  return 1 + std::min(kBands - 1, band);
}

// The legend's label for shade i (see Shade).
std::string LegendLabel(std::size_t i, double max, bool small_counts) {
  if (i == 0) return "0";
  if (small_counts) return Number(static_cast<double>(i));
  if (i == 1) return "&gt;0";
  return "≥" + Number(max * static_cast<double>(i - 1) / kBands);
}

std::string RowLabel(const std::string& id, const Registry& registry) {
  for (const auto& line : registry.lines()) {
    if (line.id == id) return (line.code.empty() ? "" : line.code + " · ") + line.name;
  }
  return id;
}

std::string ColumnLabel(const std::string& id, const Registry& registry) {
  for (const auto& block : registry.blocks()) {
    if (block.id == id) return block.name;
  }
  return id;
}

}  // namespace

std::string RenderMatrixSvg(const nlohmann::json& matrix, const Registry& registry) {
  const auto& rows = matrix.at("rows");
  const auto& columns = matrix.at("columns");
  const auto& values = matrix.at("values");
  const std::string title = matrix.value("title", "");
  const std::string unit = matrix.value("unit", "");

  double max = 0;
  bool whole = true;
  for (const auto& row : values) {
    for (const auto& v : row) {
      max = std::max(max, v.get<double>());
      whole = whole && std::floor(v.get<double>()) == v.get<double>();
    }
  }
  const bool small_counts = whole && max <= static_cast<double>(kBands);

  constexpr int kCell = 64, kLabelWidth = 290, kTop = 150, kLeft = 20;
  const int width = kLeft + kLabelWidth + kCell * static_cast<int>(columns.size()) + 80;
  const int height = kTop + kCell * static_cast<int>(rows.size()) + 90;

  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
      << "\" viewBox=\"0 0 " << width << " " << height << "\" role=\"img\" aria-label=\""
      << Escape(title) << "\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n";
  svg << "<title>" << Escape(title) << "</title>\n";
  svg << "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  svg << "<text x=\"" << kLeft << "\" y=\"28\" font-size=\"18\" font-weight=\"bold\" fill=\"#111\">"
      << Escape(title) << "</text>\n";
  svg << "<text x=\"" << kLeft << "\" y=\"48\" font-size=\"12\" fill=\"#444\">Rows: leadership "
      << "lines · Columns: building blocks · Cells: " << Escape(unit.empty() ? "values" : unit)
      << " (Lindgren 2012, BMIL strategy canvas)</text>\n";

  // Column headers, rotated so long block names fit.
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const int x = kLeft + kLabelWidth + kCell * static_cast<int>(c) + kCell / 2;
    svg << "<text class=\"column-label\" x=\"" << x << "\" y=\"" << kTop - 8
        << "\" font-size=\"12\" fill=\"#111\" transform=\"rotate(-40 " << x << " " << kTop - 8
        << ")\">" << Escape(ColumnLabel(columns[c].at("id").get<std::string>(), registry))
        << "</text>\n";
  }
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const int y = kTop + kCell * static_cast<int>(r);
    const std::string row_id = rows[r].at("id").get<std::string>();
    svg << "<text class=\"row-label\" x=\"" << kLeft + kLabelWidth - 10 << "\" y=\""
        << y + kCell / 2 + 5 << "\" font-size=\"13\" text-anchor=\"end\" fill=\"#111\">"
        << Escape(RowLabel(row_id, registry)) << "</text>\n";
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const double v = values.at(r).at(c).get<double>();
      const std::size_t shade = Shade(v, max, small_counts);
      const int x = kLeft + kLabelWidth + kCell * static_cast<int>(c);
      svg << "<g class=\"cell\" data-row=\"" << Escape(row_id) << "\" data-column=\""
          << Escape(columns[c].at("id").get<std::string>()) << "\" data-value=\"" << Number(v)
          << "\"><rect x=\"" << x << "\" y=\"" << y << "\" width=\"" << kCell << "\" height=\""
          << kCell << "\" fill=\"" << kBlues[shade] << "\" stroke=\"#bbbbbb\"/>";
      if (v != 0) {
        svg << "<text x=\"" << x + kCell / 2 << "\" y=\"" << y + kCell / 2 + 6
            << "\" font-size=\"16\" text-anchor=\"middle\" fill=\""
            << (shade >= 4 ? "#ffffff" : "#111111") << "\">" << Number(v) << "</text>";
      }
      svg << "</g>\n";
    }
  }

  // Legend: the scale from 0 to the maximum.
  const int legend_y = kTop + kCell * static_cast<int>(rows.size()) + 30;
  svg << "<g class=\"legend\"><text x=\"" << kLeft << "\" y=\"" << legend_y + 14
      << "\" font-size=\"12\" fill=\"#111\">" << Escape(unit.empty() ? "value" : unit)
      << ":</text>";
  for (std::size_t i = 0; i < kBlues.size(); ++i) {
    const int x = kLeft + 80 + static_cast<int>(i) * 44;
    svg << "<rect x=\"" << x << "\" y=\"" << legend_y << "\" width=\"44\" height=\"18\" fill=\""
        << kBlues[i] << "\" stroke=\"#bbbbbb\"/>";
    svg << "<text x=\"" << x + 22 << "\" y=\"" << legend_y + 34
        << "\" font-size=\"11\" text-anchor=\"middle\" fill=\"#111\">"
        << LegendLabel(i, max, small_counts) << "</text>";
  }
  svg << "</g>\n</svg>\n";
  return svg.str();
}

}  // namespace bmil
