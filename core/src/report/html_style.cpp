#include "report/html_style.hpp"

#ifndef BMIL_VERSION
#define BMIL_VERSION "0.0.0"
#endif

namespace bmil {

std::string_view HtmlReportStyle() {
  // Severity colours are Okabe-Ito (vermillion, orange, blue), and every severity is also
  // written out in words, so colour is never the only cue.
  static constexpr std::string_view kStyle = R"css(
:root { color-scheme: light; --ink: #1a1a1a; --muted: #545454; --rule: #d0d7de;
  --panel: #f3f5f7; --accent: #0072B2; --warning: #D55E00; --notice: #B07400; --info: #0072B2; }
* { box-sizing: border-box; }
html { font-family: "DejaVu Sans", "Helvetica Neue", Helvetica, Arial, sans-serif; font-size: 15px;
  line-height: 1.45; color: var(--ink); background: #ffffff; }
body { margin: 0 auto; max-width: 1100px; padding: 24px 28px 48px; }
header.report-head { border-bottom: 3px solid var(--accent); padding-bottom: 12px; }
h1 { font-size: 1.9rem; margin: 0 0 .3rem; }
h2 { font-size: 1.45rem; margin: 2.6rem 0 .8rem; padding-bottom: .2rem; border-bottom: 2px solid var(--rule); }
h3 { font-size: 1.18rem; margin: 2rem 0 .5rem; }
h4 { font-size: 1rem; margin: 1.4rem 0 .4rem; }
p { margin: .4rem 0 .7rem; max-width: 80ch; }
a { color: #005a8c; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .86em;
  background: var(--panel); padding: 0 .25em; border-radius: 3px; }
.lede { color: var(--muted); font-size: 1.05rem; }
.muted, .note { color: var(--muted); }
.note { font-size: .9rem; }
.problem { color: #8a2c00; font-weight: 600; }
nav.contents { margin: 1rem 0 0; font-size: .95rem; }
nav.contents ol { columns: 2; column-gap: 2.5rem; margin: .3rem 0; padding-left: 1.4rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .6rem 0 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.table-wrap { overflow-x: auto; margin: .4rem 0 1.1rem; }
table.data { border-collapse: collapse; font-size: .86rem; }
table.data caption { caption-side: top; text-align: left; font-weight: 600; padding: .2rem 0 .35rem; }
table.data th, table.data td { border-bottom: 1px solid var(--rule); padding: .28rem .55rem;
  text-align: left; vertical-align: top; }
table.data thead th { background: var(--panel); border-bottom: 2px solid #8c959f; }
table.data th.num, table.data td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.data td.num { white-space: nowrap; }
table.data td.null { color: var(--muted); }
table.data tbody tr:nth-child(even) td { background: #fafbfc; }
th .unit, td .unit { display: block; font-weight: normal; color: var(--muted); font-size: .8em; }
table.data tr.group th { background: #e8eef4; font-weight: 600; padding-top: .45rem; }
table.models td:nth-child(2) { min-width: 18em; }
table.value-formula td:nth-child(3) { min-width: 14em; }
figure { margin: 1rem 0 1.4rem; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: .86rem; color: var(--muted); margin-top: .35rem; max-width: 90ch; }
figcaption strong { color: var(--ink); }
.figure-row { display: flex; flex-wrap: wrap; gap: 18px; align-items: flex-start; }
.figure-row > figure { flex: 1 1 460px; min-width: 0; margin-top: .4rem; }
.small-multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(440px, 1fr)); gap: 8px 18px; }
.small-multiples figure { margin: .4rem 0; }
.chip { display: inline-block; min-width: 1.5em; padding: 0 .3em; border: 1.5px solid #222222;
  border-radius: 3px; background: #222222; color: #ffffff; font-size: .78rem; line-height: 1.35;
  text-align: center; font-weight: 600; }
.chip.outlined { background: #ffffff; color: #222222; border-style: dashed; }
ol.marker-key { list-style: none; padding: 0; margin: .4rem 0 1rem; display: grid;
  grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: .3rem 1rem; font-size: .9rem; }
.state { display: inline-block; padding: 0 .45em; border-radius: 3px; font-size: .78rem; font-weight: 600;
  white-space: nowrap; border: 1px solid #222222; }
.state.as_is { background: #222222; color: #ffffff; }
.state.to_be { background: #ffffff; color: #222222; border-style: dashed; }
.status { white-space: nowrap; font-size: .85rem; }
.status::before { display: inline-block; width: 1.1em; font-weight: 700; }
.status.home::before { content: "●"; color: #0072B2; }
.status.succeeded::before { content: "▲"; color: #009E73; }
.status.failed::before { content: "✕"; color: #D55E00; }
.status.attempted::before { content: "◆"; color: #B07400; }
table.vertical-map td.cell-empty { color: #b0b0b0; }
.findings-summary { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; margin: .4rem 0 1rem; }
.finding { border-left: 6px solid var(--info); background: #f7f9fb; padding: .45rem .9rem .5rem;
  margin: .6rem 0; break-inside: avoid; }
.finding.warning { border-left-color: var(--warning); }
.finding.notice { border-left-color: var(--notice); }
.finding p { margin: .2rem 0; }
.finding .severity { font-weight: 700; text-transform: uppercase; font-size: .74rem; letter-spacing: .05em; }
.finding.warning .severity { color: #a33f00; }
.finding.notice .severity { color: #7a5000; }
.finding.info .severity { color: #005a8c; }
.finding ul.evidence { margin: .2rem 0 .2rem 1.2rem; padding: 0; font-size: .9rem; }
.finding .source, .finding .businesses { font-size: .84rem; color: var(--muted); }
#summary .headline { font-size: 1.15rem; font-weight: 600; }
ol.actions { padding-left: 1.4rem; }
ol.actions li.finding { margin: .5rem 0; }
section.analyzer { border-top: 1px solid var(--rule); margin-top: 2rem; }
section.analyzer > h3 code { font-size: .75em; font-weight: normal; }
.result-item { margin-top: 1rem; }
.see { font-size: .88rem; color: var(--muted); }
footer.report-foot { margin-top: 3rem; padding-top: .8rem; border-top: 2px solid var(--rule);
  font-size: .85rem; color: var(--muted); }
.print-only { display: none; }
@media print {
  @page { size: A4; margin: 14mm 12mm 16mm; }
  html { font-size: 9.5pt; }
  body { max-width: none; padding: 0; }
  .print-only { display: block; }
  .screen-only { display: none; }
  /* Sections follow each other; the summary has the first page to itself with the title
     (the manager's page), and the analyzers' appendix starts a page. No named (landscape)
     pages: Chromium paginates a document that has any much more loosely. */
  main > section#summary { break-after: page; }
  main > section#analyzers { break-before: page; }
  h2, h3, h4 { break-after: avoid; }
  figure, .finding, tr, dl.facts { break-inside: avoid; }
  figure svg { max-height: 235mm; }
  #figures figure.chart svg, #horizontal figure.chart svg { max-height: 80mm; width: auto; }
  /* The appendix prints each analyzer's tables (its charts draw the same numbers and are on
     screen), compactly. */
  section.analyzer { font-size: 8.5pt; }
  section.analyzer figure.chart { display: none; }
  section.analyzer figure.matrix svg { max-height: 70mm; width: auto; }
  section.analyzer table.data th, section.analyzer table.data td { padding: .1rem .3rem; }
  .table-wrap { overflow: visible; }
  table.data { font-size: 8.5pt; }
  /* Tables wider than portrait A4 at 8.5 pt get a smaller font; still wider ones print in
     parts of their columns (html_results.cpp), the first columns repeated in each. */
  .wide table.data { font-size: 7pt; }
  .wide table.data th, .wide table.data td { padding: .1rem .2rem; }
  table.models td:nth-child(2) { min-width: 12em; }
  table.data thead { display: table-header-group; }
  table.data thead th, table.data tbody tr:nth-child(even) td, .finding, code { background: none; }
  .figure-row > figure { flex-basis: 100%; }
  /* The AS IS and TO BE canvases side by side, as on screen. */
  #canvas .figure-row > figure { flex-basis: 48%; }
  .small-multiples { grid-template-columns: 1fr 1fr; }
  a { color: inherit; text-decoration: none; }
  svg, .chip, .state { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
)css";
  return kStyle;
}

std::string HtmlPageHead(std::string_view title_html, std::string_view extra_css) {
  std::string head =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      // No script, font, image or connection may load: the page stands alone.
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; img-src data:\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"generator\" content=\"bmil " BMIL_VERSION "\">\n<title>";
  head.append(title_html);
  head += "</title>\n<style>";
  head.append(HtmlReportStyle());
  head.append(extra_css);
  head += "</style>\n</head>\n<body>\n";
  return head;
}

}  // namespace bmil
