#include "research/agree_report.hpp"

#include "report/html_escape.hpp"
#include "report/html_style.hpp"
#include "report/terminal_text.hpp"
#include "report/value_format.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <utility>

namespace bmil::research {
namespace {

// Values of the pooled matrix: variable i's value v becomes (i + 1) * kPoolStride + v.
constexpr double kPoolStride = 1000;

std::string Fixed(double value, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
  std::string text = buffer;
  if (text == "-0.000" || text == "-0.0") text.erase(0, 1);
  return text;
}

std::string Coef(const Coefficient& c) { return c.value ? Fixed(*c.value, 3) : "-"; }
std::string Share(const std::optional<double>& v) { return v ? Fixed(*v * 100, 1) + "%" : "-"; }

std::string Interval(const AlphaBootstrap& b) {
  if (!b.lower || !b.upper) return "-";
  return Fixed(*b.lower, 3) + " to " + Fixed(*b.upper, 3);
}

std::string ValueLabel(const CodedVariable& v, const CodedUnit& unit, std::size_t coder) {
  if (!unit.coded[coder]) return "not coded";
  const std::optional<double>& value = unit.values[coder];
  if (!value) return "not stated";
  const auto index = static_cast<std::size_t>(*value);
  return index >= 1 && index <= v.labels.size() ? v.labels[index - 1] : Fixed(*value, 0);
}

MatchCounts Count(const auto& matches) {
  MatchCounts counts;
  for (const auto& m : matches) {
    const std::size_t n = m.coded_by();
    if (n < 2) {
      counts.single += n == 1;
      continue;
    }
    bool same = true;
    for (const auto* member : m.members) same = same && (member == nullptr || member->id == m.id);
    (same ? counts.by_id : counts.by_content) += 1;
  }
  return counts;
}

// "coded" entries of the entities of `matches` that not every coder of the business coded.
template <typename T>
void AddUncoded(const MatchedBusiness& b, const std::vector<Matched<T>>& matches, const char* kind,
                std::vector<Disagreement>& out) {
  const std::size_t coders_of_business = b.coded_by();
  if (coders_of_business < 2) return;
  for (const Matched<T>& m : matches) {
    if (m.coded_by() == coders_of_business) continue;
    Disagreement d{b.id, std::string(kind) + " " + m.id, "coded", {}};
    for (std::size_t c = 0; c < m.members.size(); ++c) {
      d.values.push_back(b.cases[c] == nullptr     ? "no case"
                         : m.members[c] != nullptr ? "coded (" + m.members[c]->id + ")"
                                                   : "not coded");
    }
    out.push_back(std::move(d));
  }
}

std::string CountsSentence(const char* kind, const MatchCounts& c) {
  return std::string(kind) + ": " + std::to_string(c.by_id) + " matched by id, " +
         std::to_string(c.by_content) + " by content, " + std::to_string(c.single) +
         " coded by one coder only.";
}

// A table rendered as aligned text, Markdown or HTML. Column 0 is left-aligned, the others
// right-aligned unless named in `left`.
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> left;

