// The per-business metrics table (docs/scaling.md, "One row per business"): every analyzer
// run on each business alone, its metrics written as one CSV row per business and one
// column per analyzer metric, numbers as numbers. Rows are spooled to a temporary file as
// they come, so memory holds the column names and one row, whatever the number of cases.
#ifndef BMIL_CORE_ENGINE_BUSINESS_METRICS_HPP_
#define BMIL_CORE_ENGINE_BUSINESS_METRICS_HPP_

#include <bmil/model.hpp>
#include <bmil/plugin_host.hpp>
#include <bmil/registry.hpp>

#include <cstddef>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bmil {

class BusinessMetrics {
 public:
  // One instance of every analyzer loaded in `host` (which must outlive this object), its
  // state when new saved, to be put back before each business. A failing create or save
  // leaves that analyzer out (see failures()).
  BusinessMetrics(const PluginHost& host, const Registry& registry);
  // No analyzers: rows come only from parts (AppendPart), for `bmil merge --metrics`.
  BusinessMetrics();
  ~BusinessMetrics();
  BusinessMetrics(const BusinessMetrics&) = delete;
  BusinessMetrics& operator=(const BusinessMetrics&) = delete;

  // Runs every analyzer on `c` alone (load the new state, add, finish) and spools its
  // metrics as the business's row. Only on an object made with the host and registry. An analyzer
  // that fails on it leaves its cells empty; the failure is recorded (the first
  // kMaxFailuresPerAnalyzer per analyzer, the rest counted in one more).
  void Add(const Case& c);

  static constexpr std::size_t kMaxFailuresPerAnalyzer = 5;
  std::vector<CallError> failures() const;
  std::size_t businesses() const { return businesses_; }
  // Whether every write to the spool succeeded.
  bool ok() const { return ok_; }

  // The CSV: "business", then "<analyzer>.<metric>" for every metric some business had, in
  // the order first seen; a row per business in the order added; a metric the analyzer
  // gave as null or did not give for that business is an empty cell. `write` gets chunks;
  // returns false when it or reading the spool fails.
  bool WriteCsv(const std::function<bool(std::string_view)>& write) const;

  // The rows as the "business_metrics" member of a .bmilpart (docs/scaling.md):
  // {"columns": [names], "rows": [[business, [column, value, column, value, ...]], ...]},
  // minified; "" when the spool cannot be read.
  std::string PartJson() const;

  // Appends the rows of a part's "business_metrics" member (text as PartJson writes it),
  // its columns joined to these by name. Checks everything first: returns what is wrong,
  // with a JSON pointer from the member ("/rows/3/1/2: column 9 of 4"), and appends
  // nothing then; "" when appended.
  std::string AppendPart(std::string_view json);

 private:
  struct Analyzer;
  std::size_t Column(const std::string& name);
  // Appends a row to the spool (counted in businesses()).
  void Spool(const std::string& id, const std::vector<std::pair<std::uint32_t, double>>& cells);
  // Reads the spooled rows in order, each given to `row` (which returns false to stop);
  // false when reading fails or `row` stopped. Leaves the spool ready for more rows.
  bool ForEachRow(
      const std::function<bool(const std::string&,
                               const std::vector<std::pair<std::uint32_t, double>>&)>& row) const;

  const Registry* registry_ = nullptr;
  std::vector<std::unique_ptr<Analyzer>> analyzers_;
  std::vector<CallError> setup_failures_;
  std::vector<std::string> columns_;
  std::map<std::string, std::size_t> column_index_;
  std::FILE* spool_ = nullptr;
  std::size_t businesses_ = 0;
  bool ok_ = true;
};

}  // namespace bmil

#endif  // BMIL_CORE_ENGINE_BUSINESS_METRICS_HPP_
