// The check-in log (checkin_log.hpp, docs/control.md "Check-ins").
#include "control/checkin_log.hpp"

#include "control/read_helpers.hpp"
#include "io/case_rules.hpp"
#include "io/did_you_mean.hpp"
#include "io/digest.hpp"
#include "io/json_pointer.hpp"
#include "io/object_reader.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>
#include <set>

namespace bmil::control {
namespace {

constexpr std::string_view kHashKey = ",\"hash\":\"";
const std::vector<std::string> kTaskStatuses = {"planned", "ongoing", "completed", "abandoned"};

TaskStatus StatusFromName(const std::string& name) {
  if (name == "planned") return TaskStatus::kPlanned;
  if (name == "ongoing") return TaskStatus::kOngoing;
  if (name == "completed") return TaskStatus::kCompleted;
  return TaskStatus::kAbandoned;
}

const char* StatusName(TaskStatus s) {
  switch (s) {
    case TaskStatus::kPlanned:
      return "planned";
    case TaskStatus::kOngoing:
      return "ongoing";
    case TaskStatus::kCompleted:
      return "completed";
    case TaskStatus::kAbandoned:
      return "abandoned";
    case TaskStatus::kUnstated:
      break;
  }
  return "";
}

bool TwoDigitsBelow(std::string_view s, std::size_t at, int limit) {
  if (s[at] < '0' || s[at] > '9' || s[at + 1] < '0' || s[at + 1] > '9') return false;
  return (s[at] - '0') * 10 + (s[at + 1] - '0') < limit;
}

class EventReader : public FieldReader {
 public:
  EventReader(const std::string& file, std::vector<Diagnostic>& problems, const LogLimits& limits)
      : FieldReader(file, problems), limits_(limits) {}

