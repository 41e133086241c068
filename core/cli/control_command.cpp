// `bmil plan adopt` and `bmil checkin` (docs/control.md): the plan a decision commits to,
// and the hash-chained log of what happened since.
#include "cli_common.hpp"
#include "control/adopt.hpp"
#include "control/checkin_log.hpp"
#include "control/plan.hpp"
#include "control/status.hpp"
#include "io/bounded_read.hpp"
#include "io/case_rules.hpp"
#include "io/did_you_mean.hpp"
#include "io/digest.hpp"

#include <bmil/case_io.hpp>

#include <pwd.h>
#include <unistd.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <memory>

namespace bmil::cli {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> ReadAtMost(const std::string& path, std::size_t max) {
  auto text = ReadFileAtMost(path, max, [&](std::uintmax_t bytes) {
    return "larger than the limit of " + rules::ExactSize(max) + " (" + rules::ExactSize(bytes) +
           " or more); refused";
  });
  if (!text) {
    std::cerr << "bmil: " << path << ": " << text.error() << "\n";
    return std::nullopt;
  }
  return std::move(text).value();
}

// The plan at `path` and its file's XXH3-128, or nothing after printing its problems.
std::optional<std::pair<control::Plan, std::string>> ReadPlanFile(const std::string& path) {
  const control::PlanLimits limits;
  auto text = ReadAtMost(path, limits.max_bytes);
  if (!text) return std::nullopt;
  control::PlanReadResult plan = control::ReadPlan(*text, path, limits);
  if (!plan.value) {
    PrintProblems(plan.problems);
    return std::nullopt;
  }
  return std::make_pair(std::move(*plan.value), DigestHex(*text));
}

// ---- plan adopt

struct AdoptArgs {
  std::string decision, out, base, id;
  std::vector<std::string> kpis, add_kpis;
};

// The base case the decision names: --base, else beside the decision, else as written.
std::optional<std::string> FindBase(const AdoptArgs& args, const control::Decision& d) {
  if (!args.base.empty()) return args.base;
  std::vector<fs::path> candidates;
  const fs::path written = d.base_file;
  if (written.is_relative()) candidates.push_back(fs::path(args.decision).parent_path() / written);
  candidates.push_back(written);
  for (const fs::path& c : candidates) {
    std::error_code ec;
    if (fs::is_regular_file(c, ec)) return c.string();
  }
  std::cerr << "bmil: " << args.decision << ": the base case \"" << d.base_file
            << "\" is not found (looked for";
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    std::cerr << (i ? " and " : " ") << candidates[i].string();
  }
  std::cerr << "); name it with --base\n";
  return std::nullopt;
}

void RunAdopt(const GlobalOptions& options, const AdoptArgs& args, int& exit_code) {
  std::vector<std::string> inputs = {args.decision};
  if (!args.base.empty()) inputs.push_back(args.base);
  if (!CheckOutputsApart(inputs, {{"-o", args.out}}, args.out.empty() || args.out == "-",
                         exit_code)) {
    return;
  }
  std::vector<control::Kpi> manual;
  for (const std::string& spec : args.add_kpis) {
    std::string error;
    auto kpi = control::ParseKpiSpec(spec, error);
    if (!kpi) {
      std::cerr << "bmil: --add-kpi " << spec << ": " << error << "\n";
      exit_code = kExitUsage;
      return;
    }
    manual.push_back(std::move(*kpi));
  }
  const control::DecisionLimits limits;
  auto text = ReadAtMost(args.decision, limits.max_bytes);
  if (!text) {
    exit_code = kExitInputProblem;
    return;
  }
  control::DecisionReadResult read = control::ReadDecision(*text, args.decision, limits);
  if (!read.value) {
    PrintProblems(read.problems);
    exit_code = kExitInputProblem;
    return;
  }
  const control::Decision& decision = *read.value;
  auto base_path = FindBase(args, decision);
  if (!base_path) {
    exit_code = kExitInputProblem;
    return;
  }
  const LoadLimits case_limits;
  auto base_text = ReadAtMost(*base_path, case_limits.max_bytes);
  if (!base_text) {
    exit_code = kExitInputProblem;
    return;
  }
  if (const std::string digest = DigestHex(*base_text); digest != decision.base_xxh3) {
    std::cerr << "bmil: " << *base_path << ": this base case is not the one the decision was "
              << "taken on (its XXH3 is " << digest << ", the decision's " << decision.base_xxh3
              << "): it changed since, or --base names another\n";
    exit_code = kExitInputProblem;
    return;
  }
  PluginHost host = OpenPlugins(options, /*load=*/false);
  const Registry registry = host.MakeRegistry();
  LoadResult base = LoadCaseText(*base_text, *base_path, registry, case_limits);
  if (!base.value) {
    PrintProblems(base.diagnostics);
    exit_code = kExitInputProblem;
    return;
  }
  control::AdoptOptions adopt;
  adopt.id = args.id;
  adopt.kpi_patterns = args.kpis;
  adopt.manual_kpis = std::move(manual);
  control::AdoptResult plan =
      control::Adopt(decision, args.decision, DigestHex(*text), *base.value, adopt);
  if (!plan.value) {
    for (const std::string& p : plan.problems) std::cerr << "bmil: " << p << "\n";
    exit_code = kExitInputProblem;
    return;
  }
  if (!WriteOutput(args.out, JsonText(control::PlanJson(*plan.value)))) {
    exit_code = kExitInputProblem;
  }
}

