#include "research/codebook.hpp"

#include "report/html_escape.hpp"
#include "report/html_style.hpp"
#include "report/terminal_text.hpp"

#include <bmil/sdk/vocabulary.hpp>

#include <string_view>
#include <utility>
#include <vector>

namespace bmil::research {
namespace {

// The manual as a list of parts, rendered to Markdown or HTML.
struct Part {
  enum class Kind { kTitle, kSection, kSubsection, kParagraph, kList, kTable };
  Kind kind = Kind::kParagraph;
  std::string text;                            // headings and paragraphs
  std::vector<std::string> items;              // a list; a table's header
  std::vector<std::vector<std::string>> rows;  // a table's rows
};

struct Value {
  std::string_view id, rule;
};

// One coded field: where it is, the question the coder answers, and each value's rule.
struct Field {
  std::string_view pointer, question, level, agreement;
  std::vector<Value> values;
};

// The decision rules, in our words after Lindgren (2012) and docs/data-format.md.
const std::vector<Field>& ModelFields() {
  static const std::vector<Field> kFields = {
      {"business_models[].state",
       "Is the business model in the market at the time the source describes?",
       "nominal",
       "model.state",
       {{"as_is", "it is in operation: offered, sold or used on regular terms"},
        {"to_be", "it is on its way: planned, being developed, or being tried before launch"}}},
      {"business_models[].stage",
       "How far has the model come in its life cycle?",
       "ordinal",
       "model.stage",
       {{"idea", "only named or described; nothing worked out"},
        {"concept", "worked out on paper (its blocks described) but not tried with customers"},
        {"prototype", "tried with a few customers, in a pilot or a test market"},
        {"market", "offered in the market on regular terms"},
        {"retired", "taken out of the portfolio or stopped; it stays in the case as history"}}},
      {"business_models[].industries[].status",
       "For each industry the model serves or tries to enter: where does it stand there?",
       "nominal",
       "",
       {{"home", "the industry the model was built for"},
        {"attempted", "a move into the industry is under way"},
        {"succeeded", "the model works there: customers take it on regular terms"},
        {"failed", "the move was given up or the industry did not accept the model"}}},
  };
  return kFields;
}

const std::vector<Field>& TaskFields() {
  static const std::vector<Field> kFields = {
      {"bmi_tasks[].action",
       "What does the task do to the blocks it names?",
       "nominal",
       "task.action",
       {{"create", "adds something new: an offer, a segment, a partner, a channel (ERRC: create)"},
        {"exclude", "removes something, or the whole model from the portfolio (ERRC: eliminate)"},
        {"keep", "deliberately keeps a block as it is while others change (no ERRC term)"},
        {"upgrade", "raises what is there: better, more, faster (ERRC: raise)"},
        {"diminish", "reduces what is there: less, cheaper, narrower (ERRC: reduce)"}}},
      {"bmi_tasks[].level",
       "On which level does the innovation work?",
       "ordinal",
       "",
       {{"building_block", "it changes blocks of one business model"},
        {"business_model", "it changes one business model as a whole, e.g. creates it"},
        {"portfolio", "it changes the set of models: adds, drops or links models"},
        {"business", "it changes the whole business"}}},
      {"bmi_tasks[].phase",
       "Where in the customer's consumption of the model does the task look?",
       "ordinal",
       "task.phase",
       {{"before", "before consumption: finding, choosing, ordering, buying"},
        {"during", "the consumption or use itself"},
        {"after", "after use: service, disposal, the next purchase"}}},
      {"bmi_tasks[].status",
       "How far has the task come at the time the source describes?",
       "ordinal",
       "",
       {{"planned", "decided or proposed, not started"},
        {"ongoing", "started, not finished"},
        {"completed", "finished as intended"},
        {"abandoned", "stopped before it was finished"}}},
      {"bmi_tasks[].stance",
       "Who started the task?",
       "nominal",
       "task.stance",
       {{"reactive", "it answers a request, a complaint or an event that reached the business"},
        {"proactive", "the business started it on its own initiative"}}},
      {"bmi_tasks[].perspective",
       "Whose view drives the task?",
       "nominal",
       "task.perspective",
       {{"outside_in", "a customer's or the market's view, brought in from outside"},
        {"inside_out", "the business's own view of what the market needs"},
        {"inside_in", "internal needs only (cost, capacity, organisation)"}}},
  };
  return kFields;
}

const std::vector<Field>& StrategyFields() {
  static const std::vector<Field> kFields = {
      {"strategy.explicit",
       "Has the business put its BMIL strategy into words?",
       "nominal",
       "",
       {{"true", "a document, plan or stated aim says how it leads business model innovation"},
        {"false", "no such statement: innovation happens as opportunities come"}}},
      {"strategy.structured_process",
       "Does the business follow a structured process to form and follow up that strategy?",
       "nominal",
       "",
       {{"true", "a recurring, described process (meetings, reviews, owners)"},
        {"false", "decisions are made case by case"}}},
      {"strategy.skills",
       "How experienced are its managers with business model innovation?",
       "ordinal",
       "",
       {{"low", "business model innovation is new to them"},
        {"medium", "they have led some of it before"},
        {"high", "they practise it regularly and can teach it"}}},
  };
  return kFields;
}

// The core question of each built-in block (Lindgren 2012, Table 1, paraphrased).
constexpr std::array<std::string_view, 7> kBlockQuestions = {
    "Which products, services and processes do we offer?",
    "Which users, customers and segments do we serve?",
    "Which internal value chain functions do we carry out, and how?",
    "Which competences (technology, people, organisation, culture) do we use?",
    "Which network and network partners (e.g. supply chains) do we rely on?",
    "Which relations, tangible and intangible, do we have?",
    "How do revenue, cost and other value add up?"};

std::string Str(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<Part> FieldParts(const std::vector<Field>& fields) {
  std::vector<Part> parts;
  for (const Field& f : fields) {
    parts.push_back({Part::Kind::kSubsection, std::string(f.pointer), {}, {}});
    std::string text =
        std::string(f.question) + " Level of measurement: " + std::string(f.level) + ".";
    if (!f.agreement.empty()) {
      text += " bmil agree compares it as " + std::string(f.agreement) + ".";
    }
    parts.push_back({Part::Kind::kParagraph, text, {}, {}});
    Part table{Part::Kind::kTable, "", {"Value", "Code it when"}, {}};
    for (const Value& v : f.values) table.rows.push_back({std::string(v.id), std::string(v.rule)});
    table.rows.push_back({"(left out)", "the source does not say; never guess"});
    parts.push_back(std::move(table));
  }
  return parts;
}

std::vector<Part> Build(const Registry& registry, const nlohmann::json& line_descriptors,
                        const std::string& version) {
  std::vector<Part> parts;
  auto add = [&parts](Part::Kind kind, std::string text) {
    parts.push_back({kind, std::move(text), {}, {}});
  };
  add(Part::Kind::kTitle, "BMIL codebook: coding cases for bmil");
  add(Part::Kind::kParagraph,
      "The coding manual for turning a source (a paper, an interview, a company report) into "
      "a bmil case file (docs/data-format.md), after Lindgren (2012). Written by bmil " +
          version + " from the " + std::to_string(registry.lines().size()) +
          " leadership lines and " + std::to_string(registry.blocks().size()) +
          " building blocks loaded; a new line plugin adds its section. Two coders who follow "
          "it should agree: bmil agree measures how far they do (docs/agreement.md).");

  add(Part::Kind::kSection, "How to code");
  parts.push_back(
      {Part::Kind::kList,
       "",
       {
           "One case file per business. Its business models are the ways it creates value, each "
           "AS IS (in the market) or TO BE (on its way); a business runs several.",
           "A BMI task is one innovation effort on one business model: name every building block "
           "it changes and every leadership line it is led from. On the BMIL canvas it occupies "
           "each line x block cell.",
           "Code what the source states. A field the source does not give is left out, never "
           "guessed: a left-out value is missing, which bmil agree counts apart from "
           "disagreements.",
           "Code the time the source describes (its period), not today.",
           "Give models and tasks short stable ids (lower case, digits, _ . -). Coders who use the "
           "same ids are matched exactly; others are matched by content, and the report says how.",
           "Write in source.notes what comes from the source and what you inferred.",
       },
       {}});

  add(Part::Kind::kSection, "Business models");
  for (Part& p : FieldParts(ModelFields())) parts.push_back(std::move(p));
  add(Part::Kind::kSection, "BMI tasks");
  add(Part::Kind::kParagraph,
      "Each task names its business model, at least one building block and at least one "
      "leadership line (below), and, when the source says, the fields that follow.");
  for (Part& p : FieldParts(TaskFields())) parts.push_back(std::move(p));
  add(Part::Kind::kSection, "Strategy");
  add(Part::Kind::kParagraph,
      "What the business states, or what the coder observed, about its own BMIL strategy: "
      "the traits Lindgren (2012) found in most SMEs.");
  for (Part& p : FieldParts(StrategyFields())) parts.push_back(std::move(p));

  add(Part::Kind::kSection, "Building blocks");
  add(Part::Kind::kParagraph,
      "Name a block on a task when the task changes what the block holds for that model. A "
      "task usually touches more than one.");
  Part blocks{Part::Kind::kTable, "", {"Id", "Block", "Its question"}, {}};
  for (std::size_t i = 0; i < registry.blocks().size(); ++i) {
    const RegisteredId& b = registry.blocks()[i];
    blocks.rows.push_back({b.id, b.name,
                           i < kBlockQuestions.size() && b.plugin.empty()
                               ? std::string(kBlockQuestions[i])
                               : "registered by the plugin " + b.plugin});
  }
  parts.push_back(std::move(blocks));

  add(Part::Kind::kSection, "Leadership lines");
  add(Part::Kind::kParagraph,
      "A line is the viewpoint a task is led from. Name a line on a task when its definition "
      "describes where the task started and what it looked at; several lines on one task is "
      "orchestration. The guiding questions help a coder (and a manager) see whether the "
      "line was at work on a block.");
  const nlohmann::json& lines =
      line_descriptors.contains("lines") ? line_descriptors.at("lines") : nlohmann::json::array();
  if (lines.empty()) add(Part::Kind::kParagraph, "No line plugin is loaded.");
  for (const nlohmann::json& d : lines) {
    const std::string code = Str(d, "code");
    add(Part::Kind::kSubsection,
        Str(d, "name") + (code.empty() ? "" : " (" + code + ")") + ": " + Str(d, "id"));
    std::string text = Str(d, "definition");
    if (text.empty()) text = "The plugin gives no definition.";
    const std::string perspective = Str(d, "perspective");
    if (!perspective.empty()) text += " Perspective: " + perspective + ".";
    const std::string focus = Str(d, "focus_block");
    if (!focus.empty()) text += " Its block in focus: " + focus + ".";
    add(Part::Kind::kParagraph, text);
    const auto questions = d.find("questions");
    if (questions != d.end() && questions->is_array() && !questions->empty()) {
      Part table{Part::Kind::kTable, "", {"Block", "Guiding question"}, {}};
      for (const nlohmann::json& q : *questions) {
        if (q.is_object()) table.rows.push_back({Str(q, "block"), Str(q, "question")});
      }
      parts.push_back(std::move(table));
    }
  }
  add(Part::Kind::kSection, "Source");
  add(Part::Kind::kParagraph,
      "P. Lindgren, \"Business Model Innovation Leadership: How Do SME's Strategically Lead "
      "Business Model Innovation?\", International Journal of Business and Management 7(14), "
      "2012 (CC BY 4.0): the building blocks (Table 1), the leadership lines (Appendix 1, "
      "Table 2) and the traits. The rules above are bmil's wording.");
  return parts;
}

}  // namespace

std::string CodebookMarkdown(const Registry& registry, const nlohmann::json& line_descriptors,
                             const std::string& version) {
  std::string out;
  for (const Part& p : Build(registry, line_descriptors, version)) {
    switch (p.kind) {
      case Part::Kind::kTitle:
        out += "# " + MarkdownText(p.text) + "\n\n";
        break;
      case Part::Kind::kSection:
        out += "## " + MarkdownText(p.text) + "\n\n";
        break;
      case Part::Kind::kSubsection:
        out += "### " + MarkdownText(p.text) + "\n\n";
        break;
      case Part::Kind::kParagraph:
        out += MarkdownText(p.text) + "\n\n";
        break;
      case Part::Kind::kList:
        for (const std::string& item : p.items) out += "- " + MarkdownText(item) + "\n";
        out += "\n";
        break;
      case Part::Kind::kTable: {
        out += "|";
        for (const std::string& h : p.items) out += " " + MarkdownText(h) + " |";
        out += "\n|";
        for (std::size_t i = 0; i < p.items.size(); ++i) out += "---|";
        out += "\n";
        for (const auto& row : p.rows) {
          out += "|";
          for (const std::string& cell : row) out += " " + MarkdownText(cell) + " |";
          out += "\n";
        }
        out += "\n";
        break;
      }
    }
  }
  return out;
}

std::string CodebookHtml(const Registry& registry, const nlohmann::json& line_descriptors,
                         const std::string& version) {
  const std::vector<Part> parts = Build(registry, line_descriptors, version);
  std::string out = HtmlPageHead(HtmlEscape(parts.front().text),
                                 "table{border-collapse:collapse;margin:.4em 0 1em}"
                                 "td,th{padding:.2em .6em;border-bottom:1px solid #ddd;"
                                 "text-align:left;vertical-align:top}"
                                 "h3{margin-top:1.2em}@media print{h2{break-before:auto}"
                                 "table,h3{break-inside:avoid}}");
  out += "<main>\n";
  for (const Part& p : parts) {
    switch (p.kind) {
      case Part::Kind::kTitle:
        out += "<h1>" + HtmlEscape(p.text) + "</h1>\n";
        break;
      case Part::Kind::kSection:
        out += "<h2 id=\"" + HtmlId(p.text) + "\">" + HtmlEscape(p.text) + "</h2>\n";
        break;
      case Part::Kind::kSubsection:
        out += "<h3>" + HtmlEscape(p.text) + "</h3>\n";
        break;
      case Part::Kind::kParagraph:
        out += "<p>" + HtmlEscape(p.text) + "</p>\n";
        break;
      case Part::Kind::kList:
        out += "<ul>\n";
        for (const std::string& item : p.items) out += "<li>" + HtmlEscape(item) + "</li>\n";
        out += "</ul>\n";
        break;
      case Part::Kind::kTable:
        out += "<table><thead><tr>";
        for (const std::string& h : p.items) out += "<th>" + HtmlEscape(h) + "</th>";
        out += "</tr></thead><tbody>\n";
        for (const auto& row : p.rows) {
          out += "<tr>";
          for (const std::string& cell : row) out += "<td>" + HtmlEscape(cell) + "</td>";
          out += "</tr>\n";
        }
        out += "</tbody></table>\n";
        break;
    }
  }
  return out + "</main>\n</body>\n</html>\n";
}

}  // namespace bmil::research
