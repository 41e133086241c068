// Pointing a bmil_case_view at its tables: the one place that fills the arrays, their counts
// and their element sizes, for every builder of a view (FlatCase, the batch fast path, the
// runner's decoder).
#ifndef BMIL_CORE_MODEL_VIEW_TABLES_HPP_
#define BMIL_CORE_MODEL_VIEW_TABLES_HPP_

#include <bmil/abi.h>

#include <cstdint>
#include <span>

namespace bmil {

// Sets view's block and line ids, portfolios, business models and tasks to the given
// tables (which must outlive the view), with their counts and this host's element sizes.
inline void PointViewAt(bmil_case_view& view, std::span<const bmil_str> block_ids,
                        std::span<const bmil_str> line_ids,
                        std::span<const bmil_portfolio_view> portfolios,
                        std::span<const bmil_business_model_view> models,
                        std::span<const bmil_task_view> tasks) {
  view.block_ids = block_ids.data();
  view.block_count = static_cast<std::uint32_t>(block_ids.size());
  view.line_ids = line_ids.data();
  view.line_count = static_cast<std::uint32_t>(line_ids.size());
  view.portfolios = portfolios.data();
  view.portfolio_count = static_cast<std::uint32_t>(portfolios.size());
  view.portfolio_size = sizeof(bmil_portfolio_view);
  view.business_models = models.data();
  view.business_model_count = static_cast<std::uint32_t>(models.size());
  view.business_model_size = sizeof(bmil_business_model_view);
  view.tasks = tasks.data();
  view.task_count = static_cast<std::uint32_t>(tasks.size());
  view.task_size = sizeof(bmil_task_view);
}

}  // namespace bmil

#endif  // BMIL_CORE_MODEL_VIEW_TABLES_HPP_
