#include "storage/model_isolated.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "base/file.h"
#include "data/isolated.h"
#include "storage/byte_codec.h"

namespace sweep::storage {
namespace {

constexpr std::string_view kMagic = "SWEEPMDL";

void PutStrings(const std::vector<std::string>& strings, ByteWriter* w) {
  w->Put<uint32_t>(static_cast<uint32_t>(strings.size()));
  for (const std::string& s : strings) w->PutBytes(s);
}

// Every string at least 4 bytes in the record: a count is checked against the bytes left.
std::vector<std::string> GetStrings(ByteReader* r) {
  const uint32_t n = r->Get<uint32_t>();
  std::vector<std::string> out;
  if (!r->ok() || n > r->left() / 4) return (void)r->GetArray<char>(), out;
  for (uint32_t i = 0; i < n && r->ok(); ++i) out.push_back(r->GetBytes());
  return out;
}

void PutLayer(const DenseWeights& d, ByteWriter* w) {
  w->PutBytes(d.name);
  w->Put<int32_t>(d.inputs);
  w->Put<int32_t>(d.units);
  w->PutArray(d.kernel);
  w->PutArray(d.bias);
  w->PutBytes(d.activation);
}

StatusOr<DenseWeights> GetLayer(ByteReader* r) {
  DenseWeights d;
  d.name = r->GetBytes();
  d.inputs = r->Get<int32_t>();
  d.units = r->Get<int32_t>();
  d.kernel = r->GetArray<float>();
  d.bias = r->GetArray<float>();
  d.activation = r->GetBytes();
  if (!r->ok()) return Status::Corruption("truncated layer");
  if (d.inputs <= 0 || d.units <= 0 || d.bias.size() != static_cast<size_t>(d.units) ||
      d.kernel.size() != static_cast<size_t>(d.inputs) * static_cast<size_t>(d.units)) {
    return Status::Corruption("layer " + d.name + ": sizes do not match");
  }
  return d;
}

}  // namespace

std::string EncodeModelFile(const ModelFile& model) {
  ByteWriter w;
  w.PutRaw(kMagic);
  w.Put<int32_t>(model.format_version);
  w.Put<uint32_t>(static_cast<uint32_t>(model.layers.size()));
  for (const DenseWeights& d : model.layers) PutLayer(d, &w);
  std::vector<std::string> attributes;
  for (const auto& [k, v] : model.attributes) attributes.insert(attributes.end(), {k, v});
  PutStrings(attributes, &w);
  w.PutArray(model.sample_shape);
  PutStrings(model.class_names, &w);
  w.PutBytes(model.preprocessing);
  return w.Finish();
}

StatusOr<ModelFile> DecodeModelFile(std::string_view bytes) {
  if (bytes.size() < kMagic.size() + 4 || bytes.substr(0, kMagic.size()) != kMagic) {
    return Status::Corruption("not a model record");
  }
  uint32_t stored_crc = 0;
  std::memcpy(&stored_crc, bytes.data() + bytes.size() - 4, 4);
  if (ByteWriter::Crc(bytes.substr(0, bytes.size() - 4)) != stored_crc) {
    return Status::Corruption("model record: checksum mismatch");
  }
  ByteReader r(bytes.substr(kMagic.size(), bytes.size() - kMagic.size() - 4));
  ModelFile m;
  m.format_version = r.Get<int32_t>();
  const uint32_t layers = r.Get<uint32_t>();
  for (uint32_t k = 0; k < layers && r.ok(); ++k) {
    SWEEP_ASSIGN_OR_RETURN(DenseWeights d, GetLayer(&r));
    m.layers.push_back(std::move(d));
  }
  const std::vector<std::string> attributes = GetStrings(&r);
  for (size_t i = 0; i + 1 < attributes.size(); i += 2)
    m.attributes[attributes[i]] = attributes[i + 1];
  m.sample_shape = r.GetArray<int>();
  m.class_names = GetStrings(&r);
  m.preprocessing = r.GetBytes();
  if (!r.ok()) return Status::Corruption("model record: truncated");
  if (r.left() != 0) return Status::Corruption("model record: trailing bytes");
  if (attributes.size() % 2 != 0) return Status::Corruption("model record: odd attribute list");
  return m;
}

void RunModelReaderIfAsked(int argc, char** argv) {
  if (argc != 3 || argv[1] != kModelReaderFlag) return;
  StatusOr<ModelFile> model = ReadModelFile(argv[2]);
  if (!model.ok()) data::ReportAndExit(STDOUT_FILENO, model.status());
  data::ReportAndExit(STDOUT_FILENO, Status::Ok(), EncodeModelFile(*model));
}

StatusOr<ModelFile> ReadModelFileIsolated(const std::string& path, int timeout_s) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return FromErrno(errno, path);
  // A FIFO would block the reader until the timeout, a device read forever: say what it is.
  SWEEP_RETURN_IF_ERROR(CheckRegularFile(path, st.st_mode, "model file"));
  SWEEP_ASSIGN_OR_RETURN(
      std::string record,
      data::RunIsolatedProgram({"/proc/self/exe", std::string(kModelReaderFlag), path}, path,
                               timeout_s));
  StatusOr<ModelFile> model = DecodeModelFile(record);
  if (!model.ok()) return model.status().WithContext(path + ": the reader's report");
  return model;
}

}  // namespace sweep::storage