  std::string Text() const {
    std::vector<std::size_t> width(header.size(), 0);
    auto measure = [&](const std::vector<std::string>& row) {
      for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
    };
    std::vector<std::vector<std::string>> safe_rows;
    for (const auto& row : rows) {
      safe_rows.emplace_back();
      for (const auto& cell : row) safe_rows.back().push_back(TerminalSafe(cell));
    }
    measure(header);
    for (const auto& row : safe_rows) measure(row);
    std::string out;
    auto line = [&](const std::vector<std::string>& row) {
      std::string text;
      for (std::size_t i = 0; i < row.size(); ++i) {
        const std::string pad(width[i] - row[i].size(), ' ');
        if (i > 0) text += "  ";
        text += IsLeft(i) ? row[i] + pad : pad + row[i];
      }
      while (!text.empty() && text.back() == ' ') text.pop_back();
      out += "  " + text + "\n";
    };
    line(header);
    for (const auto& row : safe_rows) line(row);
    return out;
  }
  std::string Markdown() const {
    std::string out = "|";
    for (const auto& h : header) out += " " + MarkdownText(h) + " |";
    out += "\n|";
    for (std::size_t i = 0; i < header.size(); ++i) out += IsLeft(i) ? "---|" : "---:|";
    out += "\n";
    for (const auto& row : rows) {
      out += "|";
      for (const auto& cell : row) out += " " + MarkdownText(cell) + " |";
      out += "\n";
    }
    return out;
  }
  std::string Html() const {
    std::string out = "<table><thead><tr>";
    for (std::size_t i = 0; i < header.size(); ++i) {
      out += std::string("<th") + (IsLeft(i) ? "" : " class=\"num\"") + ">" +
             HtmlEscape(header[i]) + "</th>";
    }
    out += "</tr></thead><tbody>\n";
    for (const auto& row : rows) {
      out += "<tr>";
      for (std::size_t i = 0; i < row.size(); ++i) {
        out += std::string("<td") + (IsLeft(i) ? "" : " class=\"num\"") + ">" + HtmlEscape(row[i]) +
               "</td>";
      }
      out += "</tr>\n";
    }
    return out + "</tbody></table>\n";
  }

