// Base class of leadership-line plugins (Lindgren 2012, Appendix 1 and Table 2).
//
// A line is mostly data: its descriptor, its SWOT, one guiding question per building block
// and the rules that say when one of its threats is triggered. Derive from LeadershipLine,
// return a LineDescriptor from descriptor(), and the default Assess() and Propose() do the
// rest; override them only for a line whose logic is not a table.
#ifndef BMIL_SDK_LEADERSHIP_LINE_HPP_
#define BMIL_SDK_LEADERSHIP_LINE_HPP_

#include <bmil/sdk/case_view.hpp>
#include <bmil/sdk/threat.hpp>
#include <bmil/sdk/vocabulary.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bmil::sdk {

// Shown where the source leaves a SWOT cell empty: we never invent one.
inline constexpr std::string_view kNotStatedInSource = "not stated in the source";

struct Swot {
  std::vector<std::string> strengths;
  std::vector<std::string> weaknesses;
  std::vector<std::string> opportunities;
  std::vector<std::string> threats;
  std::string source;  // e.g. "Lindgren 2012, Table 2 (paraphrased)"
};

struct GuidingQuestion {
  std::string block;     // a block id
  std::string question;  // asked from this line's viewpoint, for an SME manager
};

struct LineDescriptor {
  std::string id;           // e.g. "customer"
  std::string code;         // the paper's code, e.g. "CIL"
  std::string name;         // e.g. "Customer innovation leadership"
  std::string focus_block;  // e.g. "customers"
  std::string perspective;  // "inside_out", "outside_in", "both" or "horizontal"
  std::string definition;   // a short definition in our own words
  Swot swot;
  std::vector<GuidingQuestion> questions;  // one per building block
  std::vector<ThreatRule> threats;
};

class LeadershipLine {
 public:
  virtual ~LeadershipLine() = default;

  // Called once after construction with the host's configuration for this plugin.
  virtual void Configure(const nlohmann::json& /*config*/) {}
  // The line's data. Must return the same object on every call.
  virtual const LineDescriptor& descriptor() const = 0;

  // The descriptor as JSON: id, code, name, focus_block, perspective, definition, swot
  // (empty cells as [kNotStatedInSource]), questions, threats.
  virtual nlohmann::ordered_json Describe() const;

  // How much of the model's BMI runs through this line, per block, and which of the
  // line's threats are triggered, with the evidence:
  // {"line","business_model","state","tasks","line_tasks","share",
  //  "blocks":[{"block","tasks","line_tasks"}], "threats":[{"code","threat","triggered",
  //  "evidence":[...],"min_share","min_tasks","absent_block","source"}]}
  virtual nlohmann::ordered_json Assess(const CaseView& view, const BusinessModelView& bm) const;

  // Candidate BMI tasks on the blocks this line does not yet cover for the model, each with
  // its rationale, the line's guiding question and a suggested strategic action:
  // {"line","business_model","proposals":[{"line","block","action","question","rationale"}]}
  // The action is "create" when the model does not describe the block yet, "upgrade" for
  // an AS IS model's described block, and "create" for a TO BE model's.
  virtual nlohmann::ordered_json Propose(const CaseView& view, const BusinessModelView& bm) const;

 protected:
  // The guiding question for `block`, or "" when the descriptor has none.
  std::string QuestionFor(std::string_view block) const {
    for (const auto& q : descriptor().questions)
      if (q.block == block) return q.question;
    return {};
  }
};

// ---------------------------------------------------------------------- inline definitions

