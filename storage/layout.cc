#include "storage/layout.h"

namespace sweep::storage {

std::string JoinPath(const std::string& root, const std::string& rel) {
  if (root.empty()) return rel;
  size_t start = 0;
  while (start < rel.size() && rel[start] == '/') ++start;
  size_t end = root.size();
  // Keep "/" itself and the "//" of a bare "s3://" scheme.
  while (end > 1 && root[end - 1] == '/' && !(end >= 2 && root[end - 2] == ':')) --end;
  std::string out = root.substr(0, end);
  if (start == rel.size()) return out;
  if (out.back() != '/') out += '/';
  out.append(rel, start, std::string::npos);
  return out;
}

std::string IndexDir(const std::string& root, int index) {
  return JoinPath(root, std::to_string(index));
}

std::string ModelDir(const std::string& root, int index) {
  std::string in_index = ModelPathInIndex();
  return JoinPath(IndexDir(root, index), in_index.substr(0, in_index.rfind('/')));
}

std::string ModelPathInIndex() { return "model/model.h5"; }
std::string ExportModelKey() { return "model.h5"; }
std::string ExportResultKey() { return std::string(kResultFile); }

std::string IndexDirOfModel(const std::string& model_path) {
  const std::string tail = "/" + ModelPathInIndex();
  if (model_path.size() <= tail.size() ||
      model_path.compare(model_path.size() - tail.size(), tail.size(), tail) != 0) {
    return "";
  }
  return model_path.substr(0, model_path.size() - tail.size());
}

std::string ModelPath(const std::string& root, int index) {
  return JoinPath(IndexDir(root, index), ModelPathInIndex());
}

std::string ResultPath(const std::string& root, int index) {
  return JoinPath(IndexDir(root, index), std::string(kResultFile));
}

std::string LogPath(const std::string& root, int index) {
  return JoinPath(IndexDir(root, index), std::string(kWorkerLogFile));
}

std::string CheckpointPath(const std::string& root, int index) {
  return JoinPath(IndexDir(root, index), "checkpoint/checkpoint.bin");
}

std::string BandPath(const std::string& root, int index, int epochs) {
  return JoinPath(IndexDir(root, index), "bands/" + std::to_string(epochs) + ".json");
}

std::string RungPath(const std::string& root, int bracket, int rung) {
  return JoinPath(root, std::string(kRungsDir) + "/" + std::to_string(bracket) + "-" +
                            std::to_string(rung) + ".json");
}

std::string WavePath(const std::string& root, int wave) {
  return JoinPath(root, std::string(kWavesDir) + "/" + std::to_string(wave) + ".json");
}

std::string LockPath(const std::string& root) { return JoinPath(root, std::string(kLockFile)); }
std::string PlanPath(const std::string& root) { return JoinPath(root, std::string(kPlanFile)); }

std::string HistoryDir(const std::string& root, const std::string& stamp) {
  return JoinPath(JoinPath(root, std::string(kHistoryDir)), stamp);
}

std::string BestModelPath(const std::string& root) {
  return JoinPath(JoinPath(root, std::string(kBestDir)), "model.h5");
}

std::string BestInfoPath(const std::string& root) {
  return JoinPath(JoinPath(root, std::string(kBestDir)), std::string(kBestInfoFile));
}

std::string BestPrefix() { return std::string(kBestDir) + "/"; }

bool IsOwnRootEntry(std::string_view top) {
  return (!top.empty() && top[0] == '.') || top == kPlanFile || top == kHistoryDir ||
         top == kRungsDir || top == kWavesDir || top == kBestDir;
}

std::string HistoryPrefix(const std::string& stamp) {
  std::string prefix = std::string(kHistoryDir) + "/";
  return stamp.empty() ? prefix : prefix + stamp + "/";
}

std::string SlurmLogDir(const std::string& root) {
  return JoinPath(root, std::string(kSlurmLogDir));
}

std::string SlurmScriptPath(const std::string& slurm_log_dir) {
  return JoinPath(slurm_log_dir, "sweep.sbatch");
}

std::string LocalLogPathForRemote(int index) { return LogPath("sweep-logs", index); }

std::string SlurmLogDirForRemote(const std::string& cwd) { return JoinPath(cwd, "slurm-logs"); }

bool IsS3Uri(const std::string& path) { return path.rfind("s3://", 0) == 0; }
bool IsGcsUri(const std::string& path) { return path.rfind("gs://", 0) == 0; }
bool IsRemoteUri(const std::string& path) { return IsS3Uri(path) || IsGcsUri(path); }

}  // namespace sweep::storage