// ---- checkin

struct CheckinArgs {
  std::string plan, log, note, rebaseline, reason, date, at, author;
  std::vector<std::string> kpis, tasks, progress, spent, targets, new_tasks;
  std::optional<double> confidence;
};

// "ID=REST" split at the first '='; nothing when there is none or either side is empty.
std::optional<std::pair<std::string, std::string>> SplitPair(const std::string& s) {
  const std::size_t eq = s.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == s.size()) return std::nullopt;
  return std::make_pair(s.substr(0, eq), s.substr(eq + 1));
}

std::optional<double> ParseNumber(const std::string& s) {
  double x = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(x)) return std::nullopt;
  return x;
}

// A new task from `--new-task` text: id=ID,model=M,lines=L1+L2,blocks=B1+B2 and optionally
// status=planned|ongoing|completed|abandoned (default ongoing) and effort=PERSON_MONTHS.
std::optional<control::NewTask> ParseNewTask(const std::string& spec, std::string& error) {
  control::NewTask t;
  auto split_plus = [](const std::string& s) {
    std::vector<std::string> out;
    std::size_t from = 0;
    while (from <= s.size()) {
      const std::size_t plus = std::min(s.find('+', from), s.size());
      out.push_back(s.substr(from, plus - from));
      from = plus + 1;
    }
    return out;
  };
  std::size_t from = 0;
  while (from <= spec.size()) {
    const std::size_t comma = std::min(spec.find(',', from), spec.size());
    auto pair = SplitPair(spec.substr(from, comma - from));
    from = comma + 1;
    if (!pair) {
      error = "expected key=value pairs separated by commas";
      return std::nullopt;
    }
    const auto& [key, value] = *pair;
    if (key == "id") {
      t.id = value;
    } else if (key == "model") {
      t.business_model = value;
    } else if (key == "lines") {
      t.leadership_lines = split_plus(value);
    } else if (key == "blocks") {
      t.building_blocks = split_plus(value);
    } else if (key == "status") {
      static const std::vector<std::string> statuses = {"planned", "ongoing", "completed",
                                                        "abandoned"};
      if (std::find(statuses.begin(), statuses.end(), value) == statuses.end()) {
        error = "status \"" + value + "\"" + DidYouMean(value, statuses) +
                "; expected planned, ongoing, completed or abandoned";
        return std::nullopt;
      }
      t.status = value == "planned"     ? TaskStatus::kPlanned
                 : value == "ongoing"   ? TaskStatus::kOngoing
                 : value == "completed" ? TaskStatus::kCompleted
                                        : TaskStatus::kAbandoned;
    } else if (key == "effort") {
      t.effort = ParseNumber(value);
      if (!t.effort) {
        error = "effort: expected a number of person-months";
        return std::nullopt;
      }
    } else {
      error = "unknown key \"" + key + "\"" +
              DidYouMean(key, {"id", "model", "lines", "blocks", "status", "effort"});
      return std::nullopt;
    }
    if (comma == spec.size()) break;
  }
  if (t.id.empty() || t.business_model.empty() || t.leadership_lines.empty() ||
      t.building_blocks.empty()) {
    error = "a new task needs id, model, lines and blocks";
    return std::nullopt;
  }
  return t;
}

std::string DefaultAuthor() {
  if (const char* user = std::getenv("USER"); user != nullptr && *user != '\0') return user;
  if (const passwd* pw = ::getpwuid(::geteuid()); pw != nullptr && pw->pw_name != nullptr) {
    return pw->pw_name;
  }
  return "unknown";
}

