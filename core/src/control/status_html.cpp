// The HTML page of `bmil control status` (docs/control.md, "Status"): one self-contained file
// in the report's style (no script, no network, print-friendly): alerts first, then per KPI
// a chart of the actuals against the target trajectory and the band, the control charts,
// the milestones with earned value, and the canvas the plan chose against the one the tasks
// build.
#include "control/status.hpp"
#include "report/chart_axis.hpp"
#include "report/html_escape.hpp"
#include "report/html_style.hpp"
#include "scenario/number_text.hpp"

#include <bmil/sdk/vocabulary.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#ifndef BMIL_VERSION
#define BMIL_VERSION "0.0.0"
#endif

namespace bmil::control {
namespace {

using scenario::Fixed;

std::string E(std::string_view s) { return HtmlEscape(s); }
std::string Money(double v) { return scenario::Amount(v, "\u2212"); }
std::string Figure(double v) { return std::fabs(v) >= 1000 ? Money(v) : Fixed(v, 2); }
std::string Gap(double g) { return (g < 0 ? "\u2212" : "+") + Fixed(std::fabs(g) * 100, 0) + "%"; }

// The KPI's chart: the band (P10-P90) and the target trajectory from the baseline through
// the targets, and the actuals, on a time axis from the plan's adoption to its last target.
std::string KpiChart(const Plan& plan, const KpiStatus& k, const std::string& as_of) {
  constexpr double kW = 720, kH = 260, kLeft = 70, kRight = 16, kTop = 14, kBottom = 34;
  const Kpi& kpi = *k.kpi;
  struct Point {
    std::string day;
    double value;
    std::optional<double> p10, p90;
  };
  std::vector<Point> plan_points;
  if (kpi.baseline) {
    plan_points.push_back({kpi.baseline_date, *kpi.baseline, *kpi.baseline, *kpi.baseline});
  }
  for (const Target& t : k.targets) {
    if (!plan_points.empty() && t.date <= plan_points.back().day) continue;
    plan_points.push_back({t.date, t.value, t.p10, t.p90});
  }
  std::string first = plan.adopted, last = std::max(as_of, plan.adopted);
  for (const Point& p : plan_points) last = std::max(last, p.day);
  for (const Actual& a : k.actuals) last = std::max(last, a.date);
  double lo = 0, hi = 0;
  bool any = false;
  auto include = [&](double v) {
    lo = any ? std::min(lo, v) : v;
    hi = any ? std::max(hi, v) : v;
    any = true;
  };
  for (const Point& p : plan_points) {
    include(p.value);
    if (p.p10) include(*p.p10);
    if (p.p90) include(*p.p90);
  }
  for (const Actual& a : k.actuals) include(a.value);
  if (!any) return "";
  const std::vector<double> ticks = AxisTicks(lo, hi);
  const double d0 = static_cast<double>(DayNumber(first));
  const double d1 = std::max(d0 + 1, static_cast<double>(DayNumber(last)));
  const double plot_w = kW - kLeft - kRight, plot_h = kH - kTop - kBottom;
  auto x = [&](const std::string& day) {
    return kLeft + plot_w * (static_cast<double>(DayNumber(day)) - d0) / (d1 - d0);
  };
  auto y = [&](double v) { return kTop + plot_h * (hi - v) / (hi - lo); };
  std::ostringstream svg;
  svg << "<svg class=\"kpi-chart\" data-kpi=\"" << E(kpi.id) << "\" viewBox=\"0 0 " << kW << " "
      << kH << "\" width=\"" << kW << "\" height=\"" << kH << "\" role=\"img\" aria-label=\""
      << E(kpi.label) << ": actuals against the target and the band\">";
  for (double t : ticks) {
    svg << "<line x1=\"" << kLeft << "\" x2=\"" << kW - kRight << "\" y1=\"" << Fixed(y(t), 1)
        << "\" y2=\"" << Fixed(y(t), 1) << "\" stroke=\"" << (t == 0 ? "#57606a" : "#d0d7de")
        << "\"/><text x=\"" << kLeft - 6 << "\" y=\"" << Fixed(y(t) + 4, 1)
        << "\" text-anchor=\"end\" font-size=\"11\" fill=\"#57606a\">" << E(ShortAmount(t))
        << "</text>";
  }
  // A tick at each New Year's Day in the span.
  for (int year = std::stoi(first.substr(0, 4)) + 1; year <= std::stoi(last.substr(0, 4)); ++year) {
    const std::string day = std::to_string(year) + "-01-01";
    svg << "<line x1=\"" << Fixed(x(day), 1) << "\" x2=\"" << Fixed(x(day), 1) << "\" y1=\"" << kTop
        << "\" y2=\"" << kH - kBottom << "\" stroke=\"#eaeef2\"/><text x=\"" << Fixed(x(day), 1)
        << "\" y=\"" << kH - kBottom + 15
        << "\" text-anchor=\"middle\" font-size=\"11\" fill=\"#57606a\">" << year << "</text>";
  }
  // The band where both ends of a segment have one.
  for (std::size_t i = 1; i < plan_points.size(); ++i) {
    const Point& a = plan_points[i - 1];
    const Point& b = plan_points[i];
    if (!(a.p10 && a.p90 && b.p10 && b.p90)) continue;
    svg << "<path class=\"band\" d=\"M" << Fixed(x(a.day), 1) << " " << Fixed(y(*a.p90), 1) << " L"
        << Fixed(x(b.day), 1) << " " << Fixed(y(*b.p90), 1) << " L" << Fixed(x(b.day), 1) << " "
        << Fixed(y(*b.p10), 1) << " L" << Fixed(x(a.day), 1) << " " << Fixed(y(*a.p10), 1)
        << " Z\" fill=\"#0072b2\" fill-opacity=\"0.13\" stroke=\"none\"/>";
  }
  std::ostringstream target;
  for (std::size_t i = 0; i < plan_points.size(); ++i) {
    target << (i ? " L" : "M") << Fixed(x(plan_points[i].day), 1) << " "
           << Fixed(y(plan_points[i].value), 1);
  }
  if (plan_points.size() == 1) {
    target << " L" << Fixed(x(last), 1) << " " << Fixed(y(plan_points[0].value), 1);
  }
  svg << "<path class=\"target\" d=\"" << target.str()
      << "\" fill=\"none\" stroke=\"#0072b2\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>";
  std::ostringstream actual;
  for (std::size_t i = 0; i < k.actuals.size(); ++i) {
    actual << (i ? " L" : "M") << Fixed(x(k.actuals[i].date), 1) << " "
           << Fixed(y(k.actuals[i].value), 1);
  }
  svg << "<path class=\"actual\" d=\"" << actual.str()
      << "\" fill=\"none\" stroke=\"#222222\" stroke-width=\"2\"/>";
  for (const Actual& a : k.actuals) {
    svg << "<circle class=\"actual-point\" cx=\"" << Fixed(x(a.date), 1) << "\" cy=\""
        << Fixed(y(a.value), 1) << "\" r=\"3.2\" fill=\"#222222\"><title>" << E(a.date) << ": "
        << E(Figure(a.value)) << "</title></circle>";
  }
  // As of.
  svg << "<line x1=\"" << Fixed(x(as_of), 1) << "\" x2=\"" << Fixed(x(as_of), 1) << "\" y1=\""
      << kTop << "\" y2=\"" << kH - kBottom << "\" stroke=\"#d55e00\" stroke-dasharray=\"2 3\"/>";
  // Legend.
  const double ly = kH - 6;
  svg << "<line x1=\"" << kLeft << "\" x2=\"" << kLeft + 22 << "\" y1=\"" << ly - 4 << "\" y2=\""
      << ly - 4 << "\" stroke=\"#222222\" stroke-width=\"2\"/><text x=\"" << kLeft + 27 << "\" y=\""
      << ly << "\" font-size=\"11\">actual</text><line x1=\"" << kLeft + 80 << "\" x2=\""
      << kLeft + 102 << "\" y1=\"" << ly - 4 << "\" y2=\"" << ly - 4
      << "\" stroke=\"#0072b2\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/><text x=\""
      << kLeft + 107 << "\" y=\"" << ly << "\" font-size=\"11\">target</text><rect x=\""
      << kLeft + 160 << "\" y=\"" << ly - 9 << "\" width=\"22\" height=\"10\" fill=\"#0072b2\" "
      << "fill-opacity=\"0.13\"/><text x=\"" << kLeft + 187 << "\" y=\"" << ly
      << "\" font-size=\"11\">P10\u2013P90 band</text><line x1=\"" << kLeft + 290 << "\" x2=\""
      << kLeft + 290 << "\" y1=\"" << ly - 10 << "\" y2=\"" << ly << "\" stroke=\"#d55e00\" "
      << "stroke-dasharray=\"2 3\"/><text x=\"" << kLeft + 296 << "\" y=\"" << ly
      << "\" font-size=\"11\">as of " << E(as_of) << "</text></svg>";
  return svg.str();
}

// The canvas of each business model: the cells the plan chose and the cells the tasks lead.
std::string CanvasPlanVsActual(const Drift& d) {
  std::set<std::string> models;
  for (const CanvasCell& c : d.planned) models.insert(c.business_model);
  for (const CanvasCell& c : d.led) models.insert(c.business_model);
  const std::set<CanvasCell> planned(d.planned.begin(), d.planned.end());
  const std::set<CanvasCell> led(d.led.begin(), d.led.end());
  std::ostringstream out;
  for (const std::string& model : models) {
    std::vector<std::string> lines, blocks;
    auto add = [](std::vector<std::string>& list, const std::string& id) {
      if (std::find(list.begin(), list.end(), id) == list.end()) list.push_back(id);
    };
    for (const auto& set : {&d.planned, &d.led}) {
      for (const CanvasCell& c : *set) {
        if (c.business_model != model) continue;
        add(lines, c.line);
        add(blocks, c.block);
      }
    }
    std::sort(lines.begin(), lines.end());
    std::sort(blocks.begin(), blocks.end());
    out << "<h3>" << E(model) << "</h3>\n<div class=\"table-wrap\"><table class=\"data "
        << "drift-canvas\" data-model=\"" << E(model) << "\"><thead><tr><th>Line \\ block</th>";
    for (const std::string& b : blocks) out << "<th>" << E(b) << "</th>";
    out << "</tr></thead><tbody>";
    for (const std::string& l : lines) {
      out << "<tr><th scope=\"row\">" << E(l) << "</th>";
      for (const std::string& b : blocks) {
        const CanvasCell cell{model, l, b};
        const bool p = planned.count(cell) > 0, a = led.count(cell) > 0;
        const char* cls = p && a ? "both" : p ? "planned" : a ? "unplanned" : "none";
        const char* text = p && a ? "planned, led" : p ? "planned" : a ? "led, not planned" : "";
        out << "<td class=\"cell " << cls << (sdk::InClassicCorner(l, b) ? " corner" : "")
            << "\" data-line=\"" << E(l) << "\" data-block=\"" << E(b) << "\">" << text << "</td>";
      }
      out << "</tr>";
    }
    out << "</tbody></table></div>\n";
  }
  return out.str();
}

const char* kStatusNames[] = {"", "planned", "ongoing", "completed", "abandoned"};

}  // namespace

std::string StatusHtml(const Plan& plan, const Status& st) {
  std::ostringstream main, nav;
  const std::string title = "Plan " + plan.id + ": status as of " + st.as_of;
  auto section = [&](const std::string& id, const std::string& heading) {
    nav << "<li><a href=\"#" << id << "\">" << E(heading) << "</a></li>";
    main << "<section id=\"" << id << "\">\n<h2>" << E(heading) << "</h2>\n";
  };

  section("alerts", "Alerts");
  if (st.alerts.empty()) {
    main << "<p>No alert.</p>\n";
  } else {
    main << "<div class=\"table-wrap\"><table class=\"data alerts\"><thead><tr><th>State</th>"
            "<th>Alert</th><th>What</th><th>Since</th><th class=\"num\">Check-ins</th></tr>"
            "</thead><tbody>";
    for (const Alert& a : st.alerts) {
      main << "<tr class=\"alert " << AlertStateName(a.state) << "\" data-alert=\"" << E(a.id)
           << "\"><td><span class=\"alert-state " << AlertStateName(a.state) << "\">"
           << AlertStateName(a.state) << "</span></td><td><code>" << E(a.id) << "</code></td><td>"
           << E(a.message) << "</td><td>" << E(a.since_date)
           << (a.state == AlertState::kResolved
                   ? " (resolved at check-in " + std::to_string(a.until) + ")"
                   : "")
           << "</td><td class=\"num\">" << a.checkins << "</td></tr>";
    }
    main << "</tbody></table></div>\n";
  }
  main << "<p class=\"note\">An alert is pending from the check-in where its condition starts "
       << "to hold and fires once it has held for " << st.alert_after
       << " check-ins in a row; it is resolved at the first check-in where it no longer "
          "holds (docs/control.md, \"Alerts\").</p>\n</section>\n";

  section("kpis", "KPIs");
  main << "<p>The latest actual of each KPI against its target trajectory (linear from the "
          "baseline through the targets) and the band of the consequence model. On track: a "
          "gap of "
       << Gap(kOnTrackGap) << " or better; at risk: down to " << Gap(kAtRiskGap)
       << "; off track: below.</p>\n";
  main << "<div class=\"table-wrap\"><table class=\"data kpis\"><thead><tr><th>KPI</th>"
          "<th class=\"num\">Actual</th><th>On</th><th class=\"num\">Target</th>"
          "<th class=\"num\">Gap</th><th>Band</th><th>Status</th><th>Trend to the last target"
          "</th></tr></thead><tbody>";
  for (const KpiStatus& k : st.kpis) {
    main << "<tr data-kpi=\"" << E(k.kpi->id) << "\" data-state=\"" << KpiStateName(k.state)
         << "\"><th scope=\"row\">" << E(k.kpi->label) << " <code>" << E(k.kpi->id)
         << "</code></th>";
    if (!k.latest) {
      main << "<td class=\"null\" colspan=\"7\">no actual yet</td></tr>";
      continue;
    }
    main << "<td class=\"num\">" << E(Figure(k.latest->value)) << "</td><td>" << E(k.latest->date)
         << "</td><td class=\"num\">" << (k.target ? E(Figure(*k.target)) : "\u2013")
         << "</td><td class=\"num\">" << (k.gap ? Gap(*k.gap) : "\u2013") << "</td><td>"
         << BandPositionName(k.band) << "</td><td>" << KpiStateName(k.state)
         << (k.rebaselines ? " (rebaselined)" : "") << "</td><td>";
    if (k.forecast && k.forecast_gap) {
      main << E(Figure(*k.forecast)) << " (" << Gap(*k.forecast_gap) << ") against "
           << E(Figure(k.targets.back().value)) << " on " << E(k.targets.back().date);
    }
    main << "</td></tr>";
  }
  main << "</tbody></table></div>\n";
  for (const KpiStatus& k : st.kpis) {
    if (k.actuals.empty()) continue;
    main << "<figure class=\"kpi\" data-kpi=\"" << E(k.kpi->id) << "\">"
         << KpiChart(plan, k, st.as_of) << "<figcaption>" << E(k.kpi->label) << " ("
         << E(k.kpi->unit) << ", " << (k.kpi->direction == Direction::kUp ? "up" : "down")
         << " is better)</figcaption></figure>\n";
  }
  main << "</section>\n";

  section("control", "Control charts");
  main << "<p>Individuals and moving range (XmR) charts of each KPI's gap to plan, from "
       << kMinChartPoints << " actuals since its last rebaseline. "
       << E(st.run_rules ? "Rules 1-4 (Western Electric): about 1.1% of points give a false "
                           "alarm (average run length 92)."
                         : "Rule 1 (a point beyond the 3-sigma limits): about 0.27% of points "
                           "give a false alarm (average run length 370).")
       << "</p>\n<div class=\"table-wrap\"><table class=\"data control\"><thead><tr><th>KPI</th>"
          "<th class=\"num\">Points</th><th class=\"num\">Centre</th><th class=\"num\">Lower "
          "limit</th><th class=\"num\">Upper limit</th><th>Signals</th></tr></thead><tbody>";
  for (const KpiStatus& k : st.kpis) {
    if (k.chart.gaps.empty()) continue;
    main << "<tr data-kpi=\"" << E(k.kpi->id) << "\"><th scope=\"row\">" << E(k.kpi->id)
         << "</th><td class=\"num\">" << k.chart.gaps.size() << "</td>";
    if (!k.chart.ready) {
      main << "<td class=\"null\" colspan=\"4\">not enough points yet</td></tr>";
      continue;
    }
    main << "<td class=\"num\">" << E(Figure(k.chart.center)) << "</td><td class=\"num\">"
         << E(Figure(k.chart.lower)) << "</td><td class=\"num\">" << E(Figure(k.chart.upper))
         << "</td><td>";
    for (std::size_t i = 0; i < k.chart.signals.size(); ++i) {
      main << (i ? ", " : "") << E(k.chart.signals[i].date) << " (rule " << k.chart.signals[i].rule
           << ")";
    }
    main << (k.chart.signals.empty() ? "none" : "") << "</td></tr>";
  }
  main << "</tbody></table></div>\n</section>\n";

  section("milestones", "Milestones");
  main << "<div class=\"table-wrap\"><table class=\"data milestones\"><thead><tr>"
          "<th>Milestone</th><th>Model</th><th>Status</th><th>Timing</th><th>Due</th>"
          "<th class=\"num\">Progress</th><th class=\"num\">PV</th><th class=\"num\">EV</th>"
          "<th class=\"num\">AC</th></tr></thead><tbody>";
  auto pm = [](const std::optional<double>& v) { return v ? Fixed(*v, 2) : "\u2013"; };
  for (const MilestoneStatus& m : st.milestones) {
    std::string timing = TimingName(m.timing);
    if (m.days_late > 0) timing += " (" + std::to_string(m.days_late) + " days)";
    main << "<tr data-milestone=\"" << E(m.milestone->id) << "\"><th scope=\"row\">"
         << E(m.milestone->id) << (m.unplanned ? " <span class=\"muted\">(new)</span>" : "")
         << "</th><td>" << E(m.milestone->business_model) << "</td><td>"
         << kStatusNames[static_cast<int>(m.status)] << "</td><td>" << E(timing) << "</td><td>"
         << (m.milestone->due.empty() ? "\u2013" : E(m.milestone->due)) << "</td><td class=\"num\">"
         << Fixed(m.progress * 100, 0) << "%</td><td class=\"num\">" << pm(m.planned_value)
         << "</td><td class=\"num\">" << pm(m.earned_value) << "</td><td class=\"num\">"
         << pm(m.actual_cost) << "</td></tr>";
  }
  main << "</tbody></table></div>\n<p>Earned value in person-months: planned "
       << Fixed(st.planned_value, 2) << ", earned " << Fixed(st.earned_value, 2) << ", spent "
       << Fixed(st.actual_cost, 2) << "; SPI <strong class=\"spi\">"
       << (st.spi ? Fixed(*st.spi, 2) : "\u2013") << "</strong>, CPI <strong class=\"cpi\">"
       << (st.cpi ? Fixed(*st.cpi, 2) : "\u2013") << "</strong>.</p>\n</section>\n";

  section("drift", "Strategy drift");
  const Drift& d = st.drift;
  main << "<p>The canvas the plan chose against the one the ongoing and completed tasks build: "
       << (d.planned.size() - d.planned_not_led.size()) << " of " << d.planned.size()
       << " planned cells led, " << d.unplanned.size() << " led outside the plan ("
       << d.unplanned_in_corner << " in the classic corner). The classic corner holds "
       << Fixed(d.corner_led * 100, 0) << "% of the cells led and "
       << Fixed(d.corner_planned * 100, 0) << "% of the planned"
       << (d.sliding ? ": <strong>the business is sliding back into the classic corner</strong>"
                     : "")
       << ".";
  if (!d.lines_not_led.empty()) {
    main << " Lines the plan leads that no task under way or done leads:";
    for (std::size_t i = 0; i < d.lines_not_led.size(); ++i) {
      main << (i ? ", " : " ") << E(d.lines_not_led[i]);
    }
    main << ".";
  }
  main << "</p>\n" << CanvasPlanVsActual(d) << "</section>\n";

  if (st.confidence || !st.notes.empty()) {
    section("notes", "Confidence and notes");
    if (st.confidence) {
      main << "<p>The team's confidence that the plan will be reached: <strong>"
           << Fixed(*st.confidence, 2) << "</strong> (" << E(st.confidence_date) << ").</p>\n";
    }
    main << "<ul>";
    for (std::size_t i = 0; i < st.notes.size() && i < 10; ++i) {
      main << "<li>" << E(st.notes[i].first) << ": " << E(st.notes[i].second) << "</li>";
    }
    main << "</ul>\n</section>\n";
  }

  std::ostringstream html;
  html << HtmlPageHead(
              E(title),
              ".alert-state { display: inline-block; padding: 0 .45em; border-radius: 3px; "
              "font-size: .78rem; font-weight: 700; text-transform: uppercase; }\n"
              ".alert-state.firing { background: #d55e00; color: #ffffff; }\n"
              ".alert-state.pending { background: #ffffff; color: #7a5000; "
              "border: 1.5px solid #e69f00; }\n"
              ".alert-state.resolved { background: #ffffff; color: #57606a; "
              "border: 1px dashed #57606a; }\n"
              "tr.alert.resolved td { color: #57606a; }\n"
              "figure.kpi { margin: 1rem 0; break-inside: avoid; }\n"
              "table.drift-canvas td.cell { text-align: center; font-size: .8rem; }\n"
              "table.drift-canvas td.both { background: #222222; color: #ffffff; }\n"
              "table.drift-canvas td.planned { background: #ffffff; border: 2px dashed #222222; }\n"
              "table.drift-canvas td.unplanned { background: #e69f00; color: #222222; }\n"
              "table.drift-canvas td.corner { box-shadow: inset 0 0 0 2px #0072b2; }\n")
       << "<header class=\"report-head\" id=\"top\">\n<h1>" << E(title)
       << "</h1>\n<p class=\"lede\">" << E(plan.name) << " for <strong>" << E(plan.business)
       << "</strong>, adopted on " << E(plan.adopted)
       << (plan.decision ? " (" + E(plan.decision->why) + ")" : "") << ". " << st.counted
       << " check-in(s) recorded by " << E(st.as_of) << ".</p>\n"
       << "<nav class=\"contents\" id=\"contents\" aria-label=\"Contents\"><ol>" << nav.str()
       << "</ol></nav>\n</header>\n<main>\n"
       << main.str() << "</main>\n<footer class=\"report-foot\">bmil " << BMIL_VERSION
       << " · log head " << st.counted << ":" << E(st.head) << " · docs/control.md</footer>\n"
       << "</body>\n</html>\n";
  return html.str();
}

}  // namespace bmil::control
