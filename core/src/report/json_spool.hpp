// The line plugins' assessments and proposals of a streamed analysis, kept on disk instead
// of in memory, and written into the JSON report where it needs them: `bmil analyze
// --format json` over many cases holds one case at a time, whatever their number
// (docs/scaling.md, "analyze and report on many cases").
#ifndef BMIL_CORE_REPORT_JSON_SPOOL_HPP_
#define BMIL_CORE_REPORT_JSON_SPOOL_HPP_

#include <bmil/analysis.hpp>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace bmil {

// A LineResultSink that appends each result, as indented JSON text, to an anonymous
// temporary file (tmpfile(3): removed when closed, also when the process dies). One spool
// serves one AnalysisRun; `tag` tells spools apart in one document (a group's index).
class JsonSpool : public LineResultSink {
 public:
  explicit JsonSpool(std::size_t tag = 0);
  ~JsonSpool() override;
  JsonSpool(const JsonSpool&) = delete;
  JsonSpool& operator=(const JsonSpool&) = delete;

  void OnAssessment(std::size_t line, const nlohmann::json& assessment) override;
  void OnProposal(std::size_t line, const nlohmann::json& proposal) override;

  // Whether every write to the temporary files succeeded (a full disk says no).
  bool ok() const { return ok_; }

  // Puts a placeholder string where `report`'s lines[i] would hold "assessments" and
  // "proposals" (report.ToJson() holds empty arrays there in a streamed run).
  void MarkPlaceholders(nlohmann::ordered_json& report_json) const;

  // Writes `dumped` (a document dumped with indent 2 that holds this spool's placeholders)
  // to `write`, each placeholder replaced by its array, indented to its place, so that the
  // result is byte for byte what dump(2) of the full document would give. Text around the
  // placeholders is passed through. Returns false when reading the spool failed.
  bool Expand(std::string_view dumped, const std::function<bool(std::string_view)>& write) const;

 private:
  struct File;
  File& FileFor(std::size_t line, bool proposals);
  void Append(std::size_t line, bool proposals, const nlohmann::json& value);
  std::string Placeholder(std::size_t line, bool proposals) const;

  friend bool ExpandSpools(std::string_view, const std::vector<const JsonSpool*>&,
                           const std::function<bool(std::string_view)>&);

  std::size_t tag_;
  bool ok_ = true;
  std::vector<std::unique_ptr<File>> files_;  // [line * 2 + proposals]
};

// Expand() over several spools in one document (analyze --by: one spool per group).
bool ExpandSpools(std::string_view dumped, const std::vector<const JsonSpool*>& spools,
                  const std::function<bool(std::string_view)>& write);

}  // namespace bmil

#endif  // BMIL_CORE_REPORT_JSON_SPOOL_HPP_
