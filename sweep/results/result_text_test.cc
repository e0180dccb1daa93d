#include "sweep/results/result_text.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>

namespace sweep {
namespace {

TEST(DropHistory, EmptiesOnlyTheTopLevelHistory) {
  std::string text =
      R"({"params": {"history": [1]}, "note": "\"history\": [2]", "history": [{"epoch": 1,)"
      R"( "s": "]}["}, {"epoch": 2}], "epochs": 2})";
  DropHistory(&text);
  EXPECT_EQ(text, R"({"params": {"history": [1]}, "note": "\"history\": [2]", "history": [], )"
                  R"("epochs": 2})");
}

TEST(DropHistory, LeavesABrokenTextAsItIs) {
  for (std::string text : {R"({"history": [{"epoch": 1})", R"({"history": 3})", R"({"history")"}) {
    const std::string before = text;
    DropHistory(&text);
    EXPECT_EQ(text, before);
  }
}

TEST(ReadSmallFile, AbsentIsFalseWithoutAnErrorAndOtherFailuresSayWhy) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(::testing::TempDir()) / ("rst_" + std::to_string(getpid()));
  fs::create_directories(dir / "folder");
  std::ofstream(dir / "f") << std::string(40000, 'x');
  std::string out;
  int error = -1;
  EXPECT_FALSE(ReadSmallFile((dir / "none").string(), &out, &error));
  EXPECT_EQ(error, 0);
  EXPECT_FALSE(ReadSmallFile((dir / "f/under-a-file").string(), &out, &error));
  EXPECT_EQ(error, 0);
  EXPECT_FALSE(ReadSmallFile((dir / "folder").string(), &out, &error));
  EXPECT_EQ(error, EISDIR);
  ASSERT_TRUE(ReadSmallFile((dir / "f").string(), &out, &error));
  EXPECT_EQ(out.size(), 40000u);
  ASSERT_TRUE(ReadSmallFile((dir / "f").string(), &out, &error, 100));
  EXPECT_GE(out.size(), 100u);
  EXPECT_LT(out.size(), 40000u);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace sweep
