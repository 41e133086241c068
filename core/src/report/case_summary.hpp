// What the reports say about the businesses themselves, taken from the cases: a business's
// portfolios and business models with state, stage, industries and value formula, and
// where on the BMIL canvas each model (or each business) has BMI tasks. Shared by the
// Markdown and HTML renderers so that both tell the same facts.
#ifndef BMIL_CORE_REPORT_CASE_SUMMARY_HPP_
#define BMIL_CORE_REPORT_CASE_SUMMARY_HPP_

#include <bmil/model.hpp>

#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace bmil {

struct ModelSummary {
  const BusinessModel* model = nullptr;  // points into the summarized case
  std::size_t tasks = 0;                 // BMI tasks on the model
  std::optional<double> profit;          // revenue - cost, when both are stated
  std::vector<std::string> portfolios;   // names of the portfolios listing it
};

struct PortfolioSummary {
  const Portfolio* portfolio = nullptr;  // nullptr for the models in no portfolio
  std::vector<std::size_t> models;       // indices into BusinessSummary::models
};

struct BusinessSummary {
  const Case* source = nullptr;
  std::vector<ModelSummary> models;          // in case order
  std::vector<PortfolioSummary> portfolios;  // case order, then "in no portfolio" if any
  std::size_t as_is = 0;
  std::size_t to_be = 0;
  std::size_t tasks = 0;
};

// The summary of `c`; it points into `c`, which must outlive it. A portfolio member id that
// names no model is skipped (the loader refuses such cases). Pure function.
BusinessSummary SummarizeBusiness(const Case& c);

// A business as the reports name it: its name, or its id when it has none.
std::string BusinessName(const Business& b);

// "AS IS", "TO BE" or "state not stated".
std::string StateLabel(State state);

// Name of an enumeration value as the case format writes it ("market", "home", ...), or ""
// when not stated.
std::string StageName(Stage stage);
std::string SizeName(Size size);
std::string IndustryStatusName(IndustryStatus status);

// A canvas cell: (leadership line id, building block id).
using CanvasCell = std::pair<std::string, std::string>;

// For each canvas cell, the indices (into c.business_models, ascending) of the models
// with at least one BMI task in that cell; only models in `state` when it is given.
std::map<CanvasCell, std::vector<std::size_t>> ModelsByCell(const Case& c,
                                                            std::optional<State> state);

// For each canvas cell, the indices (into `cases`, ascending) of the businesses with at
// least one BMI task in that cell; only tasks on models in `state` when it is given.
std::map<CanvasCell, std::vector<std::size_t>> BusinessesByCell(std::span<const Case> cases,
                                                                std::optional<State> state);

}  // namespace bmil

#endif  // BMIL_CORE_REPORT_CASE_SUMMARY_HPP_
