// "Did you mean" suggestions for misspelt ids and keys.
#ifndef BMIL_CORE_IO_DID_YOU_MEAN_HPP_
#define BMIL_CORE_IO_DID_YOU_MEAN_HPP_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace bmil {

// Levenshtein distance between a and b (insert, delete, substitute: cost 1 each).
std::size_t EditDistance(std::string_view a, std::string_view b);

// The candidate closest to `word` when its distance is at most max(2, word.size() / 3);
// ties go to the earlier candidate; "" when none is close enough.
std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates);

// " (did you mean "x"?)" for ClosestMatch, or "" when there is no suggestion.
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace bmil

#endif  // BMIL_CORE_IO_DID_YOU_MEAN_HPP_
