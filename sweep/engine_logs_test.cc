#include "sweep/engine_logs.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "base/testing.h"

namespace sweep {
namespace {

TEST(ParseRowErrorLine, TheWorkersErrorLineOnly) {
  int row = -1;
  std::string message;
  ASSERT_TRUE(ParseRowErrorLine("error: row 12: dataset: x.csv: No such file\r", &row, &message));
  EXPECT_EQ(row, 12);
  EXPECT_EQ(message, "dataset: x.csv: No such file");
  ASSERT_TRUE(ParseRowErrorLine("error: /x/bad.yml: row 1: learning_rate must be > 0, got -1", &row,
                                &message));
  EXPECT_EQ(row, 1);
  EXPECT_EQ(message, "learning_rate must be > 0, got -1");
  for (const char* other : {"", "error: bad spec", "error: row x: y", "error: row -1: y",
                            "error: row 3 y", "warning: row 3: y", "epoch 1/3 loss=0.5",
                            "error: arrow 3: y", "error: x: row : y", "row 3: y"}) {
    EXPECT_FALSE(ParseRowErrorLine(other, &row, &message)) << other;
  }
}

class LogDir : public ::testing::Test {
 protected:
  void Write(const std::string& name, const std::string& text, time_t mtime = 0) {
    std::ofstream(dir_.Path(name)) << text;
    if (mtime != 0) {
      struct timespec times[2] = {{mtime, 0}, {mtime, 0}};
      ASSERT_EQ(::utimensat(AT_FDCWD, dir_.Path(name).c_str(), times, 0), 0);
    }
  }
  sweep::testing::TestDir dir_;
};

TEST_F(LogDir, LastErrorLineOfTheNewestLogPerAskedRow) {
  Write("sweep-7_1.out", "sweep: job 7_1 on n1, restart 0\nerror: row 1: old reason\n", 1000);
  Write("sweep-9_0.out", "sweep: job 9_0 on n1, restart 0\nerror: row 1: new reason\n", 2000);
  Write("sweep-7_2.out",
        "error: row 2: first try\nepoch 1/3 loss=2.3\nerror: row 2: dataset: gone\nbye\n");
  Write("sweep-7_3.out", "row 3 succeeded in 1.0s\n");
  Write("sweep-7_4.out", "error: row 4: not asked about\n");
  Write("notes.txt", "error: row 5: not a log\n");
  Write("sweep-7_5.out", "error: row 5: beyond the tail\n" + std::string(40000, 'x') +
                             "\nerror: row 5: after a long log");
  auto found = LastLoggedErrors(dir_.path().string(), {1, 2, 3, 5, 6});
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[1].message, "new reason");
  EXPECT_EQ(found[1].path, dir_.Path("sweep-9_0.out"));
  EXPECT_EQ(found[2].message, "dataset: gone");
  EXPECT_EQ(found[5].message, "after a long log");
  EXPECT_TRUE(LastLoggedErrors(dir_.Path("absent"), {1}).empty());
  EXPECT_TRUE(LastLoggedErrors(dir_.path().string(), {}).empty());
}

}  // namespace
}  // namespace sweep