 private:
  bool IsLeft(std::size_t i) const { return i == 0 || (i < left.size() && left[i]); }
};

std::vector<const VariableAgreement*> AllRows(const AgreeResult& r) {
  std::vector<const VariableAgreement*> rows;
  for (const VariableAgreement& v : r.variables) rows.push_back(&v);
  rows.push_back(&r.overall);
  return rows;
}

Table AlphaTable(const AgreeResult& r) {
  const int percent = static_cast<int>(std::lround(r.options.confidence * 100));
  Table t{{"Variable", "Level", "Used", "Excluded", "Alpha", std::to_string(percent) + "% interval",
           "Verdict"},
          {},
          {false, true, false, false, false, false, true}};
  for (const VariableAgreement* v : AllRows(r)) {
    t.rows.push_back({v->variable.id, LevelName(v->report.level),
                      std::to_string(v->report.units_used),
                      std::to_string(v->report.units_excluded), Coef(v->report.alpha),
                      Interval(v->report.bootstrap), VerdictName(v->report.verdict)});
  }
  return t;
}

Table OtherTable(const AgreeResult& r) {
  Table t{{"Variable", "Agreement", "Cohen", "Fleiss", "AC1",
           "P(a<" + Fixed(r.options.reliable_threshold, 3) + ")",
           "P(a<" + Fixed(r.options.tentative_threshold, 3) + ")"},
          {},
          {}};
  for (const VariableAgreement* v : AllRows(r)) {
    const AgreementReport& a = v->report;
    t.rows.push_back({v->variable.id, Share(a.percent_agreement.value), Coef(a.cohen_kappa),
                      Coef(a.fleiss_kappa), Coef(a.gwet_ac1), Share(a.bootstrap.p_below_reliable),
                      Share(a.bootstrap.p_below_tentative)});
  }
  return t;
}

Table DisagreementTable(const AgreeResult& r) {
  Table t{{"Business", "Unit", "Variable"}, {}, {false, true, true}};
  for (const CoderSummary& c : r.coders) {
    t.header.push_back(c.name);
    t.left.push_back(true);
  }
  for (const Disagreement& d : r.disagreements) {
    std::vector<std::string> row{d.business, d.unit, d.variable};
    row.insert(row.end(), d.values.begin(), d.values.end());
    t.rows.push_back(std::move(row));
  }
  return t;
}

// The sentences under the tables: why a statistic is undefined.
std::vector<std::string> UndefinedNotes(const AgreeResult& r) {
  std::vector<std::string> notes;
  for (const VariableAgreement* v : AllRows(r)) {
    if (!v->report.alpha.value)
      notes.push_back(v->variable.id + ": alpha undefined: " + v->report.alpha.why);
    if (v->report.units_single_coder > 0) {
      notes.push_back(v->variable.id + ": " +
                      Plural(v->report.units_single_coder, "unit", "units") +
                      " coded by one coder only, excluded");
    }
  }
  return notes;
}

std::vector<std::string> MatchSentences(const AgreeResult& r) {
  std::vector<std::string> lines;
  const std::size_t all = r.businesses - r.partial_businesses.size();
  lines.push_back(Plural(r.businesses, "business", "businesses") + ", " + std::to_string(all) +
                  " coded by all " + std::to_string(r.coders.size()) + " coders.");
  for (const std::string& p : r.partial_businesses) lines.push_back("Business " + p + ".");
  lines.push_back(CountsSentence("Business models", r.models));
  lines.push_back(CountsSentence("BMI tasks", r.tasks));
  for (const MatchNote& n : r.notes) {
    lines.push_back(n.business + ": " + n.kind + " " + n.id + " is " + r.coders[n.coder].name +
                    "'s " + n.coder_id + ", matched by content: " + n.how + ".");
  }
  return lines;
}

std::string Thresholds(const AgreeResult& r) {
  return "Reliable at alpha >= " + Fixed(r.options.reliable_threshold, 3) +
         ", tentative at >= " + Fixed(r.options.tentative_threshold, 3) + " (Krippendorff 2004); " +
         std::to_string(r.options.bootstrap_replicates) + " bootstrap replicates, seed " +
         std::to_string(r.options.seed);
}

nlohmann::ordered_json CoefficientJson(const Coefficient& c) {
  if (c.value) return *c.value;
  return nullptr;
}

nlohmann::ordered_json OptionalJson(const std::optional<double>& v) {
  if (v) return *v;
  return nullptr;
}

nlohmann::ordered_json VariableJson(const VariableAgreement& v, bool overall) {
  const AgreementReport& a = v.report;
  nlohmann::ordered_json j;
  j["id"] = v.variable.id;
  j["question"] = v.variable.question;
  j["unit"] = overall ? "all" : UnitKindName(v.variable.unit);
  j["level"] = LevelName(a.level);
  j["values"] = v.variable.labels;
  j["units"] = a.units;
  j["units_used"] = a.units_used;
  j["units_excluded"] = a.units_excluded;
  j["units_single_coder"] = a.units_single_coder;
  j["pairable_values"] = a.pairable_values;
  j["observed_disagreement"] = a.observed_disagreement;
  j["expected_disagreement"] = a.expected_disagreement;
  j["alpha"] = CoefficientJson(a.alpha);
  if (!a.alpha.value) j["alpha_why"] = a.alpha.why;
  j["alpha_interval"] = {{"lower", OptionalJson(a.bootstrap.lower)},
                         {"upper", OptionalJson(a.bootstrap.upper)},
                         {"replicates", a.bootstrap.replicates},
                         {"undefined_replicates", a.bootstrap.undefined_replicates}};
  if (!a.bootstrap.why.empty()) j["alpha_interval"]["why"] = a.bootstrap.why;
  j["p_below_reliable"] = OptionalJson(a.bootstrap.p_below_reliable);
  j["p_below_tentative"] = OptionalJson(a.bootstrap.p_below_tentative);
  j["verdict"] = VerdictName(a.verdict);
  if (!a.verdict_why.empty()) j["verdict_why"] = a.verdict_why;
  j["percent_agreement"] = CoefficientJson(a.percent_agreement);
  j["cohen_kappa"] = CoefficientJson(a.cohen_kappa);
  if (!a.cohen_kappa.value) j["cohen_kappa_why"] = a.cohen_kappa.why;
  j["fleiss_kappa"] = CoefficientJson(a.fleiss_kappa);
  if (!a.fleiss_kappa.value) j["fleiss_kappa_why"] = a.fleiss_kappa.why;
  j["fleiss_units"] = a.fleiss_units;
  j["gwet_ac1"] = CoefficientJson(a.gwet_ac1);
  if (!a.gwet_ac1.value) j["gwet_ac1_why"] = a.gwet_ac1.why;
  return j;
}

std::string CsvNumber(const std::optional<double>& v) {
  if (!v) return "";
  std::ostringstream out;
  out.precision(17);
  out << *v;
  return out.str();
}

}  // namespace

