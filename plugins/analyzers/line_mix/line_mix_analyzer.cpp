// Which innovation leadership lines SMEs lead their BMI through (Lindgren 2012, Figs. 4 and
// 5, sec. 3.1.2): the share of BMI per line, overall, for AS IS and TO BE business models
// and per year, and each line's trend over the years. The paper found SMEs mainly choosing
// the customer, network and value lines (CIL, NIL, VIL), network leadership a little more
// in focus for TO BE models, and a trend towards network leadership over 2009-2012.
//
// Counting unit: a task's mention of a line. A task led through m lines adds 1 to each of
// its m lines. The year is the task's start year; tasks without one count in every total
// and are reported as "year not stated", but have no place on the time axis.
#include <bmil/sdk/analyzer_support.hpp>
#include <bmil/sdk/plugin.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace {

using bmil::sdk::Axis;
using bmil::sdk::CaseView;
using bmil::sdk::Column;
using bmil::sdk::ResultBuilder;
using bmil::sdk::Severity;
using Json = nlohmann::ordered_json;

// The lines the paper found SMEs mainly choose (sec. 3.1.2, Fig. 4).
constexpr std::array<const char*, 3> kDominantLines = {"customer", "network", "value"};
// line_mix.dominant_lines fires when these three lines hold MORE than this share of all
// line mentions: "most" of the BMI, more than the other lines together. An even spread
// over the seven lines would give them 3/7 = 43%.
constexpr double kDominantShare = 0.5;
// ... unless network, relation and process leadership hold more than that share: the
// profile of Infolink (sec. 3.3.2), not a traditional one, although network is in both.
constexpr std::array<const char*, 3> kNetworkRelationProcess = {"network", "relation", "process"};
// line_mix.rising_line / falling_line fire when the least-squares slope of a line's yearly
// share is at least this large in magnitude (5 share points a year: over the paper's
// 2009-2012 window a change of 15 points, which shows on a canvas; in one business a single
// task moves a yearly share by more than that, so smaller slopes are mostly noise) ...
constexpr double kTrendSlope = 0.05;
// ... over at least this many years with line mentions (two points always lie on a line;
// three are the fewest that can contradict one) ...
constexpr std::size_t kTrendMinYears = 3;
// ... and only for a line with at least this many mentions in those years. With fewer, one
// or two tasks make the whole "trend": a line mentioned twice, both times in the one year
// with two mentions, jumps from 0% to 100% and back.
constexpr std::int64_t kTrendMinMentions = 5;
// Slopes are computed in doubles from integer counts; one that is exactly on the threshold
// in exact arithmetic may land a rounding error below it. Compare with this tolerance.
constexpr double kTolerance = 1e-9;

constexpr const char* kAsIs = "as_is";
constexpr const char* kToBe = "to_be";
constexpr const char* kNotStated = "not_stated";
// Tasks on retired models: BMI that happened, counted in all, never as AS IS or TO BE.
constexpr const char* kRetired = "retired";
constexpr int kNoYear = 0;

using Counts = std::map<std::string, std::int64_t>;                      // line id -> mentions
using TaskCounts = std::map<std::pair<std::string, int>, std::int64_t>;  // (state, year) -> n
// (state, start year or 0, line) -> mentions
using MentionCounts = std::map<std::tuple<std::string, int, std::string>, std::int64_t>;

std::int64_t Get(const Counts& counts, const std::string& key) {
  auto it = counts.find(key);
  return it == counts.end() ? 0 : it->second;
}

// sdk::Share as an optional (no share of zero mentions): the tables and metrics take it so.
std::optional<double> Share(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return std::nullopt;
  return bmil::sdk::Share(part, whole);
}

Json Cell(std::optional<double> v) { return v ? Json(*v) : Json(nullptr); }

std::string Percent(std::optional<double> share) {
  return share ? bmil::sdk::Percent(*share) : "n/a";
}

