// A plan's check-in log (docs/control.md, "Check-ins"; docs/schema/checkin.schema.json): an
// append-only JSONL file of events, each carrying its sequence number, the hash of the
// event before it (the plan's for the first) and its own hash, so that an edited, removed,
// reordered or cut event is detected and named.
#ifndef BMIL_CORE_CONTROL_CHECKIN_LOG_HPP_
#define BMIL_CORE_CONTROL_CHECKIN_LOG_HPP_

#include <bmil/case_io.hpp>
#include <bmil/model.hpp>

#include "control/plan.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bmil::control {

inline constexpr std::string_view kCheckinFormatVersion = "1.0";

struct LogLimits {
  std::size_t max_bytes = 64u << 20;
  std::size_t max_line_bytes = 1u << 20;
  std::size_t max_events = 100000;
  std::size_t max_depth = 8;
  std::size_t max_values = 1000;  // KPI values, and task changes, per event
  std::size_t max_targets = 200;  // per rebaseline
  std::size_t max_note = 4000;    // characters
};

struct TaskChange {
  std::optional<TaskStatus> status;
  std::optional<double> progress;  // 0 to 1
  std::optional<double> spent;     // person-months so far
};

// A task the plan did not have, begun or planned since (for the strategy drift).
struct NewTask {
  std::string id;
  std::string business_model;
  std::vector<std::string> leadership_lines, building_blocks;
  TaskStatus status = TaskStatus::kOngoing;
  std::optional<double> effort;  // person-months
};

struct Rebaseline {
  std::string kpi;
  std::vector<Target> targets;
  std::string reason;
};

struct Event {
  std::int64_t seq = 0;
  std::string prev;  // 32 hex digits
  std::string at;    // YYYY-MM-DDTHH:MM:SSZ, when recorded
  std::string author;
  std::string date;  // YYYY-MM-DD, the day the figures are true for
  std::vector<std::pair<std::string, double>> kpis;
  std::vector<std::pair<std::string, TaskChange>> tasks;  // milestones and new tasks
  std::vector<NewTask> new_tasks;
  std::optional<double> confidence;
  std::string note;
  std::optional<Rebaseline> rebaseline;
  std::string hash;        // 32 hex digits
  std::uint32_t line = 0;  // in the log, 1-based (0 for an event not read from a file)
};

struct LogReadResult {
  std::vector<Event> events;  // the events up to the first problem
  std::vector<Diagnostic> problems;
};

// Reads and checks the whole log `text` (named `file`) of `plan`, whose file's XXH3-128 is
// `plan_xxh3`: each line an event of the format, the chain whole (seq, prev, hash), times
// never going back, and every event's content valid against the plan (CheckEvent). Stops
// at the first broken link; never throws.
LogReadResult ReadLog(std::string_view text, const std::string& file, const Plan& plan,
                      const std::string& plan_xxh3, const LogLimits& limits = {});

// What is wrong with the content of `event` against `plan` and `added`, the ids of the new
// tasks earlier events added (ids, statuses, ranges, dates, rebaselines; not the chain), one
// message each; empty when nothing is.
std::vector<std::string> CheckEvent(const Event& event, const Plan& plan,
                                    const std::vector<std::string>& added = {},
                                    const LogLimits& limits = {});

// The event's line (no newline) as the log holds it; sets event.hash.
std::string EventLine(Event& event);

// Whether `s` is a time YYYY-MM-DDTHH:MM:SSZ that exists.
bool IsTime(std::string_view s);
// The time now, UTC, as IsTime writes it.
std::string TimeNow();

struct AppendResult {
  std::optional<Event> appended;     // the event as written (seq, prev, at, hash set)
  std::vector<Diagnostic> problems;  // the log's, when its chain is broken
  std::string error;                 // anything else that stopped the append
};

// Appends `draft` (its content; seq, prev and hash are set here, and `at` is raised to the
// last event's time when earlier) to the log at `log`, created when missing: under an
// exclusive lock, after checking the whole log, as one write, flushed to disk. Nothing is
// written when the log is broken or the event's content is not valid.
AppendResult AppendEvent(const std::filesystem::path& log, const Plan& plan,
                         const std::string& plan_xxh3, Event draft, const LogLimits& limits = {});

// The log's default path: beside the plan, "<stem>.checkins.jsonl".
std::filesystem::path DefaultLogPath(const std::filesystem::path& plan);

}  // namespace bmil::control

#endif  // BMIL_CORE_CONTROL_CHECKIN_LOG_HPP_