AgreeResult Agree(std::span<const Coder> coders, const Registry& registry,
                  const AgreementOptions& options) {
  return Agree(coders, MatchCases(coders), registry, options);
}

AgreeResult Agree(std::span<const Coder> coders, const Matching& matching, const Registry& registry,
                  const AgreementOptions& options) {
  AgreeResult r;
  r.options = options;
  for (const Coder& c : coders) r.coders.push_back({c.name, c.origin, c.cases.size()});
  r.businesses = matching.businesses.size();
  r.notes = matching.notes;
  for (const MatchedBusiness& b : matching.businesses) {
    if (b.coded_by() < coders.size()) {
      std::string who;
      for (std::size_t c = 0; c < coders.size(); ++c) {
        if (b.cases[c] == nullptr) continue;
        who += (who.empty() ? "" : ", ") + coders[c].name;
      }
      r.partial_businesses.push_back(b.id + " (coded by " + who + " only)");
    }
    const MatchCounts m = Count(b.models), t = Count(b.tasks);
    r.models.by_id += m.by_id;
    r.models.by_content += m.by_content;
    r.models.single += m.single;
    r.tasks.by_id += t.by_id;
    r.tasks.by_content += t.by_content;
    r.tasks.single += t.single;
  }

  const std::vector<VariableData> variables = BuildVariables(matching, registry);
  std::size_t pooled_units = 0;
  for (const VariableData& v : variables) pooled_units += v.units.size();
  ReliabilityData pooled(pooled_units, coders.size());
  std::size_t next = 0;
  for (std::size_t i = 0; i < variables.size(); ++i) {
    const VariableData& v = variables[i];
    AgreementOptions own = options;
    own.level = v.variable.level;
    own.category_count = v.variable.labels.size();
    r.variables.push_back({v.variable, ComputeAgreement(v.Matrix(coders.size()), own)});
    for (const CodedUnit& unit : v.units) {
      for (std::size_t c = 0; c < coders.size(); ++c) {
        if (unit.values[c])
          pooled.Set(next, c, (static_cast<double>(i) + 1) * kPoolStride + *unit.values[c]);
      }
      ++next;
    }
  }
  AgreementOptions nominal = options;
  nominal.level = Level::kNominal;
  nominal.category_count = 0;
  r.overall = {{"overall",
                "every variable's units together, nominal",
                UnitKind::kModel,
                Level::kNominal,
                {}},
               ComputeAgreement(pooled, nominal)};

  // Disagreements, business by business. Units are in business order (BuildVariables),
  // so one cursor per variable walks each variable once.
  std::vector<std::size_t> cursor(variables.size(), 0);
  for (const MatchedBusiness& b : matching.businesses) {
    AddUncoded(b, b.models, "model", r.disagreements);
    AddUncoded(b, b.tasks, "task", r.disagreements);
    for (std::size_t i = 0; i < variables.size(); ++i) {
      const VariableData& v = variables[i];
      for (; cursor[i] < v.units.size() && v.units[cursor[i]].business == b.id; ++cursor[i]) {
        const CodedUnit& unit = v.units[cursor[i]];
        std::vector<std::string> seen;
        for (std::size_t c = 0; c < coders.size(); ++c) {
          if (unit.coded[c]) seen.push_back(ValueLabel(v.variable, unit, c));
        }
        if (seen.size() < 2 || std::all_of(seen.begin(), seen.end(),
                                           [&](const std::string& s) { return s == seen[0]; })) {
          continue;
        }
        Disagreement d{b.id, unit.unit, v.variable.id, {}};
        for (std::size_t c = 0; c < coders.size(); ++c)
          d.values.push_back(ValueLabel(v.variable, unit, c));
        r.disagreements.push_back(std::move(d));
      }
    }
  }
  return r;
}

