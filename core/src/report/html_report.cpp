#include <bmil/html_report.hpp>

#include "report/case_summary.hpp"
#include "report/html_escape.hpp"
#include "report/html_results.hpp"
#include "report/html_style.hpp"
#include "report/manager_summary.hpp"
#include "report/result_shape.hpp"
#include "report/svg_charts.hpp"
#include "report/value_format.hpp"

#include <bmil/sdk/vocabulary.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

namespace bmil {
namespace {

using Json = nlohmann::json;

std::string E(std::string_view text) { return HtmlEscape(text); }

// Markers name businesses on the cross-case canvas only up to this many; beyond, a cell
// would hold more chips than it can show. ReportCases keeps at least this many cases, so
// that a streamed report has every business it names.
constexpr std::size_t kMaxBusinessMarkers = ReportCases::kMinKeep;
// Rows of the cross-case vertical map.
constexpr std::size_t kMaxVerticalMapRows = 60;

// A figure of an overview section, drawn from one analyzer's table or matrix. The
// analyzer sections link to it instead of drawing it twice.
struct Featured {
  const char* section;
  const char* analyzer;
  const char* kind;  // "tables" or "matrices"
  const char* item;  // the table's or matrix's id
  const char* note;  // where the figure comes from in the paper
};
constexpr Featured kFeatured[] = {
    {"canvas", "canvas", "matrices", "canvas", "Lindgren 2012, Figs. 2, 6 and 8"},
    {"canvas", "canvas", "matrices", "canvas.as_is", "Lindgren 2012, Figs. 2 and 6"},
    {"canvas", "canvas", "matrices", "canvas.to_be", "Lindgren 2012, Figs. 2 and 6"},
    {"figures", "block_focus", "tables", "blocks_by_state",
     "cf. Lindgren 2012, Fig. 3 and sec. 3.1.2"},
    {"figures", "block_focus", "tables", "concentration",
     "cf. Lindgren 2012, Fig. 3 and sec. 3.1.2"},
    {"figures", "line_mix", "tables", "lines_by_state", "cf. Lindgren 2012, Fig. 5"},
    {"figures", "line_mix", "tables", "lines", "cf. Lindgren 2012, Fig. 4"},
    {"figures", "line_mix", "tables", "lines_by_year", "cf. Lindgren 2012, sec. 3.1.2"},
    {"vertical", "vertical", "tables", "moves_by_outcome",
     "cf. Lindgren 2012, sec. 3.3.1 and Fig. 9"},
    {"horizontal", "horizontal", "matrices", "phase_coverage", "cf. Lindgren 2012, sec. 3.3.2"},
    {"horizontal", "horizontal", "tables", "coverage", "cf. Lindgren 2012, sec. 3.3.2"},
    {"horizontal", "horizontal", "tables", "portfolio_coverage", "cf. Lindgren 2012, sec. 3.3.2"},
};

// A table and a matrix of one result may share an id, so keys name the kind too.
std::string Key(const std::string& analyzer, const std::string& kind, const std::string& item) {
  return analyzer + '\x1f' + kind + '\x1f' + item;
}

std::string YesNo(const std::optional<bool>& v) { return !v ? "not stated" : *v ? "yes" : "no"; }

std::string StateBadge(State state) {
  if (state == State::kUnstated) return "<span class=\"muted\">not stated</span>";
  const bool as_is = state == State::kAsIs;
  return std::string("<span class=\"state ") + (as_is ? "as_is" : "to_be") + "\">" +
         (as_is ? "AS IS" : "TO BE") + "</span>";
}

std::string Chip(const std::string& label, bool outlined, const std::string& title) {
  return "<span class=\"chip" + std::string(outlined ? " outlined" : "") + "\" title=\"" +
         E(title) + "\">" + E(label) + "</span>";
}

std::string ModelName(const BusinessModel& m) { return m.name.empty() ? m.id : m.name; }

class HtmlReport {
 public:
  HtmlReport(const AnalysisReport& report, const Registry& registry, std::span<const Case> cases,
             const CaseTotals& totals)
      : report_(report), registry_(registry), cases_(cases), totals_(totals) {
    NameIds();
    // Ids first, so that any section can link to any other.
    for (const char* id :
         {"top", "contents", "summary", "business", "businesses", "canvas", "figures", "vertical",
          "horizontal", "findings", "analyzers", "failures", "about"})
      ids_.Make(id);
    for (const auto& f : kFeatured)
      featured_[Key(f.analyzer, f.kind, f.item)] =
          ids_.Make(std::string("fig-") + f.analyzer + "-" + f.item);
    for (const auto& a : report_.analyzers) {
      analyzer_ids_[a.plugin] = ids_.Make("analyzer-" + a.plugin);
      if (!a.result.is_object()) continue;
      for (const char* kind : {"tables", "matrices"}) {
        if (!a.result.contains(kind) || !a.result[kind].is_array()) continue;
        for (const auto& item : a.result[kind]) {
          const std::string id = StringField(item, "id", kind);
          const std::string key = Key(a.plugin, kind, id);
          if (!item_ids_.count(key)) item_ids_[key] = ids_.Make(a.plugin + "-" + id);
        }
      }
    }
  }

