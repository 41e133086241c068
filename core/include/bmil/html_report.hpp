// The analysis as one self-contained HTML page to read on screen or print on A4: the
// business and its business models, the BMIL canvas as a heatmap with the models placed
// on it, block focus and line mix for AS IS and TO BE models (Lindgren 2012, Figs. 2-6),
// the vertical and horizontal maps, the findings, and every analyzer's metrics, tables,
// matrices and charts. Generic over the result model: a new plugin's results appear with
// no change here.
#ifndef BMIL_HTML_REPORT_HPP_
#define BMIL_HTML_REPORT_HPP_

#include <bmil/analysis.hpp>
#include <bmil/model.hpp>
#include <bmil/registry.hpp>
#include <bmil/report_cases.hpp>

#include <span>
#include <string>

namespace bmil {

// Renders `report` (the result of Analyze over `cases`, in the same order) as an HTML5
// document (UTF-8). `registry` labels lines (by code and name) and blocks (by name).
//
// What it holds, each a <section> with a fixed id:
//  - "business" (one case: its facts, strategy, portfolios and business models with state,
//    stage, industries and value formula) or "businesses" (several: one line each);
//  - "canvas": the canvas analyzer's matrices "canvas", "canvas.as_is", "canvas.to_be" as
//    heatmaps; every cell is an SVG <g class="cell"> with data-row (line id), data-column
//    (block id) and data-value (the matrix value), and chips naming the business models
//    (one case) or businesses (up to 12) with tasks in that cell;
//  - "figures": block focus and line mix, AS IS and TO BE side by side (Figs. 3-5);
//  - "vertical" and "horizontal": models by industry from the cases, and the vertical and
//    horizontal analyzers' charts;
//  - "findings": every finding grouped by severity (warning, notice, info), with its
//    evidence and source;
//  - "analyzers": per analyzer ("analyzer-<id>") its summary, metrics, every table as an
//    HTML table (drawn first as a chart when its hint is bar, stacked_bar or line; any
//    other hint gives the table alone), every matrix (a heatmap when its chart is
//    "heatmap" or not stated, else a table);
//  - "failures": the plugin calls that failed, or that none did.
// A section whose analyzer is missing or failed says so. A malformed part of a result (a
// row with the wrong number of cells, a non-numeric matrix value, ...) is reported in its
// place and the rest is rendered.
//
// Self-contained: the CSS is inline, figures are inline SVG, there are no scripts, no
// links out of the page and no URLs, so opening the file makes no network request; a
// Content-Security-Policy forbids any. Every string from a case or a plugin is
// HTML-escaped. Print CSS starts each section on a new A4 page and fits figures to it.
// Deterministic (no dates): the same input gives the same bytes. Pure function;
// thread-compatible.
std::string RenderHtml(const AnalysisReport& report, const Registry& registry,
                       std::span<const Case> cases);

// The same for a report over cases that streamed (bmil report): the sections that describe
// businesses show the cases `cases` kept (with a note when they are the first of more), and
// the figures count all of them (its totals).
std::string RenderHtml(const AnalysisReport& report, const Registry& registry,
                       const ReportCases& cases);

}  // namespace bmil

#endif  // BMIL_HTML_REPORT_HPP_
