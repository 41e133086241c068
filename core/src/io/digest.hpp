// XXH3-128 digests as 32 lower-case hex digits: the checksums of .bmilpart files, the
// identities of their inputs, and of plugin files (the scan record, reproducers).
#ifndef BMIL_CORE_IO_DIGEST_HPP_
#define BMIL_CORE_IO_DIGEST_HPP_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace bmil {

// XXH3-128 of a byte stream, fed in pieces; Hex() is 32 lower-case hex digits.
class StreamDigest {
 public:
  StreamDigest();
  ~StreamDigest();
  StreamDigest(const StreamDigest&) = delete;
  StreamDigest& operator=(const StreamDigest&) = delete;
  void Update(const void* data, std::size_t size);
  std::string Hex() const;
  void Reset();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// XXH3-128 of `bytes` as 32 hex digits.
std::string DigestHex(std::string_view bytes);

// Whether `s` is a digest as DigestHex() and StreamDigest::Hex() write it: exactly 32
// lower-case hex digits (so that "AB.." and "ab.." never pass for two different digests).
bool IsDigestHex(std::string_view s);

}  // namespace bmil

#endif  // BMIL_CORE_IO_DIGEST_HPP_
