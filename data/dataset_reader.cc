#include "data/dataset_reader.h"

#include <hdf5.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "base/file.h"
#include "base/strings.h"
#include "data/gz_file.h"
#include "data/hdf5_util.h"
#include "data/idx_reader.h"
#include "data/isolated.h"
#include "data/synthetic.h"

namespace sweep::data {
namespace {

// Checks class labels (integers >= 0) and sets num_classes; regression targets get 0.
Status FinishTargets(Dataset* d, TargetKind kind) {
  if (d->rows == 0) return Status::InvalidArgument(d->source + ": no data rows");
  if (kind == TargetKind::kRegression) {
    d->num_classes = 0;
    return Status::Ok();
  }
  if (!d->class_names.empty()) {  // named labels (CSV): already indices into the names
    d->num_classes = static_cast<int>(d->class_names.size());
    return Status::Ok();
  }
  float largest = 0;
  for (size_t i = 0; i < d->y.size(); ++i) {
    float v = d->y[i];
    if (!(v >= 0) || v != std::floor(v) || v > 1e6f) {
      return Status::InvalidArgument(d->source + ": row " + std::to_string(i + 1) + ": label " +
                                     std::to_string(v) + " is not a class index (integer >= 0)");
    }
    largest = std::max(largest, v);
  }
  d->num_classes = 1 + static_cast<int>(largest);
  return Status::Ok();
}

StatusOr<Dataset> ReadSynthetic(const std::string& spec, TargetKind kind) {
  SWEEP_ASSIGN_OR_RETURN(Dataset d, MakeSynthetic(spec));
  if (kind == TargetKind::kClassLabels && d.num_classes == 0) {
    return Status::InvalidArgument(spec +
                                   " has a regression target, but the task needs class "
                                   "labels");
  }
  if (kind == TargetKind::kRegression) d.num_classes = 0;  // class indices used as values
  return d;
}

StatusOr<Dataset> ReadCsvFile(const std::string& path, TargetKind kind,
                              const ReadOptions& options) {
  std::string text;
  SWEEP_RETURN_IF_ERROR(ReadMaybeGzipped(path, &text));
  return ParseCsv(text, path, kind, options);
}

// X [rows, cols] or [rows, d1, d2, ...] (then sample_shape {d1, d2, ...}); y [rows] or
// [rows, 1], optional when `labels` is kOptional (then y is empty).
StatusOr<Dataset> ReadHdf5InProcess(const std::string& path, IdxLabels labels) {
  SWEEP_ASSIGN_OR_RETURN(h5::Handle file, h5::OpenFileReadOnly(path));
  auto x = h5::ReadFloatDataset(file.get(), "X");
  if (!x.ok()) return x.status().WithContext(path);
  if (x->dims.size() < 2) return Status::Corruption(path + ": expected X [rows, cols, ...]");
  Dataset d;
  d.rows = static_cast<int64_t>(x->dims[0]);
  uint64_t cols = 1;
  for (size_t i = 1; i < x->dims.size(); ++i) cols *= x->dims[i];  // <= the count: no wrap
  if (cols > INT32_MAX || d.rows > INT32_MAX) {
    return Status::Corruption(path + ": X has " + std::to_string(cols) + " features per row and " +
                              std::to_string(d.rows) + " rows; at most 2^31-1 of each");
  }
  d.cols = static_cast<int>(cols);
  for (size_t i = 1; x->dims.size() > 2 && i < x->dims.size(); ++i) {
    d.sample_shape.push_back(static_cast<int>(x->dims[i]));
  }
  d.x = std::move(x->values);
  d.source = path;
  if (labels == IdxLabels::kOptional && !h5::HasLink(file.get(), "y")) return d;
  auto y = h5::ReadFloatDataset(file.get(), "y");
  if (!y.ok()) return y.status().WithContext(path);
  bool y_column = y->dims.size() == 1 || (y->dims.size() == 2 && y->dims[1] == 1);
  if (!y_column || y->dims[0] != x->dims[0]) {
    return Status::Corruption(path + ": expected X [rows, cols] and y [rows] with equal rows");
  }
  d.y = std::move(y->values);
  return d;
}

// Non-finite values train an all-NaN model that reports success: every reader's output is
// checked here (CSV's parser already refuses them; IDX pixels are bytes).
// Whether every value is finite, by its exponent bits (all ones: inf or NaN): an integer
// max the compiler vectorizes, where std::isfinite per element is a scalar loop (a quarter of a
// worker's start on Fashion-MNIST).
bool AllFinite(const std::vector<float>& v) {
  uint32_t top = 0;
  for (float f : v) {
    uint32_t bits;
    std::memcpy(&bits, &f, sizeof bits);
    top = std::max(top, bits & 0x7f800000u);
  }
  return top != 0x7f800000u;
}

Status CheckFinite(const Dataset& d) {
  if (AllFinite(d.x) && AllFinite(d.y)) return Status::Ok();
  for (size_t i = 0; i < d.x.size(); ++i) {
    if (std::isfinite(d.x[i])) continue;
    const size_t cols = static_cast<size_t>(std::max(d.cols, 1));
    return Status::InvalidArgument(d.source + ": row " + std::to_string(i / cols + 1) +
                                   ", column " + std::to_string(i % cols + 1) + ": feature is " +
                                   std::to_string(d.x[i]) + " (features must be finite)");
  }
  for (size_t i = 0; i < d.y.size(); ++i) {
    if (!std::isfinite(d.y[i])) {
      return Status::InvalidArgument(d.source + ": row " + std::to_string(i + 1) + ": label is " +
                                     std::to_string(d.y[i]) + " (labels must be finite)");
    }
  }
  return Status::Ok();
}

// libhdf5 1.10 crashes or hangs on some crafted files: the file is read once in a child first
// (data/isolated.h), then here. The time allowed grows with the file (50 MB/s, plus a minute).
StatusOr<Dataset> ReadHdf5(const std::string& path, IdxLabels labels) {
  struct stat st;
  const int64_t size = ::stat(path.c_str(), &st) == 0 ? st.st_size : 0;
  SWEEP_RETURN_IF_ERROR(RunIsolated([&] { return ReadHdf5InProcess(path, labels).status(); }, path,
                                    60 + static_cast<int>(size / (50 << 20))));
  return ReadHdf5InProcess(path, labels);
}

// `labels` applies to IDX and HDF5 (a CSV for prediction is read by ParsePredictCsv), `options`
// to CSV.
StatusOr<Dataset> ReadFileByFormat(const std::string& path, TargetKind kind, IdxLabels labels,
                                   const ReadOptions& options) {
  StatusOr<Dataset> d = Status::InvalidArgument(
      path +
      ": unknown data format (expected *.csv, *.csv.gz, *-images-idx3-ubyte[.gz], *.h5, *.hdf5 "
      "or synthetic:NAME)");
  switch (FormatOf(path)) {
    case FileFormat::kCsv:
      d = ReadCsvFile(path, kind, options);
      break;
    case FileFormat::kIdx:
      d = ReadIdx(path, labels);
      break;
    case FileFormat::kHdf5:
      d = ReadHdf5(path, labels);
      break;
    case FileFormat::kUnknown:
      break;
  }
  if (d.ok()) SWEEP_RETURN_IF_ERROR(CheckFinite(*d));
  return d;
}

// A local file ReadDataset can open (synthetic: names are not files).
Status CheckLocalFile(const std::string& path) {
  if (path.find("://") != std::string::npos) {  // data/ reads local files; storage/ fetches
    return Status::InvalidArgument(path + ": fetch remote inputs (s3://) with FetchInput first");
  }
  if (FormatOf(path) == FileFormat::kUnknown) return Status::Ok();  // ReadFileByFormat says so
  if (::access(path.c_str(), R_OK) != 0) return FromErrno(errno, path);
  // A folder, /dev/zero or a FIFO: refused before any reader opens it (HDF5's open of a FIFO
  // would wait for a writer forever; a device never ends).
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return FromErrno(errno, path);
  return CheckRegularFile(path, st.st_mode, "data file");
}

// An IDX, HDF5 or synthetic: set for a model with `features` inputs; labels optional.
StatusOr<PredictInput> ReadPredictArrays(const std::string& path, int features,
                                         const std::vector<std::string>& class_names) {
  PredictInput in;
  if (IsSyntheticName(path)) {
    SWEEP_ASSIGN_OR_RETURN(in.data, MakeSynthetic(path));
  } else {
    SWEEP_ASSIGN_OR_RETURN(in.data, ReadFileByFormat(path, TargetKind::kRegression,
                                                     IdxLabels::kOptional, ReadOptions{}));
  }
  if (in.data.cols != features) {
    return Status::InvalidArgument(in.data.source + " has " + std::to_string(in.data.cols) +
                                   " features; the model takes " + std::to_string(features));
  }
  in.has_labels = !in.data.y.empty();
  if (!in.has_labels) in.data.y.assign(static_cast<size_t>(in.data.rows), 0.0f);
  in.data.class_names = class_names;
  in.data.num_classes = static_cast<int>(class_names.size());
  return in;
}

}  // namespace

FileFormat FormatOf(const std::string& path) {
  if (EndsWith(path, ".csv") || EndsWith(path, ".csv.gz")) return FileFormat::kCsv;
  if (IsIdxImagesPath(path)) return FileFormat::kIdx;
  if (EndsWith(path, ".h5") || EndsWith(path, ".hdf5")) return FileFormat::kHdf5;
  return FileFormat::kUnknown;
}

Status CheckReadOptions(const std::string& path, const ReadOptions& options) {
  if (options.skip_rows == 0) return Status::Ok();
  if (options.skip_rows < 0) {
    return Status::InvalidArgument(path + ": skip_rows must be >= 0, got " +
                                   std::to_string(options.skip_rows));
  }
  const FileFormat format = IsSyntheticName(path) ? FileFormat::kUnknown : FormatOf(path);
  if (format == FileFormat::kCsv) return Status::Ok();
  const char* what = IsSyntheticName(path)         ? "a synthetic: set"
                     : format == FileFormat::kIdx  ? "IDX"
                     : format == FileFormat::kHdf5 ? "HDF5"
                                                   : "a file of unknown format";
  return Status::InvalidArgument(path + ": skip_rows applies to CSV files only, not " +
                                 std::string(what));
}

StatusOr<Dataset> ReadDataset(const std::string& path, TargetKind kind,
                              const ReadOptions& options) {
  SWEEP_RETURN_IF_ERROR(CheckReadOptions(path, options));
  if (IsSyntheticName(path)) return ReadSynthetic(path, kind);
  SWEEP_RETURN_IF_ERROR(CheckLocalFile(path));
  SWEEP_ASSIGN_OR_RETURN(Dataset d, ReadFileByFormat(path, kind, IdxLabels::kRequired, options));
  SWEEP_RETURN_IF_ERROR(FinishTargets(&d, kind));
  return d;
}

StatusOr<PredictInput> ReadPredictInput(const std::string& path, int features,
                                        const std::vector<std::string>& class_names) {
  if (!IsSyntheticName(path)) SWEEP_RETURN_IF_ERROR(CheckLocalFile(path));
  if (FormatOf(path) != FileFormat::kCsv) return ReadPredictArrays(path, features, class_names);
  std::string text;
  SWEEP_RETURN_IF_ERROR(ReadMaybeGzipped(path, &text));
  return ParsePredictCsv(text, path, features, class_names);
}

Status WriteHdf5Dataset(const std::string& path, const Dataset& data) {
  if (data.x.size() != static_cast<size_t>(data.rows) * data.cols ||
      data.y.size() != static_cast<size_t>(data.rows)) {
    return Status::InvalidArgument(path + ": x/y sizes do not match rows x cols");
  }
  size_t slash = path.find_last_of('/');
  if (slash != std::string::npos && slash > 0) {
    SWEEP_RETURN_IF_ERROR(CreateDirectories(path.substr(0, slash)));
  }
  std::string temp = TempPathFor(path);
  Status s = [&]() -> Status {
    SWEEP_ASSIGN_OR_RETURN(h5::Handle file, h5::CreateFile(temp));
    uint64_t rows = static_cast<uint64_t>(data.rows), cols = static_cast<uint64_t>(data.cols);
    SWEEP_RETURN_IF_ERROR(h5::WriteFloatDataset(file.get(), "X", {rows, cols}, data.x.data()));
    SWEEP_RETURN_IF_ERROR(h5::WriteFloatDataset(file.get(), "y", {rows}, data.y.data()));
    return file.Close("close " + temp);
  }();
  if (!s.ok()) {
    ::unlink(temp.c_str());
    return s.WithContext("write " + path);
  }
  return CommitFile(temp, path);
}

}  // namespace sweep::data
