#include "data/probe.h"

#include <gtest/gtest.h>

#include <string>

#include "base/file.h"
#include "base/testing.h"

namespace sweep::data {
namespace {

constexpr char kSklearnIris[] =
    "150,4,setosa,versicolor,virginica\n5.1,3.5,1.4,0.2,0\n7.0,3.2,4.7,1.4,1\n";

class ProbeTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& bytes) {
    const std::string path = tmp_.Path(name);
    EXPECT_OK(WriteFileAtomic(path, bytes));
    return path;
  }
  sweep::testing::TestDir tmp_;
};

TEST_F(ProbeTest, CsvFirstLinesParseAfterSkipRows) {
  const std::string iris = Write("iris.csv", kSklearnIris);
  EXPECT_OK(ProbeDataset(iris, ReadOptions{1}));
  Status s = ProbeDataset(iris);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), iris +
                             ": line 1: field 3: 'setosa' is not a number (does the file start "
                             "with a line that is not data? skip_rows: 1 skips it)");
  EXPECT_OK(ProbeDataset(Write("named.csv", "a,b,species\n1,2,Iris-setosa\n")));
}

TEST_F(ProbeTest, OnlyWholeLinesOfTheHeadAreChecked) {
  std::string big = "a,b,y\n";
  while (big.size() < kCsvProbeBytes + 100) big += "1.25,2.5,0\n";
  EXPECT_OK(ProbeDataset(Write("big.csv", big)));
}

TEST_F(ProbeTest, SkipRowsNamesTheFormatItDoesNotFit) {
  EXPECT_EQ(ProbeDataset("synthetic:blobs", ReadOptions{1}).message(),
            "synthetic:blobs: skip_rows applies to CSV files only, not a synthetic: set");
  const std::string h5 = Write("x.h5", "\x89HDF\r\n\x1a\n");
  EXPECT_OK(ProbeDataset(h5));
  EXPECT_EQ(ProbeDataset(h5, ReadOptions{1}).message(),
            h5 + ": skip_rows applies to CSV files only, not HDF5");
}

}  // namespace
}  // namespace sweep::data
