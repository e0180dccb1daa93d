// GcsStore: storage::Store over gs://bucket/prefix (Cloud Storage's JSON API, cloud/gcp), and
// the gs:// side of FetchInput and ProbeInput.
//
// Endpoint and credentials come from the environment the way Google's client libraries read
// them (cloud/gcp/gcs_client.h, credentials.h). FetchGcsObject caches objects by generation
// (storage/input_cache.h) and downloads exactly that generation (ifGenerationMatch).
//
// Vertex AI also mounts buckets at /gcs/BUCKET with Cloud Storage FUSE. A gs:// path does not go
// through it: FUSE is not there on every engine (GCP Batch, GKE without the CSI driver, a
// laptop), and a FUSE write is uploaded at close with no atomic rename, while a JSON API
// upload is atomic. A /gcs/... path still works as a plain folder where the mount exists.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "storage/store.h"

namespace sweep::storage {

// `root` is "gs://bucket" or "gs://bucket/prefix" (a trailing '/' is ignored).
// Errors: InvalidArgument for a malformed URI or STORAGE_EMULATOR_HOST.
StatusOr<std::unique_ptr<Store>> OpenGcsStore(const std::string& root);

// Downloads gs://bucket/key into the input cache (or finds it there); returns the local path.
// Errors: NotFound (no such object), InvalidArgument (401/403, bad URI, no credentials),
// Unavailable (after retries).
StatusOr<std::string> FetchGcsObject(const std::string& uri);

// Object metadata for gs://bucket/key: Ok when it exists and can be read. Errors as above.
Status ProbeGcsObject(const std::string& uri);

}  // namespace sweep::storage