// "+5.0" share points (per year) from a share difference.
std::string Points(double share) {
  char text[32];
  std::snprintf(text, sizeof text, "%+.1f", share * 100.0);
  return text;
}

using bmil::sdk::AppendNew;

struct LineLabel {
  std::string code;
  std::string name;
};

// A line's trend over the years with line mentions.
struct Trend {
  std::string line;
  std::vector<std::pair<int, double>> points;  // (year, share of that year's mentions)
  std::optional<double> slope;                 // least squares; needs >= 2 years
  std::int64_t mentions = 0;                   // of the line, in those years
  // "rising", "falling", "steady", "too few years" or "too few mentions"
  std::string direction;
};

// Least-squares slope of y on x; nullopt for fewer than two distinct x.
std::optional<double> Slope(const std::vector<std::pair<int, double>>& points) {
  if (points.size() < 2) return std::nullopt;
  double mean_x = 0, mean_y = 0;
  for (const auto& [x, y] : points) {
    mean_x += x;
    mean_y += y;
  }
  mean_x /= static_cast<double>(points.size());
  mean_y /= static_cast<double>(points.size());
  double sxy = 0, sxx = 0;
  for (const auto& [x, y] : points) {
    sxy += (x - mean_x) * (y - mean_y);
    sxx += (x - mean_x) * (x - mean_x);
  }
  if (sxx == 0) return std::nullopt;
  // Shares are ratios of counts, so a slope under 1e-12 (share per year) is rounding in
  // the sums (shares 1/7, 1/2, 3/7, 1/6 give -5.6e-18 for a flat trend): it is 0.
  const double slope = sxy / sxx;
  return std::fabs(slope) < 1e-12 ? 0.0 : slope;
}

class LineMixAnalyzer final : public bmil::sdk::MergeableAnalyzer<LineMixAnalyzer> {
 public:
  void Configure(const nlohmann::json& config) override {
    for (const auto& line : bmil::sdk::LinesFromConfig(config))
      labels_[line.id] = {line.code, line.name};
  }

  Json Describe() const override {
    return {{"id", "line_mix"},
            {"kind", "analyzer"},
            {"name", "Mix of innovation leadership lines"},
            {"description",
             "Share of BMI per leadership line (unit: a task's mention of a line), overall, AS "
             "IS vs TO BE and per start year, with each line's least-squares trend."},
            {"source", "Lindgren 2012, Figs. 4 and 5, sec. 3.1.2"}};
  }

  // Counts in dense arrays per start year, by state and by the line's position in lines_
  // (no allocation per case once the view's lines and the years are known); Save() and
  // Finish() name them.
  void Add(const CaseView& view) override {
    ++cases_;
    const std::size_t line_count = view.line_count();
    line_pos_.Update(
        line_count, [&](std::size_t l) { return view.line_id(l); }, lines_, kNoLimit);
    for (std::uint32_t t = 0; t < view.task_count(); ++t) {
      auto task = view.task(t);
      const auto m = task.business_model_index();
      if (m >= view.business_model_count()) continue;  // the host never sends this
      const std::size_t state = StateIndex(view.business_model(m).raw());
      const int year = task.start_year().value_or(kNoYear);
      YearCounts& counts = Year(year);
      ++counts.tasks[state];
      for (unsigned line : task.lines()) {
        if (line < line_count)
          ++counts.mentions[line_pos_[line]][state];
        else  // a bit past the view's lines: named "" as view.line_id() names it
          ++mentions_[{kStates[state], year, ""}];
      }
    }
  }

  void MergeFrom(const LineMixAnalyzer& other) {
    cases_ += other.cases_;
    std::vector<std::size_t> position;  // other.lines_[i] is lines_[position[i]]
    for (const auto& l : other.lines_) position.push_back(AppendNew(lines_, l));
    for (const YearCounts& from : other.years_) {
      YearCounts& to = Year(from.year);
      for (std::size_t s = 0; s < kStates.size(); ++s) to.tasks[s] += from.tasks[s];
      for (std::size_t i = 0; i < from.mentions.size(); ++i)
        for (std::size_t s = 0; s < kStates.size(); ++s)
          to.mentions[position[i]][s] += from.mentions[i][s];
    }
    for (const auto& [key, n] : other.tasks_) tasks_[key] += n;
    for (const auto& [key, n] : other.mentions_) mentions_[key] += n;
  }