  void Root(const JsonValue& root, Event& out) {
    ObjectReader r(root, file_, "", problems_);
    if (!r.is_object()) return;
    Version(r, "bmil_checkin", kCheckinFormatVersion, "check-in");
    if (auto seq = r.Integer("seq", 1, 1'000'000'000, true)) out.seq = *seq;
    if (auto prev = Digest(r, "prev")) out.prev = *prev;
    if (auto at = r.String("at", true, 64)) {
      if (!IsTime(*at)) {
        r.Problem(root.Find("at")->location(), "/at",
                  "expected a time YYYY-MM-DDTHH:MM:SSZ, found \"" + *at + "\"");
      } else {
        out.at = *at;
      }
    }
    if (auto author = Text(r, "author", true)) out.author = *author;
    if (auto date = Day(r, "date", true)) out.date = *date;
    if (const std::optional<JsonValue> kpis = r.Get("kpis", JsonValue::Kind::kObject, false)) {
      for (const JsonMember m : kpis->members()) {
        const std::string at = JsonPointerChild("/kpis", m.key());
        const JsonValue value = m.value();
        if (value.kind() != JsonValue::Kind::kNumber) {
          Problem(value.location(), at,
                  std::string("expected a number, found ") + JsonValue::KindName(value.kind()));
        } else {
          out.kpis.emplace_back(std::string(m.key()), value.number());
        }
      }
      Duplicates(*kpis, "/kpis");
    }
    if (const std::optional<JsonValue> tasks = r.Get("tasks", JsonValue::Kind::kObject, false)) {
      for (const JsonMember m : tasks->members()) {
        ObjectReader t(m.value(), file_, JsonPointerChild("/tasks", m.key()), problems_);
        TaskChange change;
        if (auto s = t.Choice("status", kTaskStatuses, false)) change.status = StatusFromName(*s);
        change.progress = t.Number("progress", -1e300, 1e300, false);
        change.spent = t.Number("spent", -1e300, 1e300, false);
        t.Finish();
        out.tasks.emplace_back(std::string(m.key()), change);
      }
      Duplicates(*tasks, "/tasks");
    }
    if (const std::optional<JsonValue> added = r.Get("new_tasks", JsonValue::Kind::kArray, false)) {
      if (Count(*added, "/new_tasks", limits_.max_values, "new tasks")) {
        std::size_t i = 0;
        for (const JsonValue item : added->items()) {
          ObjectReader t(item, file_, JsonPointerChild("/new_tasks", i++), problems_);
          if (!t.is_object()) continue;
          NewTask task;
          if (auto id = Id(t, "id")) task.id = *id;
          if (auto m = Id(t, "business_model")) task.business_model = *m;
          if (auto l = IdList(t, "leadership_lines", true, 100)) task.leadership_lines = *l;
          if (auto b = IdList(t, "building_blocks", true, 100)) task.building_blocks = *b;
          if (auto st = t.Choice("status", kTaskStatuses, true)) task.status = StatusFromName(*st);
          task.effort = t.Number("effort", -1e300, 1e300, false);
          t.Finish();
          out.new_tasks.push_back(std::move(task));
        }
      }
    }
    out.confidence = r.Number("confidence", -1e300, 1e300, false);
    if (auto note = Text(r, "note", false)) out.note = *note;
    if (const std::optional<JsonValue> rb = r.Get("rebaseline", JsonValue::Kind::kObject, false)) {
      ObjectReader b(*rb, file_, "/rebaseline", problems_);
      Rebaseline rebaseline;
      if (auto kpi = b.String("kpi", true, 1024)) rebaseline.kpi = *kpi;
      if (auto reason = Text(b, "reason", true)) rebaseline.reason = *reason;
      if (const std::optional<JsonValue> targets =
              b.Get("targets", JsonValue::Kind::kArray, true)) {
        rebaseline.targets = RebaselineTargets(*targets, "/rebaseline/targets");
      }
      b.Finish();
      out.rebaseline = std::move(rebaseline);
    }
    if (auto hash = Digest(r, "hash")) out.hash = *hash;
    r.Finish();
  }

 private:
  void Duplicates(const JsonValue& object, const std::string& pointer) {
    std::set<std::string_view> seen;
    for (const JsonMember m : object.members()) {
      const std::string_view key = m.key();
      if (!seen.insert(key).second) {
        Problem(m.key_location(), JsonPointerChild(pointer, key),
                "duplicate key \"" + std::string(key) + "\"");
      }
    }
  }

  // Targets whose band (p10 and p90) is optional; CheckEvent says when one is not allowed.
  std::vector<Target> RebaselineTargets(const JsonValue& array, const std::string& pointer) {
    std::vector<Target> out;
    if (!Count(array, pointer, limits_.max_targets, "targets")) return out;
    std::size_t i = 0;
    for (const JsonValue item : array.items()) {
      ObjectReader r(item, file_, JsonPointerChild(pointer, i++), problems_);
      if (!r.is_object()) continue;
      Target t;
      auto date = Day(r, "date", true);
      auto value = r.Number("value", -rules::kMaxAmount, rules::kMaxAmount, true);
      t.p10 = r.Number("p10", -rules::kMaxAmount, rules::kMaxAmount, false);
      t.p90 = r.Number("p90", -rules::kMaxAmount, rules::kMaxAmount, false);
      r.Finish();
      if (!date || !value) continue;
      t.date = *date;
      t.value = *value;
      out.push_back(std::move(t));
    }
    return out;
  }

  const LogLimits& limits_;
};

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

std::vector<std::string> KpiIds(const Plan& plan) {
  std::vector<std::string> ids;
  for (const Kpi& k : plan.kpis) ids.push_back(k.id);
  return ids;
}

std::vector<std::string> MilestoneIds(const Plan& plan) {
  std::vector<std::string> ids;
  for (const Milestone& m : plan.milestones) ids.push_back(m.id);
  return ids;
}

}  // namespace

bool IsTime(std::string_view s) {
  return s.size() == 20 && IsDay(s.substr(0, 10)) && s[10] == 'T' && TwoDigitsBelow(s, 11, 24) &&
         s[13] == ':' && TwoDigitsBelow(s, 14, 60) && s[16] == ':' && TwoDigitsBelow(s, 17, 60) &&
         s[19] == 'Z';
}

std::string TimeNow() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

std::vector<std::string> CheckEvent(const Event& event, const Plan& plan,
                                    const std::vector<std::string>& added,
                                    const LogLimits& limits) {
  std::vector<std::string> out;
  if (event.kpis.empty() && event.tasks.empty() && event.new_tasks.empty() && !event.confidence &&
      event.note.empty() && !event.rebaseline) {
    out.push_back(
        "the event records nothing: give a KPI value, a task change, a new task, a "
        "confidence, a note or a rebaseline");
  }
  std::vector<std::string> task_ids = MilestoneIds(plan);
  task_ids.insert(task_ids.end(), added.begin(), added.end());
  for (const NewTask& t : event.new_tasks) {
    const std::string what = "new task " + Quoted(t.id);
    if (std::find(task_ids.begin(), task_ids.end(), t.id) != task_ids.end()) {
      out.push_back(what + ": the plan or an earlier check-in has a task of that id");
    }
    task_ids.push_back(t.id);
    if (!rules::IsId(t.id) || !rules::IsId(t.business_model)) {
      out.push_back(what + ": its id and business model must be ids");
    }
    if (t.leadership_lines.empty() || t.building_blocks.empty()) {
      out.push_back(what + ": give at least one leadership line and one building block");
    }
    if (t.effort && !(*t.effort >= 0 && *t.effort <= rules::kMaxAmount)) {
      out.push_back(what + ": the effort must be a number of person-months from 0 to 1e18");
    }
  }
  if (event.author.empty() || rules::CodePoints(event.author) > 200) {
    out.push_back("the author must be 1 to 200 characters");
  }
  if (!IsDay(event.date)) {
    out.push_back("date " + Quoted(event.date) + " is not a date YYYY-MM-DD");
  } else {
    if (IsTime(event.at) && event.date > event.at.substr(0, 10)) {
      out.push_back("date " + event.date + " is after the day the event is recorded (" +
                    event.at.substr(0, 10) + "): figures cannot be known before their day");
    }
    if (event.date < plan.adopted) {
      out.push_back("date " + event.date + " is before the plan was adopted (" + plan.adopted +
                    ")");
    }
  }
  if (event.kpis.size() > limits.max_values || event.tasks.size() > limits.max_values) {
    out.push_back("more than " + std::to_string(limits.max_values) +
                  " KPI values or task changes in one event");
  }
  std::set<std::string> seen;
  for (const auto& [id, value] : event.kpis) {
    if (plan.FindKpi(id) == nullptr) {
      out.push_back("unknown KPI " + Quoted(id) + DidYouMean(id, KpiIds(plan)));
    }
    if (!std::isfinite(value) || std::fabs(value) > rules::kMaxAmount) {
      out.push_back("KPI " + Quoted(id) + ": the value must be a number from -1e18 to 1e18");
    }
    if (!seen.insert(id).second) out.push_back("KPI " + Quoted(id) + " is given twice");
  }
  seen.clear();
  for (const auto& [id, change] : event.tasks) {
    if (std::find(task_ids.begin(), task_ids.end(), id) == task_ids.end()) {
      out.push_back("unknown milestone " + Quoted(id) + DidYouMean(id, task_ids));
    }
    if (!change.status && !change.progress && !change.spent) {
      out.push_back("milestone " + Quoted(id) + ": no status, progress or spent effort given");
    }
    if (change.progress && !(*change.progress >= 0 && *change.progress <= 1)) {
      out.push_back("milestone " + Quoted(id) + ": progress must be from 0 to 1");
    }
    if (change.spent && !(*change.spent >= 0 && *change.spent <= rules::kMaxAmount)) {
      out.push_back("milestone " + Quoted(id) +
                    ": the effort spent must be a number of person-months from 0 to 1e18");
    }
    if (change.status == TaskStatus::kCompleted && change.progress && *change.progress != 1) {
      out.push_back("milestone " + Quoted(id) + ": completed, yet progress is not 1");
    }
    if (!seen.insert(id).second) out.push_back("milestone " + Quoted(id) + " is given twice");
  }
  if (event.confidence && !(*event.confidence >= 0 && *event.confidence <= 1)) {
    out.push_back("confidence must be from 0 to 1");
  }
  if (rules::CodePoints(event.note) > limits.max_note) {
    out.push_back("the note is longer than " + std::to_string(limits.max_note) + " characters");
  }
  if (event.rebaseline) {
    const Rebaseline& r = *event.rebaseline;
    const Kpi* kpi = plan.FindKpi(r.kpi);
    if (kpi == nullptr) {
      out.push_back("rebaseline: unknown KPI " + Quoted(r.kpi) + DidYouMean(r.kpi, KpiIds(plan)));
    }
    if (r.reason.empty()) out.push_back("rebaseline: a reason is required");
    if (r.targets.empty()) out.push_back("rebaseline: no target given");
    if (r.targets.size() > limits.max_targets) {
      out.push_back("rebaseline: more than " + std::to_string(limits.max_targets) + " targets");
    }
    for (std::size_t i = 0; i < r.targets.size(); ++i) {
      const Target& t = r.targets[i];
      const std::string what = "rebaseline: target " + t.date;
      if (i > 0 && !(r.targets[i - 1].date < t.date)) {
        out.push_back(what + " is not after the target before it");
      }
      if (IsDay(event.date) && t.date <= event.date) {
        out.push_back(what + " is not after the event's date (" + event.date + ")");
      }
      if (!std::isfinite(t.value) || std::fabs(t.value) > rules::kMaxAmount) {
        out.push_back(what + ": the value must be a number from -1e18 to 1e18");
      }
      if (t.p10.has_value() != t.p90.has_value()) {
        out.push_back(what + ": give both p10 and p90, or neither");
      } else if (t.p10) {
        if (kpi != nullptr && kpi->manual) {
          out.push_back(what + ": a manual KPI has no band");
        } else if (!(*t.p10 <= t.value && t.value <= *t.p90)) {
          out.push_back(what + ": expected p10 <= value <= p90");
        }
      }
    }
  }
  return out;
}

std::string EventLine(Event& event) {
  using OJson = nlohmann::ordered_json;
  OJson j;
  j["bmil_checkin"] = kCheckinFormatVersion;
  j["seq"] = event.seq;
  j["prev"] = event.prev;
  j["at"] = event.at;
  j["author"] = event.author;
  j["date"] = event.date;
  if (!event.kpis.empty()) {
    OJson kpis = OJson::object();
    for (const auto& [id, value] : event.kpis) kpis[id] = value;
    j["kpis"] = std::move(kpis);
  }
  if (!event.tasks.empty()) {
    OJson tasks = OJson::object();
    for (const auto& [id, change] : event.tasks) {
      OJson t = OJson::object();
      if (change.status) t["status"] = StatusName(*change.status);
      if (change.progress) t["progress"] = *change.progress;
      if (change.spent) t["spent"] = *change.spent;
      tasks[id] = std::move(t);
    }
    j["tasks"] = std::move(tasks);
  }
  if (!event.new_tasks.empty()) {
    OJson added = OJson::array();
    for (const NewTask& t : event.new_tasks) {
      OJson o{{"id", t.id},
              {"business_model", t.business_model},
              {"leadership_lines", t.leadership_lines},
              {"building_blocks", t.building_blocks},
              {"status", StatusName(t.status)}};
      if (t.effort) o["effort"] = *t.effort;
      added.push_back(std::move(o));
    }
    j["new_tasks"] = std::move(added);
  }
  if (event.confidence) j["confidence"] = *event.confidence;
  if (!event.note.empty()) j["note"] = event.note;
  if (event.rebaseline) {
    OJson targets = OJson::array();
    for (const Target& t : event.rebaseline->targets) {
      OJson o{{"date", t.date}, {"value", t.value}};
      if (t.p10) o["p10"] = *t.p10;
      if (t.p90) o["p90"] = *t.p90;
      targets.push_back(std::move(o));
    }
    j["rebaseline"] = {{"kpi", event.rebaseline->kpi},
                       {"targets", std::move(targets)},
                       {"reason", event.rebaseline->reason}};
  }
  std::string body = j.dump(-1, ' ', false, OJson::error_handler_t::replace);
  body.pop_back();  // the closing brace
  event.hash = DigestHex(body);
  return body + std::string(kHashKey) + event.hash + "\"}";
}

LogReadResult ReadLog(std::string_view text, const std::string& file, const Plan& plan,
                      const std::string& plan_xxh3, const LogLimits& limits) {
  LogReadResult result;
  auto problem = [&](std::uint32_t line, std::uint32_t column, std::string pointer,
                     std::string message) {
    result.problems.push_back({file, line, column, std::move(pointer), std::move(message)});
  };
  if (text.size() > limits.max_bytes) {
    problem(0, 0, "",
            "larger than the limit of " + rules::ExactSize(limits.max_bytes) + " (" +
                rules::ExactSize(text.size()) + "); refused unread");
    return result;
  }
  std::size_t from = 0;
  std::uint32_t line_number = 0;
  std::vector<std::string> added;  // the ids of the new tasks so far
  while (from < text.size()) {
    ++line_number;
    const std::size_t newline = text.find('\n', from);
    const std::string_view line = text.substr(
        from, newline == std::string_view::npos ? std::string_view::npos : newline - from);
    from = newline == std::string_view::npos ? text.size() : newline + 1;
    const std::string what = "event " + std::to_string(result.events.size() + 1);
    if (result.events.size() >= limits.max_events) {
      problem(line_number, 1, "",
              "more than the limit of " + std::to_string(limits.max_events) + " events");
      return result;
    }
    if (line.size() > limits.max_line_bytes) {
      problem(line_number, 1, "",
              what + ": longer than the limit of " + rules::ExactSize(limits.max_line_bytes));
      return result;
    }
    if (newline == std::string_view::npos) {
      problem(line_number, 1, "",
              what +
                  ": the line has no newline at its end: a check-in was cut short while "
                  "writing it; remove that line (its check-in did not finish) and check in "
                  "again");
      return result;
    }
    if (line.empty()) {
      problem(line_number, 1, "", "an empty line; a log has one event per line");
      return result;
    }
    auto parsed = ParseJson(line, {limits.max_line_bytes, limits.max_depth});
    if (const auto* error = std::get_if<JsonSyntaxError>(&parsed)) {
      problem(line_number, error->location.column, "", what + ": " + error->message);
      return result;
    }
    const JsonDocument& document = std::get<JsonDocument>(parsed);
    const JsonValue root = document.root();
    const std::size_t before = result.problems.size();
    Event event;
    event.line = line_number;
    EventReader reader(file, result.problems, limits);
    reader.Root(root, event);
    for (std::size_t i = before; i < result.problems.size(); ++i) {
      result.problems[i].line = line_number;  // the event's text is one line
    }
    if (result.problems.size() > before) return result;
    // Its own hash, over the bytes before `,"hash":"`.
    const std::size_t key = line.rfind(kHashKey);
    if (key == std::string_view::npos ||
        line.substr(key) != std::string(kHashKey) + event.hash + "\"}" ||
        DigestHex(line.substr(0, key)) != event.hash) {
      problem(line_number, 1, "/hash",
              what +
                  ": its hash does not match its content: the event was edited after it "
                  "was written");
      return result;
    }
    const std::int64_t expected_seq = static_cast<std::int64_t>(result.events.size()) + 1;
    if (event.seq != expected_seq) {
      problem(line_number, 1, "/seq",
              what + " has seq " + std::to_string(event.seq) + ", expected " +
                  std::to_string(expected_seq) + ": an event was removed or reordered");
      return result;
    }
    if (result.events.empty()) {
      if (event.prev != plan_xxh3) {
        problem(line_number, 1, "/prev",
                what + ": \"prev\" is not the plan's XXH3 (" + plan_xxh3 +
                    "): the log belongs to another plan, or the plan was changed after its "
                    "first check-in");
        return result;
      }
    } else if (event.prev != result.events.back().hash) {
      problem(line_number, 1, "/prev",
              what + ": \"prev\" is not the hash of event " + std::to_string(event.seq - 1) +
                  ": an event was removed, reordered or edited");
      return result;
    }
    if (!result.events.empty() && event.at < result.events.back().at) {
      problem(line_number, 1, "/at",
              what + " was recorded at " + event.at + ", before event " +
                  std::to_string(event.seq - 1) + " (" + result.events.back().at +
                  "): times in a log never go back");
      return result;
    }
    const auto content = CheckEvent(event, plan, added, limits);
    if (!content.empty()) {
      for (const std::string& m : content) problem(line_number, 1, "", what + ": " + m);
      return result;
    }
    for (const NewTask& t : event.new_tasks) added.push_back(t.id);
    result.events.push_back(std::move(event));
  }
  return result;
}

std::filesystem::path DefaultLogPath(const std::filesystem::path& plan) {
  std::filesystem::path log = plan;
  log.replace_extension();
  log += ".checkins.jsonl";
  return log;
}

AppendResult AppendEvent(const std::filesystem::path& log, const Plan& plan,
                         const std::string& plan_xxh3, Event draft, const LogLimits& limits) {
  AppendResult result;
  const std::string name = log.string();
  if (!IsTime(draft.at)) {
    result.error = "the time \"" + draft.at + "\" is not YYYY-MM-DDTHH:MM:SSZ";
    return result;
  }
  // The content first: a bad check-in creates no file (a change to a task an earlier
  // check-in added is checked once the log is read, below).
  std::vector<std::string> maybe_added;
  std::error_code exists_error;
  if (std::filesystem::exists(log, exists_error)) {
    for (const auto& [id, change] : draft.tasks) maybe_added.push_back(id);
  }
  if (auto problems = CheckEvent(draft, plan, maybe_added, limits); !problems.empty()) {
    for (const std::string& p : problems) result.error += (result.error.empty() ? "" : "\n") + p;
    return result;
  }
  const int fd = ::open(name.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    result.error = name + ": cannot open for appending: " + std::strerror(errno);
    return result;
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }  // also releases the lock
  } closer{fd};
  if (::flock(fd, LOCK_EX) != 0) {
    result.error = name + ": cannot lock: " + std::strerror(errno);
    return result;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    result.error = name + ": not a regular file";
    return result;
  }
  if (static_cast<std::uintmax_t>(st.st_size) > limits.max_bytes) {
    result.error = name + ": larger than the limit of " + rules::ExactSize(limits.max_bytes);
    return result;
  }
  std::string text(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t got = 0;
  while (got < text.size()) {
    const ssize_t n = ::pread(fd, text.data() + got, text.size() - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      result.error = name + ": cannot read: " + (n < 0 ? std::strerror(errno) : "file shrank");
      return result;
    }
    got += static_cast<std::size_t>(n);
  }
  LogReadResult read = ReadLog(text, name, plan, plan_xxh3, limits);
  if (!read.problems.empty()) {
    result.problems = std::move(read.problems);
    return result;
  }
  if (read.events.size() >= limits.max_events) {
    result.error =
        name + ": the log holds the limit of " + std::to_string(limits.max_events) + " events";
    return result;
  }
  std::vector<std::string> added;
  for (const Event& e : read.events) {
    for (const NewTask& t : e.new_tasks) added.push_back(t.id);
  }
  if (auto problems = CheckEvent(draft, plan, added, limits); !problems.empty()) {
    for (const std::string& p : problems) result.error += (result.error.empty() ? "" : "\n") + p;
    return result;
  }
  draft.seq = static_cast<std::int64_t>(read.events.size()) + 1;
  draft.prev = read.events.empty() ? plan_xxh3 : read.events.back().hash;
  if (!read.events.empty() && draft.at < read.events.back().at) draft.at = read.events.back().at;
  const std::string line = EventLine(draft) + "\n";
  if (line.size() > limits.max_line_bytes) {
    result.error = "the event is longer than the limit of " +
                   rules::ExactSize(limits.max_line_bytes) + " per line";
    return result;
  }
  std::size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = ::write(fd, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      result.error = name + ": cannot write: " + std::strerror(errno) +
                     (written > 0 ? " (the event's line is cut: remove it before the next "
                                    "check-in)"
                                  : "");
      return result;
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    result.error = name + ": cannot flush to disk: " + std::strerror(errno);
    return result;
  }
  result.appended = std::move(draft);
  return result;
}

}  // namespace bmil::control
