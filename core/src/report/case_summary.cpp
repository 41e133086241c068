#include "report/case_summary.hpp"

#include <bmil/sdk/vocabulary.hpp>

#include <algorithm>
#include <set>

namespace bmil {
namespace {

// The cells of `c`'s tasks, each with the index of the task's model; only models in
// `state` when given.
template <typename Visit>
void ForEachPlacement(const Case& c, std::optional<State> state, Visit visit) {
  std::map<std::string, std::size_t> index;
  for (std::size_t m = 0; m < c.business_models.size(); ++m) index[c.business_models[m].id] = m;
  for (const auto& task : c.bmi_tasks) {
    const auto it = index.find(task.business_model);
    if (it == index.end()) continue;
    if (state && c.business_models[it->second].state != *state) continue;
    for (const auto& line : task.leadership_lines)
      for (const auto& block : task.building_blocks) visit(CanvasCell{line, block}, it->second);
  }
}

}  // namespace

std::string BusinessName(const Business& b) { return b.name.empty() ? b.id : b.name; }

std::string StateLabel(State state) {
  switch (state) {
    case State::kAsIs:
      return "AS IS";
    case State::kToBe:
      return "TO BE";
    case State::kUnstated:
      break;
  }
  return "state not stated";
}

std::string StageName(Stage stage) {
  return std::string(sdk::NameOf(sdk::kStageNames, static_cast<unsigned>(stage)));
}
std::string SizeName(Size size) {
  return std::string(sdk::NameOf(sdk::kSizeNames, static_cast<unsigned>(size)));
}
std::string IndustryStatusName(IndustryStatus status) {
  return std::string(sdk::NameOf(sdk::kIndustryStatusNames, static_cast<unsigned>(status)));
}

BusinessSummary SummarizeBusiness(const Case& c) {
  BusinessSummary s;
  s.source = &c;
  std::map<std::string, std::size_t> index;
  for (const auto& model : c.business_models) {
    ModelSummary m;
    m.model = &model;
    const ValueFormula& vf = model.value_formula;
    if (vf.revenue && vf.cost) m.profit = *vf.revenue - *vf.cost;
    index[model.id] = s.models.size();
    s.models.push_back(std::move(m));
    if (model.state == State::kAsIs) ++s.as_is;
    if (model.state == State::kToBe) ++s.to_be;
  }
  for (const auto& task : c.bmi_tasks) {
    ++s.tasks;
    if (const auto it = index.find(task.business_model); it != index.end())
      ++s.models[it->second].tasks;
  }
  std::set<std::size_t> placed;
  for (const auto& portfolio : c.portfolios) {
    PortfolioSummary p;
    p.portfolio = &portfolio;
    for (const auto& id : portfolio.business_models) {
      const auto it = index.find(id);
      if (it == index.end()) continue;
      p.models.push_back(it->second);
      placed.insert(it->second);
      s.models[it->second].portfolios.push_back(portfolio.name.empty() ? portfolio.id
                                                                       : portfolio.name);
    }
    s.portfolios.push_back(std::move(p));
  }
  PortfolioSummary rest;
  for (std::size_t m = 0; m < s.models.size(); ++m)
    if (!placed.count(m)) rest.models.push_back(m);
  if (!rest.models.empty()) s.portfolios.push_back(std::move(rest));
  return s;
}

std::map<CanvasCell, std::vector<std::size_t>> ModelsByCell(const Case& c,
                                                            std::optional<State> state) {
  std::map<CanvasCell, std::vector<std::size_t>> cells;
  ForEachPlacement(c, state, [&](const CanvasCell& cell, std::size_t model) {
    auto& models = cells[cell];
    if (std::find(models.begin(), models.end(), model) == models.end()) models.push_back(model);
  });
  for (auto& [cell, models] : cells) std::sort(models.begin(), models.end());
  return cells;
}

std::map<CanvasCell, std::vector<std::size_t>> BusinessesByCell(std::span<const Case> cases,
                                                                std::optional<State> state) {
  std::map<CanvasCell, std::vector<std::size_t>> cells;
  for (std::size_t b = 0; b < cases.size(); ++b) {
    ForEachPlacement(cases[b], state, [&](const CanvasCell& cell, std::size_t) {
      auto& businesses = cells[cell];
      if (businesses.empty() || businesses.back() != b) businesses.push_back(b);
    });
  }
  return cells;
}

}  // namespace bmil