  // Names for the ids analyzers put in their tables: business models, businesses and
  // portfolios. With several businesses, analyzers write "<business>/<model>"; a bare id
  // gets a name only when one business uses it.
  void NameIds() {
    std::map<std::string, int> uses;
    for (const auto& c : cases_) {
      for (const auto& m : c.business_models) ++uses[m.id];
      for (const auto& p : c.portfolios) ++uses["portfolio:" + p.id];
    }
    for (const auto& c : cases_) {
      const std::string business = BusinessName(c.business);
      names_["business"][c.business.id] = business;
      for (const auto& m : c.business_models) {
        if (uses[m.id] == 1) names_["business_model"][m.id] = ModelName(m);
        names_["business_model"][c.business.id + "/" + m.id] = business + ": " + ModelName(m);
      }
      for (const auto& p : c.portfolios) {
        const std::string name = p.name.empty() ? p.id : p.name;
        if (uses["portfolio:" + p.id] == 1) names_["portfolio"][p.id] = name;
        names_["portfolio"][c.business.id + "/" + p.id] = business + ": " + name;
      }
    }
  }

  std::string Render() {
    std::vector<std::pair<std::string, std::string>> sections;  // id, heading
    std::ostringstream main;
    auto add = [&](const std::string& id, const std::string& heading, const std::string& body) {
      sections.emplace_back(id, heading);
      main << "<section id=\"" << id << "\">\n<h2>" << E(heading) << "</h2>\n"
           << body << "</section>\n";
    };
    add("summary", "Summary", Summary());
    if (multi()) {
      add("businesses", "Businesses (" + std::to_string(business_count()) + ")", Businesses());
    } else {
      add("business", "Business and its business models", Business());
    }
    add("canvas", multi() ? "BMIL strategy canvas of all businesses" : "BMIL strategy canvas",
        Canvas());
    add("figures",
        multi()
            ? "Block focus and line mix across " + std::to_string(business_count()) + " businesses"
            : "Block focus and line mix",
        Figures());
    add("vertical", "Vertical BMIL: business models across industries", Vertical());
    add("horizontal", "Horizontal BMIL: before, during and after consumption", Horizontal());
    add("findings", "Findings", Findings());
    add("analyzers", "All analyses", Analyzers());
    add("failures", "Plugin failures", Failures());

    std::ostringstream html;
    html << HtmlPageHead(E(Title()));
    html << "<header class=\"report-head\" id=\"top\">\n<h1>" << E(Title()) << "</h1>\n"
         << "<p class=\"lede\">" << Lede() << "</p>\n<nav class=\"contents\" id=\"contents\" "
         << "aria-label=\"Contents\"><strong>Contents</strong><ol>";
    for (const auto& [id, heading] : sections)
      html << "<li><a href=\"#" << id << "\">" << E(heading) << "</a></li>";
    html << "</ol></nav>\n</header>\n<main>\n"
         << main.str() << "</main>\n"
         << Footer() << "</body>\n</html>\n";
    return html.str();
  }

 private:
  bool multi() const { return business_count() > 1; }
  // The businesses' names by id (an empty map when no case was given).
  const std::map<std::string, std::string>* BusinessNames() const {
    static const std::map<std::string, std::string> kNone;
    const auto it = names_.find("business");
    return it == names_.end() ? &kNone : &it->second;
  }
  std::size_t business_count() const {
    return cases_.empty() ? report_.cases.size() : totals_.businesses;
  }
  // Whether the cases given are all the businesses (not only the first of many).
  bool all_cases() const { return cases_.size() == business_count(); }
  // One case, given whole.
  bool one_case() const { return cases_.size() == 1 && business_count() == 1; }
  // The businesses placed on the canvas by name: all of them, when there are 2 to 12.
  bool business_markers() const {
    return cases_.size() > 1 && all_cases() && cases_.size() <= kMaxBusinessMarkers;
  }

  std::string Title() const {
    if (one_case()) return "BMIL report: " + BusinessName(cases_.front().business);
    if (business_count() == 1) return "BMIL report: " + report_.cases.front();
    return "BMIL report: " + std::to_string(business_count()) + " businesses";
  }

  std::string Lede() const {
    std::string text = "Business Model Innovation Leadership (BMIL) analysis of " +
                       Plural(business_count(), "business", "businesses");
    if (!cases_.empty()) {
      text += ", " + Plural(totals_.models, "business model", "business models") + " and " +
              Plural(totals_.tasks, "BMI task", "BMI tasks");
    }
    return E(text + ", after Lindgren (2012).");
  }

  const Json* Result(const std::string& analyzer) const {
    for (const auto& a : report_.analyzers)
      if (a.plugin == analyzer && a.result.is_object()) return &a.result;
    return nullptr;
  }

  std::string AnalyzerTitle(const std::string& analyzer) const {
    const Json* r = Result(analyzer);
    return r == nullptr ? analyzer : StringField(*r, "title", analyzer);
  }

  // The table or matrix `id` of the analyzer's result, or nullptr.
  const Json* Item(const std::string& analyzer, const char* kind, const std::string& id) const {
    const Json* r = Result(analyzer);
    if (r == nullptr || !r->contains(kind) || !(*r)[kind].is_array()) return nullptr;
    for (const auto& item : (*r)[kind])
      if (StringField(item, "id") == id) return &item;
    return nullptr;
  }

  std::string Missing(const std::string& analyzer) const {
    for (const auto& a : report_.analyzers) {
      if (a.plugin != analyzer) continue;
      return "<p class=\"note\">The <code>" + E(analyzer) +
             "</code> analyzer failed, so this part is missing; see <a href=\"#failures\">Plugin "
             "failures</a>.</p>\n";
    }
    return "<p class=\"note\">The <code>" + E(analyzer) +
           "</code> analyzer plugin was not loaded, so this part is missing.</p>\n";
  }

  std::string ItemLink(const std::string& analyzer, const std::string& item,
                       const std::string& text) const {
    const auto it = item_ids_.find(Key(analyzer, "tables", item));
    if (it == item_ids_.end()) return E(text);
    return "<a href=\"#" + it->second + "\">" + E(text) + "</a>";
  }

