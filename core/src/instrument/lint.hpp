// `bmil instrument lint` (docs/instruments.md, "Lint"): what makes an instrument that reads
// (ReadInstrument refuses duplicates and conditions that look forward or at nothing) still a
// poor one: scales and choice lists no item uses, Likert and number items no construct
// scores, constructs whose Likert items use scales of different lengths, multiple-choice
// limits no answer can meet, and conditions no answer can satisfy.
#ifndef BMIL_CORE_INSTRUMENT_LINT_HPP_
#define BMIL_CORE_INSTRUMENT_LINT_HPP_

#include "instrument/instrument.hpp"

#include <bmil/case_io.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace bmil::instrument {

// The warnings for `instrument`, read from `text` (named `file`): each located at the JSON
// value it is about (file:line:column and pointer), in document order of the checks. Pure.
std::vector<Diagnostic> LintInstrument(const Instrument& instrument, std::string_view text,
                                       const std::string& file);

}  // namespace bmil::instrument

#endif  // BMIL_CORE_INSTRUMENT_LINT_HPP_
