#include "sweep/results/engine_logs.h"

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

TEST_F(LogDir, NewestLogPerAskedRowWithItsLastError) {
  Write("sweep-7_1.out", "sweep: job 7_1 on n1, restart 0\nerror: row 1: old reason\n", 1000);
  Write("sweep-9_0.out", "sweep: job 9_0 on n1, restart 0\nerror: row 1: new reason\n", 2000);
  Write("sweep-7_2.out",
        "error: row 2: first try\nepoch 1/3 loss=2.3\nerror: row 2: dataset: gone\nbye\n");
  Write("sweep-7_3.out", "row 3 succeeded in 1.0s\n");
  Write("sweep-7_4.out", "error: row 4: not asked about\n");
  Write("notes.txt", "error: row 5: not a log\n");
  Write("sweep-7_5.out", "error: row 5: beyond the tail\n" + std::string(40000, 'x') +
                             "\nerror: row 5: after a long log");
  // Started and still going (or killed): a start line near the top, no error at the end.
  Write("sweep-7_6.out",
        "sweep: job 7_6 on n1, restart 0\nrow 6 (attempt 1): 200 rows x 8 "
        "features, 3 classes; ready in 2.0 ms\nepoch 1/9 loss=1.0\n");
  std::string epochs;
  for (int i = 0; i < 2000; ++i) epochs += "epoch " + std::to_string(i) + "/2000 loss=0.5\n";
  Write("sweep-7_7.out", "row 7 (attempt 2): ready in 1.0 ms\n" + epochs);
  auto found = ReadTaskLogs(dir_.path().string(), {1, 2, 3, 5, 6, 7, 8});
  ASSERT_EQ(found.size(), 5u);
  EXPECT_EQ(found[1].error, "new reason");
  EXPECT_EQ(found[1].path, dir_.Path("sweep-9_0.out"));
  EXPECT_EQ(found[2].error, "dataset: gone");
  EXPECT_EQ(found[5].error, "after a long log");
  EXPECT_EQ(found[6].error, "");
  EXPECT_EQ(found[6].path, dir_.Path("sweep-7_6.out"));
  EXPECT_EQ(found[7].error, "");
  EXPECT_EQ(found.count(3), 0u);
  EXPECT_TRUE(ReadTaskLogs(dir_.Path("absent"), {1}).empty());
  EXPECT_TRUE(ReadTaskLogs(dir_.path().string(), {}).empty());
}

TEST(ParseRowStartLine, TheWorkersFirstLineOnly) {
  int row = -1;
  ASSERT_TRUE(ParseRowStartLine("row 3 (attempt 1): 200 rows x 8 features; ready in 2.0 ms", &row));
  EXPECT_EQ(row, 3);
  for (const char* other : {"", "row 3 succeeded in 1.0s", "row x (attempt 1)", "arrow 3 (attempt",
                            "error: row 3: y", "row -3 (attempt 1)"}) {
    EXPECT_FALSE(ParseRowStartLine(other, &row)) << other;
  }
}

}  // namespace
}  // namespace sweep