  // The caption of a featured figure: its title, what it comes from and, for a table, a
  // link to its numbers (a heatmap shows its numbers itself).
  std::string FeaturedCaption(const Featured& f, const Json& item, const std::string& extra,
                              bool table) const {
    std::string caption = "<strong>" + E(StringField(item, "title", f.item)) + ".</strong> ";
    if (!extra.empty()) caption += extra + " ";
    caption += "From the <a href=\"#" + analyzer_ids_.at(f.analyzer) + "\">" +
               E(AnalyzerTitle(f.analyzer)) + "</a> analyzer" +
               (table ? " (" + ItemLink(f.analyzer, f.item, "numbers") + ")" : "") + "; " +
               E(f.note) + ".";
    return caption;
  }

  // Every featured figure of `section` that has a chart, in kFeatured order.
  std::string FeaturedFigures(const std::string& section) const {
    std::ostringstream html;
    std::set<std::string> missing;
    for (const auto& f : kFeatured) {
      if (f.section != section) continue;
      const bool is_table = std::string(f.kind) == "tables";
      const Json* table = is_table ? Item(f.analyzer, "tables", f.item) : nullptr;
      const Json* matrix = is_table ? nullptr : Item(f.analyzer, "matrices", f.item);
      if (table == nullptr && matrix == nullptr) {
        if (Result(f.analyzer) == nullptr && missing.insert(f.analyzer).second)
          html << Missing(f.analyzer);
        continue;
      }
      const std::string id = featured_.at(Key(f.analyzer, f.kind, f.item));
      if (table != nullptr) {
        std::string why;
        const std::string figure = ChartFigureHtml(*table, registry_, &names_, id,
                                                   FeaturedCaption(f, *table, "", true), &why);
        html << (figure.empty()
                     ? "<p class=\"note\" id=\"" + id + "\"><strong>" +
                           E(StringField(*table, "title", f.item)) + ":</strong> " + E(why) + " (" +
                           ItemLink(f.analyzer, f.item, "table") + ").</p>\n"
                     : figure);
      } else {
        html << MatrixHtml(*matrix, registry_, id, FeaturedCaption(f, *matrix, "", false),
                           InlineHeatmapOptions(*matrix, &names_));
      }
    }
    return html.str();
  }

  // ------------------------------------------------------------------------ summary

  // The manager's summary (docs/reports.md, "The summary"): the business in one line, the
  // canvas at a glance, the things to act on first, each linked to its evidence.
  std::string Summary() const {
    const ManagerSummary s = Summarize(report_, registry_, cases_, totals_);
    std::ostringstream html;
    html << "<p class=\"headline\">" << E(s.headline) << "</p>\n";
    if (s.has_canvas)
      html << "<p><strong>Canvas:</strong> " << E(CanvasGlanceText(s.canvas))
           << " (<a href=\"#canvas\">the canvas</a>).</p>\n";
    if (s.actions.empty()) {
      html << "<p>No analyzer reported a finding.</p>\n";
      return html.str();
    }
    html << "<p><strong>Act on first</strong> (" << s.actions.size() << " of " << s.findings
         << " findings, most pressing first: warnings before notices, then what the paper "
            "names as a trait, then what concerns more businesses):</p>\n<ol class=\"actions\">";
    for (const SummaryItem& item : s.actions) {
      const std::string css = SeverityClass(item.severity);
      const std::string reach = ItemReachText(item, multi());
      const auto anchor = analyzer_ids_.find(item.analyzer);
      html << "<li class=\"finding " << css << "\" data-code=\"" << E(item.code)
           << "\"><p><span class=\"severity\">" << E(item.severity) << "</span> <code>"
           << E(item.code) << "</code>"
           << (reach.empty() ? "" : " <span class=\"muted\">(" + E(reach) + ")</span>")
           << "</p><p class=\"message\">" << E(item.message) << "</p><p class=\"source\">"
           << "Evidence: <a href=\"#findings\">Findings</a>";
      if (anchor != analyzer_ids_.end())
        html << ", from <a href=\"#" << anchor->second << "\">" << E(AnalyzerTitle(item.analyzer))
             << "</a>";
      html << "</p></li>";
    }
    html << "</ol>\n";
    return html.str();
  }

  // ------------------------------------------------------------------- business(es)

