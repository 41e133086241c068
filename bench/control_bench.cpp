// The control loop at scale (issue 18; docs/control.md): a plan of 100 KPIs and 1,000
// milestones, and a log of N check-ins (each with 10 KPI actuals and 5 task changes):
//   BM_ReadLog: reading and checking the whole chain (what every `checkin` and `status`
//     does first); items are check-ins.
//   BM_ComputeStatus: the status on the last day, alerts replayed after every check-in;
//     items are check-ins.
// Goal: a ten-year weekly log (about 520 check-ins) in well under a second, and the
// format's limit of 100,000 check-ins read in seconds, not minutes.
#include "control/checkin_log.hpp"
#include "control/plan.hpp"
#include "control/status.hpp"
#include "io/digest.hpp"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <vector>

namespace {

using namespace bmil::control;

Plan BigPlan() {
  Plan p;
  p.id = "bench";
  p.name = "Bench";
  p.business = "b";
  p.adopted = "2000-01-01";
  for (int k = 0; k < 100; ++k) {
    Kpi kpi;
    kpi.id = "kpi" + std::to_string(k);
    kpi.label = kpi.id;
    kpi.unit = "currency";
    kpi.baseline = 1000;
    kpi.baseline_date = p.adopted;
    for (int y = 2000; y < 2040; ++y) {
      const double v = 1000 + 50.0 * (y - 1999);
      kpi.targets.push_back({std::to_string(y) + "-12-31", v, v * 0.8, v * 1.2});
    }
    p.kpis.push_back(std::move(kpi));
  }
  for (int m = 0; m < 1000; ++m) {
    Milestone ms;
    ms.id = "m" + std::to_string(m);
    ms.business_model = "model" + std::to_string(m % 10);
    ms.leadership_lines = {"customer"};
    ms.building_blocks = {"customers"};
    ms.start = "2000-01-01";
    ms.due = std::to_string(2001 + m % 30) + "-06-30";
    ms.effort = 3;
    p.milestones.push_back(std::move(ms));
  }
  return p;
}

// A log of `n` check-ins of BigPlan (whose file hashes to `plan_xxh3`), a day apart from
// 2000-01-02.
std::string BigLog(const std::string& plan_xxh3, int n) {
  std::string log, prev = plan_xxh3;
  for (int i = 0; i < n; ++i) {
    Event e;
    e.seq = i + 1;
    e.prev = prev;
    const std::int64_t day = DayNumber("2000-01-02") + i;
    // Days since the epoch back to a date (Howard Hinnant's civil_from_days).
    const std::int64_t z = day + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
    char text[64];
    std::snprintf(text, sizeof text, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
    e.date = text;
    e.at = e.date + "T12:00:00Z";
    e.author = "bench";
    for (int k = 0; k < 10; ++k) {
      e.kpis.emplace_back("kpi" + std::to_string((i * 10 + k) % 100), 1000.0 + (i % 17) * 13);
    }
    for (int t = 0; t < 5; ++t) {
      e.tasks.emplace_back("m" + std::to_string((i * 5 + t) % 1000),
                           TaskChange{bmil::TaskStatus::kOngoing, 0.1 * (i % 10), 1.0});
    }
    log += EventLine(e) + "\n";
    prev = e.hash;
  }
  return log;
}

void BM_ReadLog(benchmark::State& state) {
  const Plan plan = BigPlan();
  const std::string plan_xxh3 = bmil::DigestHex(PlanJson(plan).dump());
  const int n = static_cast<int>(state.range(0));
  const std::string log = BigLog(plan_xxh3, n);
  for (auto _ : state) {
    LogReadResult read = ReadLog(log, "bench.jsonl", plan, plan_xxh3);
    if (!read.problems.empty()) state.SkipWithError(read.problems.front().ToString().c_str());
    benchmark::DoNotOptimize(read.events.data());
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(log.size()));
}
BENCHMARK(BM_ReadLog)->Arg(520)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_ComputeStatus(benchmark::State& state) {
  const Plan plan = BigPlan();
  const std::string plan_xxh3 = bmil::DigestHex(PlanJson(plan).dump());
  const int n = static_cast<int>(state.range(0));
  const LogReadResult read = ReadLog(BigLog(plan_xxh3, n), "bench.jsonl", plan, plan_xxh3);
  if (!read.problems.empty()) {
    state.SkipWithError(read.problems.front().ToString().c_str());
    return;
  }
  const std::string as_of = read.events.back().date;
  for (auto _ : state) {
    const Status s = ComputeStatus(plan, read.events, {as_of, true, 2});
    benchmark::DoNotOptimize(s.alerts.data());
  }
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_ComputeStatus)->Arg(520)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
