// The coding manual (`bmil codebook`, docs/agreement.md "The codebook"): what coders need to
// turn a source (a paper, an interview, a report) into case files that agree, generated from
// what is loaded: the case format's coded fields with a decision rule for every value, the
// building blocks, and each line plugin's definition and guiding questions. A new line
// plugin adds its section; nothing here is hand-kept per line. Pure functions.
#ifndef BMIL_CORE_RESEARCH_CODEBOOK_HPP_
#define BMIL_CORE_RESEARCH_CODEBOOK_HPP_

#include <bmil/registry.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace bmil::research {

// `line_descriptors`: {"lines": [describe() of every loaded line plugin]} as AnalyzerConfig
// gives it; a descriptor without a definition or questions is shown with what it has.
// `version` is printed in the heading (which bmil wrote it), nothing time-dependent is, so
// the same plugins give the same bytes.
std::string CodebookMarkdown(const Registry& registry, const nlohmann::json& line_descriptors,
                             const std::string& version);
// The same content as one self-contained HTML page (no script, no external resource),
// printable on A4.
std::string CodebookHtml(const Registry& registry, const nlohmann::json& line_descriptors,
                         const std::string& version);

}  // namespace bmil::research

#endif  // BMIL_CORE_RESEARCH_CODEBOOK_HPP_