  std::string Business() const {
    if (cases_.empty()) {
      return "<p class=\"note\">The cases were not given to the report, only their results: "
             "business <code>" +
             E(report_.cases.empty() ? "" : report_.cases.front()) + "</code>.</p>\n";
    }
    const Case& c = cases_.front();
    const bmil::Business& b = c.business;
    std::ostringstream html;
    html << "<h3>" << E(BusinessName(b)) << "</h3>\n<dl class=\"facts\">";
    auto fact = [&](const char* label, const std::string& value) {
      if (!value.empty()) html << "<dt>" << label << "</dt><dd>" << E(value) << "</dd>";
    };
    fact("Business id", b.id);
    fact("Industry", b.industry);
    fact("Country", b.country);
    fact("Size", SizeName(b.size));
    fact("Founded", b.founded ? std::to_string(*b.founded) : "");
    fact("Employees", b.employees ? std::to_string(*b.employees) : "");
    html << "</dl>\n";
    if (!b.description.empty()) html << "<p>" << E(b.description) << "</p>\n";

    if (c.strategy) {
      const Strategy& s = *c.strategy;
      html << "<h3>BMIL strategy as the case states it</h3>\n<dl class=\"facts\">";
      fact("Explicit BMIL strategy", YesNo(s.explicit_strategy));
      fact("Structured strategy process", YesNo(s.structured_process));
      fact("BMIL skills",
           s.skills == Skills::kUnstated
               ? "not stated"
               : std::string(sdk::NameOf(sdk::kSkillsNames, static_cast<unsigned>(s.skills))));
      std::string lines;
      for (const auto& l : s.leadership_lines)
        lines += (lines.empty() ? "" : ", ") + LineTitle(l, registry_);
      fact("Leadership lines chosen", lines.empty() ? "none stated" : lines);
      if (!s.goals.empty()) {
        html << "<dt>Goals</dt><dd><ul>";
        for (const auto& g : s.goals) html << "<li>" << E(g) << "</li>";
        html << "</ul></dd>";
      }
      html << "</dl>\n";
      if (!s.description.empty()) html << "<p>" << E(s.description) << "</p>\n";
    }

    const BusinessSummary summary = SummarizeBusiness(c);
    html << "<h3>Portfolio of business models</h3>\n<p>"
         << E(Plural(summary.models.size(), "business model", "business models") + " (" +
              std::to_string(summary.as_is) + " AS IS, in the market; " +
              std::to_string(summary.to_be) + " TO BE, on the way to it), " +
              Plural(summary.tasks, "BMI task", "BMI tasks") +
              ". The numbers mark the models on the canvas below (filled: AS IS, dashed: TO BE); "
              "money is in each model's own currency.")
         << "</p>\n";
    html << ModelsTable(summary) << ValueFormulaTable(summary);
    if (c.source) {
      html << "<h4>Source of the case</h4>\n";
      if (!c.source->citation.empty())
        html << "<p class=\"note\">" << E(c.source->citation) << "</p>\n";
      if (!c.source->notes.empty()) html << "<p class=\"note\">" << E(c.source->notes) << "</p>\n";
    }
    return html.str();
  }

  // A model's number chip and name, e.g. to say which models carry another.
  std::string ModelRef(const Case& c, const std::string& id) const {
    for (std::size_t m = 0; m < c.business_models.size(); ++m) {
      const BusinessModel& bm = c.business_models[m];
      if (bm.id == id)
        return Chip(std::to_string(m + 1), bm.state == State::kToBe, ModelName(bm)) + " " +
               E(ModelName(bm));
    }
    return "<code>" + E(id) + "</code>";
  }

  // The business models grouped by portfolio: number, name, state, stage, industries, tasks.
  std::string ModelsTable(const BusinessSummary& summary) const {
    std::ostringstream html;
    html << "<div class=\"table-wrap\"><table class=\"data models\" id=\"business-models\">"
            "<thead><tr><th scope=\"col\">#</th><th scope=\"col\">Business model</th>"
            "<th scope=\"col\">State</th><th scope=\"col\">Stage</th>"
            "<th scope=\"col\">Industries</th><th scope=\"col\" class=\"num\">BMI tasks</th>"
            "</tr></thead>\n";
    for (const auto& p : summary.portfolios) {
      html << "<tbody><tr class=\"group\"><th scope=\"rowgroup\" colspan=\"6\">";
      if (p.portfolio != nullptr) {
        html << "Portfolio: " << E(p.portfolio->name.empty() ? p.portfolio->id : p.portfolio->name)
             << " <code>" << E(p.portfolio->id) << "</code>";
        if (!p.portfolio->description.empty())
          html << "<span class=\"muted\"> — " << E(p.portfolio->description) << "</span>";
      } else {
        html << "In no portfolio";
      }
      html << "</th></tr>\n";
      for (std::size_t i : p.models) {
        const ModelSummary& m = summary.models[i];
        const BusinessModel& bm = *m.model;
        html << "<tr data-business-model=\"" << E(bm.id) << "\"><td>"
             << Chip(std::to_string(i + 1), bm.state == State::kToBe, ModelName(bm)) << "</td><td>"
             << "<strong>" << E(ModelName(bm)) << "</strong> <code>" << E(bm.id) << "</code>";
        if (!bm.description.empty())
          html << "<br><span class=\"muted\">" << E(bm.description) << "</span>";
        html << "</td><td>" << StateBadge(bm.state) << "</td><td>" << E(StageName(bm.stage))
             << "</td><td>";
        for (const auto& industry : bm.industries) {
          const std::string status = IndustryStatusName(industry.status);
          html << "<span class=\"status " << E(status) << "\">" << E(industry.id)
               << (status.empty() ? "" : " (" + E(status) + ")") << "</span><br>";
        }
        html << "</td><td class=\"num\">" << m.tasks << "</td></tr>\n";
      }
      html << "</tbody>\n";
    }
    html << "</table></div>\n";
    return html.str();
  }

  // The value formula of each model: what the case says about it, its figures and profit
  // (revenue - cost, where both are stated), and the models that carry it.
  std::string ValueFormulaTable(const BusinessSummary& summary) const {
    const Case& c = *summary.source;
    std::ostringstream html;
    html << "<h4>Value formula</h4>\n<div class=\"table-wrap\"><table class=\"data value-formula\" "
            "id=\"value-formulas\"><thead><tr><th scope=\"col\">#</th>"
            "<th scope=\"col\">Business model</th><th scope=\"col\">How it earns</th>"
            "<th scope=\"col\" class=\"num\">Revenue</th><th scope=\"col\" class=\"num\">Cost</th>"
            "<th scope=\"col\" class=\"num\">Profit</th><th scope=\"col\" class=\"num\">Users</th>"
            "<th scope=\"col\" class=\"num\">Customers</th></tr></thead><tbody>\n";
    for (std::size_t i = 0; i < summary.models.size(); ++i) {
      const ModelSummary& m = summary.models[i];
      const BusinessModel& bm = *m.model;
      const ValueFormula& vf = bm.value_formula;
      html << "<tr data-business-model=\"" << E(bm.id) << "\"><td>"
           << Chip(std::to_string(i + 1), bm.state == State::kToBe, ModelName(bm)) << "</td><td>"
           << E(ModelName(bm)) << "</td><td>";
      std::string formula;
      if (const auto it = bm.building_blocks.find("value_formula"); it != bm.building_blocks.end())
        formula = it->second.description;
      html << (formula.empty() ? "<span class=\"muted\">not stated</span>" : E(formula));
      if (!bm.carried_by.empty()) {
        html << "<br><span class=\"muted\">Carried by</span> ";
        for (std::size_t k = 0; k < bm.carried_by.size(); ++k)
          html << (k ? ", " : "") << ModelRef(c, bm.carried_by[k]);
      }
      auto amount = [&](const std::optional<double>& v, const std::string& currency) {
        if (!v) return std::string("<td class=\"null\">–</td>");
        return "<td class=\"num\">" + E(DisplayValue(Json(*v), "number", true)) +
               (currency.empty() ? "" : "<span class=\"unit\">" + E(currency) + "</span>") +
               "</td>";
      };
      html << "</td>" << amount(vf.revenue, vf.currency) << amount(vf.cost, vf.currency)
           << amount(m.profit, vf.currency) << amount(vf.users, "") << amount(vf.customers, "")
           << "</tr>\n";
    }
    html << "</tbody></table></div>\n";
    return html.str();
  }