nlohmann::ordered_json AgreeJson(const AgreeResult& r) {
  nlohmann::ordered_json j;
  j["bmil_agree"] = 1;
  j["coders"] = nlohmann::ordered_json::array();
  for (const CoderSummary& c : r.coders) {
    j["coders"].push_back({{"name", c.name}, {"origin", c.origin}, {"cases", c.cases}});
  }
  j["options"] = {{"reliable_threshold", r.options.reliable_threshold},
                  {"tentative_threshold", r.options.tentative_threshold},
                  {"bootstrap_replicates", r.options.bootstrap_replicates},
                  {"seed", r.options.seed},
                  {"confidence", r.options.confidence}};
  auto counts = [](const MatchCounts& c) {
    return nlohmann::ordered_json{
        {"by_id", c.by_id}, {"by_content", c.by_content}, {"single_coder", c.single}};
  };
  j["matching"] = {{"businesses", r.businesses},
                   {"partial_businesses", r.partial_businesses},
                   {"business_models", counts(r.models)},
                   {"bmi_tasks", counts(r.tasks)},
                   {"content_matches", nlohmann::ordered_json::array()}};
  for (const MatchNote& n : r.notes) {
    j["matching"]["content_matches"].push_back({{"business", n.business},
                                                {"kind", n.kind},
                                                {"id", n.id},
                                                {"coder", r.coders[n.coder].name},
                                                {"coder_id", n.coder_id},
                                                {"how", n.how}});
  }
  j["variables"] = nlohmann::ordered_json::array();
  for (const VariableAgreement& v : r.variables) j["variables"].push_back(VariableJson(v, false));
  j["overall"] = VariableJson(r.overall, true);
  j["disagreements"] = nlohmann::ordered_json::array();
  for (const Disagreement& d : r.disagreements) {
    nlohmann::ordered_json values;
    for (std::size_t c = 0; c < d.values.size(); ++c) values[r.coders[c].name] = d.values[c];
    j["disagreements"].push_back(
        {{"business", d.business}, {"unit", d.unit}, {"variable", d.variable}, {"values", values}});
  }
  return j;
}

std::string AgreeText(const AgreeResult& r, bool markdown) {
  std::string out;
  auto heading = [&](const std::string& title) {
    out += markdown ? "\n## " + title + "\n\n" : "\n" + title + "\n";
  };
  auto para = [&](const std::string& text) {
    out += markdown ? MarkdownText(text) + "\n\n" : Wrapped(text, 4, "  ");
  };
  auto table = [&](const Table& t) { out += markdown ? t.Markdown() : t.Text(); };
  const std::string title = "Inter-coder agreement of " +
                            Plural(r.coders.size(), "coder", "coders") + " on " +
                            Plural(r.businesses, "business", "businesses");
  out += markdown ? "# " + title + "\n" : title + " (docs/agreement.md)\n";
  heading("Coders");
  Table coders{{"Coder", "Cases", "From"}, {}, {false, false, true}};
  for (const CoderSummary& c : r.coders)
    coders.rows.push_back({c.name, std::to_string(c.cases), c.origin});
  table(coders);
  heading("Matching");
  for (const std::string& s : MatchSentences(r)) para(s);
  heading("Krippendorff's alpha");
  para(Thresholds(r) + ".");
  table(AlphaTable(r));
  if (markdown) out += "\n";
  for (const std::string& n : UndefinedNotes(r)) para(n);
  heading("Other coefficients (nominal)");
  table(OtherTable(r));
  heading("Disagreements (" + std::to_string(r.disagreements.size()) + ")");
  if (r.disagreements.empty()) {
    para("None: every coder who coded a unit wrote the same.");
  } else if (markdown) {
    table(DisagreementTable(r));
  } else {
    // One entry per disagreement, wrapped: a table of long unit names would not fit.
    for (const Disagreement& d : r.disagreements) {
      std::string values;
      for (std::size_t c = 0; c < d.values.size(); ++c) {
        values += (c == 0 ? "" : "; ") + r.coders[c].name + ": " + d.values[c];
      }
      out += Wrapped(d.business + " " + d.unit + ", " + d.variable, 4, "  ");
      out += Wrapped(values, 6, "      ");
    }
  }
  return out;
}

