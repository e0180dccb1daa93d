#include "cloud/aws/sha256.h"

#include <gtest/gtest.h>

#include <string>

namespace sweep::aws {
namespace {

std::string Hex(const Sha256Digest& d) {
  static const char* const kDigits = "0123456789abcdef";
  std::string out;
  for (uint8_t b : d) out += {kDigits[b >> 4], kDigits[b & 15]};
  return out;
}

// FIPS 180-4 examples (NIST CSRC "SHA256.pdf", "SHA2_Additional.pdf").
TEST(Sha256, MatchesNistExamples) {
  EXPECT_EQ(Hex(Sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hex(Sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Hex(Sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Hex(Sha256(std::string(1000000, 'a'))),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Lengths around the padding boundaries (55/56 bytes: the length fits the last block or not),
// checked against Python's hashlib.sha256(bytes((i * 7) & 255 for i in range(n))).
TEST(Sha256, PaddingBoundariesMatchHashlib) {
  const std::pair<int, const char*> cases[] = {
      {55, "576a1bf8d4478657e6dc4af9398544765c2a92cde28478b019235cfed315fc09"},
      {56, "9b20501dfd1d99161c257950f3444f3e49230c351c5c8e0943ef369f85f5205d"},
      {63, "30b345906b493f06f69444b6521113511c242f30e29840462950035043682f1e"},
      {64, "d8bc63b4fc1156e5e7d95a418b9bf54cd3174bedbc2db40f74895349b229b3c0"},
      {65, "1ee23b0fbcaecc1aff4a9e8f1645f35ab2c8e13609cd73b68df8b5e3f63ce073"},
      {119, "7a6589821178918ca8d9edaba5abfc1e9b2669564f4469b66885379c1530b2c8"},
      {120, "655250427d56b1b0eeb8497d21428704273458a01772d6881b65c0abac0f8a98"},
      {128, "54c9eb041badfd7064645067b107661fed6113197ce2dd066ba69618abd3732f"}};
  for (const auto& [n, want] : cases) {
    std::string data;
    for (int i = 0; i < n; ++i) data.push_back(static_cast<char>((i * 7) & 255));
    EXPECT_EQ(Hex(Sha256(data)), want) << n << " bytes";
  }
}

// RFC 4231 test cases 1, 2 and 6 (key longer than a block is hashed first), plus a key of
// exactly one block (Python's hmac module).
TEST(HmacSha256, MatchesRfc4231) {
  EXPECT_EQ(Hex(HmacSha256Digest(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(Hex(HmacSha256Digest("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(Hex(HmacSha256Digest(std::string(131, '\xaa'),
                                 "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  EXPECT_EQ(Hex(HmacSha256Digest(std::string(64, 'k'), "exactly one block of key")),
            "baa93ea4ccc7062ed6870c5e7937dbd35ad7791df4e29df9addeb429ff491acf");
}

}  // namespace
}  // namespace sweep::aws