  std::string Businesses() const {
    std::ostringstream html;
    html << "<p>The figures in this report add up all " << business_count()
         << " businesses. A business's own portfolio and business models are in the report on "
            "its case alone (<code>bmil report CASE.json -o CASE.html</code>).</p>\n";
    if (cases_.empty()) {
      html << "<ol>";
      for (const auto& id : report_.cases) html << "<li><code>" << E(id) << "</code></li>";
      html << "</ol>\n";
      return html.str();
    }
    html << "<div class=\"table-wrap\"><table class=\"data businesses\"><thead><tr>"
            "<th scope=\"col\">#</th><th scope=\"col\">Business</th><th scope=\"col\">Industry</th>"
            "<th scope=\"col\">Country</th><th scope=\"col\">Size</th>"
            "<th scope=\"col\" class=\"num\">Business models</th>"
            "<th scope=\"col\" class=\"num\">AS IS</th><th scope=\"col\" class=\"num\">TO BE</th>"
            "<th scope=\"col\" class=\"num\">Portfolios</th>"
            "<th scope=\"col\" class=\"num\">BMI tasks</th></tr></thead><tbody>\n";
    for (std::size_t i = 0; i < cases_.size(); ++i) {
      const Case& c = cases_[i];
      const BusinessSummary s = SummarizeBusiness(c);
      html << "<tr data-business=\"" << E(c.business.id) << "\"><td>"
           << (business_markers() ? Chip(std::to_string(i + 1), false, BusinessName(c.business))
                                  : std::to_string(i + 1))
           << "</td><td>" << E(BusinessName(c.business)) << " <code>" << E(c.business.id)
           << "</code></td><td>" << E(c.business.industry) << "</td><td>" << E(c.business.country)
           << "</td><td>" << E(SizeName(c.business.size)) << "</td><td class=\"num\">"
           << s.models.size() << "</td><td class=\"num\">" << s.as_is << "</td><td class=\"num\">"
           << s.to_be << "</td><td class=\"num\">" << c.portfolios.size()
           << "</td><td class=\"num\">" << s.tasks << "</td></tr>\n";
    }
    html << "</tbody></table></div>\n";
    if (!all_cases()) {
      html << "<p class=\"note\">The first " << cases_.size() << " of " << business_count()
           << " businesses are listed (<code>bmil report --max-rows N</code> or "
              "<code>--all</code> lists more); every figure counts all of them.</p>\n";
    }
    return html.str();
  }

  // ------------------------------------------------------------------------ canvas

  // Chips for each cell: the business models (one business) or the businesses (several,
  // up to kMaxBusinessMarkers) with tasks there.
  std::map<std::pair<std::string, std::string>, std::vector<CellMarker>> Markers(
      std::optional<State> state) const {
    std::map<std::pair<std::string, std::string>, std::vector<CellMarker>> markers;
    if (one_case()) {
      const Case& c = cases_.front();
      for (const auto& [cell, models] : ModelsByCell(c, state)) {
        for (std::size_t m : models) {
          const BusinessModel& bm = c.business_models[m];
          markers[cell].push_back(
              {std::to_string(m + 1), bm.id,
               std::to_string(m + 1) + " · " + ModelName(bm) + " (" + StateLabel(bm.state) + ")",
               bm.state == State::kToBe});
        }
      }
    } else if (business_markers()) {
      for (const auto& [cell, businesses] : BusinessesByCell(cases_, state)) {
        for (std::size_t b : businesses) {
          markers[cell].push_back({std::to_string(b + 1), cases_[b].business.id,
                                   std::to_string(b + 1) + " · " + BusinessName(cases_[b].business),
                                   false});
        }
      }
    }
    return markers;
  }

  std::string MarkerKey() const {
    std::ostringstream html;
    if (one_case()) {
      const Case& c = cases_.front();
      html << "<ol class=\"marker-key\" aria-label=\"Business models on the canvas\">";
      for (std::size_t m = 0; m < c.business_models.size(); ++m) {
        const BusinessModel& bm = c.business_models[m];
        html << "<li>" << Chip(std::to_string(m + 1), bm.state == State::kToBe, ModelName(bm))
             << " " << StateBadge(bm.state) << " " << E(ModelName(bm)) << "</li>";
      }
      html << "</ol>\n";
    } else if (business_markers()) {
      html << "<ol class=\"marker-key\" aria-label=\"Businesses on the canvas\">";
      for (std::size_t b = 0; b < cases_.size(); ++b) {
        html << "<li>" << Chip(std::to_string(b + 1), false, BusinessName(cases_[b].business))
             << " " << E(BusinessName(cases_[b].business)) << "</li>";
      }
      html << "</ol>\n";
    }
    return html.str();
  }