// The event the options describe, or nothing after saying what is wrong (a usage error).
std::optional<control::Event> DraftEvent(const CheckinArgs& args) {
  control::Event e;
  auto bad = [](const std::string& option, const std::string& value, const std::string& want) {
    std::cerr << "bmil: " << option << " " << value << ": expected " << want << "\n";
    return std::nullopt;
  };
  for (const std::string& k : args.kpis) {
    auto pair = SplitPair(k);
    std::optional<double> value = pair ? ParseNumber(pair->second) : std::nullopt;
    if (!value) return bad("--kpi", k, "ID=NUMBER");
    e.kpis.emplace_back(pair->first, *value);
  }
  auto task = [&](const std::string& id) -> control::TaskChange& {
    for (auto& [tid, change] : e.tasks) {
      if (tid == id) return change;
    }
    e.tasks.emplace_back(id, control::TaskChange{});
    return e.tasks.back().second;
  };
  static const std::vector<std::string> statuses = {"planned", "ongoing", "completed", "abandoned"};
  for (const std::string& t : args.tasks) {
    auto pair = SplitPair(t);
    if (!pair) return bad("--task", t, "ID=STATUS");
    const std::string& s = pair->second;
    if (std::find(statuses.begin(), statuses.end(), s) == statuses.end()) {
      return bad("--task", t,
                 "a status planned, ongoing, completed or abandoned" + DidYouMean(s, statuses));
    }
    task(pair->first).status = s == "planned"     ? TaskStatus::kPlanned
                               : s == "ongoing"   ? TaskStatus::kOngoing
                               : s == "completed" ? TaskStatus::kCompleted
                                                  : TaskStatus::kAbandoned;
  }
  for (const std::string& p : args.progress) {
    auto pair = SplitPair(p);
    std::optional<double> value = pair ? ParseNumber(pair->second) : std::nullopt;
    if (!value) return bad("--progress", p, "ID=FRACTION (0 to 1)");
    task(pair->first).progress = *value;
  }
  for (const std::string& s : args.spent) {
    auto pair = SplitPair(s);
    std::optional<double> value = pair ? ParseNumber(pair->second) : std::nullopt;
    if (!value) return bad("--spent", s, "ID=PERSON_MONTHS");
    task(pair->first).spent = *value;
  }
  for (auto& [id, change] : e.tasks) {
    if (change.status == TaskStatus::kCompleted && !change.progress) change.progress = 1;
  }
  for (const std::string& spec : args.new_tasks) {
    std::string error;
    auto task = ParseNewTask(spec, error);
    if (!task) return bad("--new-task", spec, "'id=ID,model=M,lines=L+L,blocks=B+B': " + error);
    e.new_tasks.push_back(std::move(*task));
  }
  e.confidence = args.confidence;
  e.note = args.note;
  if (!args.rebaseline.empty()) {
    control::Rebaseline r;
    r.kpi = args.rebaseline;
    r.reason = args.reason;
    for (const std::string& t : args.targets) {
      auto pair = SplitPair(t);
      std::optional<double> value = pair ? ParseNumber(pair->second) : std::nullopt;
      if (!value || !control::IsDay(pair->first)) return bad("--target", t, "YYYY-MM-DD=NUMBER");
      r.targets.push_back({pair->first, *value, std::nullopt, std::nullopt});
    }
    e.rebaseline = std::move(r);
  } else if (!args.targets.empty() || !args.reason.empty()) {
    std::cerr << "bmil: --target and --reason belong to --rebaseline KPI\n";
    return std::nullopt;
  }
  e.at = args.at.empty() ? control::TimeNow() : args.at;
  if (!control::IsTime(e.at)) return bad("--at", e.at, "a time YYYY-MM-DDTHH:MM:SSZ");
  e.date = args.date.empty() ? e.at.substr(0, 10) : args.date;
  if (!control::IsDay(e.date)) return bad("--date", e.date, "a date YYYY-MM-DD");
  e.author = args.author.empty() ? DefaultAuthor() : args.author;
  return e;
}

