#include "storage/store.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "base/file.h"
#include "data/probe.h"
#include "storage/gcs_store.h"
#include "storage/layout.h"
#include "storage/s3_store.h"

namespace sweep::storage {
namespace {

class LocalStore : public Store {
 public:
  explicit LocalStore(std::string root) : root_(std::move(root)) {}

  const std::string& root() const override { return root_; }

  Status Put(const std::string& key, std::string_view contents) override {
    return WriteFileAtomic(LocalPath(key), contents);
  }

  StatusOr<bool> Create(const std::string& key, std::string_view contents) override {
    return CreateFileExclusive(LocalPath(key), contents);
  }

  Status PutFile(const std::string& key, const std::string& local_path) override {
    std::string target = LocalPath(key);
    std::error_code ec;
    if (std::filesystem::equivalent(local_path, target, ec)) return Status::Ok();
    std::string contents;
    SWEEP_RETURN_IF_ERROR(ReadFile(local_path, &contents));
    return WriteFileAtomic(target, contents);
  }

  StatusOr<std::string> Get(const std::string& key) override {
    std::string contents;
    SWEEP_RETURN_IF_ERROR(ReadFile(LocalPath(key), &contents));
    return contents;
  }

  Status Move(const std::string& from, const std::string& to) override {
    const std::string target = LocalPath(to);
    SWEEP_RETURN_IF_ERROR(CreateDirectories(target.substr(0, target.rfind('/'))));
    if (::rename(LocalPath(from).c_str(), target.c_str()) != 0) {
      return FromErrno(errno, "move " + LocalPath(from) + " to " + target);
    }
    return Status::Ok();
  }

  Status Delete(const std::string& key) override {
    if (::unlink(LocalPath(key).c_str()) != 0 && errno != ENOENT) {
      return FromErrno(errno, "remove " + LocalPath(key));
    }
    return Status::Ok();
  }

  StatusOr<std::vector<std::string>> List(const std::string& prefix) override {
    namespace fs = std::filesystem;
    std::vector<std::string> keys;
    std::error_code ec;
    if (!fs::exists(root_, ec)) return keys;
    fs::recursive_directory_iterator it(root_, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file(ec) || IsTempName(it->path().filename().string())) continue;
      std::string key = it->path().lexically_relative(root_).generic_string();
      if (key.rfind(prefix, 0) == 0) keys.push_back(std::move(key));
    }
    if (ec) return FromErrno(ec.value(), "list " + root_);
    return keys;
  }

  Status CheckWritable() override { return CheckWritableDir(root_); }

  std::string LocalPath(const std::string& key) const override { return JoinPath(root_, key); }

 private:
  std::string root_;
};

}  // namespace

std::unique_ptr<Store> OpenLocalStore(const std::string& root) {
  return std::make_unique<LocalStore>(root);
}

StatusOr<std::unique_ptr<Store>> OpenStore(const std::string& root) {
  if (root.empty()) return Status::InvalidArgument("empty storage root");
  // The single place where the object stores plug in; everything else here is local.
  if (IsS3Uri(root)) return OpenS3Store(root);
  if (IsGcsUri(root)) return OpenGcsStore(root);
  if (root.find("://") != std::string::npos) {
    return Status::InvalidArgument(root +
                                   ": unsupported URI scheme (use a folder, s3:// or gs://)");
  }
  return OpenLocalStore(root);
}

Status ProbeInput(const std::string& path_or_uri, int skip_rows) {
  const data::ReadOptions options{skip_rows};
  if (!IsRemoteUri(path_or_uri)) return data::ProbeDataset(path_or_uri, options);
  SWEEP_RETURN_IF_ERROR(data::CheckReadOptions(path_or_uri, options));
  return IsS3Uri(path_or_uri) ? ProbeS3Object(path_or_uri) : ProbeGcsObject(path_or_uri);
}

StatusOr<std::string> FetchInput(const std::string& path_or_uri) {
  if (IsS3Uri(path_or_uri)) return FetchS3Object(path_or_uri);
  if (IsGcsUri(path_or_uri)) return FetchGcsObject(path_or_uri);
  return path_or_uri;
}

}  // namespace sweep::storage
