// Reading data sets into memory. The format is chosen by the name:
//   synthetic:NAME[?k=v&...]           deterministic generator (see synthetic.h)
//   *.csv / *.csv.gz                   label in the last column; '#' lines skipped; CRLF ok;
//                                      a first line with no number at all is a header (skipped);
//                                      string labels ("Iris-setosa") are class names: see below;
//                                      ReadOptions::skip_rows lines dropped first (see there)
//   *-images-idx3-ubyte[.gz]           IDX images scaled to [0,1]; labels read from the
//                                      matching *-labels-idx1-ubyte[.gz] next to it;
//                                      sample_shape {rows, cols}, preprocessing uint8 / 255
//   *.h5 / *.hdf5                      datasets X (rows x cols, or rows x d1 x d2 ...: then
//                                      sample_shape {d1, d2, ...}) and y (rows), any integer or
//                                      float type, converted to float (uint8 is not rescaled)
// Class labels in a CSV: if every label is a number, they are class indices (integers >= 0);
// if any is not, every label is a name, the classes are the distinct names in sorted byte order
// (class_names) and y holds each row's index in them (data/class_names.h).
// Errors name the file and the line or record: InvalidArgument/Corruption for bad content,
// NotFound for a missing file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/dataset.h"
#include "base/status.h"

namespace sweep::data {

enum class TargetKind { kClassLabels, kRegression };

// The file format a data path names, by its name as the table above says.
enum class FileFormat { kCsv, kIdx, kHdf5, kUnknown };
FileFormat FormatOf(const std::string& path);

// How a file is read beyond what its name says (the row key skip_rows).
struct ReadOptions {
  // CSV only: physical lines dropped at the top before anything else, blank and '#' lines
  // included ("150,4,setosa,versicolor,virginica" atop sklearn's iris.csv: 1). A header after
  // them is still recognised (no number in it) and needs no counting. Line numbers in errors
  // stay those of the file.
  int skip_rows = 0;
};

// Ok, or InvalidArgument when `options` do not apply to the format `path` names:
// "x.h5: skip_rows applies to CSV files only, not HDF5". Takes any name: a local path, an
// s3:// URI or synthetic:NAME.
Status CheckReadOptions(const std::string& path, const ReadOptions& options);

// Local path or synthetic:NAME only (s3:// URIs are fetched to a local cache first by the
// caller). Class labels must be integers >= 0 (num_classes = 1 + the largest label) or, in a
// CSV, names (num_classes = the number of names). A regression target must be numbers.
StatusOr<Dataset> ReadDataset(const std::string& path, TargetKind kind,
                              const ReadOptions& options = {});

// Inputs to predict with a trained model. y has `data.rows` entries: the labels mapped to the
// model's class indices when has_labels, else zeros. data.num_classes is the number of the
// model's class names (0 when it has none: the caller knows its model).
struct PredictInput {
  Dataset data;
  bool has_labels = false;
};

// Reads `path` (any format ReadDataset reads: CSV/CSV.gz, IDX, HDF5, synthetic:) for a model with
// `features` inputs.
// CSV: exactly `features` columns = no label; features+1 = the last column is the label, mapped
// through `class_names` when the model has names (an unknown name is InvalidArgument naming the
// line and the known names), else a number (a class index or a regression value, as written).
// IDX: the labels file is optional. HDF5: y optional. Wrong width: InvalidArgument naming both
// widths ("zoo.csv has 12 feature columns ...; the model takes 16").
StatusOr<PredictInput> ReadPredictInput(const std::string& path, int features,
                                        const std::vector<std::string>& class_names);

// Parsers over in-memory text, for tests. `name` is used in messages.
StatusOr<Dataset> ParseCsv(const std::string& text, const std::string& name, TargetKind kind,
                           const ReadOptions& options = {});
// The first lines of a training CSV (`head`, whole lines), checked as ParseCsv reads them: the
// widths agree and every feature is a number. Labels are not checked. For the probe.
Status CheckCsvHead(std::string_view head, const std::string& name, const ReadOptions& options);
// ReadPredictInput's CSV rules.
StatusOr<PredictInput> ParsePredictCsv(const std::string& text, const std::string& name,
                                       int features, const std::vector<std::string>& class_names);

// Writes X/y as an HDF5 file (used by the benchmark and tests to hand data to the worker).
Status WriteHdf5Dataset(const std::string& path, const Dataset& data);

}  // namespace sweep::data
