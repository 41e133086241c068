#include "runner/wire.hpp"

#include "model/view_tables.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <new>
#include <type_traits>

namespace bmil::wire {

std::string_view Reader::Str() {
  const std::uint32_t size = U32();
  if (failed_) return {};
  if (size > remaining()) {
    Fail("a string runs past the end of the input");
    return {};
  }
  std::string_view s(at_, size);
  at_ += size;
  return s;
}

std::uint32_t Reader::Count(std::size_t min_element_bytes) {
  const std::uint32_t n = U32();
  if (failed_) return 0;
  if (min_element_bytes > 0 && n > remaining() / min_element_bytes) {
    Fail("a count is larger than the rest of the input can hold");
    return 0;
  }
  return n;
}

void Reader::Fail(const char* why) {
  if (!failed_) why_ = why;
  failed_ = true;
  at_ = end_;
}

namespace {

void EncodeStrings(const bmil_str* items, std::uint32_t count, Writer& out) {
  out.U32(count);
  for (std::uint32_t i = 0; i < count; ++i) out.Str(items[i]);
}

void EncodeModel(const bmil_business_model_view& m, std::uint32_t block_count, Writer& out) {
  out.Str(m.id);
  out.Str(m.name);
  out.U32(m.state);
  out.U32(m.stage);
  out.U32(m.portfolio);
  out.U32(m.industry_count);
  for (std::uint32_t i = 0; i < m.industry_count; ++i) {
    out.Str(m.industries[i].id);
    out.U32(m.industries[i].status);
  }
  for (std::uint32_t b = 0; b < block_count; ++b) {
    const bmil_block_view& block = m.blocks[b];
    out.U32(block.forms);
    out.U32(block.present);
    out.Str(block.description);
    EncodeStrings(block.items, block.item_count, out);
  }
  const bmil_value_formula_view& f = m.value_formula;
  out.U32(f.has_revenue);
  out.U32(f.has_cost);
  out.U32(f.has_users);
  out.U32(f.has_customers);
  out.F64(f.revenue);
  out.F64(f.cost);
  out.F64(f.users);
  out.F64(f.customers);
  out.Str(f.currency);
  out.U32(m.carried_by_count);
  for (std::uint32_t i = 0; i < m.carried_by_count; ++i) out.U32(m.carried_by[i]);
  out.Str(m.description);
  out.Str(m.attributes_json);
}

void EncodeTask(const bmil_task_view& t, Writer& out) {
  out.Str(t.id);
  out.U32(t.business_model);
  out.U64(t.blocks);
  out.U64(t.lines);
  out.U32(t.action);
  out.U32(t.level);
  out.U32(t.phase);
  out.U32(t.status);
  out.U32(t.stance);
  out.U32(t.perspective);
  out.I32(t.start_year);
  out.I32(t.end_year);
  out.F64(t.effort);
  out.Str(t.description);
  out.Str(t.attributes_json);
}

}  // namespace

void EncodeView(const bmil_case_view& v, Writer& out) {
  out.U16(v.format_major);
  out.U16(v.format_minor);
  out.Str(v.id);
  out.Str(v.name);
  out.Str(v.industry);
  out.Str(v.country);
  out.U32(v.size);
  out.I32(v.founded);
  out.Str(v.attributes_json);
  EncodeStrings(v.block_ids, v.block_count, out);
  EncodeStrings(v.line_ids, v.line_count, out);
  out.U32(v.portfolio_count);
  for (std::uint32_t i = 0; i < v.portfolio_count; ++i) {
    const auto* p = reinterpret_cast<const bmil_portfolio_view*>(
        reinterpret_cast<const char*>(v.portfolios) + std::size_t{i} * v.portfolio_size);
    out.Str(p->id);
    out.Str(p->name);
  }
  out.U32(v.business_model_count);
  for (std::uint32_t i = 0; i < v.business_model_count; ++i) {
    EncodeModel(*reinterpret_cast<const bmil_business_model_view*>(
                    reinterpret_cast<const char*>(v.business_models) +
                    std::size_t{i} * v.business_model_size),
                v.block_count, out);
  }
  out.U32(v.task_count);
  for (std::uint32_t i = 0; i < v.task_count; ++i) {
    EncodeTask(*reinterpret_cast<const bmil_task_view*>(reinterpret_cast<const char*>(v.tasks) +
                                                        std::size_t{i} * v.task_size),
               out);
  }
  const bmil_strategy_view& s = v.strategy;
  out.U32(s.explicit_strategy);
  out.U32(s.structured_process);
  out.U32(s.skills);
  out.U64(s.lines);
  EncodeStrings(s.goals, s.goal_count, out);
}

bmil_str DecodedView::Str(Reader& in) {
  const std::string_view s = in.Str();
  return {s.data(), s.size()};
}

template <typename T>
T* DecodedView::Allocate(std::size_t count) {
  static_assert(std::is_trivially_copyable_v<T> && alignof(T) <= alignof(std::uint64_t));
  if (count == 0) return nullptr;  // as an empty vector's data()
  const std::size_t words = (count * sizeof(T) + sizeof(std::uint64_t) - 1) / sizeof(std::uint64_t);
  needed_ += words;
  std::uint64_t* at = nullptr;
  if (used_ + words <= capacity_) {
    at = buffer_.get() + used_;
    used_ += words;
  } else {
    at = spill_.emplace_back(std::make_unique<std::uint64_t[]>(words)).get();
  }
  // Zeroed bytes are value-initialised C structs (memset creates them, C++20 [intro.object]).
  std::memset(at, 0, words * sizeof(std::uint64_t));
  return std::launder(reinterpret_cast<T*>(at));
}

std::span<const std::byte> DecodedView::arrays() const {
  return {reinterpret_cast<const std::byte*>(buffer_.get()), used_ * sizeof(std::uint64_t)};
}

bool DecodedView::Decode(Reader& in) {
  constexpr std::size_t kStr = 4;  // the least a string takes on the wire
  // The buffer grows to the largest view seen, so that from then on every array is in it.
  if (needed_ > capacity_) {
    capacity_ = needed_ + needed_ / 4;
    buffer_ = std::make_unique<std::uint64_t[]>(capacity_);
  }
  spill_.clear();
  used_ = 0;
  needed_ = 0;
  view_ = bmil_case_view{};
  view_.struct_size = sizeof(bmil_case_view);
  view_.format_major = in.U16();
  view_.format_minor = in.U16();
  view_.id = Str(in);
  view_.name = Str(in);
  view_.industry = Str(in);
  view_.country = Str(in);
  view_.size = in.U32();
  view_.founded = in.I32();
  view_.attributes_json = Str(in);
  auto strings = [&] {
    std::span<bmil_str> into = AllocateSpan<bmil_str>(in.Count(kStr));
    for (bmil_str& s : into) s = Str(in);
    return into;
  };
  const std::span<bmil_str> block_ids = strings();
  const std::span<bmil_str> line_ids = strings();
  if (block_ids.size() > BMIL_MAX_IDS || line_ids.size() > BMIL_MAX_IDS) {
    in.Fail("more than 64 block or line ids");
    return false;
  }
  const auto block_count = static_cast<std::uint32_t>(block_ids.size());

  const std::span<bmil_portfolio_view> portfolios =
      AllocateSpan<bmil_portfolio_view>(in.Count(2 * kStr));
  for (auto& p : portfolios) {
    p.id = Str(in);
    p.name = Str(in);
  }

  // A model takes at least 5 strings, 9 words, 4 doubles and a count per block.
  const std::span<bmil_business_model_view> models = AllocateSpan<bmil_business_model_view>(
      in.Count(5 * kStr + 9 * 4 + 4 * 8 + block_count * (8 + kStr + 4)));
  for (auto& m : models) {
    m.struct_size = sizeof(bmil_business_model_view);
    m.id = Str(in);
    m.name = Str(in);
    m.state = in.U32();
    m.stage = in.U32();
    m.portfolio = in.U32();
    if (m.portfolio != BMIL_NO_INDEX && m.portfolio >= portfolios.size())
      in.Fail("a portfolio index is out of range");
    const std::span<bmil_industry_view> industries =
        AllocateSpan<bmil_industry_view>(in.Count(kStr + 4));
    for (auto& industry : industries) {
      industry.id = Str(in);
      industry.status = in.U32();
    }
    m.industries = industries.data();
    m.industry_count = static_cast<std::uint32_t>(industries.size());
    const std::span<bmil_block_view> blocks = AllocateSpan<bmil_block_view>(block_count);
    for (auto& block : blocks) {
      block.struct_size = sizeof(bmil_block_view);
      block.forms = in.U32();
      block.present = in.U32();
      block.description = Str(in);
      const std::span<bmil_str> items = strings();
      block.items = items.data();
      block.item_count = static_cast<std::uint32_t>(items.size());
    }
    m.blocks = blocks.data();
    bmil_value_formula_view& f = m.value_formula;
    f.struct_size = sizeof(bmil_value_formula_view);
    f.has_revenue = in.U32();
    f.has_cost = in.U32();
    f.has_users = in.U32();
    f.has_customers = in.U32();
    f.revenue = in.F64();
    f.cost = in.F64();
    f.users = in.F64();
    f.customers = in.F64();
    f.currency = Str(in);
    const std::span<std::uint32_t> carried = AllocateSpan<std::uint32_t>(in.Count(4));
    for (auto& c : carried) c = in.U32();
    m.carried_by = carried.data();
    m.carried_by_count = static_cast<std::uint32_t>(carried.size());
    m.description = Str(in);
    m.attributes_json = Str(in);
    if (in.failed()) return false;
  }
  for (const auto& m : models) {
    for (std::uint32_t i = 0; i < m.carried_by_count; ++i) {
      if (m.carried_by[i] >= models.size()) {
        in.Fail("a financing model index is out of range");
        return false;
      }
    }
  }

  const std::span<bmil_task_view> tasks =
      AllocateSpan<bmil_task_view>(in.Count(3 * kStr + 9 * 4 + 2 * 8 + 8));
  for (auto& t : tasks) {
    t.struct_size = sizeof(bmil_task_view);
    t.id = Str(in);
    t.business_model = in.U32();
    if (t.business_model >= models.size()) in.Fail("a task's business model index is out of range");
    t.blocks = in.U64();
    t.lines = in.U64();
    t.action = in.U32();
    t.level = in.U32();
    t.phase = in.U32();
    t.status = in.U32();
    t.stance = in.U32();
    t.perspective = in.U32();
    t.start_year = in.I32();
    t.end_year = in.I32();
    t.effort = in.F64();
    t.description = Str(in);
    t.attributes_json = Str(in);
    if (in.failed()) return false;
  }
  bmil_strategy_view& s = view_.strategy;
  s.struct_size = sizeof(bmil_strategy_view);
  s.explicit_strategy = in.U32();
  s.structured_process = in.U32();
  s.skills = in.U32();
  s.lines = in.U64();
  const std::span<bmil_str> goals = strings();
  s.goals = goals.data();
  s.goal_count = static_cast<std::uint32_t>(goals.size());
  if (in.failed()) return false;

  PointViewAt(view_, block_ids, line_ids, portfolios, models, tasks);
  return true;
}

bool ParseFrame(std::string_view payload, Frame& frame) {
  if (payload.empty()) return false;
  frame.type = static_cast<Message>(static_cast<std::uint8_t>(payload[0]));
  frame.body = payload.substr(1);
  return true;
}

std::size_t BeginFrame(std::string& out, Message type) {
  const std::size_t begin = out.size();
  out.append(4, '\0');
  out.push_back(static_cast<char>(type));
  return begin;
}

void FinishFrame(std::string& out, std::size_t begin) {
  const auto n = static_cast<std::uint32_t>(out.size() - begin - 4);
  std::memcpy(out.data() + begin, &n, 4);
}

void EncodeState(const RunnerState& state, std::string& out) {
  const std::size_t begin = BeginFrame(out, Message::kState);
  Writer w(out);
  w.Str(state.seccomp);
  w.U64(state.resident_bytes);
  w.U64(state.view_writes);
  w.Str(state.first_view_write);
  FinishFrame(out, begin);
}

bool DecodeState(std::string_view body, RunnerState& state) {
  Reader in(body);
  state.seccomp = std::string(in.Str());
  state.resident_bytes = in.U64();
  state.view_writes = in.U64();
  state.first_view_write = std::string(in.Str());
  return !in.failed();
}

}  // namespace bmil::wire
