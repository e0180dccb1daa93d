#include "base/line_buffer.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <string>

namespace sweep {
namespace {

// A LineBuffer over a temp file and a fake clock; Written() is what reached the file itself
// (not stdio's buffer): what a reader of the log would see.
class LineBufferTest : public ::testing::Test {
 protected:
  void SetUp() override {
    file_ = std::tmpfile();
    ASSERT_NE(file_, nullptr);
  }
  void TearDown() override { std::fclose(file_); }

  std::string Written() {
    struct stat st;
    fstat(fileno(file_), &st);
    std::string out(static_cast<size_t>(st.st_size), '\0');
    ssize_t n = pread(fileno(file_), out.data(), out.size(), 0);
    out.resize(n > 0 ? static_cast<size_t>(n) : 0);
    return out;
  }

  std::FILE* file_ = nullptr;
  double now_ = 100.0;
  std::function<double()> clock_ = [this] { return now_; };
};

TEST_F(LineBufferTest, WritesTheFirstLineAtOnceThenAtMostEveryInterval) {
  LineBuffer b(file_, /*line_flush=*/false, 0.5, clock_);
  b.Add("epoch 1");
  EXPECT_EQ(Written(), "epoch 1\n");
  now_ += 0.125;  // binary fractions: exact sums
  b.Add("epoch 2");
  now_ += 0.25;
  b.Add("epoch 3");
  EXPECT_EQ(Written(), "epoch 1\n");
  EXPECT_TRUE(b.pending());
  now_ += 0.125;  // 0.5 s since the last write
  b.Add("epoch 4");
  EXPECT_EQ(Written(), "epoch 1\nepoch 2\nepoch 3\nepoch 4\n");
  EXPECT_FALSE(b.pending());
}

TEST_F(LineBufferTest, FlushAndDestructionWriteEveryPendingLine) {
  {
    LineBuffer b(file_, false, 0.5, clock_);
    b.Add("a");
    b.Add("b");
    b.Flush();
    EXPECT_EQ(Written(), "a\nb\n");
    b.Flush();  // nothing pending: nothing written
    b.Add("c");
    EXPECT_EQ(Written(), "a\nb\n");
  }
  EXPECT_EQ(Written(), "a\nb\nc\n");
}

TEST_F(LineBufferTest, LineFlushWritesEachLine) {
  LineBuffer b(file_, /*line_flush=*/true, 0.5, clock_);
  b.Add("x");
  b.Add("y");
  EXPECT_EQ(Written(), "x\ny\n");
}

TEST_F(LineBufferTest, WritesWhenManyBytesArePending) {
  LineBuffer b(file_, false, 0.5, clock_);
  b.Add("first");
  const std::string line(1000, 'z');
  for (int i = 0; i < 70; ++i) b.Add(line);  // 70 KB within the interval
  EXPECT_GE(Written().size(), 64u * 1024);
  b.Flush();
  EXPECT_EQ(Written().size(), 6 + 70 * 1001u);
}

}  // namespace
}  // namespace sweep
