#include "research/business_measures.hpp"

#include <bmil/sdk/vocabulary.hpp>

#include <functional>
#include <set>
#include <string>
#include <utility>

namespace bmil::research {
namespace {

using Compute = std::function<std::optional<double>(const Case&, std::string&)>;

struct Measure {
  MeasureInfo info;
  Compute compute;
};

bool Live(const BusinessModel& m) { return m.stage != Stage::kRetired; }

// The share of tasks for which `counts` holds among those for which `stated` holds.
std::optional<double> TaskShare(const Case& c, std::string& why, const char* what,
                                const std::function<bool(const BmiTask&)>& stated,
                                const std::function<bool(const BmiTask&)>& counts) {
  std::size_t n = 0, k = 0;
  for (const BmiTask& t : c.bmi_tasks) {
    if (!stated(t)) continue;
    ++n;
    k += counts(t) ? 1 : 0;
  }
  if (n == 0) {
    why = std::string("no task states its ") + what;
    return std::nullopt;
  }
  return static_cast<double>(k) / static_cast<double>(n);
}

std::optional<double> Flag(const Case& c, std::optional<bool> Strategy::*field, const char* what,
                           std::string& why) {
  if (!c.strategy || !(*c.strategy.*field)) {
    why = std::string("the strategy does not state ") + what;
    return std::nullopt;
  }
  return *(*c.strategy.*field) ? 1.0 : 0.0;
}

// Sum over the live models of `figure(m)` where it is given, in one currency.
std::optional<double> FigureSum(
    const Case& c, std::string& why, const char* what,
    const std::function<std::optional<double>(const ValueFormula&)>& figure) {
  std::optional<double> sum;
  std::set<std::string> currencies;
  for (const BusinessModel& m : c.business_models) {
    if (!Live(m)) continue;
    const std::optional<double> v = figure(m.value_formula);
    if (!v) continue;
    sum = sum.value_or(0) + *v;
    currencies.insert(m.value_formula.currency);
  }
  if (!sum) {
    why = std::string("no business model in use gives its ") + what;
    return std::nullopt;
  }
  if (currencies.size() > 1) {
    why = std::string("the ") + what + " figures are in more than one currency";
    return std::nullopt;
  }
  return sum;
}

std::size_t DistinctIndustries(const Case& c, const std::function<bool(IndustryStatus)>& keep) {
  std::set<std::string> ids;
  for (const BusinessModel& m : c.business_models) {
    for (const Industry& i : m.industries) {
      if (keep(i.status)) ids.insert(i.id);
    }
  }
  return ids.size();
}

const std::vector<Measure>& Catalogue() {
  static const std::vector<Measure> kMeasures = {
      {{"models", "business models not retired"},
       [](const Case& c, std::string&) -> std::optional<double> {
         double n = 0;
         for (const BusinessModel& m : c.business_models) n += Live(m) ? 1 : 0;
         return n;
       }},
      {{"models_to_be", "TO BE business models not retired"},
       [](const Case& c, std::string&) -> std::optional<double> {
         double n = 0;
         for (const BusinessModel& m : c.business_models) n += Live(m) && m.state == State::kToBe;
         return n;
       }},
      {{"tasks", "BMI tasks"},
       [](const Case& c, std::string&) -> std::optional<double> {
         return static_cast<double>(c.bmi_tasks.size());
       }},
      {{"lines_used", "distinct leadership lines the tasks name"},
       [](const Case& c, std::string&) -> std::optional<double> {
         std::set<std::string> ids;
         for (const BmiTask& t : c.bmi_tasks)
           ids.insert(t.leadership_lines.begin(), t.leadership_lines.end());
         return static_cast<double>(ids.size());
       }},
      {{"blocks_used", "distinct building blocks the tasks name"},
       [](const Case& c, std::string&) -> std::optional<double> {
         std::set<std::string> ids;
         for (const BmiTask& t : c.bmi_tasks)
           ids.insert(t.building_blocks.begin(), t.building_blocks.end());
         return static_cast<double>(ids.size());
       }},
      {{"cells_used",
        "distinct (line, block) cells of the canvas the tasks occupy, all models together"},
       [](const Case& c, std::string&) -> std::optional<double> {
         std::set<std::pair<std::string, std::string>> cells;
         for (const BmiTask& t : c.bmi_tasks) {
           for (const std::string& l : t.leadership_lines) {
             for (const std::string& b : t.building_blocks) cells.insert({l, b});
           }
         }
         return static_cast<double>(cells.size());
       }},
      {{"classic_share",
        "share of the tasks' (line, block) cells in the classic corner (value, customer and "
        "value-chain lines on the value-proposition, customers and value-chain blocks); "
        "missing without tasks"},
       [](const Case& c, std::string& why) -> std::optional<double> {
         std::size_t n = 0, k = 0;
         for (const BmiTask& t : c.bmi_tasks) {
           for (const std::string& l : t.leadership_lines) {
             for (const std::string& b : t.building_blocks) {
               ++n;
               k += sdk::InClassicCorner(l, b) ? 1 : 0;
             }
           }
         }
         if (n == 0) {
           why = "the case has no BMI task";
           return std::nullopt;
         }
         return static_cast<double>(k) / static_cast<double>(n);
       }},
      {{"proactive_share", "share of the tasks stating a stance that are proactive"},
       [](const Case& c, std::string& why) {
         return TaskShare(
             c, why, "stance", [](const BmiTask& t) { return t.stance != Stance::kUnstated; },
             [](const BmiTask& t) { return t.stance == Stance::kProactive; });
       }},
      {{"outside_in_share", "share of the tasks stating a perspective that are outside-in"},
       [](const Case& c, std::string& why) {
         return TaskShare(
             c, why, "perspective",
             [](const BmiTask& t) { return t.perspective != Perspective::kUnstated; },
             [](const BmiTask& t) { return t.perspective == Perspective::kOutsideIn; });
       }},
      {{"above_model_share",
        "share of the tasks stating a level that work on the portfolio or the whole business"},
       [](const Case& c, std::string& why) {
         return TaskShare(
             c, why, "level", [](const BmiTask& t) { return t.level != bmil::Level::kUnstated; },
             [](const BmiTask& t) {
               return t.level == bmil::Level::kPortfolio || t.level == bmil::Level::kBusiness;
             });
       }},
      {{"completed_share", "share of the tasks stating a status that are completed"},
       [](const Case& c, std::string& why) {
         return TaskShare(
             c, why, "status", [](const BmiTask& t) { return t.status != TaskStatus::kUnstated; },
             [](const BmiTask& t) { return t.status == TaskStatus::kCompleted; });
       }},
      {{"phases_covered", "distinct phases (before, during, after) the tasks state, 0 to 3"},
       [](const Case& c, std::string&) -> std::optional<double> {
         std::set<Phase> phases;
         for (const BmiTask& t : c.bmi_tasks) {
           if (t.phase != Phase::kUnstated) phases.insert(t.phase);
         }
         return static_cast<double>(phases.size());
       }},
      {{"explicit_strategy", "1 when the strategy is explicit, 0 when not; missing when unstated"},
       [](const Case& c, std::string& why) {
         return Flag(c, &Strategy::explicit_strategy, "whether it is explicit", why);
       }},
      {{"structured_process",
        "1 when BMI follows a structured process, 0 when not; missing when unstated"},
       [](const Case& c, std::string& why) {
         return Flag(c, &Strategy::structured_process, "whether the process is structured", why);
       }},
      {{"skills", "BMI leadership skills: 1 low, 2 medium, 3 high; missing when unstated"},
       [](const Case& c, std::string& why) -> std::optional<double> {
         if (!c.strategy || c.strategy->skills == Skills::kUnstated) {
           why = "the strategy does not state the skills";
           return std::nullopt;
         }
         return static_cast<double>(static_cast<int>(c.strategy->skills));
       }},
      {{"industries_entered", "distinct industries a model entered with success"},
       [](const Case& c, std::string&) -> std::optional<double> {
         return static_cast<double>(DistinctIndustries(
             c, [](IndustryStatus s) { return s == IndustryStatus::kSucceeded; }));
       }},
      {{"industries_tried",
        "distinct industries a model tried to enter (attempted, succeeded or failed)"},
       [](const Case& c, std::string&) -> std::optional<double> {
         return static_cast<double>(DistinctIndustries(c, [](IndustryStatus s) {
           return s == IndustryStatus::kAttempted || s == IndustryStatus::kSucceeded ||
                  s == IndustryStatus::kFailed;
         }));
       }},
      {{"employees", "employees; missing when unstated"},
       [](const Case& c, std::string& why) -> std::optional<double> {
         if (!c.business.employees) {
           why = "the business does not state its employees";
           return std::nullopt;
         }
         return static_cast<double>(*c.business.employees);
       }},
      {{"founded", "year founded; missing when unstated"},
       [](const Case& c, std::string& why) -> std::optional<double> {
         if (!c.business.founded) {
           why = "the business does not state when it was founded";
           return std::nullopt;
         }
         return static_cast<double>(*c.business.founded);
       }},
      {{"revenue",
        "revenue of the models not retired that give one, summed; missing when none does or "
        "their currencies differ"},
       [](const Case& c, std::string& why) {
         return FigureSum(c, why, "revenue", [](const ValueFormula& f) { return f.revenue; });
       }},
      {{"profit",
        "revenue minus cost of the models not retired that give both, summed; missing when "
        "none does or their currencies differ"},
       [](const Case& c, std::string& why) {
         return FigureSum(c, why, "revenue and cost",
                          [](const ValueFormula& f) -> std::optional<double> {
                            if (!f.revenue || !f.cost) return std::nullopt;
                            return *f.revenue - *f.cost;
                          });
       }},
  };
  return kMeasures;
}

constexpr std::string_view kAttributesPrefix = "attributes.";

}  // namespace

const std::vector<MeasureInfo>& BusinessMeasures() {
  static const std::vector<MeasureInfo> kInfo = [] {
    std::vector<MeasureInfo> info;
    for (const Measure& m : Catalogue()) info.push_back(m.info);
    return info;
  }();
  return kInfo;
}

bool IsMeasure(std::string_view id) {
  if (id.starts_with(kAttributesPrefix)) return id.size() > kAttributesPrefix.size();
  for (const Measure& m : Catalogue()) {
    if (m.info.id == id) return true;
  }
  return false;
}

std::optional<double> MeasureValue(const Case& kase, std::string_view id, std::string& why) {
  if (id.starts_with(kAttributesPrefix)) {
    const std::string key(id.substr(kAttributesPrefix.size()));
    const nlohmann::json& attributes = kase.business.attributes;
    const auto it = attributes.is_object() ? attributes.find(key) : attributes.end();
    if (!attributes.is_object() || it == attributes.end()) {
      why = "business.attributes has no \"" + key + "\"";
      return std::nullopt;
    }
    if (it->is_boolean()) return it->get<bool>() ? 1.0 : 0.0;
    if (it->is_number()) return it->get<double>();
    why = "business.attributes." + key + " is not a number or a boolean";
    return std::nullopt;
  }
  for (const Measure& m : Catalogue()) {
    if (m.info.id == id) return m.compute(kase, why);
  }
  why = "unknown measure";
  return std::nullopt;
}

}  // namespace bmil::research
