// S3Store: storage::Store over s3://bucket/prefix, and the S3 side of FetchInput.
//
// Configuration (region, endpoint, path style) and credentials come from the environment the
// way the AWS SDKs read them (see s3_client.h, credentials.h).
// FetchS3Object caches objects by ETag (storage/input_cache.h).
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "storage/store.h"

namespace sweep::storage {

// `root` is "s3://bucket" or "s3://bucket/prefix" (a trailing '/' is ignored).
// Errors: InvalidArgument for a malformed URI or S3 configuration.
StatusOr<std::unique_ptr<Store>> OpenS3Store(const std::string& root);

// Downloads s3://bucket/key into the input cache (or finds it there) and returns the local path.
// Errors: NotFound (no such object), InvalidArgument (403, bad URI), Unavailable (after retries).
StatusOr<std::string> FetchS3Object(const std::string& uri);

// A HEAD request for s3://bucket/key: Ok when the object exists and can be read. Errors as
// FetchS3Object's.
Status ProbeS3Object(const std::string& uri);

}  // namespace sweep::storage
