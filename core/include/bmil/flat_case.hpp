// FlatCase: a case laid out as the ABI's read-only flat view (bmil_case_view), the form
// every plugin receives. Owns all the memory the view points to.
#ifndef BMIL_FLAT_CASE_HPP_
#define BMIL_FLAT_CASE_HPP_

#include <bmil/abi.h>
#include <bmil/model.hpp>
#include <bmil/registry.hpp>

#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace bmil {

class FlatCase {
 public:
  // Lays out `c` with block and line bits numbered by `registry`. Ids the registry does not
  // know are left out of the sets (a validated case has none). Keeps no reference to `c`
  // or `registry`.
  FlatCase(const Case& c, const Registry& registry);
  FlatCase(const FlatCase&) = delete;
  FlatCase& operator=(const FlatCase&) = delete;

  // Valid as long as this FlatCase lives.
  const bmil_case_view& view() const { return view_; }

 private:
  // A copy of `text` that stays where it is while this FlatCase lives.
  bmil_str Keep(std::string_view text);

  // Every string the view points at, back to back in chunks (4 KiB growing to 1 MiB) (a chunk is
  // never grown past its capacity, so nothing moves): a byte of text costs a byte, not a
  // std::string each, and the view guard sees a few long runs of memory.
  std::deque<std::string> chunks_;
  std::vector<bmil_str> block_ids_;
  std::vector<bmil_str> line_ids_;
  std::vector<bmil_portfolio_view> portfolios_;
  std::vector<std::vector<bmil_industry_view>> industries_;
  std::vector<std::vector<bmil_block_view>> blocks_;
  std::vector<std::vector<std::vector<bmil_str>>> block_items_;
  std::vector<std::vector<uint32_t>> carried_by_;
  std::vector<bmil_business_model_view> business_models_;
  std::vector<bmil_task_view> tasks_;
  std::vector<bmil_str> goals_;
  bmil_case_view view_{};
};

// The year of a date "YYYY[-MM[-DD]]", or 0 when empty or malformed.
int YearOf(const std::string& date);

}  // namespace bmil

#endif  // BMIL_FLAT_CASE_HPP_
