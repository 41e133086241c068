// Read-only C++ views over the flat case (bmil_case_view of bmil/abi.h). They borrow the
// host's memory: valid only during the plugin call that received them; never store them.
// Cheap to copy (a pointer or two). Thread-compatible.
#ifndef BMIL_SDK_CASE_VIEW_HPP_
#define BMIL_SDK_CASE_VIEW_HPP_

#include <bmil/abi.h>
#include <bmil/sdk/vocabulary.hpp>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace bmil::sdk {

inline std::string_view ToStringView(bmil_str s) {
  return s.size == 0 ? std::string_view{} : std::string_view(s.data, s.size);
}

// A set of block or line indices (a bmil_set), iterable in increasing index order.
class IdSet {
 public:
  constexpr IdSet() = default;
  constexpr explicit IdSet(bmil_set bits) : bits_(bits) {}
  constexpr bool contains(unsigned index) const {
    return index < BMIL_MAX_IDS && ((bits_ >> index) & 1u) != 0;
  }
  constexpr int size() const { return std::popcount(bits_); }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr bmil_set bits() const { return bits_; }

  class iterator {
   public:
    using value_type = unsigned;
    using difference_type = std::ptrdiff_t;
    constexpr iterator() = default;
    constexpr explicit iterator(bmil_set rest) : rest_(rest) {}
    constexpr unsigned operator*() const { return static_cast<unsigned>(std::countr_zero(rest_)); }
    constexpr iterator& operator++() {
      rest_ &= rest_ - 1;
      return *this;
    }
    constexpr iterator operator++(int) {
      iterator copy = *this;
      ++*this;
      return copy;
    }
    constexpr bool operator==(const iterator&) const = default;

   private:
    bmil_set rest_ = 0;
  };
  constexpr iterator begin() const { return iterator(bits_); }
  constexpr iterator end() const { return iterator(0); }

 private:
  bmil_set bits_ = 0;
};

// Walks an array of `count` elements of `element_size` bytes (which may be larger than
// sizeof(T) when the host is newer than the plugin).
template <typename T>
class StridedSpan {
 public:
  StridedSpan(const T* first, std::uint32_t count, std::uint32_t element_size)
      : first_(reinterpret_cast<const unsigned char*>(first)),
        count_(first == nullptr ? 0 : count),
        element_size_(element_size == 0 ? sizeof(T) : element_size) {}
  std::size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  const T& operator[](std::size_t i) const {
    return *reinterpret_cast<const T*>(first_ + i * element_size_);
  }

 private:
  const unsigned char* first_;
  std::uint32_t count_;
  std::uint32_t element_size_;
};

class CaseView;

// One BMI task of the case.
class TaskView {
 public:
  TaskView(const CaseView& owner, const bmil_task_view& raw) : owner_(&owner), raw_(&raw) {}
  std::string_view id() const { return ToStringView(raw_->id); }
  std::uint32_t business_model_index() const { return raw_->business_model; }
  IdSet blocks() const { return IdSet(raw_->blocks); }
  IdSet lines() const { return IdSet(raw_->lines); }
  bmil_action action() const { return static_cast<bmil_action>(raw_->action); }
  bmil_level level() const { return static_cast<bmil_level>(raw_->level); }
  bmil_phase phase() const { return static_cast<bmil_phase>(raw_->phase); }
  bmil_task_status status() const { return static_cast<bmil_task_status>(raw_->status); }
  bmil_stance stance() const { return static_cast<bmil_stance>(raw_->stance); }
  bmil_perspective perspective() const { return static_cast<bmil_perspective>(raw_->perspective); }
  // The year the task started, or nullopt when the case does not say.
  std::optional<int> start_year() const {
    return raw_->start_year == 0 ? std::nullopt : std::optional<int>(raw_->start_year);
  }
  std::optional<double> effort() const {
    return raw_->effort < 0 ? std::nullopt : std::optional<double>(raw_->effort);
  }
  std::string_view description() const { return ToStringView(raw_->description); }
  std::string_view attributes_json() const { return ToStringView(raw_->attributes_json); }
  const bmil_task_view& raw() const { return *raw_; }

 private:
  const CaseView* owner_;
  const bmil_task_view* raw_;
};

