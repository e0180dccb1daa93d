#include "data/synthetic.h"

#include <gmock/gmock.h>

#include <cmath>
#include <cstdint>

#include "base/testing.h"
#include "data/limits.h"

namespace sweep::data {
namespace {

using ::testing::HasSubstr;

// Accuracy of a nearest-class-mean classifier fitted on even rows, scored on odd rows.
double NearestMeanAccuracy(const Dataset& d) {
  std::vector<double> mean(size_t(d.num_classes) * d.cols, 0.0);
  std::vector<int> count(d.num_classes, 0);
  for (int64_t i = 0; i < d.rows; i += 2) {
    int c = int(d.y[i]);
    ++count[c];
    for (int j = 0; j < d.cols; ++j) mean[size_t(c) * d.cols + j] += d.x[size_t(i) * d.cols + j];
  }
  for (int c = 0; c < d.num_classes; ++c) {
    for (int j = 0; j < d.cols; ++j) mean[size_t(c) * d.cols + j] /= std::max(1, count[c]);
  }
  int correct = 0;
  for (int64_t i = 1; i < d.rows; i += 2) {
    int best = 0;
    double best_d = 1e300;
    for (int c = 0; c < d.num_classes; ++c) {
      double dist = 0;
      for (int j = 0; j < d.cols; ++j) {
        double diff = d.x[size_t(i) * d.cols + j] - mean[size_t(c) * d.cols + j];
        dist += diff * diff;
      }
      if (dist < best_d) best_d = dist, best = c;
    }
    correct += best == int(d.y[i]);
  }
  return double(correct) / double(d.rows / 2);
}

TEST(Synthetic, DefaultsAndShapes) {
  struct Case {
    const char* spec;
    int64_t rows;
    int cols, classes;
  };
  for (const Case& c :
       {Case{"synthetic:blobs", 1000, 20, 4}, Case{"synthetic:spiral", 1000, 2, 3},
        Case{"synthetic:regression", 1000, 20, 0}, Case{"synthetic:mnist?rows=100", 100, 784, 10},
        Case{"synthetic:zoo", 101, 16, 7},
        Case{"synthetic:blobs?rows=50&features=3&classes=5&noise=0.5&seed=9", 50, 3, 5}}) {
    auto d = MakeSynthetic(c.spec);
    ASSERT_OK(d) << c.spec;
    EXPECT_EQ(d->rows, c.rows) << c.spec;
    EXPECT_EQ(d->cols, c.cols) << c.spec;
    EXPECT_EQ(d->num_classes, c.classes) << c.spec;
    EXPECT_EQ(d->x.size(), size_t(c.rows) * c.cols);
    EXPECT_EQ(d->y.size(), size_t(c.rows));
    EXPECT_EQ(d->source, c.spec);
  }
}

TEST(Synthetic, SameSeedSameDataOtherSeedOtherData) {
  for (const char* name : {"blobs", "spiral", "regression", "mnist?rows=50", "zoo"}) {
    std::string spec = std::string("synthetic:") + name;
    std::string sep = spec.find('?') == std::string::npos ? "?" : "&";
    auto a = MakeSynthetic(spec + sep + "seed=3");
    auto b = MakeSynthetic(spec + sep + "seed=3");
    auto c = MakeSynthetic(spec + sep + "seed=4");
    ASSERT_OK(a);
    EXPECT_EQ(a->x, b->x) << name;
    EXPECT_EQ(a->y, b->y) << name;
    EXPECT_NE(a->x, c->x) << name;
  }
}

// Pinned values: a change here changes every sweep's data, so it must be deliberate.
TEST(Synthetic, GoldenValues) {
  auto d = MakeSynthetic("synthetic:blobs?rows=2&features=2&classes=2&seed=1");
  ASSERT_OK(d);
  std::vector<float> want = {2.6828928f, -0.852286041f, 0.753338218f, 1.37743282f};
  ASSERT_EQ(d->x.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(d->x[i], want[i], 1e-5) << i;
}

// FNV-1a over the bytes of x then y: one number that changes with any value.
uint64_t Fingerprint(const Dataset& d) {
  uint64_t h = 0xcbf29ce484222325ull;
  auto mix = [&h](const std::vector<float>& v) {
    const auto* p = reinterpret_cast<const unsigned char*>(v.data());
    for (size_t i = 0; i < v.size() * sizeof(float); ++i) h = (h ^ p[i]) * 0x100000001b3ull;
  };
  mix(d.x);
  mix(d.y);
  return h;
}

// Pinned streams, bit for bit (recorded before the PRNG moved to base/random.h): the first
// values of x and y and a fingerprint of everything, for each generator.
TEST(Synthetic, StreamsArePinnedBitForBit) {
  struct Case {
    const char* spec;
    float x[4], y[2];
    uint64_t fingerprint;
  };
  const Case cases[] = {
      {"synthetic:blobs",
       {-0x1.55b86cp+2f, -0x1.619622p+0f, 0x1.f8395cp-2f, -0x1.b17c0ep+1f},
       {0x1p+0f, 0x0p+0f},
       0xa23be35b8c68bcdcull},
      {"synthetic:spiral?seed=5",
       {0x1.335bp-3f, 0x1.1b9b26p-3f, -0x1.8373aap-3f, 0x1.dd860ep-4f},
       {0x0p+0f, 0x1p+0f},
       0xccdab2e865737b89ull},
      {"synthetic:regression?rows=50&features=3",
       {0x1.674facp-4f, -0x1.149418p+0f, -0x1.037928p+1f, 0x1.ca56eap-3f},
       {0x1.d5f9a2p+2f, 0x1.eef8d8p+1f},
       0x97bcdf34a182d41dull},
      {"synthetic:mnist?rows=20&seed=2",
       {-0x1.4bf496p-2f, -0x1.954f1p-2f, -0x1.bf1fdcp-2f, 0x1.10d94ep-3f},
       {0x1.2p+3f, 0x1.4p+2f},
       0x5c77284557ef3266ull},
      {"synthetic:zoo",
       {0x0p+0f, 0x0p+0f, 0x1p+0f, 0x1p+0f},
       {0x0p+0f, 0x0p+0f},
       0x6cf35f2b42b3f7f2ull},
  };
  for (const Case& c : cases) {
    auto d = MakeSynthetic(c.spec);
    ASSERT_OK(d);
    for (int i = 0; i < 4; ++i) EXPECT_EQ(d->x[i], c.x[i]) << c.spec << " x[" << i << "]";
    for (int i = 0; i < 2; ++i) EXPECT_EQ(d->y[i], c.y[i]) << c.spec << " y[" << i << "]";
    EXPECT_EQ(Fingerprint(*d), c.fingerprint) << c.spec;
  }
}

TEST(Synthetic, ClassifiableDataIsLearnable) {
  EXPECT_GT(NearestMeanAccuracy(*MakeSynthetic("synthetic:blobs")), 0.9);
  EXPECT_GT(NearestMeanAccuracy(*MakeSynthetic("synthetic:mnist?rows=2000")), 0.3);  // chance 0.1
  EXPECT_GT(NearestMeanAccuracy(*MakeSynthetic("synthetic:zoo?rows=1000")), 0.6);
}

TEST(Synthetic, MnistIsStandardised) {
  auto d = MakeSynthetic("synthetic:mnist?rows=500");
  ASSERT_OK(d);
  double sum = 0, sq = 0;
  for (float v : d->x) sum += v, sq += double(v) * v;
  double n = double(d->x.size());
  EXPECT_NEAR(sum / n, 0.0, 1e-3);
  EXPECT_NEAR(sq / n, 1.0, 1e-3);
}

TEST(Synthetic, ErrorsListChoicesAndSuggest) {
  auto a = MakeSynthetic("synthetic:blob");
  EXPECT_EQ(a.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(a.status().message(), HasSubstr("did you mean 'blobs'?"));
  EXPECT_THAT(a.status().message(), HasSubstr("choices: blobs, spiral, regression, mnist, zoo"));
  auto b = MakeSynthetic("synthetic:blobs?row=10");
  EXPECT_THAT(b.status().message(), HasSubstr("unknown parameter 'row' (did you mean 'rows'?)"));
  EXPECT_THAT(b.status().message(), HasSubstr("seed, rows, features, classes, noise"));
  EXPECT_EQ(MakeSynthetic("synthetic:blobs?rows=0").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(MakeSynthetic("synthetic:blobs?rows=1.5").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(MakeSynthetic("synthetic:blobs?rows").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(MakeSynthetic("synthetic:spiral?features=3").status().code(),
            StatusCode::kInvalidArgument);
}

// Each bound alone passes (rows <= 1e8, features <= 1e5); the product, 4e13 bytes, cannot.
TEST(Synthetic, RowsTimesFeaturesIsBoundedBeforeAllocating) {
  auto a = MakeSynthetic("synthetic:blobs?rows=100000000&features=100000");
  EXPECT_EQ(a.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(a.status().message(),
              HasSubstr("synthetic:blobs?rows=100000000&features=100000: rows x features = "
                        "10000000000000 values: 40000400000000 bytes is over the data limit of " +
                        std::to_string(DataByteLimit()) + " bytes"));
  EXPECT_EQ(MakeSynthetic("synthetic:regression?rows=100000000&features=100000").status().code(),
            StatusCode::kInvalidArgument);
  // 8e9 bytes of centres for 2 rows: over the limit on any machine under 32 GB of memory.
  if (DataByteLimit() < uint64_t{8000000000}) {
    auto c = MakeSynthetic("synthetic:blobs?rows=2&features=100000&classes=10000");
    EXPECT_THAT(c.status().message(), HasSubstr("classes x features = 1000000000 centres"));
  }
}

}  // namespace
}  // namespace sweep::data
