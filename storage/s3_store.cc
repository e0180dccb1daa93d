#include "storage/s3_store.h"

#include "cloud/aws/s3_client.h"
#include "storage/input_cache.h"
#include "storage/object_store.h"

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

StatusOr<aws::S3Uri> ObjectUri(const std::string& text) {
  SWEEP_ASSIGN_OR_RETURN(aws::S3Uri uri, aws::ParseS3Uri(text));
  SWEEP_RETURN_IF_ERROR(CheckNamesObject(text, uri.key));
  return uri;
}

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
  // A PUT is atomic in S3.
  return std::unique_ptr<Store>(std::make_unique<ClientObjectStore<aws::S3Client>>(
      root, std::move(uri.bucket), std::move(uri.key), std::move(client)));
}

StatusOr<std::string> FetchS3Object(const std::string& uri_text) {
  SWEEP_ASSIGN_OR_RETURN(aws::S3Uri uri, ObjectUri(uri_text));
  SWEEP_ASSIGN_OR_RETURN(auto client, ClientFromEnvironment());
  SWEEP_ASSIGN_OR_RETURN(aws::S3Object head, client->Head(uri.bucket, uri.key));
  return FetchIntoCache(
      {"s3", uri.bucket, uri.key, head.etag, head.size},
      [&](const std::string& temp) { return Download(*client, uri, head, temp); });
}

Status ProbeS3Object(const std::string& uri_text) {
  SWEEP_ASSIGN_OR_RETURN(aws::S3Uri uri, ObjectUri(uri_text));
  SWEEP_ASSIGN_OR_RETURN(auto client, ClientFromEnvironment());
  return client->Head(uri.bucket, uri.key).status();
}

}  // namespace sweep::storage
