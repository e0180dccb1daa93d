#include "cloud/aws/sha1.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace sweep::aws {
namespace {

// FIPS 180-4 examples (NIST CSRC "SHA1.pdf").
TEST(Sha1, MatchesNistExamples) {
  EXPECT_EQ(Sha1Hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(Sha1Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  EXPECT_EQ(Sha1Hex(std::string(1000000, 'a')), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

// Lengths around the padding boundaries, checked against Python's
// hashlib.sha1(bytes((i * 7) & 255 for i in range(n))).
TEST(Sha1, PaddingBoundariesMatchHashlib) {
  const std::pair<int, const char*> cases[] = {
      {0, "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
      {1, "5ba93c9db0cff93f52b521d7420e43f6eda2784f"},
      {55, "aecd1643c9903b9bae8cb94f53c50f8a4e18605b"},
      {56, "f5d65c621c02cc8e785159feff8088e3072da1bc"},
      {63, "4952f0fe097e4d6410ae9eab4855aa836caf3bff"},
      {64, "1e17ae1fc093e5daca033553c97a5192ca164486"},
      {65, "ac44f5dbe3e9b5d2733fc9537fcad715c3c20bc3"},
      {119, "b4a4e69060d0b1e7e8ebbf7041a4211c63438b57"},
      {120, "b651390c2996406336a3f6647e4b590c18cdd6f8"},
      {128, "516846cd40bd1fe431119c3b0a0f362957992ee8"},
  };
  for (const auto& [n, want] : cases) {
    std::string data;
    for (int i = 0; i < n; ++i) data += static_cast<char>((i * 7) & 255);
    EXPECT_EQ(Sha1Hex(data), want) << n << " bytes";
  }
}

}  // namespace
}  // namespace sweep::aws