  std::string CanvasFigure(const std::string& matrix_id, std::optional<State> state,
                           bool large) const {
    const Json* matrix = Item("canvas", "matrices", matrix_id);
    if (matrix == nullptr) return "";
    const Featured* f = nullptr;
    for (const auto& candidate : kFeatured)
      if (std::string(candidate.analyzer) == "canvas" && candidate.item == matrix_id)
        f = &candidate;
    HeatmapOptions options;
    options.markers = Markers(state);
    options.short_row_labels = !large;
    const bool markers = !options.markers.empty();
    options.cell_width = markers ? 84 : 64;
    options.cell_height = markers ? 72 : 56;
    std::string extra;
    if (markers && one_case()) {
      extra =
          "Chips: the business models with tasks in the cell (filled: AS IS, dashed: TO "
          "BE).";
    } else if (markers) {
      extra = "Chips: the businesses with tasks in the cell.";
    }
    return MatrixHtml(*matrix, registry_, featured_.at(Key("canvas", "matrices", matrix_id)),
                      FeaturedCaption(*f, *matrix, E(extra), false), options);
  }

  std::string Canvas() const {
    std::ostringstream html;
    html << "<p>The canvas crosses the leadership lines (rows: the viewpoints from which "
            "innovation is led) with the seven building blocks of a business model (columns). "
            "Each cell counts the BMI tasks led through that line on that block: a task on k "
            "blocks through m lines counts once in each of its k × m cells. Darker cells hold "
            "more tasks; empty cells are viewpoints nobody takes. The classic corner (value, "
            "customer and value-chain lines on value proposition, customers and value chain) "
            "is where Lindgren (2012) found most SME innovation.</p>\n";
    if (Result("canvas") == nullptr) return html.str() + Missing("canvas");
    html << CanvasFigure("canvas", std::nullopt, true) << MarkerKey();
    html << "<div class=\"figure-row\">\n"
         << CanvasFigure("canvas.as_is", State::kAsIs, false)
         << CanvasFigure("canvas.to_be", State::kToBe, false) << "</div>\n";
    return html.str();
  }

  // ----------------------------------------------------------------------- figures

  std::string Figures() const {
    std::ostringstream html;
    html << "<p>Where the innovation effort goes (building blocks) and from which viewpoints it "
            "is led (leadership lines), for the business models in the market (AS IS) and those "
            "on their way to it (TO BE) side by side. For comparison: over the SMEs Lindgren "
            "(2012) coded, about half of the BMI was on value proposition and customers and "
            "about two thirds with value chain added; the customer, network and value lines "
            "led most of it, and network leadership weighed a little more for TO BE models.</p>\n"
         << FeaturedFigures("figures");
    return html.str();
  }

  // ---------------------------------------------------------- vertical / horizontal

  std::string VerticalMap() const {
    struct Row {
      std::string label;
      const BusinessModel* model;
    };
    std::vector<Row> rows;
    std::vector<std::string> industries;
    std::size_t left_out = 0;
    for (const auto& c : cases_) {
      for (const auto& bm : c.business_models) {
        const bool moves =
            std::any_of(bm.industries.begin(), bm.industries.end(),
                        [](const auto& i) { return i.status != IndustryStatus::kHome; });
        if (multi() && !moves) {
          ++left_out;
          continue;
        }
        if (rows.size() == kMaxVerticalMapRows) {
          ++left_out;
          continue;
        }
        rows.push_back(
            {multi() ? BusinessName(c.business) + ": " + ModelName(bm) : ModelName(bm), &bm});
        for (const auto& i : bm.industries)
          if (std::find(industries.begin(), industries.end(), i.id) == industries.end())
            industries.push_back(i.id);
      }
    }
    std::ostringstream html;
    html << "<h3>Business models by industry</h3>\n<p class=\"note\">From the cases: the "
            "industry each business model was built for (<span class=\"status home\">home</span>) "
            "and those it was taken into (<span class=\"status succeeded\">succeeded</span>, "
            "<span class=\"status failed\">failed</span>, <span class=\"status attempted\">"
            "attempted</span>).";
    if (multi()) html << " Only models that list an industry other than their home one.";
    html << "</p>\n";
    if (rows.empty()) {
      html << "<p>No business model lists an industry"
           << (multi() ? " other than its home industry" : "") << ".</p>\n";
    } else {
      html << "<div class=\"table-wrap\"><table class=\"data vertical-map\" id=\"vertical-map\">"
              "<thead><tr><th scope=\"col\">Business model</th><th scope=\"col\">State</th>";
      for (const auto& i : industries) html << "<th scope=\"col\">" << E(i) << "</th>";
      html << "</tr></thead><tbody>\n";
      for (const auto& row : rows) {
        html << "<tr><th scope=\"row\">" << E(row.label) << "</th><td>"
             << StateBadge(row.model->state) << "</td>";
        for (const auto& id : industries) {
          const auto it = std::find_if(row.model->industries.begin(), row.model->industries.end(),
                                       [&](const Industry& i) { return i.id == id; });
          if (it == row.model->industries.end()) {
            html << "<td class=\"cell-empty\">·</td>";
            continue;
          }
          const std::string status = IndustryStatusName(it->status);
          html << "<td data-industry=\"" << E(id) << "\" data-status=\"" << E(status)
               << "\"><span class=\"status " << E(status) << "\">"
               << E(status.empty() ? "not stated" : status) << "</span></td>";
        }
        html << "</tr>\n";
      }
      html << "</tbody></table></div>\n";
    }
    if (left_out > 0) {
      html << "<p class=\"note\">" << left_out
           << (multi() ? " other business models serve only their home industry or are left out "
                         "to keep the map readable."
                       : " business models are left out to keep the map readable.")
           << "</p>\n";
    }
    if (!all_cases()) {
      html << "<p class=\"note\">The map shows the first " << cases_.size() << " of "
           << business_count() << " businesses; the vertical analyzer's tables below count "
           << "all of them.</p>\n";
    }
    return html.str();
  }

