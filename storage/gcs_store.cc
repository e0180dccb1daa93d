#include "storage/gcs_store.h"

#include "cloud/gcp/gcs_client.h"
#include "storage/input_cache.h"
#include "storage/object_store.h"

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

StatusOr<gcp::GcsUri> ObjectUri(const std::string& text) {
  SWEEP_ASSIGN_OR_RETURN(gcp::GcsUri uri, gcp::ParseGcsUri(text));
  SWEEP_RETURN_IF_ERROR(CheckNamesObject(text, uri.key));
  return uri;
}

}  // namespace

StatusOr<std::unique_ptr<Store>> OpenGcsStore(const std::string& root) {
  SWEEP_ASSIGN_OR_RETURN(gcp::GcsUri uri, gcp::ParseGcsUri(root));
  SWEEP_ASSIGN_OR_RETURN(auto client, ClientFromEnvironment());
  // An upload is atomic in Cloud Storage: readers see the old object or the new one.
  return std::unique_ptr<Store>(std::make_unique<ClientObjectStore<gcp::GcsClient>>(
      root, std::move(uri.bucket), std::move(uri.key), std::move(client)));
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
