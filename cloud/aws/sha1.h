// SHA-1 (FIPS 180-4), only to name files the AWS tools name by it: the SSO token cache
// (~/.aws/sso/cache/<sha1 hex>.json). Not for anything that needs collision resistance.
// In-tree for the reason sha256.h gives. Thread-safety: pure.
#pragma once

#include <string>
#include <string_view>

namespace sweep::aws {

// Lowercase hex of the SHA-1 of `data`: "a9993e364706816aba3e25717850c26c9cd0d89d" for "abc".
std::string Sha1Hex(std::string_view data);

}  // namespace sweep::aws
