#include "data/gz_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <zlib.h>

#include <string>

#include "base/file.h"
#include "base/testing.h"
#include "data/dataset_reader.h"

namespace sweep::data {
namespace {

// One gzip member holding `text`.
std::string Gzip(const std::string& text) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, text.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<uInt>(text.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string Rows(int n) {
  std::string csv;
  for (int i = 0; i < n; ++i) csv += std::to_string(i) + ".5,1," + std::to_string(i % 3) + "\n";
  return csv;
}

class GzFileTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& bytes) {
    const std::string path = tmp_.Path(name);
    EXPECT_OK(WriteFileAtomic(path, bytes));
    return path;
  }
  sweep::testing::TestDir tmp_;
};

TEST_F(GzFileTest, ReadsPlainAndGzipAndConcatenatedMembers) {
  const std::string csv = Rows(2000);
  std::string got;
  ASSERT_OK(ReadMaybeGzipped(Write("a.csv", csv), &got));
  EXPECT_EQ(got, csv);
  ASSERT_OK(ReadMaybeGzipped(Write("a.csv.gz", Gzip(csv)), &got));
  EXPECT_EQ(got, csv);
  ASSERT_OK(ReadMaybeGzipped(Write("b.csv.gz", Gzip("1,2,0\n") + Gzip("3,4,1\n")), &got));
  EXPECT_EQ(got, "1,2,0\n3,4,1\n");
  ASSERT_OK(ReadMaybeGzipped(Write("empty.csv.gz", Gzip("")), &got));
  EXPECT_EQ(got, "");
}

// The reproducer of issue 16: cut anywhere, even where the decoded text ends on a line, a
// .csv.gz is an error, never fewer rows.
TEST_F(GzFileTest, TruncatedStreamIsCorruptionAtEveryCut) {
  const std::string gz = Gzip(Rows(20000));
  for (size_t cut :
       {size_t{1}, size_t{10}, gz.size() / 2, gz.size() - 8, gz.size() - 4, gz.size() - 1}) {
    std::string got;
    Status s = Gunzip(std::string_view(gz).substr(0, cut), "x.csv.gz", 1 << 30, &got);
    EXPECT_EQ(s.code(), StatusCode::kCorruption) << cut << ": " << s.ToString();
    EXPECT_NE(s.message().find("x.csv.gz: "), std::string::npos) << s.ToString();
  }
  std::string got;
  Status s = Gunzip(std::string_view(gz).substr(0, gz.size() / 2), "x.csv.gz", 1 << 30, &got);
  EXPECT_EQ(s.message(), "x.csv.gz: truncated gzip stream");
  auto read =
      ReadDataset(Write("cut.csv.gz", gz.substr(0, gz.size() / 2)), TargetKind::kClassLabels);
  EXPECT_EQ(read.status().code(), StatusCode::kCorruption) << read.status().ToString();
}

TEST_F(GzFileTest, TrailerMismatchAndTrailingBytesAreCorruption) {
  std::string gz = Gzip(Rows(100));
  std::string bad_crc = gz, bad_len = gz, got;
  bad_crc[gz.size() - 8] ^= 1;
  bad_len[gz.size() - 1] ^= 0x40;
  Status s = Gunzip(bad_crc, "c.gz", 1 << 20, &got);
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_NE(s.message().find("incorrect data check"), std::string::npos) << s.ToString();
  s = Gunzip(bad_len, "l.gz", 1 << 20, &got);
  EXPECT_NE(s.message().find("incorrect length check"), std::string::npos) << s.ToString();
  s = Gunzip(gz + "junk", "j.gz", 1 << 20, &got);
  EXPECT_EQ(s.message(), "j.gz: 4 bytes after the end of the gzip stream");
}

// A 6-byte file whose "trailer" says 4 GB, and a real bomb: neither allocates past the limit.
TEST_F(GzFileTest, TrailerSizeIsNotTrustedAndOutputIsBounded) {
  std::string got;
  Status s =
      ReadMaybeGzipped(Write("six.csv.gz", std::string("\x1f\x8b\xff\xff\xff\xff", 6)), &got);
  EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.ToString();
  EXPECT_LE(got.capacity(), size_t{1} << 20);
  s = Gunzip(Gzip(std::string(1 << 20, '0')), "bomb.gz", 1000, &got);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_NE(s.message().find("bomb.gz: decompresses to more than 1000 bytes"), std::string::npos)
      << s.ToString();
  EXPECT_LE(got.size(), 1001u);
}

TEST_F(GzFileTest, FolderDeviceAndFifoAreRefusedAtOnce) {
  std::string got;
  Status s = ReadMaybeGzipped(tmp_.path().string(), &got);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("is a folder"), std::string::npos) << s.ToString();
  s = ReadMaybeGzipped("/dev/zero", &got);
  EXPECT_EQ(s.message(), "/dev/zero: is not a regular file (a device, FIFO or socket)");
  const std::string fifo = tmp_.Path("fifo.csv");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  s = ReadMaybeGzipped(fifo, &got);  // no writer: a blocking open would hang here
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_EQ(ReadMaybeGzipped(tmp_.Path("none.csv"), &got).code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace sweep::data
