// Renderers of an analysis for files: Markdown (for a terminal or a repository) and CSV in
// tidy long form (analyzer, table, row, column, value) that R and pandas read as is. Both
// are generic over the result model, so a new plugin's results appear with no change here.
#ifndef BMIL_REPORT_RENDER_HPP_
#define BMIL_REPORT_RENDER_HPP_

#include <bmil/analysis.hpp>
#include <bmil/model.hpp>
#include <bmil/registry.hpp>
#include <bmil/report_cases.hpp>

#include <span>
#include <string>

namespace bmil {

// The analysis as Markdown: the businesses analyzed; with one case in `cases`, that
// business in detail (facts, strategy, each portfolio's business models with state, stage,
// industries and value formula), with several a table of one line per business; then for
// each analyzer its summary, metrics, tables and matrices (as Markdown tables), then every
// finding grouped by severity with its evidence and source, then plugin failures.
// `cases` are the analyzed cases in report order; empty leaves the business section out.
// Deterministic.
std::string RenderMarkdown(const AnalysisReport& report, const Registry& registry,
                           std::span<const Case> cases = {});

// The same for cases that streamed: the table of businesses lists those `cases` kept (with
// a line saying how many more there are).
std::string RenderMarkdown(const AnalysisReport& report, const Registry& registry,
                           const ReportCases& cases);

// The analysis as CSV (RFC 4180, header "analyzer,table,row,column,value"), one line per
// value: metrics (table "metrics", row = metric id, column "value"), each table (row = its
// 1-based row number, column = each column's id), each matrix (row and column ids),
// and findings (table "findings", row = its number, columns severity, code, message,
// evidence, source). Numbers are written in full precision; null as an empty field.
std::string RenderCsv(const AnalysisReport& report);

}  // namespace bmil

#endif  // BMIL_REPORT_RENDER_HPP_