inline nlohmann::ordered_json LeadershipLine::Describe() const {
  const LineDescriptor& d = descriptor();
  auto cell = [](const std::vector<std::string>& items) {
    return items.empty() ? nlohmann::ordered_json::array({kNotStatedInSource})
                         : nlohmann::ordered_json(items);
  };
  nlohmann::ordered_json out = {{"id", d.id},
                                {"kind", "line"},
                                {"code", d.code},
                                {"name", d.name},
                                {"focus_block", d.focus_block},
                                {"perspective", d.perspective},
                                {"definition", d.definition}};
  out["swot"] = {{"strengths", cell(d.swot.strengths)},
                 {"weaknesses", cell(d.swot.weaknesses)},
                 {"opportunities", cell(d.swot.opportunities)},
                 {"threats", cell(d.swot.threats)},
                 {"source", d.swot.source}};
  out["questions"] = nlohmann::ordered_json::array();
  for (const auto& q : d.questions)
    out["questions"].push_back({{"block", q.block}, {"question", q.question}});
  out["threats"] = nlohmann::ordered_json::array();
  for (const auto& t : d.threats) {
    out["threats"].push_back({{"code", t.code},
                              {"threat", t.threat},
                              {"min_share", t.min_share},
                              {"min_tasks", t.min_tasks},
                              {"absent_block", t.absent_block},
                              {"source", t.source}});
  }
  return out;
}

inline nlohmann::ordered_json LeadershipLine::Assess(const CaseView& view,
                                                     const BusinessModelView& bm) const {
  const LineDescriptor& d = descriptor();
  const auto line = view.line_index(d.id);
  const std::vector<TaskView> tasks = bm.tasks();

  std::vector<std::size_t> block_tasks(view.block_count(), 0);
  std::vector<std::size_t> block_line_tasks(view.block_count(), 0);
  std::size_t line_tasks = 0;
  for (const TaskView& task : tasks) {
    const bool through_line = line && task.lines().contains(*line);
    if (through_line) ++line_tasks;
    for (unsigned block : task.blocks()) {
      if (block >= view.block_count()) continue;
      ++block_tasks[block];
      if (through_line) ++block_line_tasks[block];
    }
  }
  const double share =
      tasks.empty() ? 0.0 : static_cast<double>(line_tasks) / static_cast<double>(tasks.size());

  nlohmann::ordered_json out = {
      {"line", d.id},          {"business_model", bm.id()}, {"state", bm.state_name()},
      {"tasks", tasks.size()}, {"line_tasks", line_tasks},  {"share", share}};
  out["blocks"] = nlohmann::ordered_json::array();
  for (std::size_t b = 0; b < view.block_count(); ++b) {
    out["blocks"].push_back({{"block", view.block_id(b)},
                             {"tasks", block_tasks[b]},
                             {"line_tasks", block_line_tasks[b]}});
  }
  out["threats"] = nlohmann::ordered_json::array();
  for (const ThreatRule& rule : d.threats) {
    std::size_t touching = 0;
    if (!rule.absent_block.empty()) {
      if (const auto absent = view.block_index(rule.absent_block)) touching = block_tasks[*absent];
    }
    out["threats"].push_back(
        AssessThreat(rule, d.code, bm.id(), {tasks.size(), line_tasks, touching}));
  }
  return out;
}

inline nlohmann::ordered_json LeadershipLine::Propose(const CaseView& view,
                                                      const BusinessModelView& bm) const {
  const LineDescriptor& d = descriptor();
  const auto line = view.line_index(d.id);
  bmil_set covered = 0;
  for (const TaskView& task : bm.tasks()) {
    if (line && task.lines().contains(*line)) covered |= task.blocks().bits();
  }
  nlohmann::ordered_json out = {{"line", d.id}, {"business_model", bm.id()}};
  out["proposals"] = nlohmann::ordered_json::array();
  for (unsigned b = 0; b < view.block_count(); ++b) {
    if (IdSet(covered).contains(b)) continue;
    const std::string block(view.block_id(b));
    const bmil_block_view& raw_block = bm.block(b);
    const bool described = raw_block.present != 0;
    const char* action = (!described || bm.state() != BMIL_STATE_AS_IS) ? "create" : "upgrade";
    std::string rationale = "No BMI task on " + std::string(bm.id()) + " looks at the " + block +
                            " block from the " + d.name + " viewpoint";
    rationale += described ? "." : "; the model does not describe this block yet.";
    out["proposals"].push_back({{"line", d.id},
                                {"block", block},
                                {"action", action},
                                {"question", QuestionFor(block)},
                                {"rationale", rationale}});
  }
  return out;
}

}  // namespace bmil::sdk

#endif  // BMIL_SDK_LEADERSHIP_LINE_HPP_