void RunCheckin(const CheckinArgs& args, int& exit_code) {
  auto draft = DraftEvent(args);
  if (!draft) {
    exit_code = kExitUsage;
    return;
  }
  const fs::path log = args.log.empty() ? control::DefaultLogPath(args.plan) : fs::path(args.log);
  // The log is appended to, never the plan.
  if (!CheckOutputsApart({args.plan}, {{"--log", log.string()}}, false, exit_code)) return;
  auto plan = ReadPlanFile(args.plan);
  if (!plan) {
    exit_code = kExitInputProblem;
    return;
  }
  control::AppendResult appended =
      control::AppendEvent(log, plan->first, plan->second, std::move(*draft));
  if (!appended.appended) {
    PrintProblems(appended.problems);
    if (!appended.problems.empty()) {
      std::cerr << "bmil: " << log.string()
                << ": the log's chain is broken; nothing was appended\n";
    }
    std::istringstream lines(appended.error);
    for (std::string line; std::getline(lines, line);) std::cerr << "bmil: " << line << "\n";
    exit_code = kExitInputProblem;
    return;
  }
  const control::Event& e = *appended.appended;
  std::cout << log.string() << ": event " << e.seq << " recorded at " << e.at << " (head " << e.seq
            << ":" << e.hash << ")\n";
}

// ---- control status

struct StatusArgs {
  std::string plan, log, as_of, out, format;
  bool run_rules = false;
  int alert_after = 2;
};

void RunStatus(const StatusArgs& args, int& exit_code) {
  const fs::path log = args.log.empty() ? control::DefaultLogPath(args.plan) : fs::path(args.log);
  if (!CheckOutputsApart({args.plan, log.string()}, {{"-o", args.out}},
                         args.out.empty() || args.out == "-", exit_code)) {
    return;
  }
  std::string format = args.format;
  if (format.empty()) {
    const std::string ext = fs::path(args.out).extension().string();
    format = ext == ".json" ? "json" : ext == ".md" ? "md" : ext == ".html" ? "html" : "text";
  }
  auto plan = ReadPlanFile(args.plan);
  if (!plan) {
    exit_code = kExitInputProblem;
    return;
  }
  // A plan without check-ins yet has an empty log.
  std::string log_text;
  std::error_code ec;
  if (fs::exists(log, ec)) {
    const control::LogLimits log_limits;
    auto read = ReadAtMost(log.string(), log_limits.max_bytes);
    if (!read) {
      exit_code = kExitInputProblem;
      return;
    }
    log_text = std::move(*read);
  }
  control::LogReadResult events =
      control::ReadLog(log_text, log.string(), plan->first, plan->second);
  if (!events.problems.empty()) {
    PrintProblems(events.problems);
    std::cerr << "bmil: " << log.string()
              << ": the log's chain is broken; no status is given from a log that may have "
                 "been changed\n";
    exit_code = kExitInputProblem;
    return;
  }
  control::StatusOptions options;
  options.as_of = args.as_of.empty() ? control::TimeNow().substr(0, 10) : args.as_of;
  options.run_rules = args.run_rules;
  options.alert_after = args.alert_after;
  const control::Status status = control::ComputeStatus(plan->first, events.events, options);
  const std::string body = format == "json" ? JsonText(control::StatusJson(plan->first, status))
                           : format == "html"
                               ? control::StatusHtml(plan->first, status)
                               : control::StatusText(plan->first, status, format == "md");
  if (!WriteOutput(args.out, body)) {
    exit_code = kExitInputProblem;
    return;
  }
  if (status.Firing()) exit_code = kExitAlert;
}

}  // namespace

