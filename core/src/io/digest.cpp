#include "io/digest.hpp"

#define XXH_INLINE_ALL  // header-only use: no link dependency for users of bmil::core
#include <xxhash.h>

#include <algorithm>
#include <cstdio>

namespace bmil {
namespace {

std::string ToHex(const XXH128_hash_t& hash) {
  char hex[33];
  std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(hash.high64),
                static_cast<unsigned long long>(hash.low64));
  return std::string(hex, 32);
}

}  // namespace

struct StreamDigest::State {
  XXH3_state_t xxh;
};

StreamDigest::StreamDigest() : state_(std::make_unique<State>()) { Reset(); }
StreamDigest::~StreamDigest() = default;

void StreamDigest::Reset() { XXH3_128bits_reset(&state_->xxh); }

void StreamDigest::Update(const void* data, std::size_t size) {
  if (size > 0) XXH3_128bits_update(&state_->xxh, data, size);
}

std::string StreamDigest::Hex() const { return ToHex(XXH3_128bits_digest(&state_->xxh)); }

std::string DigestHex(std::string_view bytes) {
  return ToHex(XXH3_128bits(bytes.data(), bytes.size()));
}

bool IsDigestHex(std::string_view s) {
  return s.size() == 32 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace bmil
