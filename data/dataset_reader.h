// Reading data sets into memory. The format is chosen by the name:
//   synthetic:NAME[?k=v&...]           deterministic generator (see synthetic.h)
//   *.csv / *.csv.gz                   label in the last column; '#' lines skipped; CRLF ok;
//                                      a first line with no number at all is a header (skipped)
//   *-images-idx3-ubyte[.gz]           IDX images scaled to [0,1]; labels read from the
//                                      matching *-labels-idx1-ubyte[.gz] next to it
//   *.h5 / *.hdf5                      datasets X (rows x cols) and y (rows), any integer or
//                                      float type, converted to float (uint8 is not rescaled)
// Errors name the file and the line or record: InvalidArgument/Corruption for bad content,
// NotFound for a missing file.
#pragma once

#include <string>

#include "base/dataset.h"
#include "base/status.h"

namespace sweep::data {

enum class TargetKind { kClassLabels, kRegression };

// Local path or synthetic:NAME only (s3:// URIs are fetched to a local cache first by the
// caller). Class labels must be integers >= 0; num_classes = 1 + the largest label.
StatusOr<Dataset> ReadDataset(const std::string& path, TargetKind kind);

// Parsers over in-memory text, for tests. `name` is used in messages.
StatusOr<Dataset> ParseCsv(const std::string& text, const std::string& name, TargetKind kind);

// Writes X/y as an HDF5 file (used by the benchmark and tests to hand data to the worker).
Status WriteHdf5Dataset(const std::string& path, const Dataset& data);

}  // namespace sweep::data
