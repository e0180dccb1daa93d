// Reading a model.h5 that came from storage without running libhdf5 in this process. libhdf5
// 1.10 crashes or hangs on some crafted files (data/isolated.h); `sweep serve` loads whatever
// model.h5 appears in storage and must not go down with it. ReadModelFileIsolated starts this
// same program again (/proc/self/exe) as a reader: the reader runs ReadModelFile and writes the
// ModelFile back to its stdout in the byte codec's format (storage/byte_codec.h), which this
// process decodes with bounds checks. A fresh program rather than a fork: a server has other
// threads, and a forked child of a multi-threaded process may not take their locks.
// Every main() of a program that calls ReadModelFileIsolated starts with
// RunModelReaderIfAsked(argc, argv).
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "storage/keras_h5.h"

namespace sweep::storage {

// The reader's command line: {program, kModelReaderFlag, path}.
inline constexpr std::string_view kModelReaderFlag = "--sweep-internal-read-model";
// A reader that runs longer is killed: libhdf5 hangs on some crafted files. (`sweep serve` and
// `sweep predict` take SWEEP_MODEL_READ_TIMEOUT seconds instead when it is set: predict/.)
inline constexpr int kModelReadTimeoutS = 30;

// When argv is the reader's command line, reads the model, reports and exits (never returns);
// otherwise returns at once.
void RunModelReaderIfAsked(int argc, char** argv);

// ReadModelFile(path) in a reader process. Errors: ReadModelFile's (NotFound, Corruption), and
// InvalidArgument when `path` is not a regular file (CheckRegularFile), Corruption when the
// reader crashes, hangs past `timeout_s` or reports bytes that do not decode.
StatusOr<ModelFile> ReadModelFileIsolated(const std::string& path,
                                          int timeout_s = kModelReadTimeoutS);

// The reader's report format (exposed for tests and the fuzz target). Decode checks every
// length against the bytes left and that layer sizes match; Errors: Corruption.
std::string EncodeModelFile(const ModelFile& model);
StatusOr<ModelFile> DecodeModelFile(std::string_view bytes);

}  // namespace sweep::storage