void AddControlCommands(CLI::App& app, GlobalOptions& options, int& exit_code) {
  CLI::App* plan = app.add_subcommand(
      "plan",
      "The plan a decision commits to: KPIs with targets and bands, milestones, the "
      "strategy's canvas (docs/control.md)");
  plan->require_subcommand(1);
  auto adopt = std::make_shared<AdoptArgs>();
  CLI::App* adopt_cmd = plan->add_subcommand(
      "adopt",
      "Adopt a decision record (bmil scenario decide) as a plan: one KPI per expected series "
      "with its baseline from the base case, its target (P50) and band (P10-P90) at the end "
      "of each year; the planned tasks as milestones");
  adopt_cmd->add_option("decision", adopt->decision, "The decision record (.json)")
      ->required()
      ->check(CLI::ExistingFile);
  adopt_cmd->add_option("-o,--output", adopt->out, "Write the plan here (default: stdout)");
  adopt_cmd->add_option("--base", adopt->base,
                        "The decision's base case (default: where the decision names it)");
  adopt_cmd->add_option("--id", adopt->id, "The plan's id (default: the scenario's)");
  adopt_cmd->add_option("--kpi", adopt->kpis,
                        "Keep only the series matching this pattern ('*' any run), repeatable");
  adopt_cmd
      ->add_option("--add-kpi", adopt->add_kpis,
                   "A manual KPI: comma-separated id=, unit=, direction=up|down, one or more "
                   "target=YYYY-MM-DD:VALUE, optional label= and baseline= (docs/control.md); "
                   "repeatable")
      ->type_name("SPEC");
  adopt_cmd->callback([&options, adopt, &exit_code] { RunAdopt(options, *adopt, exit_code); });

  auto checkin = std::make_shared<CheckinArgs>();
  CLI::App* checkin_cmd = app.add_subcommand(
      "checkin",
      "Append one event to a plan's check-in log (<plan>.checkins.jsonl, hash-chained; "
      "docs/control.md): KPI actuals, task changes, confidence, a note or a rebaseline");
  checkin_cmd->add_option("plan", checkin->plan, "The plan (.json)")
      ->required()
      ->check(CLI::ExistingFile);
  checkin_cmd->add_option("--log", checkin->log, "The log (default: <plan>.checkins.jsonl)");
  checkin_cmd->add_option("--kpi", checkin->kpis, "A KPI's actual value: ID=NUMBER, repeatable");
  checkin_cmd->add_option("--task", checkin->tasks,
                          "A milestone's status: ID=planned|ongoing|completed|abandoned, "
                          "repeatable");
  checkin_cmd->add_option("--progress", checkin->progress,
                          "A milestone's progress: ID=FRACTION (0 to 1), repeatable");
  checkin_cmd->add_option("--spent", checkin->spent,
                          "Person-months spent on a milestone so far: ID=NUMBER, repeatable");
  checkin_cmd
      ->add_option("--new-task", checkin->new_tasks,
                   "A task the plan did not have (for the strategy drift): comma-separated id=, "
                   "model=, lines=L1+L2, blocks=B1+B2, optional status= (default ongoing) and "
                   "effort=; repeatable")
      ->type_name("SPEC");
  checkin_cmd->add_option("--confidence", checkin->confidence,
                          "The team's confidence that the plan will be reached (0 to 1)");
  checkin_cmd->add_option("--note", checkin->note, "A note");
  checkin_cmd->add_option("--rebaseline", checkin->rebaseline,
                          "Change this KPI's targets (with --target and --reason)");
  checkin_cmd->add_option("--target", checkin->targets,
                          "A new target of the rebaselined KPI: YYYY-MM-DD=NUMBER, repeatable");
  checkin_cmd->add_option("--reason", checkin->reason, "Why the targets change");
  checkin_cmd->add_option("--date", checkin->date,
                          "The day the figures are true for (default: today, UTC)");
  checkin_cmd->add_option("--at", checkin->at,
                          "The time recorded, YYYY-MM-DDTHH:MM:SSZ (default: now; to import a "
                          "history)");
  checkin_cmd->add_option("--author", checkin->author, "Who checks in (default: the user)");
  checkin_cmd->callback([checkin, &exit_code] { RunCheckin(*checkin, exit_code); });

  CLI::App* control = app.add_subcommand(
      "control", "The control of a plan over time: its status from the check-in log");
  control->require_subcommand(1);
  auto status = std::make_shared<StatusArgs>();
  CLI::App* status_cmd = control->add_subcommand(
      "status",
      "A plan's status on a day: KPIs against target and band with a trend forecast and an "
      "XmR chart of the gap to plan, milestones on time or late with earned value (SPI, "
      "CPI), and alerts (pending, firing, resolved). Exit 5 when an alert is firing");
  status_cmd->add_option("plan", status->plan, "The plan (.json)")
      ->required()
      ->check(CLI::ExistingFile);
  status_cmd->add_option("--log", status->log, "The log (default: <plan>.checkins.jsonl)");
  status_cmd
      ->add_option("--as-of", status->as_of,
                   "The status that was true on this day, YYYY-MM-DD: only the check-ins "
                   "recorded by then count (default: today, UTC)")
      ->check([](const std::string& s) {
        return control::IsDay(s) ? std::string() : "expected a date YYYY-MM-DD";
      });
  status_cmd->add_option("-o,--output", status->out,
                         "Write here (default: stdout); .json, .md and .html pick the format");
  status_cmd->add_option("--format", status->format, "text, md, json or html")
      ->check(CLI::IsMember({"text", "md", "json", "html"}));
  status_cmd->add_flag("--run-rules", status->run_rules,
                       "Also the Western Electric run rules 2-4 on the control charts (more "
                       "false alarms: about 1.1% of points instead of 0.27%)");
  status_cmd
      ->add_option("--alert-after", status->alert_after,
                   "Check-ins a condition must hold before its alert fires")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  status_cmd->callback([status, &exit_code] { RunStatus(*status, exit_code); });
}

}  // namespace bmil::cli
