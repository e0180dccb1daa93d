// SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), for SigV4 signing and cache names.
//
// In-tree rather than OpenSSL's libcrypto: linking libcrypto.so.3 costs every worker ~3 ms of
// dynamic loading at start-up (it is 4.5 MB with thousands of relocations), and signing only
// ever hashes request metadata and small in-memory bodies (large uploads are UNSIGNED-PAYLOAD).
// Portable C++, about 200 MB/s. Thread-safety: all functions are pure.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace sweep::aws {

using Sha256Digest = std::array<uint8_t, 32>;

Sha256Digest Sha256(std::string_view data);

Sha256Digest HmacSha256Digest(std::string_view key, std::string_view data);

}  // namespace sweep::aws