  std::string Vertical() const {
    std::ostringstream html;
    html << "<p>Vertical BMIL takes a business model into other industries. In the Provital "
            "case of Lindgren (2012) a water-cleaning model succeeded in smoke cleaning but "
            "failed in car-wash water, as it was not developed enough for that market.</p>\n";
    if (!cases_.empty()) html << VerticalMap();
    html << "<h3>Moves into other industries</h3>\n" << FeaturedFigures("vertical");
    if (Result("vertical") != nullptr) {
      html << "<p class=\"see\">Every move with its stage and timing: "
           << ItemLink("vertical", "moves", "moves into other industries") << ".</p>\n";
    }
    return html.str();
  }

  std::string Horizontal() const {
    std::ostringstream html;
    html << "<p>Horizontal BMIL looks before, during and after the consumption of each business "
            "model for new ones (the Infolink case of Lindgren 2012 found learners who wanted "
            "more after its last course). Phases no task looks at are gaps.</p>\n"
         << FeaturedFigures("horizontal");
    if (Result("horizontal") != nullptr) {
      html << "<p class=\"see\">Each gap with a question to ask: "
           << ItemLink("horizontal", "gaps", "phases no BMI task looks at") << ".</p>\n";
    }
    return html.str();
  }

  // ----------------------------------------------------------------------- findings

  std::string Findings() const {
    struct Group {
      Group(const char* s, const char* h) : severity(s), heading(h) {}
      const char* severity;
      const char* heading;
      std::size_t count = 0;
      std::ostringstream html;
    };
    Group groups[] = {{"warning", "Warnings"},
                      {"notice", "Notices"},
                      {"info", "Infos"},
                      {"", "Findings of another severity"}};
    std::ostringstream problems;
    for (const auto& a : report_.analyzers) {
      if (!a.result.is_object() || !a.result.contains("findings")) continue;
      const Json& findings = a.result["findings"];
      const std::string title = AnalyzerTitle(a.plugin);
      if (!findings.is_array()) {
        problems << "<p class=\"problem\">The findings of " << E(title)
                 << " cannot be shown: \"findings\" is not an array.</p>\n";
        continue;
      }
      for (const auto& f : findings) {
        const std::string severity = StringField(f, "severity");
        Group* g = &groups[3];
        for (auto& candidate : groups)
          if (severity == candidate.severity) g = &candidate;
        ++g->count;
        g->html << FindingHtml(f, analyzer_ids_.at(a.plugin), title,
                               multi() ? BusinessNames() : nullptr);
      }
    }
    std::ostringstream html;
    html << "<p class=\"findings-summary\">";
    std::size_t total = 0;
    for (auto& g : groups) {
      total += g.count;
      if (g.severity[0] != '\0' || g.count > 0)
        html << "<span><strong>" << g.count << "</strong> " << g.heading << "</span>";
    }
    html << "</p>\n<p class=\"note\">Warnings ask for action, notices for attention, infos "
            "describe. Each finding names the rule's source; its evidence is what in the data "
            "triggered it.</p>\n";
    if (total == 0) html << "<p>No analyzer reported a finding.</p>\n";
    for (auto& g : groups) {
      if (g.count == 0) continue;
      html << "<h3>" << g.heading << " (" << g.count << ")</h3>\n" << g.html.str();
    }
    return html.str() + problems.str();
  }

  // ---------------------------------------------------------------------- analyzers

