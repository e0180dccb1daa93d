#include "cloud/gcp/jwt.h"

#include <dlfcn.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cctype>
#include <memory>
#include <nlohmann/json.hpp>
#include <type_traits>

namespace sweep::gcp {
namespace {

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// The libcrypto functions signing needs, bound by dlopen (see jwt.h for why not linked).
struct CryptoApi {
  decltype(&BIO_new_mem_buf) bio_new_mem_buf;
  decltype(&BIO_free) bio_free;
  decltype(&PEM_read_bio_PrivateKey) pem_read_private_key;
  decltype(&EVP_PKEY_free) pkey_free;
  decltype(&EVP_PKEY_get_base_id) pkey_base_id;
  decltype(&EVP_MD_CTX_new) md_ctx_new;
  decltype(&EVP_MD_CTX_free) md_ctx_free;
  decltype(&EVP_DigestSignInit) digest_sign_init;
  decltype(&EVP_DigestSign) digest_sign;
  decltype(&EVP_sha256) sha256;
  decltype(&ERR_clear_error) err_clear;
};

StatusOr<const CryptoApi*> LoadCrypto() {
  void* lib = dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    return Status::Internal(
        "Google service-account keys need OpenSSL's libcrypto.so.3, which could not be loaded; "
        "install it (Debian: apt-get install libssl3)");
  }
  auto api = std::make_unique<CryptoApi>();
  bool ok = true;
  auto bind = [&](auto& fn, const char* name) {
    fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(lib, name));
    ok = ok && fn != nullptr;
  };
  bind(api->bio_new_mem_buf, "BIO_new_mem_buf");
  bind(api->bio_free, "BIO_free");
  bind(api->pem_read_private_key, "PEM_read_bio_PrivateKey");
  bind(api->pkey_free, "EVP_PKEY_free");
  bind(api->pkey_base_id, "EVP_PKEY_get_base_id");
  bind(api->md_ctx_new, "EVP_MD_CTX_new");
  bind(api->md_ctx_free, "EVP_MD_CTX_free");
  bind(api->digest_sign_init, "EVP_DigestSignInit");
  bind(api->digest_sign, "EVP_DigestSign");
  bind(api->sha256, "EVP_sha256");
  bind(api->err_clear, "ERR_clear_error");
  if (!ok) return Status::Internal("libcrypto.so.3 lacks a function RS256 signing needs");
  return api.release();  // lives as long as the process, like the library
}

const StatusOr<const CryptoApi*>& Crypto() {
  static const StatusOr<const CryptoApi*> api = LoadCrypto();
  return api;
}

std::string Encode(std::string_view bytes, bool url) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) out += kBase64[(acc >> (bits -= 6)) & 63];
  }
  if (bits > 0) out += kBase64[(acc << (6 - bits)) & 63];
  if (url) {
    for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  } else {
    while (out.size() % 4 != 0) out += '=';
  }
  return out;
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

}  // namespace

std::string Base64Encode(std::string_view bytes) { return Encode(bytes, false); }
std::string Base64UrlEncode(std::string_view bytes) { return Encode(bytes, true); }

StatusOr<std::string> Base64Decode(std::string_view text) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=' || std::isspace(static_cast<unsigned char>(c))) continue;
    const int v = Base64Value(c);
    if (v < 0) return Status::InvalidArgument("not base64");
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) out += static_cast<char>((acc >> (bits -= 8)) & 0xff);
  }
  return out;
}

StatusOr<std::string> SignRs256(std::string_view pem, std::string_view data) {
  if (!Crypto().ok()) return Crypto().status();
  const CryptoApi& api = **Crypto();
  std::unique_ptr<BIO, decltype(api.bio_free)> bio(
      api.bio_new_mem_buf(pem.data(), static_cast<int>(pem.size())), api.bio_free);
  std::unique_ptr<EVP_PKEY, decltype(api.pkey_free)> key(
      bio ? api.pem_read_private_key(bio.get(), nullptr, nullptr, nullptr) : nullptr,
      api.pkey_free);
  api.err_clear();  // OpenSSL's error queue is per thread: leave nothing behind
  if (key == nullptr) return Status::InvalidArgument("private_key is not a PEM private key");
  if (api.pkey_base_id(key.get()) != EVP_PKEY_RSA) {
    return Status::InvalidArgument("private_key is not an RSA key (RS256 needs one)");
  }
  std::unique_ptr<EVP_MD_CTX, decltype(api.md_ctx_free)> ctx(api.md_ctx_new(), api.md_ctx_free);
  size_t size = 0;
  auto bytes = reinterpret_cast<const unsigned char*>(data.data());
  if (ctx == nullptr ||
      api.digest_sign_init(ctx.get(), nullptr, api.sha256(), nullptr, key.get()) != 1 ||
      api.digest_sign(ctx.get(), nullptr, &size, bytes, data.size()) != 1) {
    api.err_clear();
    return Status::Internal("RS256: cannot set up the signature");
  }
  std::string signature(size, '\0');
  if (api.digest_sign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size, bytes,
                      data.size()) != 1) {
    api.err_clear();
    return Status::Internal("RS256: signing failed");
  }
  signature.resize(size);
  return signature;
}

StatusOr<std::string> MakeJwt(const JwtClaims& c, std::string_view pem) {
  nlohmann::json header = {{"alg", "RS256"}, {"typ", "JWT"}};
  if (!c.key_id.empty()) header["kid"] = c.key_id;
  const nlohmann::json claims = {{"iss", c.issuer},
                                 {"scope", c.scope},
                                 {"aud", c.audience},
                                 {"iat", static_cast<int64_t>(c.issued_at)},
                                 {"exp", static_cast<int64_t>(c.issued_at) + c.lifetime_s}};
  const std::string signing_input =
      Base64UrlEncode(header.dump()) + "." + Base64UrlEncode(claims.dump());
  SWEEP_ASSIGN_OR_RETURN(std::string signature, SignRs256(pem, signing_input));
  return signing_input + "." + Base64UrlEncode(signature);
}

}  // namespace sweep::gcp
