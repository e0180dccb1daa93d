#include "data/dataset_reader.h"

#include <gmock/gmock.h>
#include <hdf5.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>

#include "base/file.h"
#include "base/testing.h"
#include "data/hdf5_util.h"

namespace sweep::data {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

StatusOr<Dataset> Csv(const std::string& text) {
  return ParseCsv(text, "zoo.csv", TargetKind::kClassLabels);
}

TEST(ParseCsv, LabelLastCommentsBlankLinesCrlfAndNoFinalNewline) {
  auto d = Csv("# a comment\r\n1,2,0\r\n\r\n  # indented comment\n3.5,-4e-1,2\n\n5, 6 ,1");
  ASSERT_OK(d);
  EXPECT_EQ(d->rows, 3);
  EXPECT_EQ(d->cols, 2);
  EXPECT_EQ(d->x, (std::vector<float>{1, 2, 3.5f, -0.4f, 5, 6}));
  EXPECT_EQ(d->y, (std::vector<float>{0, 2, 1}));
  EXPECT_EQ(d->source, "zoo.csv");
}

TEST(ParseCsv, SkipsAHeaderLine) {
  auto d = Csv("hair,feathers,type\n1,0,3\n");
  ASSERT_OK(d);
  EXPECT_EQ(d->rows, 1);
}

TEST(ParseCsv, RaggedRowNamesFileLineAndCounts) {
  auto d = Csv("1,2,3\n# c\n4,5\n");
  EXPECT_EQ(d.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(d.status().message(), "zoo.csv: line 3: expected 3 fields, got 2");
}

TEST(ParseCsv, NonNumberNamesLineAndField) {
  auto d = Csv("1,2,3,0\n1,2,3,0\n1,2,3,0\n1,2,3,0\n1,2,abc,0\n");
  EXPECT_EQ(d.status().message(), "zoo.csv: line 5: field 3: 'abc' is not a number");
}

TEST(ParseCsv, ClassLabelsMustBeNonNegativeIntegers) {
  EXPECT_THAT(Csv("1,2.5\n").status().message(), HasSubstr("line 1: label '2.5' is not a class"));
  EXPECT_THAT(Csv("1,0\n1,-1\n").status().message(), HasSubstr("line 2: label '-1'"));
  auto r = ParseCsv("1,2.5\n2,-1\n", "r.csv", TargetKind::kRegression);
  ASSERT_OK(r);
  EXPECT_EQ(r->y, (std::vector<float>{2.5f, -1}));
}

TEST(ParseCsv, EmptySetIsAnError) {
  EXPECT_THAT(Csv("# only comments\n\n").status().message(), HasSubstr("zoo.csv: no data rows"));
  EXPECT_EQ(Csv("").status().code(), StatusCode::kInvalidArgument);
}

TEST(ParseCsv, StringLabelsAreClassesInSortedOrder) {
  auto d =
      Csv("sepal_length,sepal_width,species\n5.1,3.5,Iris-setosa\n6.3,3.3,\"Iris-virginica\"\n"
          "7.0,3.2,Iris-versicolor\n4.9,3.0,Iris-setosa\n");
  ASSERT_OK(d);
  EXPECT_EQ(d->class_names,
            (std::vector<std::string>{"Iris-setosa", "Iris-versicolor", "Iris-virginica"}));
  EXPECT_EQ(d->y, (std::vector<float>{0, 2, 1, 0}));
  EXPECT_EQ(d->num_classes, 3);
  EXPECT_TRUE(d->sample_shape.empty());
  EXPECT_EQ(d->preprocessing, "");
}

TEST(ParseCsv, OneNameMakesEveryLabelAName) {
  auto d = Csv("1,2.5\n2,b\n3,10\n");  // 2.5 would not be a class index: as a name it is
  ASSERT_OK(d);
  EXPECT_EQ(d->class_names, (std::vector<std::string>{"10", "2.5", "b"}));
  EXPECT_EQ(d->y, (std::vector<float>{1, 2, 0}));
  auto numeric = Csv("1,2\n2,0\n");
  ASSERT_OK(numeric);
  EXPECT_TRUE(numeric->class_names.empty());
}

TEST(ParseCsv, StringLabelErrors) {
  EXPECT_EQ(Csv("1,a\n2,\n").status().message(), "zoo.csv: line 2: empty label");
  EXPECT_EQ(Csv("1,a\nx,b\n").status().message(), "zoo.csv: line 2: field 1: 'x' is not a number");
  EXPECT_EQ(ParseCsv("1,2\n1,a\n", "r.csv", TargetKind::kRegression).status().message(),
            "r.csv: line 2: label 'a' is not a number (a regression target)");
}

// sklearn's iris.csv begins with a line of metadata: rows, features, then the class names.
constexpr char kSklearnIris[] =
    "150,4,setosa,versicolor,virginica\n5.1,3.5,1.4,0.2,0\n7.0,3.2,4.7,1.4,1\n"
    "6.3,3.3,6.0,2.5,2\n";

TEST(ParseCsv, SkipRowsDropsAMetadataLine) {
  auto d = ParseCsv(kSklearnIris, "iris.csv", TargetKind::kClassLabels, ReadOptions{1});
  ASSERT_OK(d);
  EXPECT_EQ(d->rows, 3);
  EXPECT_EQ(d->cols, 4);
  EXPECT_EQ(d->y, (std::vector<float>{0, 1, 2}));
  // The lines skipped count as they are in the file, blank and comment lines too; a header
  // after them is still recognised; errors keep the file's line numbers.
  auto header = ParseCsv("UCI iris, 150 rows\n\na,b,label\n1,2,0\n3,x,1\n", "u.csv",
                         TargetKind::kClassLabels, ReadOptions{2});
  EXPECT_EQ(header.status().message(), "u.csv: line 5: field 2: 'x' is not a number");
  EXPECT_EQ(
      ParseCsv("m\n1,2,0\n", "u.csv", TargetKind::kClassLabels, ReadOptions{5}).status().message(),
      "u.csv: no data rows after the 5 lines skip_rows skips");
}

TEST(ParseCsv, AMetadataLineSuggestsSkipRows) {
  EXPECT_EQ(Csv(kSklearnIris).status().message(),
            "zoo.csv: line 1: field 3: 'setosa' is not a number (does the file start with a line "
            "that is not data? skip_rows: 1 skips it)");
  EXPECT_EQ(Csv("# iris\n150,4\n5.1,3.5,1.4,0.2,0\n").status().message(),
            "zoo.csv: line 3: expected 2 fields, got 5 (does the file start with a line that is "
            "not data? skip_rows: 2 skips it)");
}

TEST(CheckCsvHead, ChecksWidthsAndFeaturesNotLabels) {
  EXPECT_OK(CheckCsvHead("a,b,y\n1,2,Iris-setosa\n3,4,2.5\n", "h.csv", {}));
  EXPECT_OK(CheckCsvHead(kSklearnIris, "iris.csv", ReadOptions{1}));
  EXPECT_THAT(CheckCsvHead(kSklearnIris, "iris.csv", {}).message(),
              HasSubstr("iris.csv: line 1: field 3: 'setosa' is not a number"));
  EXPECT_EQ(CheckCsvHead("1,2,0\n1,0\n", "h.csv", {}).message(),
            "h.csv: line 2: expected 3 fields, got 2");
  EXPECT_OK(CheckCsvHead("", "h.csv", {}));
}

TEST(CheckReadOptions, SkipRowsOnlyForCsv) {
  EXPECT_OK(CheckReadOptions("x.h5", {}));
  EXPECT_OK(CheckReadOptions("iris.csv", ReadOptions{1}));
  EXPECT_OK(CheckReadOptions("s3://b/iris.csv.gz", ReadOptions{1}));
  EXPECT_EQ(CheckReadOptions("x.h5", ReadOptions{1}).message(),
            "x.h5: skip_rows applies to CSV files only, not HDF5");
  EXPECT_EQ(CheckReadOptions("train-images-idx3-ubyte.gz", ReadOptions{1}).message(),
            "train-images-idx3-ubyte.gz: skip_rows applies to CSV files only, not IDX");
  EXPECT_EQ(CheckReadOptions("synthetic:blobs", ReadOptions{2}).message(),
            "synthetic:blobs: skip_rows applies to CSV files only, not a synthetic: set");
  EXPECT_EQ(
      ReadDataset("synthetic:blobs", TargetKind::kClassLabels, ReadOptions{1}).status().code(),
      StatusCode::kInvalidArgument);
}

TEST(ParsePredictCsv, WidthDecidesTheLabelColumn) {
  auto no_label = ParsePredictCsv("1,2\n3,4\n", "in.csv", 2, {});
  ASSERT_OK(no_label);
  EXPECT_FALSE(no_label->has_labels);
  EXPECT_EQ(no_label->data.x, (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(no_label->data.y, (std::vector<float>{0, 0}));
  auto labelled = ParsePredictCsv("a,b,y\n1,2,0.5\n3,4,7\n", "in.csv", 2, {});
  ASSERT_OK(labelled);
  EXPECT_TRUE(labelled->has_labels);
  EXPECT_EQ(labelled->data.y, (std::vector<float>{0.5f, 7}));
  EXPECT_EQ(labelled->data.num_classes, 0);
  auto wrong = ParsePredictCsv("1,2,3,4,5,6,7,8,9,10,11,12,0\n", "zoo.csv", 16, {});
  EXPECT_EQ(wrong.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(wrong.status().message(),
              HasSubstr("zoo.csv has 12 feature columns (13 columns, the last taken as the "
                        "label); the model takes 16"));
}

TEST(ParsePredictCsv, LabelsMapThroughTheModelsClassNames) {
  std::vector<std::string> names = {"Iris-setosa", "Iris-versicolor", "Iris-virginica"};
  auto in = ParsePredictCsv("5.1,Iris-virginica\n4.9,Iris-setosa\n", "iris.csv", 1, names);
  ASSERT_OK(in);
  EXPECT_TRUE(in->has_labels);
  EXPECT_EQ(in->data.y, (std::vector<float>{2, 0}));
  EXPECT_EQ(in->data.class_names, names);
  EXPECT_EQ(in->data.num_classes, 3);
  auto unknown = ParsePredictCsv("5.1,Iris-setosa\n\n4.9,Iris-nova\n", "iris.csv", 1, names);
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(unknown.status().message(),
            "iris.csv: line 3: label 'Iris-nova' is not one of the model's classes (Iris-setosa, "
            "Iris-versicolor, Iris-virginica)");
  EXPECT_THAT(ParsePredictCsv("5.1,a\n", "x.csv", 1, {}).status().message(),
              HasSubstr("line 1: label 'a' is not a number (the model has no class names)"));
}

class ReadDatasetTest : public ::testing::Test {
 protected:
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  void WriteGz(const std::string& name, const std::string& bytes) {
    gzFile f = gzopen(Path(name).c_str(), "wb");
    ASSERT_NE(f, nullptr);
    ASSERT_EQ(gzwrite(f, bytes.data(), unsigned(bytes.size())), int(bytes.size()));
    gzclose(f);
  }
  void WritePlain(const std::string& name, const std::string& bytes) {
    ASSERT_OK(WriteFileAtomic(Path(name), bytes));
  }

  sweep::testing::TestDir tmp_;
  const fs::path dir_ = tmp_.path();
};

TEST_F(ReadDatasetTest, CsvAndGzippedCsv) {
  WritePlain("a.csv", "1,2,1\n3,4,3\n");
  WriteGz("b.csv.gz", "1,2,1\n3,4,3\n");
  for (const char* name : {"a.csv", "b.csv.gz"}) {
    auto d = ReadDataset(Path(name), TargetKind::kClassLabels);
    ASSERT_OK(d);
    EXPECT_EQ(d->rows, 2);
    EXPECT_EQ(d->num_classes, 4);  // 1 + the largest label
    EXPECT_EQ(d->x, (std::vector<float>{1, 2, 3, 4}));
  }
}

TEST_F(ReadDatasetTest, GzippedCsvWithSkipRows) {
  WriteGz("iris.csv.gz", kSklearnIris);
  auto d = ReadDataset(Path("iris.csv.gz"), TargetKind::kClassLabels, ReadOptions{1});
  ASSERT_OK(d);
  EXPECT_EQ(d->rows, 3);
  EXPECT_EQ(d->num_classes, 3);
}

TEST_F(ReadDatasetTest, MissingFileIsNotFoundAndUnknownFormatInvalid) {
  auto d = ReadDataset(Path("absent.csv"), TargetKind::kClassLabels);
  EXPECT_EQ(d.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(d.status().message(), HasSubstr("absent.csv"));
  WritePlain("data.txt", "1,2\n");
  EXPECT_EQ(ReadDataset(Path("data.txt"), TargetKind::kClassLabels).status().code(),
            StatusCode::kInvalidArgument);
}

std::string Be32(uint32_t v) {
  return {char(v >> 24), char((v >> 16) & 255), char((v >> 8) & 255), char(v & 255)};
}

std::string IdxImages(uint32_t magic, uint32_t n) {  // n images of 2x3
  std::string s = Be32(magic) + Be32(n) + Be32(2) + Be32(3);
  for (uint32_t i = 0; i < n * 6; ++i) s.push_back(char(i % 2 ? 255 : 0));
  return s;
}

std::string IdxLabels(uint32_t n) {
  std::string s = Be32(0x801) + Be32(n);
  for (uint32_t i = 0; i < n; ++i) s.push_back(char(i % 10));
  return s;
}

TEST_F(ReadDatasetTest, IdxGzipWithLabelsFoundByName) {
  WriteGz("t10k-images-idx3-ubyte.gz", IdxImages(0x803, 12));
  WriteGz("t10k-labels-idx1-ubyte.gz", IdxLabels(12));
  auto d = ReadDataset(Path("t10k-images-idx3-ubyte.gz"), TargetKind::kClassLabels);
  ASSERT_OK(d);
  EXPECT_EQ(d->rows, 12);
  EXPECT_EQ(d->cols, 6);
  EXPECT_EQ(d->x[0], 0.0f);
  EXPECT_EQ(d->x[1], 1.0f);  // 255 -> 1
  EXPECT_EQ(d->y[11], 1.0f);
  EXPECT_EQ(d->num_classes, 10);
  EXPECT_EQ(d->sample_shape, (std::vector<int>{2, 3}));
  EXPECT_EQ(d->preprocessing, R"({"input_dtype":"uint8","scale":0.00392156862745098})");
}

TEST_F(ReadDatasetTest, IdxPlainImagesWithGzippedLabels) {
  WritePlain("train-images-idx3-ubyte", IdxImages(0x803, 3));
  WriteGz("train-labels-idx1-ubyte.gz", IdxLabels(3));
  EXPECT_OK(ReadDataset(Path("train-images-idx3-ubyte"), TargetKind::kClassLabels));
}

TEST_F(ReadDatasetTest, IdxErrors) {
  WritePlain("a-images-idx3-ubyte", IdxImages(0x801, 3));
  EXPECT_THAT(ReadDataset(Path("a-images-idx3-ubyte"), TargetKind::kClassLabels).status().message(),
              HasSubstr("no labels file"));
  WritePlain("a-labels-idx1-ubyte", IdxLabels(3));
  EXPECT_THAT(ReadDataset(Path("a-images-idx3-ubyte"), TargetKind::kClassLabels).status().message(),
              HasSubstr("wrong IDX magic 0x00000801 (expected 0x00000803 for images)"));
  WritePlain("a-images-idx3-ubyte", IdxImages(0x803, 4));
  auto d = ReadDataset(Path("a-images-idx3-ubyte"), TargetKind::kClassLabels);
  EXPECT_EQ(d.status().code(), StatusCode::kCorruption);
  EXPECT_THAT(d.status().message(), HasSubstr("has 4 images but"));
  WritePlain("a-images-idx3-ubyte", IdxImages(0x803, 3).substr(0, 30));
  EXPECT_THAT(ReadDataset(Path("a-images-idx3-ubyte"), TargetKind::kClassLabels).status().message(),
              HasSubstr("truncated"));
}

TEST_F(ReadDatasetTest, Hdf5RoundTrip) {
  Dataset in;
  in.rows = 3;
  in.cols = 2;
  in.x = {1, 2, 3, 4, 5, 6};
  in.y = {0, 2, 1};
  ASSERT_OK(WriteHdf5Dataset(Path("d/data.h5"), in));
  auto d = ReadDataset(Path("d/data.h5"), TargetKind::kClassLabels);
  ASSERT_OK(d);
  EXPECT_EQ(d->x, in.x);
  EXPECT_EQ(d->y, in.y);
  EXPECT_EQ(d->cols, 2);
  EXPECT_EQ(d->num_classes, 3);
  in.y[1] = 0.5f;
  ASSERT_OK(WriteHdf5Dataset(Path("d/data.h5"), in));
  EXPECT_EQ(ReadDataset(Path("d/data.h5"), TargetKind::kClassLabels).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_OK(ReadDataset(Path("d/data.h5"), TargetKind::kRegression));
}

TEST_F(ReadDatasetTest, Hdf5Uint8ImagesAndIntegerLabels) {
  {
    auto file = h5::CreateFile(Path("u8.h5"));
    ASSERT_OK(file);
    hsize_t xdims[2] = {2, 3}, ydims[1] = {2};
    h5::Handle xs(H5Screate_simple(2, xdims, nullptr)), ys(H5Screate_simple(1, ydims, nullptr));
    h5::Handle x(H5Dcreate2(file->get(), "X", H5T_STD_U8LE, xs.get(), H5P_DEFAULT, H5P_DEFAULT,
                            H5P_DEFAULT));
    h5::Handle y(H5Dcreate2(file->get(), "y", H5T_STD_I64LE, ys.get(), H5P_DEFAULT, H5P_DEFAULT,
                            H5P_DEFAULT));
    uint8_t xv[6] = {0, 1, 2, 253, 254, 255};
    int64_t yv[2] = {4, 0};
    ASSERT_GE(H5Dwrite(x.get(), H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, xv), 0);
    ASSERT_GE(H5Dwrite(y.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, yv), 0);
  }
  auto d = ReadDataset(Path("u8.h5"), TargetKind::kClassLabels);
  ASSERT_OK(d);
  EXPECT_EQ(d->x, (std::vector<float>{0, 1, 2, 253, 254, 255}));  // converted, not rescaled
  EXPECT_EQ(d->num_classes, 5);
}

TEST_F(ReadDatasetTest, Hdf5ErrorsAreCorruptionOrNotFound) {
  WritePlain("bad.h5", "not hdf5");
  EXPECT_EQ(ReadDataset(Path("bad.h5"), TargetKind::kRegression).status().code(),
            StatusCode::kCorruption);
  Dataset empty_y;
  ASSERT_OK(WriteHdf5Dataset(Path("x_only.h5"), empty_y));
  auto file = h5::OpenFileReadOnly(Path("x_only.h5"));
  ASSERT_OK(file);
  EXPECT_EQ(h5::ReadFloatDataset(file->get(), "Z").status().code(), StatusCode::kNotFound);
}

TEST_F(ReadDatasetTest, PredictInputIdxLabelsOptional) {
  WritePlain("p-images-idx3-ubyte", IdxImages(0x803, 4));
  auto in = ReadPredictInput(Path("p-images-idx3-ubyte"), 6, {});
  ASSERT_OK(in);
  EXPECT_FALSE(in->has_labels);
  EXPECT_EQ(in->data.rows, 4);
  EXPECT_EQ(in->data.y, (std::vector<float>(4, 0.0f)));
  EXPECT_EQ(in->data.sample_shape, (std::vector<int>{2, 3}));
  WritePlain("p-labels-idx1-ubyte", IdxLabels(4));
  in = ReadPredictInput(Path("p-images-idx3-ubyte"), 6, {});
  ASSERT_OK(in);
  EXPECT_TRUE(in->has_labels);
  EXPECT_EQ(in->data.y, (std::vector<float>{0, 1, 2, 3}));
  auto wrong = ReadPredictInput(Path("p-images-idx3-ubyte"), 784, {});
  EXPECT_EQ(wrong.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(wrong.status().message(), HasSubstr("has 6 features; the model takes 784"));
}

TEST_F(ReadDatasetTest, PredictInputCsvHdf5AndSynthetic) {
  WriteGz("p.csv.gz", "1,2,cat\n3,4,dog\n");
  auto csv = ReadPredictInput(Path("p.csv.gz"), 2, {"cat", "dog"});
  ASSERT_OK(csv);
  EXPECT_EQ(csv->data.y, (std::vector<float>{0, 1}));
  EXPECT_EQ(ReadPredictInput(Path("absent.csv"), 2, {}).status().code(), StatusCode::kNotFound);
  {
    auto file = h5::CreateFile(Path("x_only.h5"));
    ASSERT_OK(file);
    float x[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    ASSERT_OK(h5::WriteFloatDataset(file->get(), "X", {2, 2, 2}, x));
  }
  auto h5in = ReadPredictInput(Path("x_only.h5"), 4, {});
  ASSERT_OK(h5in);
  EXPECT_FALSE(h5in->has_labels);
  EXPECT_EQ(h5in->data.sample_shape, (std::vector<int>{2, 2}));
  EXPECT_EQ(h5in->data.x.size(), 8u);
  auto synthetic = ReadPredictInput("synthetic:blobs?rows=10&features=3", 3, {});
  ASSERT_OK(synthetic);
  EXPECT_TRUE(synthetic->has_labels);
}

TEST_F(ReadDatasetTest, Hdf5RankThreeXHasASampleShape) {
  {
    auto file = h5::CreateFile(Path("img.h5"));
    ASSERT_OK(file);
    std::vector<float> x(2 * 3 * 4, 0.5f), y = {1, 0};
    ASSERT_OK(h5::WriteFloatDataset(file->get(), "X", {2, 3, 4}, x.data()));
    ASSERT_OK(h5::WriteFloatDataset(file->get(), "y", {2}, y.data()));
  }
  auto d = ReadDataset(Path("img.h5"), TargetKind::kClassLabels);
  ASSERT_OK(d);
  EXPECT_EQ(d->cols, 12);
  EXPECT_EQ(d->sample_shape, (std::vector<int>{3, 4}));
  EXPECT_EQ(d->preprocessing, "");
}

TEST(ReadDataset, FashionMnistIfInstalled) {
  const std::string path = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";
  if (!fs::exists(path)) GTEST_SKIP() << path << " not installed";
  auto d = ReadDataset(path, TargetKind::kClassLabels);
  ASSERT_OK(d);
  EXPECT_EQ(d->rows, 10000);
  EXPECT_EQ(d->cols, 784);
  EXPECT_EQ(d->num_classes, 10);
}

TEST(ReadDataset, SyntheticAndS3) {
  EXPECT_OK(ReadDataset("synthetic:blobs?rows=10", TargetKind::kClassLabels));
  EXPECT_EQ(ReadDataset("synthetic:regression", TargetKind::kClassLabels).status().code(),
            StatusCode::kInvalidArgument);
  auto r = ReadDataset("synthetic:regression?rows=5", TargetKind::kRegression);
  ASSERT_OK(r);
  EXPECT_EQ(r->num_classes, 0);
  EXPECT_EQ(ReadDataset("s3://b/k.csv", TargetKind::kRegression).status().code(),
            StatusCode::kInvalidArgument);
}

// A folder, /dev/zero or a FIFO named like a data file, in every format: one clear error at
// once (a FIFO with no writer hung HDF5's open and the CSV reader; /dev/zero never ended).
TEST(ReadDatasetHostile, FolderDeviceOrFifoIsInvalidArgumentForEveryFormat) {
  sweep::testing::TestDir tmp;
  for (const char* name : {"d.csv", "d.csv.gz", "d.h5", "t-images-idx3-ubyte"}) {
    const std::string dir = tmp.Path(std::string("dir-") + name);
    const std::string fifo = tmp.Path(std::string("fifo-") + name);
    const std::string zero = tmp.Path(std::string("zero-") + name);
    fs::create_directories(dir);
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    fs::create_symlink("/dev/zero", zero);
    EXPECT_EQ(ReadDataset(dir, TargetKind::kClassLabels).status().message(),
              dir + ": is a folder, not a data file");
    for (const std::string& path : {fifo, zero}) {
      EXPECT_EQ(ReadDataset(path, TargetKind::kClassLabels).status().message(),
                path + ": is not a regular file (a device, FIFO or socket)");
      EXPECT_EQ(ReadPredictInput(path, 2, {}).status().code(), StatusCode::kInvalidArgument);
    }
  }
}

}  // namespace
}  // namespace sweep::data
