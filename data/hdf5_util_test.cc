// The HDF5 dataset reader on hostile files: extents checked before any allocation, non-finite
// values refused (through ReadDataset, which every format goes through).
#include "data/hdf5_util.h"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "base/testing.h"
#include "data/dataset_reader.h"

namespace sweep::data {
namespace {

class Hdf5Hostile : public ::testing::Test {
 protected:
  // An HDF5 file whose X is declared `dims` (chunked, optionally deflated) and never written.
  void WriteDeclaredOnly(const std::string& path, std::vector<hsize_t> dims, bool deflate) {
    auto file = h5::CreateFile(path);
    ASSERT_OK(file);
    std::vector<hsize_t> chunk(dims.size(), 1);
    h5::Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr));
    ASSERT_TRUE(space.valid());
    h5::Handle dcpl(H5Pcreate(H5P_DATASET_CREATE));
    H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data());
    if (deflate) H5Pset_deflate(dcpl.get(), 6);
    h5::Handle x(H5Dcreate2(file->get(), "X", H5T_IEEE_F32LE, space.get(), H5P_DEFAULT, dcpl.get(),
                            H5P_DEFAULT));
    ASSERT_TRUE(x.valid());
    ASSERT_OK(x.Close("X"));
    ASSERT_OK(file->Close("file"));
  }
  Dataset Small() {
    Dataset d;
    d.rows = 3;
    d.cols = 2;
    d.x = {1, 2, 3, 4, 5, 6};
    d.y = {0, 1, 0};
    return d;
  }
  sweep::testing::TestDir tmp_;
};

TEST_F(Hdf5Hostile, DeclaredExtentsLargerThanTheFileAreRefusedBeforeAllocating) {
  const std::string path = tmp_.Path("huge.h5");
  WriteDeclaredOnly(path, {hsize_t{1} << 30, hsize_t{1} << 20}, /*deflate=*/false);
  auto d = ReadDataset(path, TargetKind::kRegression);
  EXPECT_EQ(d.status().code(), StatusCode::kCorruption) << d.status().ToString();
  EXPECT_NE(d.status().message().find("dataset X: extents 1073741824 x 1048576 need " +
                                      std::to_string(uint64_t{4} << 50) + " bytes; the file has"),
            std::string::npos)
      << d.status().ToString();
  WriteDeclaredOnly(path, {hsize_t{1} << 30, hsize_t{1} << 20}, /*deflate=*/true);
  d = ReadDataset(path, TargetKind::kRegression);
  EXPECT_NE(d.status().message().find("(compressed)"), std::string::npos) << d.status().ToString();
}

TEST_F(Hdf5Hostile, ExabyteExtentsAreRefusedWithoutWrapping) {
  // 2^64 elements wrap to 0 in a plain product: the checked one refuses them.
  const std::string path = tmp_.Path("wrap.h5");
  WriteDeclaredOnly(path, {hsize_t{1} << 32, hsize_t{1} << 31, hsize_t{1} << 1}, true);
  auto d = ReadDataset(path, TargetKind::kRegression);
  EXPECT_EQ(d.status().code(), StatusCode::kCorruption) << d.status().ToString();
}

TEST_F(Hdf5Hostile, NonFiniteFeaturesAndLabelsNameTheRowAndColumn) {
  Dataset in = Small();
  in.x[3] = std::numeric_limits<float>::quiet_NaN();
  const std::string path = tmp_.Path("nan.h5");
  ASSERT_OK(WriteHdf5Dataset(path, in));
  auto d = ReadDataset(path, TargetKind::kClassLabels);
  EXPECT_EQ(d.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(d.status().message(),
            path + ": row 2, column 2: feature is nan (features must be finite)");
  in = Small();
  in.x[0] = -std::numeric_limits<float>::infinity();
  ASSERT_OK(WriteHdf5Dataset(path, in));
  EXPECT_NE(ReadDataset(path, TargetKind::kRegression)
                .status()
                .message()
                .find("row 1, column 1: feature is -inf"),
            std::string::npos);
  in = Small();
  in.y[2] = std::numeric_limits<float>::infinity();
  ASSERT_OK(WriteHdf5Dataset(path, in));
  EXPECT_NE(ReadDataset(path, TargetKind::kRegression)
                .status()
                .message()
                .find("row 3: label is inf (labels must be finite)"),
            std::string::npos);
  // Prediction inputs go through the same check.
  in = Small();
  in.x[5] = std::numeric_limits<float>::quiet_NaN();
  ASSERT_OK(WriteHdf5Dataset(path, in));
  EXPECT_EQ(ReadPredictInput(path, 2, {}).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace sweep::data
