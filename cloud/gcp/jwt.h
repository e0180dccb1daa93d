// RS256 JSON Web Tokens for Google service accounts (RFC 7515/7519), and the base64 they use.
//
// A service-account key file holds a PKCS#8 RSA private key in PEM; Google's token endpoint
// takes a JWT signed with it (header {"alg":"RS256","typ":"JWT","kid":KEY_ID}) and answers an
// access token. Signing uses OpenSSL's libcrypto (RSASSA-PKCS1-v1_5 over SHA-256), loaded with
// dlopen on first use like libcurl (cloud/http.h): it is already in memory then, since libcurl
// links it, and a worker on local paths maps neither. When it cannot be loaded, SignRs256 fails
// with an Internal status that says so.
// Thread-safety: all functions are thread-safe.
#pragma once

#include <ctime>
#include <string>
#include <string_view>

#include "base/status.h"

namespace sweep::gcp {

// RFC 4648 base64 ("+/", '=' padding) and base64url ("-_", no padding).
std::string Base64Encode(std::string_view bytes);
std::string Base64UrlEncode(std::string_view bytes);
// Either alphabet, padding optional, whitespace ignored; nullopt-like error as InvalidArgument.
StatusOr<std::string> Base64Decode(std::string_view text);

// The raw RSASSA-PKCS1-v1_5 SHA-256 signature of `data` with the PEM private key.
// Errors: InvalidArgument for a key that does not parse or is not RSA (the message never
// contains the key), Internal when libcrypto cannot be loaded.
StatusOr<std::string> SignRs256(std::string_view pem_private_key, std::string_view data);

struct JwtClaims {
  std::string issuer;    // iss: the service account's client_email
  std::string key_id;    // kid in the header: private_key_id ("" = none)
  std::string scope;     // space-separated OAuth scopes
  std::string audience;  // aud: the token_uri
  std::time_t issued_at = 0;
  int lifetime_s = 3600;  // exp = iat + lifetime (Google accepts at most 3600)
};

// The signed JWT "header.claims.signature", each part base64url. Errors as SignRs256's.
StatusOr<std::string> MakeJwt(const JwtClaims& claims, std::string_view pem_private_key);

}  // namespace sweep::gcp