// One business model of the case.
class BusinessModelView {
 public:
  BusinessModelView(const CaseView& owner, const bmil_business_model_view& raw, std::uint32_t index)
      : owner_(&owner), raw_(&raw), index_(index) {}
  std::uint32_t index() const { return index_; }
  std::string_view id() const { return ToStringView(raw_->id); }
  std::string_view name() const { return ToStringView(raw_->name); }
  bmil_state state() const { return static_cast<bmil_state>(raw_->state); }
  bmil_stage stage() const { return static_cast<bmil_stage>(raw_->stage); }
  // "as_is", "to_be" or "" when not stated.
  std::string_view state_name() const { return NameOf(kStateNames, raw_->state); }
  std::string_view description() const { return ToStringView(raw_->description); }
  const bmil_value_formula_view& value_formula() const { return raw_->value_formula; }
  // The model's description of block `index` (indexed like CaseView::block_id). The array's
  // stride is its first element's struct_size, so a newer host's larger elements still work.
  const bmil_block_view& block(std::size_t index) const {
    const auto* first = reinterpret_cast<const unsigned char*>(raw_->blocks);
    const std::size_t stride = raw_->blocks[0].struct_size;
    return *reinterpret_cast<const bmil_block_view*>(first + index * stride);
  }
  std::string_view attributes_json() const { return ToStringView(raw_->attributes_json); }
  const bmil_business_model_view& raw() const { return *raw_; }
  // The tasks of the case on this business model, in case order.
  std::vector<TaskView> tasks() const;

 private:
  const CaseView* owner_;
  const bmil_business_model_view* raw_;
  std::uint32_t index_;
};

// The whole case: the business, its business models and BMI tasks, and the registered
// block and line ids that give meaning to the bit indices of IdSet.
class CaseView {
 public:
  explicit CaseView(const bmil_case_view& raw) : raw_(&raw) {}
  std::string_view id() const { return ToStringView(raw_->id); }
  std::string_view name() const { return ToStringView(raw_->name); }
  std::string_view industry() const { return ToStringView(raw_->industry); }
  std::string_view country() const { return ToStringView(raw_->country); }
  bmil_size size() const { return static_cast<bmil_size>(raw_->size); }
  std::string_view attributes_json() const { return ToStringView(raw_->attributes_json); }

  std::size_t block_count() const { return raw_->block_count; }
  std::size_t line_count() const { return raw_->line_count; }
  std::string_view block_id(std::size_t index) const {
    return index < raw_->block_count ? ToStringView(raw_->block_ids[index]) : std::string_view{};
  }
  std::string_view line_id(std::size_t index) const {
    return index < raw_->line_count ? ToStringView(raw_->line_ids[index]) : std::string_view{};
  }
  std::optional<unsigned> block_index(std::string_view id) const {
    for (unsigned i = 0; i < raw_->block_count; ++i)
      if (ToStringView(raw_->block_ids[i]) == id) return i;
    return std::nullopt;
  }
  std::optional<unsigned> line_index(std::string_view id) const {
    for (unsigned i = 0; i < raw_->line_count; ++i)
      if (ToStringView(raw_->line_ids[i]) == id) return i;
    return std::nullopt;
  }

  std::size_t business_model_count() const { return raw_->business_model_count; }
  BusinessModelView business_model(std::uint32_t index) const {
    return BusinessModelView(*this, BusinessModels()[index], index);
  }
  std::size_t task_count() const { return raw_->task_count; }
  TaskView task(std::uint32_t index) const { return TaskView(*this, Tasks()[index]); }

  const bmil_case_view& raw() const { return *raw_; }

 private:
  StridedSpan<bmil_business_model_view> BusinessModels() const {
    return {raw_->business_models, raw_->business_model_count, raw_->business_model_size};
  }
  StridedSpan<bmil_task_view> Tasks() const {
    return {raw_->tasks, raw_->task_count, raw_->task_size};
  }
  const bmil_case_view* raw_;
};

inline std::vector<TaskView> BusinessModelView::tasks() const {
  std::vector<TaskView> out;
  for (std::uint32_t i = 0; i < owner_->task_count(); ++i) {
    TaskView task = owner_->task(i);
    if (task.business_model_index() == index_) out.push_back(task);
  }
  return out;
}

}  // namespace bmil::sdk

#endif  // BMIL_SDK_CASE_VIEW_HPP_
