// IDX files (the MNIST / Fashion-MNIST format), plain or gzip-compressed.
//
//   images: u32 magic 0x00000803, u32 count, u32 rows, u32 cols, then count*rows*cols u8 pixels
//   labels: u32 magic 0x00000801, u32 count, then count u8 labels
// All integers big-endian. Pixels become floats in [0,1] (p / 255), one row per image; the
// Dataset records it: sample_shape {rows, cols}, preprocessing kIdxPreprocessing.
#pragma once

#include <string>
#include <vector>

#include "base/dataset.h"
#include "base/status.h"

namespace sweep::data {

// Dataset::preprocessing of IDX images: uint8 pixels times 1/255.
inline constexpr const char* kIdxPreprocessing =
    R"({"input_dtype":"uint8","scale":0.00392156862745098})";

enum class IdxLabels { kRequired, kOptional };

// True for names like "train-images-idx3-ubyte", "t10k-images-idx3-ubyte.gz"
// (also the "-images.idx3-ubyte" spelling).
bool IsIdxImagesPath(const std::string& path);

// Label files to try for an images file, in order: the same name with "images"/"idx3" replaced
// by "labels"/"idx1", then with ".gz" added or removed.
std::vector<std::string> IdxLabelCandidates(const std::string& images_path);

// Reads images and the matching labels. y holds the label values; num_classes is not set
// (the caller validates targets). Errors: NotFound (no labels file, unless kOptional: then y is
// empty), Corruption.
StatusOr<Dataset> ReadIdx(const std::string& images_path, IdxLabels labels = IdxLabels::kRequired);

// The same over in-memory (decompressed) bytes; the names are used in messages. An empty
// `labels_name` means no labels file: y stays empty.
StatusOr<Dataset> ParseIdx(const std::string& images, const std::string& images_name,
                           const std::string& labels, const std::string& labels_name);

}  // namespace sweep::data
