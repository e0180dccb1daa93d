#include "storage/model_isolated.h"

#include <gtest/gtest.h>

#include "base/file.h"
#include "base/testing.h"

namespace sweep::storage {
namespace {

ModelFile FullModel() {
  ModelFile m;
  DenseWeights a{"dense", 6, 2, {}, {0.5f, -0.5f}, "tanh"};
  for (int i = 0; i < 12; ++i) a.kernel.push_back(0.25f * i - 1.0f);
  DenseWeights b{"dense_1", 2, 3, {1, 2, 3, 4, 5, 6}, {0, 0, 1}, "softmax"};
  m.layers = {a, b};
  m.attributes = {{"sweep_params", R"({"lr": 0.01})"}, {"sweep_metrics", "{}"}};
  m.sample_shape = {2, 3};
  m.class_names = {"cat", "dog", "\xc3\xa9t\xc3\xa9"};
  m.preprocessing = R"({"scale":0.5})";
  return m;
}

void ExpectSame(const ModelFile& a, const ModelFile& b) {
  ASSERT_EQ(a.layers.size(), b.layers.size());
  for (size_t k = 0; k < a.layers.size(); ++k) {
    EXPECT_EQ(a.layers[k].name, b.layers[k].name);
    EXPECT_EQ(a.layers[k].inputs, b.layers[k].inputs);
    EXPECT_EQ(a.layers[k].units, b.layers[k].units);
    EXPECT_EQ(a.layers[k].kernel, b.layers[k].kernel);
    EXPECT_EQ(a.layers[k].bias, b.layers[k].bias);
    EXPECT_EQ(a.layers[k].activation, b.layers[k].activation);
  }
  EXPECT_EQ(a.attributes, b.attributes);
  EXPECT_EQ(a.format_version, b.format_version);
  EXPECT_EQ(a.sample_shape, b.sample_shape);
  EXPECT_EQ(a.class_names, b.class_names);
  EXPECT_EQ(a.preprocessing, b.preprocessing);
}

TEST(ModelRecord, RoundTripsEveryField) {
  auto back = DecodeModelFile(EncodeModelFile(FullModel()));
  ASSERT_OK(back);
  ExpectSame(*back, FullModel());
}

TEST(ModelRecord, EveryCutAndEveryFlippedByteIsCorruption) {
  const std::string record = EncodeModelFile(FullModel());
  for (size_t n = 0; n < record.size(); ++n) {
    EXPECT_EQ(DecodeModelFile(record.substr(0, n)).status().code(), StatusCode::kCorruption) << n;
    std::string flipped = record;
    flipped[n] ^= 0x20;
    EXPECT_EQ(DecodeModelFile(flipped).status().code(), StatusCode::kCorruption) << n;
  }
}

TEST(ModelIsolated, ReadsWhatTheLibraryReadsInThisProcess) {
  testing::TestDir dir;
  ModelFile m = FullModel();
  m.attributes.clear();  // ReadModelFile adds its own
  ASSERT_OK(WriteModelFile(dir.Path("model.h5"), m));
  auto here = ReadModelFile(dir.Path("model.h5"));
  auto there = ReadModelFileIsolated(dir.Path("model.h5"));
  ASSERT_OK(here);
  ASSERT_OK(there);
  ExpectSame(*there, *here);
}

TEST(ModelIsolated, PassesTheReadersErrorThrough) {
  testing::TestDir dir;
  EXPECT_EQ(ReadModelFileIsolated(dir.Path("absent.h5")).status().code(), StatusCode::kNotFound);
  ASSERT_OK(
      WriteFileAtomic(dir.Path("bad.h5"), "\x89HDF\r\n\x1a\n and then nothing of a superblock"));
  auto here = ReadModelFile(dir.Path("bad.h5"));
  auto there = ReadModelFileIsolated(dir.Path("bad.h5"));
  EXPECT_EQ(there.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(there.status().message(), here.status().message());
}

}  // namespace
}  // namespace sweep::storage

// This binary is also its own model reader (storage/model_isolated.h).
int main(int argc, char** argv) {
  sweep::storage::RunModelReaderIfAsked(argc, argv);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
