// A quick look at a data file before a sweep starts: it exists, is a readable regular file and
// begins the way its format does (gzip, IDX and HDF5 magic numbers; an IDX images file has its
// labels file beside it; a plain CSV's first lines parse, after `skip_rows`). Reads at most
// kCsvProbeBytes: `sweep validate` and `sweep run` probe every distinct input of a spec before
// any row starts.
#pragma once

#include <cstddef>
#include <string>

#include "base/status.h"
#include "data/dataset_reader.h"

namespace sweep::data {

// How much of a plain .csv the probe reads: the whole lines in it are checked as the reader
// will read them (widths, numeric features: a metadata line atop the file shows here), labels
// not. A .csv.gz is checked for its gzip magic only.
inline constexpr size_t kCsvProbeBytes = 64 * 1024;

// Local path or synthetic:NAME (always Ok here; its parameters are checked when read).
// Errors: NotFound ("no such file", "no labels file beside it"), InvalidArgument (a folder, a
// device or FIFO, unreadable, wrong magic: "not gzip", "not an IDX images file", "not HDF5",
// options that do not fit the format: CheckReadOptions, a CSV line that does not parse:
// "iris.csv: line 1: field 3: 'setosa' is not a number (...skip_rows: 1 skips it)").
Status ProbeDataset(const std::string& path, const ReadOptions& options = {});

}  // namespace sweep::data
