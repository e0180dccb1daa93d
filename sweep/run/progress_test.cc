#include "sweep/run/progress.h"

#include <gtest/gtest.h>

#include <cstdio>

namespace sweep {
namespace {

TEST(FormatDuration, ScalesUnits) {
  EXPECT_EQ(FormatDuration(4.24), "4.2s");
  EXPECT_EQ(FormatDuration(65), "1:05");
  EXPECT_EQ(FormatDuration(3723), "1:02:03");
  EXPECT_EQ(FormatDuration(-1), "0.0s");
}

TEST(StatusLine, ShowsCountsElapsedEtaAndBest) {
  ProgressCounts c;
  c.total = 10;
  c.selected = 6;
  c.succeeded = 2;
  c.failed = 1;
  c.running = 2;
  c.skipped = 4;
  std::string line = StatusLine(c, 30, BestSoFar{7, 0.9312}, "val_accuracy", 0);
  EXPECT_EQ(line,
            "3/6 done, 2 running, 1 failed, 4 skipped | 30.0s elapsed, ETA 30.0s | best "
            "val_accuracy=0.9312 @7");
}

TEST(StatusLine, DivergedRowsAreDoneAndCountedApart) {
  ProgressCounts c;
  c.total = c.selected = 4;
  c.succeeded = 1;
  c.diverged = 2;
  c.running = 1;
  EXPECT_EQ(StatusLine(c, 30, std::nullopt, "val_accuracy", 0),
            "3/4 done, 1 running, 0 failed, 2 diverged, 0 skipped | 30.0s elapsed, ETA 10.0s");
}

TEST(StatusLine, UnknownEtaBeforeTheFirstRowAndFitsTheWidth) {
  ProgressCounts c;
  c.total = c.selected = 4;
  c.running = 2;
  std::string line = StatusLine(c, 1, std::nullopt, "val_accuracy", 0);
  EXPECT_NE(line.find("ETA ?"), std::string::npos) << line;
  EXPECT_EQ(StatusLine(c, 1, std::nullopt, "", 20).size(), 19u);
}

TEST(Progress, PlainModeWritesNoControlCharacters) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  Progress p(f, /*live=*/false);
  ProgressCounts c;
  c.total = c.selected = 2;
  p.Update(c, 1, std::nullopt, "val_accuracy", true);
  p.Line("row 0 succeeded in 1.0s");
  p.Finish();
  std::rewind(f);
  char buf[256] = {};
  size_t n = std::fread(buf, 1, sizeof(buf) - 1, f);
  std::fclose(f);
  EXPECT_EQ(std::string(buf, n), "row 0 succeeded in 1.0s\n");
}

TEST(Progress, LiveModeRedrawsTheStatusLineBelowRowLines) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  Progress p(f, /*live=*/true);
  ProgressCounts c;
  c.total = c.selected = 2;
  c.running = 1;
  p.Update(c, 1, std::nullopt, "val_accuracy", true);
  p.Line("row 0 succeeded in 1.0s");
  p.Finish();
  std::rewind(f);
  char buf[512] = {};
  size_t n = std::fread(buf, 1, sizeof(buf) - 1, f);
  std::fclose(f);
  std::string out(buf, n);
  EXPECT_EQ(out.rfind("\r\033[K0/2 done", 0), 0u) << out;
  EXPECT_NE(out.find("\r\033[Krow 0 succeeded in 1.0s\n0/2 done"), std::string::npos) << out;
  EXPECT_EQ(out.substr(out.size() - 4), "\r\033[K");
}

}  // namespace
}  // namespace sweep
