// Fuzzes the check-in log reader (ReadLog, core/src/control/checkin_log.hpp), which every
// `bmil checkin` and the status run over a plan's whole JSONL log before trusting it
// (docs/control.md, "Check-ins"), against a fixed plan (fixed_plan.hpp). Beyond "no crash, no
// hang, no leak, no undefined behaviour, no exception":
//  - the log is read up to its first broken line: every problem names the log and the line
//    after the last event returned (but for a log refused unread for its size);
//  - a log without problems is empty or ends with a newline (a cut last line is found);
//  - the events returned are a whole chain: seq 1, 2, ... on lines 1, 2, ...; the first one's
//    prev is the plan's XXH3-128, every other's the hash of the one before; times never go
//    back; the content of each is valid against the plan (CheckEvent says nothing);
//  - what bmil writes for the events (EventLine, re-chained) reads back as the same events.
#include "control/checkin_log.hpp"
#include "control/plan.hpp"

#include "fixed_plan.hpp"
#include "fuzz_support.hpp"

#include <bmil/case_io.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using bmil::fuzz::Broken;

namespace {

constexpr const char* kFile = "fuzz.checkins.jsonl";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const bmil::control::Plan& plan = bmil::fuzz::FixedPlan();
  const std::string& plan_xxh3 = bmil::fuzz::FixedPlanXxh3();
  const bmil::control::LogReadResult read = bmil::control::ReadLog(text, kFile, plan, plan_xxh3);

  const std::size_t n = read.events.size();
  for (const bmil::Diagnostic& d : read.problems) {
    if (d.file != kFile) Broken("a problem names another file", d.ToString());
    const bool unread = d.line == 0 && d.message.find("refused unread") != std::string::npos;
    if (!unread && d.line != n + 1) {
      Broken("a problem is not on the line after the last event returned",
             d.ToString() + " (events: " + std::to_string(n) + ")");
    }
  }
  if (read.problems.empty() && !text.empty() && text.back() != '\n') {
    Broken("a log whose last line has no newline is accepted");
  }

  std::size_t from = 0;
  std::vector<std::string> added;  // the new tasks' ids so far
  for (std::size_t i = 0; i < n; ++i) {
    const bmil::control::Event& e = read.events[i];
    const std::string where = "event " + std::to_string(i + 1);
    if (e.seq != static_cast<std::int64_t>(i + 1) || e.line != i + 1) {
      Broken("the events are not seq 1, 2, ... on lines 1, 2, ...",
             where + ": seq " + std::to_string(e.seq) + ", line " + std::to_string(e.line));
    }
    const std::string& expected_prev = i == 0 ? plan_xxh3 : read.events[i - 1].hash;
    if (e.prev != expected_prev) Broken("an event's prev is not the link before it", where);
    if (i > 0 && e.at < read.events[i - 1].at) Broken("the times of the log go back", where);
    if (!bmil::control::IsTime(e.at)) Broken("an event's time is not a time", where + ": " + e.at);
    if (const auto content = bmil::control::CheckEvent(e, plan, added); !content.empty()) {
      Broken("an event returned is not valid against the plan", where + ": " + content.front());
    }
    for (const bmil::control::NewTask& t : e.new_tasks) added.push_back(t.id);

    const std::size_t newline = text.find('\n', from);
    if (newline == std::string_view::npos) Broken("an event returned has no line", where);
    from = newline + 1;
  }

  // What bmil writes for the events reads back as the same events: the events re-chained
  // (bmil's own spelling of a line may differ from the input's, whose hash covers its bytes
  // as they are, so every hash and prev is made anew).
  std::string rewritten;
  std::string prev = plan_xxh3;
  for (std::size_t i = 0; i < n; ++i) {
    bmil::control::Event copy = read.events[i];
    copy.prev = prev;
    rewritten += bmil::control::EventLine(copy) + "\n";
    prev = copy.hash;
  }
  const bmil::control::LogReadResult again =
      bmil::control::ReadLog(rewritten, kFile, plan, plan_xxh3);
  if (!again.problems.empty() || again.events.size() != n) {
    Broken("the events bmil writes do not read back",
           again.problems.empty() ? rewritten : again.problems.front().ToString());
  }
  for (std::size_t i = 0; i < n; ++i) {
    const bmil::control::Event& a = read.events[i];
    const bmil::control::Event& b = again.events[i];
    bool same = a.at == b.at && a.author == b.author && a.date == b.date && a.note == b.note &&
                a.kpis == b.kpis && a.confidence == b.confidence &&
                a.tasks.size() == b.tasks.size() && a.new_tasks.size() == b.new_tasks.size() &&
                a.rebaseline.has_value() == b.rebaseline.has_value();
    for (std::size_t t = 0; same && t < a.tasks.size(); ++t) {
      same = a.tasks[t].first == b.tasks[t].first &&
             a.tasks[t].second.status == b.tasks[t].second.status &&
             a.tasks[t].second.progress == b.tasks[t].second.progress &&
             a.tasks[t].second.spent == b.tasks[t].second.spent;
    }
    for (std::size_t t = 0; same && t < a.new_tasks.size(); ++t) {
      const auto& x = a.new_tasks[t];
      const auto& y = b.new_tasks[t];
      same = x.id == y.id && x.business_model == y.business_model &&
             x.leadership_lines == y.leadership_lines && x.building_blocks == y.building_blocks &&
             x.status == y.status && x.effort == y.effort;
    }
    if (same && a.rebaseline) {
      same = a.rebaseline->kpi == b.rebaseline->kpi &&
             a.rebaseline->reason == b.rebaseline->reason &&
             a.rebaseline->targets.size() == b.rebaseline->targets.size();
      for (std::size_t t = 0; same && t < a.rebaseline->targets.size(); ++t) {
        const auto& x = a.rebaseline->targets[t];
        const auto& y = b.rebaseline->targets[t];
        same = x.date == y.date && x.value == y.value && x.p10 == y.p10 && x.p90 == y.p90;
      }
    }
    if (!same)
      Broken("an event read back differs from the one written", "event " + std::to_string(i + 1));
  }
  return 0;
}
