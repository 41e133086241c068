// segment_concentration — a company-specific analyzer: how concentrated is a business's
// revenue on few customer segments? It reads data the case format does not know, from the
// free `attributes` of the business and of its business models:
//
//   "attributes": {"revenue_by_segment": {"public": 600000, "industry": 160000, ...}}
//
// and computes the Herfindahl-Hirschman index of the segment shares,
//   HHI = 10 000 * sum_i (revenue_i / total)^2,
// from 10 000 / n (n equal segments) to 10 000 (one segment). A business with no stated
// business-level figures but with figures on its business models is measured on the sum of
// its models' figures. An HHI above kHighConcentration gives a warning finding.
//
// Cross-case: the mean HHI of the businesses with figures and how many are concentrated.
// HHIs are currency-free, so businesses with different currencies can be compared.
#include <bmil/sdk/plugin.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// Above this HHI revenue counts as concentrated: the "highly concentrated" band of the
// U.S. DOJ/FTC Horizontal Merger Guidelines (2010, section 5.3), borrowed here for the
// customer segments of one business. Note that three or fewer segments are always above it
// (n equal segments give 10 000 / n).
constexpr double kHighConcentration = 2500;
constexpr const char* kSource =
    "Herfindahl-Hirschman index; threshold 2500 from the U.S. DOJ/FTC Horizontal Merger "
    "Guidelines (2010), section 5.3, applied to customer segments";
constexpr const char* kKey = "revenue_by_segment";

using Segments = std::map<std::string, double>;  // segment -> revenue

// One measured business or business model.
struct Row {
  std::string business;
  std::string scope;  // "business" or the business model's id
  std::string basis;  // "stated" or "sum of business models"
  int segments = 0;
  double revenue = 0;
  std::string largest_segment;
  double largest_share = 0;
  double hhi = 0;

  bool is_business() const { return scope == "business"; }
  // Businesses in id order, each business's own row before its models'.
  bool operator<(const Row& other) const {
    return std::make_tuple(business, !is_business(), scope) <
           std::make_tuple(other.business, !other.is_business(), other.scope);
  }
};

void to_json(json& j, const Row& r) {
  j = {{"business", r.business},
       {"scope", r.scope},
       {"basis", r.basis},
       {"segments", r.segments},
       {"revenue", r.revenue},
       {"largest_segment", r.largest_segment},
       {"largest_share", r.largest_share},
       {"hhi", r.hhi}};
}

void from_json(const json& j, Row& r) {
  j.at("business").get_to(r.business);
  j.at("scope").get_to(r.scope);
  j.at("basis").get_to(r.basis);
  j.at("segments").get_to(r.segments);
  j.at("revenue").get_to(r.revenue);
  j.at("largest_segment").get_to(r.largest_segment);
  j.at("largest_share").get_to(r.largest_share);
  j.at("hhi").get_to(r.hhi);
}

// The revenue per segment stated in `attributes_json` (a JSON object), or nullopt when it
// states none. A malformed statement is described in `problems` and also gives nullopt.
std::optional<Segments> ReadSegments(std::string_view attributes_json, const std::string& where,
                                     std::vector<std::string>& problems) {
  const json attributes = json::parse(attributes_json, nullptr, /*allow_exceptions=*/false);
  if (!attributes.is_object() || !attributes.contains(kKey)) return std::nullopt;
  const json& stated = attributes.at(kKey);
  if (!stated.is_object()) {
    problems.push_back(where + ": attributes." + kKey + " is not an object");
    return std::nullopt;
  }
  Segments segments;
  double total = 0;
  for (const auto& [segment, revenue] : stated.items()) {
    if (!revenue.is_number() || revenue.get<double>() < 0) {
      problems.push_back(where + ": attributes." + kKey + "." + segment +
                         " is not a revenue (a number >= 0)");
      return std::nullopt;
    }
    segments[segment] = revenue.get<double>();
    total += revenue.get<double>();
  }
  if (total <= 0) {
    problems.push_back(where + ": attributes." + kKey + " sums to 0");
    return std::nullopt;
  }
  return segments;
}

Row Measure(std::string business, std::string scope, std::string basis, const Segments& segments) {
  Row row;
  row.business = std::move(business);
  row.scope = std::move(scope);
  row.basis = std::move(basis);
  double sum_of_squares = 0;
  for (const auto& [segment, revenue] : segments) {
    row.revenue += revenue;
    sum_of_squares += revenue * revenue;
    // std::map walks segments in name order, so a tie goes to the first name.
    if (row.largest_segment.empty() || revenue > segments.at(row.largest_segment)) {
      row.largest_segment = segment;
    }
  }
  row.segments = static_cast<int>(segments.size());
  row.largest_share = segments.at(row.largest_segment) / row.revenue;
  // 10 000 * sum / total^2 in this order keeps integral figures exact.
  row.hhi = std::round(10000 * sum_of_squares / (row.revenue * row.revenue) * 10) / 10;
  return row;
}

std::string Format(double value) {
  const double rounded = std::round(value * 10) / 10;
  std::string text = std::to_string(rounded);
  text.erase(text.find_last_not_of('0') + 1);
  if (text.back() == '.') text.pop_back();
  return text;
}

std::string Percent(double share) { return Format(share * 100) + "%"; }

class SegmentConcentration final : public bmil::sdk::MergeableAnalyzer<SegmentConcentration> {
 public:
  ordered_json Describe() const override {
    return {{"id", "segment_concentration"},
            {"name", "Revenue concentration per customer segment"},
            {"description",
             "Herfindahl-Hirschman index of attributes.revenue_by_segment, per business and "
             "business model; a warning above 2500."}};
  }

