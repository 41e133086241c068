#include "plugins/analyzer_harness.hpp"

#include <bmil/sdk/vocabulary.hpp>

namespace bmil::test {
namespace {

template <typename T>
const T& Pick(std::mt19937& rng, const std::vector<T>& items) {
  return items[std::uniform_int_distribution<std::size_t>(0, items.size() - 1)(rng)];
}

int Uniform(std::mt19937& rng, int low, int high) {
  return std::uniform_int_distribution<int>(low, high)(rng);
}

// Draws `count` distinct items, weighted by repetition in `pool`.
std::vector<std::string> Distinct(std::mt19937& rng, const std::vector<std::string>& pool,
                                  int count) {
  std::vector<std::string> out;
  for (int guard = 0; static_cast<int>(out.size()) < count && guard < 100; ++guard) {
    const std::string& item = Pick(rng, pool);
    if (std::find(out.begin(), out.end(), item) == out.end()) out.push_back(item);
  }
  return out;
}

}  // namespace

Case RandomCase(std::mt19937& rng, const std::string& id) {
  // The paper's skew: value proposition and customers dominate; customer, network and
  // value lead most tasks (Lindgren 2012, Figs. 3 and 4).
  static const std::vector<std::string> kBlocks = {
      "value_proposition", "value_proposition", "value_proposition", "customers",
      "customers",         "customers",         "value_chain",       "value_chain",
      "competences",       "network",           "relations",         "value_formula"};
  std::vector<std::string> lines;
  for (const auto& line : BuiltRegistry().lines()) {
    lines.push_back(line.id);
    if (line.id == "customer" || line.id == "network" || line.id == "value") {
      lines.push_back(line.id);
      lines.push_back(line.id);
    }
  }
  static const std::vector<std::string> kIndustries = {"water",    "smoke",    "car_wash",
                                                       "machines", "software", "education"};
  static const std::vector<std::string> kCountries = {"DK", "US", "DE", "SE"};

  Case c = MakeCase(id);
  c.business.country = Pick(rng, kCountries);
  c.business.industry = Pick(rng, kIndustries);
  c.business.size = static_cast<Size>(Uniform(rng, 0, 4));
  if (Uniform(rng, 0, 3) > 0) c.business.founded = Uniform(rng, 1950, 2011);

  const int models = Uniform(rng, 1, 6);
  for (int m = 0; m < models; ++m) {
    BusinessModel& bm =
        AddModel(c, "bm" + std::to_string(m), Uniform(rng, 0, 2) == 0 ? State::kToBe : State::kAsIs,
                 static_cast<Stage>(Uniform(rng, 0, 5)));
    const int industries = Uniform(rng, 0, 3);
    for (const auto& industry : Distinct(rng, kIndustries, industries)) {
      bm.industries.push_back({industry, static_cast<IndustryStatus>(Uniform(rng, 1, 4))});
    }
    for (const auto& block : Distinct(rng, kBlocks, Uniform(rng, 0, 5))) {
      BuildingBlock b;
      b.forms = static_cast<Forms>(Uniform(rng, 0, 7));
      b.items = {block + " item"};
      bm.building_blocks[block] = b;
    }
    if (Uniform(rng, 0, 2) > 0) bm.value_formula.revenue = Uniform(rng, 0, 1000) * 1000.0;
    if (Uniform(rng, 0, 2) > 0) bm.value_formula.cost = Uniform(rng, 0, 1000) * 1000.0;
    if (Uniform(rng, 0, 2) > 0) bm.value_formula.users = Uniform(rng, 0, 500);
    if (Uniform(rng, 0, 2) > 0) bm.value_formula.customers = Uniform(rng, 0, 100);
    // Figures live in the value_formula block: a case that states them describes the block.
    const ValueFormula& vf = bm.value_formula;
    if (vf.revenue || vf.cost || vf.users || vf.customers) bm.building_blocks["value_formula"];
    if (m > 0 && Uniform(rng, 0, 3) == 0) bm.carried_by.push_back("bm0");
  }
  if (models > 1 && Uniform(rng, 0, 1) == 0) {
    Portfolio p;
    p.id = "core";
    p.name = "Core";
    for (int m = 0; m < models; m += 2) p.business_models.push_back("bm" + std::to_string(m));
    c.portfolios.push_back(p);
  }

  const int tasks = Uniform(rng, 0, 12);
  for (int t = 0; t < tasks; ++t) {
    BmiTask& task = AddTask(
        c, "t" + std::to_string(t), "bm" + std::to_string(Uniform(rng, 0, models - 1)),
        Distinct(rng, kBlocks, Uniform(rng, 1, 3)), Distinct(rng, lines, Uniform(rng, 1, 3)),
        Uniform(rng, 0, 5) == 0 ? "" : std::to_string(Uniform(rng, 2008, 2012)));
    task.action = static_cast<Action>(Uniform(rng, 0, 5));
    task.level = static_cast<Level>(Uniform(rng, 0, 4));
    task.phase = static_cast<Phase>(Uniform(rng, 0, 3));
    task.status = static_cast<TaskStatus>(Uniform(rng, 0, 4));
    task.stance = static_cast<Stance>(Uniform(rng, 0, 2));
    task.perspective = static_cast<Perspective>(Uniform(rng, 0, 3));
    if (Uniform(rng, 0, 1) == 0) task.effort = Uniform(rng, 1, 24);
  }
  if (Uniform(rng, 0, 2) > 0) {
    Strategy s;
    if (Uniform(rng, 0, 2) > 0) s.explicit_strategy = Uniform(rng, 0, 1) == 1;
    if (Uniform(rng, 0, 2) > 0) s.structured_process = Uniform(rng, 0, 1) == 1;
    s.skills = static_cast<Skills>(Uniform(rng, 0, 3));
    s.leadership_lines = Distinct(rng, lines, Uniform(rng, 0, 2));
    c.strategy = s;
  }
  return c;
}

}  // namespace bmil::test
