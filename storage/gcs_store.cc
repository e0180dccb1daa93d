#include "storage/gcs_store.h"

#include "cloud/gcp/gcs_client.h"
#include "storage/input_cache.h"

namespace sweep::storage {
namespace {

// One token cache per process: every store and fetch shares it, so a worker trades its key (or
// asks the metadata server) once, not once per object.
std::shared_ptr<gcp::GoogleCredentials> SharedCredentials() {
  static const auto* credentials =
      new std::shared_ptr<gcp::GoogleCredentials>(std::make_shared<gcp::GoogleCredentials>());
  return *credentials;
}

StatusOr<std::unique_ptr<gcp::GcsClient>> ClientFromEnvironment() {
  SWEEP_ASSIGN_OR_RETURN(gcp::GcsConfig config, gcp::GcsConfigFromEnvironment());
  return std::make_unique<gcp::GcsClient>(std::move(config), SharedCredentials());
}

class GcsStore : public Store {
 public:
  GcsStore(std::string root, gcp::GcsUri uri, std::unique_ptr<gcp::GcsClient> client)
      : root_(std::move(root)),
        bucket_(std::move(uri.bucket)),
        prefix_(std::move(uri.key)),
        client_(std::move(client)) {
    while (!prefix_.empty() && prefix_.back() == '/') prefix_.pop_back();
  }

  const std::string& root() const override { return root_; }

  // An upload is atomic in Cloud Storage: readers see the old object or the new one.
  Status Put(const std::string& key, std::string_view contents) override {
    return client_->Put(bucket_, FullKey(key), contents);
  }

  Status PutFile(const std::string& key, const std::string& local_path) override {
    return client_->PutFile(bucket_, FullKey(key), local_path);
  }

  StatusOr<bool> Create(const std::string& key, std::string_view contents) override {
    return client_->PutIfAbsent(bucket_, FullKey(key), contents);
  }

  StatusOr<std::string> Get(const std::string& key) override {
    return client_->Get(bucket_, FullKey(key));
  }

  // As for S3 (s3_store.cc): results are small, so a Get and a Put rather than objects.rewrite,
  // whose large-object answers need follow-up calls. A crash in between leaves both copies.
  Status Move(const std::string& from, const std::string& to) override {
    SWEEP_ASSIGN_OR_RETURN(std::string contents, client_->Get(bucket_, FullKey(from)));
    SWEEP_RETURN_IF_ERROR(client_->Put(bucket_, FullKey(to), contents));
    return client_->Delete(bucket_, FullKey(from));
  }

  Status Delete(const std::string& key) override { return client_->Delete(bucket_, FullKey(key)); }

  StatusOr<std::vector<std::string>> List(const std::string& prefix) override {
    const std::string base = prefix_.empty() ? "" : prefix_ + "/";
    SWEEP_ASSIGN_OR_RETURN(auto objects, client_->List(bucket_, base + prefix));
    std::vector<std::string> keys;
    keys.reserve(objects.size());
    for (auto& o : objects) keys.push_back(o.key.substr(base.size()));
    return keys;
  }

  // No folders to create; a listing proves the bucket exists and the credentials work.
  Status CheckWritable() override {
    return client_->List(bucket_, FullKey(".sweep-writable-check")).status();
  }

  std::string LocalPath(const std::string&) const override { return ""; }

 private:
  std::string FullKey(const std::string& key) const {
    return prefix_.empty() ? key : prefix_ + "/" + key;
  }

  std::string root_, bucket_, prefix_;
  std::unique_ptr<gcp::GcsClient> client_;
};

StatusOr<gcp::GcsUri> ObjectUri(const std::string& text) {
  SWEEP_ASSIGN_OR_RETURN(gcp::GcsUri uri, gcp::ParseGcsUri(text));
  if (uri.key.empty() || uri.key.back() == '/') {
    return Status::InvalidArgument(text + ": names a prefix, not an object");
  }
  return uri;
}

}  // namespace

StatusOr<std::unique_ptr<Store>> OpenGcsStore(const std::string& root) {
  SWEEP_ASSIGN_OR_RETURN(gcp::GcsUri uri, gcp::ParseGcsUri(root));
  SWEEP_ASSIGN_OR_RETURN(auto client, ClientFromEnvironment());
  return std::unique_ptr<Store>(
      std::make_unique<GcsStore>(root, std::move(uri), std::move(client)));
}

StatusOr<std::string> FetchGcsObject(const std::string& text) {
  SWEEP_ASSIGN_OR_RETURN(gcp::GcsUri uri, ObjectUri(text));
  SWEEP_ASSIGN_OR_RETURN(auto client, ClientFromEnvironment());
  SWEEP_ASSIGN_OR_RETURN(gcp::GcsObject head, client->Head(uri.bucket, uri.key));
  return FetchIntoCache(
      {"gs", uri.bucket, uri.key, std::to_string(head.generation), head.size},
      [&](const std::string& temp) {
        return client->GetToFile(uri.bucket, uri.key, temp, head.generation).status();
      });
}

Status ProbeGcsObject(const std::string& text) {
  SWEEP_ASSIGN_OR_RETURN(gcp::GcsUri uri, ObjectUri(text));
  SWEEP_ASSIGN_OR_RETURN(auto client, ClientFromEnvironment());
  return client->Head(uri.bucket, uri.key).status();
}

}  // namespace sweep::storage
