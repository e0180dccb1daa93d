#include "data/idx_reader.h"

#include <gtest/gtest.h>

#include <string>

#include "base/testing.h"

namespace sweep::data {
namespace {

std::string Be32(uint32_t v) {
  return {char(v >> 24), char((v >> 16) & 255), char((v >> 8) & 255), char(v & 255)};
}

std::string Header(uint32_t n, uint32_t rows, uint32_t cols) {
  return Be32(0x803) + Be32(n) + Be32(rows) + Be32(cols);
}

TEST(IdxReader, ParsesImagesAndLabels) {
  auto d = ParseIdx(Header(2, 1, 2) + std::string("\x00\xff\xff\x00", 4), "i",
                    Be32(0x801) + Be32(2) + std::string("\x01\x00", 2), "l");
  ASSERT_OK(d);
  EXPECT_EQ(d->rows, 2);
  EXPECT_EQ(d->cols, 2);
  EXPECT_EQ(d->x, (std::vector<float>{0, 1, 1, 0}));
  EXPECT_EQ(d->y, (std::vector<float>{1, 0}));
}

// The issue-16 reproducer: 2^22 * 2^21 * 2^21 = 2^64 wraps to 0, so a bare 16-byte header
// matched "16 + count*rows*cols" bytes and the reader asked for 17 GB.
TEST(IdxReader, DimensionsThatWrapPast64BitsAreCorruption) {
  const std::string images = Header(1u << 22, 1u << 21, 1u << 21);
  auto d = ParseIdx(images, "wrap-images-idx3-ubyte", Be32(0x801) + Be32(1u << 22), "l");
  EXPECT_EQ(d.status().code(), StatusCode::kCorruption) << d.status().ToString();
  EXPECT_EQ(d.status().message(),
            "wrap-images-idx3-ubyte: header dimensions need more bytes than the file's 16 "
            "(truncated, or not IDX)");
  d = ParseIdx(Header(0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF) + std::string(26, '\0'), "big", "", "");
  EXPECT_EQ(d.status().code(), StatusCode::kCorruption);
  d = ParseIdx(Header(1, 2, 3), "short", "", "");
  EXPECT_EQ(d.status().code(), StatusCode::kCorruption);
}

TEST(IdxReader, LabelCountLargerThanTheFileIsCorruption) {
  auto d = ParseIdx(Header(1, 1, 1) + "x", "i", Be32(0x801) + Be32(0xFFFFFFFF), "l");
  EXPECT_EQ(d.status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace sweep::data
