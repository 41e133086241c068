#include "model/view_guard.hpp"

#include <algorithm>
#include <cstring>

namespace bmil {

void ViewGuard::Add(const void* at, std::size_t size) {
  const char* p = static_cast<const char*>(at);
  if (p == nullptr || size == 0) return;
  if (p >= region_begin_ && p + size <= region_end_) {
    if (used_begin_ == nullptr || p < used_begin_) used_begin_ = p;
    if (p + size > used_end_) used_end_ = p + size;
    return;
  }
  // Strings kept back to back (FlatCase) and walked in order join the last range here, so
  // that a case of millions of short strings does not list millions of ranges first.
  if (!ranges_.empty()) {
    Range& last = ranges_.back();
    if (p >= last.at && p <= last.at + last.size) {
      last.size = std::max(last.size, static_cast<std::size_t>(p + size - last.at));
      return;
    }
  }
  ranges_.push_back({p, size, 0});
}

void ViewGuard::Take(const bmil_case_view& view, std::string_view strings) {
  ranges_.clear();
  region_begin_ = strings.data();
  region_end_ = strings.data() + strings.size();
  used_begin_ = used_end_ = nullptr;
  if (strings.empty()) region_begin_ = region_end_ = nullptr;
  auto str = [&](const bmil_str& s) { Add(s.data, s.size); };
  auto strs = [&](const bmil_str* list, std::uint32_t count) {
    Add(list, sizeof(bmil_str) * count);
    for (std::uint32_t i = 0; list != nullptr && i < count; ++i) str(list[i]);
  };

  Add(&view, sizeof view);
  str(view.id);
  str(view.name);
  str(view.industry);
  str(view.country);
  str(view.attributes_json);
  strs(view.block_ids, view.block_count);
  strs(view.line_ids, view.line_count);

  const auto* portfolios = reinterpret_cast<const char*>(view.portfolios);
  Add(portfolios, std::size_t{view.portfolio_size} * view.portfolio_count);
  for (std::uint32_t i = 0; portfolios != nullptr && i < view.portfolio_count; ++i) {
    const auto& p = *reinterpret_cast<const bmil_portfolio_view*>(
        portfolios + std::size_t{i} * view.portfolio_size);
    str(p.id);
    str(p.name);
  }

  const auto* models = reinterpret_cast<const char*>(view.business_models);
  Add(models, std::size_t{view.business_model_size} * view.business_model_count);
  for (std::uint32_t i = 0; models != nullptr && i < view.business_model_count; ++i) {
    const auto& m = *reinterpret_cast<const bmil_business_model_view*>(
        models + std::size_t{i} * view.business_model_size);
    str(m.id);
    str(m.name);
    Add(m.industries, sizeof(bmil_industry_view) * m.industry_count);
    for (std::uint32_t k = 0; m.industries != nullptr && k < m.industry_count; ++k) {
      str(m.industries[k].id);
    }
    Add(m.blocks, sizeof(bmil_block_view) * view.block_count);
    for (std::uint32_t b = 0; m.blocks != nullptr && b < view.block_count; ++b) {
      str(m.blocks[b].description);
      strs(m.blocks[b].items, m.blocks[b].item_count);
    }
    str(m.value_formula.currency);
    Add(m.carried_by, sizeof(std::uint32_t) * m.carried_by_count);
    str(m.description);
    str(m.attributes_json);
  }

  const auto* tasks = reinterpret_cast<const char*>(view.tasks);
  Add(tasks, std::size_t{view.task_size} * view.task_count);
  for (std::uint32_t i = 0; tasks != nullptr && i < view.task_count; ++i) {
    const auto& t =
        *reinterpret_cast<const bmil_task_view*>(tasks + std::size_t{i} * view.task_size);
    str(t.id);
    str(t.description);
    str(t.attributes_json);
  }
  strs(view.strategy.goals, view.strategy.goal_count);

  if (used_begin_ != nullptr) {
    ranges_.push_back({used_begin_, static_cast<std::size_t>(used_end_ - used_begin_), 0});
  }
  Copy();
}

void ViewGuard::TakeMemory(std::initializer_list<std::span<const std::byte>> memory) {
  ranges_.clear();
  region_begin_ = region_end_ = used_begin_ = used_end_ = nullptr;
  for (std::span<const std::byte> m : memory) Add(m.data(), m.size());
  Copy();
}

void ViewGuard::Copy() {
  // In address order, overlapping and adjacent ranges merged. The walk meets most ranges in
  // address order already (tables are allocated, and strings stored, as they are walked),
  // so the sort mostly confirms the order.
  if (!std::is_sorted(ranges_.begin(), ranges_.end(),
                      [](const Range& a, const Range& b) { return a.at < b.at; })) {
    std::sort(ranges_.begin(), ranges_.end(),
              [](const Range& a, const Range& b) { return a.at < b.at; });
  }
  std::size_t kept = 0;
  for (std::size_t i = 0; i < ranges_.size(); ++i) {
    if (kept > 0) {
      Range& last = ranges_[kept - 1];
      if (ranges_[i].at <= last.at + last.size) {
        const char* end = std::max(last.at + last.size, ranges_[i].at + ranges_[i].size);
        last.size = static_cast<std::size_t>(end - last.at);
        continue;
      }
    }
    ranges_[kept++] = ranges_[i];
  }
  ranges_.resize(kept);
  std::size_t total = 0;
  for (Range& r : ranges_) {
    r.offset = total;
    total += r.size;
  }
  copy_.resize(total);
  for (const Range& r : ranges_) std::memcpy(copy_.data() + r.offset, r.at, r.size);
}

std::size_t ViewGuard::CheckAndRestore() {
  std::size_t changed = 0;
  for (const Range& r : ranges_) {
    const char* kept = copy_.data() + r.offset;
    if (std::memcmp(r.at, kept, r.size) == 0) [[likely]]
      continue;
    for (std::size_t i = 0; i < r.size; ++i) changed += r.at[i] != kept[i];
    // The view is the host's memory, lent read-only to the plugin: put back what it wrote.
    std::memcpy(const_cast<char*>(r.at), kept, r.size);
  }
  return changed;
}

std::string ViewWriteMessage(std::size_t changed) {
  return "wrote into the read-only case view (" + std::to_string(changed) + " byte" +
         (changed == 1 ? "" : "s") + " changed; put back before any other plugin read it)";
}

}  // namespace bmil
