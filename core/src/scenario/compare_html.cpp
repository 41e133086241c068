// The HTML page of `bmil scenario compare` (docs/scenarios.md, "Comparing scenarios"): one
// self-contained file in the report's style (no script, no network, print-friendly), with
// the NPV table, P(row beats column), fan charts of the business's profit and revenue, a
// tornado per column, the canvas each column leads to with the cells a scenario covers
// marked, the structural changes, and the assumptions.
#include "report/chart_axis.hpp"
#include "report/html_escape.hpp"
#include "report/html_style.hpp"
#include "report/svg_charts.hpp"
#include "scenario/compare.hpp"
#include "scenario/number_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#ifndef BMIL_VERSION
#define BMIL_VERSION "0.0.0"
#endif

namespace bmil::scenario {
namespace {

std::string E(std::string_view s) { return HtmlEscape(s); }

// Amounts with a true minus sign (U+2212), absent metrics as an en dash.
std::string Money(double v) { return Amount(v, "\u2212"); }
std::string Metric(const std::optional<double>& v, const std::string& unit) {
  return MetricValue(v, unit, "\u2013");
}

const char* Color(std::size_t i) { return kSeriesColors[i % kSeriesColors.size()]; }

// The index of the business series of `kpi` in a column's layout, or npos.
std::size_t BusinessSeries(const Consequences& q, const std::string& kpi) {
  for (std::size_t s = 0; s < q.layout.series.size(); ++s)
    if (q.layout.series[s].kpi == kpi && q.layout.series[s].business_model.empty()) return s;
  return std::string::npos;
}

// A fan chart of one business KPI: per column the P10-P90 band and the P50 line.
std::string FanChart(const CompareReport& r, const std::string& kpi, const std::string& label) {
  constexpr double kW = 720, kH = 300, kLeft = 70, kRight = 16, kTop = 14, kBottom = 40;
  double lo = 0, hi = 0;
  bool any = false;
  for (const Column& c : r.columns) {
    if (!c.consequences) continue;
    const std::size_t s = BusinessSeries(*c.consequences, kpi);
    if (s == std::string::npos) continue;
    for (const Band& b : c.consequences->bands[s]) {
      lo = std::min(lo, b.p10);
      hi = std::max(hi, b.p90);
      any = true;
    }
  }
  if (!any || r.years == 0) return "";
  const std::vector<double> ticks = AxisTicks(lo, hi);
  const double plot_w = kW - kLeft - kRight, plot_h = kH - kTop - kBottom;
  auto x = [&](std::size_t year) {
    return kLeft + (r.years == 1 ? plot_w / 2 : plot_w * static_cast<double>(year) / (r.years - 1));
  };
  auto y = [&](double v) { return kTop + plot_h * (hi - v) / (hi - lo); };
  std::ostringstream svg;
  svg << "<svg class=\"fan\" data-kpi=\"" << E(kpi) << "\" viewBox=\"0 0 " << kW << " " << kH
      << "\" width=\"" << kW << "\" height=\"" << kH << "\" role=\"img\" aria-label=\"" << E(label)
      << "\">";
  for (double t : ticks) {
    svg << "<line x1=\"" << kLeft << "\" x2=\"" << kW - kRight << "\" y1=\"" << Fixed(y(t), 1)
        << "\" y2=\"" << Fixed(y(t), 1) << "\" stroke=\"" << (t == 0 ? "#57606a" : "#d0d7de")
        << "\" stroke-width=\"1\"/><text x=\"" << kLeft - 6 << "\" y=\"" << Fixed(y(t) + 4, 1)
        << "\" text-anchor=\"end\" font-size=\"11\" fill=\"#57606a\">" << E(ShortAmount(t))
        << "</text>";
  }
  for (std::uint32_t year = 0; year < r.years; ++year) {
    svg << "<text x=\"" << Fixed(x(year), 1) << "\" y=\"" << kH - kBottom + 16
        << "\" text-anchor=\"middle\" font-size=\"11\" fill=\"#57606a\">"
        << r.first_year + static_cast<std::int32_t>(year) << "</text>";
  }
  for (std::size_t i = 0; i < r.columns.size(); ++i) {
    const Column& c = r.columns[i];
    if (!c.consequences) continue;
    const std::size_t s = BusinessSeries(*c.consequences, kpi);
    if (s == std::string::npos) continue;
    const auto& bands = c.consequences->bands[s];
    std::ostringstream band, line;
    for (std::size_t k = 0; k < bands.size(); ++k)
      band << (k ? " L" : "M") << Fixed(x(k), 1) << " " << Fixed(y(bands[k].p90), 1);
    for (std::size_t k = bands.size(); k-- > 0;)
      band << " L" << Fixed(x(k), 1) << " " << Fixed(y(bands[k].p10), 1);
    for (std::size_t k = 0; k < bands.size(); ++k)
      line << (k ? " L" : "M") << Fixed(x(k), 1) << " " << Fixed(y(bands[k].p50), 1);
    svg << "<g class=\"series\" data-scenario=\"" << E(c.id) << "\"><title>" << E(c.id)
        << ": P10 to P90 (band) and P50 (line)</title><path d=\"" << band.str() << " Z\" fill=\""
        << Color(i) << "\" fill-opacity=\"0.14\" stroke=\"none\"/><path d=\"" << line.str()
        << "\" fill=\"none\" stroke=\"" << Color(i) << "\" stroke-width=\"2.5\"";
    if (i % 2 == 1) svg << " stroke-dasharray=\"7 4\"";
    svg << "/></g>";
  }
  // Legend.
  double lx = kLeft;
  for (std::size_t i = 0; i < r.columns.size(); ++i) {
    if (!r.columns[i].consequences) continue;
    const std::string name = r.columns[i].id.substr(0, 28);
    svg << "<line x1=\"" << lx << "\" x2=\"" << lx + 22 << "\" y1=\"" << kH - 8 << "\" y2=\""
        << kH - 8 << "\" stroke=\"" << Color(i) << "\" stroke-width=\"2.5\""
        << (i % 2 == 1 ? " stroke-dasharray=\"7 4\"" : "") << "/><text x=\"" << lx + 27 << "\" y=\""
        << kH - 4 << "\" font-size=\"11\">" << E(name) << "</text>";
    lx += 40 + 6.5 * static_cast<double>(name.size());
  }
  svg << "</svg>";
  return svg.str();
}

// A column's tornado: one bar per driver from the NPV at its P10 to the NPV at its P90.
std::string TornadoChart(const Consequences& q, std::size_t color) {
  constexpr std::size_t kBars = 8;
  const std::size_t n = std::min(kBars, q.tornado.size());
  if (n == 0) return "";
  constexpr double kW = 720, kLabel = 230, kRight = 34, kBar = 22, kTop = 8, kAxis = 24;
  const double h = kTop + kBar * static_cast<double>(n) + kAxis;
  double lo = INFINITY, hi = -INFINITY;
  for (std::size_t k = 0; k < n; ++k) {
    lo = std::min({lo, q.tornado[k].npv_low, q.tornado[k].npv_high});
    hi = std::max({hi, q.tornado[k].npv_low, q.tornado[k].npv_high});
  }
  const std::vector<double> ticks = AxisTicks(lo, hi);
  const double plot_w = kW - kLabel - kRight;
  auto x = [&](double v) { return kLabel + plot_w * (v - lo) / (hi - lo); };
  std::ostringstream svg;
  svg << "<svg class=\"tornado\" viewBox=\"0 0 " << kW << " " << Fixed(h, 0) << "\" width=\"" << kW
      << "\" height=\"" << Fixed(h, 0) << "\" role=\"img\" aria-label=\"Tornado\">";
  for (double t : ticks) {
    svg << "<line x1=\"" << Fixed(x(t), 1) << "\" x2=\"" << Fixed(x(t), 1) << "\" y1=\"" << kTop
        << "\" y2=\"" << Fixed(h - kAxis, 1) << "\" stroke=\"#d0d7de\"/><text x=\""
        << Fixed(x(t), 1) << "\" y=\"" << Fixed(h - 8, 1)
        << "\" text-anchor=\"middle\" font-size=\"11\" fill=\"#57606a\">" << E(ShortAmount(t))
        << "</text>";
  }
  for (std::size_t k = 0; k < n; ++k) {
    const TornadoBar& b = q.tornado[k];
    const double y = kTop + kBar * static_cast<double>(k);
    const double a = x(std::min(b.npv_low, b.npv_high)), z = x(std::max(b.npv_low, b.npv_high));
    svg << "<g class=\"bar\" data-driver=\"" << E(b.driver) << "\"><title>" << E(b.driver)
        << ": NPV " << E(Money(b.npv_low)) << " at its P10 (" << E(Fixed(b.low, 3)) << "), "
        << E(Money(b.npv_high)) << " at its P90 (" << E(Fixed(b.high, 3)) << ")</title>"
        << "<text x=\"" << kLabel - 8 << "\" y=\"" << Fixed(y + 15, 1)
        << "\" text-anchor=\"end\" font-size=\"12\">" << E(b.driver.substr(0, 34)) << "</text>"
        << "<rect x=\"" << Fixed(a, 1) << "\" y=\"" << Fixed(y + 3, 1) << "\" width=\""
        << Fixed(std::max(z - a, 1.0), 1) << "\" height=\"" << kBar - 6 << "\" fill=\""
        << Color(color) << "\"/></g>";
  }
  svg << "</svg>";
  return svg.str();
}

const nlohmann::json* CanvasMatrix(const AnalysisReport& report) {
  for (const AnalyzerReport& a : report.analyzers) {
    if (a.plugin != "canvas" || !a.result.is_object() || !a.result.contains("matrices")) continue;
    for (const auto& m : a.result["matrices"])
      if (m.value("id", "") == "canvas") return &m;
  }
  return nullptr;
}

}  // namespace

std::string CompareHtml(const CompareReport& r, const Registry& registry) {
  std::ostringstream main, nav;
  const std::string title = "Scenario comparison: " + r.base_id;
  auto section = [&](const std::string& id, const std::string& heading) {
    nav << "<li><a href=\"#" << id << "\">" << E(heading) << "</a></li>";
    main << "<section id=\"" << id << "\">\n<h2>" << E(heading) << "</h2>\n";
  };
  const bool financial = std::any_of(r.columns.begin(), r.columns.end(), [](const Column& c) {
    return c.consequences && !c.consequences->npv.empty();
  });

  if (financial) {
    section("value", "Net present value");
    main << "<p>The net present value of the business's profit over " << r.years << " years from "
         << r.first_year << ", discounted at " << Fixed(r.discount_rate * 100, 1)
         << "% a year, over " << r.sampler.draws << " draws of the drivers. P(best): the share "
         << "of draws in which the column has the highest NPV; regret: the best NPV of the "
            "draw minus the column's.</p>\n";
    main << "<div class=\"table-wrap\"><table class=\"data npv\" id=\"npv\"><thead><tr>"
            "<th>Scenario</th><th class=\"num\">P10</th><th class=\"num\">P50</th>"
            "<th class=\"num\">P90</th><th class=\"num\">Mean</th><th class=\"num\">P(loss)</th>";
    if (r.comparison)
      main << "<th class=\"num\">P(best)</th><th class=\"num\">Mean regret</th>"
              "<th class=\"num\">Max regret</th>";
    main << "</tr></thead><tbody>";
    for (std::size_t i = 0; i < r.columns.size(); ++i) {
      const Column& c = r.columns[i];
      main << "<tr data-scenario=\"" << E(c.id) << "\"><th scope=\"row\"><span class=\"swatch\" "
           << "style=\"background:" << Color(i) << "\"></span>" << E(c.id) << "</th>";
      if (!c.consequences || c.consequences->npv.empty()) {
        main << "<td class=\"null\" colspan=\"" << (r.comparison ? 8 : 5)
             << "\">no result (see the notes)</td></tr>";
        continue;
      }
      const Consequences& q = *c.consequences;
      main << "<td class=\"num\">" << Money(q.npv_band.p10) << "</td><td class=\"num\">"
           << Money(q.npv_band.p50) << "</td><td class=\"num\">" << Money(q.npv_band.p90)
           << "</td><td class=\"num\">" << Money(q.npv_band.mean) << "</td><td class=\"num\">"
           << Percent(q.loss_probability) << "</td>";
      if (r.comparison)
        main << "<td class=\"num\">" << Percent(r.comparison->p_best[i])
             << "</td><td class=\"num\">" << Money(r.comparison->regret[i].mean)
             << "</td><td class=\"num\">" << Money(r.comparison->max_regret[i]) << "</td>";
      main << "</tr>";
    }
    main << "</tbody></table></div>\n";
    if (r.comparison) {
      main << "<h3>Head to head</h3>\n<p>The share of draws in which the row's NPV is higher "
              "than the column's. Every column sees the same values of the drivers it shares "
              "(common random numbers), so the difference is the strategies', not the draws'.</p>"
           << "<div class=\"table-wrap\"><table class=\"data beats\" id=\"beats\"><thead><tr>"
              "<th>P(row beats column)</th>";
      for (const Column& c : r.columns)
        main << "<th class=\"num\" data-scenario=\"" << E(c.id) << "\">" << E(c.id) << "</th>";
      main << "</tr></thead><tbody>";
      for (std::size_t a = 0; a < r.columns.size(); ++a) {
        main << "<tr><th scope=\"row\">" << E(r.columns[a].id) << "</th>";
        for (std::size_t b = 0; b < r.columns.size(); ++b) {
          if (a == b) {
            main << "<td class=\"num null\">\u2013</td>";
            continue;
          }
          const Band& d = r.comparison->difference[a][b];
          main << "<td class=\"num\" title=\"NPV difference: P10 " << E(Money(d.p10)) << ", P50 "
               << E(Money(d.p50)) << ", P90 " << E(Money(d.p90)) << "\">"
               << Percent(r.comparison->p_beats[a][b]) << "</td>";
        }
        main << "</tr>";
      }
      main << "</tbody></table></div>\n";
    }
    main << "</section>\n";

    section("trajectories", "Profit and revenue over time");
    for (const auto& [kpi, label] :
         {std::pair<std::string, std::string>{"profit", "Profit"}, {"revenue", "Revenue"}}) {
      const std::string svg = FanChart(r, kpi, label + " of the business");
      if (svg.empty()) continue;
      main << "<figure>" << svg << "<figcaption><strong>" << E(label)
           << " of the business</strong> per year: the band runs from P10 to P90, the line is "
              "P50.</figcaption></figure>\n";
    }
    main << "</section>\n";

    section("drivers", "What moves the NPV");
    main << "<p>One driver at a time from its P10 to its P90, every other at its median; the "
            "eight that move the NPV most. The rank correlation of each driver with the NPV "
            "over the draws (which respects the scenario's correlations) is in the JSON "
            "output.</p>\n";
    for (std::size_t i = 0; i < r.columns.size(); ++i) {
      const Column& c = r.columns[i];
      if (!c.consequences) continue;
      const std::string svg = TornadoChart(*c.consequences, i);
      if (svg.empty()) continue;
      main << "<figure data-scenario=\"" << E(c.id) << "\">" << svg << "<figcaption><strong>"
           << E(c.id) << "</strong>: NPV at each driver's P10 and P90.</figcaption></figure>\n";
    }
    main << "</section>\n";
  }

  section("canvases", "The canvas each scenario leads to");
  main << "<p>BMI tasks per leadership line (rows) and building block (columns) of the case "
          "each column leads to. A <strong>+</strong> marks a cell the scenario covers that "
          "the base leaves blind.</p>\n<div class=\"figure-row\">";
  for (const Column& c : r.columns) {
    const nlohmann::json* matrix = CanvasMatrix(c.report);
    if (matrix == nullptr) continue;
    HeatmapOptions options;
    options.short_row_labels = true;
    options.cell_width = 56;
    options.cell_height = 44;
    if (c.structural) {
      for (const CanvasCell& cell : c.structural->cells_added)
        options.markers[{cell.line, cell.block}].push_back(
            {"+", "covered", "covered by the scenario, blind in the base", false});
    }
    main << "<figure data-scenario=\"" << E(c.id) << "\">" << HeatmapSvg(*matrix, registry, options)
         << "<figcaption><strong>" << E(c.id) << "</strong>";
    if (c.structural) {
      main << ": " << c.structural->cells_added.size() << " cell(s) covered, "
           << c.structural->cells_left.size() << " left, " << c.structural->blind_in_both
           << " still blind";
    }
    main << ".</figcaption></figure>";
  }
  main << "</div>\n</section>\n";

  section("structure", "What changes in the structure");
  for (const Column& c : r.columns) {
    if (!c.structural) continue;
    main << "<h3 data-scenario=\"" << E(c.id) << "\">" << E(c.id) << ": " << E(c.name) << "</h3>\n";
    if (!c.rationale.empty()) main << "<p class=\"note\">" << E(c.rationale) << "</p>\n";
    main << "<div class=\"table-wrap\"><table class=\"data structure\" id=\"structure-"
         << HtmlId(c.id) << "\"><thead><tr><th>Analyzer</th><th>Metric</th>"
         << "<th class=\"num\">Base</th><th class=\"num\">Scenario</th></tr></thead><tbody>";
    std::size_t rows = 0;
    for (const MetricDelta& m : c.structural->metrics) {
      if (!m.headline || m.base == m.scenario) continue;
      ++rows;
      main << "<tr><td>" << E(m.analyzer) << "</td><td>" << E(m.label) << "</td><td class=\"num\">"
           << E(Metric(m.base, m.unit)) << "</td><td class=\"num\">"
           << E(Metric(m.scenario, m.unit)) << "</td></tr>";
    }
    if (rows == 0)
      main << "<tr><td colspan=\"4\" class=\"null\">no headline metric changes</td></tr>";
    main << "</tbody></table></div>\n";
    if (!c.structural->findings.empty()) {
      main << "<ul class=\"findings-changed\">";
      for (const FindingChange& f : c.structural->findings) {
        const char* kind = f.changed ? "changed" : f.raised ? "raised" : "cleared";
        main << "<li data-change=\"" << kind << "\"><strong>" << kind << "</strong> <code>"
             << E(f.code) << "</code>: " << E(f.message) << "</li>";
      }
      main << "</ul>\n";
    }
  }
  main << "</section>\n";

  if (financial) {
    section("assumptions", "Assumptions");
    main << "<p>The drivers of the consequence model <code>" << E(r.model_id) << "</code> "
         << E(r.model_version) << " in each column: the model's defaults (illustrative unless "
         << "its documentation says otherwise) and the scenario's, which replace them.</p>\n";
    for (const Column& c : r.columns) {
      if (!c.consequences) continue;
      main << "<h3>" << E(c.id) << "</h3><div class=\"table-wrap\"><table class=\"data "
           << "assumptions\"><thead><tr><th>Driver</th><th>Distribution</th>"
           << "<th class=\"num\">P10</th><th class=\"num\">Median</th><th class=\"num\">P90</th>"
           << "<th>Source</th></tr></thead><tbody>";
      for (const LayoutDriver& d : c.consequences->layout.drivers) {
        main << "<tr><td title=\"" << E(d.description) << "\"><code>" << E(d.id)
             << "</code></td><td>" << Distribution::KindName(d.distribution.kind)
             << "</td><td class=\"num\">" << E(Fixed(Quantile(d.distribution, 0.1), 3))
             << "</td><td class=\"num\">" << E(Fixed(Median(d.distribution), 3))
             << "</td><td class=\"num\">" << E(Fixed(Quantile(d.distribution, 0.9), 3))
             << "</td><td>" << (d.from_scenario ? "scenario" : "model default") << "</td></tr>";
      }
      main << "</tbody></table></div>\n";
    }
    main << "</section>\n";
  }

  if (!r.notes.empty() || !r.failures.empty()) {
    section("notes", "Notes");
    main << "<ul>";
    for (const std::string& n : r.notes) main << "<li>" << E(n) << "</li>";
    for (const CallError& e : r.failures)
      main << "<li class=\"problem\">" << E(e.ToString()) << "</li>";
    main << "</ul>\n</section>\n";
  }

  std::ostringstream html;
  html << HtmlPageHead(E(title),
                       ".swatch { display: inline-block; width: .8em; height: .8em; "
                       "margin-right: .4em; border-radius: 2px; vertical-align: baseline; }\n"
                       "ul.findings-changed { font-size: .9rem; }\n")
       << "<header class=\"report-head\" id=\"top\">\n<h1>" << E(title)
       << "</h1>\n<p class=\"lede\">The base case <code>" << E(r.base_file) << "</code> and "
       << (r.columns.size() - (r.columns.empty() || r.columns[0].id != "base" ? 0 : 1))
       << " scenario(s) side by side: what each changes on the canvas and in every analysis, and "
       << (r.model_id.empty() ? std::string("(no consequence model was loaded)")
                              : "what it is likely to earn, from the consequence model <code>" +
                                    E(r.model_id) + "</code>")
       << ".</p>\n<ul class=\"note\">";
  for (const Column& c : r.columns) {
    html << "<li data-scenario=\"" << E(c.id) << "\"><strong>" << E(c.id)
         << "</strong>: " << E(c.name)
         << (c.file.empty() ? "" : " (<code>" + E(c.file) + "</code>)") << "</li>";
  }
  html << "</ul>\n<nav class=\"contents\" id=\"contents\" aria-label=\"Contents\"><ol>" << nav.str()
       << "</ol></nav>\n</header>\n<main>\n"
       << main.str() << "</main>\n<footer class=\"report-foot\">bmil " << BMIL_VERSION
       << " · base XXH3 " << E(r.base_xxh3) << " · seed " << r.sampler.seed << ", "
       << SamplingMethodName(r.sampler.method)
       << " · docs/scenarios.md</footer>\n</body>\n</html>\n";
  return html.str();
}

}  // namespace bmil::scenario
