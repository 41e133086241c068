// The sealed .bmilpart format (docs/scaling.md, "The .bmilpart format"): a checksum over
// every byte of the part, and the identity of the input a part was computed from, so that
// `bmil merge` refuses a corrupted part, an edited one, and the same input counted twice.
#ifndef BMIL_CORE_BATCH_PART_FORMAT_HPP_
#define BMIL_CORE_BATCH_PART_FORMAT_HPP_

#include <bmil/result.hpp>

#include "io/digest.hpp"  // StreamDigest, DigestHex: the part checksum and input identities

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace bmil {

// The format version written by this bmil.
inline constexpr int kPartFormatVersion = 2;
// The largest part `bmil merge` reads, and the deepest nesting in it. A part is the state of
// the analyzers (capped listings, counts), a few MB for 100,000 businesses; past these
// limits it is refused unread, so a hostile part cannot take the memory of the machine.
inline constexpr std::size_t kMaxPartBytes = std::size_t{256} << 20;
inline constexpr std::size_t kMaxPartDepth = 64;

// One input a part's records came from: its name, the bytes read and their XXH3-128 (empty
// when the input was not read, e.g. a document over the record limit).
struct PartInput {
  std::string source;
  std::uint64_t bytes = 0;
  std::string digest;
};

// `body` is one JSON object's text ("{...}", no trailing newline). Returns it with a last
// member "checksum": "xxh3-128:<hex of body>" and a newline: the text of a part file.
std::string SealPart(std::string_view body);

// Checks the checksum of a part file's text (trailing whitespace allowed) and returns the
// body it seals (the text with the checksum member removed, as SealPart hashed it). Fails,
// saying why, when the text is not sealed or the checksum does not match: the part was
// changed (edited, truncated, corrupted) after bmil wrote it.
Result<std::string> UnsealPart(std::string_view text);

}  // namespace bmil

#endif  // BMIL_CORE_BATCH_PART_FORMAT_HPP_
