#include "data/idx_reader.h"

#include <unistd.h>

#include <cstdint>
#include <cstdio>

#include "base/strings.h"
#include "data/gz_file.h"
#include "data/limits.h"

namespace sweep::data {
namespace {

constexpr uint32_t kImagesMagic = 0x00000803;
constexpr uint32_t kLabelsMagic = 0x00000801;

struct Spelling {
  const char* images;
  const char* labels;
};
constexpr Spelling kSpellings[] = {{"-images-idx3-ubyte", "-labels-idx1-ubyte"},
                                   {"-images.idx3-ubyte", "-labels.idx1-ubyte"}};

uint32_t BigEndian32(const std::string& bytes, size_t offset) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + offset);
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

std::string Hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08X", v);
  return buf;
}

// Checks the magic number and the size; returns the header's u32 fields after the magic.
Status CheckHeader(const std::string& bytes, const std::string& name, uint32_t magic,
                   const char* what, int dims, std::vector<uint32_t>* fields) {
  size_t header = 4 + 4 * static_cast<size_t>(dims);
  if (bytes.size() < header) return Status::Corruption(name + ": too short for an IDX header");
  uint32_t got = BigEndian32(bytes, 0);
  if (got != magic) {
    return Status::Corruption(name + ": wrong IDX magic " + Hex32(got) + " (expected " +
                              Hex32(magic) + " for " + what + ")");
  }
  uint64_t items = 1;
  fields->clear();
  for (int i = 0; i < dims; ++i) {
    fields->push_back(BigEndian32(bytes, 4 + 4 * static_cast<size_t>(i)));
    // Three u32 dimensions can multiply past 2^64: a wrapped product could match the size.
    if (!CheckedMul(items, fields->back(), &items) || items > bytes.size()) {
      return Status::Corruption(name + ": header dimensions need more bytes than the file's " +
                                std::to_string(bytes.size()) + " (truncated, or not IDX)");
    }
  }
  const uint64_t expected = header + items;
  if (bytes.size() != expected) {
    return Status::Corruption(name + ": expected " + std::to_string(expected) + " bytes, got " +
                              std::to_string(bytes.size()) + " (truncated or padded)");
  }
  return Status::Ok();
}

}  // namespace

bool IsIdxImagesPath(const std::string& path) {
  for (const auto& s : kSpellings) {
    if (path.find(s.images) != std::string::npos) return true;
  }
  return false;
}

std::vector<std::string> IdxLabelCandidates(const std::string& images_path) {
  for (const auto& s : kSpellings) {
    size_t at = images_path.rfind(s.images);
    if (at == std::string::npos) continue;
    std::string labels = images_path;
    labels.replace(at, std::string(s.images).size(), s.labels);
    std::string other =
        EndsWith(labels, ".gz") ? labels.substr(0, labels.size() - 3) : labels + ".gz";
    return {labels, other};
  }
  return {};
}

StatusOr<Dataset> ParseIdx(const std::string& images, const std::string& images_name,
                           const std::string& labels, const std::string& labels_name) {
  std::vector<uint32_t> im, lb;
  SWEEP_RETURN_IF_ERROR(CheckHeader(images, images_name, kImagesMagic, "images", 3, &im));
  if (!labels_name.empty()) {
    SWEEP_RETURN_IF_ERROR(CheckHeader(labels, labels_name, kLabelsMagic, "labels", 1, &lb));
    if (im[0] != lb[0]) {
      return Status::Corruption(images_name + " has " + std::to_string(im[0]) + " images but " +
                                labels_name + " has " + std::to_string(lb[0]) + " labels");
    }
  }
  if (im[0] == 0) return Status::InvalidArgument(images_name + ": no images");
  if (uint64_t{im[1]} * im[2] > INT32_MAX) {
    return Status::Corruption(images_name + ": images of " + std::to_string(im[1]) + " x " +
                              std::to_string(im[2]) + " pixels are too large");
  }
  Dataset d;
  d.rows = im[0];
  d.cols = static_cast<int>(uint64_t{im[1]} * im[2]);
  d.sample_shape = {static_cast<int>(im[1]), static_cast<int>(im[2])};
  d.preprocessing = kIdxPreprocessing;
  d.source = images_name;
  d.x.resize(static_cast<size_t>(d.rows) * d.cols);
  const auto* px = reinterpret_cast<const unsigned char*>(images.data() + 16);
  constexpr float kScale = 1.0f / 255.0f;
  for (size_t i = 0; i < d.x.size(); ++i) d.x[i] = static_cast<float>(px[i]) * kScale;
  if (!labels_name.empty()) {
    const auto* pl = reinterpret_cast<const unsigned char*>(labels.data() + 8);
    d.y.assign(pl, pl + d.rows);
  }
  return d;
}

StatusOr<Dataset> ReadIdx(const std::string& images_path, IdxLabels want) {
  std::string labels_path;
  std::vector<std::string> candidates = IdxLabelCandidates(images_path);
  for (const auto& c : candidates) {
    if (::access(c.c_str(), F_OK) == 0) {
      labels_path = c;
      break;
    }
  }
  if (labels_path.empty() && want == IdxLabels::kRequired) {
    std::string tried;
    for (const auto& c : candidates) tried += (tried.empty() ? "" : " or ") + c;
    return Status::NotFound(images_path + ": no labels file (tried " + tried + ")");
  }
  std::string images, labels;
  SWEEP_RETURN_IF_ERROR(ReadMaybeGzipped(images_path, &images));
  if (!labels_path.empty()) SWEEP_RETURN_IF_ERROR(ReadMaybeGzipped(labels_path, &labels));
  return ParseIdx(images, images_path, labels, labels_path);
}

}  // namespace sweep::data