  std::string AnalyzerSection(const AnalyzerReport& a) const {
    std::ostringstream html;
    const std::string anchor = analyzer_ids_.at(a.plugin);
    html << "<section class=\"analyzer\" id=\"" << anchor << "\" data-analyzer=\"" << E(a.plugin)
         << "\">\n<h3>" << E(AnalyzerTitle(a.plugin)) << " <code>" << E(a.plugin)
         << "</code></h3>\n";
    if (a.result.is_null()) {
      html << "<p class=\"problem\">This analyzer failed; see <a href=\"#failures\">Plugin "
              "failures</a>.</p>\n</section>\n";
      return html.str();
    }
    if (!a.result.is_object()) {
      html << "<p class=\"problem\">The result is not a JSON object.</p>\n</section>\n";
      return html.str();
    }
    const Json& r = a.result;
    const std::string summary = StringField(r, "summary");
    if (!summary.empty()) html << "<p class=\"summary\">" << E(summary) << "</p>\n";
    const std::string source = StringField(a.descriptor, "source");
    if (!source.empty()) html << "<p class=\"note\">Source: " << E(source) << ".</p>\n";
    if (r.contains("metrics") && !(r["metrics"].is_array() && r["metrics"].empty()))
      html << "<h4>Metrics</h4>\n" << MetricsHtml(r["metrics"]);

    if (r.contains("tables")) {
      if (!r["tables"].is_array()) {
        html
            << "<p class=\"problem\">The tables cannot be shown: \"tables\" is not an array.</p>\n";
      } else {
        for (const auto& t : r["tables"]) {
          const std::string id = StringField(t, "id", "tables");
          const std::string title = StringField(t, "title", id);
          html << "<div class=\"result-item\">\n<h4>" << E(title) << "</h4>\n";
          const auto featured = featured_.find(Key(a.plugin, "tables", id));
          if (featured != featured_.end()) {
            html << "<p class=\"see\">Chart: <a href=\"#" << featured->second
                 << "\">drawn above</a>.</p>\n";
          } else {
            std::string why;
            const std::string figure = ChartFigureHtml(
                t, registry_, &names_, ids_.Make("chart-" + a.plugin + "-" + id), "", &why);
            html << figure;
            if (!why.empty())
              html << "<p class=\"note\">The chart hint is not drawn: " << E(why) << ".</p>\n";
          }
          html << DataTableHtml(t, item_ids_.at(Key(a.plugin, "tables", id)));
          html << "</div>\n";
        }
      }
    }

    if (r.contains("matrices")) {
      if (!r["matrices"].is_array()) {
        html << "<p class=\"problem\">The matrices cannot be shown: \"matrices\" is not an "
                "array.</p>\n";
      } else {
        // Many heatmaps of one result (e.g. a canvas per business model) go side by side.
        std::vector<const Json*> own;
        for (const auto& m : r["matrices"]) {
          const std::string id = StringField(m, "id", "matrices");
          const auto featured = featured_.find(Key(a.plugin, "matrices", id));
          if (featured != featured_.end()) {
            html << "<p class=\"see\">" << E(StringField(m, "title", id)) << ": <a href=\"#"
                 << featured->second << "\">drawn above</a>.</p>\n";
          } else {
            own.push_back(&m);
          }
        }
        const bool grid = own.size() > 2;
        if (grid) html << "<div class=\"small-multiples\">\n";
        for (const Json* m : own) {
          const std::string id = StringField(*m, "id", "matrices");
          html << MatrixHtml(
              *m, registry_, item_ids_.at(Key(a.plugin, "matrices", id)),
              "<strong>" + E(StringField(*m, "title", id)) + ".</strong>" +
                  (StringField(*m, "unit").empty() ? std::string()
                                                   : " Cells: " + E(StringField(*m, "unit")) + "."),
              InlineHeatmapOptions(*m, &names_));
        }
        if (grid) html << "</div>\n";
      }
    }
    html << "</section>\n";
    return html.str();
  }

  std::string Analyzers() const {
    std::ostringstream html;
    html << "<p>Every analyzer's full result: summary, metrics, every table (drawn as a chart "
            "when the analyzer asks for one) and every matrix. Figures shown above are linked, "
            "not repeated.</p>\n";
    if (report_.analyzers.empty()) html << "<p>No analyzer plugin was loaded.</p>\n";
    html << "<ul class=\"analyzer-list\">";
    for (const auto& a : report_.analyzers) {
      html << "<li><a href=\"#" << analyzer_ids_.at(a.plugin) << "\">" << E(AnalyzerTitle(a.plugin))
           << "</a></li>";
    }
    html << "</ul>\n";
    for (const auto& a : report_.analyzers) html << AnalyzerSection(a);
    return html.str();
  }

  std::string Failures() const {
    if (report_.failures.empty()) return "<p>None: every plugin call succeeded.</p>\n";
    std::ostringstream html;
    html << "<p>These plugin calls failed; every other result above is complete.</p>\n"
            "<div class=\"table-wrap\"><table class=\"data failures\"><thead><tr>"
            "<th scope=\"col\">Plugin</th><th scope=\"col\">Call</th>"
            "<th scope=\"col\" class=\"num\">Status</th><th scope=\"col\">Message</th></tr>"
            "</thead><tbody>\n";
    for (const auto& f : report_.failures) {
      html << "<tr><td><code>" << E(f.plugin) << "</code></td><td>" << E(f.call)
           << "</td><td class=\"num\">" << f.status << "</td><td>" << E(f.message)
           << "</td></tr>\n";
    }
    html << "</tbody></table></div>\n";
    return html.str();
  }

  std::string Footer() const {
    std::ostringstream html;
    html << "<footer class=\"report-foot\" id=\"about\">\n<p>Made by bmil " << BMIL_VERSION
         << " with " << Plural(registry_.lines().size(), "leadership line", "leadership lines")
         << " and " << Plural(report_.analyzers.size(), "analyzer", "analyzers") << " (";
    for (std::size_t i = 0; i < report_.analyzers.size(); ++i)
      html << (i ? ", " : "") << "<code>" << E(report_.analyzers[i].plugin) << "</code>";
    html << ").</p>\n<p>Method: Lindgren, P. (2012). Business Model Innovation Leadership: How "
            "Do SME's Strategically Lead Business Model Innovation? International Journal of "
            "Business and Management 7(14), 53. doi:10.5539/ijbm.v7n14p53 (CC BY 4.0).</p>\n"
            "</footer>\n";
    return html.str();
  }

  const AnalysisReport& report_;
  const Registry& registry_;
  std::span<const Case> cases_;  // all cases, or the first of many (see all_cases())
  CaseTotals totals_;            // over all cases
  mutable HtmlIds ids_;          // also gives ids while rendering (chart figures)
  AxisNames names_;              // names of business models, businesses and portfolios by id
  std::map<std::string, std::string> featured_;      // Key(analyzer, kind, item) -> figure id
  std::map<std::string, std::string> item_ids_;      // Key(analyzer, kind, item) -> element id
  std::map<std::string, std::string> analyzer_ids_;  // plugin -> section id
};

}  // namespace

std::string RenderHtml(const AnalysisReport& report, const Registry& registry,
                       std::span<const Case> cases) {
  return HtmlReport(report, registry, cases, CaseTotals::Of(cases)).Render();
}

std::string RenderHtml(const AnalysisReport& report, const Registry& registry,
                       const ReportCases& cases) {
  return HtmlReport(report, registry, cases.kept(), cases.totals()).Render();
}

}  // namespace bmil
