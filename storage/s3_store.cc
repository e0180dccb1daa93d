#include "storage/s3_store.h"

#include "cloud/aws/s3_client.h"
#include "storage/input_cache.h"

namespace sweep::storage {
namespace {

// One provider per process: every store and fetch shares its cached temporary credentials, so
// a worker asks the container endpoint or IMDS (which throttles) once, not once per object.
std::shared_ptr<aws::CredentialProvider> SharedCredentials() {
  static const auto* provider =
      new std::shared_ptr<aws::CredentialProvider>(std::make_shared<aws::CredentialProvider>());
  return *provider;
}

StatusOr<std::unique_ptr<aws::S3Client>> ClientFromEnvironment() {
  SWEEP_ASSIGN_OR_RETURN(aws::S3Config config, aws::S3ConfigFromEnvironment());
  return std::make_unique<aws::S3Client>(std::move(config), SharedCredentials());
}

class S3Store : public Store {
 public:
  S3Store(std::string root, aws::S3Uri uri, std::unique_ptr<aws::S3Client> client)
      : root_(std::move(root)),
        bucket_(std::move(uri.bucket)),
        prefix_(std::move(uri.key)),
        client_(std::move(client)) {
    while (!prefix_.empty() && prefix_.back() == '/') prefix_.pop_back();
  }

  const std::string& root() const override { return root_; }

  Status Put(const std::string& key, std::string_view contents) override {
    return client_->Put(bucket_, FullKey(key), contents);  // a PUT is atomic in S3
  }

  StatusOr<bool> Create(const std::string& key, std::string_view contents) override {
    return client_->PutIfAbsent(bucket_, FullKey(key), contents);
  }

  Status PutFile(const std::string& key, const std::string& local_path) override {
    return client_->PutFile(bucket_, FullKey(key), local_path);
  }

  StatusOr<std::string> Get(const std::string& key) override {
    return client_->Get(bucket_, FullKey(key));
  }

  // Results are small (model.h5 is a few MB): a Get and a Put are simpler than CopyObject's
  // 5 GB limit and its 200-with-an-error answers.
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

  // S3 has no folders to create; a listing proves the bucket exists and the credentials work.
  // Writability itself shows only at the first PUT (a probe object would pollute the root).
  Status CheckWritable() override {
    return client_->List(bucket_, FullKey(".sweep-writable-check")).status();
  }

  std::string LocalPath(const std::string&) const override { return ""; }

 private:
  std::string FullKey(const std::string& key) const {
    return prefix_.empty() ? key : prefix_ + "/" + key;
  }

  std::string root_, bucket_, prefix_;
  std::unique_ptr<aws::S3Client> client_;
};

// S3 has no generation to pin a GET to: the ETag of the answer must be the one the HEAD saw.
Status Download(aws::S3Client& client, const aws::S3Uri& uri, const aws::S3Object& head,
                const std::string& temp) {
  SWEEP_ASSIGN_OR_RETURN(aws::S3Object got, client.GetToFile(uri.bucket, uri.key, temp));
  if (got.etag != head.etag) {
    return Status::Unavailable("s3://" + uri.bucket + "/" + uri.key +
                               ": object changed during download (ETag " + head.etag + " -> " +
                               got.etag + ")");
  }
  return Status::Ok();
}

}  // namespace

StatusOr<std::unique_ptr<Store>> OpenS3Store(const std::string& root) {
  SWEEP_ASSIGN_OR_RETURN(aws::S3Uri uri, aws::ParseS3Uri(root));
  SWEEP_ASSIGN_OR_RETURN(auto client, ClientFromEnvironment());
  return std::unique_ptr<Store>(std::make_unique<S3Store>(root, std::move(uri), std::move(client)));
}

StatusOr<std::string> FetchS3Object(const std::string& uri_text) {
  SWEEP_ASSIGN_OR_RETURN(aws::S3Uri uri, aws::ParseS3Uri(uri_text));
  if (uri.key.empty() || uri.key.back() == '/') {
    return Status::InvalidArgument(uri_text + ": names a prefix, not an object");
  }
  SWEEP_ASSIGN_OR_RETURN(auto client, ClientFromEnvironment());
  SWEEP_ASSIGN_OR_RETURN(aws::S3Object head, client->Head(uri.bucket, uri.key));
  return FetchIntoCache(
      {"s3", uri.bucket, uri.key, head.etag, head.size},
      [&](const std::string& temp) { return Download(*client, uri, head, temp); });
}

Status ProbeS3Object(const std::string& uri_text) {
  SWEEP_ASSIGN_OR_RETURN(aws::S3Uri uri, aws::ParseS3Uri(uri_text));
  if (uri.key.empty() || uri.key.back() == '/') {
    return Status::InvalidArgument(uri_text + ": names a prefix, not an object");
  }
  SWEEP_ASSIGN_OR_RETURN(auto client, ClientFromEnvironment());
  return client->Head(uri.bucket, uri.key).status();
}

}  // namespace sweep::storage
