#include "data/synthetic.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <map>

#include "base/random.h"
#include "base/strings.h"
#include "data/limits.h"

namespace sweep::data {
namespace {

struct Params {
  std::map<std::string, double> num;
  uint64_t seed = 1;
  int Int(const char* k) const { return static_cast<int>(num.at(k)); }
  double Real(const char* k) const { return num.at(k); }
};

// Rows are generated class by class (or cyclically); a deterministic Fisher-Yates shuffle puts
// them in random order so that any contiguous split (validation tail, shards) sees every class.
void ShuffleRows(Dataset* d, SplitMix64Rng& rng) {
  std::vector<float> row(static_cast<size_t>(d->cols));
  for (int64_t i = d->rows - 1; i > 0; --i) {
    int64_t j = static_cast<int64_t>(ModuloBelow(rng, static_cast<uint64_t>(i + 1)));
    if (j == i) continue;
    float* a = &d->x[size_t(i) * d->cols];
    float* b = &d->x[size_t(j) * d->cols];
    std::copy(a, a + d->cols, row.begin());
    std::copy(b, b + d->cols, a);
    std::copy(row.begin(), row.end(), b);
    std::swap(d->y[i], d->y[j]);
  }
}

Dataset Blobs(const Params& p) {
  int rows = p.Int("rows"), cols = p.Int("features"), k = p.Int("classes");
  double noise = p.Real("noise");
  SplitMix64Rng rng(p.seed);
  NormalPairs normal;
  std::vector<double> centres(static_cast<size_t>(k) * cols);
  for (double& c : centres) c = UniformReal(rng, -5, 5);
  Dataset d = ZeroDataset(rows, cols, k);
  for (int i = 0; i < rows; ++i) {
    int c = i % k;
    d.y[i] = static_cast<float>(c);
    for (int j = 0; j < cols; ++j) {
      d.x[size_t(i) * cols + j] =
          static_cast<float>(centres[size_t(c) * cols + j] + noise * normal(rng));
    }
  }
  ShuffleRows(&d, rng);
  return d;
}

Dataset Spiral(const Params& p) {
  int rows = p.Int("rows"), k = p.Int("classes");
  double noise = p.Real("noise");
  SplitMix64Rng rng(p.seed);
  NormalPairs normal;
  Dataset d = ZeroDataset(rows, 2, k);
  int per_class = (rows + k - 1) / k;
  for (int i = 0; i < rows; ++i) {
    int c = i % k;
    double r = per_class > 1 ? static_cast<double>(i / k) / (per_class - 1) : 1.0;
    double t = 4.0 * (c + r) + noise * normal(rng);
    d.x[size_t(i) * 2] = static_cast<float>(r * std::sin(t));
    d.x[size_t(i) * 2 + 1] = static_cast<float>(r * std::cos(t));
    d.y[i] = static_cast<float>(c);
  }
  ShuffleRows(&d, rng);
  return d;
}

Dataset Regression(const Params& p) {
  int rows = p.Int("rows"), cols = p.Int("features");
  double noise = p.Real("noise");
  SplitMix64Rng rng(p.seed);
  NormalPairs normal;
  std::vector<double> w(static_cast<size_t>(cols));
  for (double& v : w) v = normal(rng);
  double b = normal(rng);
  Dataset d = ZeroDataset(rows, cols, 0);
  for (int i = 0; i < rows; ++i) {
    double y = b;
    for (int j = 0; j < cols; ++j) {
      double x = normal(rng);
      d.x[size_t(i) * cols + j] = static_cast<float>(x);
      y += w[j] * x;
    }
    d.y[i] = static_cast<float>(y + noise * normal(rng));
  }
  return d;
}

// 28x28 images in [0, 1]: each prototype is three soft strokes (Gaussian blobs).
std::vector<float> MnistPrototypes(SplitMix64Rng& rng, int count) {
  std::vector<float> protos(static_cast<size_t>(count) * 784, 0.0f);
  for (int p = 0; p < count; ++p) {
    for (int s = 0; s < 3; ++s) {
      double cx = UniformReal(rng, 7, 21), cy = UniformReal(rng, 7, 21);
      double sx = UniformReal(rng, 1.5, 5), sy = UniformReal(rng, 1.5, 5);
      for (int r = 0; r < 28; ++r) {
        for (int c = 0; c < 28; ++c) {
          double dx = (c - cx) / sx, dy = (r - cy) / sy;
          float& px = protos[size_t(p) * 784 + r * 28 + c];
          px = std::min(1.0f, px + static_cast<float>(std::exp(-0.5 * (dx * dx + dy * dy))));
        }
      }
    }
  }
  return protos;
}

Dataset Mnist(const Params& p) {
  constexpr int kClasses = 10, kVariants = 4, kPixels = 784;
  int rows = p.Int("rows");
  double noise = 0.3 * p.Real("noise");
  SplitMix64Rng rng(p.seed);
  std::vector<float> protos = MnistPrototypes(rng, kClasses * kVariants);
  Dataset d = ZeroDataset(rows, kPixels, kClasses);
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < rows; ++i) {
    int c = static_cast<int>(ModuloBelow(rng, kClasses));
    const size_t variant = size_t(c) * kVariants + ModuloBelow(rng, kVariants);
    const float* proto = &protos[variant * kPixels];
    // Stroke intensity and position vary like handwriting; the shift makes a linear model
    // clearly weaker than an MLP, as on real MNIST.
    double ink = UniformReal(rng, 0.6, 1.2);
    int dx = static_cast<int>(ModuloBelow(rng, 3)) - 1;
    int dy = static_cast<int>(ModuloBelow(rng, 3)) - 1;
    float* row = &d.x[size_t(i) * kPixels];
    for (int r = 0; r < 28; ++r) {
      for (int col = 0; col < 28; ++col) {
        int sr = r - dy, sc = col - dx;
        bool inside = sr >= 0 && sr < 28 && sc >= 0 && sc < 28;
        double v = (inside ? ink * proto[sr * 28 + sc] : 0.0) + noise * IrwinHallNormal(rng);
        row[r * 28 + col] = static_cast<float>(v);
        sum += v;
        sum_sq += v * v;
      }
    }
    d.y[i] = static_cast<float>(c);
  }
  // Standardise like MNIST's (x - 0.1307) / 0.3081: roughly zero mean, unit variance.
  double n = static_cast<double>(d.x.size());
  double mean = sum / n, sd = std::sqrt(std::max(1e-12, sum_sq / n - mean * mean));
  float fm = static_cast<float>(mean), fs = static_cast<float>(1.0 / sd);
  for (float& v : d.x) v = (v - fm) * fs;
  return d;
}

Dataset Zoo(const Params& p) {
  constexpr int kClasses = 7, kFeatures = 16, kLegs = 12;
  constexpr int kSizes[kClasses] = {41, 20, 5, 13, 4, 8, 10};  // of 101 animals
  constexpr int kLegChoices[] = {0, 2, 4, 5, 6, 8};
  // The class profiles are fixed (seed 7); `seed` only changes which animals are drawn.
  SplitMix64Rng profile_rng(7);
  double prob[kClasses][kFeatures];
  int legs[kClasses];
  for (int c = 0; c < kClasses; ++c) {
    for (double& q : prob[c]) q = Uniform01(profile_rng) < 0.5 ? 0.1 : 0.9;
    legs[c] = kLegChoices[ModuloBelow(profile_rng, 6)];
  }
  int rows = p.Int("rows");
  SplitMix64Rng rng(p.seed);
  Dataset d = ZeroDataset(rows, kFeatures, kClasses);
  for (int i = 0, c = 0, cum = kSizes[0]; i < rows; ++i) {
    while (c + 1 < kClasses && static_cast<int64_t>(i) * 101 >= static_cast<int64_t>(cum) * rows) {
      cum += kSizes[++c];
    }
    for (int j = 0; j < kFeatures; ++j) {
      d.x[size_t(i) * kFeatures + j] = Uniform01(rng) < prob[c][j] ? 1.0f : 0.0f;
    }
    d.x[size_t(i) * kFeatures + kLegs] =
        static_cast<float>(Uniform01(rng) < 0.8 ? legs[c] : kLegChoices[ModuloBelow(rng, 6)]);
    d.y[i] = static_cast<float>(c);
  }
  ShuffleRows(&d, rng);
  return d;
}

struct ParamDef {
  const char* name;
  double fallback, min, max;
  bool integer;
};

struct Generator {
  const char* name;
  std::vector<ParamDef> params;  // "seed" is always accepted
  Dataset (*make)(const Params&);
  int cols = 0;  // features per row; 0 = the "features" parameter
};

constexpr double kMaxRows = 1e8;

const std::vector<Generator>& Generators() {
  static const std::vector<Generator> g = {
      {"blobs",
       {{"rows", 1000, 1, kMaxRows, true},
        {"features", 20, 1, 1e5, true},
        {"classes", 4, 2, 1e4, true},
        {"noise", 1.0, 0, 1e6, false}},
       Blobs},
      {"spiral",
       {{"rows", 1000, 1, kMaxRows, true},
        {"classes", 3, 2, 1e4, true},
        {"noise", 0.2, 0, 1e6, false}},
       Spiral,
       2},
      {"regression",
       {{"rows", 1000, 1, kMaxRows, true},
        {"features", 20, 1, 1e5, true},
        {"noise", 0.1, 0, 1e6, false}},
       Regression},
      {"mnist", {{"rows", 60000, 1, 1e7, true}, {"noise", 1.0, 0, 1e6, false}}, Mnist, 784},
      {"zoo", {{"rows", 101, 7, kMaxRows, true}}, Zoo, 16},
  };
  return g;
}

Status ParseValue(const std::string& spec, const ParamDef& def, const std::string& text,
                  double* out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  bool ok = ec == std::errc() && end == text.data() + text.size() && std::isfinite(*out);
  if (!ok || (def.integer && *out != std::floor(*out)) || *out < def.min || *out > def.max) {
    return Status::InvalidArgument(spec + ": " + def.name + "=" + text + " must be " +
                                   (def.integer ? "an integer" : "a number") + " in [" +
                                   std::to_string(static_cast<int64_t>(def.min)) + ", " +
                                   std::to_string(static_cast<int64_t>(def.max)) + "]");
  }
  return Status::Ok();
}

Status ParseOne(const std::string& spec, const Generator& gen, const std::string& key,
                const std::string& value, Params* params) {
  if (key == "seed") {
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), params->seed);
    if (ec != std::errc() || end != value.data() + value.size()) {
      return Status::InvalidArgument(spec + ": seed=" + value + " must be an integer >= 0");
    }
    return Status::Ok();
  }
  std::vector<std::string> names = {"seed"};
  for (const auto& def : gen.params) {
    if (key == def.name) return ParseValue(spec, def, value, &params->num[key]);
    names.push_back(def.name);
  }
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  return Status::InvalidArgument(spec + ": unknown parameter '" + key + "'" +
                                 DidYouMean(key, names) + "; " + gen.name + " takes " + list);
}