  void Add(const bmil::sdk::CaseView& view) override {
    ++businesses_;
    const std::string business(view.id());
    std::vector<Row> model_rows;
    Segments sum_of_models;
    for (std::uint32_t i = 0; i < view.business_model_count(); ++i) {
      const bmil::sdk::BusinessModelView bm = view.business_model(i);
      const std::string where = business + "/" + std::string(bm.id());
      if (auto segments = ReadSegments(bm.attributes_json(), where, problems_)) {
        model_rows.push_back(Measure(business, std::string(bm.id()), "stated", *segments));
        for (const auto& [segment, revenue] : *segments) sum_of_models[segment] += revenue;
      }
    }
    if (auto segments = ReadSegments(view.attributes_json(), business, problems_)) {
      rows_.push_back(Measure(business, "business", "stated", *segments));
    } else if (!sum_of_models.empty()) {
      rows_.push_back(Measure(business, "business", "sum of business models", sum_of_models));
    }
    rows_.insert(rows_.end(), model_rows.begin(), model_rows.end());
  }

  void MergeFrom(const SegmentConcentration& other) {
    businesses_ += other.businesses_;
    rows_.insert(rows_.end(), other.rows_.begin(), other.rows_.end());
    problems_.insert(problems_.end(), other.problems_.begin(), other.problems_.end());
  }

  ordered_json Finish() const override {
    // Sorted, so that the result does not depend on the order cases were added or merged.
    std::vector<Row> rows = rows_;
    std::sort(rows.begin(), rows.end());
    std::vector<std::string> problems = problems_;
    std::sort(problems.begin(), problems.end());

    long measured = 0;
    long concentrated = 0;
    double hhi_sum = 0;
    for (const Row& r : rows) {
      if (!r.is_business()) continue;
      ++measured;
      hhi_sum += r.hhi;
      if (r.hhi > kHighConcentration) ++concentrated;
    }
    const double mean_hhi = measured == 0 ? 0 : std::round(hhi_sum / measured * 10) / 10;

    bmil::sdk::ResultBuilder result("segment_concentration",
                                    "Revenue concentration per customer segment");
    result.Summary(std::to_string(measured) + " of " + std::to_string(businesses_) +
                   " business(es) state revenue per customer segment; mean HHI " +
                   Format(mean_hhi) + " (0-10000); " + std::to_string(concentrated) + " above " +
                   Format(kHighConcentration) + ".");
    result.AddMetric("businesses", "Businesses", static_cast<double>(businesses_));
    result.AddMetric("businesses_with_segments", "Businesses with revenue per segment",
                     static_cast<double>(measured));
    result.AddMetric("mean_hhi", "Mean HHI of the businesses", mean_hhi, "HHI");
    result.AddMetric("concentrated_businesses",
                     "Businesses above HHI " + Format(kHighConcentration),
                     static_cast<double>(concentrated));

    auto table = result.AddTable("concentration", "Revenue concentration (HHI, 0-10000)",
                                 {{"business", "Business"},
                                  {"scope", "Business or business model"},
                                  {"basis", "Figures"},
                                  {"segments", "Segments", "integer"},
                                  {"revenue", "Revenue", "number"},
                                  {"largest_segment", "Largest segment"},
                                  {"largest_share", "Its share", "percent"},
                                  {"hhi", "HHI", "number", "HHI"}});
    for (const Row& r : rows) {
      table.AddRow({r.business, r.scope, r.basis, r.segments, r.revenue, r.largest_segment,
                    r.largest_share, r.hhi});
    }

    for (const Row& r : rows) {
      if (r.hhi <= kHighConcentration) continue;
      const std::string who = r.is_business() ? r.business : r.business + "/" + r.scope;
      result.AddFinding(
          bmil::sdk::Severity::kWarning, "segment_concentration.concentrated_revenue",
          who + ": revenue is concentrated on few customer segments (HHI " + Format(r.hhi) + " > " +
              Format(kHighConcentration) + "); the largest, " + r.largest_segment + ", brings " +
              Percent(r.largest_share) + ".",
          {"HHI " + Format(r.hhi) + " over " + std::to_string(r.segments) + " segment(s)",
           r.largest_segment + ": " + Percent(r.largest_share) + " of " + Format(r.revenue),
           "figures: " + r.basis},
          kSource);
    }
    if (!problems.empty()) {
      result.AddFinding(bmil::sdk::Severity::kNotice, "segment_concentration.unreadable_attributes",
                        std::to_string(problems.size()) + " revenue_by_segment statement(s) " +
                            "could not be read and were left out.",
                        problems, "bmil example plugin segment_concentration");
    }
    return result.Take();
  }

  json Save() const override {
    return {{"businesses", businesses_}, {"rows", rows_}, {"problems", problems_}};
  }

  void Load(const json& state) override {
    if (!state.is_object() || !state.contains("businesses") || !state.contains("rows") ||
        !state.contains("problems")) {
      throw bmil::sdk::Error(BMIL_ERROR_INVALID_STATE, "not a segment_concentration state");
    }
    businesses_ = state.at("businesses").get<long>();
    rows_ = state.at("rows").get<std::vector<Row>>();
    problems_ = state.at("problems").get<std::vector<std::string>>();
  }

 private:
  long businesses_ = 0;                // cases added
  std::vector<Row> rows_;              // in the order measured; Finish() sorts
  std::vector<std::string> problems_;  // unreadable statements, with where they are
};

}  // namespace

BMIL_PLUGIN(SegmentConcentration)
