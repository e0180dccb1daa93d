#include "data/dataset_reader.h"

#include <hdf5.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>

#include "base/file.h"
#include "base/strings.h"
#include "data/gz_file.h"
#include "data/hdf5_util.h"
#include "data/idx_reader.h"
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

StatusOr<Dataset> ReadCsvFile(const std::string& path, TargetKind kind) {
  std::string text;
  SWEEP_RETURN_IF_ERROR(ReadMaybeGzipped(path, &text));
  return ParseCsv(text, path, kind);
}

StatusOr<Dataset> ReadHdf5(const std::string& path) {
  SWEEP_ASSIGN_OR_RETURN(h5::Handle file, h5::OpenFileReadOnly(path));
  auto x = h5::ReadFloatDataset(file.get(), "X");
  if (!x.ok()) return x.status().WithContext(path);
  auto y = h5::ReadFloatDataset(file.get(), "y");
  if (!y.ok()) return y.status().WithContext(path);
  bool y_column = y->dims.size() == 1 || (y->dims.size() == 2 && y->dims[1] == 1);
  if (x->dims.size() != 2 || !y_column || y->dims[0] != x->dims[0]) {
    return Status::Corruption(path + ": expected X [rows, cols] and y [rows] with equal rows");
  }
  Dataset d;
  d.rows = static_cast<int64_t>(x->dims[0]);
  d.cols = static_cast<int>(x->dims[1]);
  d.x = std::move(x->values);
  d.y = std::move(y->values);
  d.source = path;
  return d;
}

enum class Format { kCsv, kIdx, kHdf5, kUnknown };

Format FormatOf(const std::string& path) {
  if (EndsWith(path, ".csv") || EndsWith(path, ".csv.gz")) return Format::kCsv;
  if (IsIdxImagesPath(path)) return Format::kIdx;
  if (EndsWith(path, ".h5") || EndsWith(path, ".hdf5")) return Format::kHdf5;
  return Format::kUnknown;
}

StatusOr<Dataset> ReadFileByFormat(const std::string& path, TargetKind kind) {
  switch (FormatOf(path)) {
    case Format::kCsv:
      return ReadCsvFile(path, kind);
    case Format::kIdx:
      return ReadIdx(path);
    case Format::kHdf5:
      return ReadHdf5(path);
    case Format::kUnknown:
      break;
  }
  return Status::InvalidArgument(path +
                                 ": unknown data format (expected *.csv, *.csv.gz, "
                                 "*-images-idx3-ubyte[.gz], *.h5, *.hdf5 or synthetic:NAME)");
}

}  // namespace

StatusOr<Dataset> ReadDataset(const std::string& path, TargetKind kind) {
  if (IsSyntheticName(path)) return ReadSynthetic(path, kind);
  if (path.find("://") != std::string::npos) {  // data/ reads local files; storage/ fetches
    return Status::InvalidArgument(path + ": fetch remote inputs (s3://) with FetchInput first");
  }
  if (FormatOf(path) != Format::kUnknown && ::access(path.c_str(), R_OK) != 0) {
    return FromErrno(errno, path);
  }
  SWEEP_ASSIGN_OR_RETURN(Dataset d, ReadFileByFormat(path, kind));
  SWEEP_RETURN_IF_ERROR(FinishTargets(&d, kind));
  return d;
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