Status ParseQuery(const std::string& spec, const Generator& gen, const std::string& query,
                  Params* params) {
  for (const auto& def : gen.params) params->num[def.name] = def.fallback;
  size_t start = 0;
  while (start < query.size()) {
    size_t amp = std::min(query.find('&', start), query.size());
    std::string item = query.substr(start, amp - start);
    start = amp + 1;
    if (item.empty()) continue;
    size_t eq = item.find('=');
    if (eq == std::string::npos) {
      return Status::InvalidArgument(spec + ": expected key=value, got '" + item + "'");
    }
    SWEEP_RETURN_IF_ERROR(ParseOne(spec, gen, item.substr(0, eq), item.substr(eq + 1), params));
  }
  return Status::Ok();
}

// Each bound alone is checked by ParseValue; their products are checked here, before the
// generator allocates: rows x features floats (and y), and blobs' classes x features centres.
Status CheckSize(const std::string& spec, const Generator& gen, const Params& p) {
  const double cols = gen.cols > 0 ? gen.cols : p.Real("features");
  const double values = p.Real("rows") * cols;
  SWEEP_RETURN_IF_ERROR(CheckDataBytes(
      static_cast<uint64_t>(values + p.Real("rows")) * sizeof(float),
      spec + ": rows x features = " + std::to_string(static_cast<uint64_t>(values)) + " values"));
  if (p.num.count("classes") && gen.cols == 0) {
    const double centres = p.Real("classes") * cols;
    SWEEP_RETURN_IF_ERROR(CheckDataBytes(
        static_cast<uint64_t>(centres) * sizeof(double),
        spec + ": classes x features = " + std::to_string(static_cast<uint64_t>(centres)) +
            " centres"));
  }
  return Status::Ok();
}

}  // namespace

bool IsSyntheticName(const std::string& path) { return path.rfind(kSyntheticPrefix, 0) == 0; }

std::vector<std::string> SyntheticNames() {
  std::vector<std::string> names;
  for (const auto& g : Generators()) names.push_back(g.name);
  return names;
}

StatusOr<Dataset> MakeSynthetic(const std::string& spec) {
  std::string rest = IsSyntheticName(spec) ? spec.substr(sizeof(kSyntheticPrefix) - 1) : spec;
  size_t q = rest.find('?');
  std::string name = rest.substr(0, q);
  std::string query = q == std::string::npos ? "" : rest.substr(q + 1);
  for (const auto& gen : Generators()) {
    if (name != gen.name) continue;
    Params params;
    SWEEP_RETURN_IF_ERROR(ParseQuery(spec, gen, query, &params));
    SWEEP_RETURN_IF_ERROR(CheckSize(spec, gen, params));
    Dataset d = gen.make(params);
    d.source = spec;
    return d;
  }
  std::vector<std::string> names = SyntheticNames();
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  return Status::InvalidArgument("unknown synthetic data set '" + name + "'" +
                                 DidYouMean(name, names) + "; choices: " + list);
}

}  // namespace sweep::data
