// A quick look at a data file before a sweep starts: it exists, is a readable regular file and
// begins the way its format does (gzip, IDX and HDF5 magic numbers; an IDX images file has its
// labels file beside it). Reads at most a few bytes: `sweep validate` and `sweep run` probe
// every distinct input of a spec before any row starts.
#pragma once

#include <string>

#include "base/status.h"

namespace sweep::data {

// Local path or synthetic:NAME (always Ok here; its parameters are checked when read).
// Errors: NotFound ("no such file", "no labels file beside it"), InvalidArgument (a folder, a
// device or FIFO, unreadable, wrong magic: "not gzip", "not an IDX images file", "not HDF5").
Status ProbeDataset(const std::string& path);

}  // namespace sweep::data