std::string AgreeHtml(const AgreeResult& r) {
  const std::string title = "Inter-coder agreement of " +
                            Plural(r.coders.size(), "coder", "coders") + " on " +
                            Plural(r.businesses, "business", "businesses");
  std::string out =
      HtmlPageHead(HtmlEscape(title + " - bmil"),
                   "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}"
                   "table{border-collapse:collapse;margin:.5em 0 1em}"
                   "td,th{padding:.2em .6em;border-bottom:1px solid #ddd}th{text-align:left}");
  out += "<main>\n<h1>" + HtmlEscape(title) + "</h1>\n";
  Table coders{{"Coder", "Cases", "From"}, {}, {false, false, true}};
  for (const CoderSummary& c : r.coders)
    coders.rows.push_back({c.name, std::to_string(c.cases), c.origin});
  out += "<h2>Coders</h2>\n" + coders.Html();
  out += "<h2>Matching</h2>\n<ul>\n";
  for (const std::string& s : MatchSentences(r)) out += "<li>" + HtmlEscape(s) + "</li>\n";
  out += "</ul>\n<h2>Krippendorff's alpha</h2>\n<p>" + HtmlEscape(Thresholds(r)) + ".</p>\n";
  out += AlphaTable(r).Html();
  const std::vector<std::string> notes = UndefinedNotes(r);
  if (!notes.empty()) {
    out += "<ul>\n";
    for (const std::string& n : notes) out += "<li>" + HtmlEscape(n) + "</li>\n";
    out += "</ul>\n";
  }
  out += "<h2>Other coefficients (nominal)</h2>\n" + OtherTable(r).Html();
  out += "<h2>Disagreements (" + std::to_string(r.disagreements.size()) + ")</h2>\n";
  out += r.disagreements.empty() ? "<p>None: every coder who coded a unit wrote the same.</p>\n"
                                 : DisagreementTable(r).Html();
  out += "<p>How to read this report, and every rule it applies: docs/agreement.md.</p>\n";
  return out + "</main>\n</body>\n</html>\n";
}

std::string AgreeCsv(const AgreeResult& r) {
  std::string out =
      "variable,unit,level,units,units_used,units_excluded,units_single_coder,alpha,alpha_lower,"
      "alpha_upper,p_below_reliable,p_below_tentative,verdict,percent_agreement,cohen_kappa,"
      "fleiss_kappa,gwet_ac1,alpha_note\n";
  for (const VariableAgreement* v : AllRows(r)) {
    const AgreementReport& a = v->report;
    const std::string unit = v == &r.overall ? "all" : UnitKindName(v->variable.unit);
    out += CsvField(v->variable.id) + "," + CsvField(unit) + "," + LevelName(a.level) + "," +
           std::to_string(a.units) + "," + std::to_string(a.units_used) + "," +
           std::to_string(a.units_excluded) + "," + std::to_string(a.units_single_coder) + "," +
           CsvNumber(a.alpha.value) + "," + CsvNumber(a.bootstrap.lower) + "," +
           CsvNumber(a.bootstrap.upper) + "," + CsvNumber(a.bootstrap.p_below_reliable) + "," +
           CsvNumber(a.bootstrap.p_below_tentative) + "," + VerdictName(a.verdict) + "," +
           CsvNumber(a.percent_agreement.value) + "," + CsvNumber(a.cohen_kappa.value) + "," +
           CsvNumber(a.fleiss_kappa.value) + "," + CsvNumber(a.gwet_ac1.value) + "," +
           CsvField(a.alpha.value ? "" : a.alpha.why) + "\n";
  }
  return out;
}

}  // namespace bmil::research
