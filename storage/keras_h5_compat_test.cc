// ReadModelFile on files laid out like other Keras 2 writers (keras-h5.md §2, §3, §5):
// fixed-length NULLPAD strings (h5py 2), split name lists, weightless layers, float64 weights,
// the /model_weights group of a full-model file.
#include <hdf5.h>
#include <unistd.h>

#include <filesystem>

#include "base/testing.h"
#include "data/hdf5_util.h"
#include "storage/keras_h5.h"

namespace sweep::storage {
namespace {

namespace h5 = data::h5;

namespace fs = std::filesystem;

void WriteFixedStrings(hid_t loc, const char* name, const std::vector<std::string>& values) {
  size_t longest = 1;
  for (const auto& v : values) longest = std::max(longest, v.size());
  std::vector<char> buf(values.size() * longest, '\0');
  for (size_t i = 0; i < values.size(); ++i) values[i].copy(&buf[i * longest], longest);
  h5::Handle type(H5Tcopy(H5T_C_S1));
  H5Tset_size(type.get(), longest);
  H5Tset_strpad(type.get(), H5T_STR_NULLPAD);
  hsize_t dims[1] = {values.size()};
  h5::Handle space(H5Screate_simple(1, dims, nullptr));
  h5::Handle attr(H5Acreate2(loc, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT));
  ASSERT_GE(H5Awrite(attr.get(), type.get(), buf.data()), 0);
}

void WriteDoubles(hid_t loc, const char* path, std::vector<hsize_t> dims, std::vector<double> v) {
  h5::Handle lcpl(H5Pcreate(H5P_LINK_CREATE));
  H5Pset_create_intermediate_group(lcpl.get(), 1);
  h5::Handle space(H5Screate_simple(int(dims.size()), dims.data(), nullptr));
  h5::Handle ds(
      H5Dcreate2(loc, path, H5T_IEEE_F64LE, space.get(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT));
  ASSERT_GE(H5Dwrite(ds.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), 0);
}

// input_1 (weightless), dense 2->3 (fixed strings, float64), dense_1 3->1 (vlen strings).
void WriteH5py2StyleWeights(hid_t root) {
  WriteFixedStrings(root, "layer_names0", {"input_1", "dense"});
  WriteFixedStrings(root, "layer_names1", {"dense_1"});
  ASSERT_OK(h5::WriteStringAttribute(root, "keras_version", "2.4.0"));
  ASSERT_OK(h5::WriteStringAttribute(root, "backend", "tensorflow"));
  h5::Handle input(H5Gcreate2(root, "input_1", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  ASSERT_OK(h5::WriteEmptyListAttribute(input.get(), "weight_names"));
  h5::Handle dense(H5Gcreate2(root, "dense", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  WriteFixedStrings(dense.get(), "weight_names", {"dense/kernel:0", "dense/bias:0"});
  WriteDoubles(dense.get(), "dense/kernel:0", {2, 3}, {1, 2, 3, 4, 5, 6});
  WriteDoubles(dense.get(), "dense/bias:0", {3}, {7, 8, 9});
  h5::Handle dense1(H5Gcreate2(root, "dense_1", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  ASSERT_OK(h5::WriteStringListAttribute(dense1.get(), "weight_names",
                                         {"dense_1/kernel:0", "dense_1/bias:0"}));
  WriteDoubles(dense1.get(), "dense_1/kernel:0", {3, 1}, {10, 11, 12});
  WriteDoubles(dense1.get(), "dense_1/bias:0", {1}, {13});
}

void ExpectH5py2Model(const ModelFile& m) {
  ASSERT_EQ(m.layers.size(), 2u);
  EXPECT_EQ(m.layers[0].name, "dense");
  EXPECT_EQ(m.layers[0].inputs, 2);
  EXPECT_EQ(m.layers[0].units, 3);
  EXPECT_EQ(m.layers[0].kernel, (std::vector<float>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(m.layers[0].bias, (std::vector<float>{7, 8, 9}));
  EXPECT_EQ(m.layers[1].kernel, (std::vector<float>{10, 11, 12}));
  EXPECT_EQ(m.layers[1].activation, "linear");
  EXPECT_EQ(m.format_version, 0);
  EXPECT_EQ(m.sample_shape, (std::vector<int>{2}));  // no config: the first kernel's inputs
  EXPECT_TRUE(m.class_names.empty());
  EXPECT_EQ(m.preprocessing, "");
}

std::string TempH5(const char* tag) {
  return (fs::temp_directory_path() /
          (std::string("keras_compat.") + tag + "." + std::to_string(::getpid()) + ".h5"))
      .string();
}

TEST(KerasH5Compat, ReadsFixedLengthStringsAndSplitLists) {
  std::string path = TempH5("weights");
  auto file = h5::CreateFile(path);
  ASSERT_OK(file);
  WriteH5py2StyleWeights(file->get());
  ASSERT_OK(file->Close("close"));
  auto m = ReadModelFile(path);
  fs::remove(path);
  ASSERT_OK(m);
  ExpectH5py2Model(*m);
}

TEST(KerasH5Compat, ReadsFullModelFileUnderModelWeights) {
  std::string path = TempH5("full");
  auto file = h5::CreateFile(path);
  ASSERT_OK(file);
  ASSERT_OK(h5::WriteStringAttribute(file->get(), "keras_version", "2.4.0"));
  h5::Handle weights(
      H5Gcreate2(file->get(), "model_weights", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  WriteH5py2StyleWeights(weights.get());
  weights.Reset();
  ASSERT_OK(file->Close("close"));
  auto m = ReadModelFile(path);
  fs::remove(path);
  ASSERT_OK(m);
  ExpectH5py2Model(*m);
}

// Keras' own model.save of Sequential([Flatten(input_shape=(1, 2)), Dense(3), Dense(1)]): a
// weightless "flatten" in layer_names, the sample shape only in model_config.
TEST(KerasH5Compat, ReadsAKerasFlattenModel) {
  std::string path = TempH5("flatten");
  auto file = h5::CreateFile(path);
  ASSERT_OK(file);
  ASSERT_OK(h5::WriteStringAttribute(file->get(), "keras_version", "2.13.1"));
  ASSERT_OK(h5::WriteStringAttribute(
      file->get(), "model_config",
      R"({"class_name": "Sequential", "config": {"name": "sequential", "layers": [)"
      R"({"class_name": "InputLayer", "config": {"batch_input_shape": [null, 1, 2]}},)"
      R"({"class_name": "Flatten", "config": {"name": "flatten"}},)"
      R"({"class_name": "Dense", "config": {"name": "dense", "activation": "relu"}}]}})"));
  h5::Handle weights(
      H5Gcreate2(file->get(), "model_weights", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  ASSERT_OK(h5::WriteStringListAttribute(weights.get(), "layer_names", {"flatten", "dense"}));
  ASSERT_OK(h5::WriteStringAttribute(weights.get(), "keras_version", "2.13.1"));
  h5::Handle flatten(H5Gcreate2(weights.get(), "flatten", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  ASSERT_OK(h5::WriteEmptyListAttribute(flatten.get(), "weight_names"));
  h5::Handle dense(H5Gcreate2(weights.get(), "dense", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  ASSERT_OK(h5::WriteStringListAttribute(dense.get(), "weight_names", {"dense/kernel:0"}));
  WriteDoubles(dense.get(), "dense/kernel:0", {2, 3}, {1, 2, 3, 4, 5, 6});
  flatten.Reset();
  dense.Reset();
  weights.Reset();
  ASSERT_OK(file->Close("close"));
  auto m = ReadModelFile(path);
  fs::remove(path);
  ASSERT_OK(m);
  ASSERT_EQ(m->layers.size(), 1u);
  EXPECT_EQ(m->layers[0].activation, "relu");
  EXPECT_EQ(m->sample_shape, (std::vector<int>{1, 2}));
}

}  // namespace
}  // namespace sweep::storage