  Json Finish() const override {
    ResultBuilder result("line_mix", "Mix of innovation leadership lines");
    TaskCounts tasks_by_key;
    MentionCounts mentions_by_key;
    Named(tasks_by_key, mentions_by_key);

    // Derived counts (all integers).
    Counts all, as_is, to_be, no_year;
    std::map<int, Counts> by_year;           // stated years only
    std::map<int, std::int64_t> year_total;  // line mentions per stated year
    std::map<int, std::int64_t> year_tasks;
    std::int64_t total = 0, total_as_is = 0, total_to_be = 0, total_no_year = 0;
    std::int64_t tasks = 0, tasks_as_is = 0, tasks_to_be = 0, tasks_no_year = 0;
    for (const auto& [key, n] : mentions_by_key) {
      const auto& [state, year, line] = key;
      all[line] += n;
      total += n;
      if (state == kAsIs) {
        as_is[line] += n;
        total_as_is += n;
      }
      if (state == kToBe) {
        to_be[line] += n;
        total_to_be += n;
      }
      if (year == kNoYear) {
        no_year[line] += n;
        total_no_year += n;
      } else {
        by_year[year][line] += n;
        year_total[year] += n;
      }
    }
    for (const auto& [key, n] : tasks_by_key) {
      const auto& [state, year] = key;
      tasks += n;
      if (state == kAsIs) tasks_as_is += n;
      if (state == kToBe) tasks_to_be += n;
      if (year == kNoYear)
        tasks_no_year += n;
      else
        year_tasks[year] += n;
    }
    std::vector<int> years;  // stated years with at least one line mention, ascending
    for (const auto& [year, n] : year_total)
      if (n > 0) years.push_back(year);

    std::vector<Trend> trends;
    for (const auto& line : lines_) {
      Trend trend{line, {}, std::nullopt, 0, ""};
      for (int year : years) {
        trend.mentions += Get(by_year.at(year), line);
        trend.points.emplace_back(year, *Share(Get(by_year.at(year), line), year_total.at(year)));
      }
      trend.slope = Slope(trend.points);
      if (trend.points.size() < kTrendMinYears || !trend.slope)
        trend.direction = "too few years";
      else if (std::fabs(*trend.slope) < kTrendSlope - kTolerance)
        trend.direction = "steady";
      else if (trend.mentions < kTrendMinMentions)
        trend.direction = "too few mentions";  // steep, but carried by one or two tasks
      else
        trend.direction = *trend.slope > 0 ? "rising" : "falling";
      trends.push_back(std::move(trend));
    }

    std::int64_t dominant = 0;
    for (const char* line : kDominantLines) dominant += Get(all, line);

    // Lines, most mentioned first; ties keep registration order.
    std::vector<std::pair<std::string, std::int64_t>> ranked;
    for (const auto& line : lines_) ranked.emplace_back(line, Get(all, line));
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });

    result.Summary(SummaryText(total, tasks, ranked, years, trends, total_no_year));

    std::vector<std::string> null_metrics;
    auto metric = [&](const std::string& id, const std::string& label, std::optional<double> v,
                      const std::string& unit) {
      result.AddMetric(id, label, v.value_or(0.0), unit);
      if (!v) null_metrics.push_back(id);
    };
    auto count = [&](const std::string& id, const std::string& label, std::int64_t v,
                     const std::string& unit) {
      result.AddMetric(id, label, static_cast<double>(v), unit);
    };
    count("businesses", "Businesses", cases_, "businesses");
    count("tasks", "BMI tasks", tasks, "tasks");
    count("tasks_as_is", "BMI tasks on AS IS models", tasks_as_is, "tasks");
    count("tasks_to_be", "BMI tasks on TO BE models", tasks_to_be, "tasks");
    count("tasks_year_not_stated", "BMI tasks, year not stated", tasks_no_year, "tasks");
    count("mentions", "Line mentions (task x line)", total, "mentions");
    count("mentions_as_is", "Line mentions on AS IS models", total_as_is, "mentions");
    count("mentions_to_be", "Line mentions on TO BE models", total_to_be, "mentions");
    count("mentions_year_not_stated", "Line mentions, year not stated", total_no_year, "mentions");
    count("years", "Years with line mentions", static_cast<std::int64_t>(years.size()), "years");
    metric("first_year", "First year",
           years.empty() ? std::nullopt : std::optional<double>(years.front()), "year");
    metric("last_year", "Last year",
           years.empty() ? std::nullopt : std::optional<double>(years.back()), "year");
    metric("dominant_share", "Customer + network + value lines (" + Codes() + ")",
           Share(dominant, total), "share");
    for (const auto& line : lines_)
      metric("share_" + line, "Share of " + Label(line), Share(Get(all, line), total), "share");
    for (const auto& trend : trends)
      metric("trend_" + trend.line, "Trend of " + Label(trend.line) + " (slope of yearly share)",
             trend.slope, "share per year");

    auto lines =
        result.AddTable("lines", "Leadership lines, ranked by share of line mentions",
                        {{"rank", "Rank", "integer"},
                         {"line", "Line"},
                         {"label", "Name"},
                         {"mentions", "Mentions", "integer", "mentions"},
                         {"share", "Share", "percent"},
                         {"year_not_stated", "Of these, year not stated", "integer", "mentions"}});
    for (std::size_t i = 0; i < ranked.size(); ++i) {
      const auto& [line, n] = ranked[i];
      lines.AddRow({static_cast<std::int64_t>(i + 1), line, Label(line), n, Cell(Share(n, total)),
                    Get(no_year, line)});
    }
    lines.Chart("bar", "line", {"share"});

    auto by_state =
        result.AddTable("lines_by_state", "Leadership lines: AS IS vs TO BE business models",
                        {{"line", "Line"},
                         {"label", "Name"},
                         {"as_is_mentions", "AS IS mentions", "integer", "mentions"},
                         {"as_is_share", "AS IS share", "percent"},
                         {"to_be_mentions", "TO BE mentions", "integer", "mentions"},
                         {"to_be_share", "TO BE share", "percent"},
                         {"difference", "TO BE minus AS IS", "number", "share"}});
    for (const auto& line : lines_) {
      const auto a = Share(Get(as_is, line), total_as_is);
      const auto b = Share(Get(to_be, line), total_to_be);
      by_state.AddRow({line, Label(line), Get(as_is, line), Cell(a), Get(to_be, line), Cell(b),
                       a && b ? Json(*b - *a) : Json(nullptr)});
    }
    by_state.Chart("bar", "line", {"as_is_share", "to_be_share"});

    std::vector<Column> year_columns = {{"year", "Year", "integer"},
                                        {"tasks", "BMI tasks", "integer", "tasks"},
                                        {"mentions", "Line mentions", "integer", "mentions"}};
    std::vector<std::string> year_series;
    for (const auto& line : lines_) {
      year_columns.push_back({line, Code(line), "percent"});
      year_series.push_back(line);
    }
    auto yearly = result.AddTable("lines_by_year",
                                  "Share of line mentions per start year (year not stated: " +
                                      std::to_string(total_no_year) + " mentions, not shown)",
                                  year_columns);
    for (int year : years) {
      Json row = {year, year_tasks.count(year) ? year_tasks.at(year) : 0, year_total.at(year)};
      for (const auto& line : lines_)
        row.push_back(Cell(Share(Get(by_year.at(year), line), year_total.at(year))));
      yearly.AddRow(std::move(row));
    }
    yearly.Chart("line", "year", year_series);

    auto trend_table =
        result.AddTable("line_trends", "Trend of each line's yearly share (least-squares slope)",
                        {{"line", "Line"},
                         {"label", "Name"},
                         {"years", "Years", "integer", "years"},
                         {"mentions", "Mentions in these years", "integer", "mentions"},
                         {"first_year", "First year", "integer"},
                         {"last_year", "Last year", "integer"},
                         {"first_share", "Share in first year", "percent"},
                         {"last_share", "Share in last year", "percent"},
                         {"slope", "Slope", "number", "share per year"},
                         {"trend", "Trend"}});
    for (const auto& trend : trends) {
      const bool any = !trend.points.empty();
      trend_table.AddRow({trend.line, Label(trend.line),
                          static_cast<std::int64_t>(trend.points.size()), trend.mentions,
                          any ? Json(trend.points.front().first) : Json(nullptr),
                          any ? Json(trend.points.back().first) : Json(nullptr),
                          any ? Json(trend.points.front().second) : Json(nullptr),
                          any ? Json(trend.points.back().second) : Json(nullptr), Cell(trend.slope),
                          trend.direction});
    }
    trend_table.Chart("bar", "line", {"slope"});

    std::vector<Axis> rows, columns;
    for (const auto& line : lines_) rows.push_back({line, Label(line)});
    for (int year : years) columns.push_back({std::to_string(year), std::to_string(year)});
    std::vector<std::vector<double>> values;
    for (const auto& line : lines_) {
      std::vector<double> row;
      for (int year : years) row.push_back(static_cast<double>(Get(by_year.at(year), line)));
      values.push_back(std::move(row));
    }
    result.AddMatrix("mentions_by_year", "Line mentions per start year", rows, columns, values,
                     "mentions", "heatmap",
                     {{"row_dimension", "leadership_line"}, {"column_dimension", "year"}});

    // Findings.
    static_assert(kDominantShare == 0.5);  // so that 2 * part > whole is the exact test
    std::int64_t network_relation_process = 0;
    for (const char* line : kNetworkRelationProcess) network_relation_process += Get(all, line);
    if (total > 0 && 2 * dominant > total && 2 * network_relation_process <= total) {
      std::string parts;
      for (const char* line : kDominantLines)
        parts +=
            (parts.empty() ? "" : ", ") + Code(line) + " " + Percent(Share(Get(all, line), total));
      std::string others;
      for (const auto& line : lines_)
        if (std::find(kDominantLines.begin(), kDominantLines.end(), line) == kDominantLines.end())
          others += (others.empty() ? "" : ", ") + Code(line);
      result.AddFinding(
          Severity::kNotice, "line_mix.dominant_lines",
          "Most of the BMI is led from the customer, network and value viewpoints (" + Codes() +
              "), the lines the paper found SMEs choose most and read as a traditional, "
              "rather conservative approach to BMI. The other lines" +
              (others.empty() ? std::string() : " (" + others + ")") + " lead only " +
              Percent(Share(total - dominant, total)) + " of it.",
          {parts + ": together " + std::to_string(dominant) + " of " + std::to_string(total) +
           " line mentions (" + Percent(Share(dominant, total)) + "; threshold: more than " +
           Percent(kDominantShare) + ")"},
          "Lindgren 2012, Fig. 4 and sec. 3.1.2");
    }
    for (const auto& trend : trends) {
      if (trend.direction != "rising" && trend.direction != "falling") continue;
      const bool rising = trend.direction == "rising";
      std::string series;
      for (const auto& [year, share] : trend.points)
        series += (series.empty() ? "" : ", ") + std::to_string(year) + " " + Percent(share);
      const std::string span = std::to_string(trend.points.front().first) + "-" +
                               std::to_string(trend.points.back().first);
      result.AddFinding(
          Severity::kInfo, rising ? "line_mix.rising_line" : "line_mix.falling_line",
          Label(trend.line) + " is " + (rising ? "rising" : "falling") + ": its share of the BMI " +
              (rising ? "grew" : "fell") + " by about " +
              Points(std::fabs(*trend.slope)).substr(1) + " share points a year over " + span + ".",
          {"share of line mentions per year: " + series,
           "least-squares slope " + Points(*trend.slope) + " share points per year over " +
               std::to_string(trend.points.size()) + " years, from " +
               std::to_string(trend.mentions) + " mentions of the line (threshold: at least " +
               Points(kTrendSlope).substr(1) + " a year, over at least " +
               std::to_string(kTrendMinYears) + " years, from at least " +
               std::to_string(kTrendMinMentions) + " mentions)"},
          "Lindgren 2012, Figs. 4 and 5, sec. 3.1.2 (the trend towards network leadership "
          "over 2009-2012)");
    }

    Json doc = result.Take();
    for (auto& m : doc["metrics"])
      if (std::find(null_metrics.begin(), null_metrics.end(), m["id"].get<std::string>()) !=
          null_metrics.end())
        m["value"] = nullptr;
    return doc;
  }

  nlohmann::json Save() const override {
    TaskCounts tasks_by_key;
    MentionCounts mentions_by_key;
    Named(tasks_by_key, mentions_by_key);
    nlohmann::json tasks = nlohmann::json::array(), mentions = nlohmann::json::array();
    for (const auto& [key, n] : tasks_by_key) tasks.push_back({key.first, key.second, n});
    for (const auto& [key, n] : mentions_by_key)
      mentions.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), n});
    return {{"format", "line_mix/1"},
            {"cases", cases_},
            {"lines", lines_},
            {"tasks", tasks},
            {"mentions", mentions}};
  }

  void Load(const nlohmann::json& state) override {
    if (!state.is_object() || state.value("format", "") != "line_mix/1")
      throw bmil::sdk::Error(BMIL_ERROR_INVALID_STATE, "not a line_mix/1 state");
    LineMixAnalyzer loaded;
    loaded.labels_ = labels_;  // configuration, not state
    try {
      loaded.cases_ = state.at("cases").get<std::int64_t>();
      loaded.lines_ = state.at("lines").get<std::vector<std::string>>();
      for (const auto& t : state.at("tasks"))
        loaded.tasks_[{t.at(0).get<std::string>(), t.at(1).get<int>()}] +=
            t.at(2).get<std::int64_t>();
      for (const auto& m : state.at("mentions"))
        loaded.mentions_[{m.at(0).get<std::string>(), m.at(1).get<int>(),
                          m.at(2).get<std::string>()}] += m.at(3).get<std::int64_t>();
    } catch (const nlohmann::json::exception& e) {
      throw bmil::sdk::Error(BMIL_ERROR_INVALID_STATE,
                             std::string("malformed line_mix/1 state: ") + e.what());
    }
    *this = std::move(loaded);
  }

 private:
  // The paper's code of a line ("NIL"), or its id when no line plugin describes it.
  std::string Code(const std::string& line) const {
    auto it = labels_.find(line);
    return it == labels_.end() || it->second.code.empty() ? line : it->second.code;
  }
  // "Network innovation leadership (NIL)", or the id.
  std::string Label(const std::string& line) const {
    auto it = labels_.find(line);
    if (it == labels_.end() || it->second.name.empty()) return line;
    return it->second.name + (it->second.code.empty() ? "" : " (" + it->second.code + ")");
  }
  std::string Codes() const {
    std::string out;
    for (const char* line : kDominantLines) out += (out.empty() ? "" : ", ") + Code(line);
    return out;
  }

  std::string SummaryText(std::int64_t total, std::int64_t tasks,
                          const std::vector<std::pair<std::string, std::int64_t>>& ranked,
                          const std::vector<int>& years, const std::vector<Trend>& trends,
                          std::int64_t no_year) const {
    if (total == 0) return "No BMI tasks, so no leadership-line mix to show.";
    std::string text = std::to_string(total) + " line mentions by " + std::to_string(tasks) +
                       " BMI tasks of " + std::to_string(cases_) + " business(es). Most used: ";
    for (std::size_t i = 0; i < 3 && i < ranked.size() && ranked[i].second > 0; ++i)
      text +=
          (i ? ", " : "") + Code(ranked[i].first) + " " + Percent(Share(ranked[i].second, total));
    text += ".";
    if (!years.empty()) {
      text += " Years " + std::to_string(years.front()) + "-" + std::to_string(years.back());
      std::string moving;
      for (const auto& t : trends)
        if (t.direction == "rising" || t.direction == "falling")
          moving += (moving.empty() ? "" : ", ") + Code(t.line) + " " + t.direction + " (" +
                    Points(*t.slope) + " points/year)";
      text += moving.empty() ? ": no line rising or falling by " + Points(kTrendSlope).substr(1) +
                                   " points a year or more."
                             : ": " + moving + ".";
    }
    if (no_year > 0) text += " " + std::to_string(no_year) + " mentions have no year.";
    return text;
  }

  // The counts of Add() of one start year (kNoYear: not stated), dense: tasks by state
  // (kStates), mentions by position in lines_ and state.
  struct YearCounts {
    int year = kNoYear;
    std::array<std::int64_t, 4> tasks{};
    std::vector<std::array<std::int64_t, 4>> mentions;  // lines_.size() entries
  };

  // The counts of `year`, added when new; its mentions cover every line of lines_.
  YearCounts& Year(int year) {
    YearCounts* counts = nullptr;
    for (auto& y : years_) {
      if (y.year == year) {
        counts = &y;
        break;
      }
    }
    if (counts == nullptr) {
      years_.push_back({year, {}, {}});
      counts = &years_.back();
    }
    if (counts->mentions.size() < lines_.size()) counts->mentions.resize(lines_.size());
    return *counts;
  }

  // All the counts, as the saved state names them: those of Load() and MergeFrom() kept by
  // name, plus the dense counts of Add(). A key appears when it has a count (or came with a
  // loaded state), as if every Add() had counted by name.
  void Named(TaskCounts& tasks, MentionCounts& mentions) const {
    tasks = tasks_;
    mentions = mentions_;
    for (const YearCounts& y : years_) {
      for (std::size_t s = 0; s < kStates.size(); ++s) {
        if (y.tasks[s] != 0) tasks[{kStates[s], y.year}] += y.tasks[s];
        for (std::size_t l = 0; l < y.mentions.size(); ++l)
          if (y.mentions[l][s] != 0) mentions[{kStates[s], y.year, lines_[l]}] += y.mentions[l][s];
      }
    }
  }

  // kStates[StateIndex(m)]: the state bucket of business model `m`; a retired model has
  // its own, whatever its state (issue 17: retired models are not AS IS innovation).
  static std::size_t StateIndex(const bmil_business_model_view& m) {
    if (m.stage == BMIL_STAGE_RETIRED) return 3;
    return m.state == BMIL_STATE_AS_IS ? 0 : m.state == BMIL_STATE_TO_BE ? 1 : 2;
  }
  static constexpr std::size_t kNoLimit = std::numeric_limits<std::size_t>::max();
  static constexpr std::array<const char*, 4> kStates = {kAsIs, kToBe, kNotStated, kRetired};

  std::map<std::string, LineLabel> labels_;  // from the configuration
  std::int64_t cases_ = 0;
  std::vector<std::string> lines_;   // registered lines, in first-seen order
  std::vector<YearCounts> years_;    // the counts of Add(), years in first-seen order
  bmil::sdk::IdPositions line_pos_;  // the view's line indices -> positions in lines_
  // Counts by name: those of a loaded state (which may name any state or line) and of lines
  // past the view's own.
  TaskCounts tasks_;        // (state, year) -> tasks
  MentionCounts mentions_;  // (state, start year or 0, line) -> mentions
};

}  // namespace

BMIL_PLUGIN(LineMixAnalyzer)
